"""Validators tell the truth: after a write, a document whose bytes changed is never answered 304 to its
old ETag or Last-Modified, one whose bytes did not change keeps both, and a kept response carries no
Date of its own (the server adds the current one). Real app, real store, real publications."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from odmld import tokens
from odmld.cli_data import load_into
from odmld.resources import default_load_paths, folder

from backends import model_loaded, open_location
from conftest import make_app

pytestmark = pytest.mark.slow  # real publications, and waits for the clock to move a second

CSV = folder("data") / "examples" / "assessment.csv"

# every route that sends validators, with the Accept it is asked with
ROUTES = {
    "/doc/organisatie/24062": "text/turtle",
    "/doc/organisatie/24062.html": "text/html",
    "/doc/maturiteitsdomein/1": "application/ld+json",
    "/ns/odm": "text/turtle",
    "/ns/odm-shapes": "text/turtle",
    "/graph/data/maturity-model.ttl": "text/turtle",
    "/dump/data/maturity-model.ttl.gz": "application/gzip",
    "/dump/odmld.nq.gz": "application/gzip",
    "/catalog": "text/turtle",
    "/catalog/volledig": "text/turtle",
    "/feed": "text/turtle",
    "/.well-known/void": "text/turtle",
    "/sparql": "text/turtle",  # the Service Description
}
UNDATED = {"/sparql"}  # it names the URL it was asked at: an ETag, but no Last-Modified


@pytest.fixture()
def writable(new_store, backend):
    path = new_store()
    app = make_app(path, model_loaded(path))
    token = tokens.create(Path(app.config["ODMLD"].tokens), "24062")[1]
    app.embedded = backend == "embedded"
    yield app, {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    app.extensions["odmld.pool"].close()


def publish(app, auth: dict, date: str) -> str:
    response = app.test_client().post(f"/api/assessments?date={date}", data=CSV.read_bytes(),
                                      headers={**auth, "Content-Type": "text/csv"})
    assert response.status_code == 201, response.data
    return "/doc/" + response.headers["Location"].split("/id/", 1)[1]


def current(app, path: str, accept: str):
    """The document as it is now, once its Last-Modified is due: it is the first whole second after
    the write that made its bytes, so for up to a second after a write it is not sent yet."""
    client = app.test_client()
    for _ in range(30):
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code == 200, (path, response.data[:300])
        if "Last-Modified" in response.headers or not app.embedded or path in UNDATED:
            break
        time.sleep(0.05)
    return response


def revalidated(app, path: str, accept: str, *, etag: str | None = None, since: str | None = None):
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if since:
        headers["If-Modified-Since"] = since
    return app.test_client().get(path, headers=headers)


def test_after_a_write_a_document_is_answered_304_exactly_when_its_bytes_are_unchanged(writable):
    app, auth = writable
    before = {path: current(app, path, accept) for path, accept in ROUTES.items()}
    wrong = []
    for path, response in before.items():
        if "ETag" not in response.headers:
            wrong.append(f"{path}: no ETag")
        if (app.embedded and path not in UNDATED) != ("Last-Modified" in response.headers):
            wrong.append(f"{path}: Last-Modified {response.headers.get('Last-Modified')!r}")
    publish(app, auth, "2026-06-01")
    changed = set()
    for path, accept in ROUTES.items():
        dated = app.embedded and path not in UNDATED
        old, new = before[path], current(app, path, accept)
        by_etag = revalidated(app, path, accept, etag=old.headers.get("ETag"))
        by_date = revalidated(app, path, accept, since=old.headers.get("Last-Modified"))
        if new.data != old.data:
            changed.add(path)
            if new.headers.get("ETag") == old.headers.get("ETag"):
                wrong.append(f"{path}: new bytes, same ETag")
            if by_etag.status_code != 200 or by_etag.data != new.data:
                wrong.append(f"{path}: changed, but {by_etag.status_code} to its old ETag")
            if dated and (by_date.status_code != 200 or by_date.data != new.data):
                wrong.append(f"{path}: changed, but {by_date.status_code} to its old Last-Modified")
        else:
            if new.headers.get("ETag") != old.headers.get("ETag"):
                wrong.append(f"{path}: same bytes, new ETag")
            if new.headers.get("Last-Modified") != old.headers.get("Last-Modified"):
                wrong.append(f"{path}: same bytes, Last-Modified moved")
            if by_etag.status_code != 304:
                wrong.append(f"{path}: unchanged, but {by_etag.status_code} to its ETag")
            if dated and by_date.status_code != 304:
                wrong.append(f"{path}: unchanged, but {by_date.status_code} to its Last-Modified")
    assert not wrong, "\n".join(wrong)
    # the publication changed what it must have, and left the model's documents alone
    assert {"/doc/organisatie/24062", "/feed", "/dump/odmld.nq.gz", "/.well-known/void"} <= changed
    assert {"/doc/maturiteitsdomein/1", "/ns/odm", "/graph/data/maturity-model.ttl"}.isdisjoint(changed)


def validated(response) -> tuple:
    """What a harvester compares: the bytes and both validators."""
    return response.data, response.headers.get("ETag"), response.headers.get("Last-Modified")


def test_loading_the_unchanged_model_again_as_every_server_start_does_changes_no_document(
        new_store, backend):
    path = new_store()
    store = open_location(path)
    load_into(store, default_load_paths())
    app = make_app(path, store)
    app.embedded = backend == "embedded"
    try:
        before = {route: current(app, route, accept) for route, accept in ROUTES.items()}
        time.sleep(1.1)  # a Last-Modified that moved would show
        load_into(store, default_load_paths())
        wrong = [route for route, accept in ROUTES.items()
                 if validated(current(app, route, accept)) != validated(before[route])]
    finally:
        app.extensions["odmld.pool"].close()
    assert not wrong


def test_a_new_document_is_not_answered_304_to_a_date_from_before_it_existed(writable):
    app, auth = writable
    seen = current(app, "/doc/organisatie/24062", "text/turtle").headers.get("Last-Modified")
    published = publish(app, auth, "2026-06-02")
    response = revalidated(app, published, "text/turtle", since=seen or "Mon, 01 Jan 2024 00:00:00 GMT")
    assert response.status_code == 200 and b"2026-06-02" in response.data


def test_last_modified_is_when_the_bytes_changed_not_when_the_process_started(writable):
    app, auth = writable
    if not app.embedded:
        pytest.skip("a remote store does not say when it changed")
    first = current(app, "/doc/organisatie/24062", "text/turtle")
    time.sleep(1.1)
    started = time.time()
    publish(app, auth, "2026-06-03")
    changed = current(app, "/doc/organisatie/24062", "text/turtle")
    modified = parsedate_to_datetime(changed.headers["Last-Modified"]).timestamp()
    assert modified > parsedate_to_datetime(first.headers["Last-Modified"]).timestamp()
    assert int(started) <= modified <= time.time()
    # another process on the same store (here: another app) states the same validators
    other = make_app(app.config["ODMLD"].store)
    try:
        again = other.test_client().get("/doc/organisatie/24062", headers={"Accept": "text/turtle"})
        assert again.headers["ETag"] == changed.headers["ETag"]
        assert again.headers["Last-Modified"] == changed.headers["Last-Modified"]
    finally:
        other.extensions["odmld.pool"].close()


def test_a_remote_store_sends_no_last_modified(writable):
    app, _ = writable
    if app.embedded:
        pytest.skip("the embedded store knows when each write was published")
    response = app.test_client().get("/doc/maturiteitsdomein/1", headers={"Accept": "text/turtle"})
    assert "ETag" in response.headers and "Last-Modified" not in response.headers


def test_documents_are_kept_downstream_only_if_revalidated_and_full_feed_pages_for_good(client):
    for path, accept in ROUTES.items():
        response = client.get(path, headers={"Accept": accept})
        assert response.headers.get("Cache-Control") == "no-cache", path
    open_page = client.get("/feed", headers={"Accept": "text/turtle"})
    assert open_page.headers["Cache-Control"] == "no-cache"


def test_the_app_sends_no_date_of_its_own_the_server_adds_the_current_one(client):
    asked = ("/doc/maturiteitsdomein/2", {"Accept": "text/turtle"})
    first = client.get(asked[0], headers=asked[1])
    again = client.get(asked[0], headers=asked[1])  # answered by the response cache
    not_modified = client.get(asked[0], headers={**asked[1], "If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304
    for response in (first, again, not_modified, client.get("/feed"), client.get("/graph/nothing.ttl")):
        assert "Date" not in response.headers


def test_a_kept_response_never_replays_a_date_or_hop_by_hop_headers():
    """The middleware in front of the app, around a WSGI app that sends what no kept response may."""
    from werkzeug.test import Client

    from odmld.caching import AnswerCache
    from odmld.web.response_cache import REUSABLE, ResponseCache

    def app(environ, start_response):
        environ[REUSABLE] = True
        start_response("200 OK", [("Content-Type", "text/plain"), ("Date", "Mon, 01 Jan 2001 00:00:00 GMT"),
                                  ("Connection", "keep-alive, X-Trace"), ("Keep-Alive", "timeout=5"),
                                  ("X-Trace", "request 1"), ("Transfer-Encoding", "chunked"),
                                  ("ETag", '"e"')])
        return [b"body"]

    cache = AnswerCache(100_000)
    client = Client(ResponseCache(app, cache, lambda: 1))
    for answer in (client.get("/x"), client.get("/x")):  # made, then kept
        assert answer.get_data() == b"body" and answer.headers["ETag"] == '"e"'
        assert not {"Date", "Connection", "Keep-Alive", "X-Trace", "Transfer-Encoding"} & set(answer.headers.keys())
    assert len(cache) == 1


def test_a_revalidation_answered_from_a_kept_response_is_304_only_for_the_kept_bytes(writable):
    app, auth = writable
    if not app.embedded:
        pytest.skip("nothing is kept for a remote store")
    page, accept = "/doc/organisatie/24062", "text/turtle"
    first = current(app, page, accept)
    current(app, page, accept)  # now kept whole
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    for headers in ({"If-None-Match": etag}, {"If-Modified-Since": modified}, {"If-None-Match": f'"x", {etag}'}):
        unchanged = revalidated(app, page, accept, **{"etag": headers.get("If-None-Match"),
                                                       "since": headers.get("If-Modified-Since")})
        assert unchanged.status_code == 304 and unchanged.data == b""
        assert unchanged.headers["ETag"] == etag and unchanged.headers["Vary"] == "Accept, Accept-Encoding"
        assert "Content-Type" not in unchanged.headers and "Date" not in unchanged.headers
    other = revalidated(app, page, accept, etag='"something else"')
    assert other.status_code == 200 and other.data == first.data
    publish(app, auth, "2026-06-04")
    assert revalidated(app, page, accept, etag=etag).status_code == 200
    assert revalidated(app, page, accept, since=modified).status_code == 200


def recorded_dates(app) -> list[tuple]:
    """Every row of the shared table of change times (change_times.py), as it is now."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(app.extensions["odmld.change_times"].path)) as db:
        return db.execute("SELECT key, etag, since, published FROM documents ORDER BY key").fetchall()


def test_a_page_asked_with_a_query_beyond_lang_gets_no_date_and_records_nothing(writable):
    """An HTML page's language switch links the query it was asked with, so the query changes its
    bytes; dating such bytes would rewrite the page's row (its Last-Modified moving to and fro) at
    every query anyone makes up. So only the page itself, and in a language, is dated."""
    app, _ = writable
    if not app.embedded:
        pytest.skip("a remote store does not say when it changed")
    page = "/doc/organisatie/24062.html"
    dated = current(app, page + "?lang=en", "text/html")
    assert "Last-Modified" in dated.headers
    before = recorded_dates(app)
    client = app.test_client()
    for query in ("?lang=en&x=1", "?x=2&lang=en", "?x=3", "?lang=en&lang=nl&utm_source=y"):
        response = client.get(page + query, headers={"Accept": "text/html"})
        assert response.status_code == 200 and "ETag" in response.headers, query
        assert "Last-Modified" not in response.headers, query
    assert recorded_dates(app) == before
    again = current(app, page + "?lang=en", "text/html")
    assert again.headers["Last-Modified"] == dated.headers["Last-Modified"]
