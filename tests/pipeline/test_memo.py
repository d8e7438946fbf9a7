"""Per-document memos (kwatch.pipeline.memo): repeated questions about one sentence are answered
once, every memo starts empty with each document, and what a document yields does not depend on
the documents extracted before it."""

from __future__ import annotations

from kwatch import lexicon
from kwatch.extract import extract
from kwatch.pipeline import casualties, memo
from kwatch.pipeline.actors import matcher
from kwatch.pipeline.model import PipelineDoc

FIRST = "A suicide bomber killed 12 worshippers at a mosque in Kunduz on Friday. Islamic State claimed the attack."
SECOND = "Taliban forces killed 3 Daesh members in a raid in Nangarhar on Monday, officials said."


def _events(text: str, pipeline, ctx) -> list[dict]:
    doc = extract(PipelineDoc(id="m", text=text, published="2024-05-08", language="en"), pipeline=pipeline, ctx=ctx)
    return [{k: v for k, v in vars(e).items() if k != "provenance"} if hasattr(e, "__dict__") else repr(e) for e in doc.events or ()]


def test_a_document_yields_the_same_whatever_came_before(pipeline, ctx) -> None:
    alone = _events(FIRST, pipeline, ctx)
    _events(SECOND, pipeline, ctx)
    assert _events(FIRST, pipeline, ctx) == alone
    memo.new_document()
    assert _events(SECOND, pipeline, ctx) == _events(SECOND, pipeline, ctx)


def test_every_memo_starts_empty_with_a_document(pipeline, ctx) -> None:
    extract(PipelineDoc(id="m", text=SECOND, published="2024-05-08", language="en"), pipeline=pipeline, ctx=ctx)
    actors = matcher(lexicon.in_options(ctx.options))
    assert casualties._phrase_figures.cache_info().currsize > 0
    assert actors._memo
    memo.new_document()
    assert casualties._phrase_figures.cache_info().currsize == 0
    assert not actors._memo


def test_the_actor_matcher_answers_a_repeat_from_its_memo() -> None:
    memo.new_document()
    found = matcher().find(SECOND)
    assert found == matcher().find(SECOND) and found is not matcher().find(SECOND)  # a copy each time
    assert SECOND in matcher()._memo
