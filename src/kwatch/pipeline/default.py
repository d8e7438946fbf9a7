"""The default extraction pipeline: the stage names, in order, and a builder."""

from __future__ import annotations

from collections.abc import Iterable

# Importing a stage module registers its stages.
from kwatch.pipeline import Pipeline, actors, casualties, cues, dates, events, places, reading, releases, sentences  # noqa: F401

DEFAULT_STAGES: tuple[str, ...] = (
    "sentences.v1",
    "dates.v2",
    "places.v2",
    "actors.v2",
    "casualties.v2",
    "cues.v2",
    "reading.v1",
    "events.v3",
    "releases.v2",
)


def build_pipeline(names: Iterable[str] = DEFAULT_STAGES) -> Pipeline:
    """A checked pipeline of registered stages (the default chain unless names are given)."""
    return Pipeline(names)
