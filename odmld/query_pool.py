"""Public SPARQL queries run in worker processes, so a runaway query can be stopped.

pyoxigraph has no query timeout or cancellation: the only way to stop a query is to end the process
running it. Each worker (odmld.query_worker) is confined at start (no network, a memory ceiling, a
lower CPU priority), opens the store read-only, says it is ready, and runs one query at a time. The
time limit runs from the start of a query, never over an open of the store. A query that runs past it,
or that reaches the memory ceiling, ends its worker, which is replaced while the other workers go on
answering; the caller gets a clear error. If the network restriction cannot be installed, public
queries are not answered at all (503, logged once) unless the settings allow running without it.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import pickle
import queue
import select
import signal
import threading
from typing import Any, Callable

import pyoxigraph as ox

from . import query_worker
from .answer_cache import AnswerCache
from .query_answer import QueryRefused
from .query_worker import QueryJob, WorkerSettings, answer
from .remote_store import RemoteTimeout, parse_answer
from .store_api import StoreError

__all__ = ["ForwardingQueries", "QueryJob", "QueryPool", "QueryRefused", "WorkerSettings"]

log = logging.getLogger(__name__)


class _Unavailable(Exception):
    """No query process can answer: the reason, for a 503."""


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context: Any, settings: WorkerSettings, generation: int) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=query_worker.main, args=(child, settings, generation),
                                       daemon=True)
        self.process.start()
        child.close()
        self.opened_at, self.ready = generation, False
        self._answered = select.poll()  # made once: Connection.poll builds a selector on every call
        self._answered.register(self.conn.fileno(), select.POLLIN)

    def _receive(self, timeout: float) -> tuple | None:
        if not self._answered.poll(timeout * 1000):
            return None
        message = pickle.loads(self.conn.recv_bytes())
        if message[0] == "unavailable":
            raise _Unavailable(message[1])
        return message

    def wait_ready(self, timeout: float) -> str | None:
        """Wait until the process has confined itself and opened the store; its warning, if any."""
        message = self._receive(timeout)
        if message is None:
            raise _Unavailable(f"a query process took longer than {timeout:g} s to open the store")
        self.ready = True
        return message[1]

    def ask(self, generation: int, job: QueryJob, timeout: float, open_timeout: float) -> tuple | None:
        """Send `job` and wait for its answer; None when none came within `timeout` seconds of the
        query's start (after the store was opened again, if it had to be). A worker that died
        answers EOFError (its end of the pipe closed)."""
        self.conn.send_bytes(query_worker.job_message(generation, job))
        if generation != self.opened_at:
            if self._receive(open_timeout) is None:
                raise _Unavailable(f"a query process took longer than {open_timeout:g} s to open the store")
            self.opened_at = generation
        return self._receive(timeout)

    def ended_by_memory(self) -> bool:
        """Whether the process ended as one that reached its memory ceiling does: an allocation
        failed and Rust aborted (SIGABRT), or the kernel killed it (SIGKILL)."""
        self.process.join(timeout=2)
        return self.process.exitcode in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV)

    def stop(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """A fixed number of worker processes that answer public SPARQL queries with a time limit.

    `generation()` is the store's count of writes (Store.generation): a worker opens the store again
    (it sees a snapshot) when it has grown. With a `cache`, an answer is kept with the generation it
    was made at, and the same job asked again before the store changes is answered from memory,
    without a trip to a worker.
    """

    def __init__(self, settings: WorkerSettings, *, size: int, timeout: float,
                 generation: Callable[[], int], cache: AnswerCache | None = None,
                 open_timeout: float = 120.0) -> None:
        self.settings, self.size, self.timeout, self.cache = settings, size, timeout, cache
        self.open_timeout = open_timeout
        self.generation = generation
        self._context = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._started = False
        self._lock = threading.Lock()
        self.unavailable: str | None = None  # why no query can be answered here, once known

    def _ensure_started(self) -> None:
        with self._lock:
            if not self._started:
                for _ in range(self.size):
                    self._idle.put(self._new_worker())
                self._started = True

    def _new_worker(self) -> _Worker:
        return _Worker(self._context, self.settings, self.generation())

    def run(self, job: QueryJob, *, keep: bool = True) -> tuple[str, bytes]:
        """The answer to `job`; with `keep`, one kept from an earlier run at this generation may do."""
        generation = self.generation()
        if self.cache is not None and keep:
            kept = self.cache.get(generation, job)
            if kept is not None:
                return kept
        media, body = self._ask_worker(generation, job)
        if self.cache is not None and keep:
            self.cache.put(generation, job, (media, body), len(body) + len(job.text))
        return media, body

    def _ask_worker(self, generation: int, job: QueryJob) -> tuple[str, bytes]:
        """Run `job` on an idle worker; past the time or memory limit the worker is replaced."""
        if self.unavailable is not None:
            raise QueryRefused(503, "Service Unavailable", self.unavailable)
        self._ensure_started()
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryRefused(503, "Busy", "every query worker is busy; try again shortly") from None
        try:
            if not worker.ready:
                self._warn_once(worker.wait_ready(self.open_timeout))
            answer = worker.ask(generation, job, self.timeout, self.open_timeout)
            if answer is None:
                worker = self._replace(worker)
                raise QueryRefused(400, "Query timeout",
                                   f"the query ran longer than the time limit of {self.timeout:g} s and "
                                   "was stopped; narrow it or add a LIMIT")
        except _Unavailable as unavailable:
            worker = self._replace(worker)
            raise QueryRefused(503, "Service Unavailable", self._note_unavailable(str(unavailable))) \
                from None
        except (EOFError, OSError):
            by_memory = worker.ended_by_memory()
            worker = self._replace(worker)
            if by_memory:
                raise QueryRefused(400, "Query memory limit exceeded", (
                    f"the query needed more memory than a query may use "
                    f"({self.settings.memory_mb} MB) and was stopped; narrow it")) from None
            raise QueryRefused(400, "Bad Request", "the query ended its worker; it was not answered") \
                from None
        finally:
            self._idle.put(worker)
        if answer[0] == "ok":
            return answer[1], answer[2]
        raise QueryRefused(*answer[1:4])

    def _replace(self, worker: _Worker) -> _Worker:
        worker.stop()
        return self._new_worker()

    def _note_unavailable(self, reason: str) -> str:
        """Log the reason once; a missing network restriction is for good, so later queries are
        refused at once rather than starting a process each."""
        with self._lock:
            if "barred from the network" in reason and self.unavailable is None:
                self.unavailable = reason
                log.error("public SPARQL queries are refused: %s (set ODMLD_QUERY_SANDBOX=off to run "
                          "them without the restriction)", reason)
        return reason

    def _warn_once(self, warning: str | None) -> None:
        if warning is not None:
            with self._lock:
                if not getattr(self, "_warned", False):
                    self._warned = True
                    log.warning("public SPARQL queries run WITHOUT the network restriction, as "
                                "ODMLD_QUERY_SANDBOX=off allows: %s", warning)

    def close(self) -> None:
        while not self._idle.empty():
            self._idle.get_nowait().stop()


class ForwardingQueries:
    """Public SPARQL queries for a remote store: sent to the server, with the time limit as the wait.

    No worker processes: the server runs the query. When odmld stops waiting the server may go on, so
    give the server its own limit as well (`oxigraph serve --timeout-s`).
    """

    def __init__(self, store: Any, *, result_limit: int, timeout: float,
                 result_bytes: int = 16_000_000) -> None:
        self.store, self.result_limit, self.timeout = store, result_limit, timeout
        self.result_bytes = result_bytes

    def run(self, job: QueryJob, *, keep: bool = True) -> tuple[str, bytes]:
        """The server's answer to `job`; nothing is kept here, so `keep` changes nothing."""
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
