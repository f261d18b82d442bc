"""The benchmark of record: odmld next to `oxigraph serve` on the same generated data, in one run.

    python bench/run.py --organisations 300 10000 [--years 10] [--runs 3] [--seconds 5] [--stores DIR]
                        [--only QUERY ...]

For each size: generate and bulk-load N organisations x Y yearly assessments (bench/generate.py; kept
in --stores and reused by later runs), then measure, on this machine, side by side:
- load time and size on disk;
- median and 95th-percentile latency of every query in queries/ (the app's own bound as its requests
  bind them, bench/samples.py; not its upkeep queries, which read the whole store), directly on the store, through
  odmld's /sparql and through `oxigraph serve-read-only` on the same store folder;
- request rate and latency under concurrent load of /doc/ in each format and of a small /sparql query,
  odmld as `odmld serve` starts it (PRODUCTION: the README's command, granian with a worker process
  per core) against `oxigraph serve-read-only` (the ratio is the figure that matters); the small query both repeated (odmld
  answers it from memory) and different in every request (run every time); the load comes from
  `wrk` when it is installed (see http_rate.py);
- time to validate and store one submission sent to the production server (a write through one of its
  workers, acknowledged once it is durable and published to every process), and submissions per
  second from concurrent clients; each submission says something new, so each makes a version (the
  store in --stores grows by these versions at every run);
- the CPU time a new-text small query costs each server, read from /proc (odmld: granian's processes
  and the query processes apart);
- peak memory of the server: the peak of the sum of its processes' proportional set sizes, sampled twice a
  second, and the sum of their own peak resident sizes (an upper bound).
Prints Markdown. A benchmark prints figures; it never fails a build. Loopback only.
"""

from __future__ import annotations

import argparse
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
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import BASE, made_in, prepared_store, size_on_disk  # noqa: E402
from http_rate import hammer, load_tool  # noqa: E402
from samples import UPKEEP, cases, places  # noqa: E402
from odmld import tokens  # noqa: E402
from odmld.sparql import library as queries  # noqa: E402
from odmld.sparql.screen import bind_values  # noqa: E402
from odmld.embedded_store import EmbeddedStore as Store  # noqa: E402

SMALL = "SELECT ?domain ?label WHERE { ?domain a <ns/odm#MaturityDomain> ; " \
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label } LIMIT 11"
# The README's production command: a worker process per core, and threads so that one process serves
# other requests while one waits on a query worker.
PRODUCTION = ["serve", "--workers", str(os.cpu_count() or 2), "--threads", "4"]
DOC_FORMATS = ["text/html", "text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"]


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def consume(results) -> None:
    """Read a pyoxigraph result to its end (a boolean has nothing to read)."""
    if not isinstance(results, ox.QueryBoolean):
        for _ in results:
            pass


def timed(action, runs: int) -> tuple[float, float]:
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        timings.append((time.perf_counter() - began) * 1000)
    return percentiles(timings)


def library(store: Store, only: list[str] | None = None) -> list[tuple[str, str, dict]]:
    """Every query, the library and the app's own (or those in `only`), bound as a request binds it
    (bench/samples.py): (label, server text, bindings). The app's upkeep queries (a rebuild, a load, the
    store's checks) read the whole store by design and are left out."""
    found = []
    store_places = places(store)
    for query in queries.every_query():
        if (only and query.name not in only) or query.name in UPKEEP:
            continue
        every = cases(query.name, store_places)
        for bindings in every:
            label = query.name if len(every) == 1 else \
                f"{query.name} ({', '.join('?' + name for name in bindings) or 'unbound'})"
            found.append((label, f"BASE <{BASE}>\n" + bind_values(query.text, bindings), bindings))
    return found


class Refused(Exception):
    """A server answered a timed query with an error; the table shows it instead of a time."""


RUNS = itertools.count()


def post_query(url: str, text: str) -> None:
    """POST `text`, made unique by a numbered comment so that odmld's answer cache never answers it:
    the query table times running queries."""
    data = urllib.parse.urlencode({"query": f"{text}\n# run {next(RUNS)}"}).encode()
    request = urllib.request.Request(url, data=data, headers={
        "Accept": "application/sparql-results+json, application/n-triples;q=0.9"})
    try:
        with urllib.request.urlopen(request, timeout=900) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise Refused(f"{error.code}: {error.read().decode('utf-8', 'replace')[:160]}") from None


def cell(action, runs: int) -> tuple[str, float | None]:
    """'median / p95' of `action`, or the error it ended with; and the median for ratios."""
    try:
        median, p95 = timed(action, runs)
    except Refused as refused:
        return f"refused {refused}".replace("|", "/").replace("\n", " "), None
    return f"{median:.1f} / {p95:.1f}", median


def wait_for(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"a server ended at start: {process.args}")
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within 120 s")


