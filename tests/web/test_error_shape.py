"""Every error route of the app answers in the one error shape (issue 20, "one error model").

Each route of app.url_map has at least one bad request here (a route added without one fails
`test_every_route_has_an_error_case`). Each is sent as a script sends it and as a browser does, and the
answer is checked: the status asked for, problem details JSON (`type`, `title`, `status` equal to the
HTTP status, `detail`) or an HTML page, in one language said in Content-Language (the page wholly in it),
no traceback, nothing of the machine (the store's folder, loopback addresses, source files).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from odmld import tokens
from odmld.resources import folder
from odmld.web.body_limit import LIMIT
from odmld.web.errors import TITLES

from backends import model_loaded
from conftest import make_app

TURTLE = (folder("data") / "examples" / "assessment.ttl").read_bytes()
CSV = "text/csv"
SCRIPT = {"Accept": "*/*", "User-Agent": "curl/8.5.0"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
AUTH = "auth"  # a header value replaced by Leuven's write token
OTHER = "other"  # replaced by another organisation's token
VERSION = "24062/2024-05-01/v1"  # published by the fixture, then withdrawn once
DUTCH = re.compile(r"\b(niet|geen|het|een|deze|stuur|ligt|zeg|waarom|bestaat)\b", re.I)
LEAKS = ("Traceback", 'File "', ".py\"", "127.0.0.1", "localhost", "/tmp/", "/work/", "site-packages")


def case(rule, method, path, status, body=None, headers=None, accept_is_the_error=False, **environ):
    return pytest.param(rule, method, path, status, body, headers or {}, accept_is_the_error, environ,
                        id=f"{method} {path[:60]} {status}")


def bad_sparql(path, status, **kwargs):
    return case("/sparql", kwargs.pop("method", "GET"), path, status, **kwargs)


FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CASES = [
    case("/", "POST", "/", 405),
    case("/.well-known/void", "GET", "/.well-known/void", 406, headers={"Accept": "image/png"},
         accept_is_the_error=True),
    case("/.well-known/void", "DELETE", "/.well-known/void", 405),
    case("/api", "POST", "/api", 405),
    case("/api/assessments", "POST", "/api/assessments", 401, b"x", {"Content-Type": CSV}),
    case("/api/assessments", "POST", "/api/assessments", 401, b"x",
         {"Content-Type": CSV, "Authorization": "Bearer nope.nope"}),
    case("/api/assessments", "POST", "/api/assessments", 415, b"<x/>",
         {"Content-Type": "application/xml", "Authorization": AUTH}),
    case("/api/assessments", "POST", "/api/assessments", 400, b"\xff\xfe",
         {"Content-Type": CSV, "Authorization": AUTH}),
    case("/api/assessments", "POST", "/api/assessments", 400, b"a,b\n",
         {"Content-Type": CSV, "Authorization": AUTH}),
    case("/api/assessments", "POST", "/api/assessments?date=2024-06-01", 422,
         b"domain,maturity,need,evidence\n12,2,1,\n", {"Content-Type": CSV, "Authorization": AUTH}),
    case("/api/assessments", "POST", "/api/assessments", 400, b"[] a <x> ;",
         {"Content-Type": "text/turtle", "Authorization": AUTH}),
    case("/api/assessments", "POST", "/api/assessments", 422, TURTLE.replace(b'"2024-05-01"', b'"2099-05-01"'),
         {"Content-Type": "text/turtle", "Authorization": AUTH}),
    case("/api/assessments", "POST", "/api/assessments", 403, TURTLE,
         {"Content-Type": "text/turtle", "Authorization": OTHER}),
    case("/api/assessments", "POST", "/api/assessments", 400, TURTLE,
         {"Content-Type": "text/turtle", "Authorization": AUTH, "Idempotency-Key": "k" * 300}),
    case("/api/assessments", "POST", "/api/assessments", 413, b"x" * (LIMIT + 1),
         {"Content-Type": CSV, "Authorization": AUTH}),
    case("/api/assessments", "POST", "/api/assessments", 400, b"x", {"Content-Type": CSV},
         CONTENT_LENGTH="12abc"),
    case("/api/assessments", "GET", "/api/assessments", 405),
    case("/api/assessments/<iri_path:ref>", "DELETE", f"/api/assessments/{VERSION}?reason=x", 401),
    case("/api/assessments/<iri_path:ref>", "DELETE", "/api/assessments/11002/2024-05-01/v1?reason=x", 403,
         headers={"Authorization": AUTH}),
    case("/api/assessments/<iri_path:ref>", "DELETE", f"/api/assessments/{VERSION}", 400,
         headers={"Authorization": AUTH}),
    case("/api/assessments/<iri_path:ref>", "DELETE", f"/api/assessments/{VERSION}?reason=a%01b", 422,
         headers={"Authorization": AUTH}),
    case("/api/assessments/<iri_path:ref>", "DELETE", "/api/assessments/24062/2024-05-01/v9?reason=x", 404,
         headers={"Authorization": AUTH}),
    case("/api/assessments/<iri_path:ref>", "DELETE", f"/api/assessments/{VERSION}?reason=again", 409,
         headers={"Authorization": AUTH}),
    case("/api/assessments/<iri_path:ref>", "GET", f"/api/assessments/{VERSION}", 405),
    case("/api/surveys", "POST", "/api/surveys?date=2024-06-01", 401, b"x", {"Content-Type": CSV}),
    case("/api/surveys", "POST", "/api/surveys?date=2024-06-01", 415, b"x",
         {"Content-Type": "application/json", "Authorization": AUTH}),
    case("/api/surveys", "POST", "/api/surveys?date=2024-06-01", 400, b"\xff",
         {"Content-Type": CSV, "Authorization": AUTH}),
    case("/api/surveys", "POST", "/api/surveys?date=2024-06-01", 400, b"nothing,useful\n1,2\n",
         {"Content-Type": CSV, "Authorization": AUTH}),
    case("/api/surveys", "GET", "/api/surveys", 405),
    case("/catalog", "GET", "/catalog?page=0", 400),
    case("/catalog", "GET", "/catalog?page=9999", 404),
    case("/catalog", "GET", "/catalog", 406, headers={"Accept": "image/png"}, accept_is_the_error=True),
    case("/catalog.<any(ttl, jsonld, rdf, nt, html):suffix>", "GET", "/catalog.ttl?page=x", 400),
    case("/catalog/volledig", "POST", "/catalog/volledig", 405),
    case("/catalog/volledig", "GET", "/catalog/volledig", 406, headers={"Accept": "image/png"},
         accept_is_the_error=True),
    case("/catalog/volledig.<any(ttl, jsonld, rdf, nt, html):suffix>", "POST", "/catalog/volledig.ttl", 405),
    case("/csv/inschatting/<iri_path:ref>.csv", "GET", "/csv/inschatting/24062/1999-01-01/v1.csv", 404),
    case("/doc/<iri_path:ref>", "GET", "/doc/organisatie/nergens", 404),
    case("/doc/<iri_path:ref>", "GET", "/doc/maturiteitsdomein/4", 406, headers={"Accept": "image/png"},
         accept_is_the_error=True),
    case("/domein/<int:notation>/ranking", "GET", "/domein/99/ranking", 404),
    case("/dump/<iri_path:name>.ttl.gz", "GET", "/dump/nergens.ttl.gz", 404),
    case("/dump/odmld.nq.gz", "POST", "/dump/odmld.nq.gz", 405),
    case("/feed", "GET", "/feed?page=0", 400),
    case("/feed", "GET", "/feed?page=9999", 404),
    case("/graph/<iri_path:name>", "GET", "/graph/nergens.ttl", 404),
    case("/graph/<iri_path:name>", "GET", "/graph/nergens", 406, headers={"Accept": "image/png"},
         accept_is_the_error=True),
    case("/id/<iri_path:ref>", "POST", "/id/maturiteitsdomein/4", 405),
    case("/model", "POST", "/model", 405),
    case("/ns/<name>", "GET", "/ns/nergens", 404),
    case("/ns/context.jsonld", "POST", "/ns/context.jsonld", 405),
    case("/ns/odm/<version>", "PUT", "/ns/odm/1.0", 405),
    case("/organisaties", "GET", "/organisaties?page=0", 400),
    case("/organisaties", "GET", "/organisaties?q=" + "x" * 500, 400),
    case("/organisaties", "GET", "/organisaties?soort=nergens", 404),
    bad_sparql("/sparql?query=SELEKT+*", 400),
    bad_sparql("/sparql?query=SELECT+*+WHERE+{}&format=xyz", 400),
    bad_sparql("/sparql?query=SELECT+*+WHERE+{}&query=ASK{}", 400),
    bad_sparql("/sparql?query=SELECT+*+WHERE+{+SERVICE+<http://x.test/>+{+?s+?p+?o+}+}", 403),
    bad_sparql("/sparql?update=CLEAR+ALL", 403),
    bad_sparql("/sparql", 406, headers={"Accept": "image/png"}, accept_is_the_error=True),
    bad_sparql("/sparql", 400, method="POST", body=b"query=SELEKT", headers=FORM),
    bad_sparql("/sparql", 403, method="POST", body=b"update=CLEAR+ALL", headers=FORM),
    bad_sparql("/sparql", 415, method="POST", body=b"query=ASK{}%C3%A9",
               headers={"Content-Type": "application/x-www-form-urlencoded; charset=nothing"}),
    bad_sparql("/sparql", 400, method="POST", body=b"ASK{} # \xff",
               headers={"Content-Type": "application/sparql-query"}),
    bad_sparql("/sparql", 415, method="POST", body=b"ASK{}", headers={"Content-Type": "text/plain"}),
    bad_sparql("/sparql", 405, method="PUT"),
    case("/sparql/library/<name>", "GET", "/sparql/library/nergens", 404),
    case("/sparql/library/<name>.rq", "GET", "/sparql/library/nergens.rq", 404),
    case("/sparql/library/<name>.rq", "GET", "/sparql/library/domains.rq?nergens=1", 400),
    case("/static/<path:filename>", "GET", "/static/nergens.css", 404),
    case("/vergelijk", "GET", "/vergelijk?org=x%20y", 400),
    case("/vergelijk/data.csv", "GET", "/vergelijk/data.csv?org=x%20y", 400),
    case("/zelfevaluatie", "POST", "/zelfevaluatie", 403, b"token=x", FORM),
    case("/zelfevaluatie", "PUT", "/zelfevaluatie", 405),
    case("/zelfevaluatie/bevraging", "POST", "/zelfevaluatie/bevraging", 403, b"token=x", FORM),
    case("/zelfevaluatie/bevraging", "PUT", "/zelfevaluatie/bevraging", 405),
    case(None, "GET", "/nergens/hier", 404),
]


@pytest.fixture(scope="module")
def env(new_store):
    """An app of its own: the cases publish and withdraw a version of Leuven's."""
    path = new_store()
    store = model_loaded(path)
    app = make_app(path, store)
    where = Path(app.config["ODMLD"].tokens)
    keys = {AUTH: tokens.create(where, "24062")[1], OTHER: tokens.create(where, "11002")[1]}
    client = app.test_client()
    auth = {"Authorization": f"Bearer {keys[AUTH]}"}
    assert client.post("/api/assessments", data=TURTLE, headers={"Content-Type": "text/turtle", **auth}
                       ).status_code in (200, 201)
    assert client.delete(f"/api/assessments/{VERSION}?reason=test", headers=auth).status_code == 200
    yield {"app": app, "keys": keys, "path": str(path)}
    app.extensions["odmld.pool"].close()


