"""The change feed's events: every publication and every withdrawal of an assessment version is an
event of its own, appended to the feed and never rewritten.

Each event is written, in the same atomic write as the publication or withdrawal it records, to a graph
of its own, <graph/gebeurtenis/{n}>, where n is its position in the feed (odm:eventPosition): the number
of events before it plus one. The graph <graph/feed> keeps that count and the time of the last event,
so the next event is numbered without counting, and a page of the feed looks up its own positions.

An event names the version (dcterms:isVersionOf), its kind (odm:Publication, odm:Withdrawal), its time
(prov:atTime, never before the previous event's, so the feed's order by time and by position agree) and,
for a withdrawal, the reason.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import NamedTuple

import pyoxigraph as ox

from . import vocab
from .sparql import library as queries
from .store_api import NamedGraph, Store
from .vocab import RDF_TYPE, integer

IS_VERSION_OF = ox.NamedNode("http://purl.org/dc/terms/isVersionOf")
AT_TIME = ox.NamedNode("http://www.w3.org/ns/prov#atTime")


class FeedState(NamedTuple):
    count: int          # events written so far
    last: str | None    # the time of the last one


def state(store: Store) -> FeedState:
    """How far the feed has come (no events: a store written before odmld kept them, or a new one)."""
    rows = store.select(queries.get("feed-state").text)
    if not rows:
        return FeedState(0, None)
    return FeedState(int(rows[0]["count"].value), rows[0]["last"].value)


def event_time(previous: str | None, at: str | None = None) -> str:
    """`at` (default: now, in UTC to the microsecond), but never before the previous event (a clock
    set back, another process's clock)."""
    now = at or datetime.now(timezone.utc).isoformat(timespec="microseconds")
    if previous is not None and moment(previous) > moment(now):
        return previous
    return now


def moment(stamp: str) -> datetime:
    """An xsd:dateTime as an instant; one without a time zone (as a store written by an older odmld,
    or loaded from a file, may hold) is taken as UTC."""
    parsed = datetime.fromisoformat(stamp)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


def event_files(base: str, position: int, version: ox.NamedNode, time: str,
                reason: str | None = None) -> list[NamedGraph]:
    """The graphs one event writes: its own, <graph/gebeurtenis/{position}>, and <graph/feed> with the
    new count. A `reason` makes it a withdrawal, else it is a publication."""
    event, graph = vocab.event(base, position), vocab.event_graph(base, position)
    kind = vocab.odm(base, "Withdrawal" if reason is not None else "Publication")
    stamp = vocab.date_time(time)
    triples = [(event, RDF_TYPE, kind), (event, vocab.odm(base, "eventPosition"), integer(position)),
               (event, IS_VERSION_OF, version), (event, AT_TIME, stamp)]
    if reason is not None:
        triples.append((event, vocab.odm(base, "withdrawalReason"), ox.Literal(reason)))
    feed, stream = vocab.feed_graph(base), vocab.event_stream(base)
    return [NamedGraph(graph=graph, quads=[ox.Quad(s, p, o, graph) for s, p, o in triples]),
            NamedGraph(graph=feed, quads=[
                ox.Quad(stream, vocab.odm(base, "eventCount"), integer(position), feed),
                ox.Quad(stream, AT_TIME, stamp, feed)])]


def next_event_files(store: Store, version: ox.NamedNode, reason: str | None = None,
                     at: str | None = None) -> list[NamedGraph]:
    """The graphs of the event that comes next, at `at` (default: now); call it where writes are
    serialised, and write its graphs in the same atomic write as what it records."""
    current = state(store)
    return event_files(store.base_uri, current.count + 1, version, event_time(current.last, at), reason)


def history_files(store: Store) -> list[NamedGraph]:
    """For a store that has no events yet (written before odmld kept them): one event per publication and
    per withdrawal of its versions, in the order they happened. Nothing when the feed has events: they
    are never numbered again."""
    if state(store).count:
        return []
    events: list[NamedGraph] = []
    for position, row in enumerate(store.select(queries.get("event-history").text), start=1):
        withdrawn = row["withdrawn"].value == "true"
        written = event_files(store.base_uri, position, row["version"], row["time"].value,
                              row["reason"].value if withdrawn else None)
        events = events[:-1] + written  # one <graph/feed>: the last event's
    return events
