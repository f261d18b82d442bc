"""Idempotent writes: an `Idempotency-Key` header makes a retried POST or DELETE safe.

As the IETF httpapi draft "The Idempotency-Key HTTP Header Field" describes: the first request with a
key is carried out and its answer kept; a retry with the same key by the same organisation gets that
answer again (status, Location, body), not a second version; the same key with a different request
(method, path, query, media type or body) is 422; a retry while the first is still being carried out
is 409. Keys are kept per organisation, for ODMLD_IDEMPOTENCY_HOURS, in `{store}-idempotency.sqlite3`,
which every process of the deployment shares.

The window this cannot close alone: the store write commits and the process dies before the answer is
kept. The key's claim then stays unfinished; after PENDING_SECONDS a retry may claim it again and is
carried out again, and publishing itself tells that the version already exists: an identical
resubmission is answered with the existing version (assessments.publish.publish_in, odm:submissionDigest), so
the retry gets that version, not a second one. A client that merely lost the connection is covered:
the server finishes the request and keeps the answer whether or not anyone reads it.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Callable

from flask import Response, current_app, request

from ..config import beside_store
from ..errors import BadRequest, Conflict, Invalid, OdmldError
from .errors import problem_response
from .i18n import current_language

HEADER = "Idempotency-Key"
KEY = re.compile(r'"?([\x21\x23-\x7e][\x20\x21\x23-\x7e]{0,254})"?')  # an sf-string's characters, or a token
PENDING_SECONDS = 120.0   # longer than any write takes: an unfinished claim older than this was abandoned
KEPT_HEADERS = ("Content-Type", "Location")
SCHEMA = """CREATE TABLE IF NOT EXISTS idempotency (
    organisation TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, claimed REAL NOT NULL,
    status INTEGER, headers TEXT, body BLOB, PRIMARY KEY (organisation, key))"""
INDEX = "CREATE INDEX IF NOT EXISTS idempotency_claimed ON idempotency (claimed)"


def keys_file() -> Path:
    return beside_store(current_app.config["ODMLD"].store, "idempotency.sqlite3")


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=10, isolation_level=None)  # transactions are explicit
    connection.execute(SCHEMA)
    connection.execute(INDEX)
    return connection


def once(organisation: str, carry_out: Callable[[], Response]) -> Response:
    """The answer to this request: carried out, or the kept answer to the first with its key."""
    presented = request.headers.get(HEADER)
    if presented is None:
        return carry_out()
    matched = KEY.fullmatch(presented.strip())
    if matched is None:
        raise BadRequest(message("bad_key"))
    key, fingerprint = matched.group(1), request_fingerprint()
    claimed = claim(keys_file(), organisation, key, fingerprint)
    if claimed == "other request":
        raise Invalid(message("key_reused"))
    if claimed == "in progress":
        raise Conflict(message("key_in_progress"), headers={"Retry-After": "2"})
    if isinstance(claimed, Response):
        claimed.headers["Idempotency-Replayed"] = "true"
        return claimed
    try:
        try:
            response = carry_out()
        except OdmldError as refused:  # a refusal is an answer too: a retry gets it again
            response = problem_response(refused)
    except BaseException:
        release(keys_file(), organisation, key)
        raise
    if response.status_code >= 500:
        release(keys_file(), organisation, key)  # not an answer to keep: the retry may succeed
    else:
        keep(keys_file(), organisation, key, response)
    return response


def request_fingerprint() -> str:
    """What makes two requests the same request: method, path and query, media type and body."""
    digest = hashlib.sha256()
    for part in (request.method, request.full_path, request.content_type or ""):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(request.get_data())
    return digest.hexdigest()


def claim(path: Path, organisation: str, key: str, fingerprint: str) -> str | Response | None:
    """None: this request may be carried out (the key is ours now). A Response: the kept answer.
    "other request" or "in progress": the key is taken."""
    now = time.time()
    lifetime = current_app.config["ODMLD"].idempotency_hours * 3600
    with closing(_connect(path)) as connection:
        connection.execute("BEGIN IMMEDIATE")  # one process at a time decides about a key
        try:
            connection.execute("DELETE FROM idempotency WHERE claimed < ?", (now - lifetime,))
            row = connection.execute(
                "SELECT fingerprint, claimed, status, headers, body FROM idempotency "
                "WHERE organisation = ? AND key = ?", (organisation, key)).fetchone()
            if row is None:
                connection.execute("INSERT INTO idempotency (organisation, key, fingerprint, claimed) "
                                   "VALUES (?, ?, ?, ?)", (organisation, key, fingerprint, now))
                return None
            kept_fingerprint, claimed, status, headers, body = row
            if kept_fingerprint != fingerprint:
                return "other request"
            if status is not None:
                return Response(body, status=status, headers=json.loads(headers))
            if now - claimed < PENDING_SECONDS:
                return "in progress"
            connection.execute("UPDATE idempotency SET claimed = ? WHERE organisation = ? AND key = ?",
                               (now, organisation, key))  # abandoned by a process that died: ours now
            return None
        finally:
            connection.execute("COMMIT")


def keep(path: Path, organisation: str, key: str, response: Response) -> None:
    headers = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
    with closing(_connect(path)) as connection:
        connection.execute("UPDATE idempotency SET status = ?, headers = ?, body = ? "
                           "WHERE organisation = ? AND key = ?",
                           (response.status_code, json.dumps(headers), response.get_data(), organisation, key))


def release(path: Path, organisation: str, key: str) -> None:
    with closing(_connect(path)) as connection:
        connection.execute("DELETE FROM idempotency WHERE organisation = ? AND key = ? AND status IS NULL",
                           (organisation, key))


MESSAGES = {
    "nl": {"bad_key": "Idempotency-Key is 1 tot 255 zichtbare ASCII-tekens, eventueel tussen aanhalingstekens.",
           "key_reused": "Deze Idempotency-Key is al gebruikt voor een ander verzoek; kies een nieuwe sleutel "
                         "voor een nieuw verzoek.",
           "key_in_progress": "Een verzoek met deze Idempotency-Key wordt nog uitgevoerd; probeer het zo opnieuw."},
    "en": {"bad_key": "Idempotency-Key is 1 to 255 visible ASCII characters, optionally in double quotes.",
           "key_reused": "This Idempotency-Key was used for another request; use a new key for a new request.",
           "key_in_progress": "A request with this Idempotency-Key is still being carried out; retry shortly."},
}


def message(name: str) -> dict[str, str]:
    return {current_language(): MESSAGES[current_language()][name]}
