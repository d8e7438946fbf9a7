"""docs/web.md matches the app: the stats tables it names are the ones /api/stats answers, and
its endpoint table lists every path of the OpenAPI spec (issue 14, "Docs that match")."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parents[2] / "docs" / "web.md"


def _row(prefix: str) -> str:
    [line] = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith(f"| `{prefix}")]
    return line


def test_docs_name_every_stats_table(client: Any) -> None:
    tables = client.get("/api/stats").json()["stats"]
    listed = re.findall(r"`([a-z_]+)`", _row("GET /api/stats").split("row lists:", 1)[1])
    assert listed == list(tables)


def test_docs_list_every_endpoint(client: Any) -> None:
    spec = client.get("/api/openapi.json").json()
    table = DOC.read_text(encoding="utf-8").split("## Endpoints", 1)[1].split("\n\n", 2)[1]
    documented = {re.sub(r"\[.*?\]|\?.*", "", m) for m in re.findall(r"`((?:GET|POST) [^`]+)`", table)}
    for path, operations in spec["paths"].items():
        generic = re.sub(r"{\w+}", "{id}", path)
        for method in operations:
            assert f"{method.upper()} {generic}" in documented, (method, path)
