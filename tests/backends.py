"""Stores for the tests: the embedded one in a folder, or a real SPARQL server on a loopback port:
`oxigraph serve`, or Virtuoso Open Source (Debian's `virtuoso-opensource`) where it is installed."""

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
    _wait_until_it_answers(process, url, "oxigraph serve")
    return process, url


VIRTUOSO_MISSING = ("Virtuoso is not installed (apt-get install virtuoso-opensource): its tests are "
                    "skipped")
# The settings docs/deploying.md gives for Virtuoso: the SPARQL account may update (odmld writes through
# /sparql), and neither SERVICE, the sponger (`define get:soft`) nor LOAD fetches anything.
VIRTUOSO_SETUP = [
    'GRANT SPARQL_UPDATE TO "SPARQL"',
    'REVOKE EXECUTE ON DB.DBA.SPARQL_SINV_IMP FROM "SPARQL_SPONGE"',
    'REVOKE SELECT ON DB.DBA.SPARQL_SINV_2 FROM "SPARQL_SPONGE"',
    'REVOKE EXECUTE ON DB.DBA.RDF_SPONGE_UP FROM "SPARQL_SPONGE"',
    'REVOKE EXECUTE ON DB.DBA.RDF_SPONGE_UP_1 FROM "SPARQL_SPONGE"',
    'REVOKE EXECUTE ON DB.DBA.RDF_SPONGE_UP_LIST FROM "SPARQL_SPONGE"',
    'REVOKE EXECUTE ON DB.DBA.SPARUL_LOAD_SERVICE_DATA FROM "SPARQL_SPONGE"',
    'REVOKE EXECUTE ON DB.DBA.SPARUL_LOAD_SERVICE_DATA FROM "SPARQL_LOAD_SERVICE_DATA"',
    'REVOKE EXECUTE ON DB.DBA.SPARUL_LOAD_SERVICE_DATA FROM "SPARQL_UPDATE"',
    'REVOKE EXECUTE ON DB.DBA.SPARUL_LOAD FROM "SPARQL_UPDATE"',
]
VIRTUOSO_INI = """[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {folder}
ThreadsPerQuery = 1
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 10
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = {max_seconds}
"""
_virtuoso_template: list[Path] = []


def virtuoso_installed() -> bool:
    return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None


def _virtuoso(folder: Path, max_seconds: int = 30) -> tuple[subprocess.Popen, str, int]:
    """Virtuoso on the database in `folder` (made there if absent), once /sparql answers."""
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(folder=folder, sql_port=sql_port,
                                                             http_port=http_port, max_seconds=max_seconds))
    process = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                               cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{http_port}/sparql"
    _wait_until_it_answers(process, url, "virtuoso-t", limit=120)
    return process, url, sql_port


def _isql(sql_port: int, statements: list[str]) -> None:
    script = "".join(f"{statement};\n" for statement in statements)
    done = subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba"], input=script, text=True,
                          capture_output=True, timeout=120)
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql-vt failed: {done.stdout} {done.stderr}")


def virtuoso_template(scratch: Path) -> Path:
    """A fresh Virtuoso database set up as docs/deploying.md says, made once per test session (its
    first start takes seconds); each server starts on a copy."""
    if not _virtuoso_template:
        folder = scratch / "virtuoso-template"
        folder.mkdir()
        process, _url, sql_port = _virtuoso(folder)
        try:
            _isql(sql_port, VIRTUOSO_SETUP + ["checkpoint"])
            subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", "exec=shutdown"],
                           capture_output=True, timeout=60)
            process.wait(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        _virtuoso_template.append(folder / "virtuoso.db")
    return _virtuoso_template[0]


def start_virtuoso(folder: Path, scratch: Path, max_seconds: int = 30) -> tuple[subprocess.Popen, str]:
    """Virtuoso on a copy of the session's template database in `folder`, on free loopback ports, that
    stops a query after `max_seconds`; returns the process and its query URL (/sparql, which also
    takes updates)."""
    if not virtuoso_installed():
        pytest.skip(VIRTUOSO_MISSING)
    template = virtuoso_template(scratch)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, folder / "virtuoso.db")
    process, url, _sql_port = _virtuoso(folder, max_seconds)
    return process, url


def start_server(engine: str, folder: Path, scratch: Path) -> tuple[subprocess.Popen, str]:
    """A SPARQL server of `engine` ("remote": oxigraph serve, "virtuoso") holding nothing yet."""
    if engine == "virtuoso":
        return start_virtuoso(folder, scratch)
    return start_oxigraph(folder)


def _wait_until_it_answers(process: subprocess.Popen, url: str, name: str, limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2).read()
            return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"{name} ended: {process.stderr.read().decode()}") from None
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"{name} did not start within {limit:g} s")


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
