"""Request rate and latency of a few URLs under concurrent load, loopback only, bounded in time.

    python bench/http_rate.py --seconds 5 --threads 8 [--vary] URL [URL ...]

Prints a Markdown table: requests per second, median and 95th-percentile latency per URL. Every
request must answer 200; any other status is counted as an error. Used by the README's figures.
--vary makes every request different (a numbered SPARQL comment at the end of the URL's `query`), so
none is answered from a cache: the cost of running the query, not of remembering its answer (the
URL's last parameter must be `query`).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import statistics
import threading
import time
from urllib.parse import urlsplit


def hammer(url: str, accept: str, seconds: float, threads: int,
           vary: bool = False) -> tuple[float, float, float, int]:
    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("this benchmark only targets loopback addresses")
    if vary and not parts.query.rsplit("&", 1)[-1].startswith("query="):
        raise SystemExit("--vary needs a URL whose last parameter is `query`")
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    numbers = itertools.count()

    def worker() -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine, failed = [], 0
        while time.monotonic() < deadline:
            asked = f"{path}%0A%23{next(numbers)}" if vary else path  # "\n#N" ends the query text
            started = time.perf_counter()
            connection.request("GET", asked, headers={"Accept": accept})
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            failed += response.status != 200
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    return len(latencies) / seconds, statistics.median(latencies) * 1000, p95 * 1000, errors[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+", help="URL, optionally suffixed with |ACCEPT")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--vary", action="store_true", help="make every request's query text different")
    args = parser.parse_args()
    print("| URL | Accept | req/s | median ms | p95 ms | errors |")
    print("|---|---|---|---|---|---|")
    for spec in args.urls:
        url, _, accept = spec.partition("|")
        rate, median, p95, errors = hammer(url, accept or "*/*", args.seconds, args.threads, args.vary)
        print(f"| {url} | {accept or '*/*'} | {rate:.0f} | {median:.1f} | {p95:.1f} | {errors} |")


if __name__ == "__main__":
    main()
