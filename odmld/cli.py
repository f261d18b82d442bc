"""The `odmld` command line: load, validate, query and dump the store, publish surveys, manage write
tokens, and serve it.

Exit codes follow pySHACL's: 0 success (or conforms), 1 violations (or a failed run), 2 unreadable
input or bad usage. Every error is one line on stderr, never a traceback.
"""

from __future__ import annotations

import sys

import click

from .cli_common import EXIT_FAILED
from .cli_data import dump, import_survey, load, rebase, statistics, validate
from .cli_query import query
from .cli_serve import serve
from .cli_tokens import token
from .store import StoreError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """odmld: open data maturity of local governments as Linked Open Data."""


for command in (load, validate, query, dump, statistics, serve, token, import_survey, rebase):
    cli.add_command(command)


def main() -> None:
    """The console script. A store that fails mid-command (a remote one can, at any request) ends it
    with its message and exit 1, never a traceback."""
    try:
        cli(prog_name="odmld", standalone_mode=False)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.Abort:
        click.echo("Aborted!", err=True)
        sys.exit(EXIT_FAILED)
    except StoreError as error:
        click.echo(f"odmld: error: {error}", err=True)
        sys.exit(EXIT_FAILED)


if __name__ == "__main__":
    main()
