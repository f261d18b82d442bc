"""Responses compressed when the client accepts it (Brotli or gzip), in front of Flask.

A catalogue page of 544 KB of Turtle is 20-40 KB compressed; a harvester walking the catalogue and the
feed, or a browser on a slow line, pays for every byte. So this WSGI middleware compresses a response
of a text type (HTML, RDF in every format, SPARQL results, JSON, CSV, SVG) of at least MIN_BYTES when
the request's Accept-Encoding takes `br` or `gzip`, and says `Vary: Accept-Encoding` on every response
of such a type, compressed or not. It sits inside the whole-response cache (response_cache.py), whose
key holds the encoding chosen here, so a repeated request gets the compressed bytes kept, at no cost.

The compressed body is another representation, so it has its own entity tag (RFC 9110, 8.8.3): the
page's tag with the encoding as a suffix, `"abc"` -> `"abc-br"`. A conditional request that sends such
a tag back is asked of the app with the tag the app made, and a 304 answer carries the suffixed tag
again; a tag of another encoding stays as it is (and so does not match). A streamed response (no
Content-Length: a dump, a long answer) and one already encoded go out as they are.
"""

from __future__ import annotations

import gzip
import re
from typing import Any, Callable, Iterable

import brotli

MIN_BYTES = 1024
ENCODINGS = ("br", "gzip")  # preferred first when the client weighs them alike
TEXT_TYPES = re.compile(r"text/|application/(json|xml|ld\+json|n-triples|n-quads|trig|javascript|"
                        r"sparql-results\+json|sparql-results\+xml|rdf\+xml|[\w.-]+\+(json|xml))|image/svg\+xml")
TOKEN = re.compile(r"\s*([\w*-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*")


def chosen_encoding(accept_encoding: str | None) -> str | None:
    """The encoding to answer in for this Accept-Encoding (RFC 9110, 12.5.3): the one of ENCODINGS it
    weighs most (ties: ours first; `*` stands for any not named), None for none (identity)."""
    if not accept_encoding:
        return None
    weights: dict[str, float] = {}
    for part in accept_encoding.split(",")[:32]:
        match = TOKEN.fullmatch(part)
        if match is None:
            continue
        try:
            weight = float(match.group(2)) if match.group(2) is not None else 1.0
        except ValueError:
            continue
        weights[match.group(1).lower()] = weight
    best, best_weight = None, 0.0
    for encoding in ENCODINGS:
        weight = weights.get(encoding, weights.get("*", 0.0))
        if weight > best_weight:
            best, best_weight = encoding, weight
    return best


def compress(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(body, quality=5, mode=brotli.MODE_TEXT)
    return gzip.compress(body, compresslevel=6, mtime=0)


def encoded_tag(tag: str, encoding: str) -> str:
    """`"abc"` -> `"abc-br"`, `W/"abc"` -> `W/"abc-br"`."""
    return f'{tag[:-1]}-{encoding}"' if tag.endswith('"') else tag


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)


def _without(headers: list[tuple[str, str]], *names: str) -> list[tuple[str, str]]:
    return [(key, value) for key, value in headers if key.lower() not in names]


def _vary(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The headers with Accept-Encoding added to their Vary (one Vary header)."""
    vary = _header(headers, "vary")
    if vary is not None and ("accept-encoding" in vary.lower() or vary.strip() == "*"):
        return headers
    return _without(headers, "vary") + [("Vary", f"{vary}, Accept-Encoding" if vary else "Accept-Encoding")]


class Compression:
    """WSGI middleware: compresses `app`'s text responses for clients that accept br or gzip."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        encoding = chosen_encoding(environ.get("HTTP_ACCEPT_ENCODING"))
        asked_encoded = False
        if encoding is not None and "HTTP_IF_NONE_MATCH" in environ:
            suffix = f'-{encoding}"'
            tags = [tag.strip() for tag in environ["HTTP_IF_NONE_MATCH"].split(",")]
            asked_encoded = any(tag.endswith(suffix) for tag in tags)
            environ["HTTP_IF_NONE_MATCH"] = ", ".join(
                tag[:-len(suffix)] + '"' if tag.endswith(suffix) else tag for tag in tags)
        started: list = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
            if exc_info is not None and started:
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = [status, headers, exc_info]
            return lambda data: None  # a write() callable is not used by Flask

        chunks = self.app(environ, capture)
        if not started:  # an app that starts its response only when iterated
            chunks = list(chunks)
        status, headers, exc_info = started
        if status.startswith("304 ") and asked_encoded and (tag := _header(headers, "etag")):
            # the representation the client holds (a 304 carries no Content-Type to go by)
            headers = _vary(_without(headers, "etag") + [("ETag", encoded_tag(tag, encoding))])
        media = _header(headers, "content-type") or ""
        if not TEXT_TYPES.match(media):
            start_response(status, headers, exc_info)
            return chunks
        headers = _vary(headers)
        length = _header(headers, "content-length")
        if (encoding is None or not status.startswith("200 ") or environ.get("REQUEST_METHOD") != "GET"
                or _header(headers, "content-encoding") is not None or length is None
                or int(length) < MIN_BYTES):
            start_response(status, headers, exc_info)
            return chunks
        try:
            body = compress(b"".join(chunks), encoding)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        headers = _without(headers, "content-length", "etag") + [
            ("Content-Encoding", encoding), ("Content-Length", str(len(body)))]
        if (tag := _header(started[1], "etag")) is not None:
            headers.append(("ETag", encoded_tag(tag, encoding)))
        start_response(status, headers, exc_info)
        return [body]
