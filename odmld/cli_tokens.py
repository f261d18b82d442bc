"""`odmld token`: write tokens, each bound to one organisation, shown once, stored as a hash."""

from __future__ import annotations

from pathlib import Path

import click

from . import tokens
from .cli_common import base_option, make_config, open_for, require_organisation, store_option
from .errors import NotFound


@click.group()
def token() -> None:
    """Write tokens: each bound to one organisation, shown once, stored as a hash."""


@token.command("create")
@click.option("--org", "organisation", required=True, help="The organisation's id (NIS code, or vgc).")
@store_option
@base_option
def token_create(organisation: str, store: str | None, base_uri: str | None) -> None:
    """Create a token for one organisation and print it (it is not shown again)."""
    config = make_config(store=store, base_uri=base_uri)
    require_organisation(open_for(config, read_only=True), organisation)
    token_id, secret = tokens.create(Path(config.tokens), organisation)
    click.echo(f"token {token_id} for organisation {organisation} (shown once, keep it safe):")
    click.echo(secret)


@token.command("revoke")
@click.argument("token_id")
@store_option
def token_revoke(token_id: str, store: str | None) -> None:
    """Revoke a token by its id (the part before the dot)."""
    config = make_config(store=store)
    if not tokens.revoke(Path(config.tokens), token_id.partition(".")[0]):
        raise NotFound(f"no active token {token_id!r}")
    click.echo(f"revoked {token_id.partition('.')[0]}")


@token.command("list")
@store_option
def token_list(store: str | None) -> None:
    """List tokens (ids and organisations; never the secrets)."""
    config = make_config(store=store)
    for entry in tokens.listing(Path(config.tokens)):
        state = f"revoked {entry.revoked}" if entry.revoked else "active"
        click.echo(f"{entry.id}  {entry.organisation}  created {entry.created}  {state}")


