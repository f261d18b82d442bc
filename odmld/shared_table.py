"""A SQLite table beside the store that every process of a deployment shares (change_times.py,
feed_members.py): one connection a process, opened when first needed (a forked child opens its own),
in WAL mode so that readers never wait for a writer, and never a failed request when it cannot be
used: what it would have saved is made again, and the process says so once."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any, Callable

log = logging.getLogger(__name__)


class SharedTable:
    """The table at `path`, made with `schema` when missing."""

    def __init__(self, path: str | Path, schema: str, unusable: str) -> None:
        self.path, self._schema, self._unusable = Path(path), schema, unusable
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._warned = False

    def guarded(self, action: Callable[[sqlite3.Connection], Any]) -> Any:
        """`action(connection)` under this process's lock; None if the table cannot be used."""
        try:
            with self._lock:
                return action(self._connect())
        except sqlite3.Error as error:
            if not self._warned:  # once a process: every request would say it again
                log.warning("%s (%s): %s", self._unusable, self.path, error)
                self._warned = True
            return None

    @staticmethod
    def in_transaction(db: sqlite3.Connection, action: Callable[[sqlite3.Connection], Any]) -> Any:
        """`action(db)` as one write transaction (BEGIN IMMEDIATE: other processes wait for it)."""
        db.execute("BEGIN IMMEDIATE")
        try:
            done = action(db)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return done

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None,
                                         check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")  # durable when a process dies
            connection.execute(self._schema)
            self._connection, self._pid = connection, os.getpid()
        return self._connection
