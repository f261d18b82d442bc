"""A request whose query string is not UTF-8 is refused with 400 before anything reads it.

WSGI gives the query string as the latin-1 text of the bytes sent, and werkzeug decodes those bytes as
UTF-8, strictly, the first time `request.args` is read. Percent-encoding is only a convention, so a
client may send a raw byte 0xFF in the URL. That raised UnicodeDecodeError in whatever read the
parameters first: a 500 from a view, and out of the app altogether from GET /sparql's front
(sparql_get.py). This front checks it once, for every route.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from flask import Flask

from ..errors import BadRequest
from .errors import refusal_before_app, worded


class QueryStringCheck:
    def __init__(self, app: Callable, flask_app: Flask) -> None:
        self.app, self.flask_app = app, flask_app

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        try:
            environ.get("QUERY_STRING", "").encode("latin1").decode()
        except UnicodeError:
            environ["QUERY_STRING"] = ""  # the refusal reads the parameters (?lang) too
            return refusal_before_app(self.flask_app, environ, start_response,
                                      BadRequest(worded("bad_query_string")))
        return self.app(environ, start_response)
