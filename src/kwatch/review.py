"""Analyst review: confirm, edit a field, reject — as overrides laid over the extracted (and
resolved) events, each change written to the audit log (who, when, which field, old, new, why).

Overrides live in their own table keyed by the event's stable id, never in the events the
extractor writes, so `kwatch extract --all` replaces the events and the overrides still apply.
The functions here are pure, over typed resolved events (`kwatch.records.ResolvedEvent`): they
validate a change against the current event and return what to write (`Kwatch` writes it with
`Store.record_review` in one transaction), or lay the overrides over an event, giving a new one
(`dataclasses.replace`) whose `review` says what analysts did.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from kwatch.errors import ReviewError
from kwatch.records import ResolvedEvent, Review

#: The controlled values of FORMAT.md (../shared/eval/FORMAT.md), the record shape exports write.
VOCABULARY: dict[str, tuple[str, ...]] = {
    "type": ("attack", "plot", "arrest", "raid", "propaganda"),
    "method": ("suicide_bombing", "bombing", "shooting", "rocket", "arson", "stabbing", "other"),
    "target": ("religious", "government", "security", "civilian", "education", "foreign", "public_event", "transport", "media", "other"),
    "medium": ("video", "audio", "magazine", "image", "statement", "article", "book", "post"),
}
TEXT_FIELDS = ("admin1", "admin2", "place", "actor", "outlet")
COUNT_FIELDS = ("killed", "injured", "killed_claimed", "injured_claimed")
#: Fields an analyst may edit, in FORMAT.md order.
EDITABLE_FIELDS = (
    "type", "date", "country", "admin1", "admin2", "place", "actor", "claimed", "method", "target",
    "killed", "injured", "killed_claimed", "injured_claimed", "medium", "languages", "outlet",
)  # fmt: skip
STATUSES = ("confirmed", "rejected")
#: The override field that holds the review status (not a FORMAT field).
STATUS_FIELD = "status"
ACTIONS = ("confirm", "edit", "reject", "merge", "split")

_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_MAX_TEXT = 500
_MAX_WHY = 2000


@dataclass(frozen=True, slots=True)
class Change:
    """What one review writes: audit entries and the overrides of one event."""

    event_id: str
    entries: list[dict[str, Any]]
    overrides: dict[str, Any] = field(default_factory=dict)


def validate(name: str, value: Any) -> Any:
    """The value as stored for field `name` (normalised), or ReviewError saying what is accepted."""
    if name not in EDITABLE_FIELDS:
        raise ReviewError(f"Field {name!r} cannot be edited.", hint=f"edit one of: {', '.join(EDITABLE_FIELDS)}")
    if value is None:
        if name == "type":
            raise ReviewError("An event needs a type.", hint=f"use one of: {', '.join(VOCABULARY['type'])}")
        return [] if name == "languages" else None
    if name in VOCABULARY:
        if value not in VOCABULARY[name]:
            raise ReviewError(f"{name} {value!r} is not a known value.", hint=f"use one of: {', '.join(VOCABULARY[name])}, or null")
        return value
    if name == "date":
        if not isinstance(value, str) or not _DATE.match(value):
            raise ReviewError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD.", hint="e.g. 2024-03-22, or null when unknown")
        return value
    if name == "country":
        code = value.upper() if isinstance(value, str) else value
        if not isinstance(code, str) or not _COUNTRY.match(code):
            raise ReviewError(f"country {value!r} is not an ISO 3166-1 alpha-2 code.", hint="e.g. AF, PK, RU, or null")
        return code
    if name == "claimed":
        if not isinstance(value, bool):
            raise ReviewError(f"claimed {value!r} is not true, false or null.", hint="send a JSON boolean")
        return value
    if name in COUNT_FIELDS:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ReviewError(f"{name} {value!r} is not a count.", hint="send a whole number >= 0, or null when unknown")
        return value
    if name == "languages":
        if not isinstance(value, list) or not all(isinstance(v, str) and _LANGUAGE.match(v) for v in value):
            raise ReviewError(f"languages {value!r} is not a list of ISO 639-1 codes.", hint='e.g. ["ps", "fa"]')
        return sorted(set(value))
    if not isinstance(value, str) or not value.strip() or len(value) > _MAX_TEXT:
        raise ReviewError(f"{name} must be non-empty text of at most {_MAX_TEXT} characters, or null.")
    return value.strip()


#: What a typed value of "none" means: the field is unknown (null).
NULL_WORDS = ("null", "none", "")
_TRUE, _FALSE = ("true", "yes"), ("false", "no")


def from_text(name: str, text: str) -> Any:
    """The value typed on a command line for field `name`, as `validate` takes it: a whole number
    for the counts, true/false (yes/no) for claimed, comma-separated codes for languages, null
    (or none) for unknown, else the text itself. Then `validate` says whether it is acceptable."""
    if name not in EDITABLE_FIELDS:
        raise ReviewError(f"Field {name!r} cannot be edited.", hint=f"edit one of: {', '.join(EDITABLE_FIELDS)}")
    word = text.strip()
    if word.casefold() in NULL_WORDS:
        return None
    if name in COUNT_FIELDS:
        if not word.isdigit():
            raise ReviewError(f"{name} {text!r} is not a count.", hint="give a whole number >= 0, or null when unknown")
        return int(word)
    if name == "claimed":
        if word.casefold() not in _TRUE + _FALSE:
            raise ReviewError(f"claimed {text!r} is not true or false.", hint="give true, false or null")
        return word.casefold() in _TRUE
    if name == "languages":
        return [code.strip() for code in word.split(",") if code.strip()]
    return word


def _why(why: str | None, *, required: bool) -> str | None:
    why = (why or "").strip() or None
    if required and why is None:
        raise ReviewError("Say why.", hint="give a reason (`why`); it goes into the audit log")
    if why is not None and len(why) > _MAX_WHY:
        raise ReviewError(f"The reason is longer than {_MAX_WHY} characters.")
    return why


def edit(event: ResolvedEvent, name: str, value: Any, *, why: str | None = None) -> Change:
    """Set one field of the (reviewed) `event` to `value`."""
    new = validate(name, value)
    old = getattr(event, name)
    entry = {"action": "edit", "event_id": event.id, "field": name, "old": list(old) if isinstance(old, tuple) else old, "new": new, "why": _why(why, required=False)}
    return Change(event.id, [entry], {name: new})


def confirm(event: ResolvedEvent, *, why: str | None = None) -> Change:
    return _status(event, "confirmed", "confirm", _why(why, required=False))


def reject(event: ResolvedEvent, *, why: str | None) -> Change:
    """Mark the event as wrong (not an event, or not this group's); a reason is required."""
    return _status(event, "rejected", "reject", _why(why, required=True))


def _status(event: ResolvedEvent, status: str, action: str, why: str | None) -> Change:
    old = event.review.status if event.review else None
    entry = {"action": action, "event_id": event.id, "field": STATUS_FIELD, "old": old, "new": status, "why": why}
    return Change(event.id, [entry], {STATUS_FIELD: status})


def structural(action: str, event_ids: Iterable[str], *, detail: Mapping[str, Any], why: str | None) -> Change:
    """Audit entries for a merge or split (which the resolution layer performs): one per event touched."""
    if action not in ("merge", "split"):
        raise ReviewError(f"Unknown review action {action!r}.")
    ids = list(dict.fromkeys(event_ids))
    why = _why(why, required=False)
    entries = [{"action": action, "event_id": i, "field": None, "old": None, "new": dict(detail), "why": why} for i in ids]
    return Change(ids[0], entries)


def apply(event: ResolvedEvent, fields: Mapping[str, Any] | None) -> ResolvedEvent:
    """A new event: `event` with an analyst's overrides ({field: value}, as `Store.overrides()`
    gives them) laid over it, and its `review` (status confirmed | rejected | None, the fields
    edited)."""
    fields = fields or {}
    edited = sorted(k for k in fields if k in EDITABLE_FIELDS)
    values = {name: _typed(name, fields[name]) for name in edited}
    return replace(event, **values, review=Review(status=fields.get(STATUS_FIELD), edited=tuple(edited)))


def _typed(name: str, value: Any) -> Any:
    """An override's value (JSON: a list for languages) as the record type holds it."""
    return tuple(value) if name == "languages" and value is not None else value


def apply_all(events: Iterable[ResolvedEvent], overrides: Mapping[str, Mapping[str, Any]], *, include_rejected: bool = False) -> list[ResolvedEvent]:
    """Overrides applied to every event; rejected events dropped unless `include_rejected`."""
    out = []
    for event in events:
        reviewed = apply(event, overrides.get(event.id))
        if include_rejected or reviewed.review is None or reviewed.review.status != "rejected":
            out.append(reviewed)
    return out
