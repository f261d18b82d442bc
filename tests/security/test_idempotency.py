"""Idempotent writes (issue 15, item 13).

Before: a write could commit without its answer reaching the client, and the retry made a second
version. Now a POST or DELETE with an `Idempotency-Key` is carried out once per organisation and key;
a retry gets the first answer (status, Location, body); the same key with another request is 422;
keys are kept in SQLite beside the store, for every process, for ODMLD_IDEMPOTENCY_HOURS.
"""

from __future__ import annotations

import socket
import sqlite3
import time
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest

from odmld.config import beside_store
from odmld.web import create_app, idempotency

from backends import BASE_URI, live_server
from .web_targets import EXAMPLES, GENT, LEUVEN, post_assessment, quads, writable_target

pytestmark = pytest.mark.slow  # submissions and withdrawals, each retried

CSV = (EXAMPLES / "assessment.csv").read_bytes()


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    made = writable_target(tmp_path_factory.mktemp("idempotency"))
    yield made
    made.close()


def versions(target, organisation: str, date: str) -> int:
    rows = target.store.select(
        "SELECT (COUNT(?a) AS ?n) WHERE { ?a <http://odmld.test/ns/odm#assessedOrganisation> ?o ; "
        "<http://purl.org/dc/terms/date> ?d }", o=ox.NamedNode(f"{BASE_URI}id/organisatie/{organisation}"),
        d=ox.Literal(date, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")))
    return int(rows[0]["n"].value)


def with_key(target, key: str, date: str, *, token: str | None = None, body: bytes = CSV, app=None):
    if app is not None:
        return app.test_client().post(f"/api/assessments?date={date}", data=body, headers={
            "Content-Type": "text/csv", "Accept": "application/json",
            "Authorization": f"Bearer {token or target.leuven}", "Idempotency-Key": key})
    return post_assessment(target, body, "text/csv", query=f"?date={date}", token=token,
                           headers={"Idempotency-Key": key})


def test_a_retry_with_the_same_key_gets_the_first_answer_and_no_second_version(target):
    first = with_key(target, "retry-1", "2013-01-01")
    again = with_key(target, "retry-1", "2013-01-01")
    assert first.status_code == again.status_code == 201
    assert again.headers["Location"] == first.headers["Location"]
    assert again.data == first.data
    assert again.headers.get("Idempotency-Replayed") == "true"
    assert versions(target, LEUVEN, "2013-01-01") == 1


def test_without_a_key_an_identical_resubmission_is_answered_with_the_first_version(target):
    first = post_assessment(target, CSV, "text/csv", query="?date=2013-01-02")
    again = post_assessment(target, CSV, "text/csv", query="?date=2013-01-02")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.headers["Location"] == first.headers["Location"]
    assert "Idempotency-Replayed" not in again.headers  # publishing itself knew it
    assert versions(target, LEUVEN, "2013-01-02") == 1


def test_the_same_key_with_another_body_is_422_and_changes_nothing(target):
    assert with_key(target, "retry-2", "2013-02-01").status_code == 201
    before = quads(target.store)
    other = with_key(target, "retry-2", "2013-02-01", body=CSV.replace(b"opgestart", b"gevorderd", 1))
    assert other.status_code == 422 and "Idempotency-Key" in other.get_json()["error"]["detail"]
    elsewhere = with_key(target, "retry-2", "2013-02-02")  # the same body to another date is another request
    assert elsewhere.status_code == 422
    assert quads(target.store) == before


def test_keys_belong_to_one_organisation(target):
    leuven = with_key(target, "shared-name", "2013-03-01")
    gent = with_key(target, "shared-name", "2013-03-01", token=target.gent)
    assert leuven.status_code == gent.status_code == 201
    assert leuven.headers["Location"] != gent.headers["Location"]
    assert versions(target, GENT, "2013-03-01") == 1


def test_a_refusal_is_kept_as_well(target):
    first = with_key(target, "refused-1", "2013-04-01", body=b"domain,maturity,need\n12,9,9\n")
    again = with_key(target, "refused-1", "2013-04-01", body=b"domain,maturity,need\n12,9,9\n")
    assert first.status_code == again.status_code == 422 and again.data == first.data
    assert again.headers.get("Idempotency-Replayed") == "true"  # kept, not carried out again


@pytest.mark.parametrize("key", ["", " ", "a" * 256, "\x01", "é", '"'])
def test_a_key_that_is_not_visible_ascii_is_400(target, key):
    before = quads(target.store)
    response = post_assessment(target, CSV, "text/csv", query="?date=2013-05-01",
                               headers={"Idempotency-Key": key})
    assert response.status_code == 400
    assert quads(target.store) == before


def test_a_retry_while_the_first_is_carried_out_is_409(target):
    keys = beside_store(target.app.config["ODMLD"].store, "idempotency.sqlite3")
    with_key(target, "warm-up", "2013-06-01")  # makes the table
    with target.app.test_request_context("/api/assessments?date=2013-06-02", method="POST", data=CSV,
                                         headers={"Content-Type": "text/csv"}):
        assert idempotency.claim(keys, LEUVEN, "in-flight", idempotency.request_fingerprint()) is None
    response = with_key(target, "in-flight", "2013-06-02")
    assert response.status_code == 409 and response.headers["Retry-After"]
    assert versions(target, LEUVEN, "2013-06-02") == 0


def test_an_abandoned_claim_is_taken_over(target):
    keys = beside_store(target.app.config["ODMLD"].store, "idempotency.sqlite3")
    with target.app.test_request_context("/api/assessments?date=2013-06-03", method="POST", data=CSV,
                                         headers={"Content-Type": "text/csv"}):
        assert idempotency.claim(keys, LEUVEN, "abandoned", idempotency.request_fingerprint()) is None
    with sqlite3.connect(keys) as connection:  # the process that claimed it died long ago
        connection.execute("UPDATE idempotency SET claimed = claimed - 600 WHERE key = 'abandoned'")
    assert with_key(target, "abandoned", "2013-06-03").status_code == 201


def test_a_key_is_forgotten_after_its_hours(target):
    assert with_key(target, "old-key", "2013-07-01").status_code == 201
    keys = beside_store(target.app.config["ODMLD"].store, "idempotency.sqlite3")
    with sqlite3.connect(keys) as connection:
        connection.execute("UPDATE idempotency SET claimed = claimed - 25 * 3600 WHERE key = 'old-key'")
    again = with_key(target, "old-key", "2013-07-01")  # carried out again: publishing knows the version
    assert again.status_code == 200 and again.headers["Location"].endswith("/v1")
    assert "Idempotency-Replayed" not in again.headers


def test_a_withdrawal_retried_with_its_key_is_answered_as_the_first_time(target):
    made = post_assessment(target, CSV, "text/csv", query="?date=2013-08-01").headers["Location"]
    ref = made.split("/id/inschatting/", 1)[1]
    headers = {"Authorization": f"Bearer {target.leuven}", "Accept": "application/json",
               "Idempotency-Key": "withdraw-1"}
    client = target.app.test_client()
    first = client.delete(f"/api/assessments/{ref}?reason=dubbel", headers=headers)
    again = client.delete(f"/api/assessments/{ref}?reason=dubbel", headers=headers)
    assert first.status_code == again.status_code == 200 and again.data == first.data
    plain = client.delete(f"/api/assessments/{ref}?reason=dubbel", headers={
        **headers, "Idempotency-Key": "withdraw-2"})
    assert plain.status_code == 409  # a new key is a new request: already withdrawn


def test_another_app_on_the_same_store_knows_the_key(target):
    """Two create_app() on one store and settings, as two worker processes of one site."""
    other = create_app(target.app.config["ODMLD"], store=target.store)
    try:
        first = with_key(target, "two-apps", "2013-09-01")
        again = with_key(target, "two-apps", "2013-09-01", app=other)
        assert again.status_code == 201 and again.headers["Location"] == first.headers["Location"]
        assert versions(target, LEUVEN, "2013-09-01") == 1
    finally:
        other.extensions["odmld.pool"].close()


def test_an_answer_the_client_never_read_is_given_to_its_retry(target):
    """The write commits while the client has gone (it closed the connection before the answer)."""
    with live_server(target.app) as url:
        parts = urlsplit(url)
        request = (f"POST /api/assessments?date=2013-10-01 HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
                   f"Authorization: Bearer {target.leuven}\r\nIdempotency-Key: lost-answer\r\n"
                   f"Content-Length: {len(CSV)}\r\nConnection: close\r\n\r\n").encode() + CSV
        with socket.create_connection((parts.hostname, parts.port), timeout=30) as raw:
            raw.sendall(request)
        # the client is gone; the server finishes the write and keeps the answer. The retry, as a
        # client honouring Retry-After does, asks again while the first is still being carried out
        deadline = time.monotonic() + 60
        while versions(target, LEUVEN, "2013-10-01") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)  # the write the client will never hear of has committed
        retry = with_key(target, "lost-answer", "2013-10-01")
        while retry.status_code == 409 and time.monotonic() < deadline:
            time.sleep(0.1)
            retry = with_key(target, "lost-answer", "2013-10-01")
        assert retry.status_code == 201 and retry.headers["Location"].endswith("/2013-10-01/v1")
        assert versions(target, LEUVEN, "2013-10-01") == 1
