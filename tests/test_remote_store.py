"""What only a remote store can get wrong: the server's set-up, its reachability, and parameters that
travel inside the query text."""

import pyoxigraph as ox
import pytest

from odmld import queries
from odmld.sparql_text import bind_values, where_group_start

from backends import model_loaded, run_cli, start_oxigraph


def test_a_server_without_the_union_default_graph_is_refused_with_the_fix(tmp_path):
    process, url = start_oxigraph(tmp_path / "plain", union=False)
    try:
        assert run_cli("load", store=url).returncode == 0
        result = run_cli("query", "domains", store=url)
        assert result.returncode != 0
        assert "--union-default-graph" in result.stderr and "Traceback" not in result.stderr
    finally:
        process.kill()
        process.wait()


def test_an_unreachable_store_is_a_clear_error(free_url="http://127.0.0.1:9/query"):
    result = run_cli("query", "domains", store=free_url)
    assert result.returncode == 1
    assert "cannot reach the store" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("hostile", ['nl") } ; DROP ALL ; SELECT * { ("', "nl\" }\nDROP ALL #",
                                     "}}}} DROP ALL", '\\" . } DROP ALL'])
def test_a_hostile_value_stays_one_literal(tmp_path, hostile):
    process, url = start_oxigraph(tmp_path / "store")
    try:
        store = model_loaded(url)
        size = len(store)
        rows = store.select(queries.get("domains").text, lang=ox.Literal(hostile))
        assert rows == []  # no label has that language: the value was compared, not run
        assert len(store) == size
    finally:
        process.kill()
        process.wait()


def test_values_go_inside_the_where_group_not_the_construct_template():
    text = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert text[:where_group_start(text)] == "CONSTRUCT { ?s ?p ?o } WHERE {"
    tricky = 'SELECT ?x # a { in a comment\nWHERE { ?x <http://e.org/{p}> "{" }'
    assert tricky[where_group_start(tricky) - 1:].startswith('{ ?x')
    with pytest.raises(ValueError, match="short CONSTRUCT WHERE"):
        bind_values("CONSTRUCT WHERE { ?s ?p ?o }", {"s": ox.NamedNode("http://e.org/s")})
    with pytest.raises(ValueError, match="only IRIs and literals"):
        bind_values("SELECT * { ?s ?p ?o }", {"s": ox.BlankNode()})
