"""Language knowledge kept as data: YAML files under `kwatch/lexicons/`, extended by the user's.

`load("casualties", "en")` reads `lexicons/en/casualties.yaml`; `load("actors")` reads
`lexicons/actors.yaml` (tables that cover every language); `load_file("releases/ps.yaml")` any
file by its path under `lexicons/`. Built-in files are read once and cached.

User lexicon folders (the `lexicon_dirs` setting) are laid out like `lexicons/`; each of their
files adds to or overrides the built-in file of the same relative path (docs/lexicons.md):

- mappings merge key by key, recursively; a key whose value is null removes the built-in key;
  a mapping's `_replace: [key, …]` makes the user's value of those keys replace the built-in
  one instead of merging into it;
- lists are extended, without duplicates (built-in items first);
- scalars replace.

A `SearchPath` names the folders and the files found in them, with their modification times and
sizes: it is what the cache is keyed on, so two stores with different folders in one process (or
one folder whose files changed) never share merged tables. Stages get it from the extraction
context (`in_options(ctx.options)`) and never read the environment. `load(name, language)`
without a search path is the built-in file alone.

The loading functions are kept apart: `read_builtin` (package file), `read_user` (one user file),
`merge` (one over the other), `load_file` (the merged table, cached), `check` (what is wrong with
user folders, one line each).

A lexicon with a schema (`lexicons/schemas/<name>.yaml`, JSON Schema written as YAML) is checked
against it when loaded, after the user's files are merged over it: every language's
`casualties.yaml` has the one shape that schema draws, and a wrong key or type is one
`PipelineError` naming the file and the key.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from kwatch.errors import Bug, ConfigError, PipelineError

#: The extraction context option that holds the SearchPath (`ctx.options[LEXICONS_OPTION]`).
LEXICONS_OPTION = "lexicons"
#: The folder of the lexicons' JSON Schemas: data about lexicons, not a lexicon or a language.
SCHEMAS_FOLDER = "schemas"
#: The mapping key that makes a user value replace, not merge into, the built-in one.
REPLACE_KEY = "_replace"

Key = tuple[Any, ...]


# -- where the files are -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserFile:
    """One file of a user lexicon folder that has a built-in counterpart."""

    relpath: str  # 'outlets.yaml', 'fa/events.yaml', 'releases/ps.yaml'
    path: str  # absolute
    stamp: tuple[int, int]  # (mtime_ns, size): an edited file is another cache key


@dataclass(frozen=True, slots=True)
class SearchPath:
    """The user lexicon folders in use (in order: a later folder overrides an earlier one) and
    their files. `BUILTIN` (no folder) is the package's lexicons alone."""

    dirs: tuple[str, ...] = ()
    files: tuple[UserFile, ...] = field(default=())

    def user_files(self, relpath: str) -> tuple[UserFile, ...]:
        return tuple(f for f in self.files if f.relpath == relpath)


BUILTIN = SearchPath()


def parse_dirs(value: str | Iterable[str | os.PathLike[str]] | None) -> list[str]:
    """Folders from a setting value: one string separated by os.pathsep, or a list."""
    if value is None:
        return []
    parts = value.split(os.pathsep) if isinstance(value, str) else [os.fspath(v) for v in value]
    return [os.path.expanduser(p.strip()) for p in parts if p.strip()]


def search_path(dirs: str | Iterable[str | os.PathLike[str]] | None) -> SearchPath:
    """The SearchPath of these folders, checked (`check`): ConfigError naming the first problem
    when a folder is missing or a file is unknown, unreadable or of the wrong shape."""
    folders = parse_dirs(dirs)
    if not folders:
        return BUILTIN
    problems = check(folders)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ConfigError(f"User lexicon problem: {problems[0]}{more}.", hint="run `kwatch lexicons check` to list them all; fix or remove the file, or unset KWATCH_LEXICON_DIRS")
    resolved = tuple(str(Path(d).resolve()) for d in folders)
    files = []
    for folder in resolved:
        for relpath, path in _yaml_files(Path(folder)):
            stat = path.stat()
            files.append(UserFile(relpath, str(path), (stat.st_mtime_ns, stat.st_size)))
    return SearchPath(resolved, tuple(files))


def in_options(options: Mapping[str, Any]) -> SearchPath:
    """The SearchPath an extraction context carries (`ctx.options`), BUILTIN when none."""
    found = options.get(LEXICONS_OPTION)
    if found is None:
        return BUILTIN
    if not isinstance(found, SearchPath):
        raise Bug(f"context option {LEXICONS_OPTION!r} is a {type(found).__name__}, not a lexicon.SearchPath")
    return found


