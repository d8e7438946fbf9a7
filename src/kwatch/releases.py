"""Propaganda releases across documents: reposts merged into releases (`merge_sightings`) and
the monthly breakdowns (`propaganda_rows`, `propaganda_breakdowns`).

What one post is (outlet, medium, languages, title, length, themes, release key) is decided by
the `releases.v1` stage, `kwatch.pipeline.releases` (`describe_release`, `find_outlet`,
`Release` …); those names stay importable from here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from kwatch.pipeline.releases import MASTHEAD_CHARS as MASTHEAD_CHARS
    from kwatch.pipeline.releases import MIN_CAPTION_WORDS as MIN_CAPTION_WORDS
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

#: Names that moved to the releases.v1 stage, importable from here as before.
_MOVED = frozenset({
    "MASTHEAD_CHARS", "MIN_CAPTION_WORDS", "SIGNATURE_WORDS", "Quote", "Release", "Theme", "describe_release", "find_outlet",
    "normalised_caption", "vocabulary",
})


def __getattr__(name: str) -> Any:
    # Lazily: kwatch.pipeline.releases imports this module's constants.
    if name in _MOVED:
        from kwatch.pipeline import releases as stage

        return getattr(stage, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
