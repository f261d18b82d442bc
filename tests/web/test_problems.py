"""The API's errors for scripts: RFC 9457 problem details, in one language, naming the part at fault in
words; no traceback logged for bad input; no assessment dated after today."""

import datetime as dt
import json
import logging
import re
from pathlib import Path

import pytest

from odmld import tokens
from odmld.resources import folder

from backends import model_loaded
from conftest import make_app
from test_api import dump

EXAMPLES = folder("data") / "examples"
TURTLE = (EXAMPLES / "assessment.ttl").read_bytes()
CURL = {"Accept": "*/*", "User-Agent": "curl/8.5.0"}


@pytest.fixture(scope="module")
def env(new_store):
    path = new_store()
    store = model_loaded(path)
    app = make_app(path, store)
    leuven = tokens.create(Path(app.config["ODMLD"].tokens), "24062")[1]
    yield {"app": app, "store": store, "token": leuven}
    app.extensions["odmld.pool"].close()


def post(env, body: bytes, media: str, query: str = "", **headers):
    return env["app"].test_client().post("/api/assessments" + query, data=body, headers={
        "Content-Type": media, "Authorization": f"Bearer {env['token']}", **headers})


def problem(response) -> dict:
    assert response.mimetype == "application/problem+json", response.data[:300]
    body = json.loads(response.data)
    assert {"type", "title", "status", "detail"} <= set(body) and body["status"] == response.status_code
    assert {k: body["error"][k] for k in ("status", "title", "detail")} == \
        {k: body[k] for k in ("status", "title", "detail")}  # the older shape is kept beside it
    return body


@pytest.mark.parametrize("headers", [CURL, {}], ids=["curl", "no-accept"])
def test_an_api_error_for_curl_is_problem_json_not_an_html_page(env, headers):
    response = env["app"].test_client().post("/api/assessments", data=b"x", headers={
        "Content-Type": "text/csv", **headers})
    assert response.status_code == 401
    assert problem(response)["type"] == "about:blank"
    unknown = env["app"].test_client().get("/api/nothing-here", headers=headers)
    assert unknown.status_code == 404 and problem(unknown)


