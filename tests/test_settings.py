from __future__ import annotations

import pytest

from kwatch import settings
from kwatch.errors import ConfigError


def test_defaults_apply_when_nothing_is_set():
    values = settings.resolve({}, environ={})
    assert values["max_file_size"] == 50 * 1024 * 1024
    assert values["db"].endswith("kwatch.db")


def test_environment_overrides_default_and_option_overrides_environment():
    env = {"KWATCH_MAX_FILE_SIZE": "1000", "KWATCH_DB": "env.db"}
    assert settings.resolve({}, environ=env)["max_file_size"] == 1000
    assert settings.resolve({"db": "opt.db"}, environ=env)["db"] == "opt.db"


def test_a_badly_typed_value_names_the_setting_and_its_origin():
    with pytest.raises(ConfigError, match=r"max_file_size.*KWATCH_MAX_FILE_SIZE.*expected int"):
        settings.resolve({}, environ={"KWATCH_MAX_FILE_SIZE": "big"})


def test_unknown_settings_are_refused():
    with pytest.raises(ConfigError, match="Unknown setting"):
        settings.resolve({"colour": "red"}, environ={})
