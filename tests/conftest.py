"""Shared fixtures: a real on-disk Oxigraph store holding the bundled model, and the CLI as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from odmld.config import load_config
from odmld.loading import parse_paths
from odmld.resources import default_load_paths
from odmld.store import Store

BASE_URI = "http://odmld.test/"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def base_uri() -> str:
    return BASE_URI


@pytest.fixture(scope="session")
def model_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store on disk holding data/, ontology/ and shapes/, loaded once per test session."""
    path = tmp_path_factory.mktemp("model-store")
    store = Store(path, base_uri=BASE_URI)
    store.replace_graphs(parse_paths(default_load_paths(), BASE_URI))
    store.flush()
    del store
    return path


@pytest.fixture(scope="session")
def model_store(model_store_path: Path) -> Store:
    """The loaded model, opened read-only: tests must not change it."""
    return Store(model_store_path, base_uri=BASE_URI, read_only=True)


def run_cli(*args: str, store: Path | None = None, input: str | None = None,
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


@pytest.fixture()
def test_config(tmp_path: Path):
    """A Config for a fresh empty store in a temporary folder."""
    return load_config({"store": str(tmp_path / "store"), "base_uri": BASE_URI}, environ={})
