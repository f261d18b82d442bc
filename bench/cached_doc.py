"""What a /doc/ page answered from the caches costs, in-process, in microseconds per request.

    python bench/cached_doc.py [--requests 20000] [--runs 5]

Loads the bundled model into a new store in a temporary folder, builds the real app on it, asks each
request once (so it is made and kept), then calls the app's WSGI entry point again and again with the
same environ and reports the best of `--runs` medians, per request:
- repeated GET: answered whole by the response cache in front of Flask;
- revalidation: `If-None-Match` with the page's ETag, answered 304 (by Flask from the page cache
  before this branch, by the response cache after);
- page cache: a GET that the response cache does not know (a query string of its own each time),
  through Flask, answered 200 from the page cache.
A benchmark prints figures; it never fails.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from odmld.config import load_config  # noqa: E402
from odmld.loading import parse_paths  # noqa: E402
from odmld.resources import default_load_paths  # noqa: E402
from odmld.store import open_store  # noqa: E402
from odmld.web import create_app  # noqa: E402

BASE = "http://odmld.test/"
PATH = "/doc/maturiteitsdomein/4"


def environ(path: str, query: str = "", **headers: str) -> dict:
    env = {"REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": query,
           "SERVER_NAME": "odmld.test", "SERVER_PORT": "80", "HTTP_HOST": "odmld.test",
           "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": None,
           "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": True,
           "wsgi.run_once": False, "REMOTE_ADDR": "127.0.0.1", "HTTP_ACCEPT": "text/turtle"}
    env.update({f"HTTP_{name.upper()}": value for name, value in headers.items()})
    return env


def call(app, env: dict) -> tuple[str, dict, bytes]:
    started: list = []

    def start_response(status, headers, exc_info=None):
        started[:] = [status, dict(headers)]
    body = b"".join(app(dict(env), start_response))
    return started[0], started[1], body


def per_request(app, make_env, requests: int, runs: int) -> float:
    medians = []
    for _ in range(runs):
        times = []
        for number in range(requests):
            env = make_env(number)
            begun = time.perf_counter()
            call(app, env)
            times.append(time.perf_counter() - begun)
        medians.append(statistics.median(times))
    return min(medians) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        config = load_config({"store": f"{folder}/store", "base_uri": BASE}, environ={})
        store = open_store(config)
        store.replace_graphs(parse_paths(default_load_paths(), BASE))
        flask_app = create_app(config, store=store)
        app = flask_app.wsgi_app
        time.sleep(1.1)  # a page's Last-Modified is due from the first whole second after the write
        status, headers, _ = call(app, environ(PATH))
        assert status.startswith("200"), status
        etag = headers["ETag"]
        rows = {
            "repeated GET (response cache, before Flask)": lambda n: environ(PATH),
            "revalidation, If-None-Match (Flask + page cache, 304)":
                lambda n: environ(PATH, IF_NONE_MATCH=etag),
            "GET the response cache does not know (Flask + page cache, 200)":
                lambda n: environ(PATH, f"n={n}"),
        }
        assert call(app, rows["revalidation, If-None-Match (Flask + page cache, 304)"](0))[0].startswith("304")
        print(f"| {PATH}, Turtle, in-process | microseconds per request (best median of {args.runs}) |")
        print("|---|---|")
        for name, make_env in rows.items():
            print(f"| {name} | {per_request(app, make_env, args.requests, args.runs):.1f} |")
        flask_app.extensions["odmld.pool"].close()


if __name__ == "__main__":
    main()
