"""The settings registry: documented, typed, and resolved in the documented order."""

from __future__ import annotations

from pathlib import Path

import pytest

from naba.config import SETTINGS, load_settings, settings_fields
from naba.errors import ConfigError

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_has_help_and_a_field() -> None:
    assert set(SETTINGS) == set(settings_fields())
    for setting in SETTINGS.values():
        assert len(setting.help) > 10, setting.name


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    missing = [name for name in SETTINGS if f"`{name}`" not in readme]
    assert not missing, f"settings missing from the README: {missing}"


def test_precedence_defaults_toml_env_flags(tmp_path: Path) -> None:
    toml = tmp_path / "naba.toml"
    toml.write_text('db = "from-toml.db"\npage_size = 5\nport = 9000\n', encoding="utf-8")
    env = {"NABA_PAGE_SIZE": "7", "NABA_PORT": "9100", "UNRELATED": "x"}
    settings = load_settings({"port": 9200}, toml_path=toml, environ=env)
    assert settings.db == "from-toml.db"
    assert settings.page_size == 7
    assert settings.port == 9200
    assert settings.analyzer == SETTINGS["analyzer"].default


def test_bad_values_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="page_size"):
        load_settings(environ={"NABA_PAGE_SIZE": "many"}, toml_path=tmp_path / "none.toml")
    with pytest.raises(ConfigError, match="error_policy"):
        load_settings({"error_policy": "ignore"}, environ={}, toml_path=tmp_path / "none.toml")
    with pytest.raises(ConfigError, match="unknown setting"):
        load_settings({"colour": "blue"}, environ={}, toml_path=tmp_path / "none.toml")
