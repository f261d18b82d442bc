"""A page of the change feed reads what its publications carry from the rows kept beside the store
(feed_members.py), made once from the store for every process, so no page runs the feed-member query
over its 50 versions again. A row is used only while the event at its position names the same version at
the same time: one made under another base URI, or for a store put back from another copy, is made again."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from odmld import feed_members, tokens
from odmld.cli import cli
from odmld.feed_members import Event, FeedMembers
from odmld.sparql import library as queries
from odmld.store_api import NamedGraph
from odmld.resources import folder

from backends import model_loaded
from conftest import BASE, make_app

VERSIONS = [ox.NamedNode(f"{BASE}id/inschatting/24062/{date}/v1") for date in ("2023-01-01", "2024-01-01")]
GRAPH = ox.NamedNode(f"{BASE}graph/inschatting/24062/2023-01-01/v1")
NOT_PUBLISHED = ox.Triple(ox.NamedNode(BASE + "nergens"), ox.NamedNode(BASE + "niets"), ox.Literal("verzonnen"))


def published_store(tmp_path: Path):
    """A store with two versions published through the API (events 1 and 2), and its path."""
    path = str(tmp_path / "store")
    store = model_loaded(path)
    app = make_app(path, store)
    token = tokens.create(Path(app.config["ODMLD"].tokens), "24062")[1]
    body = (folder("data") / "examples" / "assessment.csv").read_bytes()
    try:
        for version in VERSIONS:
            date = version.value.split("/")[-2]
            assert app.test_client().post(f"/api/assessments?date={date}", data=body, headers={
                "Content-Type": "text/csv", "Authorization": f"Bearer {token}"}).status_code == 201
    finally:
        app.extensions["odmld.pool"].close()
    return path, store


def feed_page(path: str, store) -> set[ox.Triple]:
    """Page 1 as a new worker makes it (empty caches of its own)."""
    app = make_app(path, store)
    try:
        response = app.test_client().get("/feed?page=1", headers={"Accept": "application/n-triples"})
        assert response.status_code == 200
        return set(ox.parse(response.get_data(), format=ox.RdfFormat.N_TRIPLES))
    finally:
        app.extensions["odmld.pool"].close()


def kept_rows(path: str, store) -> dict[int, bytes]:
    rows = store.select(queries.get("feed-events").text)
    return FeedMembers(f"{path}-feed.sqlite3").kept(feed_members.publications(BASE, rows))


@pytest.mark.slow
def test_a_page_shows_what_was_published_from_the_kept_rows_whatever_the_store_says_later(tmp_path):
    path, store = published_store(tmp_path)
    first = feed_page(path, store)
    assert sorted(kept_rows(path, store)) == [1, 2]  # made by the first page, kept for every process
    carried = {t for t in first if t.subject == VERSIONS[0]}
    assert len(carried) > 5
    # the version's own graph changed in the store (as `odmld load` could): a page is made again from
    # the kept rows, as published; the old code read the store again and showed the change
    gone = next(t for t in carried if t.predicate.value.endswith("date"))
    remaining = [ox.Quad(t.subject, t.predicate, t.object, GRAPH)
                 for t in store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
                                      bindings={"g": GRAPH}) if t != gone]
    store.replace_graphs([NamedGraph(graph=GRAPH, quads=remaining)])
    assert gone in feed_page(path, store)


@pytest.mark.slow
def test_a_kept_row_for_another_version_or_time_is_made_again_from_the_store(tmp_path):
    path, store = published_store(tmp_path)
    truth = feed_page(path, store)
    events = feed_members.publications(BASE, store.select(queries.get("feed-events").text))
    lie = ox.serialize([NOT_PUBLISHED], format=ox.RdfFormat.N_TRIPLES)
    kept = FeedMembers(f"{path}-feed.sqlite3")
    kept.keep([(Event(1, ox.NamedNode(BASE + "id/inschatting/elders/2023-01-01/v1"), events[0].time), lie),
               (Event(2, events[1].version, "2001-01-01T00:00:00Z"), lie)])
    assert kept.kept(events) == {}
    assert feed_page(path, store) == truth and NOT_PUBLISHED not in truth
    assert sorted(kept.kept(events)) == [1, 2]  # made again, for the events as they are


@pytest.mark.slow
def test_odmld_statistics_keeps_what_every_publication_carries(tmp_path):
    path, store = published_store(tmp_path)
    assert kept_rows(path, store) == {}  # publishing alone leaves them to the first page
    result = CliRunner().invoke(cli, ["statistics", "--store", path, "--base-uri", BASE])
    assert result.exit_code == 0, result.output
    assert "what 2 publication(s) of the change feed carry kept" in result.output
    rows = kept_rows(path, store)
    assert sorted(rows) == [1, 2]
    assert {line for lines in rows.values() for line in lines.splitlines()} == \
        {line for line in ox.serialize(list(store.query(queries.get("feed-member").text, bindings={
            "assessment": VERSIONS})), format=ox.RdfFormat.N_TRIPLES).splitlines()}
