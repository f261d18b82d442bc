"""Repeated GET requests answered byte for byte, in front of Flask; no response carries a Date of its own.

A notebook re-running its query or a page linked from everywhere sends the same request again and
again. Routing it through Flask costs several times what remembering the answer does, so this WSGI
middleware keeps the finished response (status, headers, body) of a GET that a view marked as
reusable (`mark_reusable`) and answers the next identical request with it, until the store changes;
a harvester revalidating it gets its 304 here too.
What is kept, under which key and until when is caching.py's.

Every response of the app passes here on its way out, kept or not: its Date and hop-by-hop headers
are left out (caching.kept_headers), so the HTTP server adds the current Date, once (Flask's
conditional responses carry one of their own, which a server would otherwise send again, or as is).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from flask import request

from ..caching import AnswerCache, keepable, kept_headers, not_modified, request_key
from .compression import chosen_encoding

REUSABLE = "odmld.reusable"

Kept = tuple[str, list[tuple[str, str]], bytes]


def mark_reusable() -> None:
    """Say that the response to this request may be given again to the same request while the store
    is unchanged: it depends on nothing but the request and the store."""
    request.environ[REUSABLE] = True


class ResponseCache:
    """WSGI middleware: answers a repeated reusable GET from `cache` (None: keeps nothing), else asks
    `app`; strips Date and hop-by-hop headers from every response.

    `generation()` must grow whenever the store changes; it is read before the app answers, so a
    response is never kept as newer than the store it came from.
    """

    def __init__(self, app: Callable, cache: AnswerCache | None, generation: Callable[[], int]) -> None:
        self.app, self.cache, self.generation = app, cache, generation

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        key = request_key(environ) if self.cache is not None else None
        if key is not None:  # compression.py, inside: the bytes kept are those of the chosen encoding
            key = (*key, chosen_encoding(environ.get("HTTP_ACCEPT_ENCODING")))
        started: list = []

        def remember(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
            headers = kept_headers(headers)
            started[:] = [status, headers]
            return start_response(status, headers, exc_info)

        if key is None:
            return self.app(environ, remember)
        generation = self.generation()
        kept: Kept | None = self.cache.get(generation, key)
        if kept is not None:
            status, headers, body = kept
            unchanged = not_modified(environ, headers)
            if unchanged is not None:
                start_response("304 Not Modified", unchanged)
                return []
            start_response(status, headers)
            return [body]
        chunks = self.app(environ, remember)
        if not environ.get(REUSABLE) or not started or not keepable(*started):
            return chunks
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        self.cache.put(generation, key, (started[0], started[1], body), len(body) + 200)
        return [body]
