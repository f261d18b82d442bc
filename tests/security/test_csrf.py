"""The self-assessment form against CSRF and session theft (issue 15, item 7).

Before: the form had no CSRF token, so a page on the same site (any port of the same host) published
as the signed-in city; the write token sat readable in a signed cookie that was not Secure; and each
worker process signed sessions with its own random key, so a session made by one was unknown to the
next. Now every post carries a CSRF token (403 in the one error shape without it), the session is kept
server-side with only a random id in the cookie, every process reads the same key and sessions table,
and revoking the token ends the session.
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
import subprocess
import sys
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
import threading

import pytest

from odmld import tokens
from odmld.config import beside_store, load_config
from odmld.web import create_app

from backends import BASE_URI, REPO, live_server
from .chromium_browser import chromium
from .web_targets import GENT, LEUVEN, quads, writable_target

pytestmark = pytest.mark.slow  # form submissions, and a browser

COOKIE = "odmld_form"


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    made = writable_target(tmp_path_factory.mktemp("csrf"))
    yield made
    made.close()


def filled(**overrides) -> dict:
    values = {"date": "2018-08-08", "method": "zelfevaluatie", "maturity-1": "1", "need-1": "1"}
    values.update(overrides)
    return values


def csrf_of(page: bytes | str) -> str | None:
    text = page.decode() if isinstance(page, bytes) else page
    found = re.search(r'name="csrf" value="([^"]+)"', text)
    return found.group(1) if found else None


def signed_in_client(app, token: str):
    """A browser-like client that opened the form and gave its token once."""
    client = app.test_client()
    csrf = csrf_of(client.get("/zelfevaluatie").data)
    response = client.post("/zelfevaluatie", data=filled(token=token, csrf=csrf, date="2000-01-01",
                                                        **{"need-1": ""}))
    assert response.status_code == 422, response.status_code  # signed in; the form itself was wrong
    return client, csrf_of(response.data)


def assessments_of(target, organisation: str) -> int:
    rows = target.store.select("SELECT (COUNT(?a) AS ?n) WHERE { ?a <http://odmld.test/ns/odm#assessedOrganisation> "
                               f"<{BASE_URI}id/organisatie/{organisation}> }}")
    return int(rows[0]["n"].value)


def test_the_form_carries_a_csrf_token(target):
    page = target.app.test_client().get("/zelfevaluatie").data.decode()
    token = csrf_of(page)
    assert token and len(token) >= 32


@pytest.mark.parametrize("csrf", [None, "", "0" * 64, "forged"])
def test_a_post_without_the_right_csrf_token_is_403_and_publishes_nothing(target, csrf):
    client, _ = signed_in_client(target.app, target.leuven)
    before = quads(target.store)
    fields = filled() if csrf is None else filled(csrf=csrf)
    response = client.post("/zelfevaluatie", data=fields, headers={"Accept": "application/json",
                                                                   "Accept-Language": "en"})
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["status"] == 403 and "form" in error["detail"]
    assert quads(target.store) == before


def test_the_refusal_is_in_the_pages_language(target):
    client, _ = signed_in_client(target.app, target.leuven)
    response = client.post("/zelfevaluatie?lang=nl", data=filled(), headers={"Accept": "text/html"})
    assert response.status_code == 403 and "formulier" in response.data.decode()


def test_another_sessions_csrf_token_is_refused(target):
    mine, _ = signed_in_client(target.app, target.leuven)
    _, theirs = signed_in_client(target.app, target.gent)
    assert mine.post("/zelfevaluatie", data=filled(csrf=theirs)).status_code == 403


def test_with_the_csrf_token_the_signed_in_city_publishes(target):
    client, csrf = signed_in_client(target.app, target.leuven)
    response = client.post("/zelfevaluatie", data=filled(csrf=csrf, date="2018-09-09"))
    assert response.status_code == 303


def every_cookie(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def readable_parts(cookie_value: str) -> list[bytes]:
    """What an attacker who copies the cookie can read from it: its text and any base64 / zlib part."""
    found = [cookie_value.encode()]
    for part in re.split(r"[.;=]", cookie_value):
        for candidate in (part, part + "=" * (-len(part) % 4)):
            try:
                raw = base64.urlsafe_b64decode(candidate)
            except ValueError:
                continue
            found.append(raw)
            try:
                found.append(zlib.decompress(raw))
            except zlib.error:
                pass
    return found


def test_the_cookie_holds_no_write_token_signed_or_not(target):
    client = target.app.test_client()
    csrf = csrf_of(client.get("/zelfevaluatie").data)
    response = client.post("/zelfevaluatie", data=filled(token=target.leuven, csrf=csrf, date="2018-10-10"))
    assert response.status_code == 303
    cookies = every_cookie(response)
    assert cookies
    secret = target.leuven.split(".", 1)[1].encode()
    for cookie in cookies:
        for readable in readable_parts(cookie.split(";", 1)[0].split("=", 1)[1]):
            assert secret not in readable and target.leuven.encode() not in readable
    # nor is it on disk beside the store
    sessions = beside_store(target.app.config["ODMLD"].store, "sessions.sqlite3")
    assert sessions.exists() and secret not in sessions.read_bytes()


def test_the_cookie_is_httponly_samesite_lax_and_only_secure_on_https(tmp_path):
    for base, secure in (("http://odmld.test/", False), ("https://odmld.test/", True)):
        target = writable_target(tmp_path / base.split(":")[0], base_uri=base)
        try:
            client = target.app.test_client()
            cookie = every_cookie(client.get("/zelfevaluatie"))[0]
            flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
            assert "httponly" in flags and "samesite=lax" in cookie.lower()
            assert ("secure" in flags) is secure, cookie
        finally:
            target.close()


def test_revoking_the_token_ends_the_sessions_that_used_it(target):
    token_id, token = tokens.create(target.tokens_file, LEUVEN)
    client, csrf = signed_in_client(target.app, token)
    assert "id=\"token\"" not in client.get("/zelfevaluatie").data.decode()  # signed in: not asked
    tokens.revoke(target.tokens_file, token_id)
    before = quads(target.store)
    page = client.get("/zelfevaluatie")
    assert 'id="token"' in page.data.decode()  # asked for a token again
    response = client.post("/zelfevaluatie", data=filled(csrf=csrf_of(page.data), date="2018-11-11"))
    assert response.status_code == 401
    assert quads(target.store) == before


def test_an_expired_session_is_not_honoured(target):
    client, csrf = signed_in_client(target.app, target.leuven)
    sessions = beside_store(target.app.config["ODMLD"].store, "sessions.sqlite3")
    with sqlite3.connect(sessions) as connection:
        connection.execute("UPDATE sessions SET expires = 0")
    before = quads(target.store)
    assert client.post("/zelfevaluatie", data=filled(csrf=csrf, date="2018-12-12")).status_code in (401, 403)
    assert quads(target.store) == before


def test_a_session_made_by_one_app_is_honoured_by_another_on_the_same_store(target):
    """Two create_app() on the same store and settings, as two worker processes of one site are."""
    other = create_app(target.app.config["ODMLD"], store=target.store)
    try:
        client, csrf = signed_in_client(target.app, target.gent)
        cookie = client.get_cookie(COOKIE, path="/zelfevaluatie")
        elsewhere = other.test_client()
        elsewhere.set_cookie(COOKIE, cookie.value, path="/zelfevaluatie")
        response = elsewhere.post("/zelfevaluatie", data=filled(csrf=csrf, date="2017-01-01"))
        assert response.status_code == 303, response.data[:500]
    finally:
        other.extensions["odmld.pool"].close()


OTHER_PROCESS = """
import json, re, sys
from odmld.config import load_config
from odmld.web import create_app
config = load_config({"store": sys.argv[1], "base_uri": sys.argv[2]}, environ={})
app = create_app(config)  # read-only, as a production worker opens the store
client = app.test_client()
client.set_cookie("odmld_form", sys.argv[3], path="/zelfevaluatie")
page = client.get("/zelfevaluatie").data.decode()
found = re.search(r'name="csrf" value="([^"]+)"', page)
print(json.dumps({"asks_token": 'id="token"' in page, "csrf": found and found.group(1)}))
app.extensions["odmld.pool"].close()
"""


def test_another_process_knows_the_session_and_its_csrf_token(target):
    client, csrf = signed_in_client(target.app, target.leuven)
    cookie = client.get_cookie(COOKIE, path="/zelfevaluatie").value
    ran = subprocess.run([sys.executable, "-c", OTHER_PROCESS, target.app.config["ODMLD"].store, BASE_URI,
                          cookie], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert ran.returncode == 0, ran.stderr[-2000:]
    seen = json.loads(ran.stdout.strip().splitlines()[-1])
    assert seen == {"asks_token": False, "csrf": csrf}


def test_the_key_file_is_made_once_and_readable_by_its_owner_only(target):
    key = beside_store(target.app.config["ODMLD"].store, "secret.key")
    target.app.test_client().get("/zelfevaluatie")
    assert key.exists() and key.stat().st_mode & 0o777 == 0o600


class AttackerPage(BaseHTTPRequestHandler):
    """A page on another port of the same host (the same site, so SameSite=Lax cookies go along),
    which posts the form as whoever is signed in on the service."""

    target_url = ""

    def do_GET(self) -> None:  # noqa: N802 - the http.server interface
        body = f"""<!doctype html><form id="f" method="post" action="{self.target_url}zelfevaluatie">
<input name="date" value="2016-02-02"><input name="method" value="zelfevaluatie">
<input name="maturity-1" value="3"><input name="need-1" value="2"></form>
<script>document.getElementById('f').submit()</script>""".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def test_a_same_site_page_cannot_post_the_form_in_a_browser(target):
    with live_server(target.app) as url, chromium() as browser:
        AttackerPage.target_url = url
        attacker = ThreadingHTTPServer(("127.0.0.1", 0), AttackerPage)
        threading.Thread(target=attacker.serve_forever, daemon=True).start()
        try:
            page = browser.new_context().new_page()
            page.goto(url + "zelfevaluatie?lang=en")
            page.fill("#token", target.gent)
            page.fill("#date", "2016-03-03")
            page.select_option("#maturity-1", "1")
            page.select_option("#need-1", "1")
            page.click("button[type=submit]")
            page.wait_for_url("**/doc/inschatting/**")
            before = assessments_of(target, GENT)
            with page.expect_response(lambda r: r.request.method == "POST") as posted:
                page.goto(f"http://127.0.0.1:{attacker.server_port}/")
            assert posted.value.status == 403
            assert assessments_of(target, GENT) == before
        finally:
            attacker.shutdown()
