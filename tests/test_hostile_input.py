"""Hostile input to every write endpoint and to /sparql, generated with hypothesis: random bytes,
truncated and oversized payloads, wrong media types, deeply nested JSON-LD, huge literals, invalid
IRIs. The answer is always a 4xx (or, for a query that happens to parse, a 200), never a 5xx, and the
store is unchanged. The real app on a real store, through Flask's test client; a fixed number of
examples per property keeps the suite bounded."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odmld import tokens
from odmld.config import load_config
from odmld.resources import folder
from odmld.web import create_app

from backends import BASE_URI, model_loaded

pytestmark = pytest.mark.slow  # hypothesis: many hostile inputs, each validated

EXAMPLES = folder("data") / "examples"
MEDIA = ["text/csv", "text/turtle", "application/ld+json", "application/json", "text/plain",
         "application/x-www-form-urlencoded", "application/octet-stream", "multipart/form-data",
         "text/csv; charset=latin-1", "", "text/turtle; q=oops"]
RUNS = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def hostile(new_store):
    location = new_store()
    store = model_loaded(location)
    app = create_app(load_config({"store": location, "base_uri": BASE_URI}, environ={}), store=store)
    token = tokens.create(Path(app.config["ODMLD"].tokens), "24062")[1]
    yield {"client": app.test_client(), "store": store, "token": token}
    app.extensions["odmld.pool"].close()


def fingerprint(store) -> bytes:
    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.N_QUADS)
    return out.getvalue()


@pytest.fixture(scope="module")
def untouched(hostile):
    return fingerprint(hostile["store"])


def truncations(example: str) -> st.SearchStrategy[bytes]:
    body = (EXAMPLES / example).read_bytes()
    return st.integers(0, len(body) - 2).map(lambda cut: body[:cut])


def nested_jsonld(depth: int) -> bytes:
    """A JSON-LD document nested `depth` objects deep (written as text: json.dumps would recurse)."""
    head = json.dumps({"@context": {"@base": BASE_URI}, "@id": "id/x"})[:-1]
    nested = '{"http://e.org/p": ' * depth + '"v"' + "}" * depth
    return f'{head}, "http://e.org/q": {nested}}}'.encode()


BODIES = st.one_of(
    st.binary(max_size=2048),
    st.text(max_size=1024).map(str.encode),
    truncations("assessment.csv"), truncations("assessment.ttl"), truncations("assessment.jsonld"),
    st.integers(50, 5000).map(nested_jsonld),
    st.sampled_from([b'<id/x> <http://e.org/p> <http://exa mple/ bad iri> .',
                     b'<id/x> <http://e.org/p> <javascript:alert(1)> .',
                     b'@prefix odm: <ns/odm#> . <id/x> a odm:Assessment ; odm:domainAssessment "' + b"x" * 900_000 + b'" .',
                     b'domain,maturity,need,evidence\n' + b'1,0,0,' + b'"' + b"<script>" * 100_000 + b'"\n',
                     b"\xff\xfe\x00\x00" * 100]))


@RUNS
@given(body=BODIES, media=st.sampled_from(MEDIA), date=st.sampled_from(["2024-01-01", "", "31/12/2024",
                                                                       "2024-13-45", "x" * 300]))
def test_the_write_api_answers_4xx_and_writes_nothing(hostile, untouched, body, media, date):
    response = hostile["client"].post(f"/api/assessments?date={date}", data=body, headers={
        "Content-Type": media, "Authorization": f"Bearer {hostile['token']}", "Accept": "application/json"})
    assert 400 <= response.status_code < 500, (response.status_code, response.data[:300])
    assert response.get_json()["error"]["status"] == response.status_code
    assert fingerprint(hostile["store"]) == untouched


def test_an_oversized_payload_is_413_and_writes_nothing(hostile, untouched):
    response = hostile["client"].post("/api/assessments?date=2024-01-01", data=b"1,0,0,x\n" * 200_000,
                                      headers={"Content-Type": "text/csv",
                                               "Authorization": f"Bearer {hostile['token']}"})
    assert response.status_code == 413
    assert fingerprint(hostile["store"]) == untouched


@pytest.fixture(scope="module")
def signed_in(hostile):
    """A client signed in on the form (its token given once, the form itself empty), and its CSRF token."""
    client = hostile["client"]
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/zelfevaluatie").data.decode()).group(1)
    page = client.post("/zelfevaluatie", data={"token": hostile["token"], "csrf": csrf})
    assert page.status_code == 422
    return client, re.search(r'name="csrf" value="([^"]+)"', page.data.decode()).group(1)


@RUNS
@given(fields=st.dictionaries(st.sampled_from(["date", "method", "token", "maturity-1", "need-1",
                                              "evidence-1", "licence", "dataset-title-1",
                                              "dataset-url-1", "dataset-media-1"]),
                              st.text(max_size=200), max_size=8))
def test_the_form_answers_4xx_and_writes_nothing(hostile, signed_in, untouched, fields):
    client, csrf = signed_in
    fields.pop("token", None)
    response = client.post("/zelfevaluatie", data={**fields, "csrf": csrf})
    assert 400 <= response.status_code < 500 or response.status_code in (200, 303), response.status_code
    assert response.status_code != 303 or fingerprint(hostile["store"]) != untouched
    if response.status_code != 303:
        assert fingerprint(hostile["store"]) == untouched


@RUNS
@given(query=st.one_of(st.text(max_size=400), st.binary(max_size=400).map(lambda b: b.decode("latin-1")),
                       st.sampled_from(["SELECT * WHERE { ?s ?p ?o . FILTER(", "ASK { <not an iri> ?p ?o }",
                                        "SELECT * { ?s ?p " + "{ " * 2000 + "}" * 2000 + " }",
                                        "SELECT * WHERE { ?s ?p '" + "x" * 100_000 + "' }",
                                        "INSERT DATA { <http://e.org/s> <http://e.org/p> 1 }",
                                        "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"])),
       media=st.sampled_from(["application/sparql-query", "application/x-www-form-urlencoded",
                              "text/plain", "application/sparql-update"]))
def test_sparql_answers_4xx_or_200_and_writes_nothing(hostile, untouched, query, media):
    client = hostile["client"]
    if media == "application/x-www-form-urlencoded":
        response = client.post("/sparql", data={"query": query})
    else:
        response = client.post("/sparql", data=query.encode("utf-8", "surrogatepass"),
                               headers={"Content-Type": media})
    assert response.status_code < 500, (response.status_code, response.data[:300])
    assert fingerprint(hostile["store"]) == untouched


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_very_deep_jsonld_is_4xx_and_writes_nothing(hostile, untouched, depth):
    response = hostile["client"].post("/api/assessments", data=nested_jsonld(depth), headers={
        "Content-Type": "application/ld+json", "Authorization": f"Bearer {hostile['token']}"})
    assert 400 <= response.status_code < 500, response.status_code
    assert fingerprint(hostile["store"]) == untouched
