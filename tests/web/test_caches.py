"""The answer caches: a repeated /doc/ page or public SPARQL query is answered from memory, and a write
is seen at once (real app, real store, real submissions)."""

import time
from pathlib import Path
from urllib.parse import quote

import pytest

from odmld import tokens
from odmld.caching import AnswerCache
from odmld.resources import folder
from odmld.sparql.screen import screen
from odmld.web.response_cache import ResponseCache

from backends import model_loaded
from conftest import make_app

pytestmark = pytest.mark.slow  # real submissions, and waits for a Last-Modified to be due

CSV = folder("data") / "examples" / "assessment.csv"
VERSIONS = ("SELECT (COUNT(?a) AS ?n) WHERE { ?a <http://odmld.test/ns/odm#assessedOrganisation> "
            "<http://odmld.test/id/organisatie/24062> }")


@pytest.fixture()
def writable(new_store):
    path = new_store()
    app = make_app(path, model_loaded(path))
    token = tokens.create(Path(app.config["ODMLD"].tokens), "24062")[1]
    yield app, {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    app.extensions["odmld.pool"].close()


def publish(app, auth: dict, date: str) -> str:
    response = app.test_client().post(f"/api/assessments?date={date}", data=CSV.read_bytes(),
                                      headers={**auth, "Content-Type": "text/csv"})
    assert response.status_code == 201, response.data
    return response.headers["Location"].split("/id/inschatting/", 1)[1]


@pytest.mark.parametrize("media", ["text/html", "text/turtle", "application/ld+json"])
def test_a_doc_page_shows_a_publish_and_a_withdrawal_at_once(writable, media):
    app, auth = writable
    client = app.test_client()
    page = "/doc/organisatie/24062"
    first = client.get(page, headers={"Accept": media})
    assert client.get(page, headers={"Accept": media}).data == first.data  # the kept page
    assert b"2026-10-31" not in first.data

    ref = publish(app, auth, "2026-10-31")
    published = client.get(page, headers={"Accept": media})
    assert published.status_code == 200 and b"2026-10-31" in published.data
    assert published.headers["ETag"] != first.headers["ETag"]
    if media == "text/html":
        assert client.delete(f"/api/assessments/{ref}?reason=test", headers=auth).status_code == 200
        withdrawn = client.get(page, headers={"Accept": media, "Accept-Language": "en"})
        assert b"withdrawn" in withdrawn.data


@pytest.mark.parametrize("page", ["/catalog?page=1", "/feed?page=1", "/.well-known/void"])
def test_a_catalogue_or_feed_page_is_kept_whole_and_shows_a_publish_at_once(writable, page):
    app, auth = writable
    kept = whole_responses(app)
    client = app.test_client()
    first = dated(client, page)
    assert len(kept) == 1
    assert client.get(page, headers={"Accept": "text/turtle"}).data == first.data and len(kept) == 1
    publish(app, auth, "2025-11-11")
    after = client.get(page, headers={"Accept": "text/turtle"}).data
    assert (b"2025-11-11" in after) if "void" not in page else (after != first.data)  # VoID: the counts


def dated(client, page: str):
    """The page once its Last-Modified is due (the second after the write that made its bytes)."""
    for _ in range(40):
        response = client.get(page, headers={"Accept": "text/turtle"})
        if "Last-Modified" in response.headers:
            return response
        time.sleep(0.05)
    raise AssertionError(f"{page} never had a Last-Modified")


@pytest.mark.parametrize("page", ["/catalog?page=1", "/feed?page=1", "/.well-known/void"])
def test_a_catalogue_feed_or_void_page_is_kept_whole_only_once_its_last_modified_is_due(writable, page):
    """Kept the moment after the write that changed it, it would be given again without the
    Last-Modified that is due a moment later, until the next write (it was, before)."""
    app, auth = writable
    whole_responses(app)  # a remote store, which others may write, states no Last-Modified
    client = app.test_client()
    for attempt in range(8):
        publish(app, auth, f"2025-0{attempt + 1}-11")
        early = client.get(page, headers={"Accept": "text/turtle"})
        if "Last-Modified" not in early.headers:  # asked within the second of the write
            break
    else:
        pytest.skip("every request came after the second of its write")
    later = dated(client, page)
    assert later.data == early.data and later.headers["ETag"] == early.headers["ETag"]
    assert client.get(page, headers={"Accept": "text/turtle"}).headers["Last-Modified"] == later.headers["Last-Modified"]


def test_a_repeated_sparql_query_sees_a_publish_at_once(writable):
    app, auth = writable
    client = app.test_client()

    def versions() -> int:
        response = client.get("/sparql?query=" + quote(VERSIONS), headers={"Accept": "application/json"})
        assert response.status_code == 200, response.data
        return int(response.get_json()["results"]["bindings"][0]["n"]["value"])

    before = versions()
    assert versions() == before  # answered from memory
    publish(app, auth, "2026-11-02")
    assert versions() == before + 1


def whole_responses(app) -> AnswerCache:
    """The app's cache of whole responses; there is none on a remote store, which others may write."""
    middleware = response_cache(app)
    if middleware.cache is None:
        assert app.extensions["odmld.pages"] is None
        pytest.skip("no caches with a remote store")
    return middleware.cache


def response_cache(app) -> ResponseCache:
    """The whole-response cache, in front of Flask (the body limit is in front of it)."""
    middleware = app.wsgi_app
    while not isinstance(middleware, ResponseCache):
        middleware = middleware.app
    return middleware


def test_a_repeated_get_is_answered_whole_from_memory_with_the_same_headers(writable):
    app, _ = writable
    kept = whole_responses(app)
    client = app.test_client()
    asked = "/sparql?query=" + quote(VERSIONS)
    json_first = client.get(asked, headers={"Accept": "application/json"})
    assert len(kept) == 1
    json_again = client.get(asked, headers={"Accept": "application/json"})
    assert len(kept) == 1 and json_again.data == json_first.data
    assert sorted(json_again.headers.items()) == sorted(json_first.headers.items())
    xml = client.get(asked, headers={"Accept": "application/sparql-results+xml"})
    assert len(kept) == 2 and xml.mimetype == "application/sparql-results+xml"
    for _ in range(40):  # a document is kept whole once its Last-Modified is due (the second after the write)
        page = client.get("/doc/maturiteitsdomein/1", headers={"Accept": "text/turtle"})
        if "Last-Modified" in page.headers:
            break
        time.sleep(0.05)
    assert len(kept) == 3
    revalidated = client.get("/doc/maturiteitsdomein/1",
                             headers={"Accept": "text/turtle", "If-None-Match": page.headers["ETag"]})
    assert revalidated.status_code == 304 and len(kept) == 3  # answered from the kept response


def test_responses_that_set_a_cookie_or_fail_are_not_kept(writable):
    app, _ = writable
    kept = whole_responses(app)
    client = app.test_client()
    switched = client.get("/doc/maturiteitsdomein/1?lang=en", headers={"Accept": "text/html"})
    assert switched.status_code == 200 and "lang=en" in switched.headers.get("Set-Cookie", "")
    refused = client.get("/sparql?query=" + quote("SELECT * WHERE { ?s ?p }"), headers={"Accept": "application/json"})
    assert refused.status_code == 400
    assert len(kept) == 0


@pytest.mark.parametrize("text", ["SELECT (STRUUID() AS ?u) WHERE {}", "SELECT (rand ( ) AS ?u) WHERE {}",
                                  "SELECT ?u WHERE { BIND(UUID() AS ?u) }"])
def test_random_answers_are_never_kept(writable, text):
    app, _ = writable
    client = app.test_client()
    asked = "/sparql?query=" + quote(text)
    answers = {client.get(asked, headers={"Accept": "text/tab-separated-values"}).data for _ in range(3)}
    assert len(answers) == 3


def test_only_queries_for_the_time_or_chance_are_marked():
    assert screen("SELECT (NOW() AS ?t) {}").answers_differ_between_runs
    assert screen("select ?x { bind(struuid () as ?x) }").answers_differ_between_runs
    assert not screen('SELECT ?s { ?s ?p "NOW()" } # RAND()').answers_differ_between_runs
    assert not screen("SELECT ?now { ?s <http://x/NOW(> ?now }").answers_differ_between_runs


def test_a_kept_page_is_per_language_and_per_format(client):
    english = client.get("/doc/maturiteitsdomein/1?lang=en", headers={"Accept": "text/html"})
    dutch = client.get("/doc/maturiteitsdomein/1?lang=nl", headers={"Accept": "text/html"})
    assert b'lang="en"' in english.data and b'lang="nl"' in dutch.data
    turtle = client.get("/doc/maturiteitsdomein/1", headers={"Accept": "text/turtle"})
    triples = client.get("/doc/maturiteitsdomein/1", headers={"Accept": "application/n-triples"})
    assert turtle.mimetype == "text/turtle" and triples.mimetype == "application/n-triples"
    assert turtle.data != triples.data


def test_no_cache_when_turned_off(model_store_path, model_store):
    app = make_app(model_store_path, model_store, cache_mb=0)
    try:
        assert app.extensions["odmld.pages"] is None
        assert getattr(app.extensions["odmld.pool"], "cache", None) is None
        assert response_cache(app).cache is None
        response = app.test_client().get("/doc/maturiteitsdomein/1", headers={"Accept": "text/turtle"})
        assert response.status_code == 200
    finally:
        app.extensions["odmld.pool"].close()


def test_the_cache_keeps_within_its_budget_and_only_the_newest_generation():
    cache = AnswerCache(budget_bytes=1000)
    for number in range(20):
        cache.put(0, number, b"x" * 100, 100)
    assert len(cache) == 10 and cache.get(0, 0) is None and cache.get(0, 19) == b"x" * 100
    cache.put(0, "large", b"x" * 300, 300)  # more than a quarter of the budget: not kept
    assert cache.get(0, "large") is None
    cache.put(1, "new", b"y", 1)
    assert len(cache) == 1 and cache.get(0, 19) is None
    cache.put(0, "late", b"z", 1)  # made before the write the cache has already seen
    assert cache.get(0, "late") is None
