"""Turning user-supplied text into RDF terms, so values reach SPARQL as bound terms, never as text."""

from __future__ import annotations

import functools

import pyoxigraph as ox

from . import vocab
from .vocab import XSD


def iri(value: str, base_uri: str) -> ox.NamedNode:
    """An absolute IRI, or one relative to `base_uri`; ValueError if it is not a valid IRI."""
    if "://" not in value and not value.startswith("urn:"):
        return vocab.resolve(base_uri, value)
    return ox.NamedNode(value)


def parse_parameter(text: str, base_uri: str) -> tuple[str, ox.NamedNode | ox.Literal]:
    """`name=<iri>` binds an IRI (relative ones against the base); `name=text` a plain literal;
    `name=text^^xsd:date` (or any xsd: datatype) a typed literal."""
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?")
    if not sep or not name.isidentifier():
        raise ValueError(f"a parameter is NAME=VALUE, got {text!r}")
    if value.startswith("<") and value.endswith(">"):
        return name, iri(value[1:-1], base_uri)
    lexical, marker, datatype = value.rpartition("^^xsd:")
    if marker:
        return name, ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))
    return name, ox.Literal(value)


@functools.lru_cache(maxsize=4096)
def _predicate(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def triple(subject: ox.NamedNode | ox.BlankNode, predicate: str,
           obj: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.Triple:
    """A triple from terms and a predicate IRI, for code that builds RDF (a page of the catalogue
    builds 7,500: each predicate's term is made once, not checked again for every triple)."""
    return ox.Triple(subject, _predicate(predicate), obj)