def send(env, method, path, body, headers, environ, client_headers):
    headers = {name: f"Bearer {env['keys'][value]}" if value in env["keys"] else value
               for name, value in {**client_headers, **headers}.items()}
    return env["app"].test_client().open(path, method=method, data=body, headers=headers,
                                         environ_overrides=environ)


def assert_nothing_leaks(env, text):
    for leak in (*LEAKS, env["path"]):
        assert leak not in text, leak


def test_every_route_has_an_error_case(env):
    covered = {param.values[0] for param in CASES}
    routes = {rule.rule for rule in env["app"].url_map.iter_rules()}
    assert routes - covered == set(), "a route without a bad request in CASES"
    assert len(CASES) >= 50


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("rule, method, path, status, body, headers, accept_is_the_error, environ", CASES)
def test_a_script_gets_problem_details_in_one_language(env, lang, rule, method, path, status, body, headers,
                                                       accept_is_the_error, environ):
    response = send(env, method, path, body, headers, environ, {**SCRIPT, "Accept-Language": lang})
    text = response.get_data(as_text=True)
    assert response.status_code == status, text[:400]
    assert response.mimetype == "application/problem+json", text[:400]
    problem = json.loads(text)
    assert {"type", "title", "status", "detail"} <= set(problem)
    assert problem["status"] == response.status_code and isinstance(problem["detail"], str)
    said = response.headers["Content-Language"]
    assert said in ("nl", "en") and problem["title"] == TITLES[status][said == "en"]
    if said == "en":
        assert not DUTCH.search(problem["detail"]), problem["detail"]
    if status == 405:
        assert method not in response.headers["Allow"]
    assert_nothing_leaks(env, text)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("rule, method, path, status, body, headers, accept_is_the_error, environ", CASES)
def test_a_browser_gets_a_page_wholly_in_the_language_it_says(env, lang, rule, method, path, status, body,
                                                               headers, accept_is_the_error, environ):
    if accept_is_the_error:
        pytest.skip("the bad input is the Accept header itself")
    response = send(env, method, path, body, headers, environ, {**BROWSER, "Accept-Language": lang})
    text = response.get_data(as_text=True)
    assert response.status_code == status and response.mimetype == "text/html", text[:400]
    said = response.headers["Content-Language"]
    page = re.search(r'<html[^>]* lang="([a-z]+)"', text)
    assert page is not None and page.group(1) == said, (said, text[:300])
    heading = re.search(r"<h1>\s*(\d+) ([^<]+)</h1>", text)
    assert heading is not None and int(heading.group(1)) == status
    if said == "en":
        assert not DUTCH.search(re.sub(r"<[^>]+>", " ", text.split("<main", 1)[-1])), text[-600:]
    assert_nothing_leaks(env, text)
