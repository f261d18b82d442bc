"""Each query process is bounded: a memory ceiling that a blown-up query reaches (answered 4xx, its
process replaced while the others go on answering), and a time limit that counts the query only, never
the opening of the store."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from odmld.sparql.pool import QueryJob, QueryRefused
from odmld.snapshots import Snapshots, snapshot_name
from .probes import make_pool

pytestmark = pytest.mark.slow  # query processes blown past their memory and time limits

JSON = "application/sparql-results+json"
# every pair of triples, sorted: the sort holds the whole cartesian product in memory
BLOWS_UP = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
DOMAINS = "SELECT ?d WHERE { ?d a <http://odmld.test/ns/odm#MaturityDomain> }"


def job(text: str) -> QueryJob:
    return QueryJob(text=text, results_media=JSON, graph_media=None)


def test_a_query_that_reaches_the_memory_ceiling_is_refused_and_others_go_on(embedded_store_path):
    pool = make_pool(embedded_store_path, size=2, timeout=120.0, memory_mb=400)
    try:
        pool.run(job("ASK {}"), keep=False)  # both processes up
        outcome: dict = {}

        def blow_up() -> None:
            try:
                pool.run(job(BLOWS_UP), keep=False)
                outcome["status"] = 200
            except QueryRefused as refused:
                outcome["status"], outcome["detail"] = refused.status, refused.detail

        thread = threading.Thread(target=blow_up)
        thread.start()
        answered_meanwhile = 0
        while thread.is_alive():
            media, body = pool.run(job(DOMAINS), keep=False)
            answered_meanwhile += b"maturiteitsdomein" in body
            time.sleep(0.05)
        thread.join()
        assert outcome["status"] == 400, outcome
        assert "memory" in outcome["detail"] and "400 MB" in outcome["detail"]
        assert answered_meanwhile > 0
        for _ in range(3):  # the process was replaced: every worker answers again
            assert b"maturiteitsdomein" in pool.run(job(DOMAINS), keep=False)[1]
    finally:
        pool.close()


def publish_slow_snapshot(store_path: Path, generation: int, count: int) -> None:
    """Publish, as generation `generation` of the store at `store_path`, a snapshot whose read-only
    open takes long: `count` more quads, left in RocksDB's write-ahead log (the writer's snapshots
    have none; a store written some other way may)."""
    snapshots = Snapshots(store_path)
    folder = snapshots.folder / snapshot_name(generation)
    if generation > 1:
        shutil.copytree(snapshots.folder / snapshot_name(generation - 1), folder)
    database = ox.Store(str(folder))
    database.extend(ox.Quad(ox.NamedNode(f"http://e.org/{n}"), ox.NamedNode("http://e.org/p"),
                            ox.Literal("x" * 200 + str(n)), ox.DefaultGraph())
                    for n in range((generation - 1) * count, generation * count))
    del database  # closed without a flush: opening must replay the log
    Path(f"{folder}.lock").touch()
    (snapshots.folder / "CURRENT").write_text(snapshot_name(generation))


def test_opening_the_store_does_not_count_against_the_query_time_limit(tmp_path):
    store_path = tmp_path / "store"
    Snapshots(store_path).folder.mkdir(parents=True)
    publish_slow_snapshot(store_path, 1, 80_000)
    began = time.monotonic()
    Snapshots(store_path).open(1)
    opening = time.monotonic() - began
    timeout = max(0.2, opening / 4)  # far less than an open takes, far more than an ASK does
    pool = make_pool(store_path, size=1, timeout=timeout)
    try:
        assert pool.run(job("ASK { ?s ?p ?o }"), keep=False)[1].count(b"true") == 1
        publish_slow_snapshot(store_path, 2, 80_000)  # a write: the process opens its snapshot first
        assert pool.run(job("ASK { <http://e.org/150000> ?p ?o }"), keep=False)[1].count(b"true") == 1
    finally:
        pool.close()
