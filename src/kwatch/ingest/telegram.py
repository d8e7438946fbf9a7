"""Telegram Desktop channel exports (`result.json`) → one RawDocument of kind 'telegram' per
message with text or media.

Only metadata about media is kept (type, file name, size, dimensions): media files are never
read, stored or downloaded. Known damage in real exports is tolerated: duplicate "text" keys in
one object, fields this reader does not know, invalid UTF-8 bytes (the message whose text they
hit is reported, the rest ingests), and single messages that are not objects or carry a bad date.

Each message is read under its own guard (`guard.contained`): whatever goes wrong in one costs
that message only. A message date is written by Telegram itself, so one that does not parse or
names a year outside `dates.PLAUSIBLE_YEARS` ('0001-01-01T00:00:00') marks a damaged message:
it is reported as `message has a bad date`, not stored undated. String metadata (author,
forwarded_from, media_type, …) is made a plain string or None whatever JSON shape it has
(`values.as_string`), numbers an int or None. JSON nested deeper than `MAX_JSON_DEPTH` is
refused before parsing (no export is more than a few levels deep; Python's parser would overflow
its stack).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from functools import partial
from typing import Any

from kwatch.errors import IngestError
from kwatch.ingest.dates import to_day
from kwatch.ingest.guard import contained
from kwatch.ingest.values import SURROGATE, as_count, as_identifier, as_number, as_string
from kwatch.models import RawDocument, ReadProblem

_REPLACEMENT = "\ufffd"
_BOM = "\ufeff"
#: Placeholder Telegram writes instead of a path when media was not exported.
_NOT_INCLUDED = "(File not included"
#: Keys whose presence means the message carries media.
_MEDIA_KEYS = ("photo", "file", "media_type", "sticker_emoji", "location_information", "contact_information")
#: Deepest nesting of arrays and objects accepted; a real export is about six levels deep.
MAX_JSON_DEPTH = 100
#: Bytes that are neither a quote nor a bracket, deleted to leave a JSON text's skeleton.
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}')
_ONE_BRACKET_KIND = bytes.maketrans(b"{}", b"[]")
_STRING_OF_BRACKETS = re.compile(rb'"[^"]*"')


def decode_json(data: bytes) -> Any:
    """Parse an export leniently: invalid UTF-8 becomes U+FFFD, duplicate keys keep the fullest value."""
    if json_depth(data, stop_above=MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise IngestError(f"JSON nested too deeply (over {MAX_JSON_DEPTH} levels)")
    text = data.decode("utf-8", errors="replace")
    if text.startswith(_BOM):
        text = text[1:]
    try:
        return json.loads(text, object_pairs_hook=_keep_fullest)
    except json.JSONDecodeError as exc:
        raise IngestError(f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:  # the depth check above should make this unreachable
        raise IngestError(f"JSON nested too deeply (over {MAX_JSON_DEPTH} levels)") from None


def json_depth(data: bytes, *, stop_above: int | None = None) -> int:
    """How deeply the arrays and objects of a JSON text nest, without parsing it (brackets inside
    strings do not count), or `stop_above + 1` once it is known to be deeper. Iterative, in
    bulk bytes operations (a fraction of what json.loads takes): safe and cheap on any input.

    Escaped quotes and backslashes go, then everything but quotes and brackets; the strings left
    are removed ('""' at once: most hold no bracket), then each round removes the innermost
    pairs, and the number of rounds is the depth. UTF-8 never puts these ASCII bytes inside a
    multi-byte character. Brackets that never pair (malformed JSON) stop the count: the parser
    says what is wrong with them."""
    skeleton = data.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, delete=_NOT_STRUCTURE)
    brackets = _STRING_OF_BRACKETS.sub(b"", skeleton.replace(b'""', b"")).translate(_ONE_BRACKET_KIND)
    depth = 0
    while brackets and (stop_above is None or depth <= stop_above):
        inner_removed = brackets.replace(b"[]", b"")
        if len(inner_removed) == len(brackets):
            break
        brackets = inner_removed
        depth += 1
    return depth


def is_export(value: Any) -> bool:
    """A Telegram Desktop single-chat export: an object with a "messages" list and a name or type."""
    return isinstance(value, dict) and isinstance(value.get("messages"), list) and ("name" in value or "type" in value)


def read_export(export: dict[str, Any], *, path: str) -> Iterator[RawDocument | ReadProblem]:
    channel = as_string(export.get("name"))
    channel_id = as_identifier(export.get("id"))
    for position, message in enumerate(export["messages"]):
        where = f"{path}#message-index={position}"
        if not isinstance(message, dict):
            yield ReadProblem(where, f"message is a JSON {type(message).__name__}, not an object")
            continue
        message_id = as_identifier(message.get("id"))
        if message_id is not None:
            where = f"{path}#message={message_id}"
        read = partial(_message, message, channel=channel, channel_id=channel_id, path=path, where=where)
        item = contained(read, origin=where, reader="telegram")
        if item is not None:
            yield item


def _message(
    message: dict[str, Any], *, channel: str | None, channel_id: int | str | None, path: str, where: str
) -> RawDocument | ReadProblem | None:
    if message.get("type") == "service":
        return None
    message_id = as_identifier(message.get("id"))
    text = message_text(message)
    media = any(message.get(key) for key in _MEDIA_KEYS)
    if not text.strip() and not media:
        return None
    raw_date = message.get("date")
    try:
        when = datetime.fromisoformat(raw_date) if isinstance(raw_date, str) else None
    except ValueError:
        when = None
    published = to_day(when) if when is not None else None
    if when is None or published is None:
        return ReadProblem(where, f"message has a bad date: {_shown(raw_date)}")
    if _REPLACEMENT in text:
        return ReadProblem(where, "message text is not valid UTF-8 in the export (bytes replaced by U+FFFD)")
    if SURROGATE.search(text):
        return ReadProblem(where, "message text is not valid Unicode in the export (a lone surrogate \\u escape)")
    anchor = channel_id if channel_id not in (None, "") else channel
    meta = _meta(message, channel=channel, channel_id=channel_id, when=when)
    return RawDocument(
        text=text,
        kind="telegram",
        path=path,
        title=post_title(channel, text, media=meta["media_type"] or meta["file_name"]),
        source=channel,
        author=as_string(message.get("author")),
        published=published,
        locator=f"{anchor}/{message_id}",
        meta=meta,
    )


#: How many words of a post its title keeps, and at most how many characters.
TITLE_WORDS = 8
TITLE_CHARS = 80


def post_title(channel: str | None, text: str, *, media: str | None = None) -> str:
    """A post's title for lists (`kwatch docs`, search hits): its channel and the first words of
    its first line (`Amaq: Fighters of the Islamic State attacked …`), or what it holds when it
    has no text (`Amaq: video`). A post has no headline, so extraction reads none
    (`is_post_title`)."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    words = line.split()
    start = " ".join(words[:TITLE_WORDS])
    cut = len(words) > TITLE_WORDS or len(start) > TITLE_CHARS
    start = start[:TITLE_CHARS].rstrip()
    if start and cut:
        start += " …"
    return f"{channel or 'Telegram'}: {start or media or 'post'}"


