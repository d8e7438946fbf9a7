"""Propaganda releases: which channel posts, feed items and PDF magazines are media releases, and
what each one is (outlet, medium, languages, title, length, themes), with the evidence for it.

    release = describe_release(text, kind="telegram", meta=doc.meta, published="2024-03-05")
    release.outlet, release.medium, release.languages, release.themes, release.key

A post is a release when it carries media (video, audio, image, a document) or announces one in
words (a statement; "new video", "issue 12") and can be attributed to an outlet: through the post
it was forwarded from, a signature line, a publication title in the text, or the channel's own
name (the alias table is `lexicons/outlets.yaml`). Anything else is chatter. Media are never read:
only the metadata the export lists (file name, size, MIME type, duration).

Reposts of one release share a key (`Release.key`, the record's `detail.release_key`); the first
identity found wins: an exported file hash, then the file (name and size) or photo (size and
dimensions), then, for a post without a file, its outlet and normalised caption (hashtags, links,
@names, signature lines, punctuation and case removed; at least four words), then the message
itself. `Release.keys` lists every
identity, so sightings that share any one of them are one release (`merge_sightings`).

The vocabulary is data: `lexicons/releases/<lang>.yaml` (medium, release words, length, language
names), `lexicons/releases/files.yaml` (attachment → medium) and `lexicons/themes/<lang>.yaml`.
Every language's vocabulary is matched on every caption, since captions mix languages.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from kwatch import langid
from kwatch.errors import Bug
from kwatch.pipeline.actors import phrase_regex

if TYPE_CHECKING:
    import pandas as pd

#: Document kinds that can be releases themselves (not reports about releases).
RELEASE_KINDS = ("telegram", "rss", "pdf")
#: Evidence quotes are at most this long (metadata and short quotes only).
MAX_QUOTE = 300
#: A caption line of at most this many words that names an outlet is a signature line.
SIGNATURE_WORDS = 6
#: A caption shorter than this (in words, once normalised) is too generic to identify a release.
MIN_CAPTION_WORDS = 4
#: A PDF is a magazine issue when an outlet or publication is named this close to its start.
MASTHEAD_CHARS = 300
#: Languages the share of output "outside Pashto and Dari" is measured against.
HOME_LANGUAGES = frozenset({"ps", "fa"})

_BEFORE = r"(?<!\w)"
_AFTER = r"(?!\w)"
_NOISE = re.compile(r"https?://\S+|www\.\S+|[#@]\w+")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Quote:
    """A verbatim span of the document text: `text[start:end] == quote`."""

    start: int
    end: int
    quote: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Theme:
    theme: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Release:
    date: str | None
    outlet: str
    actor: str | None
    medium: str
    languages: tuple[str, ...]
    title: str | None
    length: Mapping[str, int]
    themes: tuple[Theme, ...]
    key: str
    keys: tuple[str, ...]
    evidence: tuple[Quote, ...]
    channel: str | None = None
    message_id: Any = None
    forwarded_from: str | None = None
    file: Mapping[str, Any] | None = None
    reasons: tuple[str, ...] = ()  # how outlet, medium and languages were decided

    def detail(self) -> dict[str, Any]:
        """The record's `detail` (FORMAT.md has no field for these)."""
        return {
            "release_key": self.key,
            "release_keys": list(self.keys),
            "title": self.title,
            "length": dict(self.length),
            "themes": [{"theme": t.theme, "quote": t.quote, "start": t.start, "end": t.end} for t in self.themes],
            "channel": self.channel,
            "message_id": self.message_id,
            "forwarded_from": self.forwarded_from,
            "file": dict(self.file) if self.file else None,
            "release_reasons": list(self.reasons),
        }


# -- vocabulary (data) -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    media: tuple[tuple[str, re.Pattern[str]], ...]
    release: re.Pattern[str]
    lengths: tuple[tuple[str, re.Pattern[str]], ...]
    mentions: tuple[tuple[str, re.Pattern[str]], ...]  # (ISO 639-1, "in Tajik" pattern)
    themes: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...]
    outlets: re.Pattern[str]
    outlet_names: Mapping[str, str]  # casefolded alias -> canonical outlet
    outlet_actors: Mapping[str, str]
    media_types: Mapping[str, Mapping[str, Any]]
    mime_types: Mapping[str, Mapping[str, Any]]
    priority: tuple[str, ...]


