"""Request rate and latency of a few URLs under concurrent load, loopback only, bounded in time.

    python bench/http_rate.py --seconds 5 --threads 8 [--vary] URL [URL ...]

Prints a Markdown table: requests per second, median and 95th-percentile latency per URL. Every
request must answer 200; any other status is counted as an error. Used by the README's figures.

The load comes from `wrk` (one thread, THREADS connections) when it is installed (Debian: `apt-get
install wrk`), else from Python threads. Python's own client tops out at about 4,000-5,000 requests a
second on a 2-core machine, so with it a fast server looks slower than it is, and ratios shrink.
--vary makes every request different (a numbered SPARQL comment at the end of the URL's `query`), so
none is answered from a cache: the cost of running the query, not of remembering its answer (the
URL's last parameter must be `query`).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from urllib.parse import urlsplit

# wrk's Lua hooks: the Accept header, a numbered SPARQL comment per request with --vary ("\n#N" ends
# the query text), and one line of figures at the end: requests/s, median and p95 ms, non-2xx answers.
WRK_SCRIPT = """
wrk.headers["Accept"] = "%(accept)s"
local vary, counter = %(vary)s, 0
request = function()
  counter = counter + 1
  if vary then return wrk.format(nil, wrk.path .. "%%0A%%23" .. counter .. "-" .. math.random(1e9)) end
  return wrk.format(nil, wrk.path)
end
done = function(summary, latency, requests)
  local failed = summary.errors.status + summary.errors.connect + summary.errors.read
                 + summary.errors.write + summary.errors.timeout
  io.write(string.format("FIGURES %%f %%f %%f %%d\\n", summary.requests / (summary.duration / 1e6),
           latency:percentile(50) / 1000, latency:percentile(95) / 1000, failed))
end
"""

Figures = tuple[float, float, float, int]  # requests/s, median ms, p95 ms, errors


def load_tool() -> str:
    """What makes the load: "wrk" when it is installed, else "Python threads"."""
    return "wrk" if shutil.which("wrk") else "Python threads"


def hammer(url: str, accept: str, seconds: float, threads: int, vary: bool = False) -> Figures:
    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("this benchmark only targets loopback addresses")
    if vary and not parts.query.rsplit("&", 1)[-1].startswith("query="):
        raise SystemExit("--vary needs a URL whose last parameter is `query`")
    if shutil.which("wrk"):
        return _with_wrk(url, accept, seconds, threads, vary)
    return _with_threads(url, accept, seconds, threads, vary)


def _with_wrk(url: str, accept: str, seconds: float, connections: int, vary: bool) -> Figures:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT % {"accept": accept, "vary": "true" if vary else "false"})
        script.flush()
        ran = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s",
                              "-s", script.name, url], capture_output=True, text=True, check=True)
    rate, median, p95, errors = ran.stdout.rsplit("FIGURES ", 1)[1].split()
    return float(rate), float(median), float(p95), int(errors)


def _with_threads(url: str, accept: str, seconds: float, threads: int, vary: bool) -> Figures:
    parts = urlsplit(url)
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
    print(f"Load from {load_tool()}, {args.threads} connections, {args.seconds:g} s per URL.\n")
    print("| URL | Accept | req/s | median ms | p95 ms | errors |")
    print("|---|---|---|---|---|---|")
    for spec in args.urls:
        url, _, accept = spec.partition("|")
        rate, median, p95, errors = hammer(url, accept or "*/*", args.seconds, args.threads, args.vary)
        print(f"| {url} | {accept or '*/*'} | {rate:.0f} | {median:.1f} | {p95:.1f} | {errors} |")


if __name__ == "__main__":
    main()
