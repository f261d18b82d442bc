"""`odmld serve`: load the bundled model, then run the production server on the store.

The production server is granian (HTTP in Rust, a worker process per core, threads in each, a bounded
stop), serving `odmld.web:create_worker_app`; every worker reads and writes the one store (store_api.py), so
any of them accepts a city's publication and all of them show it at their next request. `--dev` runs
Flask's development server in this process instead.
"""

from __future__ import annotations

import os
import sys

import click

from .cli_common import base_option, make_config, open_for, setting_option, store_option
from .cli_data import load_into
from .config import SETTINGS_BY_NAME, Config
from .resources import default_load_paths

# a worker still starting when granian is told to stop may otherwise never stop; a worker that dies
# (killed, or out of memory) is started again
KILL_TIMEOUT_SECONDS = 10


def granian_command(config: Config) -> list[str]:
    """The production server's command line for `config` (what the README's first command runs)."""
    return [sys.executable, "-m", "granian", "--interface", "wsgi",
            "--workers", str(config.workers), "--blocking-threads", str(config.threads),
            "--workers-kill-timeout", str(KILL_TIMEOUT_SECONDS),
            "--respawn-failed-workers", "--respawn-interval", "1",
            "--host", config.host, "--port", str(config.port),
            "--factory", "odmld.web:create_worker_app"]


def worker_environment(config: Config) -> dict[str, str]:
    """The environment the workers read their settings from: this process's, with the settings this
    command resolved (flags, and the base URI derived from host and port) written out."""
    chosen = {"store": config.store, "base_uri": config.base_uri, "host": config.host,
              "port": str(config.port), "tokens": config.tokens}
    return {**os.environ, **{SETTINGS_BY_NAME[name].env: value for name, value in chosen.items()}}


@click.command()
@click.option("--dev", is_flag=True, help="Flask's development server in one process, for development.")
@setting_option("host", "--host")
@setting_option("port", "--port", type=int)
@setting_option("workers", "--workers", type=int)
@setting_option("threads", "--threads", type=int)
@store_option
@base_option
def serve(dev: bool, host: str | None, port: int | None, workers: int | None, threads: int | None,
          store: str | None, base_uri: str | None) -> None:
    """Load the bundled model into the store, then serve it over HTTP (the production server)."""
    config = make_config(host=host, port=port, workers=workers, threads=threads, store=store,
                         base_uri=base_uri)
    target = open_for(config)
    loaded, _ = load_into(target, default_load_paths())
    click.echo(f"store {config.store}: {sum(c for _, c in loaded)} quads in {len(loaded)} graphs, "
               f"base URI {config.base_uri}")
    address = f"http://{config.host}:{config.port}/"
    if dev:
        from .web import create_app

        click.echo(f"odmld is serving on {address} (development server; Ctrl+C stops it)")
        create_app(config).run(host=config.host, port=config.port, threaded=True, use_reloader=False)
        return
    click.echo(f"odmld is serving on {address} ({config.workers} worker processes; Ctrl+C stops it)")
    sys.stdout.flush()
    os.execve(sys.executable, granian_command(config), worker_environment(config))
