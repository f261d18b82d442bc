"""Timings of the query library on generated data: N organisations x Y yearly assessments.

    python bench/queries.py --organisations 300 --years 10 [--runs 5] [--stores DIR] [--internal]
                            [--only QUERY ...]

Generates the data with odmld's own builders (bench/generate.py), bulk-loads it into a fresh embedded
store next to the model, and prints a Markdown table: load time, size on disk, and the median and
95th-percentile latency of every query of the library (queries/), each read to its last row as the app
reads it (`Store.select`); a parameter the query calls optional is left unbound (its whole answer), and
latest-maturity is timed for one domain too. `--internal` times the app's own queries
(queries/internal/) as well, bound as a request binds them (bench/samples.py), but not those no
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
from samples import UPKEEP, cases, places  # noqa: E402
from odmld.sparql import library as queries  # noqa: E402
from odmld.embedded_store import EmbeddedStore as Store  # noqa: E402
from odmld.store_api import rows_of as rows  # noqa: E402


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
    store_places = places(store)
    names = list(queries.names()) + ([name for name in queries.internal_names() if name not in UPKEEP]
                                     if args.internal else [])
    print("| query | bound | run for | rows | median ms | p95 ms |")
    print("|---|---|---|---|---|---|")
    for name in args.only or names:
        for bound in cases(name, store_places):
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
