"""releases.v1: a channel post, feed item or PDF magazine that is a propaganda release becomes
one `propaganda` event described by `kwatch.releases` (outlet, medium, languages, title, length,
themes, release key), replacing the release events.v1 read from the same words.

It needs no earlier stage (it reads `text`, `kind` and `meta`), so it also runs alone on posts in
languages without event lexicons. Other documents pass through unchanged. A release that also
reports an attack (a claim) lists the ids of the attack events of its document in
`detail.claims`, for the linking of claims to attacks.
"""

from __future__ import annotations

import dataclasses

from kwatch.pipeline import Context, stage
from kwatch.pipeline.events import event_key
from kwatch.pipeline.model import Evidence, ExtractedEvent, PipelineDoc
from kwatch.releases import RELEASE_KINDS, Release, describe_release


def release_event(release: Release, *, stages: tuple[str, ...] = (), claims: tuple[str, ...] = ()) -> ExtractedEvent:
    """The `propaganda` event of a release (FORMAT.md fields; the rest goes to `detail`)."""
    return ExtractedEvent(
        type="propaganda",
        date=release.date,
        actor=release.actor,
        medium=release.medium,
        languages=tuple(sorted(release.languages)) or None,
        outlet=release.outlet,
        length=dict(release.length),
        evidence=tuple(Evidence(q.start, q.end, q.quote, q.fields) for q in release.evidence),
        provenance={"stages": list(stages), "inferences": list(release.reasons)},
        detail={**release.detail(), "claims": list(claims)},
    )


@stage("releases.v1", requires=(), assigns=("events",))
def releases(doc: PipelineDoc, ctx: Context) -> PipelineDoc:
    """Describe a release post (Telegram, RSS, PDF) as one propaganda event with its themes."""
    found = list(doc.events or ())
    if doc.kind not in RELEASE_KINDS:
        return dataclasses.replace(doc, events=tuple(found))
    release = describe_release(doc.text, kind=doc.kind, meta=doc.meta, title=doc.title, published=doc.published)
    if release is None:
        return dataclasses.replace(doc, events=tuple(found))
    others = tuple(e for e in found if e.type != "propaganda")
    claims = tuple(event_key(e, doc.id) for e in others if e.type == "attack")
    event = release_event(release, stages=tuple(ctx.options.get("stages", ())), claims=claims)
    return dataclasses.replace(doc, events=(*others, event))
