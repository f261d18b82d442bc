"""Write operations for the tests that need a write to take its time (registered like odmld's own, so
whichever process is the store's writer can run them; test processes put tests/ on PYTHONPATH)."""

from __future__ import annotations

import time
from pathlib import Path

from odmld.store_api import operation


@operation
def replace_and_wait(writer, files, seconds: float, written: str) -> None:
    """Replace the graphs, say so in the file `written`, then hold the write open for `seconds`."""
    writer.replace_graphs(files)
    with open(written, "a") as mark:
        mark.write("written\n")
    time.sleep(seconds)


def marks(written: str) -> int:
    path = Path(written)
    return path.read_text().count("written") if path.exists() else 0


def marked_graph(writer, name: str):
    import pyoxigraph as ox
    from odmld.store_api import NamedGraph
    graph = ox.NamedNode(f"{writer.base_uri}graph/file/{name}")
    quad = ox.Quad(ox.NamedNode(f"{writer.base_uri}id/{name}"), ox.NamedNode("http://e.org/p"), ox.Literal(name), graph)
    return NamedGraph(graph, [quad])


@operation
def mark_graph(writer, name: str) -> str:
    """Write the graph <graph/file/{name}> holding one statement."""
    writer.replace_graphs([marked_graph(writer, name)])
    return name


@operation
def mark_graph_then_fail(writer, name: str) -> None:
    """Write the graph <graph/file/{name}>, then raise: nothing of it may be kept."""
    writer.replace_graphs([marked_graph(writer, name)])
    raise ValueError(f"refused {name}")


@operation
def fail_at_once(writer, name: str) -> None:
    """Raise before writing anything."""
    raise LookupError(f"not found {name}")


@operation
def hold_until_queued(writer, store_path: str, writes: int, seconds: float = 120) -> None:
    """Hold the writer's session until `writes` more writes wait for the next one."""
    from odmld.write_service import WriteService
    service = WriteService.for_store(Path(store_path), None)
    deadline = time.monotonic() + seconds
    while len(service._queue) < writes and time.monotonic() < deadline:
        time.sleep(0.01)