def _yaml(*parts: str) -> Any:
    path = resources.files("kwatch").joinpath("lexicons", *parts)
    if not path.is_file():
        raise Bug(f"lexicon {path} is missing from the package")
    with path.open("r", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _languages(folder: str) -> list[str]:
    base = resources.files("kwatch") / "lexicons" / folder
    return sorted(p.name[: -len(".yaml")] for p in base.iterdir() if p.name.endswith(".yaml") and p.name != "files.yaml")


def _any(patterns: Iterable[str]) -> re.Pattern[str]:
    parts = sorted(patterns, key=len, reverse=True)
    return re.compile(f"{_BEFORE}(?:{'|'.join(parts)}){_AFTER}", re.IGNORECASE)


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    """Every language's release and theme lexicons, compiled once."""
    media: dict[str, list[str]] = defaultdict(list)
    release: list[str] = []
    lengths: dict[str, list[str]] = defaultdict(list)
    mentions: list[tuple[str, re.Pattern[str]]] = []
    for language in _languages("releases"):
        table = _yaml("releases", f"{language}.yaml")
        for medium, patterns in table["media"].items():
            media[medium].extend(patterns)
        release.extend(table["release"])
        for unit, patterns in table["length"].items():
            lengths[unit].extend(patterns)
        for code, names in table["languages"]["names"].items():
            alternation = "|".join(sorted((re.escape(str(n)) for n in names), key=len, reverse=True))
            for context in table["languages"]["contexts"]:
                mentions.append((code, _any([context.replace("LANG", f"(?:{alternation})")])))
    themes: list[tuple[str, re.Pattern[str], re.Pattern[str] | None]] = []
    for language in _languages("themes"):
        for theme, entry in _yaml("themes", f"{language}.yaml")["themes"].items():
            themes.append((theme, _any(entry["patterns"]), _any(entry["with"]) if entry.get("with") else None))
    outlets = _yaml("outlets.yaml")["outlets"]
    names = {str(alias).casefold(): name for name, entry in outlets.items() for alias in [name, *entry["aliases"]]}
    files = _yaml("releases", "files.yaml")
    return _Vocabulary(
        media=tuple((medium, _any(patterns)) for medium, patterns in media.items()),
        release=_any(release),
        lengths=tuple((unit, re.compile(f"{_BEFORE}(?:{'|'.join(p)}){_AFTER}", re.IGNORECASE)) for unit, p in lengths.items()),
        mentions=tuple(mentions),
        themes=tuple(themes),
        outlets=_any(phrase_regex(alias) for alias in names),
        outlet_names=names,
        outlet_actors={name: entry["actor"] for name, entry in outlets.items()},
        media_types=files["media_types"],
        mime_types=files["mime_types"],
        priority=tuple(files["priority"]),
    )


def find_outlet(text: str | None) -> tuple[str, int, int] | None:
    """The first outlet named in `text`: (canonical name, start, end). Reader metadata that is
    not text (a `forwarded_from` object or list) names none."""
    if not text or not isinstance(text, str):
        return None
    v = vocabulary()
    for match in v.outlets.finditer(text):
        name = v.outlet_names.get(_alias_key(match.group(0)))
        if name is not None:
            return name, match.start(), match.end()
    return None


def _alias_key(found: str) -> str:
    # Matches may differ from the alias in separators ("Al Azaim" for "Al-Azaim").
    key = found.casefold()
    names = vocabulary().outlet_names
    if key in names:
        return key
    squashed = re.sub(r"[\s\-‐–—]+", " ", key)
    for alias in names:
        if re.sub(r"[\s\-‐–—]+", " ", alias) == squashed:
            return alias
    return key


# -- reading one document ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[_Line]:
    lines, offset = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            start = offset + body.index(stripped)
            lines.append(_Line(start, start + len(stripped), stripped))
        offset += len(raw)
    return lines


def _is_signature(line: _Line) -> bool:
    words = _WORD.findall(_NOISE.sub(" ", line.text))
    return 0 < len(words) <= SIGNATURE_WORDS and find_outlet(line.text) is not None


@dataclass(frozen=True, slots=True)
class _Attachment:
    medium: str
    may_be: tuple[str, ...]
    identity: str | None  # 'file:…' / 'photo:…' / 'hash:…'
    file: Mapping[str, Any]


def _attachment(kind: str, meta: Mapping[str, Any]) -> _Attachment | None:
    v = vocabulary()
    if kind == "pdf":
        entry = v.mime_types["application/pdf"]
        return _Attachment(entry["medium"], tuple(entry["may_be"]), None, {"mime": "application/pdf", "pages": meta.get("pages")})
    if kind != "telegram":
        return None
    media_type = meta.get("media_type")
    mime = str(meta.get("mime_type") or "")
    entry = v.media_types.get(str(media_type)) if media_type else None
    if entry is None and mime and not media_type:
        entry = next((e for prefix, e in v.mime_types.items() if mime.startswith(prefix)), None)
    if entry is None:
        return None  # no media, or media that is no release (a sticker, a location)
    name, size = meta.get("file_name"), meta.get("file_size")
    file = {"name": name, "size": size, "mime": mime or None}
    digest = meta.get("sha256") or meta.get("file_hash")
    if digest:
        identity = f"hash:{digest}"
    elif name and size:
        identity = f"file:{_sha(f'{str(name).casefold()}|{size}')}"
    elif size:
        shape = f"{size}|{meta.get('width')}x{meta.get('height')}|{media_type}"
        identity = f"{'photo' if media_type == 'photo' else 'file'}:{_sha(shape)}"
    else:
        identity = None
    return _Attachment(entry["medium"], tuple(entry["may_be"]), identity, file)


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:24]  # a lone surrogate hashes too


