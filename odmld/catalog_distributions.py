"""The distributions of the catalogue's datasets: one per RDF serialisation of the dataset's named graph,
a gzipped dump with its checksum, an assessment's CSV, each with its 5-star rating as a DQV measurement."""

from __future__ import annotations

import functools

import pyoxigraph as ox

from .catalog_terms import (ADMS_STATUS, AUTHORITY, DCAT, DCT, DQV, FILE_TYPE, RDF_TYPE, SERIALISATIONS, SPDX, XSD,
                            Entry, lit)
from . import vocab
from .dumps import Dump
from .stars import Rating, rate
from .terms import triple as t


def distribution(base: str, entry: Entry, key: str, url: str, media: str, file_type: str,
                 linked: bool = True) -> tuple[ox.NamedNode, list[ox.Triple]]:
    """One dcat:Distribution of `entry` (identifier `{entry}-{key}`) with what DCAT-AP VL asks and its
    5-star rating."""
    node = vocab.distribution(entry.dataset, key)
    download = ox.NamedNode(url)
    return node, [
        t(entry.dataset, DCAT + "distribution", node),
        t(node, RDF_TYPE.value, ox.NamedNode(DCAT + "Distribution")),
        t(node, DCT + "identifier", lit(f"{entry.identifier}-{key}")),
        t(node, DCT + "title", lit(f"{entry.identifier} ({file_type})", "nl")),
        t(node, DCT + "description", lit(f"{entry.identifier} als {file_type}: {url}", "nl")),
        t(node, DCT + "description", lit(f"{entry.identifier} as {file_type}: {url}", "en")),
        t(node, "http://data.europa.eu/r5r/availability", ox.NamedNode(AUTHORITY + "planned-availability/STABLE")),
        t(node, ADMS_STATUS, ox.NamedNode(AUTHORITY + "distribution-status/"
                                          + ("WITHDRAWN" if entry.withdrawn else "COMPLETED"))),
        t(node, DCT + "license", entry.licence),
        t(node, DCAT + "accessURL", download),
        t(node, DCAT + "downloadURL", download),
        t(node, DCAT + "mediaType", ox.NamedNode(f"https://www.iana.org/assignments/media-types/{media}")),
        t(node, DCT + "format", ox.NamedNode(FILE_TYPE + file_type)),
    ] + star_triples(base, node, media, entry.licence, linked)

def distribution_triples(base: str, entry: Entry) -> list[ox.Triple]:
    """One distribution per RDF serialisation: a download of the dataset's named graph."""
    triples = []
    for suffix, (media, file_type) in SERIALISATIONS.items():
        node, described = distribution(base, entry, suffix, vocab.graph_download(base, entry.graph_path, suffix).value,
                                       media, file_type)
        triples += described + [t(node, DCAT + "accessService", vocab.catalogue_part(base, "sparql"))]
    return triples

def dump_triples(base: str, entry: Entry, url: str, media: str, file_type: str,
                 dump: Dump | None) -> list[ox.Triple]:
    """A gzipped dump as a distribution, with its SHA-256 checksum and byte size when `dump` is given."""
    node, triples = distribution(base, entry, "dump", url, media, file_type)
    triples.append(t(node, DCAT + "compressFormat",
                     ox.NamedNode("https://www.iana.org/assignments/media-types/application/gzip")))
    if dump is None:
        return triples
    checksum = vocab.checksum(node)
    return triples + [
        t(node, DCAT + "byteSize", lit(str(dump.size), datatype=XSD + "nonNegativeInteger")),
        t(node, SPDX + "checksum", checksum),
        t(checksum, RDF_TYPE.value, ox.NamedNode(SPDX + "Checksum")),
        t(checksum, SPDX + "algorithm", ox.NamedNode(SPDX + "checksumAlgorithm_sha256")),
        t(ox.NamedNode(SPDX + "checksumAlgorithm_sha256"), RDF_TYPE.value, ox.NamedNode(SPDX + "ChecksumAlgorithm")),
        t(checksum, SPDX + "checksumValue", lit(dump.sha256, datatype=XSD + "hexBinary")),
    ]

def csv_triples(base: str, entry: Entry) -> list[ox.Triple]:
    """An assessment also as the CSV template a city fills in (domain, maturity, need, evidence)."""
    return distribution(base, entry, "csv", vocab.csv_download(base, entry.graph_path).value, "text/csv", "CSV",
                        linked=False)[1]

@functools.lru_cache(maxsize=64)
def _rating(media: str, licence: str, linked: bool) -> Rating:
    """The rating of a distribution's media type and licence (a page rates 300 distributions of a few
    kinds)."""
    return rate(media, licence, links_to_other_data=linked)


def star_triples(base: str, distribution: ox.NamedNode, media: str,
                 licence: ox.NamedNode, linked: bool = True) -> list[ox.Triple]:
    """The distribution's 5-star rating as a DQV measurement. Every odmld graph links to other data
    (organisations to the Flemish registries and Wikidata, terms to SKOS, DQV, DCAT, OSLO)."""
    rating = _rating(media, licence.value, linked)
    measurement = vocab.star_rating(distribution)
    return [t(distribution, DQV + "hasQualityMeasurement", measurement),
            t(measurement, RDF_TYPE.value, ox.NamedNode(DQV + "QualityMeasurement")),
            t(measurement, DQV + "isMeasurementOf", vocab.metric(base, "vijf-sterren")),
            t(measurement, DQV + "computedOn", distribution),
            t(measurement, DQV + "value", lit(str(rating.stars), datatype=XSD + "integer"))]
