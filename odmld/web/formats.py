"""The representations odmld serves, and choosing one: by file suffix, else by the Accept header."""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from flask import Request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

HTML = "text/html"
RDF_FORMATS = (ox.RdfFormat.TURTLE, ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML, ox.RdfFormat.N_TRIPLES)
DOCUMENT_MEDIA = (HTML, *(f.media_type for f in RDF_FORMATS))
SUFFIXES = {"html": HTML, **{f.file_extension: f.media_type for f in RDF_FORMATS}}
EXTENSION_OF = {media: suffix for suffix, media in SUFFIXES.items()}
# pyoxigraph names CSV "text/csv; charset=utf-8"; negotiation compares bare media types.
RESULT_MEDIA = tuple(f.media_type.split(";")[0] for f in (
    ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV,
    ox.QueryResultsFormat.TSV))
GRAPH_MEDIA = tuple(f.media_type for f in RDF_FORMATS)


def split_suffix(ref: str) -> tuple[str, str | None]:
    """`domein/1.ttl` -> (`domein/1`, `text/turtle`); a ref without a known suffix is kept whole."""
    stem, dot, suffix = ref.rpartition(".")
    if dot and suffix in SUFFIXES and "/" not in suffix:
        return stem, SUFFIXES[suffix]
    return ref, None


def negotiate(request: Request, offered: tuple[str, ...] = DOCUMENT_MEDIA) -> str | None:
    """The offered media type the client prefers; HTML for a client that states no preference."""
    return best_match(request.headers.get("Accept", ""), offered)


@lru_cache(maxsize=256)
def best_match(accept: str, offered: tuple[str, ...]) -> str | None:
    """Parsing an Accept header and matching it costs more than answering a cached request, and a
    client sends the same header every time: each (header, offer) is worked out once."""
    accepted = parse_accept_header(accept, MIMEAccept)
    if not accepted:
        return offered[0]
    return accepted.best_match(offered)


def rdf_format(media: str) -> ox.RdfFormat:
    return ox.RdfFormat.from_media_type(media)
