"""The production server as `odmld serve` starts it: granian serving `create_worker_app`, started as a user would."""

import base64
import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from urllib.parse import quote

import pytest
import rdflib

from backends import BASE_URI, free_port

pytestmark = pytest.mark.slow  # the production server (granian) and its worker processes

DOMAINS = "SELECT ?d WHERE { ?d a <http://odmld.test/ns/odm#MaturityDomain> }"


def granian_command() -> str:
    beside = Path(sys.executable).parent / "granian"
    if not beside.exists():
        pytest.fail("the production server is not installed: pip install -e '.[test]'")
    return str(beside)


def start_granian(store: str) -> tuple[str, subprocess.Popen]:
    """granian as in the README (2 workers, 4 threads each, a bounded stop), in a process group of its
    own, once it answers; returns its base URL and the process."""
    port = free_port()
    env = {**os.environ, "ODMLD_STORE": store, "ODMLD_BASE_URI": BASE_URI}
    server = subprocess.Popen(
        [granian_command(), "--interface", "wsgi", "--workers", "2", "--blocking-threads", "4",
         "--workers-kill-timeout", "10",
         "--host", "127.0.0.1", "--port", str(port), "--factory", "odmld.web:create_worker_app"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base, timeout=2).read()
            return base, server
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                os.killpg(server.pid, signal.SIGKILL)
                pytest.fail(f"granian did not start: {server.stdout.read()}")
            time.sleep(0.3)


def test_a_worker_app_has_its_templates_compiled_and_its_startup_objects_frozen(model_store_path):
    """What each worker builds (in a process of its own: gc.freeze is the whole process's)."""
    probe = ("import gc; from odmld.web import create_worker_app; app = create_worker_app(); "
             "print(gc.get_freeze_count(), len(app.jinja_env.list_templates()), len(app.jinja_env.cache))")
    env = {**os.environ, "ODMLD_STORE": model_store_path, "ODMLD_BASE_URI": BASE_URI}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    frozen, templates, compiled = map(int, done.stdout.split())
    assert frozen > 10_000 and templates > 0 and compiled == templates


@pytest.fixture(scope="module")
def production(model_store_path):
    base, server = start_granian(model_store_path)
    yield base, server
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    server.wait()


def get(url: str, accept: str, method: str = "GET") -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_documents_and_queries(production):
    base, _ = production
    status, headers, body = get(base + "doc/maturiteitsdomein/4", "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    assert (rdflib.URIRef(BASE_URI + "id/maturiteitsdomein/4"), rdflib.SKOS.notation, rdflib.Literal("4")) in graph
    status, headers, body = get(base + "doc/maturiteitsdomein/4", "text/turtle", method="HEAD")
    assert status == 200 and body == b""

    asked = base + "sparql?query=" + quote(DOMAINS)
    answers = [get(asked, "application/sparql-results+json") for _ in range(3)]  # then from memory
    assert {status for status, _, _ in answers} == {200}
    assert len(json.loads(answers[0][2])["results"]["bindings"]) == 11
    assert answers[1][2] == answers[0][2] == answers[2][2]


def test_errors_keep_their_shape(production):
    base, _ = production
    status, _, body = get(base + "sparql?query=" + quote("SELECT * WHERE { ?s ?p }"), "application/json")
    assert status == 400 and json.loads(body)["error"]["status"] == 400
    status, _, body = get(base + "api/assessments", "application/json", method="POST")
    # workers take writes; the message is Dutch, as no language was asked for
    assert status == 401 and "schrijfsleutel" in json.loads(body)["error"]["detail"]


def test_the_whole_store_dump_is_streamed_with_its_digest(production):
    base, _ = production
    status, headers, body = get(base + "dump/odmld.nq.gz", "application/gzip")
    assert status == 200 and headers["Content-Type"] == "application/gzip" and "Content-Encoding" not in headers
    assert headers["Repr-Digest"] == f"sha-256=:{base64.b64encode(hashlib.sha256(body).digest()).decode()}:"
    assert b"maturiteitsdomein/4" in gzip.decompress(body)


def test_stopping_leaves_no_process_behind(model_store_path):
    base, server = start_granian(model_store_path)
    assert get(base + "sparql?query=" + quote(DOMAINS), "application/json")[0] == 200  # query processes run
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)
    deadline = time.monotonic() + 15
    while True:
        try:
            os.killpg(server.pid, 0)  # any worker or query process left in the group?
        except ProcessLookupError:
            return
        assert time.monotonic() < deadline, "processes of the server outlived it"
        time.sleep(0.2)
