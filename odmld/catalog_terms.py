"""The terms the catalogue is written in, and one dataset of it (Entry), shared by catalog.py and
catalog_distributions.py."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .vocab import RDF_TYPE, XSD

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
MDCAT = "https://data.vlaanderen.be/ns/metadata-dcat#"
DQV = "http://www.w3.org/ns/dqv#"
SPDX = "http://spdx.org/rdf/terms#"
CC_BY = ox.NamedNode("https://creativecommons.org/licenses/by/4.0/")
VLOPENDATA = ox.NamedNode("https://metadata.vlaanderen.be/id/GDI-Vlaanderen-Trefwoorden/VLOPENDATA")
PUBLIC = ox.NamedNode("http://publications.europa.eu/resource/authority/access-right/PUBLIC")
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
AUTHORITY = "http://publications.europa.eu/resource/authority/"
ADMS_STATUS = "http://www.w3.org/ns/adms#status"
# DCAT-AP 3.0.1 / 2.x, Catalogue Record "change type" (ADMS change type vocabulary): a withdrawn version's
# record says Deleted; its distributions the EU distribution status WITHDRAWN.
CREATED, DELETED = (ox.NamedNode(f"http://purl.org/adms/changetype/{name}") for name in ("Created", "Deleted"))
PROFILE = ox.NamedNode("https://data.vlaanderen.be/doc/applicatieprofiel/DCAT-AP-VL/erkendestandaard/2022-04-21")
# suffix -> (media type, EU file type)
SERIALISATIONS = {"ttl": ("text/turtle", "RDF_TURTLE"), "nt": ("application/n-triples", "RDF_N_TRIPLES"),
                  "rdf": ("application/rdf+xml", "RDF_XML"), "jsonld": ("application/ld+json", "JSON_LD")}


@dataclass(frozen=True)
class Entry:
    """One dataset of the catalogue and the named graph its distributions download."""
    dataset: ox.NamedNode
    identifier: str
    graph_path: str   # under {base}graph/
    licence: ox.NamedNode
    withdrawn: bool = False


def lit(value: str, lang: str | None = None, datatype: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(value, language=lang)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)