def normalised_caption(text: str, *, drop: Sequence[str] = ()) -> str:
    """The words of a caption that survive reposting: links, hashtags, @names and the given
    lines (signatures) removed; case, width and digit shapes folded."""
    kept = [line for line in text.splitlines() if line.strip() and line.strip() not in drop]
    words = _WORD.findall(unicodedata.normalize("NFKC", _NOISE.sub(" ", "\n".join(kept))).casefold())
    return " ".join(str(int(w)) if w.isdecimal() else w for w in words)


def describe_release(
    text: str,
    *,
    kind: str,
    meta: Mapping[str, Any] | None = None,
    title: str | None = None,
    published: str | None = None,
    source: str | None = None,
) -> Release | None:
    """The release a document is, or None when it is no release (chatter, a report, a post that
    no outlet can be attributed to). `meta` is the document's reader metadata (Telegram: channel,
    message_id, forwarded_from, media_type, file_name, file_size, duration_seconds; PDF: pages;
    RSS: feed); `source` the channel or feed name when meta has none."""
    if kind not in RELEASE_KINDS:
        return None
    meta = meta or {}
    v = vocabulary()
    lines = _lines(text)
    signatures = [line for line in lines if _is_signature(line)]
    body = [line for line in lines if line not in signatures]
    channel = meta.get("channel") or meta.get("feed") or source
    attachment = _attachment(kind, meta)
    reasons: list[str] = []
    evidence: dict[tuple[int, int], set[str]] = defaultdict(set)

    # Outlet: the original a forward came from, a signature line, a publication or outlet named
    # in the text (for a PDF: in its masthead), the channel's own name.
    outlet = None
    forwarded = meta.get("forwarded_from")
    found = find_outlet(forwarded)
    if found:
        outlet = found[0]
        reasons.append(f"outlet {outlet}: forwarded from {forwarded!r}")
    for line in signatures if outlet is None else ():
        found = find_outlet(line.text)
        if found:
            outlet = found[0]
            reasons.append(f"outlet {outlet}: signature line")
            evidence[_window(line, line.start, line.end)].add("outlet")
            break
    if outlet is None:
        window = text[:MASTHEAD_CHARS] if kind == "pdf" else text
        found = find_outlet(title) or find_outlet(window)
        if found:
            outlet = found[0]
            reasons.append(f"outlet {outlet}: named in the {'title' if find_outlet(title) else 'text'}")
            if not find_outlet(title):
                line = next(line for line in lines if line.start <= found[1] < line.end)
                evidence[_window(line, found[1], found[2])].add("outlet")
    if outlet is None and kind != "pdf":
        found = find_outlet(channel)
        if found:
            outlet = found[0]
            reasons.append(f"outlet {outlet}: the channel {channel!r}")
    if outlet is None:
        return None

    body_text = "\n".join(line.text for line in body)
    named_media = [(medium, line) for line in body for medium, pattern in v.media if pattern.search(line.text)]
    announced = any(v.release.search(line.text) for line in body)
    if attachment is not None:
        choices = [m for m, _ in named_media if m in attachment.may_be]
        medium = min(choices, key=v.priority.index) if choices else attachment.medium
        reasons.append(f"medium {medium}: " + ("the caption names it" if choices else f"the attached {attachment.file.get('mime') or meta.get('media_type')}"))
    elif kind == "pdf":
        return None
    else:
        statement = any(m == "statement" for m, _ in named_media)
        if not (statement or (named_media and announced) or signatures):
            return None  # words about media without an announcement: chatter
        media = [m for m, _ in named_media]
        medium = min(media, key=v.priority.index) if media else "post"
        reasons.append(f"medium {medium}: " + ("the text names it" if media else "a signed text post"))
    for m, line in named_media:
        if m == medium:
            evidence[_window(line, line.start, line.start)].add("medium")
            break
    if kind == "pdf" and not meta.get("pages"):
        return None

    languages = langid.detect_paragraphs(body_text)
    for line in body:
        for code, pattern in v.mentions:
            mention = pattern.search(line.text)
            if mention:
                evidence[_window(line, line.start + mention.start(), line.start + mention.end())].add("languages")
                if code not in languages:
                    languages.append(code)
                    reasons.append(f"language {code}: named in the text")
    if body:
        evidence[_window(body[0], body[0].start, body[0].start)].add("title")

    themes: list[Theme] = []
    for theme, pattern, companion in v.themes:
        if any(t.theme == theme for t in themes):
            continue
        for line in body:
            match = pattern.search(line.text)
            if match and (companion is None or companion.search(line.text)):
                start, end = _window(line, line.start + match.start(), line.start + match.end())
                themes.append(Theme(theme, text[start:end], start, end))
                evidence[(start, end)].add("themes")
                break

    length = _length(meta, body, kind)
    caption = normalised_caption(text, drop=[s.text for s in signatures])
    keys = [attachment.identity] if attachment is not None and attachment.identity else []
    if not keys and len(caption.split()) >= MIN_CAPTION_WORDS:
        # Only a post without a file is known by its words: two files may share one caption.
        keys.append(f"caption:{_sha(f'{outlet}|{caption}')}")
    post = f"{channel}|{meta.get('message_id') or meta.get('guid') or title or text[:200]}"
    keys.append(f"message:{_sha(post)}")
    quotes = tuple(Quote(start, end, text[start:end], tuple(sorted(fields))) for (start, end), fields in sorted(evidence.items()))
    return Release(
        date=published,
        outlet=outlet,
        actor=v.outlet_actors.get(outlet),
        medium=medium,
        languages=tuple(languages),
        title=_title(title, body, attachment, kind),
        length=length,
        themes=tuple(themes),
        key=keys[0],
        keys=tuple(dict.fromkeys(keys)),
        evidence=quotes,
        channel=channel,
        message_id=meta.get("message_id"),
        forwarded_from=forwarded,
        file=dict(attachment.file) if attachment is not None and kind == "telegram" else None,
        reasons=tuple(reasons),
    )


