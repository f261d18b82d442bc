"""Timings of the research queries on generated data: N organisations x Y yearly assessments.

    python bench/queries.py --organisations 300 --years 10 [--runs 5] [--store DIR]

Generates the data with odmld's own builders (the same triples `publish` writes: the assessment, its
scores and plan, its version provenance, and each organisation's odm:latestAssessment), loads it into a
fresh embedded store next to the model, and prints a Markdown table: load time, size on disk, and the
median and 95th-percentile latency of every research query. A benchmark prints figures; it never fails.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from odmld import queries  # noqa: E402
from odmld.assessment_graph import AssessmentParts, DomainPart, build_triples, mint_iri, version_triples  # noqa: E402
from odmld.loading import ParsedFile, parse_paths  # noqa: E402
from odmld.resources import default_load_paths  # noqa: E402
from odmld.scoring import score_triples  # noqa: E402
from odmld.store import Store  # noqa: E402

BASE = "http://bench.odmld.test/"
LEVELS = ["niet-aanwezig", "opgestart", "gevorderd", "verworven"]
NEEDS = ["geen-nood", "redelijke-nood", "sterke-nood"]
RESEARCH = ["latest-maturity", "ranking", "maturity-trend", "gap-versus-need", "centrumsteden-versus-rest",
            "least-served-principles", "portrait-versus-maturity", "datasets-three-stars", "most-improved",
            "domain-ranking", "top-priorities", "survey-findings-by-profile"]


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


def generate(store: Store, organisations: int, years: int, seed: int = 7) -> list[ParsedFile]:
    rng = random.Random(seed)
    files, shared = [], ox.NamedNode(f"{BASE}graph/bench/organisaties")
    org_quads = []
    for index in range(organisations):
        org_quads += organisation_quads(index, shared)
        organisation = ox.NamedNode(f"{BASE}id/organisatie/b{index}")
        maturity = [rng.randint(0, 2) for _ in range(11)]
        iri = None
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
            triples = (build_triples(parts, iri, BASE) + score_triples(store, parts, iri)
                       + version_triples(iri, 1, None, f"{2015 + year}-07-01T00:00:00"))
            graph = ox.NamedNode(f"{BASE}graph/inschatting/b{index}/{date}/v1")
            files.append(ParsedFile(Path(iri.value), graph,
                                    [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]))
        latest = ox.NamedNode(f"{BASE}graph/laatste/b{index}")
        files.append(ParsedFile(Path(latest.value), latest,
                                [ox.Quad(organisation, ox.NamedNode(f"{BASE}ns/odm#latestAssessment"), iri, latest)]))
    files.append(ParsedFile(Path(shared.value), shared, org_quads))
    return files


def size_on_disk(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def bindings(name: str) -> dict:
    if name == "maturity-trend":
        return {"organisation": ox.NamedNode(f"{BASE}id/organisatie/b1")}
    if name == "domain-ranking":
        return {"domain": ox.NamedNode(f"{BASE}id/maturiteitsdomein/4")}
    if name == "survey-findings-by-profile":
        return {"kind": ox.Literal("nood")}
    return {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=300)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--store", type=Path, default=None)
    args = parser.parse_args()
    path = args.store or Path(tempfile.mkdtemp()) / "store"
    store = Store(path, base_uri=BASE)
    store.replace_graphs(parse_paths(default_load_paths(), BASE))
    started = time.perf_counter()
    files = generate(store, args.organisations, args.years)
    generated = time.perf_counter() - started
    quads = sum(len(f.quads) for f in files)
    started = time.perf_counter()
    store.replace_graphs(files)
    store.flush()
    loaded = time.perf_counter() - started
    print(f"| {args.organisations} organisations x {args.years} years | {quads:,} quads | generated in "
          f"{generated:.1f} s | loaded in {loaded:.1f} s | {size_on_disk(path) / 1e6:.0f} MB on disk |")
    print()
    print("| query | rows | median ms | p95 ms |")
    print("|---|---|---|---|")
    for name in RESEARCH:
        timings, count = [], 0
        for _ in range(args.runs):
            began = time.perf_counter()
            count = len(store.select(queries.get(name).text, **bindings(name)))
            timings.append((time.perf_counter() - began) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]
        print(f"| {name} | {count} | {statistics.median(timings):.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
