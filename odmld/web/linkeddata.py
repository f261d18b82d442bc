"""Dereferenceable URIs: /id/ answers 303 to /doc/, /doc/ serves the description in the negotiated
format, and /ns/ serves the ontology and the shapes (Flemish URI standard)."""

from __future__ import annotations

import json

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for

from ..errors import NotAcceptable, NotFound
from .. import vocab
from ..sparql import library as queries
from ..caching import last_modified_due
from ..catalog import catalogue
from ..loading import graph_name, iter_rdf_files
from ..resources import folder
from .db import base_uri, get_page_cache, get_store
from .errors import worded
from .formats import DOCUMENT_MEDIA, HTML, negotiate, split_suffix
from .conditional import conditional, since_made, validated
from .i18n import current_language
from .pages import render_ontology_page, render_resource_page
from .rdf_response import document_headers, jsonld_context, serialise
from .response_cache import mark_reusable

bp = Blueprint("linkeddata", __name__)

VOCABULARIES = {"odm": "ontology", "odm-shapes": "shapes"}  # name: the bundled folder its files are in


def not_acceptable() -> NotAcceptable:
    return NotAcceptable(worded("formats", formats=", ".join(DOCUMENT_MEDIA)))


@bp.route("/id/<iri_path:ref>")
def thing(ref: str) -> Response:
    """A thing is not a document: 303 See Other to the document that describes it."""
    response = redirect(url_for("linkeddata.document", ref=ref), code=303)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/doc/<iri_path:ref>")
def document(ref: str) -> Response:
    """The description of /id/{ref}, kept in the page cache (bytes, headers and since when it has
    these bytes) while the store is unchanged, so asking again runs no query."""
    ref, suffix_media = split_suffix(ref)
    media = suffix_media or negotiate(request)
    # the generation is read before the store, so a page is never kept as newer than what it shows
    cache, generation = get_page_cache(), get_store().generation
    key = page_key(media)
    kept = cache.get(generation, key) if cache is not None and media is not None else None
    if kept is None:
        resource, triples = description(ref)
        if media is None:
            raise not_acceptable()
        if media == HTML:
            body = render_resource_page(resource, triples).encode("utf-8")
        else:
            body = serialise(triples, media, base_uri())
        headers = document_headers(media, body, "linkeddata.document", ref=ref)
        kept = body, headers, since_made(media, headers["ETag"])
        if cache is not None:
            cache.put(generation, key, kept, len(body))
    body, headers, since = kept
    due = last_modified_due(since)
    if since is None or due:  # kept whole only once its Last-Modified is due
        mark_reusable()
    return conditional(Response(body, mimetype=media, headers=headers), since, due=due)


def page_key(media: str | None) -> tuple[str, str, str | None, str | None, bytes | None]:
    """What a /doc/ page's bytes depend on besides the store: its path (the HTML links its alternates
    from it), the format and, for HTML, the language and the query string (its language switch keeps
    it)."""
    html = media == HTML
    return (request.script_root, request.path, media, current_language() if html else None,
            request.query_string if html else None)


def description(ref: str) -> tuple[ox.NamedNode, list[ox.Triple]]:
    """The resource /id/{ref} and the triples that describe it; 404 when nothing is known of it."""
    resource = vocab.thing(base_uri(), ref)  # the route's iri_path took only valid ones
    triples = list(get_store().query(queries.get("describe").text, bindings={"resource": resource}))
    if not triples and ref.startswith("catalogus/"):
        triples = catalogue_description(resource)
    if not any(t.subject == resource for t in triples):
        raise NotFound(worded("not_known", iri=resource.value))
    return resource, triples


def catalogue_description(resource: ox.NamedNode) -> list[ox.Triple]:
    """Distributions, records and assessment datasets are computed with the catalogue, not stored."""
    config = current_app.config["ODMLD"]
    triples, _pages = catalogue(get_store(), licence=config.licence, most=config.whole_catalogue_limit)
    return [t for t in triples if t.subject == resource]


@bp.route("/ns/<name>")
def vocabulary(name: str) -> Response:
    name, suffix_media = split_suffix(name)
    if name not in VOCABULARIES:
        raise NotFound(worded("no_vocabulary", name=repr(name), known=", ".join(VOCABULARIES)))
    media = suffix_media or negotiate(request)
    if media is None:
        raise not_acceptable()
    store = get_store()
    # the graphs of the folder's files, each asked for by name: listing every graph of a large store
    # takes seconds
    files = iter_rdf_files(folder(VOCABULARIES[name]))
    graphs = [graph for graph in (graph_name(path, base_uri()) for path in files) if store.has_graph(graph)]
    triples = list(store.query(queries.get("all-triples").text, default_graph=graphs))
    if media == HTML:
        if name == "odm":
            page = render_ontology_page()
        else:
            turtle = serialise(triples, "text/turtle", base_uri()).decode("utf-8")
            page = render_template("shapes.html", turtle=turtle)
        response = Response(page, mimetype=HTML)
    else:
        response = Response(serialise(triples, media, base_uri()), mimetype=media)
    response.headers.update(document_headers(media, response.get_data(), "linkeddata.vocabulary", name=name))
    return validated(response)


@bp.route("/ns/odm/<version>")
def ontology_version(version: str) -> Response:
    """The version IRI serves the ontology (only the current version is kept)."""
    return redirect(url_for("linkeddata.vocabulary", name="odm"), code=303)


@bp.route("/ns/context.jsonld")
def context() -> Response:
    return validated(Response(json.dumps(jsonld_context(base_uri()), indent=1), mimetype="application/ld+json"))
