"""What every `odmld` command shares: one failure type with an exit code, the flags that set settings,
and opening the configured store.

Exit codes follow pySHACL's: 0 success (or conforms), 1 violations (or a failed run), 2 unreadable
input or bad usage. Every error is one line on stderr, never a traceback.
"""

from __future__ import annotations

from typing import Any, Callable

import click
import pyoxigraph as ox

from . import query_library as queries
from .config import SETTINGS_BY_NAME, Config, ConfigError, load_config
from .store import Store, StoreError, open_store

EXIT_UNREADABLE = 2
EXIT_FAILED = 1


class Failure(click.ClickException):
    """An error that ends the command with a message and an exit code, never a traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_UNREADABLE) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"odmld: error: {self.format_message()}", err=True)


def setting_option(name: str, *flags: str, **kwargs: Any) -> Callable:
    """A flag for a setting; its help comes from the settings table, so it is written once."""
    setting = SETTINGS_BY_NAME[name]
    return click.option(*flags, name, default=None,
                        help=f"{setting.help} [env: {setting.env}]", **kwargs)


store_option = setting_option("store", "--store", metavar="PATH|URL")
base_option = setting_option("base_uri", "--base-uri", metavar="URI")


def make_config(**flags: Any) -> Config:
    try:
        return load_config({name: value for name, value in flags.items() if value is not None})
    except ConfigError as error:
        raise Failure(str(error)) from None


def open_for(config: Config, *, read_only: bool = False) -> Store:
    try:
        return open_store(config, read_only=read_only)
    except StoreError as error:
        raise Failure(str(error), EXIT_FAILED) from None


def require_organisation(target: Store, organisation: str) -> None:
    """Refuse an organisation id the store does not know (one lookup, not a listing)."""
    if not target.query(queries.get("organisation-exists").text,
                        bindings={"identifier": ox.Literal(organisation)}):
        raise Failure(f"no organisation {organisation!r} in the store (`odmld query organisations` "
                      "lists them)")
