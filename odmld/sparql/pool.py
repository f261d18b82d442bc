"""Public SPARQL queries run in worker processes, so a runaway query can be stopped.

pyoxigraph has no query timeout or cancellation: the only way to stop a query is to end the process
running it. Each worker (odmld.sparql.worker) is confined at start (no network, a memory ceiling, a
lower CPU priority), opens the store read-only, says it is ready, and runs one query at a time. The
time limit runs from the start of a query, never over an open of the store. A query that runs past it,
or that reaches the memory ceiling, ends its worker, which is replaced while the other workers go on
answering; the caller gets a clear error. If the network restriction cannot be installed, public
queries are not answered at all (503, logged once) unless the settings allow running without it.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing as mp
import signal
import threading
import time
from typing import Any, Callable

from ..caching import AnswerCache
from . import worker as query_worker  # the child side; `worker` names a _Worker here
from .answer import QueryRefused
from .channel import Channel
from .fair_share import FairShare
from .worker import QueryJob, WorkerSettings

__all__ = ["QueryJob", "QueryPool", "QueryRefused", "WorkerSettings"]

log = logging.getLogger(__name__)
HEAVY_WAIT = 1.0  # seconds a heavy-lane query may wait for a process of its lane
ANSWER_OVERHEAD = 1_000_000  # bytes of a message beside its answer (media type, figures, pickle)


class _Unavailable(Exception):
    """No query process can answer: the reason, for a 503."""


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context: Any, settings: WorkerSettings, generation: int, lane: str) -> None:
        self.lane = lane
        self.conn, child = context.Pipe()
        self.process = context.Process(target=query_worker.main, args=(child, settings, generation),
                                       daemon=True)
        self.process.start()
        child.close()
        self.opened_at, self.ready = generation, False
        # an answer is at most result_bytes (answer.py stops it past them): no longer message is read
        self.channel = Channel(self.conn, longest=settings.result_bytes + ANSWER_OVERHEAD)

    def _receive(self, timeout: float) -> tuple | None:
        message = self.channel.receive(timeout)
        if message is None:
            return None
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
        self.channel.send(query_worker.job_message(generation, job))
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


class _IdleWorkers:
    """The idle workers of a pool, by lane: a job waits for a worker of its own lane (a heavy job for
    a light-lane one when the pool has no heavy lane).

    Each lane has its own condition (one lock for both), and a worker given back wakes one waiter of
    its lane: waking every waiter (notify_all) sent all but one of the request threads back to sleep,
    two context switches each and the GIL handed round, for every query. A waiter looks at its lane
    again before it gives up, so a wake-up that reaches one whose time ran out is not lost."""

    def __init__(self) -> None:
        self._idle: dict[str, list[_Worker]] = {"light": [], "heavy": []}
        lock = threading.Lock()
        self._changed = {lane: threading.Condition(lock) for lane in self._idle}
        self._lock = lock
        self.heavy_lane = False  # whether the pool has heavy-lane workers at all

    def take(self, lane: str, timeout: float) -> _Worker | None:
        deadline = time.monotonic() + timeout
        waits_for = "heavy" if lane == "heavy" and self.heavy_lane else "light"
        with self._lock:
            while True:
                found = self._idle[waits_for]
                if found:
                    return found.pop()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._changed[waits_for].wait(remaining)

    def give(self, worker: _Worker) -> None:
        with self._lock:
            self._idle[worker.lane].append(worker)
            self._changed[worker.lane].notify()

    def all(self) -> list[_Worker]:
        with self._lock:
            return [*self._idle["light"], *self._idle["heavy"]]

    def drain(self) -> list[_Worker]:
        with self._lock:
            drained = [*self._idle["light"], *self._idle["heavy"]]
            self._idle = {"light": [], "heavy": []}
            return drained


class QueryPool:
    """A fixed number of worker processes that answer public SPARQL queries with a time limit.

    `generation()` is the store's count of writes (Store.generation): a worker opens the store again
    (it sees a snapshot) when it has grown. With a `cache`, an answer is kept with the generation it
    was made at, and the same job asked again before the store changes is answered from memory,
    without a trip to a worker.
    """

    def __init__(self, settings: WorkerSettings, *, size: int, timeout: float,
                 generation: Callable[[], int], cache: AnswerCache | None = None,
                 open_timeout: float = 120.0, fair_share: FairShare | None = None,
                 heavy_size: int = 1, heavy_niceness: int = 19) -> None:
        self.settings, self.size, self.timeout, self.cache = settings, size, timeout, cache
        self.open_timeout, self.fair_share = open_timeout, fair_share
        self.heavy_size, self.heavy_niceness = heavy_size, heavy_niceness
        self.generation = generation
        self._context = mp.get_context("spawn")
        self._idle = _IdleWorkers()
        self._started = False
        self._lock = threading.Lock()
        self.unavailable: str | None = None  # why no query can be answered here, once known

    def _ensure_started(self) -> None:
        """Start the workers: `size` for the light lane and, with a fair share, `heavy_size` more for
        the heavy lane, at the lowest CPU priority. Light queries never wait for a heavy client's."""
        with self._lock:
            if not self._started:
                heavy = self.heavy_size if self.fair_share is not None else 0
                self._idle.heavy_lane = heavy > 0
                for lane in ["light"] * self.size + ["heavy"] * heavy:
                    self._idle.give(self._new_worker(lane))
                self._started = True

    def _new_worker(self, lane: str) -> _Worker:
        settings = self.settings
        if lane == "heavy":
            settings = dataclasses.replace(settings, niceness=max(settings.niceness, self.heavy_niceness))
        return _Worker(self._context, settings, self.generation(), lane)

    def run(self, job: QueryJob, *, keep: bool = True, client: str | None = None) -> tuple[str, bytes]:
        """The answer to `job`; with `keep`, one kept from an earlier run at this generation may do.
        With a fair share, `client` (fair_share.client_of) is admitted first, and charged after."""
        generation = self.generation()
        if self.cache is not None and keep:
            kept = self.cache.get(generation, job)
            if kept is not None:
                return kept
        if self.fair_share is None or client is None:
            media, body = self._ask_worker(generation, job, "light")[:2]
        else:
            with self.fair_share.admitted(client) as lane:
                began = time.monotonic()
                try:
                    media, body, cpu = self._ask_worker(generation, job, lane)
                except QueryRefused:
                    self.fair_share.record(client, time.monotonic() - began)  # a stop costs its time
                    raise
                self.fair_share.record(client, cpu)
        if self.cache is not None and keep:
            self.cache.put(generation, job, (media, body), len(body) + len(job.text))
        return media, body

    def _ask_worker(self, generation: int, job: QueryJob, lane: str) -> tuple[str, bytes, float]:
        """Run `job` on an idle worker of `lane`; past the time or memory limit the worker is replaced.
        Returns (media type, body, CPU seconds the query took)."""
        if self.unavailable is not None:
            raise QueryRefused(503, "Service Unavailable", self.unavailable)
        self._ensure_started()
        # a request that waits holds a thread of the server, which pages need too: heavy clients
        # wait briefly for their lane, then are told when to come back
        worker = self._idle.take(lane, self.timeout if lane == "light" else min(self.timeout, HEAVY_WAIT))
        if worker is None:
            raise QueryRefused(503, "Busy", "every query process of this lane is busy; try again "
                               "shortly", headers={"Retry-After": "5"})
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
            self._idle.give(worker)
        if answer[0] == "ok":
            return answer[1], answer[2], answer[3]
        raise QueryRefused(*answer[1:4])

    def _replace(self, worker: _Worker) -> _Worker:
        worker.stop()
        return self._new_worker(worker.lane)

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

    def workers(self) -> list[_Worker]:
        """The idle workers (for tests and measurements)."""
        return self._idle.all()

    def close(self) -> None:
        for worker in self._idle.drain():
            worker.stop()
