"""How soon a production server answers its first /sparql query after `odmld load` (issue 15).

    python bench/first_query.py --store PATH [--base-uri URI] [--triples 300000]

Runs, as an operator would: `odmld load` of a generated Turtle file of --triples triples into the
store at PATH (a copy you may write: the load adds a graph), then `odmld serve` (granian, two workers)
on it, and times, from the moment the server answers its first request, the first `/sparql` query of
a client and the next few. A store whose write-ahead log was left unflushed once took 17.6 s to open
read-only, longer than the query time limit. Prints figures; never fails.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ODMLD = Path(sys.executable).with_name("odmld")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def turtle_file(folder: Path, triples: int) -> Path:
    path = folder / "extra.ttl"
    with path.open("w") as out:
        out.write("@prefix ex: <http://example.org/bench#> .\n")
        for n in range(triples):
            out.write(f'ex:s{n // 10} ex:p{n % 10} "{n}" .\n')
    return path


def get(url: str, accept: str = "application/sparql-results+json", timeout: float = 120) -> float:
    began = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=timeout) as answer:
        answer.read()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--base-uri", default="http://bench.odmld.test/")
    parser.add_argument("--triples", type=int, default=300_000)
    args = parser.parse_args()
    env = {**os.environ, "ODMLD_STORE": str(args.store), "ODMLD_BASE_URI": args.base_uri}
    with tempfile.TemporaryDirectory() as folder:
        extra = turtle_file(Path(folder), args.triples)
        began = time.perf_counter()
        subprocess.run([str(ODMLD), "load", str(extra)], env=env, check=True, capture_output=True)
        print(f"odmld load of {args.triples:,} triples: {time.perf_counter() - began:.1f} s")
    port = free_port()
    server = subprocess.Popen([str(ODMLD), "serve", "--port", str(port), "--host", "127.0.0.1",
                               "--workers", "2"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        started = time.perf_counter()
        while True:
            try:
                get(base + "ns/odm", accept="text/turtle", timeout=5)
                break
            except OSError:
                if server.poll() is not None or time.perf_counter() - started > 600:
                    raise SystemExit("the server did not start")
                time.sleep(0.1)
        print(f"server up (first page answered) after {time.perf_counter() - started:.1f} s")
        queries = ["ASK {}", "SELECT ?c WHERE { ?s a ?c } LIMIT 5",
                   "SELECT ?s WHERE { ?s ?p ?o } LIMIT 10"]
        for n in range(6):
            text = queries[n % len(queries)] + " " * n  # a new text each time: no kept answer
            seconds = get(base + "sparql?" + urllib.parse.urlencode({"query": text}))
            print(f"/sparql query {n + 1} ({queries[n % len(queries)][:40]}): {seconds * 1000:,.0f} ms")
        print(f"load average {os.getloadavg()[0]:.1f}")
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
