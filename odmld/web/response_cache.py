"""Repeated GET requests answered byte for byte, in front of Flask.

A notebook re-running its query or a page linked from everywhere sends the same request again and
again. Routing it through Flask costs several times what remembering the answer does, so this WSGI
middleware keeps the finished response (status, headers, body) of a GET that a view marked as
reusable (`mark_reusable`: a public SPARQL answer, a /doc/ page) and answers the next identical
request with it, until the store changes.

Identical means every part of the request the app reads: path, query string, host and scheme, Accept,
Accept-Language and cookies. A conditional request, one with credentials and every other method go to
Flask as before. A response that sets a cookie or is not 200 is never kept. Only for the embedded store
(see answer_cache.py for why not a remote one).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from flask import request

from ..answer_cache import AnswerCache

REUSABLE = "odmld.reusable"
VARIES_BY = ("SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT",
             "wsgi.url_scheme", "HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE", "HTTP_COOKIE")
PASSED_ON = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_AUTHORIZATION", "HTTP_RANGE")

Kept = tuple[str, list[tuple[str, str]], bytes]


def mark_reusable() -> None:
    """Say that the response to this request may be given again to the same request while the store
    is unchanged: it depends on nothing but the request and the store."""
    request.environ[REUSABLE] = True


def request_key(environ: dict[str, Any]) -> tuple | None:
    """What the response to this request depends on; None for a request that must reach the app."""
    if environ.get("REQUEST_METHOD") != "GET" or any(name in environ for name in PASSED_ON):
        return None
    return tuple(environ.get(name) for name in VARIES_BY)


class ResponseCache:
    """WSGI middleware: answers a repeated reusable GET from memory, else asks `app`.

    `generation()` must grow whenever the store changes; it is read before the app answers, so a
    response is never kept as newer than the store it came from.
    """

    def __init__(self, app: Callable, cache: AnswerCache, generation: Callable[[], int]) -> None:
        self.app, self.cache, self.generation = app, cache, generation

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        key = request_key(environ)
        if key is None:
            return self.app(environ, start_response)
        generation = self.generation()
        kept: Kept | None = self.cache.get(generation, key)
        if kept is not None:
            status, headers, body = kept
            start_response(status, headers)
            return [body]
        started: list = []

        def remember(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
            started[:] = [status, headers]
            return start_response(status, headers, exc_info)

        chunks = self.app(environ, remember)
        if not environ.get(REUSABLE) or not started or not _keepable(*started):
            return chunks
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        self.cache.put(generation, key, (started[0], started[1], body), len(body) + 200)
        return [body]


def _keepable(status: str, headers: list[tuple[str, str]]) -> bool:
    return status.startswith("200 ") and not any(name.lower() == "set-cookie" for name, _ in headers)