def test_a_browser_still_gets_an_error_page(env):
    response = env["app"].test_client().post("/api/assessments", data=b"x", headers={
        "Content-Type": "text/csv", "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 401 and response.mimetype == "text/html"


@pytest.mark.parametrize("lang, title, words", [
    ("nl", "Inhoud niet verwerkbaar", "rij 3, kolom domain"), ("en", "Unprocessable Content", "row 3, column domain")])
def test_a_problem_is_in_one_language_the_one_asked_for(env, lang, title, words):
    body = b"domain,maturity,need,evidence\n1,opgestart,sterke nood,\n12,2,1,\n"
    for asked in ({"Accept-Language": lang}, {"Accept-Language": "fr", "X": "?"}):
        query = "?date=2024-06-01" + ("" if "X" not in asked else f"&lang={lang}")
        response = post(env, body, "text/csv", query, **{k: v for k, v in asked.items() if k != "X"}, **CURL)
        found = problem(response)
        assert response.status_code == 422 and response.headers["Content-Language"] == lang
        assert found["title"] == title and words in found["detail"]
        other = "nl" if lang == "en" else "en"
        assert ("het domein" in found["detail"]) == (lang == "nl"), other


@pytest.mark.slow
def test_turtle_violations_name_the_domain_by_number_never_a_blank_node(env):
    wrong = TURTLE.replace(b"maturiteitsdomein/3> ;\n        odm:maturityLevel <id/maturiteitsniveau/gevorderd>",
                           b"maturiteitsdomein/3> ;\n        odm:maturityLevel <id/maturiteitsniveau/heel-goed>")
    assert wrong != TURTLE
    response = post(env, wrong, "text/turtle", **CURL, **{"Accept-Language": "en"})
    found = problem(response)
    assert response.status_code == 422
    assert "_:" not in response.get_data(as_text=True) and '"domain": null' not in response.get_data(as_text=True)
    assert {v.get("domain") for v in found["violations"]} == {3}
    assert found["detail"].startswith("domain 3: ")
    assert {v["field"] for v in found["violations"]} == {"odm:maturityLevel"}


@pytest.mark.slow
def test_a_missing_date_is_said_in_words_not_as_datatype_iris(env):
    response = post(env, TURTLE.replace(b'    dcterms:date "2024-05-01"^^xsd:date ;\n', b""), "text/turtle",
                    **CURL, **{"Accept-Language": "nl"})
    found = problem(response)
    assert response.status_code == 422
    assert "xsd:date" not in found["detail"] and "inschatting/concept" not in found["detail"]
    assert found["detail"].startswith("de inschatting: ") and found["violations"][0]["field"] == "dcterms:date"


@pytest.mark.slow
def test_a_bad_date_logs_no_traceback(env, caplog):
    caplog.set_level(logging.DEBUG)
    response = post(env, TURTLE.replace(b'"2024-05-01"', b'"20x4-05-01"'), "text/turtle", **CURL)
    assert response.status_code == 422 and problem(response)
    assert not [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


@pytest.mark.slow
@pytest.mark.parametrize("media, body, query", [
    ("text/csv", (EXAMPLES / "assessment.csv").read_bytes(), "?date=2099-01-01"),
    ("text/turtle", TURTLE.replace(b'"2024-05-01"', b'"2099-05-01"'), "")])
def test_a_date_after_today_is_refused_and_nothing_is_written(env, media, body, query):
    before = dump(env["store"])
    response = post(env, body, media, query, **CURL, **{"Accept-Language": "en"})
    assert response.status_code == 422 and "in the future" in problem(response)["detail"]
    assert dump(env["store"]) == before
    today = dt.date.today() - dt.timedelta(days=1)
    # yesterday is accepted (the second time as the version that already holds it)
    assert post(env, (EXAMPLES / "assessment.csv").read_bytes(), "text/csv",
                f"?date={today.isoformat()}", **CURL).status_code in (200, 201)


def test_every_4xx_of_the_api_without_accept_is_problem_json_in_one_language(env):
    client = env["app"].test_client()
    auth = {"Authorization": f"Bearer {env['token']}"}
    answers = [
        client.post("/api/assessments", data=b"x", headers={"Content-Type": "text/csv"}),          # 401
        client.post("/api/assessments", data=b"<x/>", headers={"Content-Type": "application/xml", **auth}),  # 415
        client.post("/api/assessments", data=b"a,b\n", headers={"Content-Type": "text/csv", **auth}),  # 400
        client.post("/api/assessments", data=b"[] a <x> ;", headers={"Content-Type": "text/turtle", **auth}),
        client.delete("/api/assessments/24062/2024-05-01/v9", headers=auth),                         # 400
        client.delete("/api/assessments/24062/2024-05-01/v9?reason=x", headers=auth),                # 404
        client.delete("/api/assessments/44021/2024-05-01/v1?reason=x", headers=auth),                # 403
        client.get("/api/assessments"),                                                              # 405
        client.post("/api/surveys", data=b"x", headers={"Content-Type": "text/plain", **auth}),       # 415
    ]
    assert {a.status_code for a in answers} >= {400, 401, 403, 404, 405, 415}
    for answer in answers:
        body = problem(answer)
        language = answer.headers["Content-Language"]
        english = re.search(r"\b(the|send|not|this|only|must|allowed|Request)\b", body["detail"] + " " + body["title"])
        assert (language == "en") == bool(english), (language, body["title"], body["detail"])


@pytest.mark.parametrize("date, words", [("2099-01-01", "in de toekomst"), ("2024-13-01", "JJJJ-MM-DD")])
def test_the_form_shows_a_future_or_impossible_date_as_an_error_not_a_500(env, date, words):
    from test_api import csrf_of, filled_form
    client = env["app"].test_client()
    empty = client.get("/zelfevaluatie?lang=nl").get_data(as_text=True)
    before = dump(env["store"])
    answer = client.post("/zelfevaluatie", data=filled_form(token=env["token"], date=date, csrf=csrf_of(empty)))
    assert answer.status_code == 422 and words in answer.get_data(as_text=True)
    assert dump(env["store"]) == before
