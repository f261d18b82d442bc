"""Stores for the tests: the embedded one in a folder, or a real `oxigraph serve` on a loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from werkzeug.serving import make_server

from odmld.config import load_config
from odmld.loading import parse_paths
from odmld.resources import default_load_paths
from odmld.store import open_store

BASE_URI = "http://odmld.test/"
REPO = Path(__file__).resolve().parent.parent


def oxigraph_command() -> str:
    """The `oxigraph` server of the environment running the tests (the `oxigraph` package)."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        pytest.fail("the oxigraph server is not installed: pip install -e '.[test]'")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_oxigraph(folder: Path, *, union: bool = True) -> tuple[subprocess.Popen, str]:
    """`oxigraph serve` on `folder`, once it answers; returns the process and its query URL."""
    port = free_port()
    process = subprocess.Popen(
        [oxigraph_command(), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
         "--timeout-s", "30", *(["--union-default-graph"] if union else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2).read()
            return process, url
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"oxigraph serve ended: {process.stderr.read().decode()}") from None
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("oxigraph serve did not start within 30 s")


def open_location(location: str, *, read_only: bool = False):
    """The store at `location` (folder or URL), as odmld opens it."""
    return open_store(load_config({"store": location, "base_uri": BASE_URI}, environ={}),
                      read_only=read_only)


def model_loaded(location: str):
    """The store at `location` with data/, ontology/ and shapes/ loaded, opened read-write."""
    store = open_location(location)
    store.replace_graphs(parse_paths(default_load_paths(), BASE_URI))
    return store


@contextmanager
def live_server(app) -> Iterator[str]:
    """`app` served by werkzeug's threaded server on a free loopback port; yields its base URL."""
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_port}/"
    finally:
        http.shutdown()


def run_cli(*args: str, store: str | Path | None = None, input: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `odmld ARGS` as a user would, in a subprocess, with the test base URI."""
    environment = {**os.environ, "ODMLD_BASE_URI": BASE_URI, **(env or {})}
    if store is not None:
        environment["ODMLD_STORE"] = str(store)
    return subprocess.run([sys.executable, "-m", "odmld.cli", *args], capture_output=True,
                          text=True, input=input, env=environment, cwd=REPO, timeout=300)


def assessment_csv(note: str | None = None) -> bytes:
    """The example assessment (data/examples/assessment.csv); with `note` as domain 2's evidence, a
    submission that says something else, so that publishing it makes a new version (an identical
    resubmission is answered with the version that already holds it)."""
    body = (REPO / "data" / "examples" / "assessment.csv").read_bytes()
    return body if note is None else body.replace(b"\n2,1,2,\n", f"\n2,1,2,{note}\n".encode(), 1)