def _window(line: _Line, start: int, end: int) -> tuple[int, int]:
    """Offsets (in the document) of at most MAX_QUOTE characters of `line` around the match at
    document offsets start..end."""
    if line.end - line.start <= MAX_QUOTE:
        return line.start, line.end
    middle = (start + end) // 2 - line.start
    left = max(0, min(middle - MAX_QUOTE // 2, len(line.text) - MAX_QUOTE))
    return line.start + left, line.start + left + MAX_QUOTE


def _length(meta: Mapping[str, Any], body: Sequence[_Line], kind: str) -> dict[str, int]:
    seconds = meta.get("duration_seconds")
    if isinstance(seconds, (int, float)) and seconds > 0:
        return {"minutes": max(1, round(seconds / 60))}
    if kind == "pdf" and isinstance(meta.get("pages"), int):
        return {"pages": int(meta["pages"])}
    for unit, pattern in vocabulary().lengths:
        for line in body:
            match = pattern.search(line.text)
            if match:
                return {unit: int(next(g for g in match.groups() if g is not None))}
    return {}


def _title(title: str | None, body: Sequence[_Line], attachment: _Attachment | None, kind: str) -> str | None:
    if title and kind != "telegram":
        return title[:MAX_QUOTE]
    if body:
        return _NOISE.sub("", body[0].text).strip()[:MAX_QUOTE] or None
    if attachment is not None and attachment.file.get("name"):
        return str(attachment.file["name"])
    return None


# -- several sightings, one release ------------------------------------------------------------


def merge_sightings(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Propaganda records (FORMAT.md shape, `detail.release_keys`) grouped into releases: records
    sharing any release key are one release. Each release is its earliest sighting, with the
    union of languages and themes, `detail.sightings` (channel, message, date, record id) and
    `detail.release_key` the smallest key of the group. Idempotent; other records pass through."""
    from kwatch.resolve import release_groups, release_keys

    releases = [dict(r) for r in records if r.get("type") == "propaganda"]
    others = [dict(r) for r in records if r.get("type") != "propaganda"]
    groups = release_groups([release_keys(r.get("detail") or {}) for r in releases])
    merged = [_merge([releases[i] for i in group]) for group in groups]
    return merged + others


def _merge(group: list[dict[str, Any]]) -> dict[str, Any]:
    group = sorted(group, key=lambda r: (r.get("date") or "9999", str(r.get("id"))))
    first = dict(group[0])
    detail = dict(first.get("detail") or {})
    sightings: list[Mapping[str, Any]] = []
    for record in group:
        d = record.get("detail") or {}
        sightings.extend(d.get("sightings") or [{"id": record.get("id"), "channel": d.get("channel"), "message_id": d.get("message_id"), "date": record.get("date")}])
    keys = sorted({k for r in group for k in (r.get("detail") or {}).get("release_keys") or []})
    languages = sorted({code for r in group for code in r.get("languages") or []})
    themes: dict[str, Any] = {}
    for record in group:
        for theme in (record.get("detail") or {}).get("themes") or []:
            themes.setdefault(theme["theme"], theme)
    detail.update(
        sightings=sorted({(s.get("channel"), str(s.get("message_id")), s.get("date"), s.get("id")): s for s in sightings}.values(), key=lambda s: (s.get("date") or "", str(s.get("id")))),
        release_keys=keys,
        release_key=min((k for k in keys if not k.startswith("message:")), default=detail.get("release_key")),
        themes=list(themes.values()),
    )
    first.update(languages=languages or None, detail=detail, sources=[s for r in group for s in r.get("sources") or []])
    for name in ("outlet", "medium", "actor"):
        if first.get(name) is None:
            first[name] = next((r[name] for r in group if r.get(name)), None)
    return first


# -- analytics ---------------------------------------------------------------------------------

BREAKDOWNS = ("language", "outlet", "medium", "theme")


def propaganda_rows(records: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Releases per month by language, outlet, medium and theme, and the share of output outside
    Pashto and Dari, as plain rows (JSON-able). `records` are resolved events (one per release:
    what `Kwatch.stats` gives) or per-post records, whose reposts are merged first by the rule of
    resolution (`merge_sightings`), so amplification does not inflate the counts. A release in two languages counts once under each;
    one without a known value counts under 'unknown'. `outside_ps_fa` counts language outputs
    (release × language): the share is outputs in other languages / outputs with a known language."""
    releases = [r for r in merge_sightings(records) if r.get("type") == "propaganda"]
    counts: dict[str, dict[tuple[str, str], int]] = {name: defaultdict(int) for name in BREAKDOWNS}
    share: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for release in releases:
        month = (release.get("date") or "unknown")[:7]
        detail = release.get("detail") or {}
        values = {
            "language": release.get("languages") or ["unknown"],
            "outlet": [release.get("outlet") or "unknown"],
            "medium": [release.get("medium") or "unknown"],
            "theme": sorted({t["theme"] for t in detail.get("themes") or []}) or ["none"],
        }
        for name in BREAKDOWNS:
            for value in values[name]:
                counts[name][(month, value)] += 1
        for code in release.get("languages") or []:
            share[month][0] += code not in HOME_LANGUAGES
            share[month][1] += 1
    rows: dict[str, list[dict[str, Any]]] = {
        f"propaganda_by_{name}": [{"month": m, name: value, "releases": n} for (m, value), n in sorted(table.items())]
        for name, table in counts.items()
    }
    rows["propaganda_outside_ps_fa"] = [
        {"month": m, "outputs": total, "outside_ps_fa": outside, "share": round(outside / total, 4) if total else None}
        for m, (outside, total) in sorted(share.items())
    ]
    return rows


def propaganda_breakdowns(records: Iterable[Mapping[str, Any]]) -> dict[str, pd.DataFrame]:
    """`propaganda_rows` as pandas DataFrames (long format: month, value, releases)."""
    import pandas as pd

    columns = {f"propaganda_by_{n}": ["month", n, "releases"] for n in BREAKDOWNS}
    columns["propaganda_outside_ps_fa"] = ["month", "outputs", "outside_ps_fa", "share"]
    return {name: pd.DataFrame(rows, columns=columns[name]) for name, rows in propaganda_rows(records).items()}
