"""The PNG charts (`kwatch plot`) read as the dashboard's do: its colours, whole-number count
axes with titles, the propaganda chart from its first month with data (issue 14)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pytest

from kwatch import plots


@pytest.fixture
def drawn(kw: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """plot(kind) -> the Axes it drew (kept open by catching the figure before it closes)."""
    kept: list[Any] = []
    close = plt.close
    monkeypatch.setattr(plots.plt, "close", lambda fig: kept.append(fig))
    tables = kw.stats()

    def draw(kind: str) -> Any:
        plots.plot(kind, tables, tmp_path / f"{kind}.png")
        assert (tmp_path / f"{kind}.png").stat().st_size > 0
        return kept[-1].axes[0]

    yield draw
    for fig in kept:
        close(fig)


@pytest.mark.parametrize(("kind", "axis"), [("monthly", "y"), ("propaganda", "y"), ("casualties", "x"), ("abroad", "y"), ("provinces", "x")])
def test_count_axes_have_a_title_and_whole_ticks(drawn: Any, kind: str, axis: str) -> None:
    ax = drawn(kind)
    count_axis = ax.yaxis if axis == "y" else ax.xaxis
    assert count_axis.get_label_text()
    ticks = [t for t in count_axis.get_majorticklocs() if t >= 0]
    assert ticks and all(float(t).is_integer() for t in ticks)


def test_charts_share_the_dashboards_colours(drawn: Any) -> None:
    from matplotlib.colors import to_hex

    monthly = drawn("monthly")
    casualties = drawn("casualties")
    assert to_hex(monthly.patches[0].get_facecolor()) == plots.COLOURS[0] == to_hex(casualties.patches[0].get_facecolor())
    assert to_hex(monthly.patches[-1].get_facecolor()) == plots.COLOURS[1]


def test_propaganda_starts_at_its_first_month_and_casualties_have_no_total_bar(drawn: Any, kw: Any) -> None:
    table = kw.stats()["propaganda_by_language"]
    first = next(str(month) for month, row in table.iterrows() if row.sum())
    ax = drawn("propaganda")
    assert ax.get_xticklabels()[0].get_text() == first
    labels = [t.get_text() for t in drawn("casualties").get_yticklabels()]
    assert "total" not in labels and "security forces" in labels
