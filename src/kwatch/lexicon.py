"""Language knowledge kept as data: YAML files under `kwatch/lexicons/`.

`load("casualties", "en")` reads `lexicons/en/casualties.yaml`; `load("actors")` reads
`lexicons/actors.yaml` (tables that cover every language). Files are read once and cached.

A lexicon with a schema (`lexicons/schemas/<name>.yaml`, JSON Schema written as YAML) is checked
against it when loaded: every language's `casualties.yaml` has the one shape that schema draws,
and a wrong key or type is one `PipelineError` naming the file and the key.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs pinned; only validate() uses it
import yaml

from kwatch.errors import Bug, PipelineError


@cache
def load(name: str, language: str | None = None) -> Any:
    base = resources.files("kwatch") / "lexicons"
    path = base / language / f"{name}.yaml" if language else base / f"{name}.yaml"
    if not path.is_file():
        raise Bug(f"lexicon {path} is missing from the package")
    with path.open("r", encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    validate(name, data, origin=f"lexicons/{language}/{name}.yaml" if language else f"lexicons/{name}.yaml")
    return data


def available(name: str) -> list[str]:
    """The languages that have a `name` lexicon."""
    base = resources.files("kwatch") / "lexicons"
    return sorted(p.name for p in base.iterdir() if p.is_dir() and p.name != "schemas" and (p / f"{name}.yaml").is_file())


@cache
def schema(name: str) -> dict[str, Any] | None:
    """The JSON Schema of the `name` lexicon (`lexicons/schemas/<name>.yaml`), or None."""
    path = resources.files("kwatch") / "lexicons" / "schemas" / f"{name}.yaml"
    if not path.is_file():
        return None
    with path.open("r", encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    jsonschema.Draft202012Validator.check_schema(loaded)
    return loaded


def validate(name: str, data: Any, *, origin: str) -> None:
    """Raise one PipelineError naming `origin` and the key when `data` does not fit the schema of
    the `name` lexicon; a lexicon without a schema is not checked."""
    drawn = schema(name)
    if drawn is None:
        return
    validator = jsonschema.Draft202012Validator(drawn)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is None:
        return
    key = "/".join(str(p) for p in error.absolute_path) or "(top level)"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties") or {})
        unknown = sorted(str(k) for k in error.instance if k not in allowed)
        key = "/".join([*(str(p) for p in error.absolute_path), unknown[0]]) if unknown else key
        message = f"{origin}: unknown key '{key}'."
        hint = f"the keys of a {name} lexicon are {', '.join(sorted(allowed))} (lexicons/schemas/{name}.yaml)"
    else:
        message = f"{origin}: key '{key}': {error.message}."
        hint = f"see lexicons/schemas/{name}.yaml"
    raise PipelineError(message, hint=hint)
