"""The DCAT-AP Vlaanderen catalogue: the static description in data/catalog.ttl, plus what is computed.

Computed here: one dcat:Distribution per serialisation of every dataset (a download of its named graph),
one dcat:Dataset per published assessment version (publisher: the assessed organisation), and a
dcat:CatalogRecord per dataset with a stable identifier, which is what the Flemish harvester keys on.
"""

from __future__ import annotations

import pyoxigraph as ox

from . import dump_digests, vocab
from .sparql import library as queries
from .assessments import statistics
from .catalog_distributions import csv_triples, distribution_triples, dump_triples
from .catalog_terms import (ADMS_STATUS, AUTHORITY, CC_BY, CREATED, DCAT, DCT, DELETED, FOAF, MDCAT, PROFILE,
                            PUBLIC, RDF_TYPE, VLOPENDATA, XSD, Entry, lit)
from .dumps import Dump, graph_dump
from .errors import Forbidden
from .vocab import integer
from .store_api import Store
from .terms import triple as t

def static_part(store: Store) -> list[ox.Triple]:
    graph = vocab.graph(store.base_uri, "data/catalog")
    return list(store.query(queries.get("all-triples").text, default_graph=[graph]))


def bundled_entries(base: str, static: list[ox.Triple], default: ox.NamedNode) -> list[Entry]:
    """The datasets described in data/catalog.ttl (but the whole store's), by identifier."""
    found = [Entry(triple.subject, f"odmld-{vocab.notation(triple.subject)}", f"data/{vocab.notation(triple.subject)}",
                   default)
             for triple in static
             if triple.predicate == RDF_TYPE and triple.object.value == DCAT + "Dataset"
             and triple.subject != vocab.catalogue_part(base, "volledig")]
    return sorted(found, key=lambda entry: entry.identifier)


class CatalogueTooLarge(Forbidden):
    """The whole catalogue lists more datasets than a deployment gives in one document (about 15 KB
    and 150 statements a dataset): 403."""

    def __init__(self, count: int, most: int) -> None:
        super().__init__(f"the catalogue lists {count} datasets, more than the {most} given in one "
                         "document here; harvest it page by page from /catalog (hydra:next)")


def assessment_entries(base: str, assessments: list[dict], default: ox.NamedNode) -> list[Entry]:
    """One dataset per assessment version, in the order of `assessments` (of publication)."""
    found = []
    for row in assessments:
        ref = vocab.assessment_ref(base, row["assessment"])
        found.append(Entry(vocab.assessment_dataset(base, ref),
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
        ref = vocab.assessment_ref(base, row["assessment"])
        dataset = vocab.assessment_dataset(base, ref)
        date, version, name = row["date"].value, row["version"].value, row["name"].value
        name_en = row["name_en"].value if "name_en" in row else name
        generated = lit(row["generated"].value, datatype=XSD + "dateTime")
        organisation = row["organisation"]
        licence = row["licence"] if "licence" in row else default
        period = vocab.period(dataset)
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
            t(dataset, DCT + "title", lit(f"Open data maturity of {name_en}, {date} (version {version})", "en")),
            t(dataset, DCT + "description", lit(
                f"Maturiteitsinschatting van {name} op {date}, versie {version}: maturiteit en nood per "
                "domein, scores en remediëringsplan.", "nl")),
            t(dataset, DCT + "description", lit(
                f"Maturity assessment of {name_en} on {date}, version {version}: maturity and need per "
                "domain, scores and remediation plan.", "en")),
            t(dataset, DCT + "identifier", lit("odmld-inschatting-" + ref.replace("/", "-"))),
            t(dataset, DCT + "publisher", organisation),
            t(organisation, RDF_TYPE.value, ox.NamedNode(DCT + "Agent")),
            t(organisation, FOAF + "name", lit(name, "nl")),
            t(dataset, DCAT + "contactPoint", vocab.catalogue_part(base, "contact")),
            t(dataset, DCT + "license", licence),
            t(dataset, MDCAT + "statuut", VLOPENDATA),
            t(dataset, DCT + "accessRights", PUBLIC),
            t(dataset, DCAT + "theme", ox.NamedNode("https://vocab.belgif.be/auth/datatheme/GOVE")),
            t(dataset, DCT + "issued", generated),
            t(dataset, DCT + "modified", generated),
            t(dataset, FOAF + "primaryTopic", row["assessment"]),
            t(vocab.catalogue(base), DCAT + "dataset", dataset),
            t(vocab.catalogue_part(base, "sparql"), DCAT + "servesDataset", dataset),
        ]
        if "publisher_type" in row:
            triples.append(t(organisation, DCT + "type", row["publisher_type"]))
    return triples


def entry_dumps(store: Store, entries: list[Entry]) -> dict[ox.NamedNode, Dump]:
    """The checksum and size of each entry's graph dump, as the writes kept them (one query); the dump
    is made only for a graph written before odmld kept them (dump_digests.py)."""
    graphs = {entry.dataset: vocab.graph(store.base_uri, entry.graph_path) for entry in entries}
    found = dump_digests.kept(store, list(set(graphs.values())))
    return {dataset: Dump(*found[graph]) if graph in found else graph_dump(store, graph)
            for dataset, graph in graphs.items()}


def record_triples(base: str, entry: Entry, issued: ox.Literal, modified: ox.Literal) -> list[ox.Triple]:
    """The dataset's catalogue record: created when it was published, Deleted once withdrawn."""
    record = vocab.record(entry.dataset)
    return [t(vocab.catalogue(base), DCAT + "record", record),
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
    published = int(store.select(queries.get("published-versions").text)[0]["versions"].value)
    if page is None and most is not None and len(bundled) + published > most:
        raise CatalogueTooLarge(len(bundled) + published, most)
    pages = statistics.page_count(len(bundled) + published, page_size)
    assessments = page_assessments(store, len(bundled), page, page_size)
    chosen = (bundled if page is None else bundled[(page - 1) * page_size:page * page_size]) + \
        assessment_entries(base, assessments, default)
    chosen_ids = {entry.dataset for entry in chosen}
    every_bundled = {entry.dataset for entry in bundled}
    whole_dataset = vocab.catalogue_part(base, "volledig")
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
    dumps = entry_dumps(store, chosen)
    for entry in chosen:
        triples += distribution_triples(base, entry)
        if entry.graph_path.startswith("inschatting/"):
            triples += csv_triples(base, entry)
        triples += dump_triples(base, entry, vocab.dump(base, entry.graph_path).value, "text/turtle",
                                "RDF_TURTLE", dumps[entry.dataset])
        triples += record_triples(base, entry, issued[entry.dataset], modified[entry.dataset])
    if page in (None, 1):
        whole_entry = Entry(whole_dataset, "odmld-volledig", "", default)
        # no checksum or size: the whole store's dump changes with every write and takes minutes to make
        # for a large store; its download says its SHA-256 in the Repr-Digest header
        triples += dump_triples(base, whole_entry, vocab.whole_dump(base).value, "application/n-quads",
                                "RDF_N_QUADS", None)
        triples += record_triples(base, whole_entry, issued[whole_dataset], modified[whole_dataset])
    return triples, pages

