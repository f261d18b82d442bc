"""When each document's bytes last changed: the Last-Modified every process of a deployment states.

A document (a /doc/ page in one format and language, a catalogue page, a dump, ...) is made from the
store, so its bytes can change at any write, and only making it again tells whether they did. So
odmld records, in a SQLite table beside the embedded store that every process shares
(`{store}-documents.sqlite3`), the ETag each document was last made with and since when:

    key -> (ETag, since, published)

When a process makes a document, it looks the key up. The same ETag: the bytes are those of `since`.
Another ETag: the bytes changed, and `since` becomes the first whole second after `published`, the
publication of the store generation the process read (snapshots.py), and at least one second after
the previous `since`. So:
- a changed document always gets a later Last-Modified than any earlier bytes had, even for two
  changes within one second (HTTP dates are whole seconds), and never one from before the write
  that changed it: no client is answered 304 for bytes it does not have;
- an unchanged document keeps its Last-Modified across writes and restarts, in every process;
- a `since` still in the future (the second after a write) is not sent until it has come;
- a process that made a document from a snapshot published before the one its row was recorded from
  (a request that overlapped a write) records nothing and states no Last-Modified. Publication times
  are compared, not generation numbers, as they keep growing when a store is put back from a copy.
`since` is exact to the second when the document is made between the write that changes it and the
next write (as a harvester following the feed does); otherwise it is the publication of the first
generation at which odmld made the new bytes, never earlier than the change. A document odmld never
made before is dated by the generation at which it is first made.

The table only grows with the documents there are (an unknown path is a 404 and records nothing).
Writes happen only when bytes change; reading a row takes tens of microseconds, and only when a
document is made, not when it is answered from a cache.
"""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

from .shared_table import SharedTable

SCHEMA = """CREATE TABLE IF NOT EXISTS documents (
    key TEXT PRIMARY KEY, etag TEXT NOT NULL, since INTEGER NOT NULL, published REAL NOT NULL
) WITHOUT ROWID"""


class ChangeTimes(SharedTable):
    """The shared table at `path` (shared_table.py)."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path, SCHEMA, "no Last-Modified")

    def since(self, key: str, etag: str, published: float) -> int | None:
        """The POSIX second since which `key` has had the bytes `etag`, as made from the snapshot
        published at `published` (POSIX time); None where that cannot be known. Never raises: a table
        that cannot be read or written means no Last-Modified, not a failed request."""
        return self.guarded(lambda db: self._since(db, key, etag, published))

    def _since(self, db: sqlite3.Connection, key: str, etag: str, published: float) -> int | None:
        row = db.execute("SELECT etag, since, published FROM documents WHERE key = ?", (key,)).fetchone()
        if row is not None and row[0] == etag:
            return row[1]
        if row is not None and published < row[2]:
            return None  # made from an older snapshot than bytes already recorded
        return self.in_transaction(db, lambda db: self._record(db, key, etag, published))

    @staticmethod
    def _record(db: sqlite3.Connection, key: str, etag: str, published: float) -> int | None:
        """Under the write lock: read the row again (another process may have just written it)."""
        row = db.execute("SELECT etag, since, published FROM documents WHERE key = ?", (key,)).fetchone()
        if row is not None and row[0] == etag:
            return row[1]
        if row is not None and published < row[2]:
            return None
        since = max(math.floor(published) + 1, row[1] + 1 if row is not None else 0)
        db.execute("INSERT OR REPLACE INTO documents (key, etag, since, published) VALUES (?, ?, ?, ?)",
                   (key, etag, since, published))
        return since
