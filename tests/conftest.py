"""Shared fixtures: real stores holding the bundled model, and the CLI as a subprocess.

Every test that takes a store runs twice: on the embedded on-disk Oxigraph store, and on a real
`oxigraph serve` (the `oxigraph` package) started on a free loopback port, reached over the SPARQL
protocol. `new_store()` gives a fresh, empty location of the backend under test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from backends import BASE_URI, model_loaded, open_location, start_oxigraph

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def base_uri() -> str:
    return BASE_URI


@pytest.fixture(scope="session", params=["embedded", "remote"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def new_store(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Callable[[], str]:
    """Makes a fresh, empty store location: a folder, or the URL of a new `oxigraph serve`."""
    servers: list[subprocess.Popen] = []

    def make() -> str:
        folder = tmp_path_factory.mktemp(backend)
        if backend == "embedded":
            return str(folder / "store")
        process, url = start_oxigraph(folder)
        servers.append(process)
        return url

    yield make
    for process in servers:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def model_store_path(new_store: Callable[[], str]) -> str:
    """A store holding data/, ontology/ and shapes/, loaded once per test session and backend."""
    location = new_store()
    store = model_loaded(location)
    store.flush()
    del store
    return location


@pytest.fixture(scope="session")
def model_store(model_store_path: str):
    """The loaded model, opened read-only: tests must not change it."""
    return open_location(model_store_path, read_only=True)


def run_cli(*args: str, store: str | Path | None = None, input: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `odmld ARGS` as a user would, in a subprocess, with the test base URI."""
    environment = {**os.environ, "ODMLD_BASE_URI": BASE_URI, **(env or {})}
    if store is not None:
        environment["ODMLD_STORE"] = str(store)
    return subprocess.run([sys.executable, "-m", "odmld.cli", *args], capture_output=True,
                          text=True, input=input, env=environment, cwd=REPO, timeout=300)


@pytest.fixture()
def cli():
    return run_cli
