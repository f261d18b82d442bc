"""A query string that is not UTF-8 (a raw byte a client may put in the URL) is refused with 400 in the
one error shape, in the language asked, on every route; before, werkzeug's strict decoding of it was a
500 from the views and a traceback out of GET /sparql's front."""

import json

import pytest

from odmld.config import load_config
from odmld.web import create_app

from backends import BASE_URI

ROUTES = [("GET", "/sparql"), ("GET", "/doc/maturiteitsdomein/4"), ("GET", "/organisaties"),
          ("GET", "/catalog"), ("GET", "/feed"), ("POST", "/sparql"), ("POST", "/api/assessments")]
RAW = ["query=\xff\xfe", "query=ASK%7B%7D&lang=\xc3", "\xe9=1"]  # latin-1 text of the bytes, as WSGI gives it


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = tmp_path_factory.mktemp("query-string") / "store"
    return create_app(load_config({"store": str(store), "base_uri": BASE_URI}, environ={})).test_client()


@pytest.mark.parametrize("method,path", ROUTES)
@pytest.mark.parametrize("raw", RAW)
def test_a_query_string_that_is_not_utf8_is_refused_with_400(client, method, path, raw):
    for language, word in (("nl", "vraagteken"), ("en", "question mark")):
        response = client.open(path, method=method, environ_overrides={"QUERY_STRING": raw},
                               headers={"Accept": "application/problem+json", "Accept-Language": language})
        assert response.status_code == 400
        problem = json.loads(response.get_data())
        assert problem["status"] == 400 and word in problem["detail"]
        assert response.headers["Content-Language"] == language


def test_a_percent_encoded_query_string_still_reaches_the_app(client):
    response = client.get("/sparql?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200 and json.loads(response.get_data())["boolean"] is True
