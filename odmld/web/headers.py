"""Headers that every response of the service carries, in one place for Flask and for the plain-WSGI
GET /sparql path (sparql_get.py)."""

from __future__ import annotations

from flask import Response, request

# any web page may read the service (no credentials are involved); no browser guesses another type
EVERY_RESPONSE = (("Access-Control-Allow-Origin", "*"), ("X-Content-Type-Options", "nosniff"),
                  ("Access-Control-Expose-Headers", "ETag, Link, Content-Location, Last-Modified, Location"))


def add_common_headers(response: Response) -> Response:
    """Flask's after_request: EVERY_RESPONSE, and for a CORS preflight what may be asked."""
    for name, value in EVERY_RESPONSE:
        response.headers.setdefault(name, value)
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    return response