def _root() -> Any:
    return resources.files("kwatch") / "lexicons"


@cache
def builtin_files() -> frozenset[str]:
    """The relative path of every built-in lexicon file ('outlets.yaml', 'fa/events.yaml' …)."""
    found: set[str] = set()

    def walk(folder: Any, prefix: str) -> None:
        for entry in folder.iterdir():
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".yaml"):
                found.add(f"{prefix}{entry.name}")

    walk(_root(), "")
    return frozenset(f for f in found if not f.startswith(f"{SCHEMAS_FOLDER}/"))


def _yaml_files(folder: Path) -> list[tuple[str, Path]]:
    """(relative path, path) of the YAML files (.yaml, .yml) under a user folder; hidden files and
    other files (a README) are not lexicons and are left alone."""
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.suffix in (".yaml", ".yml"):
            found.append((rel.as_posix(), path))
    return found


def relpath_of(name: str, language: str | None = None) -> str:
    return f"{language}/{name}.yaml" if language else f"{name}.yaml"


# -- reading and merging -----------------------------------------------------------------------


@cache
def read_builtin(relpath: str) -> Any:
    """The package's file, parsed (cached; never mutate it)."""
    path = _root().joinpath(*relpath.split("/"))
    if not path.is_file():
        raise Bug(f"lexicon {path} is missing from the package")
    with path.open("r", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def read_user(path: str | Path) -> Any:
    """One user file, parsed; ConfigError with the line when it is no valid YAML."""
    try:
        with Path(path).open("r", encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        raise ConfigError(f"{path}: {where}: not valid YAML: {getattr(error, 'problem', None) or error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: (file): cannot be read: {error}") from None


def merge(base: Any, user: Any, *, origin: str, origins: dict[Key, str] | None = None, at: Key = ()) -> Any:
    """`user` over `base` by the rules in the module docstring; neither is changed. `origins`
    (when given) receives the key path of every value the user file set, added or removed (list
    items: the list's path plus the item) -> `origin`."""
    origins = {} if origins is None else origins
    if isinstance(base, dict) and isinstance(user, dict):
        replace = set(user.get(REPLACE_KEY) or ())
        out = dict(base)
        for key, value in user.items():
            if key == REPLACE_KEY:
                continue
            if value is None:
                out.pop(key, None)
                origins[(*at, key)] = origin
            elif key in out and key not in replace:
                out[key] = merge(out[key], value, origin=origin, origins=origins, at=(*at, key))
            else:
                out[key] = _clean(value)
                origins[(*at, key)] = origin
        return out
    if isinstance(base, list) and isinstance(user, list):
        merged = list(base)
        for item in map(_clean, user):
            if item not in merged:
                merged.append(item)
                origins[(*at, _item_key(item, len(merged) - 1))] = origin
        return merged
    if base != user:
        origins[at] = origin
    return _clean(user)


def _clean(value: Any) -> Any:
    """A user value put in whole: its `_replace` keys and null values (removals of nothing) dropped."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k != REPLACE_KEY and v is not None}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _item_key(item: Any, index: int) -> Any:
    return item if isinstance(item, (str, int, float, bool)) else ("#", index)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """A merged lexicon table and where the user's entries in it came from."""

    relpath: str
    data: Any
    origins: Mapping[Key, str]  # key path -> user file (absolute path)

    def origin(self, *keys: Any) -> str | None:
        """The user file that set the value at this key path, or at the nearest enclosing one
        (a whole outlet added by a user file gives the origin of each of its aliases); None for
        a built-in value."""
        for n in range(len(keys), 0, -1):
            found = self.origins.get(tuple(keys[:n]))
            if found is not None:
                return found
        return None

    @property
    def user_files(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.origins.values())))


@lru_cache(maxsize=512)
def load_file(relpath: str, path: SearchPath = BUILTIN) -> Lexicon:
    """The built-in file at `relpath` with the search path's files of that path merged over it,
    in folder order. Cached on (relpath, path): the SearchPath holds the folders and each file's
    stamp."""
    data = read_builtin(relpath)
    origins: dict[Key, str] = {}
    merged: list[str] = []
    for user in path.user_files(relpath):
        content = read_user(user.path)
        if content is not None:
            data = merge(data, content, origin=user.path, origins=origins)
            merged.append(user.path)
    where = f"lexicons/{relpath}" + (f" with {', '.join(merged)} merged over it" if merged else "")
    validate(lexicon_name(relpath), data, origin=where)
    return Lexicon(relpath, data, origins)


