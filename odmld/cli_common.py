"""What every `odmld` command shares: the flags that set settings, and opening the configured store.

A command refuses by raising the error model's errors (odmld.errors); cli.main prints each as one
line and exits with the code the error model's one table gives it.
"""

from __future__ import annotations

from typing import Any, Callable

import click
import pyoxigraph as ox

from .sparql import library as queries
from .config import SETTINGS_BY_NAME, Config, ConfigError, load_config
from .errors import BadRequest, NotFound
from .store import Store, open_store


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
        raise BadRequest(str(error)) from None


def open_for(config: Config, *, read_only: bool = False) -> Store:
    """The configured store (a StoreError, exit 3, when it cannot be opened)."""
    return open_store(config, read_only=read_only)


def require_organisation(target: Store, organisation: str) -> None:
    """Refuse an organisation id the store does not know (one lookup, not a listing)."""
    if not target.query(queries.get("organisation-exists").text,
                        bindings={"identifier": ox.Literal(organisation)}):
        raise NotFound(f"no organisation {organisation!r} in the store (`odmld query organisations` "
                      "lists them)")
