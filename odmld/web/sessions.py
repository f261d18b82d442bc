"""The self-assessment form's sessions: kept server-side, shared by every process, ended by revocation.

The browser holds only a random session id (cookie `odmld_form`, HttpOnly, SameSite=Lax, Secure when
the base URI is https, sent to the form's path only). Nothing readable is in it: once the form has
checked a write token, the session remembers which token (its id, never its secret) and organisation,
in a small SQLite table beside the store (`{store}-sessions.sqlite3`, under a hash of the session id),
so every worker process knows it. A session lasts ODMLD_SESSION_HOURS from sign-in and ends as soon as
its token is revoked. Signing in gives a new session id (an id planted before sign-in is worth nothing).

Every form post carries a CSRF token derived from the session id with the deployment's shared key
(odmld.shared_key): HMAC-SHA256(key, id). A visitor who has not signed in needs no row at all, so a
crawler asking for the form a million times writes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, current_app, request

from .. import tokens
from ..config import beside_store
from ..shared_key import shared_key

COOKIE = "odmld_form"
COOKIE_PATH = "/zelfevaluatie"
SCHEMA = """CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY, token_id TEXT NOT NULL, organisation TEXT NOT NULL, expires REAL NOT NULL)"""
INDEX = "CREATE INDEX IF NOT EXISTS sessions_expires ON sessions (expires)"


@dataclass(frozen=True)
class FormSession:
    id: str
    organisation: str | None = None   # signed in: the organisation its token writes for
    token_id: str | None = None
    new_cookie: bool = False           # the browser must be sent this id


def sessions_file() -> Path:
    return beside_store(current_app.config["ODMLD"].store, "sessions.sqlite3")


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=10)
    connection.execute(SCHEMA)
    connection.execute(INDEX)
    return connection


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def fresh() -> FormSession:
    """A new, signed-out session (nothing is stored for it)."""
    return FormSession(secrets.token_urlsafe(32), new_cookie=True)


def current() -> FormSession:
    """The session this request's cookie names; a new, signed-out one without a usable cookie."""
    session_id = request.cookies.get(COOKIE, "")
    if not 20 <= len(session_id) <= 100:
        return fresh()
    path = sessions_file()
    if not path.exists():
        return FormSession(session_id)
    with closing(_connect(path)) as connection:
        row = connection.execute("SELECT token_id, organisation, expires FROM sessions WHERE id_hash = ?",
                                 (_hash(session_id),)).fetchone()
    if row is None:
        return FormSession(session_id)
    token_id, organisation, expires = row
    if expires < time.time() or tokens.active_organisation(tokens_file(), token_id) != organisation:
        end(FormSession(session_id))
        return fresh()
    return FormSession(session_id, organisation, token_id)


def sign_in(token_id: str, organisation: str) -> FormSession:
    """A new session for a token the form has just checked; expired sessions are cleared on the way."""
    session = FormSession(secrets.token_urlsafe(32), organisation, token_id, new_cookie=True)
    now = time.time()
    with closing(_connect(sessions_file())) as connection, connection:
        connection.execute("DELETE FROM sessions WHERE expires < ?", (now,))
        connection.execute("INSERT INTO sessions VALUES (?, ?, ?, ?)",
                           (_hash(session.id), token_id, organisation, now + lifetime_seconds()))
    return session


def with_token(session: FormSession, presented: str) -> FormSession:
    """The session after a form's write-token field: signed in anew when a token was typed (signed out
    when it is wrong), unchanged when the field was left empty."""
    presented = presented.strip()
    if not presented:
        return session
    verified = tokens.verify(tokens_file(), presented)
    end(session)
    return fresh() if verified is None else sign_in(*verified)


def end(session: FormSession) -> None:
    path = sessions_file()
    if path.exists():
        with closing(_connect(path)) as connection, connection:
            connection.execute("DELETE FROM sessions WHERE id_hash = ?", (_hash(session.id),))


def csrf_token(session: FormSession) -> str:
    """What the form must send back with a post in this session."""
    return hmac.new(_key(current_app), b"odmld-form-csrf:" + session.id.encode("utf-8"),
                    hashlib.sha256).hexdigest()


def csrf_valid(session: FormSession, presented: str | None) -> bool:
    return bool(presented) and hmac.compare_digest(csrf_token(session), presented or "")


def remember(response: Response, session: FormSession) -> Response:
    """Send the browser the session's id, when it is new."""
    if session.new_cookie:
        config = current_app.config["ODMLD"]
        response.set_cookie(COOKIE, session.id, max_age=int(lifetime_seconds()), path=COOKIE_PATH,
                            secure=config.base_uri.startswith("https://"), httponly=True, samesite="Lax")
    return response


def lifetime_seconds() -> float:
    return current_app.config["ODMLD"].session_hours * 3600


def tokens_file() -> Path:
    return Path(current_app.config["ODMLD"].tokens)


def _key(app: Flask) -> bytes:
    """The deployment's key: ODMLD_SECRET_KEY, else the key file beside the store; read once per app."""
    key = app.extensions.get("odmld.secret_key")
    if key is None:
        configured = app.config["ODMLD"].secret_key
        key = (configured.encode("utf-8") if configured
               else shared_key(beside_store(app.config["ODMLD"].store, "secret.key")))
        app.extensions["odmld.secret_key"] = key
    return key
