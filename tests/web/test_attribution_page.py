"""The event page's attribution section (issue 13) shows the quote as text, never as markup."""

from __future__ import annotations

from typing import Any

from kwatch.api import Kwatch


def test_issue_13_the_attribution_quote_is_escaped(client: Any, kw: Kwatch) -> None:
    [event] = [e for e in kw.reviewed_records() if any("__xss" in s["quote"] for s in e["sources"])]
    assert event["attribution"]["basis"] == "claimed" and "<script>" in event["attribution"]["quote"]
    page = client.get(f"/events/{event['id']}").text
    section = page[page.index('id="attribution"') : page.index('id="sources"')]
    assert "the group claimed it" in section and "&lt;script&gt;window.__xss=1&lt;/script&gt;" in section
    assert "<script>window.__xss" not in page
