"""The survey upload page: a data manager publishes a survey's responses from a browser, with the same
session, write token and CSRF token as the self-assessment form, and the same checks as the CLI."""

import io
import re
from pathlib import Path

import pytest

from odmld import tokens
from odmld.resources import folder

from backends import model_loaded
from conftest import BASE, make_app

SURVEY_CSV = (folder("data") / "examples" / "survey-responses.csv").read_bytes()
PAGE = "/zelfevaluatie/bevraging"


@pytest.fixture()
def site(new_store):
    path = new_store()
    store = model_loaded(path)
    app = make_app(path, store)
    token = tokens.create(Path(app.config["ODMLD"].tokens), "44021")[1]
    yield app.test_client(), token
    app.extensions["odmld.pool"].close()


def csrf_of(page: bytes) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page.decode()).group(1)


def upload(client, page: bytes, body: bytes | None, **fields: str):
    form = {"csrf": csrf_of(page), "date": "2021-03-31", **fields}
    if body is not None:
        form["responses"] = (io.BytesIO(body), "antwoorden.csv")
    return client.post(PAGE, data=form, content_type="multipart/form-data")


def survey_stored(client) -> bool:
    """Does the store hold the survey's counts (a qb:DataSet) for Gent on 2021-03-31?"""
    ask = f"ASK {{ <{BASE}id/bevraging/44021/2021-03-31> a <http://purl.org/linked-data/cube#DataSet> }}"
    answer = client.get("/sparql", query_string={"query": ask}, headers={"Accept": "application/json"})
    return answer.get_json()["boolean"]


def test_the_page_asks_for_the_token_the_date_and_the_file_in_the_page_language(site):
    client, _ = site
    dutch = client.get(PAGE + "?lang=nl").data.decode()
    assert 'type="file"' in dutch and 'enctype="multipart/form-data"' in dutch
    assert "Bevraging opladen" in dutch and 'name="token"' in dutch
    assert "Upload a survey" in client.get(PAGE + "?lang=en").data.decode()
    assert PAGE in client.get("/zelfevaluatie").data.decode()  # the form links to it


@pytest.mark.slow
def test_an_uploaded_survey_is_published_and_the_browser_lands_on_the_assessment(site):
    client, token = site
    sent = upload(client, client.get(PAGE).data, SURVEY_CSV, token=token)
    assert sent.status_code == 303, sent.data[:300]
    location = sent.headers["Location"]
    assert location.endswith("/id/inschatting/44021/2021-03-31/v1")
    landed = client.get(location, headers={"Accept": "text/html"}, follow_redirects=True)
    assert landed.status_code == 200 and b"2021-03-31" in landed.data
    assert survey_stored(client)


@pytest.mark.slow
def test_a_wrong_file_is_refused_on_the_page_with_what_is_wrong_and_nothing_is_stored(site):
    client, token = site
    page = client.get(PAGE + "?lang=en").data
    wrong = upload(client, page, b"respondent,profile\nx,y\n", token=token)
    assert wrong.status_code == 400 and b"the first line must be" in wrong.data
    missing = upload(client, wrong.data, None)  # the token is remembered by the session
    assert missing.status_code == 400 and b"Choose the CSV file" in missing.data
    assert not survey_stored(client)
    dutch = upload(client, client.get(PAGE + "?lang=nl").data, b"respondent,profile\nx,y\n")
    assert dutch.status_code == 400 and "de eerste regel moet" in dutch.data.decode()
    assert "the first line" not in dutch.data.decode()  # one language a page


def test_an_upload_without_the_csrf_token_or_with_a_wrong_write_token_is_refused(site):
    client, token = site
    page = client.get(PAGE).data
    forged = client.post(PAGE, data={"date": "2021-03-31", "token": token,
                                     "responses": (io.BytesIO(SURVEY_CSV), "a.csv")},
                         content_type="multipart/form-data")
    assert forged.status_code == 403
    wrong = upload(client, page, SURVEY_CSV, token="nope.nope")
    assert wrong.status_code == 401
