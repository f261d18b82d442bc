"""The benchmark's generated store holds what publishing would have written: what it derives while it
generates equals odmld's own rebuild from the assessments, its change feed numbers every version in the
order of publication, and its VoID counts equal the store counted again."""

import io
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from odmld import dump_digests, feed_members
from odmld.feed_members import FeedMembers
from odmld.sparql import library as queries
from odmld.dataset_counts import count_store, kept_counts
from odmld.assessments.publish import rebuild_statistics

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import generate  # noqa: E402


def quads_of(store) -> set[ox.Quad]:
    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.N_QUADS)
    return set(ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS))


def lines_of(ntriples: bytes) -> set[bytes]:
    return set(ntriples.splitlines())


@pytest.mark.slow
def test_the_generated_store_equals_its_rebuild(tmp_path):
    made = generate.generate_store(tmp_path / "store", 5, 3)
    store = generate.Store(tmp_path / "store", base_uri=generate.BASE)
    assert store.generation == 1  # one write, one snapshot
    assert made["quads"] == len(store)
    assert dict(kept_counts(store)) == dict(count_store(store))
    generated = quads_of(store)
    order = [row["assessment"] for row in store.select(queries.get("publication-order").text)]
    events = store.select(queries.get("feed-events").text)
    assert [(int(row["position"].value), row["version"]) for row in events] == list(enumerate(order, start=1))
    assert len(order) == 15
    versions = dump_digests.catalogued(generate.BASE, store.named_graphs())
    assert len(versions) > 15 and dump_digests.kept(store, versions) == {
        graph: dump_digests.digest_of(dump_digests.dump_bytes(store, graph)) for graph in versions}
    kept = FeedMembers(f"{tmp_path / 'store'}-feed.sqlite3").kept(feed_members.publications(generate.BASE, events))
    assert sorted(kept) == list(range(1, 16))  # what each publication carries, kept as it was generated
    made = feed_members.carried_by(store, order)
    assert {position: lines_of(kept[position]) for position in kept} == {
        position: lines_of(made[version]) for position, version in enumerate(order, start=1)}
    rebuild_statistics(store)
    assert quads_of(store) == generated
