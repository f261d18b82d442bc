"""Timings and sizes of every page a person reaches from the navigation, and of what a harvester reads.

    python bench/pages.py --organisations 300 10000 [--years 10] [--stores DIR] [--harvest-pages N]

For each size it opens the generated store (bench/generate.py, made on first use and kept in --stores)
in the real app as a production worker does (a fresh app: empty caches, templates compiled), asks each page twice through
Flask's test client with `Accept-Encoding: gzip, br` (the first request makes the page, the second
finds what the first kept) and prints one Markdown table with both sizes side by side: the time of
each request, and the bytes sent (compressed, and as the page is). Then a harvester's walk: the
catalogue's pages (Turtle, following hydra:next) and the feed's (following tree:relation), the bytes
it receives with `Accept-Encoding: gzip` against those of the page itself (what every page cost
before responses were compressed). At most --harvest-pages pages of each are read; the bytes of the
whole walk are those pages' average times the number of pages. A benchmark prints figures; it never fails.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import BASE, prepared_store  # noqa: E402
from odmld.config import load_config  # noqa: E402
from odmld.web import create_worker_app  # noqa: E402

HTML, TURTLE, GZIP, CSV = "text/html", "text/turtle", "application/gzip", "text/csv"
# The table first, then what the navigation reaches (base.html), then the documents a browser
# or a harvester asks for most.
PAGES = [("/", HTML), ("/organisaties", HTML), ("/doc/organisatie/b1", HTML), ("/vergelijk", HTML),
         ("/vergelijk?org=b1&org=b2&org=b3", HTML), ("/domein/4/ranking", HTML), ("/catalog?page=1", TURTLE),
         ("/.well-known/void", TURTLE), ("/model", HTML), ("/doc/conceptschema/open-data-charter", HTML),
         ("/sparql", HTML), ("/zelfevaluatie", HTML), ("/ns/odm", HTML), ("/doc/maturiteitsdomein/4", HTML),
         ("/doc/inschatting/b1/2020-06-30/v1", HTML), ("/feed?page=1", TURTLE), ("/catalog", HTML),
         # one step further: what those pages link to (the whole store's dump, a stream of every quad,
         # and the whole catalogue in one document, refused above its limit, are left out)
         ("/api", HTML), ("/organisaties?page=2", HTML), ("/organisaties?q=bestuur+17", HTML),
         ("/domein/4/ranking?org=b17", HTML), ("/vergelijk?q=bestuur+17", HTML),
         ("/doc/organisatietype/centrumstad", HTML), ("/catalog?page=2", TURTLE), ("/catalog?page=2", HTML),
         ("/feed?page=40", TURTLE), ("/dump/inschatting/b1/2020-06-30/v1.ttl.gz", GZIP),
         ("/csv/inschatting/b1/2020-06-30/v1.csv", CSV), ("/vergelijk/data.csv?org=b1&org=b2&org=b3", CSV)]
ENCODINGS = "gzip, br"


def one(client, url: str, media: str, encodings: str) -> tuple[int, float, int, int]:
    """(status, ms, bytes sent, bytes of the page itself) of one request."""
    began = time.perf_counter()
    response = client.get(url, headers={"Accept": media, "Accept-Encoding": encodings})
    sent = response.get_data()
    elapsed = (time.perf_counter() - began) * 1000
    return response.status_code, elapsed, len(sent), len(decoded(sent, response.headers.get("Content-Encoding")))


def decoded(body: bytes, encoding: str | None) -> bytes:
    if encoding == "gzip":
        import gzip
        return gzip.decompress(body)
    if encoding == "br":
        import brotli
        return brotli.decompress(body)
    if encoding == "zstd":
        import zstandard
        return zstandard.ZstdDecompressor().decompress(body)
    return body


def app_for(path: Path):
    """The app on the store as a production worker makes it (create_worker_app: its templates
    compiled and its startup objects frozen out of the garbage collector's full collections)."""
    return create_worker_app(load_config({"store": str(path), "base_uri": BASE}, environ={}))


def page_table(sizes: list[tuple[int, Path]]) -> None:
    measured: dict[tuple[str, str, int], tuple] = {}
    for organisations, path in sizes:
        client = app_for(path).test_client()
        for url, media in PAGES:
            status, first, sent, size = one(client, url, media, ENCODINGS)
            _, again, _, _ = one(client, url, media, ENCODINGS)
            measured[url, media, organisations] = (status, first, again, sent, size)
    head = " | ".join(f"{n:,}: first ms | again ms | KB sent (page)" for n, _ in sizes)
    print(f"| page | {head} | first, {sizes[-1][0]:,} / {sizes[0][0]:,} |")
    print("|---|" + "---|---|---|" * len(sizes) + "---|")
    for url, media in PAGES:
        cells = []
        for organisations, _ in sizes:
            status, first, again, sent, size = measured[url, media, organisations]
            note = "" if status == 200 else f" ({status})"
            cells.append(f"{first:,.0f}{note} | {again:,.1f} | {sent / 1000:,.0f} ({size / 1000:,.0f})")
        ratio = measured[url, media, sizes[-1][0]][1] / max(measured[url, media, sizes[0][0]][1], 0.01)
        print(f"| `{url}` ({media.split('/')[1]}) | " + " | ".join(cells) + f" | {ratio:.1f}x |", flush=True)


def harvest(organisations: int, path: Path, most: int) -> None:
    """Bytes a harvester receives walking the catalogue and the feed, compressed and not."""
    import rdflib
    hydra, tree = rdflib.Namespace("http://www.w3.org/ns/hydra/core#"), rdflib.Namespace("https://w3id.org/tree#")
    client = app_for(path).test_client()
    for name, first, follow in (("catalogue", "/catalog?page=1", hydra.next), ("feed", "/feed?page=1", tree.node)):
        url, pages, sent, plain, seconds = first, 0, 0, 0, 0.0
        while url and pages < most:
            began = time.perf_counter()
            response = client.get(url, headers={"Accept": TURTLE, "Accept-Encoding": "gzip"})
            seconds += time.perf_counter() - began
            body = decoded(response.get_data(), response.headers.get("Content-Encoding"))
            sent, plain, pages = sent + len(response.get_data()), plain + len(body), pages + 1
            graph = rdflib.Graph().parse(data=body, format="turtle")
            following = sorted(str(o) for o in graph.objects(None, follow) if str(o) != BASE + url.lstrip("/"))
            url = following[-1][len(BASE) - 1:] if following else None
        total = total_pages(client, name)
        print(f"- {organisations:,} organisations, {name}: {total:,} pages; read {pages} ({seconds / pages * 1000:,.0f} ms "
              f"a page): {sent / pages / 1000:,.1f} KB a page sent with gzip, {plain / pages / 1000:,.1f} KB a page "
              f"uncompressed; the whole walk {sent / pages * total / 1e6:,.1f} MB against "
              f"{plain / pages * total / 1e6:,.1f} MB ({plain / max(sent, 1):.1f}x less)", flush=True)


def total_pages(client, name: str) -> int:
    import rdflib
    body = client.get("/catalog?page=1" if name == "catalogue" else "/feed?page=1",
                      headers={"Accept": TURTLE}).get_data()
    graph = rdflib.Graph().parse(data=body, format="turtle")
    if name == "catalogue":
        last = next(graph.objects(None, rdflib.URIRef("http://www.w3.org/ns/hydra/core#last")))
        return int(str(last).rsplit("=", 1)[1])
    from odmld import feed_events
    from odmld.store import open_store
    store = open_store(load_config({"store": str(client.application.config["ODMLD"].store), "base_uri": BASE},
                                   environ={}), read_only=True)
    return feed_events.state(store).count // client.application.config["ODMLD"].page_size + 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, nargs="+", default=[300, 10000])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--stores", type=Path, default=Path(tempfile.gettempdir()) / "odmld-bench")
    parser.add_argument("--harvest-pages", type=int, default=40, help="pages of the catalogue and the feed read")
    args = parser.parse_args()
    sizes = [(n, prepared_store(args.stores, n, args.years)[0]) for n in args.organisations]
    page_table(sizes)
    print()
    for organisations, path in sizes:
        harvest(organisations, path, args.harvest_pages)


if __name__ == "__main__":
    main()
