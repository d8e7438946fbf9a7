"""releases.v2: a channel post, feed item or PDF magazine that is a propaganda release becomes
one `propaganda` event (outlet, medium, languages, title, length, themes, release key),
replacing the release events.v3 read from the same words.

    release = describe_release(text, kind="telegram", meta=doc.meta, published="2024-03-05")
    release.outlet, release.medium, release.languages, release.themes, release.key

A post is a release when it carries media (video, audio, image, a document) or announces one in
words (a statement; "new video", "issue 12") and either can be attributed to an outlet (through
the post it was forwarded from, a signature line, a publication title in the text, or the
channel's own name; the alias table is `lexicons/outlets.yaml`) or is a media post on the channel
that is not chatter: a file with no caption, or one whose caption reads like a release (a release
word, a statement, a theme, a language named). Such a release has outlet None and is attributed to
its channel (`detail.channel`, and a reason in the provenance). Anything else is chatter. Media are
never read: only the metadata the export lists (file name, size, MIME type, duration).

Reposts of one release share a key. Which keys a post has is defined once, in
`kwatch.releases.release_keys`: an exported file hash, the file (name and size) or photo (size
and dimensions), for a post without a file its outlet and normalised caption (hashtags, links,
@names, signature lines, punctuation and case removed; at least four words), the message a forward
came from (when the reader knows it), the message itself. `Release.keys` lists them all (the
record's `detail.release_keys`; `Release.key`, the first, is `detail.release_key`), and sightings
that share any one of them are one release (`kwatch.releases.release_groups`).

The vocabulary is data: `lexicons/releases/<lang>.yaml` (medium, release words, length, language
names), `lexicons/releases/files.yaml` (attachment → medium), `lexicons/themes/<lang>.yaml` and
`lexicons/outlets.yaml`, with the user's lexicon folders merged over them (the context's
`lexicon.SearchPath`). Every language's vocabulary is matched on every caption, since captions mix
languages. An outlet attributed through an alias or outlet that a user file added says so in the
provenance (`outlet X: alias 'Y' from user lexicon /path/outlets.yaml`).

It needs no earlier stage (it reads `text`, `kind` and `meta`), so it also runs alone on posts in
languages without event lexicons. Other documents pass through unchanged. A release that also
reports an attack (a claim) lists the ids of the attack events of its document in
`detail.claims`, for the linking of claims to attacks.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kwatch import langid, lexicon
from kwatch.lexicon import BUILTIN, SearchPath
from kwatch.pipeline import Context, stage
from kwatch.pipeline.actors import phrase_regex
from kwatch.pipeline.attribution import of_release
from kwatch.pipeline.events import event_key
from kwatch.pipeline.model import Evidence, ExtractedEvent, PipelineDoc
from kwatch.releases import MAX_QUOTE, RELEASE_KINDS, Sighting, release_keys

#: A caption line of at most this many words that names an outlet is a signature line.
SIGNATURE_WORDS = 6
#: A PDF is a magazine issue when an outlet or publication is named this close to its start.
MASTHEAD_CHARS = 300

_BEFORE = r"(?<!\w)"
_AFTER = r"(?!\w)"
_NOISE = re.compile(r"https?://\S+|www\.\S+|[#@]\w+")
_WORD = re.compile(r"\w+")
_SEPARATORS = re.compile(r"[\s\-‐–—]+")


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
    outlet: str | None  # None: no outlet attributed, the release is the channel's
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
class Vocabulary:
    media: tuple[tuple[str, re.Pattern[str]], ...]
    release: re.Pattern[str]
    lengths: tuple[tuple[str, re.Pattern[str]], ...]
    mentions: tuple[tuple[str, re.Pattern[str]], ...]  # (ISO 639-1, "in Tajik" pattern)
    themes: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...]
    outlets: re.Pattern[str]
    outlet_names: Mapping[str, str]  # casefolded alias -> canonical outlet
    outlet_actors: Mapping[str, str]
    outlet_origins: Mapping[str, str]  # casefolded alias -> the user file that added it
    actor_origins: Mapping[str, str]  # outlet -> the user file that set its actor
    squashed: Mapping[str, str]  # alias with separators folded -> casefolded alias
    media_types: Mapping[str, Mapping[str, Any]]
    mime_types: Mapping[str, Mapping[str, Any]]
    priority: tuple[str, ...]


def _any(patterns: Iterable[str]) -> re.Pattern[str]:
    parts = sorted(patterns, key=len, reverse=True)
    return re.compile(f"{_BEFORE}(?:{'|'.join(parts)}){_AFTER}", re.IGNORECASE)


def _squash(alias: str) -> str:
    return _SEPARATORS.sub(" ", alias)


@lru_cache(maxsize=8)
def vocabulary(lexicons: SearchPath = BUILTIN) -> Vocabulary:
    """Every language's release and theme lexicons and the outlet table (with the user's files of
    `lexicons` merged in), compiled once per search path."""
    media: dict[str, list[str]] = defaultdict(list)
    release: list[str] = []
    lengths: dict[str, list[str]] = defaultdict(list)
    mentions: list[tuple[str, re.Pattern[str]]] = []
    for language in lexicon.folder_names("releases"):
        if language == "files":
            continue
        table = lexicon.load_file(f"releases/{language}.yaml", lexicons).data
        for medium, patterns in table["media"].items():
            media[medium].extend(patterns)
        release.extend(table["release"])
        for unit, patterns in table["length"].items():
            lengths[unit].extend(patterns)
        for code, spellings in table["languages"]["names"].items():
            alternation = "|".join(sorted((re.escape(str(n)) for n in spellings), key=len, reverse=True))
            for context in table["languages"]["contexts"]:
                mentions.append((code, _any([context.replace("LANG", f"(?:{alternation})")])))
    themes: list[tuple[str, re.Pattern[str], re.Pattern[str] | None]] = []
    for language in lexicon.folder_names("themes"):
        for theme, entry in lexicon.load_file(f"themes/{language}.yaml", lexicons).data["themes"].items():
            themes.append((theme, _any(entry["patterns"]), _any(entry["with"]) if entry.get("with") else None))
    table = lexicon.load_file("outlets.yaml", lexicons)
    outlets = table.data["outlets"]
    names: dict[str, str] = {}
    origins: dict[str, str] = {}
    for name, entry in outlets.items():
        for alias in [name, *entry["aliases"]]:
            key = str(alias).casefold()
            names[key] = name  # an alias two outlets share belongs to the later one
            origin = table.origin("outlets", name, "aliases", alias) if alias != name else table.origin("outlets", name)
            if origin is not None:
                origins[key] = origin
            else:
                origins.pop(key, None)
    actor_origins = {name: found for name in outlets if (found := table.origin("outlets", name, "actor")) is not None}
    files = lexicon.load_file("releases/files.yaml", lexicons).data
    return Vocabulary(
        media=tuple((medium, _any(patterns)) for medium, patterns in media.items()),
        release=_any(release),
        lengths=tuple((unit, re.compile(f"{_BEFORE}(?:{'|'.join(p)}){_AFTER}", re.IGNORECASE)) for unit, p in lengths.items()),
        mentions=tuple(mentions),
        themes=tuple(themes),
        outlets=_any(phrase_regex(alias) for alias in names),
        outlet_names=names,
        outlet_actors={name: entry["actor"] for name, entry in outlets.items()},
        outlet_origins=origins,
        actor_origins=actor_origins,
        squashed={_squash(alias): alias for alias in reversed(list(names))},
        media_types=files["media_types"],
        mime_types=files["mime_types"],
        priority=tuple(files["priority"]),
    )


@dataclass(frozen=True, slots=True)
class _Found:
    outlet: str
    start: int
    end: int
    alias: str  # the casefolded alias that matched


def _find(text: Any, v: Vocabulary) -> _Found | None:
    if not text or not isinstance(text, str):
        return None
    for match in v.outlets.finditer(text):
        key = _alias_key(match.group(0), v)
        name = v.outlet_names.get(key)
        if name is not None:
            return _Found(name, match.start(), match.end(), key)
    return None


def find_outlet(text: str | None, *, lexicons: SearchPath = BUILTIN) -> tuple[str, int, int] | None:
    """The first outlet named in `text`: (canonical name, start, end). Reader metadata that is
    not text (a `forwarded_from` object or list) names none."""
    found = _find(text, vocabulary(lexicons))
    return None if found is None else (found.outlet, found.start, found.end)


def _alias_key(found: str, v: Vocabulary) -> str:
    # Matches may differ from the alias in separators ("Al Azaim" for "Al-Azaim").
    key = found.casefold()
    if key in v.outlet_names:
        return key
    return v.squashed.get(_squash(key), key)


def _outlet_reasons(found: _Found, how: str, v: Vocabulary) -> list[str]:
    reasons = [f"outlet {found.outlet}: {how}"]
    origin = v.outlet_origins.get(found.alias)
    if origin is not None:
        reasons.append(f"outlet {found.outlet}: alias {found.alias!r} from user lexicon {origin}")
    actor = v.actor_origins.get(found.outlet)
    if actor is not None:
        reasons.append(f"outlet {found.outlet}: actor {v.outlet_actors.get(found.outlet)} from user lexicon {actor}")
    return reasons


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


def _is_signature(line: _Line, v: Vocabulary) -> bool:
    words = _WORD.findall(_NOISE.sub(" ", line.text))
    return 0 < len(words) <= SIGNATURE_WORDS and _find(line.text, v) is not None


@dataclass(frozen=True, slots=True)
class _Attachment:
    medium: str
    may_be: tuple[str, ...]
    file: Mapping[str, Any]
    facts: Mapping[str, Any]  # what identifies the file (`kwatch.releases.Sighting` fields)


def _attachment(kind: str, meta: Mapping[str, Any], v: Vocabulary) -> _Attachment | None:
    if kind == "pdf":
        pdf = v.mime_types["application/pdf"]
        return _Attachment(pdf["medium"], tuple(pdf["may_be"]), {"mime": "application/pdf", "pages": meta.get("pages")}, {})
    if kind != "telegram":
        return None
    media_type = meta.get("media_type")
    mime = str(meta.get("mime_type") or "")
    entry: Mapping[str, Any] | None = v.media_types.get(str(media_type)) if media_type else None
    if entry is None and mime and not media_type:
        entry = next((e for prefix, e in v.mime_types.items() if mime.startswith(prefix)), None)
    if entry is None:
        return None  # no media, or media that is no release (a sticker, a location)
    name, size = meta.get("file_name"), meta.get("file_size")
    facts = {
        "file_hash": meta.get("file_hash") or meta.get("sha256"), "file_name": name, "file_size": size,
        "width": meta.get("width"), "height": meta.get("height"), "media_type": media_type,
    }
    return _Attachment(entry["medium"], tuple(entry["may_be"]), {"name": name, "size": size, "mime": mime or None}, facts)


def normalised_caption(text: str, *, drop: Sequence[str] = ()) -> str:
    """The words of a caption that survive reposting: links, hashtags, @names and the given
    lines (signatures) removed; case, width and digit shapes folded."""
    kept = [line for line in text.splitlines() if line.strip() and line.strip() not in drop]
    words = _WORD.findall(unicodedata.normalize("NFKC", _NOISE.sub(" ", "\n".join(kept))).casefold())
    return " ".join(str(int(w)) if w.isdecimal() else w for w in words)


def _attribute(
    text: str, *, kind: str, title: str | None, forwarded: Any, channel: Any, signatures: Sequence[_Line], lines: Sequence[_Line],
    v: Vocabulary, evidence: dict[tuple[int, int], set[str]],
) -> tuple[str | None, list[str]]:
    """The outlet, in this order: the original a forward came from, a signature line, a
    publication or outlet named in the text (for a PDF: in its masthead), the channel's own name."""
    found = _find(forwarded, v)
    if found:
        return found.outlet, _outlet_reasons(found, f"forwarded from {forwarded!r}", v)
    for line in signatures:
        found = _find(line.text, v)
        if found:
            evidence[_window(line, line.start, line.end)].add("outlet")
            return found.outlet, _outlet_reasons(found, "signature line", v)
    in_title = _find(title, v)
    found = in_title or _find(text[:MASTHEAD_CHARS] if kind == "pdf" else text, v)
    if found:
        if not in_title:
            line = next(line for line in lines if line.start <= found.start < line.end)
            evidence[_window(line, found.start, found.end)].add("outlet")
        return found.outlet, _outlet_reasons(found, f"named in the {'title' if in_title else 'text'}", v)
    found = _find(channel, v) if kind != "pdf" else None
    if found:
        return found.outlet, _outlet_reasons(found, f"the channel {channel!r}", v)
    return None, []


