"""Public SPARQL queries run in worker processes, so a runaway query can be stopped.

pyoxigraph has no query timeout or cancellation: the only way to stop a query is to end the process
running it. Each worker opens the store read-only (a snapshot; it reopens when the store's generation
changes), runs one query at a time, enforces the result limit and returns the serialised answer. When a
query runs past the time limit its worker is killed and replaced, and the caller gets a clear error while
the other workers go on answering.
"""

from __future__ import annotations

import multiprocessing as mp
import pickle
import queue
import select
import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import pyoxigraph as ox

from .answer_cache import AnswerCache
from .remote_store import RemoteTimeout, parse_answer
from .snapshots import Snapshot, Snapshots
from .store_api import StoreError


class QueryRefused(Exception):
    """The query cannot be answered as asked; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


@dataclass(frozen=True)
class QueryJob:
    text: str
    results_media: str | None       # the SPARQL results format the client accepts, for SELECT / ASK
    graph_media: str | None         # the RDF format the client accepts, for CONSTRUCT / DESCRIBE
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    stated_limit: int | None = None  # the query's own LIMIT (sparql_text.Screening.outer_limit)


@dataclass(frozen=True)
class WorkerSettings:
    store_path: str
    base_uri: str
    result_limit: int
    union_default_graph: bool


def run_job(store: ox.Store, job: QueryJob, settings: WorkerSettings) -> tuple[str, bytes]:
    """Run one query on `store`; return (media type, body) or raise QueryRefused."""
    options: dict[str, Any] = {"base_iri": settings.base_uri}
    if job.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    elif settings.union_default_graph:
        options["use_default_graph_as_union"] = True
    if job.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    return answer(lambda: store.query(job.text, **options), job, settings.result_limit)


def answer(run: Callable[[], Any], job: QueryJob, result_limit: int) -> tuple[str, bytes]:
    """Serialise what `run()` returns as the client asked, within the result limit."""
    try:
        results = run()
        if not isinstance(results, (ox.QuerySolutions, ox.QueryBoolean)):
            return _graph_answer(results, job, result_limit)
        if job.results_media is None:
            raise QueryRefused(406, "Not Acceptable", "no acceptable SPARQL results format; offered: "
                               + ", ".join(f.media_type.split(";")[0] for f in RESULT_FORMATS))
        results_format = ox.QueryResultsFormat.from_media_type(job.results_media)
        if isinstance(results, ox.QueryBoolean):
            return job.results_media, results.serialize(format=results_format)
        if job.stated_limit is not None and job.stated_limit <= result_limit:
            return job.results_media, results.serialize(format=results_format)
        return job.results_media, _within_row_limit(results, results_format, result_limit)
    except SyntaxError as error:
        raise QueryRefused(400, "Bad Request", f"the query does not parse: {error}") from None
    except (ValueError, RuntimeError, OSError) as error:
        raise QueryRefused(400, "Bad Request", f"the query cannot be run: {error}") from None


RESULT_FORMATS = (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML,
                  ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV)


class _TooManyRows(Exception):
    pass


class _RowCountingBuffer:
    """A write target that keeps what it is given and stops the writer past `limit` rows.

    SPARQL TSV writes one line a row (newlines inside literals are escaped), after one header line.
    """

    def __init__(self, limit: int) -> None:
        self.limit, self.lines, self.data = limit, 0, bytearray()

    def write(self, chunk: bytes) -> int:
        self.data += chunk
        self.lines += bytes(chunk).count(b"\n")
        if self.lines - 1 > self.limit:
            raise _TooManyRows()
        return len(chunk)

    def flush(self) -> None:
        pass


def _within_row_limit(solutions: ox.QuerySolutions, results_format: ox.QueryResultsFormat,
                      limit: int) -> bytes:
    """The solutions in `results_format`, from one run of the query.

    pyoxigraph serialises only from the result iterator, so the rows are first written as TSV into a
    buffer that stops the query as soon as they pass the limit; the TSV is then parsed back and
    written in the asked format, which costs far less than running the query a second time. (A query
    whose own LIMIT is within the limit skips this: for a small query the round trip cost a third
    as much again as running it.)
    """
    buffer = _RowCountingBuffer(limit)
    try:
        solutions.serialize(buffer, ox.QueryResultsFormat.TSV)
    except Exception:
        if buffer.lines - 1 > limit:
            raise QueryRefused(400, "Result limit exceeded",
                               f"the query returns more than {limit} rows; add a LIMIT or narrow it") from None
        raise
    tsv = bytes(buffer.data)
    if results_format == ox.QueryResultsFormat.TSV:
        return tsv
    return ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(format=results_format)


def _graph_answer(triples: Iterable[ox.Triple], job: QueryJob, limit: int) -> tuple[str, bytes]:
    if job.graph_media is None:
        raise QueryRefused(406, "Not Acceptable", "no acceptable RDF format for a graph result")
    collected = []
    for triple in triples:
        collected.append(triple)
        if len(collected) > limit:
            raise QueryRefused(400, "Result limit exceeded", f"the query returns more than {limit} triples")
    rdf_format = ox.RdfFormat.from_media_type(job.graph_media)
    return job.graph_media, ox.serialize(collected, format=rdf_format)


def _worker_main(conn: Any, settings: WorkerSettings) -> None:
    """A worker process: answer job messages from `conn` until it closes.

    The store generation comes with each job (a plain int), so checking whether the store changed
    costs nothing; the worker opens that generation's snapshot (about 25 ms) only when it moved.
    """
    snapshots, snapshot, opened_at = Snapshots(settings.store_path), None, -1
    while True:
        try:
            generation, job = _read_job(conn.recv_bytes())
        except EOFError:
            return
        try:
            if snapshot is None or opened_at != generation:
                snapshot, opened_at = open_snapshot(snapshots, generation), generation
            media, body = run_job(snapshot.store, job, settings)
            answer: tuple = ("ok", media, body)
        except QueryRefused as refused:
            answer = ("refused", refused.status, refused.title, refused.detail)
        except Exception as error:  # keep the worker alive; the parent answers with the message
            answer = ("refused", 400, "Bad Request", f"the query cannot be run: {error}")
        conn.send_bytes(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))


def open_snapshot(snapshots: Snapshots, generation: int) -> Snapshot | _Nothing:
    """The published snapshot of `generation` (an empty store before anything was published)."""
    return snapshots.open(generation) if generation else _Nothing()


class _Nothing:
    """What a store nothing was ever written to reads as."""

    def __init__(self) -> None:
        self.store = ox.Store()


def _job_message(generation: int, job: QueryJob) -> bytes:
    """A job as a plain tuple: the Connection's own pickling of a dataclass took ten times longer."""
    return pickle.dumps((generation, job.text, job.results_media, job.graph_media, job.default_graphs,
                         job.named_graphs, job.stated_limit), protocol=pickle.HIGHEST_PROTOCOL)


