"""Every route of the app, with hostile path values, query strings, headers and bodies: the answer is
never a 5xx, and the store is intact (issue 15, item 10).

The routes come from `app.url_map`, so a route added later is fuzzed without anyone listing it. First
every route with each of a list of known-bad values in each of its arguments; then a bounded,
derandomized hypothesis run (a fixed number of examples, the same every time) over routes, values,
parameters, methods, Accept headers and bodies. The app is read-only, as a production worker is: the
store's quad count must be the same after every request.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odmld.config import load_config
from odmld.web import create_app

from backends import BASE_URI

pytestmark = pytest.mark.slow  # hypothesis: hundreds of requests, many of them writes

HOSTILE = ["a b", "²", "٣", "9" * 5000, "%00", "\x00", "\r\n", "..", "../../etc/passwd", "x.ttl", "x.rdf",
           "24062/2024-01-01/v1", "maturiteitsdomein/4", "catalogus/odmld", "<script>", "{x}", "a|b",
           "😀", "?", "#", "-1", "0", "", " ", "\ud7ff", "\ufffe", "nl", "javascript:alert(1)",
           "x" * 3000, "inschatting/24062/2024-01-01/v1", "%C2%B2", "ttl", "jsonld", "rdf", "nt", "html"]
PARAMETERS = ["page", "lang", "org", "date", "query", "update", "reason", "licence", "organisation",
              "method", "default-graph-uri", "named-graph-uri", "format"]
ACCEPT = ["text/html", "application/json", "text/turtle", "application/ld+json", "application/rdf+xml",
          "application/n-triples", "application/sparql-results+xml", "text/csv", "*/*", "",
          "text/html;q=0", "garbage/;;;", "application/json; q=oops", "image/png"]
MEDIA = ["application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update",
         "text/csv", "text/turtle", "application/ld+json", "multipart/form-data; boundary=x", "", "text/plain"]
PLACEHOLDER = re.compile(r"<(?:[^<>]*:)?(\w+)>")
RUNS = settings(max_examples=250, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def app(model_store_path, model_store):
    application = create_app(load_config({"store": model_store_path, "base_uri": BASE_URI}, environ={}),
                             store=model_store)
    yield application
    application.extensions["odmld.pool"].close()


def routes(app) -> list[tuple[str, list[str], list[str]]]:
    """(rule, argument names, methods) of every route."""
    found = []
    for rule in app.url_map.iter_rules():
        methods = sorted(rule.methods - {"OPTIONS"}) + ["OPTIONS"]
        found.append((rule.rule, PLACEHOLDER.findall(rule.rule), methods))
    return sorted(found)


def path_of(rule: str, values: dict[str, str]) -> str:
    """The rule with each argument replaced by its (percent-encoded) value; slashes kept as such."""
    return PLACEHOLDER.sub(lambda m: quote(values[m.group(1)], safe="/"), rule)


def ask(app, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes = b""):
    url = path + ("?" + urlencode(query) if query else "")
    return app.test_client().open(url, method=method, headers=headers, data=body or None)


def test_the_fuzz_sees_every_route(app):
    rules = {rule for rule, _, _ in routes(app)}
    assert {"/graph/<iri_path:name>", "/feed", "/catalog", "/sparql", "/zelfevaluatie",
            "/api/assessments", "/doc/<iri_path:ref>"} <= rules


def test_every_route_with_each_hostile_value_answers_below_500(app):
    before = len(app.extensions["odmld.store"])
    for rule, arguments, methods in routes(app):
        for value in HOSTILE:
            path = path_of(rule, {name: value for name in arguments})
            for method in ("GET", *[m for m in methods if m not in ("GET", "HEAD", "OPTIONS")]):
                response = ask(app, method, path, {"page": value, "lang": value}, {"Accept": "text/html"})
                assert response.status_code < 500, (method, path[:120], response.data[:300])
    assert len(app.extensions["odmld.store"]) == before


hostile_text = st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE),
                         st.text(alphabet=st.characters(max_codepoint=0x7f), max_size=20))


@RUNS
@given(data=st.data())
def test_any_request_to_any_route_answers_below_500_and_changes_nothing(app, data):
    rule, arguments, methods = data.draw(st.sampled_from(routes(app)), label="route")
    values = {name: data.draw(hostile_text, label=name) for name in arguments}
    query = data.draw(st.dictionaries(st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=8)),
                                      hostile_text, max_size=4), label="query")
    method = data.draw(st.sampled_from(methods), label="method")
    headers = {"Accept": data.draw(st.sampled_from(ACCEPT), label="accept"),
               "Accept-Language": data.draw(st.sampled_from(["nl", "en", "fr", "", "*", "x" * 100]))}
    body = b""
    if method in ("POST", "DELETE"):
        headers["Content-Type"] = data.draw(st.sampled_from(MEDIA), label="media")
        body = data.draw(st.one_of(st.binary(max_size=300), hostile_text.map(str.encode)), label="body")
    before = len(app.extensions["odmld.store"])
    response = ask(app, method, path_of(rule, values), query, headers, body)
    assert response.status_code < 500, (method, rule, values, query, response.data[:300])
    assert len(app.extensions["odmld.store"]) == before
