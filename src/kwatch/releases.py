"""Propaganda releases across documents: what one release is (`release_keys`, `release_groups`),
reposts merged into releases (`merge_sightings`) and the monthly breakdowns (`propaganda_rows`,
`propaganda_breakdowns`).

One release is defined here once, and resolution, the statistics and the exports all use it: a
sighting (a post, a forward, a repost, a mirror's copy, the same file posted again) has release
keys (`release_keys`: file hash; file name and size; outlet and normalised caption; the message
a forward came from; the message itself), and sightings sharing any key are one release,
transitively (`release_groups`). The `releases.v2` stage writes each post's keys into its record
(`detail.release_keys`), `kwatch.resolve` joins each group into one resolved event whose detail
lists the sightings (`release_detail`), and the statistics count resolved events.

What one post is (outlet, medium, languages, title, length, themes) is decided by the
`releases.v2` stage, `kwatch.pipeline.releases` (`describe_release`, `find_outlet`, `Release` …);
those names stay importable from here.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from kwatch.pipeline.releases import MASTHEAD_CHARS as MASTHEAD_CHARS
    from kwatch.pipeline.releases import SIGNATURE_WORDS as SIGNATURE_WORDS
    from kwatch.pipeline.releases import Quote as Quote
    from kwatch.pipeline.releases import Release as Release
    from kwatch.pipeline.releases import Theme as Theme
    from kwatch.pipeline.releases import describe_release as describe_release
    from kwatch.pipeline.releases import find_outlet as find_outlet
    from kwatch.pipeline.releases import normalised_caption as normalised_caption
    from kwatch.pipeline.releases import vocabulary as vocabulary

#: Document kinds that can be releases themselves (not reports about releases).
RELEASE_KINDS = ("telegram", "rss", "pdf")
#: Evidence quotes are at most this long (metadata and short quotes only).
MAX_QUOTE = 300
#: Languages the share of output "outside Pashto and Dari" is measured against.
HOME_LANGUAGES = frozenset({"ps", "fa"})
#: A caption shorter than this (in words, once normalised) is too generic to identify a release.
MIN_CAPTION_WORDS = 4

#: Names that moved to the releases.v2 stage, importable from here as before.
_MOVED = frozenset({
    "MASTHEAD_CHARS", "SIGNATURE_WORDS", "Quote", "Release", "Theme", "describe_release", "find_outlet",
    "normalised_caption", "vocabulary",
})


def __getattr__(name: str) -> Any:
    # Lazily: kwatch.pipeline.releases imports this module's constants.
    if name in _MOVED:
        from kwatch.pipeline import releases as stage

        return getattr(stage, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- what one release is -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sighting:
    """What identifies one sighting of a release (a post, forward, repost, feed item or PDF), as
    its reader gave it. File facts are only those of an attached file."""

    channel: object  # the channel, feed or source it was seen on
    post: object  # its message id (a feed item's guid; else its title or opening words)
    file_hash: str | None = None  # a hash of the file, when the export lists one
    file_name: str | None = None
    file_size: int | None = None
    width: int | None = None
    height: int | None = None
    media_type: str | None = None
    outlet: str | None = None
    caption: str = ""  # normalised (`normalised_caption`: links, hashtags, signatures removed)
    forwarded_from: object = None  # the channel a forward came from
    forwarded_post: object = None  # the original's message id, when the reader gives it


def release_keys(seen: Sighting) -> tuple[str, ...]:
    """The keys of one sighting, computed from it alone (two sightings get the same key without
    knowing about each other), the strongest first:

    - `hash:` the file's exported hash;
    - `file:` the file's name (case-folded) and size, or, for a file without a name (a photo),
      `file:`/`photo:` its size, width, height and media type;
    - `caption:` for a sighting without a file key, its outlet and normalised caption (at least
      MIN_CAPTION_WORDS words): two different files may share one caption, so a file is never
      known by its words;
    - `message:` the message a forward came from (`forwarded_from` and `forwarded_post`), the
      same key as the original's own;
    - `message:` the message itself (channel and post), so every sighting has a key.
    """
    keys: list[str] = []
    if seen.file_hash:
        keys.append(f"hash:{str(seen.file_hash).strip().casefold()}")
    if seen.file_name and seen.file_size:
        keys.append(f"file:{digest(f'{str(seen.file_name).casefold()}|{seen.file_size}')}")
    elif seen.file_size:
        shape = f"{seen.file_size}|{seen.width}x{seen.height}|{seen.media_type}"
        keys.append(f"{'photo' if seen.media_type == 'photo' else 'file'}:{digest(shape)}")
    if not keys and len(seen.caption.split()) >= MIN_CAPTION_WORDS:
        keys.append(f"caption:{digest(f'{seen.outlet}|{seen.caption}')}")
    if seen.forwarded_from and seen.forwarded_post not in (None, ""):
        keys.append(message_key(seen.forwarded_from, seen.forwarded_post))
    keys.append(message_key(seen.channel, seen.post))
    return tuple(dict.fromkeys(keys))


def message_key(channel: object, post: object) -> str:
    """The key of one message: a post's own, and a forward's of the message it came from."""
    return f"message:{digest(f'{channel}|{post}')}"


def digest(value: str) -> str:
    """The short hash release keys are made of."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:24]  # a lone surrogate hashes too


