"""/feed: a Linked Data Event Stream (LDES 1.0 over TREE) whose members are events, never rewritten.

Every publication and every withdrawal of an assessment version is a member of its own (odmld/feed_events.py),
numbered when it is written (odm:eventPosition). Page n holds positions (n-1) x ODMLD_PAGE_SIZE + 1 to
n x ODMLD_PAGE_SIZE, looked up by those positions. A page is full once the feed has reached its last
position; from then on nothing on it can change: its members, what they carry (a publication carries the
version's triples as published, never what was said of it later), and its relations to the next page,
which are there as soon as it is full (the next page then exists, empty until the next event) and say
only what is known then: the next page's members come at or after this page's last time and position.
Full pages are ldes:immutable and served Cache-Control immutable; only the page being filled changes.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from ..errors import NotFound
from .. import feed_events, feed_members, vocab
from ..sparql import library as queries
from ..caching import IMMUTABLE, REVALIDATE
from ..vocab import integer
from ..terms import triple
from .conditional import validated
from .db import base_uri, get_store
from .errors import worded
from .formats import GRAPH_MEDIA, negotiate
from .linkeddata import not_acceptable
from .params import requested_page
from .rdf_response import serialise
from ..vocab import RDF_TYPE as RDF_TYPE_TERM, boolean

bp = Blueprint("feed", __name__)

LDES = "https://w3id.org/ldes#"
TREE = "https://w3id.org/tree#"
RDF_TYPE = RDF_TYPE_TERM.value  # compared with and used as a predicate's text
AT_TIME = "http://www.w3.org/ns/prov#atTime"
IS_VERSION_OF = "http://purl.org/dc/terms/isVersionOf"


def stream_triples(base: str) -> list[ox.Triple]:
    """What the event stream is, on every page: how its members are ordered and versioned (LDES 1.0:
    timestamp and sequence paths, version-of path, create and delete markers). No retention policy: the
    view keeps every event."""
    stream = vocab.event_stream(base)
    return [triple(stream, RDF_TYPE, ox.NamedNode(LDES + "EventStream")),
            triple(stream, LDES + "timestampPath", ox.NamedNode(AT_TIME)),
            triple(stream, LDES + "sequencePath", vocab.odm(base, "eventPosition")),
            triple(stream, LDES + "versionOfPath", ox.NamedNode(IS_VERSION_OF)),
            triple(stream, LDES + "versionCreatePath", ox.NamedNode(RDF_TYPE)),
            triple(stream, LDES + "versionCreateObject", vocab.odm(base, "Publication")),
            triple(stream, LDES + "versionDeletePath", ox.NamedNode(RDF_TYPE)),
            triple(stream, LDES + "versionDeleteObject", vocab.odm(base, "Withdrawal")),
            triple(stream, TREE + "view", vocab.feed_page(base, 1))]


def member_triples(base: str, rows: list[dict]) -> list[ox.Triple]:
    """Each event of the page (what a publication carries: published_lines)."""
    stream = vocab.event_stream(base)
    triples = []
    for row in rows:
        event = row["event"]
        triples += [triple(stream, TREE + "member", event), triple(event, RDF_TYPE, row["kind"]),
                    triple(event, vocab.odm(base, "eventPosition").value, row["position"]),
                    triple(event, IS_VERSION_OF, row["version"]), triple(event, AT_TIME, row["time"])]
        if "reason" in row:
            triples.append(triple(event, vocab.odm(base, "withdrawalReason").value, row["reason"]))
    return triples


def published_lines(rows: list[dict]) -> list[bytes]:
    """The triples the page's publications carry, as N-Triples lines: kept beside an embedded store
    once made (feed_members.py), else written by the store's own serialiser, not made into Python
    terms one by one (3,000 of them on a page of 50)."""
    store, kept = get_store(), current_app.extensions["odmld.feed_members"]
    events = feed_members.publications(base_uri(), rows)
    if kept is not None:
        return b"".join(kept.lines(store, events)).split(b"\n")
    if not events:
        return []
    answer = store.query(queries.get("feed-member").text,
                         bindings={"assessment": [event.version for event in events]})
    text = answer.serialize(format=ox.RdfFormat.N_TRIPLES) if hasattr(answer, "serialize") else \
        ox.serialize(answer, format=ox.RdfFormat.N_TRIPLES)
    return text.split(b"\n")


def in_order(triples: list[ox.Triple], lines: list[bytes]) -> list[ox.Triple]:
    """`triples` and those of the N-Triples `lines`, each once, in the order of their lines (subject,
    predicate, object, as N-Triples writes them), so that the same triples are the same bytes whatever
    order the store gives them in; lines sort as bytes, not as Python terms."""
    lines = lines + ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).split(b"\n")
    unique = sorted({line for line in lines if line})
    return list(ox.parse(b"\n".join(unique), format=ox.RdfFormat.N_TRIPLES)) if unique else []


def relation_triples(base: str, index: int, last: dict) -> list[ox.Triple]:
    """A full page's relations to the next: its members come at or after this page's last event, by
    time and by position (two relations to one node, which a client reads together)."""
    node, following = vocab.feed_page(base, index), vocab.feed_page(base, index + 1)
    triples = [triple(node, LDES + "immutable", boolean(True))]
    position = vocab.odm(base, "eventPosition").value
    for name, path, value in (("tijd", AT_TIME, last["time"]),
                              ("positie", position, integer(int(last["position"].value) + 1))):
        relation = vocab.feed_relation(base, index, name)
        triples += [triple(node, TREE + "relation", relation),
                    triple(relation, RDF_TYPE, ox.NamedNode(TREE + "GreaterThanOrEqualToRelation")),
                    triple(relation, TREE + "node", following),
                    triple(relation, TREE + "path", ox.NamedNode(path)),
                    triple(relation, TREE + "value", value)]
    return triples


@bp.route("/feed")
def page() -> Response:
    index = requested_page()
    media = negotiate(request, GRAPH_MEDIA)
    if media is None:
        raise not_acceptable()
    store, base = get_store(), base_uri()
    size, count = current_app.config["ODMLD"].page_size, feed_events.state(get_store()).count
    pages = count // size + 1  # the full pages, and the one being filled
    if index > pages:
        raise NotFound(worded("feed_pages", pages=pages))
    rows = store.select(queries.get("feed-events").text,
                        position=[integer(n) for n in range((index - 1) * size + 1, index * size + 1)])
    full = index * size <= count
    triples = stream_triples(base) + [triple(vocab.feed_page(base, index), RDF_TYPE,
                                             ox.NamedNode(TREE + "Node"))] + member_triples(base, rows)
    if full:
        triples += relation_triples(base, index, rows[-1])
    triples = in_order(triples, published_lines(rows))
    response = Response(serialise(triples, media, base), mimetype=media)
    response.headers["Vary"] = "Accept"
    # kept whole until the store changes (a full page never does)
    return validated(response, index, cache_control=IMMUTABLE if full else REVALIDATE, reusable=True)
