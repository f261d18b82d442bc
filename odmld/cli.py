"""The `odmld` command line: load, validate, query and dump the store, publish surveys, manage write
tokens, and serve it.

Exit codes are odmld.errors' one table (docs/cli.md), after pySHACL's: 0 success (or conforms),
1 violations (or a failed run), 2 unreadable input or bad usage, 3 the store cannot do the work, 4 the
store is being written by another process. Every error is one line on stderr, never a traceback.
"""

from __future__ import annotations

import sys

import click

from .cli_data import dump, import_survey, load, rebase, statistics, validate
from .cli_query import query
from .cli_serve import serve
from .cli_tokens import token
from .errors import EXIT_VIOLATIONS, OdmldError, exit_code


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """odmld: open data maturity of local governments as Linked Open Data."""


for command in (load, validate, query, dump, statistics, serve, token, import_survey, rebase):
    cli.add_command(command)


def main() -> None:
    """The console script, and the one place an error becomes an exit code: a refusal (odmld.errors;
    a store that fails mid-command, as a remote one can at any request) ends the command with its
    message on one line and the table's exit code, never a traceback; bad usage is click's exit 2."""
    try:
        cli(prog_name="odmld", standalone_mode=False)
    except OdmldError as error:
        code = exit_code(error)  # violations are a report; any other message is said on one line
        message = str(error) if code == EXIT_VIOLATIONS else " ".join(str(error).split())
        click.echo(f"odmld: error: {message}", err=True)
        sys.exit(code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.Abort:
        click.echo("Aborted!", err=True)
        sys.exit(EXIT_VIOLATIONS)


if __name__ == "__main__":
    main()
