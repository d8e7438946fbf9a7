"""Telegram Desktop channel exports (`result.json`) → one RawDocument of kind 'telegram' per
message with text or media.

Only metadata about media is kept (type, file name, size, dimensions): media files are never
read, stored or downloaded. Known damage in real exports is tolerated: duplicate "text" keys in
one object, fields this reader does not know, invalid UTF-8 bytes (the message whose text they
hit is reported, the rest ingests), and single messages that are not objects or carry a bad date.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Iterator

from kwatch.errors import IngestError
from kwatch.models import RawDocument, ReadProblem

_REPLACEMENT = "\ufffd"
_BOM = "\ufeff"
#: Placeholder Telegram writes instead of a path when media was not exported.
_NOT_INCLUDED = "(File not included"
#: Keys whose presence means the message carries media.
_MEDIA_KEYS = ("photo", "file", "media_type", "sticker_emoji", "location_information", "contact_information")


def decode_json(data: bytes) -> Any:
    """Parse an export leniently: invalid UTF-8 becomes U+FFFD, duplicate keys keep the fullest value."""
    text = data.decode("utf-8", errors="replace")
    if text.startswith(_BOM):
        text = text[1:]
    try:
        return json.loads(text, object_pairs_hook=_keep_fullest)
    except json.JSONDecodeError as exc:
        raise IngestError(f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None


def is_export(value: Any) -> bool:
    """A Telegram Desktop single-chat export: an object with a "messages" list and a name or type."""
    return isinstance(value, dict) and isinstance(value.get("messages"), list) and ("name" in value or "type" in value)


def read_export(export: dict[str, Any], *, path: str) -> Iterator[RawDocument | ReadProblem]:
    channel = _plain(export.get("name")) or None
    channel_id = export.get("id")
    for position, message in enumerate(export["messages"]):
        if not isinstance(message, dict):
            yield ReadProblem(f"{path}#message-index={position}", f"message is a JSON {type(message).__name__}, not an object")
            continue
        item = _message(message, channel=channel, channel_id=channel_id, path=path)
        if item is not None:
            yield item


def _message(message: dict[str, Any], *, channel: str | None, channel_id: Any, path: str) -> RawDocument | ReadProblem | None:
    if message.get("type") == "service":
        return None
    message_id = message.get("id")
    where = f"{path}#message={message_id}"
    text = message_text(message)
    media = any(message.get(key) for key in _MEDIA_KEYS)
    if not text.strip() and not media:
        return None
    raw_date = message.get("date")
    try:
        when = datetime.fromisoformat(raw_date) if isinstance(raw_date, str) else None
    except ValueError:
        when = None
    if when is None:
        return ReadProblem(where, f"message has a bad date: {raw_date!r}")
    if _REPLACEMENT in text:
        return ReadProblem(where, "message text is not valid UTF-8 in the export (bytes replaced by U+FFFD)")
    anchor = channel_id if channel_id not in (None, "") else channel
    return RawDocument(
        text=text,
        kind="telegram",
        path=path,
        source=channel,
        author=_plain(message.get("author")) or None,
        published=when.strftime("%Y-%m-%d"),
        locator=f"{anchor}/{message_id}",
        meta=_meta(message, channel=channel, channel_id=channel_id, when=when),
    )


def message_text(message: dict[str, Any]) -> str:
    """Plain text of a message: "text" (a string or a list of strings and entity objects), or
    "text_entities" when "text" is empty."""
    text = _plain(message.get("text"))
    if not text.strip():
        text = _plain(message.get("text_entities"))
    return text


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(_plain(part) for part in value)
    if isinstance(value, dict):
        return _plain(value.get("text"))
    return str(value)


def _meta(message: dict[str, Any], *, channel: str | None, channel_id: Any, when: datetime) -> dict[str, Any]:
    photo = _exported_path(message.get("photo"))
    file_path = _exported_path(message.get("file"))
    file_name = message.get("file_name") or (file_path.rsplit("/", 1)[-1] if file_path else None)
    media_type = message.get("media_type") or ("photo" if message.get("photo") else None)
    return {
        "channel": channel,
        "channel_id": channel_id,
        "message_id": message.get("id"),
        "date_time": when.isoformat(),
        "forwarded_from": message.get("forwarded_from"),
        "media_type": media_type,
        "mime_type": message.get("mime_type"),
        "file_name": file_name,
        "file_size": message.get("file_size") or message.get("photo_file_size"),
        "photo": photo,
        "duration_seconds": message.get("duration_seconds"),
        "width": message.get("width"),
        "height": message.get("height"),
        "reply_to": message.get("reply_to_message_id"),
    }


def _exported_path(value: Any) -> str | None:
    if not isinstance(value, str) or not value or value.startswith(_NOT_INCLUDED):
        return None
    return value


def _keep_fullest(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """object_pairs_hook: a broken export may repeat a key ("text" twice, one empty); keep the
    value with the most content instead of the last one."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key not in result or _size(value) > _size(result[key]):
            result[key] = value
    return result


def _size(value: Any) -> int:
    if value is None:
        return -1
    if isinstance(value, (str, list, dict)):
        return len(_plain(value)) if not isinstance(value, dict) or "text" in value else len(value)
    return 0