def keys_of(detail: Mapping[str, Any]) -> tuple[str, ...]:
    """The release keys a stored record holds: its `detail.release_keys`, else its one `release_key`."""
    keys = detail.get("release_keys") or ([detail["release_key"]] if detail.get("release_key") else [])
    return tuple(str(k) for k in keys)


def release_groups(keys: Sequence[Iterable[str]]) -> list[list[int]]:
    """What one release is, defined once: sightings sharing any one release key are one release
    (transitively). `keys[i]` are the keys of sighting i; returns the groups of indices, each in
    index order, ordered by their first index. Resolution joins each group into one event;
    `merge_sightings` merges per-post records the same way."""
    from kwatch.resolve.clusters import UnionFind  # kwatch.resolve imports this module

    sets: UnionFind[int] = UnionFind(range(len(keys)))
    owner: dict[str, int] = {}
    for i, held in enumerate(keys):
        for key in held:
            first = owner.setdefault(key, i)
            if first != i:
                sets.union(first, i)
    return sets.groups()


def release_detail(records: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """What the record of one release says about its sightings, from the records of the
    sightings it groups (per-post records, or releases merged before): `sightings` (id, channel,
    message_id, forwarded_from, date; by date, then id), `release_keys` (every key),
    `release_key` (the smallest key that is not a message's own, else the earliest sighting's)
    and `themes` (each theme once, with its earliest quote)."""
    group = sorted(records, key=lambda r: (r.get("date") or "9999", str(r.get("id"))))
    sightings: list[Mapping[str, Any]] = []
    for record in group:
        d = record.get("detail") or {}
        sightings.extend(d.get("sightings") or [{
            "id": record.get("id"), "channel": d.get("channel"), "message_id": d.get("message_id"),
            "forwarded_from": d.get("forwarded_from"), "date": record.get("date"),
        }])
    keys = sorted({k for r in group for k in keys_of(r.get("detail") or {})})
    themes: dict[str, Any] = {}
    for record in group:
        for theme in (record.get("detail") or {}).get("themes") or []:
            themes.setdefault(theme["theme"], theme)
    first = (group[0].get("detail") or {}) if group else {}
    unique = {(s.get("channel"), str(s.get("message_id")), s.get("date"), s.get("id")): s for s in sightings}
    return {
        "sightings": sorted(unique.values(), key=lambda s: (s.get("date") or "", str(s.get("id")))),
        "release_keys": keys,
        "release_key": min((k for k in keys if not k.startswith("message:")), default=first.get("release_key")),
        "themes": list(themes.values()),
    }


# -- several sightings, one release ------------------------------------------------------------


def merge_sightings(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Propaganda records (FORMAT.md shape, `detail.release_keys`) grouped into releases by
    `release_groups`: records sharing any release key are one release. Each release is its
    earliest sighting, with the union of languages and themes and `release_detail`'s
    `sightings`, `release_keys` and `release_key`. Resolved records (`detail.members`) pass
    through: resolution has already made them one per release, analysts' splits included.
    Idempotent; other records pass through."""
    records = list(records)
    releases = [dict(r) for r in records if r.get("type") == "propaganda" and not _resolved(r)]
    others = [dict(r) for r in records if r.get("type") != "propaganda" or _resolved(r)]
    groups = release_groups([keys_of(r.get("detail") or {}) for r in releases])
    merged = [_merge([releases[i] for i in group]) for group in groups]
    return merged + others


def _resolved(record: Mapping[str, Any]) -> bool:
    return "members" in (record.get("detail") or {})


def _merge(group: list[dict[str, Any]]) -> dict[str, Any]:
    group = sorted(group, key=lambda r: (r.get("date") or "9999", str(r.get("id"))))
    first = dict(group[0])
    detail = {**(first.get("detail") or {}), **release_detail(group)}
    languages = sorted({code for r in group for code in r.get("languages") or []})
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
    what `Kwatch.stats` gives), counted as they are, or per-post records, whose reposts are merged
    first by the one rule (`merge_sightings`), so amplification does not inflate the counts. A
    release in two languages counts once under each;
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
