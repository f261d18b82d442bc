"""Where the time of one submission goes: each stage of a CSV submission, timed in the process and
through the production server.

    python bench/submission.py --store COPY [--runs 9] [--served] [--profile FILE]

COPY is a copy of a generated store (bench/generate.py; the store folder, with its `-snapshots` beside
it): a submission writes, so never give it a shared store. `cp -r made/10000x10 /tmp/copy` and pass
`/tmp/copy/store`.

In the process (this process becomes the store's writer): one submission first (it opens the store and
parses the shapes), then `--runs` more, each saying something new (domain 2's evidence differs), so each
makes a version. For each stage the median wall and CPU time (this thread's) per submission; a stage
indented under another is part of it. `--served` instead starts `odmld serve` as production does (a
worker per core) on the copy and times `--runs` submissions through `/api/assessments`: the median wall
time, and the CPU the server's processes spent per submission (from /proc). `--profile FILE` writes a
cProfile of the in-process submissions. Prints Markdown; a benchmark never fails a build. Loopback only.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import itertools
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import BASE  # noqa: E402
from run import PRODUCTION, cpu_seconds, wait_for  # noqa: E402

from odmld import embedded_write, feed_events, kept_write, snapshots, store_api, tokens, validation  # noqa: E402
from odmld.assessments import publish, submit  # noqa: E402
from odmld.config import default_tokens_path  # noqa: E402
from odmld.embedded_store import EmbeddedStore  # noqa: E402
from odmld.resources import folder  # noqa: E402

TEMPLATE = (folder("data") / "examples" / "assessment.csv").read_text()
# one of the first 300 organisations (in every generated store), drawn per run: every submission makes a
# version, and always writing b0's would time an organisation with ever more versions
ORGANISATION = f"b{random.randrange(300)}"
# (label, owner, attribute, depth): the functions timed, in the order a submission reaches them
STAGES = [
    ("open the newest snapshot (after a write)", snapshots.Snapshots, "open", 1),
    ("model read: the levels (the bundled model, read once)", submit, "levels", 0),
    ("CSV parse", submit, "parse_csv", 0),
    ("SHACL validation of the canonical graph", submit, "validate_parts", 0),
    ("canonical graph to rdflib", publish, "to_rdflib", 1),
    ("pySHACL", validation.pyshacl.Validator, "run", 1),
    ("the write, in all (publish)", submit, "publish", 0),
    ("base URI check", embedded_write, "require_base", 1),
    ("publication operation (publish_in)", publish, "publish_in", 1),
    ("model inputs (levels, domains)", publish, "model_inputs", 2),
    ("scoring", publish, "score_triples", 2),
    ("derived files (latest, ranks, statistics)", publish, "derived_files", 2),
    ("feed event", feed_events, "next_event_files", 2),
    ("store the graphs (write_files)", publish, "write_files", 2),
    ("kept VoID counts and register (finish)", kept_write.KeptWrite, "finish", 1),
    ("snapshot publish: flush", snapshots.Snapshots, "flush", 1),
    ("snapshot publish: checkpoint and CURRENT", snapshots.Snapshots, "publish", 1),
    ("remove superseded snapshots", snapshots.Snapshots, "remove_superseded", 1),
]


class Timings:
    """Wall and CPU seconds per stage, one list entry per submission."""

    def __init__(self) -> None:
        self.wall: dict[str, list[float]] = defaultdict(list)
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.current: dict[str, list[float]] | None = None  # None between submissions

    def start(self) -> None:
        self.current = defaultdict(lambda: [0.0, 0.0])

    def stop(self) -> None:
        for label, (wall, cpu) in self.current.items():
            self.wall[label].append(wall)
            self.cpu[label].append(cpu)
        self.current = None

    def add(self, label: str, wall: float, cpu: float) -> None:
        if self.current is not None:
            self.current[label][0] += wall
            self.current[label][1] += cpu


def timing(timings: Timings, label: str, fn):
    @functools.wraps(fn)
    def timed(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            timings.add(label, time.perf_counter() - wall, time.thread_time() - cpu)
    return timed


def instrument(timings: Timings) -> None:
    """Wrap every stage's function; the snapshot's flush is timed by flushing before `publish` does
    (its own flush then has nothing left to write)."""
    for label, owner, attribute, _depth in STAGES:
        if attribute == "flush":
            continue
        original = getattr(owner, attribute)
        if attribute == "publish" and owner is snapshots.Snapshots:
            flushed = timing(timings, "snapshot publish: flush", lambda database: database.flush())
            original = functools.partial(_flush_first, original, flushed)
        wrapped = timing(timings, label, original)
        setattr(owner, attribute, wrapped)
        if getattr(original, "__name__", "") == "publish_in":  # found again by its name
            store_api.OPERATIONS[store_api.operation_name(original)] = wrapped


def _flush_first(original, flushed, self, database):
    flushed(database)
    return original(self, database)


def csv_body(count=itertools.count()) -> bytes:
    """The example CSV with a new evidence for domain 2: something new, so a new version."""
    return TEMPLATE.replace("\n2,1,2,\n", f"\n2,1,2,bench {time.time_ns()} {next(count)}\n", 1).encode()


def in_process(store_path: Path, runs: int, profile: str | None) -> None:
    store = EmbeddedStore(store_path, base_uri=BASE, write_wait=600)
    values = {"date": "2026-01-01"}
    began = time.perf_counter()
    submit.submit(store, ORGANISATION, "text/csv", csv_body(), values, "en")  # raises if refused
    print(f"First submission (opens the store, becomes its writer, parses the shapes): "
          f"{(time.perf_counter() - began) * 1000:.0f} ms\n")
    timings = Timings()
    instrument(timings)
    profiler = cProfile.Profile() if profile else None
    totals = []
    for _ in range(runs):
        body = csv_body()
        timings.start()
        wall, cpu, process = time.perf_counter(), time.thread_time(), time.process_time()
        if profiler:
            profiler.enable()
        submit.submit(store, ORGANISATION, "text/csv", body, values, "en")  # raises if refused
        if profiler:
            profiler.disable()
        totals.append((time.perf_counter() - wall, time.thread_time() - cpu, time.process_time() - process))
        timings.stop()
    if profiler:
        profiler.dump_stats(profile)
    print(f"In the process, {runs} submissions (median ms per submission):\n")
    print("| stage | wall | CPU |\n|---|---|---|")
    print(f"| **one submission, in all** | {median([t[0] for t in totals]):.1f} | "
          f"{median([t[1] for t in totals]):.1f} |")
    print(f"| &nbsp;&nbsp;&nbsp;&nbsp;CPU of every thread of the process (RocksDB's own too) | | "
          f"{median([t[2] for t in totals]):.1f} |")
    for label, _owner, _attribute, depth in STAGES:
        if label in timings.wall:
            print(f"| {'&nbsp;' * 4 * depth}{label} | {median(timings.wall[label]):.1f} | "
                  f"{median(timings.cpu[label]):.1f} |")


def median(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def served(store_path: Path, runs: int) -> None:
    token = tokens.create(Path(default_tokens_path(str(store_path))), ORGANISATION)[1]
    env = {**os.environ, "ODMLD_STORE": str(store_path), "ODMLD_BASE_URI": BASE}
    odmld = str(Path(sys.executable).parent / "odmld")
    server = subprocess.Popen([odmld, *PRODUCTION, "--host", "127.0.0.1", "--port", "8111"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        site = "http://127.0.0.1:8111/"
        wait_for(site, server)

        def one() -> float:
            request = urllib.request.Request(f"{site}api/assessments?date=2026-01-01", data=csv_body(),
                                             headers={"Content-Type": "text/csv",
                                                      "Authorization": f"Bearer {token}"})
            began = time.perf_counter()
            with urllib.request.urlopen(request, timeout=300) as response:
                assert response.status == 201, response.status
            return time.perf_counter() - began

        first = [one() for _ in range(2)]  # each worker may be the first to write or to read
        before = sum(cpu_seconds(server.pid).values())
        walls = [one() for _ in range(runs)]
        spent = sum(cpu_seconds(server.pid).values()) - before
        print(f"\nThrough `odmld {' '.join(PRODUCTION)}`: the first two {', '.join(f'{s * 1000:.0f}' for s in first)} ms; "
              f"then {runs} submissions: median {median(walls):.0f} ms wall "
              f"(min {min(walls) * 1000:.0f}, max {max(walls) * 1000:.0f}); the server's processes spent "
              f"{spent * 1000 / runs:.0f} ms of CPU per submission.")
    finally:
        server.terminate()
        server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a COPY of a generated store")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--served", action="store_true", help="through `odmld serve` instead")
    parser.add_argument("--profile", help="write a cProfile of the in-process submissions here")
    parser.add_argument("--organisation", help="submit for this organisation (default: one of b0-b299)")
    arguments = parser.parse_args()
    global ORGANISATION
    ORGANISATION = arguments.organisation or ORGANISATION
    print(f"Load average at start: {' '.join(f'{n:.2f}' for n in os.getloadavg())}; organisation "
          f"{ORGANISATION}\n")
    if arguments.served:  # apart: a process that wrote stays the store's writer, for the server too
        served(arguments.store, arguments.runs)
    else:
        in_process(arguments.store, arguments.runs, arguments.profile)
    print(f"\nLoad average at end: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")


if __name__ == "__main__":
    main()
