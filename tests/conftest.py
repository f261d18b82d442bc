"""Shared fixtures: real stores holding the bundled model, and the CLI as a subprocess.

Every test that takes a store runs twice: on the embedded on-disk Oxigraph store, and on a real
`oxigraph serve` (the `oxigraph` package) started on a free loopback port, reached over the SPARQL
protocol. `new_store()` gives a fresh, empty location of the backend under test.
"""

from __future__ import annotations

import subprocess
from typing import Callable

import pytest

from backends import BASE_URI, model_loaded, open_location, run_cli, start_oxigraph


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
    model_loaded(location)
    return location


@pytest.fixture(scope="session")
def model_store(model_store_path: str):
    """The loaded model, opened read-only: tests must not change it."""
    return open_location(model_store_path, read_only=True)


@pytest.fixture()
def cli():
    return run_cli
