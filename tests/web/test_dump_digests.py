"""The catalogue states each graph dump's checksum and size as every write kept them (a page makes no
dump), and what was kept is what the download serves, after publications, withdrawals, loads and a
rebuild."""

import hashlib

import pyoxigraph as ox
import pytest
import rdflib

from odmld import dump_digests, vocab
from odmld.assessments.publish import publish, rebuild_statistics, withdraw
from odmld.store_api import operation

from backends import model_loaded, open_location, run_cli
from conftest import BASE, make_app
from test_research_queries import parts
from test_statistics import random_history

pytestmark = pytest.mark.slow  # many publications and withdrawals, each dump downloaded

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")


def catalogued_graphs(store) -> list[ox.NamedNode]:
    return dump_digests.catalogued(BASE, store.named_graphs())


def stated(client) -> dict[str, tuple[str, int]]:
    """What the whole catalogue states of each graph dump: its URL -> (SHA-256, size)."""
    response = client.get("/catalog/volledig.ttl")
    assert response.status_code == 200
    catalogue = rdflib.Graph().parse(data=response.data, format="turtle")
    found = {}
    for distribution in catalogue.subjects(DCAT.compressFormat, None):
        checksum = catalogue.value(distribution, SPDX.checksum)
        if checksum is not None:
            found[str(catalogue.value(distribution, DCAT.downloadURL))] = (
                str(catalogue.value(checksum, SPDX.checksumValue)), int(catalogue.value(distribution, DCAT.byteSize)))
    return found


def downloaded(client, url: str) -> tuple[str, int]:
    response = client.get(url.replace(BASE, "/"))
    assert response.status_code == 200
    body = response.get_data()
    return hashlib.sha256(body).hexdigest(), len(body)


def assert_kept_figures_are_the_downloads(location, store) -> None:
    """Every catalogued graph has kept figures, and they, the catalogue and the download agree."""
    app = make_app(location, store)
    client = app.test_client()
    graphs = catalogued_graphs(store)
    kept = dump_digests.kept(store, graphs)
    assert set(kept) == set(graphs)
    statements = stated(client)
    assert len(statements) >= 9  # the bundled datasets, and the versions
    for graph in graphs:
        url = dump_digests.dump_url(BASE, graph).value
        download = downloaded(client, url)
        assert download == statements.get(url, download) == tuple(kept.get(graph, download)), graph
        assert url in statements or "/inschatting/" not in url  # every version is a dataset
    app.extensions["odmld.pool"].close()


def test_publications_and_withdrawals_keep_each_dump_checksum_and_size_as_downloaded(new_store):
    location = new_store()
    store = model_loaded(location)
    random_history(store, 3)  # publications of new and older dates, second versions, withdrawals
    assert any("/inschatting/" in graph.value for graph in catalogued_graphs(store))
    assert_kept_figures_are_the_downloads(location, store)
    rebuild_statistics(store)
    assert_kept_figures_are_the_downloads(location, store)


def test_a_withdrawal_changes_the_kept_figures_of_its_version(new_store):
    location = new_store()
    store = model_loaded(location)
    published = publish(store, parts("24062", "2022-01-01", 2, 1), "24062").iri
    graph = ox.NamedNode(published.value.replace("/id/", "/graph/"))
    before = dump_digests.kept(store, [graph])[graph]
    withdraw(store, published, "a mistake")
    after = dump_digests.kept(store, [graph])[graph]
    assert after != before and after.size > before.size
    assert_kept_figures_are_the_downloads(location, store)


def test_loading_a_bundled_graph_again_keeps_its_dump_figures(new_store, tmp_path):
    location = new_store()
    model_loaded(location)
    charter = tmp_path / "charter.trig"
    charter.write_text(f"<{BASE}graph/data/charter> {{ <{BASE}id/c> <{BASE}ns/test#p> 9 . }}")
    done = run_cli("load", str(charter), store=location)
    assert done.returncode == 0, done.stderr
    store = open_location(location, read_only=True)
    graph = ox.NamedNode(BASE + "graph/data/charter")
    assert dump_digests.kept(store, [graph])[graph].size < 200
    assert_kept_figures_are_the_downloads(location, store)