def describe_release(
    text: str,
    *,
    kind: str,
    meta: Mapping[str, Any] | None = None,
    title: str | None = None,
    published: str | None = None,
    source: str | None = None,
    lexicons: SearchPath = BUILTIN,
) -> Release | None:
    """The release a document is, or None when it is no release (chatter, a report, a text post
    or PDF that no outlet can be attributed to). `meta` is the document's reader metadata
    (Telegram: channel, message_id, forwarded_from, media_type, file_name, file_size,
    duration_seconds; PDF: pages; RSS: feed); `source` the channel or feed name when meta has
    none; `lexicons` the user lexicon folders in use."""
    if kind not in RELEASE_KINDS:
        return None
    meta = meta or {}
    v = vocabulary(lexicons)
    lines = _lines(text)
    signatures = [line for line in lines if _is_signature(line, v)]
    body = [line for line in lines if line not in signatures]
    channel = meta.get("channel") or meta.get("feed") or source
    forwarded = meta.get("forwarded_from")
    attachment = _attachment(kind, meta, v)
    evidence: dict[tuple[int, int], set[str]] = defaultdict(set)

    outlet, reasons = _attribute(text, kind=kind, title=title, forwarded=forwarded, channel=channel, signatures=signatures,
                                 lines=lines, v=v, evidence=evidence)
    if outlet is None and (kind != "telegram" or attachment is None):
        return None  # a text post, feed item or PDF is a release only when an outlet is named

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

    body_text = "\n".join(line.text for line in body)
    languages = langid.detect_paragraphs(body_text)
    mentioned = False
    for line in body:
        for code, pattern in v.mentions:
            mention = pattern.search(line.text)
            if mention:
                mentioned = True
                evidence[_window(line, line.start + mention.start(), line.start + mention.end())].add("languages")
                if code not in languages:
                    languages.append(code)
                    reasons.append(f"language {code}: named in the text")
    if body:
        evidence[_window(body[0], body[0].start, body[0].start)].add("title")

    themes = _themes(text, body, v, evidence)
    if outlet is None:
        # A media post no outlet is named in: the channel's release, unless its caption is the
        # channel's own talk (words that neither announce a release nor carry a theme).
        statement = any(m == "statement" for m, _ in named_media)
        if body and not (announced or statement or themes or mentioned):
            return None
        why = "a file without a caption" if not body else "a media post whose caption reads like a release"
        via = f" (forwarded from {forwarded!r}, which is no known outlet)" if forwarded else ""
        reasons.insert(0, f"outlet unknown: {why}, attributed to the channel {channel!r}{via}")

    length = _length(meta, body, kind, v)
    keys = release_keys(Sighting(
        channel=channel,
        post=meta.get("message_id") or meta.get("guid") or title or text[:200],
        outlet=outlet,
        caption=normalised_caption(text, drop=[s.text for s in signatures]),
        forwarded_from=forwarded,
        forwarded_post=meta.get("forwarded_message_id"),
        **(attachment.facts if attachment is not None else {}),
    ))
    quotes = tuple(Quote(start, end, text[start:end], tuple(sorted(fields))) for (start, end), fields in sorted(evidence.items()))
    return Release(
        date=published,
        outlet=outlet,
        actor=v.outlet_actors.get(outlet) if outlet is not None else None,
        medium=medium,
        languages=tuple(languages),
        title=_title(title, body, attachment, kind),
        length=length,
        themes=tuple(themes),
        key=keys[0],
        keys=keys,
        evidence=quotes,
        channel=channel,
        message_id=meta.get("message_id"),
        forwarded_from=forwarded,
        file=dict(attachment.file) if attachment is not None and kind == "telegram" else None,
        reasons=tuple(reasons),
    )


