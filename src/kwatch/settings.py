"""Every setting in one table, validated once.

A setting comes from, in order of precedence: a command-line option, the environment variable
`KWATCH_<NAME>` (upper case), the default here. Unknown names are an error, and
`tests/test_docs.py` checks that every setting is documented in docs/settings.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from kwatch.errors import ConfigError


def _default_db() -> str:
    return str(Path(platformdirs.user_data_dir("kwatch")) / "kwatch.db")


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Callable[[], Any]
    type: type
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", _default_db, str, "Store: a SQLite file path or sqlite:///… / postgresql://… URL."),
    Setting("max_file_size", lambda: 50 * 1024 * 1024, int, "Largest input file ingested, in bytes; larger files are reported and skipped."),
    Setting("http_timeout", lambda: 30.0, float, "Seconds to wait for a URL given to `kwatch ingest`."),
    Setting("http_deadline", lambda: 120.0, float, "Most seconds one URL fetch may take in all, however the server drips its bytes."),
    Setting("user_agent", lambda: "kwatch/0.1 (+open-source monitoring)", str, "User-Agent sent when fetching URLs."),
    Setting("allowed_hosts", lambda: "", str, "Host names (comma-separated) the web server answers to besides the loopback names."),
    Setting("web_max_requests", lambda: 64, int, "Requests the web server works on or queues at once; more are answered 503 with Retry-After."),
    Setting("web_session_hours", lambda: 12.0, float, "How long a dashboard login (session cookie) lasts, in hours."),
    Setting("lexicon_dirs", lambda: "", str, "User lexicon folders (os.pathsep-separated) whose YAML files add to or override the built-in lexicons."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def resolve(overrides: Mapping[str, Any] | None = None, *, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The value of every setting: overrides (None means unset) > KWATCH_<NAME> > default."""
    environ = os.environ if environ is None else environ
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    unknown = set(overrides) - set(_BY_NAME)
    if unknown:
        raise ConfigError(f"Unknown setting(s): {', '.join(sorted(unknown))}.", hint=f"known: {', '.join(_BY_NAME)}")
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.name in overrides:
            raw: Any = overrides[setting.name]
            origin = f"option --{setting.name.replace('_', '-')}"
        elif f"KWATCH_{setting.name.upper()}" in environ:
            raw = environ[f"KWATCH_{setting.name.upper()}"]
            origin = f"environment variable KWATCH_{setting.name.upper()}"
        else:
            values[setting.name] = setting.default()
            continue
        try:
            values[setting.name] = setting.type(raw)
        except (TypeError, ValueError):
            raise ConfigError(
                f"Setting {setting.name!r} from {origin} is {raw!r}, expected {setting.type.__name__}.",
                hint=setting.help,
            ) from None
    return values
