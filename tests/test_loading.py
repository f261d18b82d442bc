"""Loading into a real store (on disk, or a SPARQL server): one graph per triples file, atomic
replacement."""

import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from odmld.cli_data import load_into
from odmld.loading import LoadError, graph_name, parse_paths
from odmld.store import Store, StoreError
from odmld.store_api import operation

from backends import open_location

BASE = "http://odmld.test/"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


COUNTS = BASE + "graph/void"  # what every write keeps of the store's counts (dataset_counts.py)


def data_graphs(store: Store) -> list[str]:
    return [g.value for g in store.named_graphs() if g.value != COUNTS]


def data_quads(store: Store) -> int:
    """The statements of the store but its VoID counts."""
    return len(store) - len(list(store.query("CONSTRUCT WHERE { ?s ?p ?o }", default_graph=[ox.NamedNode(COUNTS)])))


def dump(store: Store) -> bytes:
    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.N_QUADS)
    return out.getvalue()


@pytest.fixture()
def store(new_store):
    return open_location(new_store())


def test_each_triples_file_gets_its_own_graph_and_relative_iris_resolve(store, tmp_path):
    a = write(tmp_path, "a.ttl", '@prefix odm: <ns/odm#> .\n<id/x/1> odm:p "een"@nl .\n')
    b = write(tmp_path, "b.nt", '<http://e.org/s> <http://e.org/p> "o" .\n')
    store.replace_graphs(parse_paths([a, b], BASE))
    assert set(data_graphs(store)) == {BASE + "graph/file/a", BASE + "graph/file/b"}
    rows = store.select("SELECT ?o WHERE { ?s <ns/odm#p> ?o }")
    assert [row["o"] for row in rows] == [ox.Literal("een", language="nl")]
    assert store.select("SELECT ?s WHERE { ?s ?p ?o FILTER(?s = <id/x/1>) }")


def test_reloading_a_file_replaces_its_graph(store, tmp_path):
    a = write(tmp_path, "a.ttl", "<id/x/1> <ns/p> 1 , 2 .\n")
    store.replace_graphs(parse_paths([a], BASE))
    write(tmp_path, "a.ttl", "<id/x/1> <ns/p> 3 .\n")
    store.replace_graphs(parse_paths([a], BASE))
    values = [row["o"].value for row in store.select("SELECT ?o WHERE { <id/x/1> ?p ?o }")]
    assert values == ["3"]


def test_loading_an_unchanged_file_again_changes_not_a_byte_and_a_changed_one_replaces_its_graph(
        store, tmp_path):
    """`odmld serve` loads the bundled model at every start: a reload that gave the blank nodes new
    labels would change the shapes' and the catalogue's bytes, ETags and checksums at every restart."""
    a = write(tmp_path, "a.ttl", "<id/x/1> <ns/p> [ <ns/q> 1 ] , [ <ns/q> 2 ] .\n")
    t = write(tmp_path, "t.nq", f"<{BASE}id/x/2> <{BASE}ns/p> _:n <{BASE}graph/own> .\n"
                                f"_:n <{BASE}ns/q> \"3\" <{BASE}graph/own> .\n")
    load_into(store, [a, t])
    first = dump(store)
    load_into(store, [a, t])
    assert dump(store) == first
    write(tmp_path, "a.ttl", "<id/x/1> <ns/p> [ <ns/q> 4 ] .\n")
    load_into(store, [a])
    rows = store.select("SELECT ?v WHERE { <id/x/1> <ns/p> [ <ns/q> ?v ] }")
    assert [row["v"].value for row in rows] == ["4"]
    assert data_quads(store) == 4


def test_trig_keeps_the_graphs_it_names(store, tmp_path, backend):
    t = write(tmp_path, "t.trig", "<graph/own> { <id/x/1> <ns/p> 1 . }\n<id/x/2> <ns/p> 2 .\n")
    if backend == "virtuoso":  # it keeps no default graph of its own: refused in its words, nothing written
        with pytest.raises(StoreError, match="default graph"):
            store.replace_graphs(parse_paths([t], BASE))
        assert store.named_graphs() == []
        return
    store.replace_graphs(parse_paths([t], BASE))
    assert data_graphs(store) == [BASE + "graph/own"]
    assert data_quads(store) == 2


def test_a_file_that_does_not_parse_is_refused_with_its_line_and_nothing_is_written(store, tmp_path):
    good = write(tmp_path, "good.ttl", "<id/x/1> <ns/p> 1 .\n")
    store.replace_graphs(parse_paths([good], BASE))
    before = dump(store)
    write(tmp_path, "good.ttl", "<id/x/1> <ns/p> 2 .\n")
    bad = write(tmp_path, "bad.ttl", "<id/x/1> <ns/p> 1 .\n\n<id/x/2> <ns/p> \"open .\n")
    with pytest.raises(LoadError, match=r"bad\.ttl.*line 3"):
        store.replace_graphs(parse_paths([good, bad], BASE))
    assert dump(store) == before


def test_unknown_extensions_and_missing_paths_are_refused(tmp_path):
    with pytest.raises(LoadError, match="not a known RDF file extension"):
        parse_paths([write(tmp_path, "notes.txt", "hello")], BASE)
    with pytest.raises(LoadError, match="no such file"):
        parse_paths([tmp_path / "missing.ttl"], BASE)


def test_bundled_files_are_named_after_their_folder():
    from odmld.resources import folder
    assert graph_name(folder("data") / "charter.ttl", BASE).value == BASE + "graph/data/charter"


def test_an_empty_file_empties_its_graph(store, tmp_path):
    a = write(tmp_path, "a.ttl", "<id/x/1> <ns/p> 1 .\n")
    store.replace_graphs(parse_paths([a], BASE))
    write(tmp_path, "a.ttl", "# nothing any more\n")
    store.replace_graphs(parse_paths([a], BASE))
    assert data_quads(store) == 0


@pytest.mark.slow
def test_a_load_of_many_files_and_a_big_one_lands_whole(store, tmp_path):
    """More graphs and triples than one update request of the strictest server takes (Virtuoso)."""
    files = [write(tmp_path, f"f{n}.ttl", f"<id/x/{n}> <ns/p> {n} .\n") for n in range(1000)]
    big = write(tmp_path, "big.nt", "".join(f"<{BASE}id/y/{n}> <{BASE}ns/p> \"{n}\" .\n"
                                            for n in range(30_000)))
    store.replace_graphs(parse_paths([*files, big], BASE))
    assert len(data_graphs(store)) == 1001
    assert data_quads(store) == 31_000


@operation
def nothing(writer) -> None:
    """A write that writes nothing."""


@operation
def write_inside(writer, store) -> None:
    store.write(nothing)


def test_an_operation_that_starts_another_write_is_refused_not_left_waiting(store):
    with pytest.raises(StoreError, match="cannot start another write"):
        store.write(write_inside, store)
    store.write(nothing)  # and the store writes on