def is_post_title(title: str | None, channel: str | None, text: str, meta: Mapping[str, Any] | None) -> bool:
    """`title` is the one `post_title` made at ingest (not one a manifest gave)."""
    media = (meta or {}).get("media_type") or (meta or {}).get("file_name")
    return title is not None and title == post_title(channel, text, media=media)


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
    file_name = as_string(message.get("file_name")) or (file_path.rsplit("/", 1)[-1] if file_path else None)
    media_type = as_string(message.get("media_type")) or ("photo" if message.get("photo") else None)
    return {
        "channel": channel,
        "channel_id": channel_id,
        "message_id": as_identifier(message.get("id")),
        "date_time": when.isoformat(),
        "forwarded_from": as_string(message.get("forwarded_from")),
        "media_type": media_type,
        "mime_type": as_string(message.get("mime_type")),
        "file_name": file_name,
        "file_size": as_count(message.get("file_size")) or as_count(message.get("photo_file_size")),
        "file_hash": as_string(message.get("sha256")) or as_string(message.get("file_hash")),  # when a tool added one
        "photo": photo,
        "duration_seconds": as_number(message.get("duration_seconds")),
        "width": as_count(message.get("width")),
        "height": as_count(message.get("height")),
        "reply_to": as_identifier(message.get("reply_to_message_id")),
    }


def _exported_path(value: Any) -> str | None:
    if not isinstance(value, str) or not value or value.startswith(_NOT_INCLUDED):
        return None
    return as_string(value)


def _shown(value: Any) -> str:
    """A bad value for a one-line reason: its repr, cut short."""
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:59] + "…"


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
