"""A Linked Data Event Stream of assessment versions, paged by publication time.

Members are ordered by prov:generatedAtTime (then IRI); each page holds ODMLD_PAGE_SIZE members and points
to the next with a tree:GreaterThanOrEqualToRelation on that time. New versions only ever land on the
last page, so a harvester that has read page N fetches only page N (again) and the pages after it.
Full pages never change and are served as cacheable.

Every version carries its place in that order (odm:publicationPosition, kept at every publication) and
the published statistics count the versions, so a page looks up its own members instead of sorting all.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, request

from .. import queries, statistics
from ..scoring import integer
from ..terms import triple
from .db import get_store
from .formats import GRAPH_MEDIA, negotiate
from .linkeddata import not_acceptable
from .rdf_response import serialise

bp = Blueprint("feed", __name__)

LDES = "https://w3id.org/ldes#"
TREE = "https://w3id.org/tree#"
PROV_GENERATED = "http://www.w3.org/ns/prov#generatedAtTime"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@bp.route("/feed")
def page() -> Response:
    number = request.args.get("page", "1")
    if not number.isdigit() or int(number) < 1:
        abort(400, description="page is a whole number from 1")
    media = negotiate(request, GRAPH_MEDIA)
    if media is None:
        return not_acceptable()
    store, base = get_store(), current_app.config["ODMLD"].base_uri
    size = current_app.config["ODMLD"].page_size
    pages = statistics.page_count(statistics.published_versions(statistics.read_totals(store)), size)
    index = int(number)
    if index > pages:
        abort(404, description=f"the feed has {pages} page(s)")
    chosen = store.select(queries.get("feed-members").text,
                          position=[integer(n) for n in range((index - 1) * size + 1, index * size + 1)])
    stream = ox.NamedNode(f"{base}id/feed/inschattingen")
    node = ox.NamedNode(f"{base}feed?page={index}")
    triples = [triple(stream, RDF_TYPE, ox.NamedNode(LDES + "EventStream")),
               triple(stream, LDES + "timestampPath", ox.NamedNode(PROV_GENERATED)),
               triple(stream, TREE + "view", ox.NamedNode(f"{base}feed?page=1")),
               triple(node, RDF_TYPE, ox.NamedNode(TREE + "Node"))]
    members = [member["assessment"] for member in chosen]
    triples += [triple(stream, TREE + "member", member) for member in members]
    if members:
        triples += store.query(queries.get("feed-member").text, bindings={"assessment": members})
    if index < pages and chosen:
        relation = ox.BlankNode()
        triples += [triple(node, TREE + "relation", relation),
                    triple(relation, RDF_TYPE, ox.NamedNode(TREE + "GreaterThanOrEqualToRelation")),
                    triple(relation, TREE + "node", ox.NamedNode(f"{base}feed?page={index + 1}")),
                    triple(relation, TREE + "path", ox.NamedNode(PROV_GENERATED)),
                    triple(relation, TREE + "value", chosen[-1]["generated"])]
    response = Response(serialise(triples, media, base), mimetype=media)
    response.headers["Vary"] = "Accept"
    response.headers["Cache-Control"] = ("public, max-age=86400, immutable" if index < pages
                                         else "public, max-age=60")
    return response
