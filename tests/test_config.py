"""Settings are declared once (odmld.config.SETTINGS); flags beat the environment, which beats defaults."""

import re
from pathlib import Path

import pytest

from odmld.config import SETTINGS, ConfigError, load_config

SETTINGS_DOC = Path(__file__).resolve().parent.parent / "docs" / "settings.md"


def documented_settings() -> dict[str, str]:
    """The settings table of docs/settings.md: env var -> default column."""
    rows = re.findall(r"^\|\s*`(ODMLD_[A-Z_]+)`\s*\|\s*([^|]*)\|", SETTINGS_DOC.read_text(), re.MULTILINE)
    return {name: default.strip() for name, default in rows}


def test_the_settings_doc_lists_every_setting_and_no_other():
    documented = documented_settings()
    assert set(documented) == {setting.env for setting in SETTINGS}


def test_the_settings_doc_gives_each_default_of_the_settings_table():
    documented = documented_settings()
    for setting in SETTINGS:
        if setting.default is not None:
            shown = str(setting.default).lower() if isinstance(setting.default, bool) else str(setting.default)
            assert shown in documented[setting.env], setting.env


def test_flag_beats_environment_beats_default():
    env = {"ODMLD_PORT": "8001", "ODMLD_LANG": "en"}
    assert load_config({}, environ={}).port == 5000
    assert load_config({}, environ=env).port == 8001
    assert load_config({"port": 8002}, environ=env).port == 8002
    assert load_config({}, environ=env).lang == "en"


def test_base_uri_defaults_to_the_servers_own_address():
    config = load_config({"host": "0.0.0.0", "port": 8080}, environ={})
    assert config.base_uri == "http://localhost:8080/"
    assert load_config({"base_uri": "https://example.org/odm"}, environ={}).base_uri == \
        "https://example.org/odm/"


@pytest.mark.parametrize("env, name", [
    ({"ODMLD_PORT": "-1"}, "port"),
    ({"ODMLD_BASE_URI": "ftp://x"}, "base_uri"),
    ({"ODMLD_LANG": "fr"}, "lang"),
    ({"ODMLD_UNION_DEFAULT_GRAPH": "maybe"}, "union_default_graph"),
])
def test_a_bad_value_is_refused_with_the_settings_name(env, name):
    with pytest.raises(ConfigError, match=name):
        load_config({}, environ=env)