def load(name: str, language: str | None = None, *, path: SearchPath = BUILTIN) -> Any:
    """The table `lexicons/<language>/<name>.yaml` (or `lexicons/<name>.yaml`), with the user
    files of `path` merged over it."""
    return load_file(relpath_of(name, language), path).data


def available(name: str) -> list[str]:
    """The languages that have a `name` lexicon (user folders add no language)."""
    base = _root()
    return sorted(p.name for p in base.iterdir() if p.is_dir() and p.name != SCHEMAS_FOLDER and (p / f"{name}.yaml").is_file())


def folder_names(folder: str) -> list[str]:
    """The stems of the built-in files in a lexicon folder ('releases' → ['ar', 'en', …, 'files'])."""
    return sorted(rel[len(folder) + 1 : -len(".yaml")] for rel in builtin_files() if rel.startswith(f"{folder}/") and rel.count("/") == 1)


# -- checking user folders ---------------------------------------------------------------------


def lexicon_name(relpath: str) -> str:
    """The name a lexicon's schema goes by: 'outlets', 'events' (fa/events.yaml), 'releases'
    (releases/ps.yaml), 'themes', 'files' (releases/files.yaml)."""
    parts = relpath[: -len(".yaml")].split("/")
    if len(parts) == 1:
        return parts[0]
    if parts[0] in ("releases", "themes"):
        return "files" if parts[1] == "files" else parts[0]
    return parts[-1]


def check(dirs: str | Iterable[str | os.PathLike[str]] | None) -> list[str]:
    """Every problem of the user lexicon folders, one line each, `FILE: key: what is wrong`:
    a missing folder, a file with no built-in counterpart, invalid YAML, a top-level type or an
    entry shaped unlike the built-in file's, and the stage schema of the merged table. Empty when all is well."""
    problems: list[str] = []
    known = builtin_files()
    for folder in parse_dirs(dirs):
        root = Path(folder)
        if not root.is_dir():
            problems.append(f"{folder}: (folder): does not exist or is not a folder")
            continue
        for relpath, path in _yaml_files(root):
            if relpath not in known:
                hint = f"; did you mean {relpath[:-4]}.yaml?" if relpath.endswith(".yml") and f"{relpath[:-4]}.yaml" in known else ""
                problems.append(f"{path}: (file): no built-in lexicon {relpath} to add to{hint} (see `kwatch lexicons list`)")
                continue
            try:
                content = read_user(path)
            except ConfigError as error:
                problems.append(error.message)
                continue
            if content is None:
                continue  # an empty file adds nothing
            builtin = read_builtin(relpath)
            found = list(_shape(builtin, content, ()))
            problems.extend(f"{path}: {where}: {what}" for where, what in found)
            if not found:
                problems.extend(f"{path}: {line}" for line in _validate(relpath, merge(builtin, content, origin=str(path))))
    return problems


def _validate(relpath: str, data: Any) -> list[str]:
    """The stage schema's complaint about a merged table, as a `key: what is wrong` problem line
    (`check` puts the file in front)."""
    name = lexicon_name(relpath)
    error = _schema_error(name, data)
    if error is None:
        return []
    at = tuple(error.absolute_path)
    where = f"lexicons/schemas/{name}.yaml"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(str(k) for k in error.schema.get("properties") or {})
        unknown = sorted(str(k) for k in error.instance if k not in allowed)
        return [f"{_where((*at, unknown[0]) if unknown else at)}: unknown key (the schema allows here: {', '.join(allowed)}; {where})"]
    return [f"{_where(at)}: {error.message} ({where})"]


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "null" if value is None else type(value).__name__


def _where(at: Key) -> str:
    out = ""
    for key in at:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out or "(top level)"


def _shape(base: Any, user: Any, at: Key) -> Iterable[tuple[str, str]]:
    """(key path, what is wrong) where `user` is not shaped like `base`."""
    if isinstance(base, dict):
        if not isinstance(user, dict):
            yield _where(at), f"expected a mapping (as in the built-in file), got {_kind(user)}"
            return
        yield from _mapping_shape(base, user, at)
    elif isinstance(base, list):
        if not isinstance(user, list):
            yield _where(at), f"expected a list (as in the built-in file), got {_kind(user)}"
            return
        kinds = {_kind(item) for item in base}
        for index, item in enumerate(user):
            if kinds and _kind(item) not in kinds:
                yield _where((*at, index)), f"expected {' or '.join(sorted(kinds))} (as in the built-in list), got {_kind(item)}"
            elif isinstance(item, (dict, list)) and base:
                template = next(b for b in base if _kind(b) == _kind(item))
                yield from _shape(template, item, (*at, index))
    elif _kind(base) != _kind(user) and base is not None:
        yield _where(at), f"expected {_kind(base)} (as in the built-in file), got {_kind(user)}"


