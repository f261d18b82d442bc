"""Public SPARQL queries for a remote store: the server runs them; odmld screens, waits and limits.

The text goes to the server (after the screen in odmld/web/sparql.py, which is the only guard here: the
server may run SERVICE itself, so run it without outbound access, see docs/security.md), with the query
time limit as the wait, and the answer is written again within the result limits.
"""

from __future__ import annotations

import time
from typing import Any

import pyoxigraph as ox

from .sparql.fair_share import FairShare
from .sparql.answer import QueryRefused
from .sparql.worker import QueryJob, answer
from .remote_store import RemoteTimeout, parse_answer
from .store_api import StoreError


class ForwardingQueries:
    """Public SPARQL queries for a remote store: sent to the server, with the time limit as the wait.

    No worker processes: the server runs the query. When odmld stops waiting the server may go on, so
    give the server its own limit as well (`oxigraph serve --timeout-s`).
    """

    def __init__(self, store: Any, *, result_limit: int, timeout: float,
                 result_bytes: int = 16_000_000, fair_share: FairShare | None = None) -> None:
        self.store, self.result_limit, self.timeout = store, result_limit, timeout
        self.result_bytes, self.fair_share = result_bytes, fair_share

    def run(self, job: QueryJob, *, keep: bool = True, client: str | None = None) -> tuple[str, bytes]:
        """The server's answer to `job`; nothing is kept here, so `keep` changes nothing. With a fair
        share, `client` is admitted first and charged the time the server took."""
        if self.fair_share is None or client is None:
            return self._forward(job)
        with self.fair_share.admitted(client):
            began = time.monotonic()
            try:
                return self._forward(job)
            finally:
                self.fair_share.record(client, time.monotonic() - began)

    def _forward(self, job: QueryJob) -> tuple[str, bytes]:
        try:
            media, body = self.store.fetch(
                job.text, default_graph=[ox.NamedNode(g) for g in job.default_graphs] or None,
                named_graphs=[ox.NamedNode(g) for g in job.named_graphs] or None, timeout=self.timeout)
        except SyntaxError as error:
            raise QueryRefused(400, "Bad Request", f"the query does not parse (so says the store): {error}") from None
        except ValueError as error:
            raise QueryRefused(400, "Bad Request", f"the query cannot be run: {error}") from None
        except RemoteTimeout:
            raise QueryRefused(400, "Query timeout", f"the query ran longer than the time limit of "
                               f"{self.timeout:g} s; narrow it or add a LIMIT") from None
        except StoreError as error:
            raise QueryRefused(503, "Store unavailable", str(error)) from None
        return answer(lambda: parse_answer(media, body), job, self.result_limit, self.result_bytes)

    def close(self) -> None:
        """Nothing to close."""
