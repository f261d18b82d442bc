"""Group commit: the writes that queue up while the writer publishes are run together and published as
one snapshot, each answered with its own outcome; one that raises does not take the others with it.
Real processes hand their writes to the writer (this test's process)."""

from __future__ import annotations

import threading

import pyoxigraph as ox
import pytest

from odmld.embedded_store import EmbeddedStore

from backends import BASE_URI
from test_store_processes import python
from write_ops import hold_until_queued, mark_graph

WRITE = """
    import sys
    from odmld.embedded_store import EmbeddedStore
    import write_ops
    store = EmbeddedStore(sys.argv[1], base_uri=sys.argv[2])
    try:
        print("ok", store.write(getattr(write_ops, sys.argv[3]), sys.argv[4]), flush=True)
    except (ValueError, LookupError) as error:
        print("refused", type(error).__name__, error, flush=True)
"""
OPERATIONS = {"a": "mark_graph", "b": "mark_graph_then_fail", "c": "mark_graph", "d": "fail_at_once",
              "e": "mark_graph"}


@pytest.mark.slow
def test_writes_queued_together_are_published_as_one_snapshot_and_answered_each(tmp_path):
    location = str(tmp_path / "store")
    store = EmbeddedStore(location, base_uri=BASE_URI)
    assert store.write(mark_graph, "first") == "first"  # this process is the store's writer
    generation = store.generation
    holding = threading.Thread(target=store.write, args=(hold_until_queued, location, len(OPERATIONS)))
    holding.start()
    children = {name: python(WRITE, location, BASE_URI, operation, name) for name, operation in OPERATIONS.items()}
    said = {}
    for name, child in children.items():
        out, err = child.communicate(timeout=180)
        assert child.returncode == 0, err
        said[name] = out.strip()
    holding.join(timeout=180)
    assert said == {"a": "ok a", "b": "refused ValueError refused b", "c": "ok c",
                    "d": "refused LookupError not found d", "e": "ok e"}
    assert store.generation == generation + 1  # the holding write changed nothing; the queued ones, one snapshot
    for name, kept in (("a", True), ("b", False), ("c", True), ("e", True), ("first", True)):
        graph = ox.NamedNode(f"{BASE_URI}graph/file/{name}")
        assert store.has_graph(graph) is kept, name
