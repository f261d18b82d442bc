"""The harvestable catalogue (/catalog, paged with Hydra; /catalog/volledig, whole) and graph downloads."""

from __future__ import annotations

import base64

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request, send_file

from ..errors import NotFound
from .. import vocab
from ..sparql import library as queries
from ..assessments.csv import version_csv
from ..catalog import catalogue
from ..dumps import Dump, graph_dump, store_dump
from .conditional import validated
from .db import base_uri, get_store
from .errors import worded
from .formats import HTML, negotiate, split_suffix
from .i18n import current_language
from .linkeddata import not_acceptable
from .params import requested_page
from .rdf_response import serialise
from ..vocab import RDF_TYPE

bp = Blueprint("catalog", __name__)

HYDRA = "http://www.w3.org/ns/hydra/core#"
GZIP = "application/gzip"


@bp.route("/catalog")
@bp.route("/catalog.<any(ttl, jsonld, rdf, nt, html):suffix>")
def paged(suffix: str | None = None) -> Response:
    """One page of the catalogue, with a hydra:PartialCollectionView to walk the others."""
    page = requested_page()
    config = current_app.config["ODMLD"]
    triples, pages = catalogue(get_store(), page, config.page_size, config.licence)
    if page > pages:
        raise NotFound(worded("catalogue_pages", pages=pages))
    triples += hydra_view(page, pages, suffix)
    # the same page, format and language is the same bytes until the store changes
    return respond(triples, suffix, "catalog.paged", paging=(page, pages), reusable=True)


@bp.route("/catalog/volledig")
@bp.route("/catalog/volledig.<any(ttl, jsonld, rdf, nt, html):suffix>")
def whole(suffix: str | None = None) -> Response:
    """The whole catalogue in one document, for harvesters that do not follow paging, up to a limit
    (ODMLD_WHOLE_CATALOGUE_LIMIT): it grows with the datasets."""
    config = current_app.config["ODMLD"]
    triples, _pages = catalogue(get_store(), licence=config.licence, most=config.whole_catalogue_limit)
    return respond(triples, suffix, "catalog.whole")


def hydra_view(page: int, pages: int, suffix: str | None) -> list[ox.Triple]:
    base = base_uri()
    view = vocab.catalogue_page(base, suffix, page)

    def link(relation: str, target: int) -> ox.Triple:
        return ox.Triple(view, ox.NamedNode(HYDRA + relation), vocab.catalogue_page(base, suffix, target))

    triples = [ox.Triple(vocab.catalogue(base), ox.NamedNode(HYDRA + "view"), view),
               ox.Triple(view, RDF_TYPE,
                         ox.NamedNode(HYDRA + "PartialCollectionView")),
               link("first", 1), link("last", pages)]
    if page > 1:
        triples.append(link("previous", page - 1))
    if page < pages:
        triples.append(link("next", page + 1))
    return triples


def respond(triples: list[ox.Triple], suffix: str | None, endpoint: str,
            paging: tuple[int, int] | None = None, reusable: bool = False) -> Response:
    """The catalogue (a page of it, `paging` = (page, pages)) in the negotiated format; as HTML its
    titles, with links to the pages before and after."""
    media = (split_suffix(f"x.{suffix}")[1] if suffix else None) or negotiate(request)
    if media is None:
        raise not_acceptable()
    if media == HTML:
        response = Response(render_template("catalog.html", titles=catalogue_titles(triples), paging=paging),
                            mimetype=HTML)
    else:
        response = Response(serialise(triples, media, base_uri()), mimetype=media)
    return validated(response, *([paging[0]] if paging else []), reusable=reusable)


def catalogue_titles(triples: list[ox.Triple]) -> list[tuple[str, ox.Literal]]:
    """Each catalogue entry with its title in the page's language (Dutch where it has none), in order."""
    lang = current_language()
    found: dict[str, dict[str | None, ox.Literal]] = {}
    for t in triples:
        if (t.predicate.value == "http://purl.org/dc/terms/title" and isinstance(t.object, ox.Literal)
                and "/catalogus/" in t.subject.value and "/distributie/" not in t.subject.value):
            found.setdefault(t.subject.value, {})[t.object.language] = t.object
    titles = [(iri, by_language.get(lang) or by_language.get("nl") or next(iter(by_language.values())))
              for iri, by_language in found.items()]
    return sorted(titles, key=lambda entry: (entry[1].value, entry[0]))


@bp.route("/graph/<iri_path:name>")
def graph(name: str) -> Response:
    """A named graph to download, in the format its suffix (or Accept) names."""
    name, media = split_suffix(name)
    media = media or negotiate(request)
    if media is None or media == HTML:
        raise not_acceptable()
    store = get_store()
    graph_name = vocab.graph(base_uri(), name)
    if not store.has_graph(graph_name):
        raise NotFound(worded("no_graph", name=name))
    triples = list(store.query(queries.get("all-triples").text, default_graph=[graph_name]))
    response = Response(serialise(triples, media, base_uri()), mimetype=media)
    response.headers["Vary"] = "Accept"
    return validated(response)


@bp.route("/dump/odmld.nq.gz")
def whole_dump() -> Response:
    """The whole store, every named graph kept, as gzipped N-Quads (its SHA-256 in Repr-Digest)."""
    return dump_response(store_dump(get_store()), "odmld.nq.gz")


@bp.route("/dump/<iri_path:name>.ttl.gz")
def graph_dump_file(name: str) -> Response:
    """One named graph as gzipped Turtle."""
    store = get_store()
    graph_name = vocab.graph(base_uri(), name)
    if not store.has_graph(graph_name):
        raise NotFound(worded("no_graph", name=name))
    return dump_response(graph_dump(store, graph_name), name.replace("/", "-") + ".ttl.gz")


def dump_response(dump: Dump, filename: str) -> Response:
    """A .gz file as what it is, application/gzip, without Content-Encoding (which would make a client
    unpack it); its SHA-256 in Repr-Digest (RFC 9530: base64 in a structured byte sequence)."""
    if dump.path is not None:
        response = send_file(dump.path, mimetype=GZIP, etag=False, conditional=False)
        if dump.temporary:
            response.call_on_close(dump.discard)
    else:
        response = Response(dump.data, mimetype=GZIP)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(dump.sha256)).decode()}:"
    response.set_etag(dump.sha256)
    return validated(response)


@bp.route("/csv/inschatting/<iri_path:ref>.csv")
def assessment_csv(ref: str) -> Response:
    """An assessment version as the CSV template: domain, maturity rank, need rank, evidence."""
    text = version_csv(get_store(), vocab.assessment_at(base_uri(), ref))
    if text is None:
        raise NotFound(worded("no_version", ref=ref))
    return validated(Response(text, mimetype="text/csv"))
