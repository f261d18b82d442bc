"""Generated assessment data for the benchmarks: N organisations x Y yearly assessments.

The data is made with odmld's own builders (the same triples `publish` writes: the assessment, its
scores and plan, its version provenance; then what odmld derives from them, each organisation's latest
assessment and publication positions and the statistics, by odmld's own rebuild), so what the benchmarks measure
is what a real store of that size would hold. `load_generated` writes it into a fresh
embedded store with pyoxigraph's bulk loader, one organisation batch at a time, so memory stays flat.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pyoxigraph as ox

from odmld.assessment_graph import AssessmentParts, DomainPart, build_triples, mint_iri, version_triples
from odmld.loading import ParsedFile, parse_paths
from odmld.publishing import rebuild_statistics
from odmld.resources import default_load_paths
from odmld.scoring import model_inputs, score_triples
from odmld.embedded_store import EmbeddedStore as Store
from odmld.store_api import operation

BASE = "http://bench.odmld.test/"
LEVELS = ["niet-aanwezig", "opgestart", "gevorderd", "verworven"]
NEEDS = ["geen-nood", "redelijke-nood", "sterke-nood"]
BATCH = 200  # organisations per bulk write
# What odmld derives from the assessments, as a number that goes up when that changes, so a kept store is
# derived again: 1 latest assessments and statistics, 2 and publication positions, 3 and the latest ranks
# per domain.
DERIVATION = 3


def organisation_quads(index: int, graph: ox.NamedNode) -> list[ox.Quad]:
    node = ox.NamedNode(f"{BASE}id/organisatie/b{index}")
    skos, dct = "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/terms/"
    quads = [ox.Quad(node, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                     ox.NamedNode("http://www.w3.org/ns/org#Organization"), graph),
             ox.Quad(node, ox.NamedNode(skos + "prefLabel"), ox.Literal(f"Bestuur {index}", language="nl"), graph),
             ox.Quad(node, ox.NamedNode(dct + "identifier"), ox.Literal(f"b{index}"), graph)]
    if index < 13:
        quads.append(ox.Quad(node, ox.NamedNode("http://www.w3.org/ns/org#classification"),
                             ox.NamedNode(f"{BASE}id/organisatietype/centrumstad"), graph))
    return quads


def generate(store: Store, organisations: range, years: int, seed: int = 7) -> list[ParsedFile]:
    """The graphs of these organisations: one per assessment, one shared."""
    rng = random.Random(seed * 1_000_003 + organisations.start)
    model = model_inputs(store)
    files, shared = [], ox.NamedNode(f"{BASE}graph/bench/organisaties")
    org_quads = []
    for index in organisations:
        org_quads += organisation_quads(index, shared)
        organisation = ox.NamedNode(f"{BASE}id/organisatie/b{index}")
        maturity = [rng.randint(0, 2) for _ in range(11)]
        for year in range(years):
            maturity = [min(3, m + (rng.random() < 0.3)) for m in maturity]
            date = f"{2015 + year}-06-30"
            parts = AssessmentParts(
                organisation=organisation,
                date=ox.Literal(date, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
                method=ox.NamedNode(f"{BASE}id/methode/zelfevaluatie"),
                domains=[DomainPart(ox.NamedNode(f"{BASE}id/maturiteitsdomein/{n + 1}"),
                                    ox.NamedNode(f"{BASE}id/maturiteitsniveau/{LEVELS[maturity[n]]}"),
                                    ox.NamedNode(f"{BASE}id/noodniveau/{NEEDS[rng.randint(0, 2)]}"), None)
                         for n in range(11)])
            iri = mint_iri(BASE, f"b{index}", date, 1)
            triples = (build_triples(parts, iri, BASE) + score_triples(store, parts, iri, model)
                       + version_triples(iri, 1, None, f"{2015 + year}-07-01T00:00:00"))
            graph = ox.NamedNode(f"{BASE}graph/inschatting/b{index}/{date}/v1")
            files.append(ParsedFile(Path(iri.value), graph,
                                    [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]))
    files.append(ParsedFile(Path(shared.value), shared, org_quads))
    return files


@operation
def add_quads(writer, quads: list[ox.Quad]) -> None:
    """Add generated quads as they are (the bulk loader: the store nobody reads yet is filled fast)."""
    writer.add(quads)


def load_generated(path: Path, organisations: int, years: int) -> tuple[Store, int, float, float]:
    """A fresh store at `path` with the model and the generated data.

    Returns the store, its quads, the seconds spent generating and the seconds spent writing.
    """
    store = Store(path, base_uri=BASE)
    store.replace_graphs(parse_paths(default_load_paths(), BASE))
    quads, generating, writing = len(store), 0.0, 0.0
    for start in range(0, organisations, BATCH):
        began = time.perf_counter()
        files = generate(store, range(start, min(organisations, start + BATCH)), years)
        batch = [quad for parsed in files for quad in parsed.quads]
        wrote = time.perf_counter()
        store.write(add_quads, batch)
        generating, writing = generating + wrote - began, writing + time.perf_counter() - wrote
        quads += len(batch)
    return store, quads, generating, writing


def prepared_store(stores: Path, organisations: int, years: int) -> tuple[Path, dict]:
    """The generated store for this size under `stores`, made on first use and reused after.

    Returns its folder and what making it took ({"quads", "generated", "loaded"} in seconds, and
    "derived": setting the latest assessments and publication positions and adding up the statistics,
    by odmld's own rebuild; done again on a store derived by an older odmld).
    """
    path = stores / f"{organisations}x{years}" / "store"
    marker = path.parent / "loaded.json"
    if not marker.exists():
        fresh, quads, generated, loaded = load_generated(path, organisations, years)
        del fresh  # closes it, so others can open the folder
        marker.write_text(json.dumps({"quads": quads, "generated": generated, "loaded": loaded}))
    made = json.loads(marker.read_text())
    if made.get("derivation") != DERIVATION:
        began = time.perf_counter()
        store = Store(path, base_uri=BASE)
        rebuild_statistics(store)
        del store
        made["derived"], made["derivation"] = time.perf_counter() - began, DERIVATION
        marker.write_text(json.dumps(made))
    return path, made


def size_on_disk(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
