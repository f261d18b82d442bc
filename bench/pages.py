"""Timings of the harvesting pages on generated data: the change feed, the catalogue and a graph download.

    python bench/pages.py --organisations 10000 [--years 10] [--stores DIR]

Opens the generated store (bench/generate.py, made on first use and kept in --stores) read-only in the
real app, as a production worker does, and asks each page twice through Flask's test client: the first
request makes the page's graph dumps, the second finds them made. Prints a Markdown table. A benchmark
prints figures; it never fails.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generate import BASE, prepared_store  # noqa: E402
from odmld.config import load_config  # noqa: E402
from odmld.web import create_app  # noqa: E402


def pages(versions: int, page_size: int = 50) -> list[str]:
    """The first, a middle and the last page of the feed and the catalogue, and one graph."""
    last = max(1, -(-versions // page_size))
    return ["/feed?page=1", f"/feed?page={max(1, last // 2)}", f"/feed?page={last}",
            "/catalog?page=1", f"/catalog?page={max(1, last // 2)}", "/graph/laatste/b1.ttl",
            "/dump/inschatting/b1/2015-06-30/v1.ttl.gz"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=300)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--stores", type=Path, default=Path("bench-stores"))
    args = parser.parse_args()
    path, _made = prepared_store(args.stores, args.organisations, args.years)
    config = load_config({"store": str(path), "base_uri": BASE}, environ={})
    client = create_app(config).test_client()
    print(f"| {args.organisations} organisations x {args.years} years | status | first ms | again ms |")
    print("|---|---|---|---|")
    for url in pages(args.organisations * args.years, config.page_size):
        timings, status = [], 0
        for _ in range(2):
            began = time.perf_counter()
            status = client.get(url, headers={"Accept": "text/turtle"}).status_code
            timings.append((time.perf_counter() - began) * 1000)
        print(f"| `{url}` | {status} | {timings[0]:,.0f} | {timings[1]:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
