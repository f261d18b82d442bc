"""Write tokens: each bound to one organisation, shown once, stored only as a SHA-256 hash.

Tokens are 32 random bytes, so a fast hash is safe (there is nothing to guess); they live in a small
SQLite file beside the store, never in the public RDF store.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

SCHEMA = """CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY, hash TEXT UNIQUE NOT NULL, organisation TEXT NOT NULL,
    created TEXT NOT NULL, revoked TEXT)"""


@dataclass(frozen=True)
class Token:
    id: str
    organisation: str
    created: str
    revoked: str | None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    connection.execute(SCHEMA)
    return connection


def create(path: Path, organisation: str) -> tuple[str, str]:
    """A new token for `organisation`: returns (token id, the secret to show once)."""
    token_id, secret = secrets.token_hex(4), secrets.token_urlsafe(32)
    with closing(_connect(path)) as connection, connection:
        connection.execute("INSERT INTO tokens VALUES (?, ?, ?, ?, NULL)",
                           (token_id, _digest(secret), organisation,
                            datetime.now(timezone.utc).isoformat(timespec="seconds")))
    return token_id, f"{token_id}.{secret}"


def revoke(path: Path, token_id: str) -> bool:
    with closing(_connect(path)) as connection, connection:
        changed = connection.execute(
            "UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL",
            (datetime.now(timezone.utc).isoformat(timespec="seconds"), token_id)).rowcount
    return changed == 1


def verify(path: Path, presented: str) -> tuple[str, str] | None:
    """(token id, organisation) of a presented token, or None (unknown, wrong or revoked)."""
    token_id, _, secret = presented.partition(".")
    if not secret or not path.exists():
        return None
    with closing(_connect(path)) as connection:
        row = connection.execute("SELECT hash, organisation FROM tokens WHERE id = ? AND revoked IS NULL",
                                 (token_id,)).fetchone()
    if row is None or not secrets.compare_digest(row[0], _digest(secret)):
        return None
    return token_id, row[1]


def organisation_of(path: Path, presented: str) -> str | None:
    """The organisation a presented token writes for, or None (unknown, wrong or revoked)."""
    verified = verify(path, presented)
    return verified[1] if verified else None


def active_organisation(path: Path, token_id: str) -> str | None:
    """The organisation of a token already verified once (a form session keeps its id, never its
    secret), while the token is not revoked."""
    if not path.exists():
        return None
    with closing(_connect(path)) as connection:
        row = connection.execute("SELECT organisation FROM tokens WHERE id = ? AND revoked IS NULL",
                                 (token_id,)).fetchone()
    return row[0] if row else None


def listing(path: Path) -> list[Token]:
    if not path.exists():
        return []
    with closing(_connect(path)) as connection:
        return [Token(*row) for row in connection.execute(
            "SELECT id, organisation, created, revoked FROM tokens ORDER BY created")]
