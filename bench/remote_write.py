"""The time of one write on a remote store, with the write lease that serialises every odmld process.

    python bench/remote_write.py [--writes 30] [--engines oxigraph virtuoso]

For each engine (a real `oxigraph serve`, and Virtuoso where it is installed, each started on free
loopback ports with the bundled model loaded), prints the median and 90th percentile of:
- one update request of one triple, and one small SELECT (the server's round trip);
- the base URI check every write makes, and an empty write: take the lease, check the base URI,
  confirm and release the lease (the difference is what the lease costs);
- one publication (`assessments.publish.publish` of the example assessment, SHACL validation not included);
- one publication while three other processes publish as fast as they can (the lease's wait included).
Prints Markdown. A benchmark prints figures; it never fails a build. Loopback only.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from backends import model_loaded, start_server, virtuoso_installed  # noqa: E402

from odmld.assessments.publish import publish  # noqa: E402
from odmld.resources import folder  # noqa: E402
from odmld.store_api import operation  # noqa: E402
from odmld.store_identity import require_base  # noqa: E402
from odmld.assessments.submit import parts_from_csv  # noqa: E402

OTHERS = """
import sys, time
sys.path.insert(0, {tests!r})
from backends import open_location
from odmld.assessments.publish import publish
from odmld.assessments.submit import parts_from_csv
store = open_location(sys.argv[1])
parts = parts_from_csv(store, open(sys.argv[2], "rb").read(), {{"date": "2024-01-0" + sys.argv[3]}}, "44021", "en")
end = time.monotonic() + float(sys.argv[4])
while time.monotonic() < end:
    publish(store, parts, "44021")
"""


@operation
def nothing(writer) -> None:
    """An empty write: what the lease and the base check cost alone."""


def timed(action, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def row(name: str, times: list[float]) -> str:
    ordered = sorted(times)
    return f"| {name} | {statistics.median(ordered):.1f} | {ordered[int(len(ordered) * 0.9) - 1]:.1f} |"


def measure(engine: str, writes: int, scratch: Path) -> list[str]:
    process, url = start_server(engine, scratch / engine, scratch)
    try:
        store = model_loaded(url)
        csv_body = (folder("data") / "examples" / "assessment.csv").read_bytes()
        parts = parts_from_csv(store, csv_body, {"date": "2024-06-01"}, "24062", "en")
        one = ("INSERT DATA { GRAPH <urn:bench:g> { <urn:bench:s> <urn:bench:p> 1 } }")
        lines = [row(f"{engine}: one update request (one triple)", timed(lambda: store.update(one), writes)),
                 row(f"{engine}: one small SELECT", timed(lambda: store.select("SELECT * { ?s ?p ?o } LIMIT 1"),
                                                         writes)),
                 row(f"{engine}: the base check alone", timed(lambda: require_base(store, url), writes)),
                 row(f"{engine}: an empty write (lease, base check)", timed(lambda: store.write(nothing), writes)),
                 row(f"{engine}: one publication", timed(lambda: publish(store, parts, "24062"), writes))]
        seconds = 60.0
        csv_file = str(folder("data") / "examples" / "assessment.csv")
        others = [subprocess.Popen([sys.executable, "-c", OTHERS.format(tests=str(REPO / "tests")), url,
                                    csv_file, str(n), str(seconds)], cwd=REPO) for n in range(1, 4)]
        time.sleep(3)  # let them start publishing
        busy = timed(lambda: publish(store, parts, "24062"), writes)
        for other in others:
            other.kill()
            other.wait()
        lines.append(row(f"{engine}: one publication, three other processes publishing", busy))
        return lines
    finally:
        process.kill()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=30)
    parser.add_argument("--engines", nargs="+", default=["remote", "virtuoso"],
                        help="remote (oxigraph serve) and/or virtuoso")
    args = parser.parse_args()
    print("| step | median ms | p90 ms |\n|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        for engine in args.engines:
            if engine == "virtuoso" and not virtuoso_installed():
                print("| virtuoso: not installed | | |")
                continue
            for line in measure(engine, args.writes, Path(scratch)):
                print(line, flush=True)


if __name__ == "__main__":
    main()
