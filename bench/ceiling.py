"""How fast can granian answer at all on this machine: the ceiling for odmld's repeated small query.

    python bench/ceiling.py [--seconds 5] [--bytes 1742] [--store DIR]

Runs granian as `odmld serve` does (bench/run.py's PRODUCTION: a worker process per core, 4 threads
each, the WSGI interface) on a trivial WSGI app that answers every request with a constant body of
the size of the small SELECT's answer and the headers odmld's GET /sparql sends, and measures its
request rate the way bench/run.py measures odmld's (http_rate.py: wrk, 8 connections). With --store
it also runs `odmld serve` and `oxigraph serve-read-only` on that store (as bench/run.py does: it
writes into the store, so give it a copy) and measures both on the small query, repeated and with a
new text each time, in the same run, so the figures can be read side by side:

- odmld's repeated rate over the ceiling: how much of what granian and Python can do at all the
  answer cache leaves; what is left between the two is odmld's own cost;
- the ceiling over `oxigraph serve`: the most any WSGI app under granian can reach relative to it.

Prints Markdown. A benchmark prints figures; it never fails a build. Loopback only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import Any, Callable, Iterable

sys.path.insert(0, str(Path(__file__).resolve().parent))

BODY_BYTES = int(os.environ.get("CEILING_BYTES", "1742"))  # the small SELECT's JSON answer at 300 and 10,000
PORT = 8103
# what odmld's GET /sparql answers with (web/sparql_get.py), the values of the same lengths
HEADERS = [("Content-Type", "application/sparql-results+json; charset=utf-8"),
           ("Content-Length", str(BODY_BYTES)), ("Vary", "Accept"),
           ("Access-Control-Allow-Origin", "*"), ("X-Content-Type-Options", "nosniff"),
           ("Access-Control-Expose-Headers", "ETag, Link, Content-Location, Last-Modified, Location"),
           ("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src "
            "'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'"), ("Referrer-Policy", "same-origin")]
BODY = b"x" * BODY_BYTES


def app(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
    """The trivial WSGI app: the same answer to every request."""
    start_response("200 OK", HEADERS)
    return [BODY]


def ceiling(seconds: float, body_bytes: int) -> tuple[float, float, float, int]:
    """(req/s, median ms, p95 ms, errors) of granian on `app`, workers and threads as odmld serve."""
    import run
    from http_rate import hammer

    workers = run.PRODUCTION[run.PRODUCTION.index("--workers") + 1]
    threads = run.PRODUCTION[run.PRODUCTION.index("--threads") + 1]
    server = subprocess.Popen(
        [sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", workers, "--blocking-threads",
         threads, "--host", "127.0.0.1", "--port", str(PORT), "ceiling:app"],
        cwd=Path(__file__).resolve().parent, env={**os.environ, "CEILING_BYTES": str(body_bytes)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        run.wait_for(f"http://127.0.0.1:{PORT}/", server)
        hammer(f"http://127.0.0.1:{PORT}/sparql?query=x", "application/sparql-results+json", 1, 8)  # warm
        return hammer(f"http://127.0.0.1:{PORT}/sparql?query=x", "application/sparql-results+json", seconds, 8)
    finally:
        server.terminate()
        server.wait(timeout=60)


def beside(store: Path, seconds: float) -> dict[str, tuple[float, float, float, int]]:
    """odmld and oxigraph serve on `store`, the small query repeated and new each time."""
    import run
    from http_rate import hammer

    figures = {}
    with run.servers(store) as (odmld_url, oxigraph_url, _, _):
        for _ in range(40):  # every server worker starts its query processes on first use
            run.post_query(odmld_url, run.SMALL)
        small = urllib.parse.quote(run.SMALL)
        anchor = urllib.parse.quote(f"BASE <{run.BASE}> " + run.SMALL)
        for vary in (False, True):
            for label, url in (("odmld", f"{odmld_url}?query={small}"),
                               ("oxigraph serve", f"{oxigraph_url}?query={anchor}")):
                figures[f"{label}, {'new text' if vary else 'repeated'}"] = hammer(
                    url, "application/sparql-results+json", seconds, 8, vary)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--bytes", type=int, default=BODY_BYTES, help="the constant body's size")
    parser.add_argument("--store", type=Path, help="also odmld and oxigraph serve on this store (a copy)")
    args = parser.parse_args()
    import run
    from http_rate import load_tool

    print(f"granian ceiling, {os.cpu_count()} CPUs, {' '.join(run.PRODUCTION[1:])}, load average at start "
          f"{os.getloadavg()[0]:.2f}\n")
    print(f"| server (8 connections, {load_tool()}, {args.seconds:g} s) | req/s | median / p95 ms | errors |")
    print("|---|---|---|---|")
    rows = {}
    try:
        rows["granian, a constant answer (the ceiling)"] = ceiling(args.seconds, args.bytes)
        if args.store is not None:
            rows.update(beside(args.store / "store" if (args.store / "store").is_dir() else args.store,
                               args.seconds))
    except (OSError, subprocess.SubprocessError, SystemExit) as stopped:
        print(f"| stopped: {stopped} | - | - | - |")
    for label, (rate, median, p95, errors) in rows.items():
        print(f"| {label} | {rate:,.0f} | {median:.2f} / {p95:.2f} | {errors} |")
    top = rows.get("granian, a constant answer (the ceiling)")
    if top and top[0]:
        for label, (rate, *_rest) in rows.items():
            if label.startswith(("odmld", "oxigraph")):
                print(f"\n{label}: {rate / top[0]:.2f} of the ceiling", end="")
        anchor = rows.get("oxigraph serve, repeated")
        if anchor and anchor[0]:
            print(f"\n\nthe ceiling is {top[0] / anchor[0]:.1f}x `oxigraph serve`'s repeated rate: no WSGI app "
                  f"under granian here can answer more than that relative to it.")
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