def _themes(text: str, body: Sequence[_Line], v: Vocabulary, evidence: dict[tuple[int, int], set[str]]) -> list[Theme]:
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
    return themes


def _window(line: _Line, start: int, end: int) -> tuple[int, int]:
    """Offsets (in the document) of at most MAX_QUOTE characters of `line` around the match at
    document offsets start..end."""
    if line.end - line.start <= MAX_QUOTE:
        return line.start, line.end
    middle = (start + end) // 2 - line.start
    left = max(0, min(middle - MAX_QUOTE // 2, len(line.text) - MAX_QUOTE))
    return line.start + left, line.start + left + MAX_QUOTE


def _length(meta: Mapping[str, Any], body: Sequence[_Line], kind: str, v: Vocabulary) -> dict[str, int]:
    seconds = meta.get("duration_seconds")
    if isinstance(seconds, (int, float)) and seconds > 0:
        return {"minutes": max(1, round(seconds / 60))}
    if kind == "pdf" and isinstance(meta.get("pages"), int):
        return {"pages": int(meta["pages"])}
    for unit, pattern in v.lengths:
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


# -- the stage ---------------------------------------------------------------------------------


def release_event(release: Release, *, stages: tuple[str, ...] = (), claims: tuple[str, ...] = ()) -> ExtractedEvent:
    """The `propaganda` event of a release (FORMAT.md fields; the rest goes to `detail`), put
    down to its author on the release's own word (attribution.v1 `of_release`)."""
    evidence = tuple(Evidence(q.start, q.end, q.quote, q.fields) for q in release.evidence)
    return ExtractedEvent(
        type="propaganda",
        date=release.date,
        actor=release.actor,
        medium=release.medium,
        languages=tuple(sorted(release.languages)) or None,
        outlet=release.outlet,
        attribution=of_release(actor=release.actor, outlet=release.outlet, channel=release.channel, evidence=evidence),
        length=dict(release.length),
        evidence=evidence,
        provenance={"stages": list(stages), "inferences": list(release.reasons)},
        detail={**release.detail(), "claims": list(claims)},
    )


@stage("releases.v2", requires=(), assigns=("events",))
def releases(doc: PipelineDoc, ctx: Context) -> PipelineDoc:
    """Describe a release post (Telegram, RSS, PDF) as one propaganda event with its themes."""
    found = list(doc.events or ())
    if doc.kind not in RELEASE_KINDS:
        return doc.but(events=tuple(found))
    release = describe_release(doc.text, kind=doc.kind, meta=doc.meta, title=doc.title, published=doc.published,
                               lexicons=lexicon.in_options(ctx.options))
    if release is None:
        return doc.but(events=tuple(found))
    others = tuple(e for e in found if e.type != "propaganda")
    claims = tuple(event_key(e, doc.id) for e in others if e.type == "attack")
    event = release_event(release, stages=tuple(ctx.options.get("stages", ())), claims=claims)
    return doc.but(events=(*others, event))
