"""Timings of the query library on generated data: N organisations x Y yearly assessments.

    python bench/queries.py --organisations 300 --years 10 [--runs 5] [--stores DIR] [--internal]
                            [--only QUERY ...]

Generates the data with odmld's own builders (bench/generate.py), bulk-loads it into a fresh embedded
store next to the model, and prints a Markdown table: load time, size on disk, and the median and
95th-percentile latency of every query of the library (queries/), each read to its last row as the app
reads it (`Store.select`); a parameter the query calls optional is left unbound (its whole answer), and
latest-maturity is timed for one domain too. `--internal` times the app's own queries
(queries/internal/) as well, bound to sample values as bench/run.py binds them, but not those no
request runs (UPKEEP: a rebuild, a load, the store's checks when it is opened), which read the whole
store by design. A benchmark prints figures; it never fails.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import BASE, prepared_store, size_on_disk  # noqa: E402
from run import SAMPLES, SUBMISSION_ONLY  # noqa: E402
from odmld.sparql import library as queries  # noqa: E402
from odmld.embedded_store import EmbeddedStore as Store  # noqa: E402
from odmld import vocab  # noqa: E402
from odmld.rankings import MOST  # noqa: E402
from odmld.ranking_walk import STRETCH  # noqa: E402
from odmld.store_api import rows_of as rows  # noqa: E402

# Bindings of the library's queries where they differ from bench/run.py's samples: its optional
# parameters unbound (the whole answer), and latest-maturity for one domain as well.
LIBRARY_CASES = {"latest-maturity": [{}, {"domain": SAMPLES["domain"]}], "smart-portrait": [{}],
                 "domains": [{}], "survey-findings-by-profile": [{"kind": ox.Literal("nood")}]}
# The app's own queries that no request runs, not timed: a rebuild (`odmld statistics`), a load, the
# register set again after a write of organisations, the store's checks when it is opened, the CLI.
UPKEEP = {"all-triples", "latest-domain-ranks", "publication-order", "organisation-version-counts",
          "event-history", "register-sources", "store-base-graphs", "store-counts", "store-graphs",
          "store-holds-anything", "store-ontology-iris", "store-size", "store-union-check",
          "survey-answer-scales", "organisation-exists"} | SUBMISSION_ONLY
# Sample values for the app's own parameters that bench/run.py does not bind: a search key a few
# generated names share ("Bestuur 123", "Bestuur 1230", ...: the app looks a key up only when at most
# register.COMMON organisations share it, and reads the register in name order otherwise), one version's
# graph; the places of the rankings are the most crowded (see `places`).
INTERNAL_SAMPLES = {
    "key": ox.Literal("123"), "identifier": ox.Literal("b1"), "base": ox.Literal(BASE),
    "graph": ox.NamedNode(f"{BASE}graph/inschatting/b1/2020-06-30/v1"),
    "kind": {"organisations-of-kind-page": ox.NamedNode(f"{BASE}id/organisatietype/centrumstad")},
    # what a request binds: a stretch of the ranking walk's observations (odmld.ranking_walk), the 50
    # dumps of a catalogue page, the subjects of a write's changes (odmld.kept_write)
    "counted": [vocab.latest_observation(BASE, vocab.organisation(BASE, f"b{n}"), SAMPLES["domain"].value)
                for n in range(STRETCH)],
    "dump": [vocab.dump(BASE, f"inschatting/b{n}/2020-06-30/v1") for n in range(50)],
    "subject": [vocab.assessment(BASE, "b1", "2020-06-30", 1)],
}


def places(store: Store) -> dict[str, ox.NamedNode]:
    """The places of each ranking (by average maturity; of domain 4) as the top of a ranking asks them
    (odmld.rankings): the place-first queries the most crowded place; ranking-at the most crowded place
    that counts at most rankings.MOST, the most it is asked for."""
    def crowded(rows: list[dict], most: int | None = None) -> ox.NamedNode:
        rows = [row for row in rows if most is None or int(row["organisations"].value) <= most] or rows
        return max(rows, key=lambda row: int(row["organisations"].value))["place"]
    average = store.select(queries.get("ranking-places").text)
    domain = store.select(queries.get("domain-ranking-places").text, domain=SAMPLES["domain"])
    return {"ranking-at": crowded(average, MOST), "ranking-place-first": crowded(average),
            "domain-ranking-at": crowded(domain, MOST), "domain-ranking-place-first": crowded(domain)}


def cases(name: str) -> list[dict]:
    """The bindings to time the query `name` with: one set, or (LIBRARY_CASES) several."""
    if name in LIBRARY_CASES:
        return LIBRARY_CASES[name]
    found = {}
    for parameter in queries.get(name).parameters:
        value = INTERNAL_SAMPLES.get(parameter, SAMPLES.get(parameter))
        if isinstance(value, dict):
            value = value.get(name, SAMPLES.get(parameter))
        if value is not None:
            found[parameter] = value
    return [found]


def rows_of(store: Store, name: str, bound: dict) -> int:
    """Run the query and read every row as the app does (a SELECT as dictionaries; a graph's
    triples; an ASK's answer), how many."""
    answer = store.query(queries.get(name).text, bindings=bound)
    if isinstance(answer, ox.QueryBoolean):
        return 1
    if isinstance(answer, ox.QuerySolutions):
        return len(rows(answer))
    return sum(1 for _ in answer)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=300)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--stores", type=Path, default=Path(tempfile.gettempdir()) / "odmld-bench",
                        help="where generated stores are kept and reused (as bench/run.py does)")
    parser.add_argument("--internal", action="store_true", help="time the app's own queries too")
    parser.add_argument("--only", nargs="+", metavar="QUERY", help="time these queries only")
    args = parser.parse_args()
    path, facts = prepared_store(args.stores, args.organisations, args.years)
    store = Store(path, base_uri=BASE, read_only=True)
    print(f"| {args.organisations} organisations x {args.years} years | {facts['quads']:,} quads | generated and "
          f"bulk-loaded in {facts['loaded']:.1f} s | made in {facts['made']:.1f} s | "
          f"{size_on_disk(path) / 1e6:.0f} MB on disk |")
    print()
    INTERNAL_SAMPLES["place"] = places(store)
    INTERNAL_SAMPLES["place"]["counted-in"] = INTERNAL_SAMPLES["place"]["domain-ranking-place-first"]
    names = list(queries.names()) + ([name for name in queries.internal_names() if name not in UPKEEP]
                                     if args.internal else [])
    print("| query | bound | run for | rows | median ms | p95 ms |")
    print("|---|---|---|---|---|---|")
    for name in args.only or names:
        for bound in cases(name):
            timings, count = [], 0
            for _ in range(args.runs):
                began = time.perf_counter()
                count = rows_of(store, name, bound)
                timings.append((time.perf_counter() - began) * 1000)
            timings.sort()
            p95 = timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]
            use = "library" if name in queries.names() else "upkeep" if name in UPKEEP else "a request"
            shown = ", ".join(f"?{key}" for key in bound) or "-"
            print(f"| {name} | {shown} | {use} | {count} | {statistics.median(timings):.1f} | {p95:.1f} |",
                  flush=True)


if __name__ == "__main__":
    main()