def _read_job(message: bytes) -> tuple[int, QueryJob]:
    generation, *fields = pickle.loads(message)
    return generation, QueryJob(*fields)


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context: Any, settings: WorkerSettings) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, settings), daemon=True)
        self.process.start()
        child.close()
        self._answered = select.poll()  # made once: Connection.poll builds a selector on every call
        self._answered.register(self.conn.fileno(), select.POLLIN)

    def ask(self, generation: int, job: QueryJob, timeout: float) -> tuple | None:
        """Send `job` and wait for its answer; None when none came within `timeout` seconds.

        A worker that died answers EOFError (its end of the pipe closed).
        """
        self.conn.send_bytes(_job_message(generation, job))
        if not self._answered.poll(timeout * 1000):
            return None
        return pickle.loads(self.conn.recv_bytes())

    def stop(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """A fixed number of worker processes that answer public SPARQL queries with a time limit.

    `generation()` is the store's count of writes (Store.generation): a worker reopens the store (it
    sees a snapshot) when it has grown. With a `cache`, an answer is kept with the generation it was
    made at, and the same job asked again before the store changes is answered from memory, without a
    trip to a worker.
    """

    def __init__(self, settings: WorkerSettings, *, size: int, timeout: float,
                 generation: Callable[[], int], cache: AnswerCache | None = None) -> None:
        self.settings, self.size, self.timeout, self.cache = settings, size, timeout, cache
        self.generation = generation
        self._context = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._started = False
        self._lock = threading.Lock()

    def _ensure_started(self) -> None:
        with self._lock:
            if not self._started:
                for _ in range(self.size):
                    self._idle.put(_Worker(self._context, self.settings))
                self._started = True

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
        """Run `job` on an idle worker; past the time limit the worker is killed and replaced."""
        self._ensure_started()
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryRefused(503, "Busy", "every query worker is busy; try again shortly") from None
        try:
            answer = worker.ask(generation, job, self.timeout)
            if answer is None:
                worker.stop()
                worker = _Worker(self._context, self.settings)
                raise QueryRefused(400, "Query timeout",
                                   f"the query ran longer than the time limit of {self.timeout:g} s and "
                                   "was stopped; narrow it or add a LIMIT")
        except (EOFError, OSError, BrokenPipeError):
            worker.stop()
            worker = _Worker(self._context, self.settings)
            raise QueryRefused(400, "Bad Request", "the query ended its worker; it was not answered") \
                from None
        finally:
            self._idle.put(worker)
        if answer[0] == "ok":
            return answer[1], answer[2]
        raise QueryRefused(*answer[1:])

    def close(self) -> None:
        while not self._idle.empty():
            self._idle.get_nowait().stop()


class ForwardingQueries:
    """Public SPARQL queries for a remote store: sent to the server, with the time limit as the wait.

    No worker processes: the server runs the query. When odmld stops waiting the server may go on, so
    give the server its own limit as well (`oxigraph serve --timeout-s`).
    """

    def __init__(self, store: Any, *, result_limit: int, timeout: float) -> None:
        self.store, self.result_limit, self.timeout = store, result_limit, timeout

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
        return answer(lambda: parse_answer(media, body), job, self.result_limit)

    def close(self) -> None:
        """Nothing to close."""
