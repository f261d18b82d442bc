"""Turning a described graph into a response in the negotiated format, with Linked Data headers."""

from __future__ import annotations

import json
import re
from xml.parsers import expat

import pyoxigraph as ox
import rdflib
from flask import url_for
from werkzeug.http import generate_etag, quote_etag

from ..errors import NotAcceptable
from .formats import EXTENSION_OF, HTML, DOCUMENT_MEDIA, rdf_format
from .. import vocab
from ..vocab import XSD, XSD_STRING



def jsonld_context(base_uri: str) -> dict:
    """The published JSON-LD context: odmld's namespaces as prefixes."""
    return {"@context": {
        "odm": vocab.odm_namespace(base_uri),
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "dcterms": "http://purl.org/dc/terms/",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "xsd": XSD,
        "dqv": "http://www.w3.org/ns/dqv#",
        "prov": "http://www.w3.org/ns/prov#",
        "org": "http://www.w3.org/ns/org#",
        "dcat": "http://www.w3.org/ns/dcat#",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "qb": "http://purl.org/linked-data/cube#",
        "sh": "http://www.w3.org/ns/shacl#",
        "besluit": "http://data.vlaanderen.be/ns/besluit#",
    }}




def rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
    """The same term for rdflib, a blank node keeping its label: parsing N-Triples would give every
    blank node a new random label, and the same document new bytes (and ETag) on every request."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return rdflib.Literal(term.value, datatype=None if datatype == XSD_STRING.value else rdflib.URIRef(datatype))


def serialise(triples: list[ox.Triple], media: str, base_uri: str) -> bytes:
    """Serialise with pyoxigraph; JSON-LD is compacted with rdflib against the published context."""
    if media == ox.RdfFormat.JSON_LD.media_type:
        graph = rdflib.Graph()
        for triple in triples:
            graph.add((rdflib_term(triple.subject), rdflib_term(triple.predicate), rdflib_term(triple.object)))
        context = jsonld_context(base_uri)["@context"]
        compacted = in_stable_order(json.loads(graph.serialize(format="json-ld", context=context,
                                                               auto_compact=True)))
        compacted["@context"] = vocab.jsonld_context(base_uri)
        return json.dumps(compacted, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    rdf = rdf_format(media)
    if rdf == ox.RdfFormat.TURTLE:
        return ox.serialize(triples, format=rdf, prefixes=jsonld_context(base_uri)["@context"])
    if rdf == ox.RdfFormat.RDF_XML:
        return rdf_xml(triples)
    return ox.serialize(triples, format=rdf)


def in_stable_order(node: object, *, ordered: bool = False) -> object:
    """The compacted JSON-LD with every array but an `@list` sorted (JSON-LD arrays are sets): rdflib
    writes nodes and values in the order of its hash tables, which Python seeds afresh in every
    process, so each worker of one server sent other bytes (and ETag) for the same document. With
    `json.dumps(sort_keys=True)` the bytes are a function of the statements."""
    if isinstance(node, dict):
        return {key: in_stable_order(value, ordered=key == "@list") for key, value in node.items()}
    if isinstance(node, list):
        items = [in_stable_order(item) for item in node]
        return items if ordered else sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return node


# characters XML 1.0 cannot carry at all, not even as a character reference; in UTF-8 the C0 controls
# are single bytes that no other character's encoding contains, and U+FFFE, U+FFFF are EF BF BE / BF
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NOT_XML_BYTES = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")


def rdf_xml(triples: list[ox.Triple]) -> bytes:
    """RDF/XML that is well-formed XML whatever text the store holds.

    A literal may hold characters XML cannot carry (a store written before submissions were checked
    for them): each is written as U+FFFD, the replacement character, as XML has no way to say it (the
    other formats keep it). A carriage return is written as a character reference, which XML parsers
    would otherwise read as a line feed. Last, the document is parsed as namespaced XML: a property or
    class whose IRI has no XML name cannot be written in RDF/XML at all, and is a 406 pointing to the
    other formats, never a broken document."""
    body = ox.serialize(triples, format=ox.RdfFormat.RDF_XML)
    if NOT_XML_BYTES.search(body):  # rare: only then is every literal looked at
        safe = [ox.Triple(t.subject, t.predicate, xml_safe(t.object)) for t in triples]
        body = ox.serialize(safe, format=ox.RdfFormat.RDF_XML)
    body = body.replace(b"\r", b"&#13;")
    try:
        expat.ParserCreate(namespace_separator=" ").Parse(body, True)
    except expat.ExpatError:
        raise NotAcceptable("this document cannot be written as RDF/XML (one of its property or class IRIs "
                            "has no XML name); ask for Turtle, N-Triples or JSON-LD") from None
    return body


def xml_safe(term: ox.Term) -> ox.Term:
    if not isinstance(term, ox.Literal) or not NOT_XML.search(term.value):
        return term
    value = NOT_XML.sub("\ufffd", term.value)
    if term.language:
        return ox.Literal(value, language=term.language)
    return ox.Literal(value, datatype=term.datatype)


def alternates_header(endpoint: str, **values: str) -> str:
    """Link header listing every representation of this document."""
    links = []
    for media in DOCUMENT_MEDIA:
        url = url_for(endpoint, **values) + "." + EXTENSION_OF[media]
        links.append(f'<{url}>; rel="alternate"; type="{media}"')
    return ", ".join(links)


def document_headers(media: str, body: bytes, endpoint: str, **values: str) -> dict[str, str]:
    """Vary, Content-Location, Link (the alternates) and ETag of a document: they follow from its
    address, format and bytes, so a cached document keeps them with its bytes."""
    here = url_for(endpoint, **values)
    return {"Vary": "Accept, Accept-Language" if media == HTML else "Accept",
            "Content-Location": f"{here}.{EXTENSION_OF[media]}",
            "Link": alternates_header(endpoint, **values),
            "ETag": quote_etag(generate_etag(body))}