@contextmanager
def servers(path: Path) -> Iterator[tuple[str, str, subprocess.Popen, subprocess.Popen]]:
    """`odmld serve` (granian) and `oxigraph serve-read-only` on the store at `path`."""
    # no limit on the answers of the library's queries, and one client (the load, from one address)
    # may use every query process, never sent to the heavy lane: the table measures what the servers
    # can do, not the fair share (bench/fairness.py measures that)
    env = {**os.environ, "ODMLD_STORE": str(path), "ODMLD_BASE_URI": BASE, "ODMLD_RESULT_LIMIT": "10000000",
           "ODMLD_RESULT_MB": "100000", "ODMLD_QUERY_TIMEOUT": "900", "ODMLD_CLIENT_QUERIES": "32",
           "ODMLD_CLIENT_QUEUE": "32", "ODMLD_HEAVY_QUERY_SECONDS": "1000000"}
    bin_dir = Path(sys.executable).parent
    odmld = subprocess.Popen([str(bin_dir / "odmld"), *PRODUCTION, "--host", "127.0.0.1", "--port", "8101"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    running = [odmld]
    try:
        wait_for("http://127.0.0.1:8101/", odmld)
        # only once odmld answers: `odmld serve` first loads the model, a write; a read-only Oxigraph
        # that opened the store before that write grew past 6 GB on its next query at 10,000 (in the
        # run of record it was killed for want of memory at 24 GB, a dropped connection to the bench)
        oxigraph = subprocess.Popen([str(bin_dir / "oxigraph"), "serve-read-only", "--location", str(path),
                                     "--bind", "127.0.0.1:8102", "--union-default-graph"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        running.append(oxigraph)
        wait_for("http://127.0.0.1:8102/query?query=ASK%7B%7D", oxigraph)
        yield "http://127.0.0.1:8101/sparql", "http://127.0.0.1:8102/query", odmld, oxigraph
    finally:
        for process in running:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)


def process_tree(root: int) -> list[int]:
    """`root` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def peak_memory_mb(root: int) -> float:
    """Sum of VmHWM (peak resident size) of `root` and every process below it: an upper bound, which
    counts a page shared by several processes once in each and adds peaks of different moments."""
    return sum(_status_kb(pid, "VmHWM:") for pid in process_tree(root)) / 1024


def _status_kb(pid: int, field: str, name: str = "status") -> int:
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class MemoryWatch:
    """The peak over a run of the memory `root` and the processes below it hold together: the sum of
    their proportional set sizes (Pss: a page that k processes share counts 1/k in each), sampled
    twice a second in a thread of the bench (the memory the machine must have for the server)."""

    def __init__(self, root: int, every: float = 0.5) -> None:
        self.root, self.every, self.peak_kb = root, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(self.every):
            total = sum(_status_kb(pid, "Pss:", "smaps_rollup") for pid in process_tree(self.root))
            self.peak_kb = max(self.peak_kb, total)

    def stop(self) -> float:
        """Stop watching; the peak in MB."""
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024


def cpu_seconds(root: int) -> dict[str, float]:
    """CPU time (user + system) used so far by `root` and the processes below it: odmld's query
    processes (multiprocessing's spawned children) apart from the server's own."""
    used = {"server": 0.0, "query processes": 0.0}
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        kind = "query processes" if b"spawn_main" in command else "server"
        used[kind] += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def submissions(site: str, path: Path, organisation: str, clients: int,
                each: int) -> tuple[float, float]:
    """(median ms of one submission, submissions per second from `clients` concurrent clients), sent to
    the production server at `site`, for `organisation` (its identifier)."""
    from odmld.config import load_config
    from odmld.resources import folder
    token = tokens.create(Path(load_config({"store": str(path), "base_uri": BASE}, environ={}).tokens),
                          organisation)[1]
    template = (folder("data") / "examples" / "assessment.csv").read_text()
    url = f"{site}api/assessments?date=2026-01-01"
    sent = itertools.count()

    def one() -> None:  # domain 2's evidence differs each time: an identical resubmission is no write
        body = template.replace("\n2,1,2,\n", f"\n2,1,2,bench {time.time_ns()} {next(sent)}\n", 1).encode()
        request = urllib.request.Request(url, data=body, headers={
            "Content-Type": "text/csv", "Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=300) as response:
            assert response.status == 201, response.status

    single, _ = timed(one, 9)
    began = time.perf_counter()
    pool = [threading.Thread(target=lambda: [one() for _ in range(each)]) for _ in range(clients)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return single, clients * each / (time.perf_counter() - began)


def measure(organisations: int, years: int, runs: int, seconds: float, stores: Path,
            only: list[str] | None = None) -> None:
    path, facts = prepared_store(stores, organisations, years)
    print(f"\n### {organisations:,} organisations x {years} years\n")
    print(f"{facts['quads']:,} quads; {made_in(facts)}; {size_on_disk(path) / 1e6:,.0f} MB on disk.\n")
    store = Store(path, base_uri=BASE, read_only=True)
    with servers(path) as (odmld_url, oxigraph_url, server, anchor_server):
        memory = MemoryWatch(server.pid)
        for _ in range(40):  # warm up: every server worker starts its query processes on first use
            post_query(odmld_url, SMALL)
            post_query(oxigraph_url, f"BASE <{BASE}> " + SMALL)
        print("| query | direct median / p95 ms | odmld /sparql median / p95 ms | oxigraph median / p95 ms "
              "| odmld / oxigraph |")
        print("|---|---|---|---|---|")
        for label, text, bindings in library(store, only):
            name = label.split(" ")[0]
            direct, _ = cell(lambda: consume(store.query(queries.get(name).text, bindings=bindings)), runs)
            served, served_ms = cell(lambda: post_query(odmld_url, text), runs)
            anchor, anchor_ms = cell(lambda: post_query(oxigraph_url, text), runs)
            ratio = f"{served_ms / max(anchor_ms, 0.01):.1f}x" if served_ms and anchor_ms else "-"
            print(f"| {label} | {direct} | {served} | {anchor} | {ratio} |", flush=True)
        print(f"\n| under load (8 connections, {load_tool()}) | req/s | median / p95 ms | errors |")
        print("|---|---|---|---|")
        site = odmld_url.rsplit("sparql", 1)[0]
        for media in DOC_FORMATS:
            rate, median, p95, errors = hammer(f"{site}doc/maturiteitsdomein/4", media, seconds, 8)
            print(f"| odmld `/doc/` as {media} | {rate:,.0f} | {median:.1f} / {p95:.1f} | {errors} |")
        small = urllib.parse.quote(SMALL)
        rates: dict[tuple[str, bool], float] = {}
        cpu: dict[str, dict[str, float]] = {}
        for vary in (False, True):
            anchor_small = urllib.parse.quote(f"BASE <{BASE}> " + SMALL)
            for label, url, pid in (("odmld `/sparql`", f"{odmld_url}?query={small}", server.pid),
                                    ("`oxigraph serve` `/query`", f"{oxigraph_url}?query={anchor_small}",
                                     anchor_server.pid)):
                before = cpu_seconds(pid)
                rate, median, p95, errors = hammer(url, "application/sparql-results+json", seconds, 8, vary)
                if vary:  # ms of CPU a request, by kind of process
                    cpu[label] = {kind: (spent - before[kind]) * 1000 / max(1.0, rate * seconds)
                                  for kind, spent in cpu_seconds(pid).items()}
                rates[label, vary] = rate
                print(f"| {label}, small SELECT, {'a new text each time' if vary else 'repeated'} | "
                      f"{rate:,.0f} | {median:.1f} / {p95:.1f} | {errors} |")
        for vary in (False, True):
            ratio = rates["`oxigraph serve` `/query`", vary] / rates["odmld `/sparql`", vary]
            print(f"\nsmall SELECT, {'a new text each time' if vary else 'repeated'}: oxigraph serve answers "
                  f"{ratio:.1f}x the requests per second of odmld.")
        odmld_cpu, anchor_cpu = cpu["odmld `/sparql`"], cpu["`oxigraph serve` `/query`"]
        print(f"\nCPU a request, small SELECT with a new text each time: odmld "
              f"{sum(odmld_cpu.values()):.2f} ms (granian {odmld_cpu['server']:.2f}, query processes "
              f"{odmld_cpu['query processes']:.2f}); oxigraph serve {sum(anchor_cpu.values()):.2f} ms.")
        # each run writes 29 versions into the bench store, which is kept between runs: always the same
        # organisation, it had 300 versions on the date after ten runs, and a write reads them all
        organisation = f"b{random.randrange(organisations)}"
        single, rate = submissions(site, path, organisation, clients=4, each=5)
        print(f"\nOne submission through the production server (CSV, validated, scored, stored, published "
              f"to every process; organisation {organisation}): {single:.0f} ms median; {rate:.1f} "
              f"submissions/s from 4 concurrent clients.")
        print(f"\nPeak memory of odmld (odmld {' '.join(PRODUCTION)}: granian, its workers, their query "
              f"processes and the write service) over this size's run: {memory.stop():,.0f} MB, the peak of "
              f"the sum of their proportional set sizes (a shared page counted once), sampled twice a "
              f"second; {peak_memory_mb(server.pid):,.0f} MB summing each process's own peak resident size "
              f"(VmHWM: shared pages once per process, peaks of different moments added).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, nargs="+", default=[300, 10000])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--stores", type=Path, default=Path(tempfile.gettempdir()) / "odmld-bench")
    parser.add_argument("--only", nargs="+", metavar="QUERY", help="time only these library queries")
    args = parser.parse_args()
    print(f"odmld benchmark, {os.cpu_count()} CPUs, pyoxigraph {ox.__version__}")
    for organisations in args.organisations:
        measure(organisations, args.years, args.runs, args.seconds, args.stores, args.only)


if __name__ == "__main__":
    main()
