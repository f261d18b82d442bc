"""Each publication and withdrawal writes one event, numbered at write time; a store written before odmld
kept events gets them numbered once, in the order things happened."""

from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
import pytest

from odmld import feed_events, tokens
from odmld.sparql import library as queries
from odmld.store_api import NamedGraph
from odmld.assessments.publish import rebuild_statistics
from odmld.resources import folder

from backends import model_loaded
from conftest import BASE, make_app

ODM = BASE + "ns/odm#"


def events(store) -> list[tuple[int, str, str, str]]:
    return [(int(row["position"].value), row["kind"].value[len(ODM):], row["version"].value[len(BASE):],
             row["time"].value) for row in store.select(queries.get("feed-events").text)]


@pytest.mark.slow
def test_every_write_appends_one_event_and_a_store_without_them_gets_them_once(new_store):
    path = new_store()
    store = model_loaded(path)
    app = make_app(path, store)
    token = tokens.create(Path(app.config["ODMLD"].tokens), "24062")[1]
    client, body = app.test_client(), (folder("data") / "examples" / "assessment.csv").read_bytes()
    try:
        for date in ("2023-01-01", "2024-01-01"):
            assert client.post(f"/api/assessments?date={date}", data=body, headers={
                "Content-Type": "text/csv", "Authorization": f"Bearer {token}"}).status_code == 201
        assert client.delete("/api/assessments/24062/2023-01-01/v1?reason=fout",
                             headers={"Authorization": f"Bearer {token}"}).status_code == 200
    finally:
        app.extensions["odmld.pool"].close()
    written = events(store)
    assert [event[:3] for event in written] == [
        (1, "Publication", "id/inschatting/24062/2023-01-01/v1"),
        (2, "Publication", "id/inschatting/24062/2024-01-01/v1"),
        (3, "Withdrawal", "id/inschatting/24062/2023-01-01/v1")]
    times = [datetime.fromisoformat(event[3]) for event in written]
    assert times == sorted(times) and feed_events.state(store).count == 3
    assert rebuild_statistics(store) and events(store) == written  # numbered once, never again

    # a store written before odmld kept events: odmld statistics numbers them in the order they happened
    emptied = [ox.NamedNode(BASE + name) for name in ("graph/feed", "graph/gebeurtenis/1", "graph/gebeurtenis/2",
                                                      "graph/gebeurtenis/3")]
    store.replace_graphs([NamedGraph(graph=graph, quads=[]) for graph in emptied])
    assert events(store) == [] and feed_events.state(store).count == 0
    rebuild_statistics(store)
    assert [event[:3] for event in events(store)] == [event[:3] for event in written]


def test_an_event_after_one_stamped_without_a_time_zone_is_numbered_and_timed(tmp_path):
    """A store written by an older odmld (or the bench's generator) holds versions timed without a
    time zone; the next event's time is still compared with them, as UTC."""
    from odmld.feed_events import event_time
    assert event_time("2015-07-01T00:00:00", "2024-01-01T00:00:00.000001+00:00") == \
        "2024-01-01T00:00:00.000001+00:00"
    assert event_time("2099-01-01T00:00:00", "2024-01-01T00:00:00+00:00") == "2099-01-01T00:00:00"
