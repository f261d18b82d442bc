"""Bodies over the limit are refused, chunked or not, before anything is parsed (issue 15, item 8).

Before, a chunked body over 1 MiB was cut to 1 MiB and processed: a CSV whose invalid last row lay past
the cut was published (201). Real servers on loopback sockets and real chunked requests (http.client
with encode_chunked): Flask's development server, as `odmld serve` runs it, and granian, as the
README's production command runs it.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from backends import BASE_URI, free_port, live_server
from .web_targets import quads, writable_target

pytestmark = pytest.mark.slow  # the production server (granian) and bodies past the limit

LIMIT = 1024 * 1024
VALID_ROW = b"domain,maturity,need,evidence\n1,opgestart,sterke nood,\n"
# blank lines are skipped as a spreadsheet export has them; the row that must be read lies past 1 MiB
PAST_THE_LIMIT = VALID_ROW + b"\n" * LIMIT + b"12,wonderful,enormous,\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    target = writable_target(tmp_path_factory.mktemp("bodies"))
    with live_server(target.app) as url:
        yield target, url
    target.close()


def chunks(body: bytes, size: int = 64 * 1024):
    for start in range(0, len(body), size):
        yield body[start:start + size]


def send(url: str, path: str, body: bytes, headers: dict[str, str], *, chunked: bool) -> tuple[int, bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        if chunked:
            connection.request("POST", path, body=chunks(body), headers=headers, encode_chunked=True)
        else:
            connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def api_headers(target) -> dict[str, str]:
    return {"Content-Type": "text/csv", "Authorization": f"Bearer {target.leuven}",
            "Accept": "application/json"}


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_a_csv_whose_last_row_lies_past_the_limit_is_413_and_stores_nothing(server, chunked):
    target, url = server
    before = quads(target.store)
    status, body = send(url, "/api/assessments?date=2024-06-01", PAST_THE_LIMIT, api_headers(target),
                        chunked=chunked)
    assert status == 413, body[:300]
    error = json.loads(body)["error"]
    assert error["status"] == 413 and "1 MiB" in error["detail"]
    assert quads(target.store) == before


def test_a_chunked_body_within_the_limit_is_read_whole(server):
    target, url = server
    within = VALID_ROW + b"\n" * 1000 + b"12,wonderful,enormous,\n"
    status, body = send(url, "/api/assessments?date=2024-06-02", within, api_headers(target), chunked=True)
    assert status == 422, body[:300]  # its last row was read, and refused
    assert [v["value"] for v in json.loads(body)["error"]["violations"]][:1] == ["12"]


def test_a_chunked_body_of_exactly_the_limit_is_accepted(server):
    target, url = server
    exact = VALID_ROW + b"\n" * (LIMIT - len(VALID_ROW))
    assert len(exact) == LIMIT
    status, body = send(url, "/api/assessments?date=2024-06-03", exact, api_headers(target), chunked=True)
    assert status == 201, body[:300]


@pytest.mark.parametrize("past", [10, 4 * LIMIT], ids=["just", "4-MiB-more"])
def test_a_chunked_form_post_past_the_limit_is_413(server, past):
    target, url = server
    before = quads(target.store)
    status, _ = send(url, "/zelfevaluatie", b"date=2024-01-01&evidence-1=" + b"x" * (LIMIT + past),
                     {"Content-Type": "application/x-www-form-urlencoded"}, chunked=True)
    assert status == 413
    assert quads(target.store) == before


def test_a_declared_length_past_the_limit_is_refused_before_the_body_is_sent(server):
    """Past the limit and the 8 MiB a refused body may still be read for (body_limit.DRAIN), the server
    answers from the headers alone: it never waits for a body that large."""
    target, url = server
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as raw:
        raw.sendall(b"POST /api/assessments?date=2024-06-04 HTTP/1.1\r\nHost: x\r\n"
                    b"Content-Type: text/csv\r\nAccept: application/json\r\n"
                    + f"Authorization: Bearer {target.leuven}\r\nContent-Length: {10 * LIMIT}\r\n\r\n".encode())
        answer = raw.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_a_content_length_that_is_not_a_number_is_400(server):
    target, url = server
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as raw:
        raw.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                    b"Content-Length: \xc2\xb2\r\nConnection: close\r\n\r\nASK {}")
        answer = raw.recv(65536)
    assert answer.split(b" ", 2)[1][:1] == b"4", answer[:200]


def test_under_granian_a_chunked_query_past_the_limit_is_413(model_store_path):
    """The production server: a query whose text is valid if cut at 1 MiB (a comment fills it), and
    4 MiB more of it still to send when the limit is passed. The client must get its 413: before,
    granian answered while the body was still coming and closed, and the client saw a broken pipe."""
    port = free_port()
    env = {**os.environ, "ODMLD_STORE": model_store_path, "ODMLD_BASE_URI": BASE_URI}
    granian = Path(sys.executable).parent / "granian"
    process = subprocess.Popen([str(granian), "--interface", "wsgi", "--workers", "1", "--host", "127.0.0.1",
                                "--port", str(port), "--factory", "odmld.web:create_worker_app"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "sparql?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "granian did not start"
                time.sleep(0.3)
        query = b"ASK {} #" + b"x" * (LIMIT + 4 * LIMIT) + b"\nnot a query"
        status, _ = send(url, "/sparql", query, {"Content-Type": "application/sparql-query",
                                                 "Accept": "application/sparql-results+json"}, chunked=True)
        assert status == 413
        status, _ = send(url, "/sparql", query, {"Content-Type": "application/sparql-query",
                                                 "Accept": "application/sparql-results+json"}, chunked=False)
        assert status == 413  # the same with its length declared: before, a broken pipe as well
        status, _ = send(url, "/sparql", b"ASK {} #" + b"x" * 1000, {
            "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
            chunked=True)
        assert status == 200
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
