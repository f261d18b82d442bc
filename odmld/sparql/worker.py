"""A query process: the child side of odmld.sparql.pool.

At start, before it reads any job, the process confines itself (sandbox.py: no network, a memory
ceiling, a lower CPU priority), opens the store, and only then tells its parent it is ready, so the
time the first open takes is not counted against any query. The store generation travels with each
job; when it differs from the one the process opened, the process opens the store again (a snapshot
of that generation) and says so before it starts the query: that open is not the query's time either.

Messages are plain pickled tuples (the Connection's own pickling of a dataclass took ten times longer),
each framed by its length (channel.py):
- parent to child: (generation, text, results_media, graph_media, default_graphs, named_graphs);
- child to parent: ("ready", warning | None) or ("unavailable", reason) once at start;
  ("opened",) after a reopen; then ("ok", media, body, cpu_seconds) or
  ("refused", status, title, detail, cpu_seconds) for each job.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

import pyoxigraph as ox

from ..snapshots import Snapshots
from .answer import QueryRefused, write_graph, write_solutions
from .channel import Channel
from .sandbox import SandboxUnavailable, forbid_network, limit_memory, lower_priority


@dataclass(frozen=True)
class QueryJob:
    text: str
    results_media: str | None       # the SPARQL results format the client accepts, for SELECT / ASK
    graph_media: str | None         # the RDF format the client accepts, for CONSTRUCT / DESCRIBE
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkerSettings:
    store_path: str
    base_uri: str
    result_limit: int
    union_default_graph: bool
    result_bytes: int = 16_000_000
    memory_mb: int = 0               # 0: no ceiling
    niceness: int = 0
    sandbox_required: bool = True


def open_snapshot(settings: WorkerSettings, generation: int) -> Any:
    """The store as this process queries it at `generation`: the published snapshot of that write
    (odmld.snapshots), or an empty store before anything was published. The snapshot is held open
    (and so kept from removal) while the returned object lives; its `store` is queried."""
    return Snapshots(settings.store_path).open(generation) if generation else _Nothing()


class _Nothing:
    """What a store nothing was ever written to reads as."""

    def __init__(self) -> None:
        self.store = ox.Store()


RESULT_FORMATS = (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML,
                  ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV)


def run_job(store: ox.Store, job: QueryJob, settings: WorkerSettings) -> tuple[str, bytes]:
    """Run one query on `store`; return (media type, body) or raise QueryRefused."""
    options: dict[str, Any] = {"base_iri": settings.base_uri}
    if job.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    elif settings.union_default_graph:
        options["use_default_graph_as_union"] = True
    if job.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    return answer(lambda: store.query(job.text, **options), job, settings.result_limit,
                  settings.result_bytes)


NO_NETWORK = ("the query asks for a connection to another server (SERVICE), and query processes "
              "have no network access")


def answer(run: Callable[[], Any], job: QueryJob, result_limit: int,
           result_bytes: int) -> tuple[str, bytes]:
    """Serialise what `run()` returns as the client asked, within the result limits."""
    try:
        results = run()
        if not isinstance(results, (ox.QuerySolutions, ox.QueryBoolean)):
            if job.graph_media is None:
                raise QueryRefused(406, "Not Acceptable", "no acceptable RDF format for a graph result")
            return job.graph_media, write_graph(results, ox.RdfFormat.from_media_type(job.graph_media),
                                                result_limit, result_bytes)
        if job.results_media is None:
            raise QueryRefused(406, "Not Acceptable", "no acceptable SPARQL results format; offered: "
                               + ", ".join(f.media_type.split(";")[0] for f in RESULT_FORMATS))
        results_format = ox.QueryResultsFormat.from_media_type(job.results_media)
        if isinstance(results, ox.QueryBoolean):
            return job.results_media, results.serialize(format=results_format)
        return job.results_media, write_solutions(results, results_format, result_limit, result_bytes)
    except SyntaxError as error:
        raise QueryRefused(400, "Bad Request", f"the query does not parse: {error}") from None
    except PermissionError:
        # the only thing a confined process is refused is a socket: the same words whatever the
        # address, so an answer never tells whether a port is open
        raise QueryRefused(403, "Forbidden", NO_NETWORK) from None
    except MemoryError:
        raise QueryRefused(400, "Query memory limit exceeded", "the query needs more memory than a "
                           "query may use; narrow it") from None
    except (ValueError, RuntimeError, OSError) as error:
        raise QueryRefused(400, "Bad Request", f"the query cannot be run: {error}") from None


def confine(settings: WorkerSettings) -> str | None:
    """Install every restriction; the reason the network one is missing, or None if it holds."""
    lower_priority(settings.niceness)
    if settings.memory_mb:
        limit_memory(settings.memory_mb)
    try:
        forbid_network()
    except SandboxUnavailable as missing:
        return str(missing)
    return None


def main(conn: Any, settings: WorkerSettings, generation: int) -> None:
    """A worker process: confine, open, say ready, then answer jobs from `conn` until it closes."""
    channel = Channel(conn)
    missing = confine(settings)
    if missing is not None and settings.sandbox_required:
        return channel.send(("unavailable", f"query processes cannot be barred from the network: {missing}"))
    try:
        snapshot = open_snapshot(settings, generation)
    except (OSError, MemoryError) as error:
        return channel.send(("unavailable", f"a query process cannot open the store: {error}"))
    channel.send(("ready", missing))
    opened_at = generation
    while True:
        try:
            generation, *fields = channel.receive()
        except EOFError:
            return
        if generation != opened_at:
            try:
                snapshot, opened_at = None, generation  # the old one closed before the new one opens
                snapshot = open_snapshot(settings, generation)
            except (OSError, MemoryError) as error:
                return channel.send(("unavailable", f"a query process cannot open the store: {error}"))
            channel.send(("opened",))
        started = time.process_time()
        try:
            media, body = run_job(snapshot.store, QueryJob(*fields), settings)
            reply: tuple = ("ok", media, body)
        except QueryRefused as refused:
            reply = ("refused", refused.status, refused.title, refused.detail)
        except Exception as error:  # keep the worker alive; the parent answers with the message
            reply = ("refused", 400, "Bad Request", f"the query cannot be run: {error}")
        channel.send((*reply, time.process_time() - started))


def job_message(generation: int, job: QueryJob) -> tuple:
    return (generation, job.text, job.results_media, job.graph_media, job.default_graphs, job.named_graphs)