def _mapping_shape(base: dict[Any, Any], user: dict[Any, Any], at: Key) -> Iterable[tuple[str, str]]:
    replace = user.get(REPLACE_KEY)
    if replace is not None:
        if not isinstance(replace, list) or not all(isinstance(k, str) for k in replace):
            yield _where((*at, REPLACE_KEY)), "expected a list of keys"
            replace = []
        for key in replace:
            if key not in user:
                yield _where((*at, REPLACE_KEY)), f"names {key!r}, which this mapping does not give"
    # A table of like entries; null entries ("on friday night": null, "a few dozen": null) are
    # entries without a value and do not make a table unlike.
    siblings = [v for v in base.values() if v is not None]
    table = len(siblings) >= 2 and len({_kind(v) for v in siblings}) == 1
    for key, value in user.items():
        if key == REPLACE_KEY:
            continue
        where = _where((*at, key))
        if value is None:
            if key not in base:
                yield where, "null removes a built-in key, but the built-in file has none here"
            continue
        if key in base:
            yield from _shape(base[key], value, (*at, key))
        elif table:
            yield from _entry_shape(siblings, value, (*at, key))
        else:
            names = ", ".join(str(k) for k in base) or "nothing"
            yield where, f"unknown key (the built-in file has here: {names})"


def _entry_shape(siblings: list[Any], value: Any, at: Key) -> Iterable[tuple[str, str]]:
    """A new entry of a table: shaped like the built-in entries (their kind; for mappings, the
    keys every entry has and no key none has)."""
    kind = _kind(siblings[0])
    if _kind(value) != kind:
        yield _where(at), f"expected {kind}, like the built-in entries beside it, got {_kind(value)}"
        return
    if not isinstance(value, dict):
        if isinstance(value, list):
            yield from _shape(next((s for s in siblings if s), siblings[0]), value, at)
        return
    required = set.intersection(*(set(s) for s in siblings))
    known = set().union(*(set(s) for s in siblings))
    for key in sorted(required - set(value), key=str):
        yield _where(at), f"missing {key!r} (every built-in entry has it)"
    for key, item in value.items():
        if key not in known:
            yield _where((*at, key)), f"unknown key (built-in entries have: {', '.join(sorted(map(str, known)))})"
        elif item is not None:
            template = next(s[key] for s in siblings if key in s)
            yield from _shape(template, item, (*at, key))


def files_in_use(path: SearchPath) -> list[dict[str, Any]]:
    """Every lexicon file: its relative path, and the user files merged over it (in order)."""
    return [{"lexicon": rel, "builtin": f"kwatch/lexicons/{rel}", "user": [f.path for f in path.user_files(rel)]} for rel in sorted(builtin_files())]


# -- the schema of each lexicon ----------------------------------------------------------------


@cache
def schema(name: str) -> dict[str, Any] | None:
    """The JSON Schema of the `name` lexicon (`lexicons/schemas/<name>.yaml`), or None."""
    path = _root() / SCHEMAS_FOLDER / f"{name}.yaml"
    if not path.is_file():
        return None
    with path.open("r", encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    import jsonschema  # type: ignore[import-untyped]  # no stubs pinned; imported here: a second at start-up

    jsonschema.Draft202012Validator.check_schema(loaded)
    return loaded


def _schema_error(name: str, data: Any) -> Any:
    """The most relevant jsonschema error of `data` against the `name` lexicon's schema, or None
    (also for a lexicon without a schema)."""
    drawn = schema(name)
    if drawn is None:
        return None
    import jsonschema

    validator = jsonschema.Draft202012Validator(drawn)
    return jsonschema.exceptions.best_match(validator.iter_errors(data))


def validate(name: str, data: Any, *, origin: str) -> None:
    """Raise one PipelineError naming `origin` and the key when `data` does not fit the schema of
    the `name` lexicon; a lexicon without a schema is not checked."""
    error = _schema_error(name, data)
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