@operation
def _set_kept_figures(writer, graph, sha256: str, size: int) -> None:
    kept_in = vocab.dumps_graph(writer.base_uri)
    dump = dump_digests.dump_url(writer.base_uri, graph)
    current = [ox.Quad(row["dump"], predicate, value, kept_in)
               for row in writer.select(dump_digests.queries.get("dump-digests").text, dump=dump)
               for predicate, value in ((dump_digests.CHECKSUM_VALUE, row["sha256"]),
                                        (dump_digests.BYTE_SIZE, row["size"]))]
    writer.change_quads(current, [] if sha256 is None else [
        ox.Quad(dump, dump_digests.CHECKSUM_VALUE, ox.Literal(sha256), kept_in),
        ox.Quad(dump, dump_digests.BYTE_SIZE, ox.Literal(str(size)), kept_in)])


def test_a_catalogue_page_states_the_kept_figures_and_makes_no_dump(new_store):
    """A kept figure set by hand (as no write would) is what the page states: it read the kept figure,
    it did not make the dump to find it."""
    location = new_store()
    store = model_loaded(location)
    published = publish(store, parts("24062", "2022-01-01", 2, 1), "24062").iri
    graph = ox.NamedNode(published.value.replace("/id/", "/graph/"))
    store.write(_set_kept_figures, graph, "ab" * 32, 12345)
    app = make_app(location, store, page_size=50)
    page = app.test_client().get("/catalog?page=1", headers={"Accept": "text/turtle"})
    catalogue = rdflib.Graph().parse(data=page.data, format="turtle")
    url = rdflib.URIRef(dump_digests.dump_url(BASE, graph).value)
    distribution = catalogue.value(None, DCAT.downloadURL, url)
    assert str(catalogue.value(catalogue.value(distribution, SPDX.checksum), SPDX.checksumValue)) == "ab" * 32
    assert int(catalogue.value(distribution, DCAT.byteSize)) == 12345
    app.extensions["odmld.pool"].close()


def test_a_graph_written_before_odmld_kept_figures_is_stated_truly_and_kept_by_odmld_statistics(new_store):
    location = new_store()
    store = model_loaded(location)
    published = publish(store, parts("24062", "2022-01-01", 2, 1), "24062").iri
    graph = ox.NamedNode(published.value.replace("/id/", "/graph/"))
    store.write(_set_kept_figures, graph, None, 0)  # as a store written before odmld kept them
    assert graph not in dump_digests.kept(store, [graph])
    app = make_app(location, store)
    client = app.test_client()
    url = dump_digests.dump_url(BASE, graph).value
    assert stated(client)[url] == downloaded(client, url)  # made for the page, as before
    app.extensions["odmld.pool"].close()
    done = run_cli("statistics", store=location)
    assert done.returncode == 0, done.stderr
    assert_kept_figures_are_the_downloads(location, open_location(location, read_only=True))


def test_a_dump_is_the_same_bytes_whatever_order_the_statements_were_written_in(new_store):
    location = new_store()
    store = model_loaded(location)
    graph = ox.NamedNode(BASE + "graph/data/extra")
    quads = [ox.Quad(ox.NamedNode(f"{BASE}id/x{n}"), ox.NamedNode(f"{BASE}ns/test#p{n % 3}"), ox.Literal(str(n)), graph)
             for n in range(40)]
    dumps = []
    for ordered in (quads, quads[::-1]):
        store.write(_replace_graph, graph, ordered)
        dumps.append(dump_digests.dump_bytes(store, graph))
    assert dumps[0] == dumps[1]
    assert dump_digests.kept(store, [graph])[graph] == dump_digests.digest_of(dumps[0])


@operation
def _replace_graph(writer, graph, quads) -> None:
    writer.remove_graphs([graph])
    writer.change_quads([], quads)
