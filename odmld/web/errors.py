"""One error shape for the whole service, in the format the client asked for.

JSON clients (and RDF clients) get `{"error": {"status": 404, "title": "Not Found", "detail": "..."}}`,
browsers an HTML page, everyone else plain text. Every error goes through `error_response`.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from ..catalog import CatalogueTooLarge
from ..store_api import StoreError

JSON_LIKE = ("application/json", "application/sparql-results+json", "application/ld+json")


def error_response(status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> Response:
    preferred = request.accept_mimetypes.best_match(("text/html", "application/json", "text/plain"))
    wants_json = any(request.accept_mimetypes[m] for m in JSON_LIKE) and preferred != "text/html"
    if wants_json or preferred == "application/json":
        response = jsonify(error={"status": status, "title": title, "detail": detail})
    elif preferred == "text/html" and request.accept_mimetypes["text/html"]:
        response = Response(render_template("error.html", status=status, title=title, detail=detail),
                            mimetype="text/html")
    else:
        response = Response(f"{status} {title}: {detail}\n", mimetype="text/plain")
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        response = error_response(error.code or 500, error.name, error.description or error.name)
        if error.code == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(CatalogueTooLarge)
    def catalogue_too_large(error: CatalogueTooLarge) -> Response:
        return error_response(403, "Forbidden", str(error))

    @app.errorhandler(StoreError)
    def store_unavailable(error: StoreError) -> Response:
        """The store failed (unreachable, too slow, or it refused): 503, with the server's own words
        when it gave some; the operator's log has the whole message, the store's address included."""
        app.logger.error("the store could not complete a request: %s", error)
        words = getattr(error, "words", "")
        return error_response(503, "Service Unavailable", "the store could not complete this request"
                              + (f"; it said: {words}" if words else ""))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:  # pragma: no cover - a bug, logged by Flask
        app.logger.exception("unexpected error")
        return error_response(500, "Internal Server Error", "an unexpected error occurred")
