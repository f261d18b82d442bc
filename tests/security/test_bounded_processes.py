"""Each query process is bounded: a memory ceiling that a blown-up query reaches (answered 4xx, its
process replaced while the others go on answering), and a time limit that counts the query only, never
the opening of the store."""

from __future__ import annotations

import threading
import time

import pyoxigraph as ox
import pytest

from odmld.query_pool import QueryJob, QueryRefused
from .probes import make_pool

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


@pytest.fixture()
def slow_to_open(tmp_path):
    """A store whose read-only open takes long: many writes still in RocksDB's write-ahead log."""
    path = tmp_path / "slow"

    def write(count: int, offset: int = 0) -> None:
        store = ox.Store(str(path))
        store.extend(ox.Quad(ox.NamedNode(f"http://e.org/{n}"), ox.NamedNode("http://e.org/p"),
                             ox.Literal("x" * 200 + str(n)), ox.DefaultGraph())
                     for n in range(offset, offset + count))
        del store  # closed without a flush: opening must replay the log

    write(80_000)
    return path, write


def test_opening_the_store_does_not_count_against_the_query_time_limit(slow_to_open):
    path, write = slow_to_open
    began = time.monotonic()
    ox.Store.read_only(str(path))
    opening = time.monotonic() - began
    timeout = max(0.2, opening / 4)  # far less than an open takes, far more than an ASK does
    generation = [0]
    pool = make_pool(path, size=1, timeout=timeout, generation=lambda: generation[0])
    try:
        assert pool.run(job("ASK { ?s ?p ?o }"), keep=False)[1].count(b"true") == 1
        write(80_000, offset=80_000)
        generation[0] += 1  # a write: the process opens the store again before the query
        assert pool.run(job("ASK { <http://e.org/150000> ?p ?o }"), keep=False)[1].count(b"true") == 1
    finally:
        pool.close()
