"""Snapshot of the stage registry: every registered name with what it requires and assigns.

A registered name is a promise (it is written into each event's provenance), so a stage that
disappears or changes its fields in place shows here instead of silently. Adding or renaming a
stage is fine when deliberate: regenerate the snapshot and commit it with the change,

    PYTHONPATH=src python tests/pipeline/test_registry.py

(after a merge of branches that touched stages, regenerate it once on the merged tree).
Anchor: spaCy's tests/test_factory_registrations.py + factory_registrations.json.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).with_name("registry_snapshot.json")
REGENERATE = "PYTHONPATH=src python tests/pipeline/test_registry.py"


def current() -> dict[str, dict[str, list[str]]]:
    import kwatch.pipeline.default  # noqa: F401  (registers the built-in stages)
    from kwatch.pipeline import REGISTRY

    return {name: {"requires": list(st.requires), "assigns": list(st.assigns)} for name, st in sorted(REGISTRY.items())}


def _difference(snapshot: dict[str, Any], now: dict[str, Any]) -> str:
    parts = []
    if added := sorted(set(now) - set(snapshot)):
        parts.append("added " + ", ".join(added))
    if removed := sorted(set(snapshot) - set(now)):
        parts.append("removed " + ", ".join(removed))
    if changed := sorted(n for n in set(now) & set(snapshot) if now[n] != snapshot[n]):
        parts.append("changed " + ", ".join(f"{n} (was {snapshot[n]}, now {now[n]})" for n in changed))
    return "; ".join(parts)


def test_registry_matches_the_snapshot() -> None:
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    now = current()
    assert now == snapshot, (
        f"the stage registry differs from {SNAPSHOT.name}: {_difference(snapshot, now)}. "
        f"A changed behaviour is a new name.vN, never an edit in place; if this change is deliberate, "
        f"regenerate the snapshot with `{REGENERATE}` and commit it."
    )


def test_every_snapshot_name_is_versioned() -> None:
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert [name for name in snapshot if not re.fullmatch(r"[\w.-]+\.v\d+", name)] == []


if __name__ == "__main__":
    SNAPSHOT.write_text(json.dumps(current(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT} ({len(current())} stages)", file=sys.stderr)
