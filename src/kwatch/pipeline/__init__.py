"""Extraction as a chain of small stages.

Each stage is a pure function `(doc: PipelineDoc, ctx: Context) -> PipelineDoc`, registered under a
versioned name (`dates.v2`) with the `PipelineDoc` fields it requires and assigns. A `Pipeline`
refuses an order in which a stage requires a field that no earlier stage assigns. Stages never
read the clock or the network: the publication date is on the document, the gazetteer and the
lexicons are in the context.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kwatch.errors import Bug, PipelineError
from kwatch.pipeline import memo
from kwatch.pipeline.model import PipelineDoc

StageFn = Callable[[PipelineDoc, "Context"], PipelineDoc]
#: `Pipeline.run`'s early-stop hook: (the stage just run, the document) -> a skip reason or None.
AfterStage = Callable[["Stage", PipelineDoc], str | None]

#: Fields every document has before any stage runs.
BASE_FIELDS = frozenset({"id", "text", "published", "language", "title"})


@dataclass(frozen=True, slots=True)
class Context:
    """What stages may consult besides the document: injected, never global state."""

    gazetteer: Any  # kwatch.gazetteer.Gazetteer
    options: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    fn: StageFn
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    doc: str


REGISTRY: dict[str, Stage] = {}


class StageFailure(Exception):
    """A stage raised on one document: `stage` names it, `__cause__` is what it raised.

    Not a KwatchError: nothing the user can fix in a setting. Extraction of a batch catches it
    per document (`kwatch.extraction.run_extraction`), marks that document failed and goes on.
    """

    def __init__(self, stage: str, error: BaseException) -> None:
        super().__init__(f"stage {stage}: {type(error).__name__}: {error}")
        self.stage = stage
        self.error = error


def run_stage(st: Stage, doc: PipelineDoc, ctx: Context) -> PipelineDoc:
    """`st.fn(doc, ctx)`, with any exception it raises wrapped in a StageFailure naming it."""
    try:
        return st.fn(doc, ctx)
    except StageFailure:
        raise
    except Exception as err:
        raise StageFailure(st.name, err) from err


def stage(name: str, *, requires: Iterable[str] = (), assigns: Iterable[str]) -> Callable[[StageFn], StageFn]:
    """Register a stage function under a versioned name such as 'dates.v2'."""
    fields = {f.name for f in dataclasses.fields(PipelineDoc)}

    def register(fn: StageFn) -> StageFn:
        if name in REGISTRY:
            raise Bug(f"stage {name!r} registered twice")
        unknown = (set(requires) | set(assigns)) - fields
        if unknown:
            raise Bug(f"stage {name!r} names unknown PipelineDoc fields {sorted(unknown)}")
        REGISTRY[name] = Stage(name, fn, tuple(requires), tuple(assigns), (fn.__doc__ or "").strip().split("\n")[0])
        return fn

    return register


class Pipeline:
    """An ordered list of registered stages, checked once when built."""

    def __init__(self, names: Iterable[str]) -> None:
        self.stages: list[Stage] = []
        for name in names:
            if name not in REGISTRY:
                raise PipelineError(f"Unknown stage {name!r}.", hint=f"known stages: {', '.join(sorted(REGISTRY))}")
            self.stages.append(REGISTRY[name])
        available = set(BASE_FIELDS)
        for st in self.stages:
            missing = [f for f in st.requires if f not in available]
            if missing:
                raise PipelineError(
                    f"Stage {st.name!r} requires {', '.join(missing)}, which no earlier stage assigns.",
                    hint="reorder the stages",
                )
            available.update(st.assigns)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(st.name for st in self.stages)

    def run(self, doc: PipelineDoc, ctx: Context, *, after: AfterStage | None = None) -> PipelineDoc:
        """Run the stages in order until one marks the document skipped; StageFailure when one raises.

        `after(stage, doc)`, when given, is called after each stage: a reason it returns marks
        the document skipped with it, which stops the run there (extraction stops right after the
        sentences when none is readable)."""
        memo.new_document()
        for st in self.stages:
            if doc.skipped:
                break
            doc = run_stage(st, doc, ctx)
            if after is not None:
                reason = after(st, doc)
                if reason is not None:
                    return doc.but(skipped=reason)
        return doc
