"""HTTP caching on the servers `odmld serve` starts, production (granian, two worker processes) and
development (`--dev`, werkzeug): a harvester revalidating a document after a write through the API gets
the new bytes, and 304 only while nothing changed, from every worker; every response has one Date, the
time it was sent, even when it was answered from a cache. Real processes, loopback only."""

from __future__ import annotations

import math
import time
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import pytest

from backends import free_port
from test_deployment import EXAMPLE_CSV, Deployment, cpu_ticks

pytestmark = pytest.mark.slow  # live servers (the production one too)

SERVERS = {"production": ("--workers", "2"), "development": ("--dev",)}
TIMES = 20  # revalidations of each kind in each state
CHANGING, UNCHANGED = "doc/organisatie/24062.ttl", "doc/maturiteitsdomein/1.ttl"


@pytest.fixture(scope="module", params=list(SERVERS))
def server(request, tmp_path_factory):
    running = Deployment(str(tmp_path_factory.mktemp(request.param) / "store"), free_port(),
                         SERVERS[request.param])
    running.start()
    running.kind = request.param
    running.token = running.cli("token", "create", "--org", "24062").stdout.split()[-1]
    yield running
    running.stop()


def sent(server: Deployment, path: str, **headers: str):
    """The answer to one request over a new connection, checked for one Date of its own time."""
    before = time.time()
    status, answer, body = server.request(path, headers=headers)
    after = time.time()
    dates = answer.get_all("Date") or []
    assert len(dates) == 1, (path, status, dates)
    assert math.floor(before) <= parsedate_to_datetime(dates[0]).timestamp() <= after, (path, dates[0])
    return status, answer, body


def validators(server: Deployment, path: str) -> tuple[str, str, bytes]:
    """ETag, Last-Modified and bytes of a document once its Last-Modified is due (up to the first
    whole second after the write that made it)."""
    for _ in range(40):
        status, answer, body = sent(server, path)
        assert status == 200, body[:300]
        if answer["Last-Modified"]:
            return answer["ETag"], answer["Last-Modified"], body
        time.sleep(0.05)
    pytest.fail(f"{path} never got a Last-Modified")


def revalidations(server: Deployment, path: str, etag: str, modified: str) -> set[tuple[int, bytes]]:
    """What TIMES revalidations each by ETag, by date and by both answer."""
    answers = set()
    for _ in range(TIMES):
        for headers in ({"If-None-Match": etag}, {"If-Modified-Since": modified},
                        {"If-None-Match": etag, "If-Modified-Since": modified}):
            status, _, body = sent(server, path, **headers)
            answers.add((status, body))
    return answers


def test_every_response_has_one_date_of_the_moment_it_was_sent(server):
    sparql = "sparql?query=" + quote("SELECT ?d WHERE { ?d a <%sns/odm#MaturityDomain> }" % server.base)
    for path, headers in (("doc/maturiteitsdomein/2.ttl", {}), (sparql, {"Accept": "application/json"}),
                          ("feed", {}), ("catalog.ttl", {}), ("", {}), ("doc/nothing/here", {}),
                          ("dump/data/maturity-model.ttl.gz", {}), (".well-known/void", {})):
        status, answer, _ = sent(server, path, **headers)
        assert status in (200, 404), path
        if answer["ETag"]:
            assert sent(server, path, **headers, **{"If-None-Match": answer["ETag"]})[0] == 304
    time.sleep(1.1)  # what the caches answer now was made more than a second ago
    for path, headers in (("doc/maturiteitsdomein/2.ttl", {}), (sparql, {"Accept": "application/json"})):
        assert sent(server, path, **headers)[0] == 200


def test_a_harvester_revalidating_after_a_write_gets_the_new_bytes_and_304_only_while_unchanged(server):
    workers = server.workers() if server.kind == "production" else []
    ticks = {pid: cpu_ticks(pid) for pid in workers}
    etag, modified, body = validators(server, CHANGING)
    kept = validators(server, UNCHANGED)
    assert revalidations(server, CHANGING, etag, modified) == {(304, b"")}

    status, answer, created = server.request(
        "api/assessments?date=2024-05-01", method="POST", body=EXAMPLE_CSV,
        headers={"Authorization": f"Bearer {server.token}", "Content-Type": "text/csv"})
    assert status == 201, created
    published = sent(server, CHANGING)[2]
    assert published != body and b"2024-05-01" in published
    assert revalidations(server, CHANGING, etag, modified) == {(200, published)}
    assert revalidations(server, UNCHANGED, *kept[:2]) == {(304, b"")}  # that write left it alone

    new_etag, new_modified, again = validators(server, CHANGING)
    assert again == published and new_etag != etag
    assert parsedate_to_datetime(new_modified) > parsedate_to_datetime(modified)
    assert revalidations(server, CHANGING, new_etag, new_modified) == {(304, b"")}

    reference = answer["Location"].removeprefix(server.base + "id/inschatting/")
    status, _, withdrawn = server.request(f"api/assessments/{reference}?reason=test", method="DELETE",
                                          headers={"Authorization": f"Bearer {server.token}"})
    assert status == 200, withdrawn
    after = sent(server, CHANGING)[2]
    assert after != published
    assert revalidations(server, CHANGING, new_etag, new_modified) == {(200, after)}
    assert all(cpu_ticks(pid) > ticks[pid] for pid in workers), "one worker answered nothing"
