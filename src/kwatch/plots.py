"""Charts of the analyses for reports (matplotlib, Agg backend: no display needed).

`plot(kind, tables, path)` draws one of KINDS from the tables `analytics.stats()` returns and
writes a PNG.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only; must precede pyplot

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from kwatch.errors import ExportError  # noqa: E402

#: The dashboard's colour scheme (web/static/dashboard.js `COLOURS`): the group's attacks red,
#: the raids against it blue, then the rest in order.
COLOURS = ("#b5322c", "#2f6b9a", "#e0a030", "#4f8a4c", "#7b5ea7", "#3aa3a0", "#a0522d", "#7d8a93")

#: Chart kind → (the analysis it draws, its title).
KINDS: dict[str, tuple[str, str]] = {
    "monthly": ("monthly", "Attacks by ISKP and raids against it, per month"),
    "propaganda": ("propaganda_by_language", "Propaganda releases per month, by language"),
    "casualties": ("casualties", "Killed and injured, by category"),
    "abroad": ("abroad", "Attacks, plots and arrests outside Afghanistan, by country"),
    "provinces": ("by_province", "Events by province"),
}


def plot(kind: str, tables: Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Draw chart `kind` from `tables` into the PNG file `path`; return the path."""
    if kind not in KINDS:
        raise ExportError(f"Unknown chart {kind!r}.", hint=f"use one of: {', '.join(KINDS)}")
    path = Path(path)
    if path.suffix.lower() != ".png":
        raise ExportError(f"{path} is not a .png file.", hint="give an output name ending in .png")
    name, title = KINDS[kind]
    table = tables[name]
    fig, ax = plt.subplots(figsize=(10, 5), dpi=100)
    ax.set_prop_cycle(color=list(COLOURS))
    try:
        if table.empty:
            ax.text(0.5, 0.5, "no events in the selection", ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
        else:
            _DRAW[kind](ax, table)
        ax.set_title(title)
        fig.tight_layout()
        try:
            fig.savefig(path, format="png")
        except OSError as err:
            raise ExportError(f"Cannot write {path}: {err.strerror or err}.", hint="check the folder exists and is writable") from None
    finally:
        plt.close(fig)
    return path


def _monthly(ax: Axes, table: pd.DataFrame) -> None:
    x = range(len(table))
    ax.bar([i - 0.2 for i in x], table["iskp_attacks"], width=0.4, label="ISKP attacks", color=COLOURS[0])
    ax.bar([i + 0.2 for i in x], table["raids"], width=0.4, label="raids against ISKP", color=COLOURS[1])
    _month_ticks(ax, table.index)
    _counts(ax.yaxis, "events")
    ax.legend()


def _propaganda(ax: Axes, table: pd.DataFrame) -> None:
    table = _from_first_data(table)
    table = table[sorted(table.columns, key=lambda c: (-int(table[c].sum()), str(c)))]
    table = table.loc[:, table.sum() > 0]
    bottom = pd.Series(0, index=table.index)
    x = range(len(table))
    for language in table.columns:
        ax.bar(x, table[language], bottom=bottom, label=language)
        bottom = bottom + table[language]
    _month_ticks(ax, table.index)
    _counts(ax.yaxis, "releases")
    ax.legend(title="language", ncols=2)


def _casualties(ax: Axes, table: pd.DataFrame) -> None:
    parts = table.drop(index="total")
    y = range(len(parts))
    killed = ax.barh([i - 0.2 for i in y], parts["killed"], height=0.4, label="killed", color=COLOURS[0])
    injured = ax.barh([i + 0.2 for i in y], parts["injured"], height=0.4, label="injured", color=COLOURS[2])
    for bars, values in ((killed, parts["killed"]), (injured, parts["injured"])):
        ax.bar_label(bars, labels=[str(int(v)) if v else "" for v in values], padding=2)
    ax.set_yticks(list(y), [name.replace("_", " ") for name in parts.index])
    ax.invert_yaxis()
    ax.margins(x=0.12)
    total = table.loc["total"]
    _counts(ax.xaxis, f"people — in all: {total['killed']} killed and {total['injured']} injured in {total['incidents']} incidents")
    ax.legend(loc="upper center", ncols=2, bbox_to_anchor=(0.5, -0.16), frameon=False)


def _abroad(ax: Axes, table: pd.DataFrame) -> None:
    by_country = table.groupby("country")[["attack", "plot", "arrest"]].sum().sort_values("attack", ascending=False)
    by_country.plot.bar(stacked=True, ax=ax, rot=0, color=list(COLOURS[:3]))
    ax.set_xlabel("country")
    _counts(ax.yaxis, "events")


def _provinces(ax: Axes, table: pd.DataFrame) -> None:
    provinces = table.groupby(["country", "admin1"])["events"].sum().sort_values()
    ax.barh([f"{admin1} ({country})" for country, admin1 in provinces.index], provinces.values, color=COLOURS[0])
    _counts(ax.xaxis, "events")


def _counts(axis: Any, label: str) -> None:
    """A count axis: its title, whole-number ticks only."""
    axis.set_label_text(label)
    axis.set_major_locator(MaxNLocator(integer=True))


def _from_first_data(table: pd.DataFrame) -> pd.DataFrame:
    """The months from the first to the last with a value (a table runs every month)."""
    used = [i for i, total in enumerate(table.sum(axis=1)) if total]
    return table.iloc[used[0] : used[-1] + 1] if used else table


def _month_ticks(ax: Axes, months: pd.Index) -> None:
    step = max(1, len(months) // 12)
    ax.set_xticks(list(range(0, len(months), step)), [months[i] for i in range(0, len(months), step)], rotation=45, ha="right")


_DRAW = {"monthly": _monthly, "propaganda": _propaganda, "casualties": _casualties, "abroad": _abroad, "provinces": _provinces}
