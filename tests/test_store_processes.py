"""One embedded store, several processes: what one process writes, every other one sees at its next
read; a write in progress, or one whose process was killed, is seen by nobody; writes from several
processes at once are serialised. Real processes throughout (a subprocess per writer)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from odmld.embedded_store import EmbeddedStore
from odmld.store_api import operation

from backends import BASE_URI, REPO
from write_ops import marks

pytestmark = pytest.mark.slow  # a subprocess per writer, some of them killed

GRAPH = ox.NamedNode(BASE_URI + "graph/file/proef")
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH.value}> {{ ?s ?p ?o }} }}"


def python(code: str, *args: str) -> subprocess.Popen:
    """A separate Python process running `code`, with odmld and tests/write_ops.py importable."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "tests")}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def count(store: EmbeddedStore) -> int:
    return int(store.select(COUNT)[0]["n"].value)


WRITE = """
    import sys, pyoxigraph as ox
    from odmld.embedded_store import EmbeddedStore
    from odmld.store_api import NamedGraph
    from write_ops import replace_and_wait
    store = EmbeddedStore(sys.argv[1], base_uri=sys.argv[2])
    graph = ox.NamedNode(sys.argv[2] + "graph/file/proef")
    quads = [ox.Quad(ox.NamedNode(f"{sys.argv[2]}id/x/{n}"), ox.NamedNode("http://e.org/p"),
                     ox.Literal(str(n)), graph) for n in range(int(sys.argv[3]))]
    store.write(replace_and_wait, [NamedGraph(graph, quads)], float(sys.argv[4]), sys.argv[5])
    print("committed", flush=True)
"""


def test_a_write_in_one_process_is_seen_by_another_at_its_next_read(tmp_path):
    store = EmbeddedStore(tmp_path / "store", base_uri=BASE_URI)
    assert count(store) == 0
    before = store.generation
    writer = python(WRITE, str(tmp_path / "store"), BASE_URI, "25", "0", str(tmp_path / "marks"))
    assert writer.wait(timeout=60) == 0, writer.stderr.read()
    assert store.generation > before
    assert count(store) == 25


def test_a_write_in_progress_is_seen_by_no_reader_and_a_killed_one_never(tmp_path, cli):
    location, written = str(tmp_path / "store"), str(tmp_path / "marks")
    assert cli("load", store=location).returncode == 0  # a store with the model, by a process now gone
    store = EmbeddedStore(location, base_uri=BASE_URI)
    writer = python(WRITE, location, BASE_URI, "1000", "60", written)
    deadline = time.monotonic() + 60
    while marks(written) == 0:
        assert writer.poll() is None and time.monotonic() < deadline, writer.stderr.read()
        time.sleep(0.02)
    # the other process is the writer, holds the database read-write and has written: nobody sees it
    assert count(store) == 0
    assert count(EmbeddedStore(location, base_uri=BASE_URI)) == 0
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    assert count(EmbeddedStore(location, base_uri=BASE_URI)) == 0
    # the next write (this process becomes the writer) starts from the store as it was published
    generation = store.generation
    assert store.write(count_in_write) == 0
    store.replace_graphs([])
    assert store.generation == generation + 1 and count(store) == 0


@operation
def count_in_write(writer) -> int:
    return int(writer.select(COUNT)[0]["n"].value)


def test_writers_in_several_processes_take_turns(tmp_path):
    location, written = str(tmp_path / "store"), str(tmp_path / "marks")
    writers = [python(WRITE, location, BASE_URI, str(10 * (n + 1)), "0.2", written) for n in range(4)]
    for process in writers:
        assert process.wait(timeout=120) == 0, process.stderr.read()
        assert process.stdout.read().split() == ["committed"]
    assert marks(written) == 4
    store = EmbeddedStore(location, base_uri=BASE_URI)
    assert count(store) in {10, 20, 30, 40}  # the last writer's graph, whole
    # writes queued while another is published go out together in one snapshot (group commit)
    assert 1 <= store.generation <= 4


def test_a_read_only_handle_refuses_to_write(tmp_path):
    from odmld.store_api import StoreError
    with pytest.raises(StoreError, match="read-only"):
        EmbeddedStore(tmp_path / "store", base_uri=BASE_URI, read_only=True).replace_graphs([])


@operation
def empty_then_fail(writer, graph: ox.NamedNode) -> None:
    writer.remove_graphs([graph])
    held = writer.query("SELECT * WHERE { ?s ?p ?o }")  # a result iterator this frame keeps open
    next(iter(held), None)
    raise ValueError("half-way")


def test_a_write_that_raises_half_way_is_undone_and_the_next_one_works(tmp_path):
    from odmld.store_api import NamedGraph
    store = EmbeddedStore(tmp_path / "store", base_uri=BASE_URI)
    quads = [ox.Quad(ox.NamedNode(f"{BASE_URI}id/x/{n}"), ox.NamedNode("http://e.org/p"), ox.Literal(str(n)), GRAPH)
             for n in range(10)]
    store.replace_graphs([NamedGraph(GRAPH, quads)])
    with pytest.raises(ValueError, match="half-way"):
        store.write(empty_then_fail, GRAPH)
    assert count(store) == 10
    store.replace_graphs([NamedGraph(GRAPH, quads[:3])])
    assert count(store) == 3


def test_a_database_written_before_snapshots_existed_is_read_whole_by_generation(tmp_path):
    """The query processes open the snapshot of the generation they are given: a database with none
    yet (an older odmld's, or the bench's) must get one before its generation is first told."""
    database = ox.Store(str(tmp_path / "store"))
    database.add(ox.Quad(ox.NamedNode(f"{BASE_URI}id/x/1"), ox.NamedNode("http://e.org/p"), ox.Literal("1"), GRAPH))
    del database
    store = EmbeddedStore(tmp_path / "store", base_uri=BASE_URI)
    generation = store.generation
    assert generation == 1
    answer = store.snapshots.open(generation).store.query(COUNT)
    assert int(next(iter(answer))["n"].value) == 1


def test_snapshots_superseded_longer_than_the_grace_are_removed_after_a_write_and_the_rest_kept(tmp_path):
    """The writer removes them apart from the write (a thread of its own): the write does not wait for
    the unlinking, and the snapshots still go."""
    from odmld.store_api import NamedGraph
    from odmld.snapshots import GRACE_SECONDS, snapshot_name
    store = EmbeddedStore(tmp_path / "store", base_uri=BASE_URI)

    def write(n: int) -> None:
        store.replace_graphs([NamedGraph(GRAPH, [ox.Quad(
            ox.NamedNode(f"{BASE_URI}id/x/{n}"), ox.NamedNode("http://e.org/p"), ox.Literal(str(n)), GRAPH)])])

    for n in range(3):
        write(n)
    folder = store.snapshots.folder
    long_ago = time.time() - GRACE_SECONDS - 60
    for generation in (2, 3):  # 1 and 2 were superseded long ago, 3 only now
        os.utime(folder / snapshot_name(generation), (long_ago, long_ago))
    write(3)
    deadline = time.monotonic() + 60
    while (folder / snapshot_name(2)).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    left = sorted(entry.name for entry in folder.iterdir() if entry.is_dir())
    assert left == [snapshot_name(3), snapshot_name(4)]
    assert count(store) == 1
