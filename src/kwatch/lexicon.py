"""Language knowledge kept as data: YAML files under `kwatch/lexicons/`.

`load("casualties", "en")` reads `lexicons/en/casualties.yaml`; `load("actors")` reads
`lexicons/actors.yaml` (tables that cover every language). Files are read once and cached.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from kwatch.errors import Bug


@cache
def load(name: str, language: str | None = None) -> Any:
    base = resources.files("kwatch") / "lexicons"
    path = base / language / f"{name}.yaml" if language else base / f"{name}.yaml"
    if not path.is_file():
        raise Bug(f"lexicon {path} is missing from the package")
    with path.open("r", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def available(name: str) -> list[str]:
    """The languages that have a `name` lexicon."""
    base = resources.files("kwatch") / "lexicons"
    return sorted(p.name for p in base.iterdir() if p.is_dir() and (p / f"{name}.yaml").is_file())
