"""Request bodies over the limit are refused with 413 before anything reads them, chunked or not.

Flask's MAX_CONTENT_LENGTH only sees a declared Content-Length; a chunked body (no length, the server
sets wsgi.input_terminated) was cut at the limit and the rest silently dropped, so what was processed
was not what was sent. This WSGI middleware, outermost in front of the app, refuses a declared length
over the limit from the headers alone, and reads any other body up to the limit plus one byte: one
byte more is a 413; otherwise the app gets exactly the body that was sent, with its length.

A body past the limit is then read on and thrown away, up to DRAIN bytes more, before the 413 is
sent: a server that answers and closes while the client is still sending makes the client's kernel
reset the connection, and the client sees a broken pipe instead of the 413 (granian did so for every
body 4 MiB past the limit, chunked or with its length). A declared length past the limit plus DRAIN
is refused from the headers alone, and a chunked body is closed on past it.
"""

from __future__ import annotations

import io
import re
from typing import Any, Callable, Iterable

from flask import Flask

from ..errors import BadRequest, OdmldError, TooLarge
from .errors import refusal_before_app, worded

LIMIT = 1024 * 1024  # bytes; the write API's largest submission
READ_SIZE = 64 * 1024
DRAIN = 8 * LIMIT  # bytes past the limit read and dropped so that the client gets its 413
WITHOUT_BODY = ("GET", "HEAD")  # their bodies (if any) are never read by the app


class BodyLimit:
    def __init__(self, app: Callable, flask_app: Flask, limit: int = LIMIT) -> None:
        self.app, self.flask_app, self.limit = app, flask_app, limit

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        declared = environ.get("CONTENT_LENGTH", "")
        if declared:
            if not re.fullmatch(r"[0-9]{1,19}", declared):
                return self.refuse(environ, start_response, BadRequest, "bad_length")
            if int(declared) > self.limit:
                if int(declared) <= self.limit + DRAIN:  # a body the client is sending: let it finish
                    discard_at_most(environ["wsgi.input"], int(declared))
                return self.refuse(environ, start_response, TooLarge, "too_large")
            return self.app(environ, start_response)
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not chunked and (environ.get("REQUEST_METHOD") in WITHOUT_BODY
                            or not environ.get("wsgi.input_terminated")):
            return self.app(environ, start_response)  # no body (WSGI: without a length, none)
        body = read_at_most(environ["wsgi.input"], self.limit + 1)
        if len(body) > self.limit:
            del body
            discard_at_most(environ["wsgi.input"], DRAIN)
            return self.refuse(environ, start_response, TooLarge, "too_large")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["wsgi.input_terminated"] = True
        return self.app(environ, start_response)

    def refuse(self, environ: dict[str, Any], start_response: Callable, kind: type[OdmldError],
               key: str) -> Iterable[bytes]:
        """The refusal in the one error shape, in the request's language, made by Flask as every
        other error is (its headers included)."""
        environ["wsgi.input"] = io.BytesIO()  # nothing of the body is ever read
        environ["CONTENT_LENGTH"] = "0"
        return refusal_before_app(self.flask_app, environ, start_response, kind(worded(key, limit=self.limit)))


def read_at_most(stream: Any, most: int) -> bytes:
    parts: list[bytes] = []
    _read(stream, most, parts.append)
    return b"".join(parts)


def discard_at_most(stream: Any, most: int) -> None:
    _read(stream, most, lambda part: None)


def _read(stream: Any, most: int, keep: Callable[[bytes], Any]) -> None:
    left = most
    while left > 0:
        part = stream.read(min(READ_SIZE, left))
        if not part:
            break
        keep(part)
        left -= len(part)
