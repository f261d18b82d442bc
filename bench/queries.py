"""Timings of the research queries on generated data: N organisations x Y yearly assessments.

    python bench/queries.py --organisations 300 --years 10 [--runs 5] [--stores DIR]

Generates the data with odmld's own builders (bench/generate.py), bulk-loads it into a fresh embedded
store next to the model, and prints a Markdown table: load time, size on disk, and the
median and 95th-percentile latency of every research query. A benchmark prints figures; it never fails.
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

from generate import BASE, prepared_store, size_on_disk  # noqa: E402
from odmld import query_library as queries  # noqa: E402
from odmld.embedded_store import EmbeddedStore as Store  # noqa: E402

RESEARCH = ["latest-maturity", "ranking", "maturity-trend", "gap-versus-need", "centrumsteden-versus-rest",
            "least-served-principles", "portrait-versus-maturity", "datasets-three-stars", "most-improved",
            "domain-ranking", "top-priorities", "survey-findings-by-profile"]


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
    parser.add_argument("--stores", type=Path, default=Path(tempfile.gettempdir()) / "odmld-bench",
                        help="where generated stores are kept and reused (as bench/run.py does)")
    args = parser.parse_args()
    path, facts = prepared_store(args.stores, args.organisations, args.years)
    store = Store(path, base_uri=BASE, read_only=True)
    print(f"| {args.organisations} organisations x {args.years} years | {facts['quads']:,} quads | generated and "
          f"bulk-loaded in {facts['loaded']:.1f} s | made in {facts['made']:.1f} s | "
          f"{size_on_disk(path) / 1e6:.0f} MB on disk |")
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
