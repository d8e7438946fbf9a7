"""What a fresh machine installs: `make install` reads pyproject.toml and constraints.txt only.

constraints.txt must hold nothing but `name==version` lines: a URL, a local wheel path or a
pip-freeze comment ("Editable Git install …") installs on the machine that wrote it and fails on
every other one.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[A-Za-z0-9][A-Za-z0-9.+!_-]*)$")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _constraints() -> list[str]:
    return (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()


def test_constraints_are_only_name_equals_version_lines():
    bad = [f"line {n}: {line!r}" for n, line in enumerate(_constraints(), 1) if not PIN.match(line)]
    assert not bad, "constraints.txt must hold only name==version lines:\n" + "\n".join(bad)


def test_constraints_name_each_package_once_and_not_the_project():
    names = [_normal(PIN.match(line)["name"]) for line in _constraints() if PIN.match(line)]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    assert "kwatch" not in names


def _pyproject_pins() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = list(project["dependencies"])
    for extra in ("test",):  # `build` is only for scripts/build_gazetteer.py and is not installed by make
        pins += project["optional-dependencies"][extra]
    return pins


@pytest.mark.parametrize("requirement", _pyproject_pins())
def test_every_direct_dependency_is_pinned_alike_in_constraints(requirement):
    name, _, version = re.sub(r"\[[^\]]*\]", "", requirement).split(";")[0].partition("==")
    assert version, f"pyproject.toml pins every dependency with ==: {requirement!r}"
    pinned = {_normal(m["name"]): m["version"] for line in _constraints() if (m := PIN.match(line))}
    assert pinned.get(_normal(name)) == version.strip(), f"{name}: pyproject {version!r}, constraints {pinned.get(_normal(name))!r}"
