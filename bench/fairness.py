"""Fair share under heavy queries: how fast other clients are served while a few clients hammer.

    python bench/fairness.py [--organisations 300] [--clients 0 2 4] [--seconds 20] [--stores DIR]

Starts odmld under granian as the README's production command does (bench/run.py's PRODUCTION, a
worker process per core), on the generated store of bench/generate.py (read-only), and for each
number N of heavy clients: N clients (each its own loopback address, 127.0.0.N+10, as N machines
would be) loop a heavy query (a count of the pairs of triples sharing a predicate: CPU-bound in flat memory, until the time limit)
while a light client (127.0.0.2) loops a small SELECT with a new text each time and a page client
(127.0.0.3) loops a comparison page (/vergelijk, which queries the store in the serving process),
each request on a new connection (the heavy clients keep theirs).
Prints Markdown: median and 95th percentile of the light client's queries and of the pages, how many
of them failed, and what the heavy clients got (answers by status). A benchmark prints figures; it
never fails a build. Loopback only; every loop stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import BASE, prepared_store  # noqa: E402
from run import PRODUCTION, wait_for  # noqa: E402

PORT = 8111
SMALL = ("SELECT ?domain ?label WHERE { ?domain a <ns/odm#MaturityDomain> ; "
         "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label } LIMIT 11")
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?b ?f }"  # CPU-bound, flat memory
NUMBERS = itertools.count()


class Client:
    """One client looping requests from its own loopback address until `deadline`."""

    def __init__(self, address: str, paths, deadline: float, accept: str, keep_alive: bool = True) -> None:
        self.address, self.paths, self.deadline, self.accept = address, paths, deadline, accept
        self.keep_alive = keep_alive
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def loop(self) -> None:
        connection = None
        while time.monotonic() < self.deadline:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120,
                                                        source_address=(self.address, 0))
            began = time.perf_counter()
            try:
                connection.request("GET", next(self.paths), headers={"Accept": self.accept})
                response = connection.getresponse()
                response.read()
                status = response.status
                if not self.keep_alive or response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except OSError:
                status = "error"
                connection.close()
                connection = None
            self.latencies.append((time.perf_counter() - began) * 1000)
            self.statuses[status] += 1
            if status == 503:
                time.sleep(1.0)  # a client that is told Retry-After waits a little


def small_queries():
    while True:
        yield "/sparql?query=" + quote(f"{SMALL}\n# {next(NUMBERS)}")


def pages(organisations: int):
    rng = random.Random(1)
    while True:
        pair = rng.sample(range(organisations), 2)
        yield f"/vergelijk?org=b{pair[0]}&org=b{pair[1]}&n={next(NUMBERS)}"


def heavy_queries():
    while True:
        yield "/sparql?query=" + quote(f"{HEAVY}\n# {next(NUMBERS)}")


def percentiles(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):,.1f} / {p95:,.1f}"


def phase(heavy: int, seconds: float, organisations: int) -> str:
    deadline = time.monotonic() + seconds
    hammering = [Client(f"127.0.0.{10 + n}", heavy_queries(), deadline, "application/sparql-results+json")
                 for n in range(heavy)]
    for client in hammering:
        client.thread.start()
    time.sleep(min(3.0, seconds / 4) if heavy else 0)  # the heavy queries are running
    # a new connection each time, as many people would come: granian's processes share them out
    light = Client("127.0.0.2", small_queries(), deadline, "application/sparql-results+json", False)
    page = Client("127.0.0.3", pages(organisations), deadline, "text/html", False)
    for client in (light, page):
        client.thread.start()
    for client in (light, page, *hammering):
        client.thread.join(timeout=seconds + 180)
    heavy_statuses = sum((client.statuses for client in hammering), Counter())
    failed = lambda client: sum(n for status, n in client.statuses.items() if status != 200)  # noqa: E731
    return (f"| {heavy} | {percentiles(light.latencies)} | {len(light.latencies)} ({failed(light)}) | "
            f"{percentiles(page.latencies)} | {len(page.latencies)} ({failed(page)}) | "
            f"{', '.join(f'{status}: {n}' for status, n in sorted(heavy_statuses.items(), key=str)) or '-'} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=300)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--clients", type=int, nargs="+", default=[0, 2, 4])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--stores", type=Path, default=Path(tempfile.gettempdir()) / "odmld-bench")
    args = parser.parse_args()
    path, _ = prepared_store(args.stores, args.organisations, args.years)
    env = {**os.environ, "ODMLD_STORE": str(path), "ODMLD_BASE_URI": BASE}
    server = subprocess.Popen([str(Path(sys.executable).parent / "granian"), *PRODUCTION, "--host", "127.0.0.1",
                               "--port", str(PORT), "--factory", "odmld.web:create_app"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(f"http://127.0.0.1:{PORT}/", server)
        for _ in range(20):  # every server process starts its query processes
            Client("127.0.0.2", small_queries(), time.monotonic() + 0.2, "application/json").loop()
        print(f"odmld fairness, {os.cpu_count()} CPUs, {args.organisations} organisations, "
              f"{args.seconds:g} s a row; granian {' '.join(PRODUCTION)}\n")
        print("| heavy clients | small query median / p95 ms | small queries (not 200) | "
              "page median / p95 ms | pages (not 200) | heavy clients' answers |")
        print("|---|---|---|---|---|---|")
        for heavy in args.clients:
            print(phase(heavy, args.seconds, args.organisations), flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
