"""The DCAT-AP Vlaanderen catalogue: the static description in data/catalog.ttl, plus what is computed.

Computed here: one dcat:Distribution per serialisation of every dataset (a download of its named graph),
one dcat:Dataset per published assessment version (publisher: the assessed organisation), and a
dcat:CatalogRecord per dataset with a stable identifier, which is what the Flemish harvester keys on.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from . import queries, statistics
from .dumps import Dump, graph_dump
from .scoring import integer
from .stars import rate
from .store_api import Store
from .terms import triple as t

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
MDCAT = "https://data.vlaanderen.be/ns/metadata-dcat#"
DQV = "http://www.w3.org/ns/dqv#"
SPDX = "http://spdx.org/rdf/terms#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
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


def static_part(store: Store) -> list[ox.Triple]:
    graph = ox.NamedNode(f"{store.base_uri}graph/data/catalog")
    return list(store.query(queries.get("all-triples").text, default_graph=[graph]))


def bundled_entries(base: str, static: list[ox.Triple], default: ox.NamedNode) -> list[Entry]:
    """The datasets described in data/catalog.ttl (but the whole store's), by identifier."""
    found = [Entry(triple.subject, f"odmld-{triple.subject.value.rsplit('/', 1)[-1]}",
                   f"data/{triple.subject.value.rsplit('/', 1)[-1]}", default)
             for triple in static
             if triple.predicate == RDF_TYPE and triple.object.value == DCAT + "Dataset"
             and triple.subject.value != f"{base}id/catalogus/volledig"]
    return sorted(found, key=lambda entry: entry.identifier)


class CatalogueTooLarge(Exception):
    """The whole catalogue lists more datasets than a deployment gives in one document: it would make
    every graph's dump for its checksum (the first request after a write)."""

    def __init__(self, count: int, most: int) -> None:
        super().__init__(f"the catalogue lists {count} datasets, more than the {most} given in one "
                         "document here; harvest it page by page from /catalog (hydra:next)")


def assessment_entries(base: str, assessments: list[dict], default: ox.NamedNode) -> list[Entry]:
    """One dataset per assessment version, in the order of `assessments` (of publication)."""
    found = []
    for row in assessments:
        ref = row["assessment"].value[len(f"{base}id/inschatting/"):]
        found.append(Entry(ox.NamedNode(f"{base}id/catalogus/inschatting/{ref}"),
                           "odmld-inschatting-" + ref.replace("/", "-"), f"inschatting/{ref}",
                           row["licence"] if "licence" in row else default, "withdrawn" in row))
    return found


def page_assessments(store: Store, bundled: int, page: int | None, page_size: int) -> list[dict]:
    """The assessment versions a page shows: the catalogue lists the `bundled` datasets first, then every
    version in the order of publication, so a page's versions are looked up by their positions."""
    if page is None:
        return store.select(queries.get("catalog-assessments").text)
    first, last = (page - 1) * page_size - bundled + 1, page * page_size - bundled  # positions, from 1
    if last < 1:
        return []
    positions = [integer(position) for position in range(max(first, 1), last + 1)]
    return store.select(queries.get("catalog-assessments").text, position=positions)


def assessment_triples(base: str, assessments: list[dict], default: ox.NamedNode) -> list[ox.Triple]:
    """The dcat:Dataset of every assessment version, described from the assessment itself."""
    triples = []
    for row in assessments:
        ref = row["assessment"].value[len(f"{base}id/inschatting/"):]
        dataset = ox.NamedNode(f"{base}id/catalogus/inschatting/{ref}")
        date, version, name = row["date"].value, row["version"].value, row["name"].value
        generated = lit(row["generated"].value, datatype=XSD + "dateTime")
        organisation = row["organisation"]
        licence = row["licence"] if "licence" in row else default
        period = ox.NamedNode(f"{dataset.value}/periode")
        day = lit(date, datatype=XSD + "date")
        triples += [
            t(licence, RDF_TYPE.value, ox.NamedNode(DCT + "LicenseDocument")),
            t(organisation, RDF_TYPE.value, ox.NamedNode(FOAF + "Agent")),
            t(dataset, DCT + "spatial", ox.NamedNode(AUTHORITY + "country/BEL")),
            t(dataset, DCAT + "keyword", lit("open data", "nl")),
            t(dataset, DCAT + "keyword", lit("maturiteit", "nl")),
            t(dataset, DCAT + "keyword", lit("open data", "en")),
            t(dataset, DCAT + "keyword", lit("maturity", "en")),
            t(dataset, DCT + "temporal", period),
            t(period, RDF_TYPE.value, ox.NamedNode(DCT + "PeriodOfTime")),
            t(period, DCAT + "startDate", day),
            t(period, DCAT + "endDate", day),
            t(dataset, RDF_TYPE.value, ox.NamedNode(DCAT + "Dataset")),
            t(dataset, RDF_TYPE.value, ox.NamedNode(DCAT + "Resource")),
            t(dataset, DCT + "title", lit(f"Open data maturiteit {name}, {date} (versie {version})", "nl")),
            t(dataset, DCT + "title", lit(f"Open data maturity of {name}, {date} (version {version})", "en")),
            t(dataset, DCT + "description", lit(
                f"Maturiteitsinschatting van {name} op {date}, versie {version}: maturiteit en nood per "
                "domein, scores en remediëringsplan.", "nl")),
            t(dataset, DCT + "description", lit(
                f"Maturity assessment of {name} on {date}, version {version}: maturity and need per "
                "domain, scores and remediation plan.", "en")),
            t(dataset, DCT + "identifier", lit("odmld-inschatting-" + ref.replace("/", "-"))),
            t(dataset, DCT + "publisher", organisation),
            t(organisation, RDF_TYPE.value, ox.NamedNode(DCT + "Agent")),
            t(organisation, FOAF + "name", lit(name, "nl")),
            t(dataset, DCAT + "contactPoint", ox.NamedNode(f"{base}id/catalogus/contact")),
            t(dataset, DCT + "license", licence),
            t(dataset, MDCAT + "statuut", VLOPENDATA),
            t(dataset, DCT + "accessRights", PUBLIC),
            t(dataset, DCAT + "theme", ox.NamedNode("https://vocab.belgif.be/auth/datatheme/GOVE")),
            t(dataset, DCT + "issued", generated),
            t(dataset, DCT + "modified", generated),
            t(dataset, FOAF + "primaryTopic", row["assessment"]),
            t(ox.NamedNode(f"{base}id/catalogus/odmld"), DCAT + "dataset", dataset),
            t(ox.NamedNode(f"{base}id/catalogus/sparql"), DCAT + "servesDataset", dataset),
        ]
        if "publisher_type" in row:
            triples.append(t(organisation, DCT + "type", row["publisher_type"]))
    return triples


def distribution(base: str, entry: Entry, key: str, url: str, media: str, file_type: str,
                 linked: bool = True) -> tuple[ox.NamedNode, list[ox.Triple]]:
    """One dcat:Distribution of `entry` (identifier `{entry}-{key}`) with what DCAT-AP VL asks and its
    5-star rating."""
    node = ox.NamedNode(f"{entry.dataset.value}/distributie/{key}")
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
        node, described = distribution(base, entry, suffix, f"{base}graph/{entry.graph_path}.{suffix}",
                                       media, file_type)
        triples += described + [t(node, DCAT + "accessService", ox.NamedNode(f"{base}id/catalogus/sparql"))]
    return triples


def dump_triples(base: str, entry: Entry, url: str, media: str, file_type: str,
                 dump: Dump | None) -> list[ox.Triple]:
    """A gzipped dump as a distribution, with its SHA-256 checksum and byte size when `dump` is given."""
    node, triples = distribution(base, entry, "dump", url, media, file_type)
    triples.append(t(node, DCAT + "compressFormat",
                     ox.NamedNode("https://www.iana.org/assignments/media-types/application/gzip")))
    if dump is None:
        return triples
    checksum = ox.NamedNode(f"{node.value}/checksum")
    return triples + [
        t(node, DCAT + "byteSize", lit(str(dump.size), datatype=XSD + "nonNegativeInteger")),
        t(node, SPDX + "checksum", checksum),
        t(checksum, RDF_TYPE.value, ox.NamedNode(SPDX + "Checksum")),
        t(checksum, SPDX + "algorithm", ox.NamedNode(SPDX + "checksumAlgorithm_sha256")),
        t(checksum, SPDX + "checksumValue", lit(dump.sha256, datatype=XSD + "hexBinary")),
    ]


def csv_triples(base: str, entry: Entry) -> list[ox.Triple]:
    """An assessment also as the CSV template a city fills in (domain, maturity, need, evidence)."""
    return distribution(base, entry, "csv", f"{base}csv/{entry.graph_path}.csv", "text/csv", "CSV",
                        linked=False)[1]


def star_triples(base: str, distribution: ox.NamedNode, media: str,
                 licence: ox.NamedNode, linked: bool = True) -> list[ox.Triple]:
    """The distribution's 5-star rating as a DQV measurement. Every odmld graph links to other data
    (organisations to the Flemish registries and Wikidata, terms to SKOS, DQV, DCAT, OSLO)."""
    rating = rate(media, licence.value, links_to_other_data=linked)
    measurement = ox.NamedNode(f"{distribution.value}/sterren")
    return [t(distribution, DQV + "hasQualityMeasurement", measurement),
            t(measurement, RDF_TYPE.value, ox.NamedNode(DQV + "QualityMeasurement")),
            t(measurement, DQV + "isMeasurementOf", ox.NamedNode(f"{base}id/metriek/vijf-sterren")),
            t(measurement, DQV + "computedOn", distribution),
            t(measurement, DQV + "value", lit(str(rating.stars), datatype=XSD + "integer"))]


def record_triples(base: str, entry: Entry, issued: ox.Literal, modified: ox.Literal) -> list[ox.Triple]:
    """The dataset's catalogue record: created when it was published, Deleted once withdrawn."""
    record = ox.NamedNode(f"{entry.dataset.value}/record")
    return [t(ox.NamedNode(f"{base}id/catalogus/odmld"), DCAT + "record", record),
            t(record, RDF_TYPE.value, ox.NamedNode(DCAT + "CatalogRecord")),
            t(record, DCT + "identifier", lit(entry.identifier)),
            t(record, FOAF + "primaryTopic", entry.dataset),
            t(record, DCT + "conformsTo", PROFILE),
            t(record, ADMS_STATUS, DELETED if entry.withdrawn else CREATED),
            t(record, DCT + "issued", issued),
            t(record, DCT + "modified", modified)]


def catalogue(store: Store, page: int | None = None, page_size: int = 50,
              licence: str = CC_BY.value, most: int | None = None) -> tuple[list[ox.Triple], int]:
    """The catalogue's triples (all datasets, or one page of them) and the number of pages.

    `licence` is the deployment's licence for the model's datasets (ODMLD_LICENCE); an assessment
    carries the licence its city chose, or that one. The whole catalogue (no `page`) of more than
    `most` datasets is refused with CatalogueTooLarge (ODMLD_WHOLE_CATALOGUE_LIMIT).
    """
    default = ox.NamedNode(licence)
    static = [t(x.subject, x.predicate.value, default)
              if x.predicate.value == DCT + "license" and x.object == CC_BY else x
              for x in static_part(store)]
    static.append(t(default, RDF_TYPE.value, ox.NamedNode(DCT + "LicenseDocument")))
    base = store.base_uri
    bundled = bundled_entries(base, static, default)
    published = statistics.published_versions(statistics.read_totals(store))
    if page is None and most is not None and len(bundled) + published > most:
        raise CatalogueTooLarge(len(bundled) + published, most)
    pages = statistics.page_count(len(bundled) + published, page_size)
    assessments = page_assessments(store, len(bundled), page, page_size)
    chosen = (bundled if page is None else bundled[(page - 1) * page_size:page * page_size]) + \
        assessment_entries(base, assessments, default)
    chosen_ids = {entry.dataset for entry in chosen}
    every_bundled = {entry.dataset for entry in bundled}
    whole_dataset = ox.NamedNode(f"{base}id/catalogus/volledig")
    if page in (None, 1):
        chosen_ids.add(whole_dataset)
    modified = {triple.subject: triple.object for triple in static
                if triple.predicate.value == DCT + "modified"}
    issued = {triple.subject: triple.object for triple in static if triple.predicate.value == DCT + "issued"}
    triples = [triple for triple in static
               if not (triple.predicate.value in (DCAT + "dataset", DCAT + "servesDataset")
                       and triple.object not in chosen_ids)
               and not (triple.subject in every_bundled and triple.subject not in chosen_ids)
               and not (page not in (None, 1) and whole_dataset in (triple.subject, triple.object))]
    triples += assessment_triples(base, assessments, default)
    for triple in triples:
        if triple.predicate.value == DCT + "modified":
            modified.setdefault(triple.subject, triple.object)
        if triple.predicate.value == DCT + "issued":
            issued.setdefault(triple.subject, triple.object)
    for entry in chosen:
        triples += distribution_triples(base, entry)
        if entry.graph_path.startswith("inschatting/"):
            triples += csv_triples(base, entry)
        triples += dump_triples(base, entry, f"{base}dump/{entry.graph_path}.ttl.gz", "text/turtle",
                                "RDF_TURTLE", graph_dump(store, ox.NamedNode(f"{base}graph/{entry.graph_path}")))
        triples += record_triples(base, entry, issued[entry.dataset], modified[entry.dataset])
    if page in (None, 1):
        whole_entry = Entry(whole_dataset, "odmld-volledig", "", default)
        # no checksum or size: the whole store's dump changes with every write and takes minutes to make
        # for a large store; its download says its SHA-256 in the Repr-Digest header
        triples += dump_triples(base, whole_entry, f"{base}dump/odmld.nq.gz", "application/n-quads",
                                "RDF_N_QUADS", None)
        triples += record_triples(base, whole_entry, issued[whole_dataset], modified[whole_dataset])
    return triples, pages

