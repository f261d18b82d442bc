"""What the security tests share: a loopback listener that counts who connects, the app, a pool.

The listener is a real TCP socket on 127.0.0.1 that accepts and at once closes every connection (so
a query that reaches it fails fast instead of waiting for an answer) and counts them: a test asserts
it was never reached.
"""

from __future__ import annotations

import socket
import threading
import time

from odmld.config import load_config
from odmld.sparql.pool import QueryPool, WorkerSettings
from odmld.snapshots import Snapshots
from odmld.web import create_app

BASE = "http://odmld.test/"


class Listener:
    """A loopback TCP listener in a thread of its own, counting connections."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                connection, _ = self.server.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            connection.close()

    def reached(self, settle: float = 0.3) -> int:
        """Connections so far, after a moment for any in flight to land."""
        time.sleep(settle)
        return self.connections

    def close(self) -> None:
        self._stop = True
        self._thread.join(timeout=2)
        self.server.close()


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_app(store_path: str, store=None, **settings):
    config = load_config({"store": str(store_path), "base_uri": BASE, **settings}, environ={})
    return create_app(config, store=store)


def make_pool(store_path: str, *, size: int = 2, timeout: float = 20.0, generation=None,
              fair_share=None, **settings) -> QueryPool:
    """A query pool on `store_path` with no screen in front: straight to the query processes, which
    open the store's current snapshot unless `generation` says otherwise."""
    worker = {"result_limit": 10_000, "memory_mb": 1024, **settings}
    return QueryPool(WorkerSettings(store_path=str(store_path), base_uri=BASE,
                                    union_default_graph=True, **worker),
                     size=size, timeout=timeout, fair_share=fair_share,
                     generation=generation or Snapshots(store_path).generation)
