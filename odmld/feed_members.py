"""What each publication of the change feed carries, kept beside the embedded store once it is made.

A page of the feed shows the triples of up to 50 published versions (about 3,000). Running the
feed-member query for them took 25-60 ms on a warm store and up to 200 ms on a cold one, at any size.
But what an event carries never changes once the event is written (feed_events.py): so it is made from
the store once, for a whole page at a time, and kept, in a SQLite table that every process of the
deployment shares (`{store}-feed.sqlite3`), as the N-Triples lines of each version, compressed:

    position -> (version IRI, event time, lines)

A kept row is used only when the event at its position still names the same version at the same time
(the page reads those from the store anyway). So a row made under another base URI (odmld rebase), or
from a store since put back from another copy, is made again rather than shown: the table can only
ever save a query, never change a page. `odmld statistics` makes every missing row at once.

Nothing is kept for a remote store: its events can be written by others, unseen (caching.py).
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Iterable, NamedTuple

import pyoxigraph as ox

from . import vocab
from .sparql import library as queries
from .shared_table import SharedTable
from .store_api import Reader

SCHEMA = """CREATE TABLE IF NOT EXISTS members (
    position INTEGER PRIMARY KEY, version TEXT NOT NULL, time TEXT NOT NULL, lines BLOB NOT NULL
)"""


class Event(NamedTuple):
    """A publication event, as the feed-events query reads it."""
    position: int
    version: ox.NamedNode
    time: str


def carried_by(store: Reader, versions: list[ox.NamedNode]) -> dict[ox.NamedNode, bytes]:
    """The N-Triples of what each version's publication carries (the feed-member query), one run for
    all of them; a version's triples are its own and those of its domain parts."""
    if not versions:
        return {}
    triples = list(store.query(queries.get("feed-member").text, bindings={"assessment": versions}))
    part_of = vocab.odm(store.base_uri, "domainAssessment")
    grouped: dict[ox.NamedNode, list[ox.Triple]] = {version: [] for version in versions}
    owner = {t.object: t.subject for t in triples if t.predicate == part_of and t.subject in grouped}
    for t in triples:
        version = t.subject if t.subject in grouped else owner.get(t.subject)
        if version is not None:
            grouped[version].append(t)
    return {version: ox.serialize(found, format=ox.RdfFormat.N_TRIPLES) for version, found in grouped.items()}


class FeedMembers(SharedTable):
    """The shared table at `path` (shared_table.py). A table that cannot be read or written costs the
    query it would have saved, never a failed request."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path, SCHEMA, "feed members not kept")

    def lines(self, store: Reader, events: list[Event]) -> list[bytes]:
        """The N-Triples of what `events` carry: kept rows where they match, the rest made and kept."""
        found, _ = self.complete(store, events)
        return [found[event.position] for event in events]

    def complete(self, store: Reader, events: list[Event]) -> tuple[dict[int, bytes], int]:
        """The lines of each of `events` by position, the missing or stale ones made from the store and
        kept; and how many were made."""
        found = self.kept(events)
        missing = [event for event in events if event.position not in found]
        made = carried_by(store, [event.version for event in missing])
        self.keep((event, made[event.version]) for event in missing)
        found.update((event.position, made[event.version]) for event in missing)
        return found, len(missing)

    def kept(self, events: list[Event]) -> dict[int, bytes]:
        """The kept lines of those `events` whose row still names the same version at the same time."""
        if not events:
            return {}
        positions = [event.position for event in events]
        rows = self.guarded(lambda db: db.execute(
            "SELECT position, version, time, lines FROM members WHERE position BETWEEN ? AND ?",
            (min(positions), max(positions))).fetchall())
        wanted = {(event.position, event.version.value, event.time) for event in events}
        return {position: zlib.decompress(lines)
                for position, version, time, lines in rows or () if (position, version, time) in wanted}

    def keep(self, made: Iterable[tuple[Event, bytes]]) -> None:
        """Keep the N-Triples of what each event carries (its row replaced)."""
        rows = [(event.position, event.version.value, event.time, zlib.compress(lines))
                for event, lines in made]
        if rows:
            self.guarded(lambda db: self.in_transaction(db, lambda db: db.executemany(
                "INSERT OR REPLACE INTO members (position, version, time, lines) VALUES (?, ?, ?, ?)", rows)))


def publications(base: str, rows: list[dict]) -> list[Event]:
    """The publication events among feed-events rows."""
    publication = vocab.odm(base, "Publication")
    return [Event(int(row["position"].value), row["version"], row["time"].value)
            for row in rows if row["kind"] == publication]


def keep_every_member(store: Reader, members: FeedMembers, count: int, batch: int = 500) -> int:
    """Make every publication's row that is missing or stale (`count` events so far), a batch of
    positions at a time; returns the rows made."""
    made = 0
    for first in range(1, count + 1, batch):
        positions = [vocab.integer(n) for n in range(first, min(first + batch, count + 1))]
        events = publications(store.base_uri, store.select(queries.get("feed-events").text, position=positions))
        made += members.complete(store, events)[1]
    return made
