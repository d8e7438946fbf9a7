"""Layers (issue 11): the CLI and the web layer call only `Kwatch`, web modules import one another
without a cycle, and of the ingest package only `ingest/batch.py` reaches the store."""

from __future__ import annotations

import ast
from pathlib import Path

import kwatch

SRC = Path(kwatch.__file__).parent
EDGES = [SRC / "cli.py", *sorted((SRC / "web").glob("*.py"))]


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_edges_never_reach_the_store() -> None:
    reached = [
        f"{path.name}:{node.lineno}"
        for path in EDGES
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr == "store"
    ]
    assert reached == []


def test_web_modules_import_without_a_cycle() -> None:
    graph = {f"kwatch.web.{p.stem}": {m for m in _imports(p) if m.startswith("kwatch.web.")} for p in (SRC / "web").glob("*.py")}
    graph.pop("kwatch.web.__init__")
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join((*path, module))
        if module in done:
            return
        for other in graph.get(module, ()):
            visit(other, (*path, module))
        done.add(module)

    for module in graph:
        visit(module, ())


def test_only_the_ingest_batch_reaches_the_store() -> None:
    """The readers turn inputs into documents; `kwatch.ingest.batch` alone writes them."""
    reaching = sorted(
        path.name for path in (SRC / "ingest").glob("*.py") if any(m == "kwatch.store" or m.startswith("kwatch.store.") for m in _imports(path))
    )
    assert reaching == ["batch.py"]
    assert not (SRC / "ingestion.py").exists()
