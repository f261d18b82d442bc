"""What a user can reach is documented: every route of the web app, every command and every setting
and every query of the public library appear in the README or in docs/ (the settings with their defaults: tests/test_config.py)."""

import re
from pathlib import Path

import click
import pytest

from odmld.cli import cli
from odmld.config import SETTINGS, load_config
from odmld.web import create_app

REPO = Path(__file__).resolve().parent.parent
CONVERTER = re.compile(r"<[^>]+>")


def documentation() -> str:
    return "\n".join(path.read_text() for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))])


def route_pattern(rule: str) -> re.Pattern:
    """A route as the docs write it, in backticks: `/domein/4/ranking` or `/domein/{n}/ranking` for
    /domein/<int:notation>/ranking (a variable part is any text without a space or backtick)."""
    parts = CONVERTER.split(rule)
    return re.compile("`(?:[A-Z]+ )?" + r"[^`\s]+".join(re.escape(part) for part in parts) + r"[?`#]")


@pytest.fixture(scope="module")
def routes(tmp_path_factory) -> list[str]:
    store = tmp_path_factory.mktemp("docs") / "store"
    app = create_app(load_config({"store": str(store), "base_uri": "http://odmld.test/"}, environ={}))
    try:
        return sorted({rule.rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"})
    finally:
        app.extensions["odmld.pool"].close()


def test_every_route_of_the_web_app_is_documented(routes):
    text = documentation()
    missing = [rule for rule in routes if not route_pattern(rule).search(text)]
    assert not missing, f"routes not in README.md or docs/: {missing}"


def test_every_command_is_documented():
    text = documentation()
    commands = [name for name, command in cli.commands.items() if isinstance(command, click.Command)]
    missing = [name for name in commands if f"odmld {name}" not in text]
    assert not missing, f"commands not in README.md or docs/: {missing}"


def test_every_setting_is_documented():
    text = documentation()
    missing = [setting.env for setting in SETTINGS if f"`{setting.env}`" not in text]
    assert not missing, f"settings not in README.md or docs/: {missing}"



def test_every_query_of_the_public_library_is_documented():
    text = documentation()  # the library is the top of queries/; the app's own queries sit below it
    missing = [path.stem for path in sorted((REPO / "queries").glob("*.rq")) if f"`{path.stem}`" not in text]
    assert not missing, f"library queries not in README.md or docs/: {missing}"
