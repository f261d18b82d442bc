"""Shared fixtures: real stores holding the bundled model, and the CLI as a subprocess.

Every test that takes a store runs on each backend: the embedded on-disk Oxigraph store, a real
`oxigraph serve` (the `oxigraph` package) and a real Virtuoso (Debian's `virtuoso-opensource`, skipped
where it is not installed), each server started on free loopback ports and reached over the SPARQL
protocol. `new_store()` gives a fresh, empty location of the backend under test; the servers a test
module started are stopped when it ends.
"""

from __future__ import annotations

import subprocess
from typing import Callable

import pytest

from backends import (BASE_URI, VIRTUOSO_MISSING, model_loaded, open_location, run_cli, start_server,
                      virtuoso_installed)

BACKENDS = ["embedded", "remote", "virtuoso"]


SERVER_BACKENDS = {"remote", "virtuoso"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`slow` (left out by `pytest -m "not slow"`, docs/testing.md) for what starts a server or a
    browser: every test's runs on the remote and Virtuoso backends, and the tests that drive Chromium.
    The other slow tests say so themselves (`pytestmark` or `@pytest.mark.slow`)."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_a_server = callspec is not None and callspec.params.get("backend") in SERVER_BACKENDS
        in_a_browser = "browser" in item.path.parts or "in_a_browser" in item.path.stem + item.name
        if on_a_server or in_a_browser:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def base_uri() -> str:
    return BASE_URI


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "virtuoso" and not virtuoso_installed():
        pytest.skip(VIRTUOSO_MISSING)
    return request.param


class Servers:
    """The SPARQL servers started for the tests, each kept for the session or for one test module."""

    def __init__(self) -> None:
        self.of_session: list[subprocess.Popen] = []
        self.of_module: list[subprocess.Popen] = []

    @staticmethod
    def stop(processes: list[subprocess.Popen]) -> None:
        for process in processes:
            process.kill()
            process.wait()
        processes.clear()


_servers = Servers()


@pytest.fixture(scope="module", autouse=True)
def _stop_the_servers_of_each_module():
    """A server is a few hundred MB (Virtuoso): those a module started go when it ends."""
    yield
    Servers.stop(_servers.of_module)


@pytest.fixture(scope="session")
def new_store(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., str]:
    """Makes a fresh, empty store location: a folder, or the URL of a new server of the backend.
    `for_session=True` keeps its server until the session ends (else: until the module ends)."""
    scratch = tmp_path_factory.mktemp("servers")

    def make(*, for_session: bool = False) -> str:
        folder = tmp_path_factory.mktemp(backend)
        if backend == "embedded":
            return str(folder / "store")
        process, url = start_server(backend, folder, scratch)
        (_servers.of_session if for_session else _servers.of_module).append(process)
        return url

    yield make
    Servers.stop(_servers.of_session)


@pytest.fixture(scope="session")
def model_store_path(new_store: Callable[..., str]) -> str:
    """A store holding data/, ontology/ and shapes/, loaded once per test session and backend."""
    location = new_store(for_session=True)
    model_loaded(location)
    return location


@pytest.fixture(scope="session")
def model_store(model_store_path: str):
    """The loaded model, opened read-only: tests must not change it."""
    return open_location(model_store_path, read_only=True)


@pytest.fixture()
def cli():
    return run_cli
