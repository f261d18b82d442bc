"""GET /sparql?query=... answered in plain WSGI, before Flask's request machinery.

It is the request SPARQLWrapper and most notebooks send, and for a small query Flask's part of it
(request context, session, routing, the Response object and its hooks) cost twice what running the
query did. This middleware answers it from the WSGI environ with the view's own steps
(sparql_job.answer) and the same headers. Everything else goes on to Flask: other
methods and paths, a GET without a query (the service description) or with `update` (refused there).
A refusal is answered by errors.refusal_before_app: the service's one error shape.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable
from urllib.parse import parse_qsl

import werkzeug.urls  # noqa: F401 - registers the "werkzeug.url_quote" decoding error handler
from flask import Flask
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.utils import get_content_type

from ..errors import OdmldError
from .errors import as_problem, refusal_before_app
from .headers import EVERY_RESPONSE
from .response_cache import REUSABLE
from .sparql_job import answer
from .sparql_html import accept_for, download_headers, wants_html


class SparqlGet:
    """WSGI middleware in front of `app` (the Flask app's wsgi_app), for `flask_app`'s query pool."""

    def __init__(self, app: Callable, flask_app: Flask) -> None:
        self.app, self.flask_app = app, flask_app

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != "/sparql":
            return self.app(environ, start_response)
        args = query_args(environ)
        text = args.get("query")
        accept = environ.get("HTTP_ACCEPT", "")
        if text is None or "update" in args or wants_html(accept, args):
            return self.app(environ, start_response)  # a browser's table is a page: Flask renders it
        try:
            media, body, keep = answer(self.flask_app.extensions["odmld.pool"], text,
                                       accept_for(args, accept), args, environ.get("REMOTE_ADDR"))
        except OdmldError as refused:
            return self.refuse(environ, start_response, refused)
        except Exception as error:  # pragma: no cover - a bug; answered and logged as errors.register does
            self.flask_app.logger.exception("unexpected error")
            return self.refuse(environ, start_response, as_problem(error))
        if keep:
            environ[REUSABLE] = True
        start_response("200 OK", [("Content-Type", get_content_type(media, "utf-8")),
                                  ("Content-Length", str(len(body))), ("Vary", "Accept"),
                                  *download_headers(args).items(), *EVERY_RESPONSE])
        return [body]

    def refuse(self, environ: dict[str, Any], start_response: Callable,
               refused: OdmldError) -> Iterable[bytes]:
        """The refusal in the service's one error shape, made by Flask as every other error is."""
        return refusal_before_app(self.flask_app, environ, start_response, refused)


def query_args(environ: dict[str, Any]) -> ImmutableMultiDict:
    """The URL's parameters exactly as Flask's `request.args` reads them (werkzeug's own steps: the
    WSGI string as latin-1 bytes, decoded as UTF-8, invalid bytes kept percent-encoded), without
    building a Request, which cost as much again as reading them."""
    query = environ.get("QUERY_STRING", "").encode("latin1").decode()
    return ImmutableMultiDict(parse_qsl(query, keep_blank_values=True, errors="werkzeug.url_quote"))
