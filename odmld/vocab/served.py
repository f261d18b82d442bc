"""The IRIs of what odmld serves: the catalogue, its downloads, the VoID description, the SPARQL
service, and the named graphs of loaded files; one function per pattern of docs/modelling.md ("IRIs
minted at run time"), each taking the base URI first. `resolve` and `local_path` turn a path under
the base into an IRI and back.
"""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox


def resolve(base: str, path: str) -> ox.NamedNode:
    """The IRI of `path` under the base ("id/organisatie/24062" or "/id/..."); ValueError if no IRI."""
    return ox.NamedNode(base + path.lstrip("/"))


def local_path(base: str, iri: str) -> str | None:
    """The path of `iri` under the base ("id/maturiteitsdomein/4"), or None for an IRI outside it."""
    return iri[len(base):] if iri.startswith(base) else None


def thing(base: str, ref: str) -> ox.NamedNode:
    """`id/{ref}`, any thing the site describes (the route /id/... takes it, /doc/... describes it)."""
    return ox.NamedNode(f"{base}id/{ref}")


def uri_space(base: str) -> str:
    """`id/`, where the things of the dataset live (void:uriSpace)."""
    return f"{base}id/"


def graph(base: str, path: str) -> ox.NamedNode:
    """`graph/{path}`, a named graph (graph/data/{file} for a bundled file, graph/inschatting/... ...)."""
    return ox.NamedNode(f"{base}graph/{path}")


def base_of_graph(graph_name: str) -> str | None:
    """The base URI of a graph name `{base}graph/...`, or None for another name."""
    return graph_name[: graph_name.index("/graph/") + 1] if "/graph/" in graph_name else None


def graph_path(base: str, graph_name: ox.NamedNode) -> str:
    """The path of a graph name under graph/ ("data/charter" of <graph/data/charter>)."""
    return graph_name.value[len(f"{base}graph/"):]


def bundled_graph(base: str, folder: str, relative: str) -> ox.NamedNode:
    """`graph/{folder}/{path}`, a file of a bundled folder (`graph/data/maturity-model`)."""
    return ox.NamedNode(f"{base}graph/{folder}/{quote(relative)}")


def file_graph(base: str, stem: str) -> ox.NamedNode:
    """`graph/file/{stem}`, a file loaded from elsewhere."""
    return ox.NamedNode(f"{base}graph/file/{quote(stem)}")


def graph_download(base: str, path: str, suffix: str) -> ox.NamedNode:
    """`graph/{path}.{suffix}`, a named graph in one serialisation (ttl, nt, jsonld, rdf)."""
    return ox.NamedNode(f"{base}graph/{path}.{suffix}")


def csv_download(base: str, path: str) -> ox.NamedNode:
    """`csv/{path}.csv`, an assessment as the CSV template (path: inschatting/...)."""
    return ox.NamedNode(f"{base}csv/{path}.csv")


def dump(base: str, path: str) -> ox.NamedNode:
    """`dump/{path}.ttl.gz`, the gzipped dump of the named graph graph/{path}."""
    return ox.NamedNode(f"{base}dump/{path}.ttl.gz")


def whole_dump(base: str) -> ox.NamedNode:
    """`dump/odmld.nq.gz`, the whole store as gzipped N-Quads."""
    return ox.NamedNode(f"{base}dump/odmld.nq.gz")


def dumps_graph(base: str) -> ox.NamedNode:
    """`graph/dumps`, the checksum and size of each graph's dump."""
    return ox.NamedNode(f"{base}graph/dumps")


def catalogue(base: str) -> ox.NamedNode:
    """`id/catalogus/odmld`, the DCAT catalogue."""
    return ox.NamedNode(f"{base}id/catalogus/odmld")


def catalogue_part(base: str, name: str) -> ox.NamedNode:
    """`id/catalogus/{name}`: sparql (the data service), volledig (the whole dataset), contact."""
    return ox.NamedNode(f"{base}id/catalogus/{name}")


def assessment_dataset(base: str, ref: str) -> ox.NamedNode:
    """`id/catalogus/inschatting/{ref}`, the catalogue's dataset of one assessment version."""
    return ox.NamedNode(f"{base}id/catalogus/inschatting/{ref}")


def catalogue_page(base: str, suffix: str | None, page: int) -> ox.NamedNode:
    """`catalog?page={n}` (or `catalog.{suffix}?page={n}`), a page of the catalogue document."""
    return ox.NamedNode(f"{base}catalog" + (f".{suffix}" if suffix else "") + f"?page={page}")


def void_graph(base: str) -> ox.NamedNode:
    """`graph/void`, the VoID description kept by the writes."""
    return ox.NamedNode(f"{base}graph/void")


def void_dataset(base: str) -> ox.NamedNode:
    """`.well-known/void`, the VoID dataset (RFC 5785)."""
    return ox.NamedNode(f"{base}.well-known/void")


def void_partition(base: str, folder: str, digest: str) -> ox.NamedNode:
    """`id/void/{klasse,eigenschap}/{hash}`, a class or property partition of the VoID description."""
    return ox.NamedNode(f"{base}id/void/{folder}/{digest}")


def sparql_service(base: str) -> ox.NamedNode:
    """`sparql`, the SPARQL endpoint."""
    return ox.NamedNode(f"{base}sparql")


def jsonld_context(base: str) -> str:
    """`ns/context.jsonld`, the JSON-LD context every JSON-LD answer names."""
    return f"{base}ns/context.jsonld"


def genid(base: str) -> str:
    """`.well-known/genid/`, where skolem IRIs live under the base (RDF 1.1 section 3.5)."""
    return f"{base}.well-known/genid/"


__all__ = [name for name, value in list(globals().items())  # the functions above, for `from .x import *`
           if callable(value) and getattr(value, "__module__", None) == __name__]
