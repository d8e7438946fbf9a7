"""`manifest.jsonl` beside a corpus: one JSON object per line naming a document (`doc`, relative
to the folder) and its `title`, `source`, `published` and `language`.

What a manifest states wins over what a reader found; a null (or absent) field means "not
known" and leaves the reader's value alone. A bad line is a ReadProblem for that line only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kwatch.models import RawDocument, ReadProblem, date_precision

MANIFEST_NAME = "manifest.jsonl"
FIELDS = ("title", "source", "published", "language")


@dataclass(frozen=True, slots=True)
class Manifest:
    folder: Path
    entries: dict[Path, dict[str, Any]] = field(default_factory=dict)  # resolved doc path → fields
    problems: tuple[ReadProblem, ...] = ()

    def apply(self, doc: RawDocument, file: Path) -> RawDocument:
        entry = self.entries.get(file.resolve())
        if not entry:
            return doc
        return replace(doc, **{k: v for k, v in entry.items() if v is not None})


def load_manifest(path: Path, *, text: str) -> Manifest:
    """Parse a manifest already decoded to `text`."""
    entries: dict[Path, dict[str, Any]] = {}
    problems: list[ReadProblem] = []
    folder = path.parent
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}#line={number}"
        entry, reason = _parse_line(line)
        if reason:
            problems.append(ReadProblem(where, reason))
            continue
        target = (folder / entry.pop("doc")).resolve()
        if not target.is_relative_to(folder.resolve()):
            problems.append(ReadProblem(where, f"manifest names {target}, which is outside its folder"))
        elif not target.is_file():
            problems.append(ReadProblem(where, f"manifest lists {target.name}, which does not exist"))
        else:
            entries[target] = entry
    return Manifest(folder=folder, entries=entries, problems=tuple(problems))


def _parse_line(line: str) -> tuple[dict[str, Any], str | None]:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        return {}, f"malformed JSON at column {exc.colno}: {exc.msg}"
    if not isinstance(raw, dict):
        return {}, f"manifest line is a JSON {type(raw).__name__}, not an object"
    doc = raw.get("doc")
    if not isinstance(doc, str) or not doc.strip():
        return {}, 'manifest line has no "doc" file name'
    entry: dict[str, Any] = {"doc": doc}
    for name in FIELDS:
        value = raw.get(name)
        if value is not None and not isinstance(value, str):
            return {}, f"manifest field {name!r} must be a string or null, not {type(value).__name__}"
        entry[name] = (value.strip() or None) if isinstance(value, str) else None
    try:
        date_precision(entry["published"])
    except ValueError:
        return {}, f"manifest field 'published' is {entry['published']!r}, expected YYYY, YYYY-MM or YYYY-MM-DD"
    return entry, None
