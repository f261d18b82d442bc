"""Headers that every response of the service carries, in one place for Flask and for the plain-WSGI
GET /sparql path (sparql_get.py)."""

from __future__ import annotations

from flask import Response, request

# Pages load their style sheet (and any script) from this site only: no inline script or style, no
# other origin, no plugins, no <base> rewriting, forms post here only, and no other site may frame a
# page (clickjacking a data manager's form). The same policy on a non-HTML answer costs nothing and
# keeps a JSON or SVG answer that a browser opens from running anything.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "font-src 'self'", "connect-src 'self'", "form-action 'self'", "base-uri 'none'",
    "frame-ancestors 'none'"))

# any web page may read the service (no credentials are involved); no browser guesses another type;
# a link followed to another site does not tell it which page (and query) it came from
EVERY_RESPONSE = (("Access-Control-Allow-Origin", "*"), ("X-Content-Type-Options", "nosniff"),
                  ("Access-Control-Expose-Headers", "ETag, Link, Content-Location, Last-Modified, Location"),
                  ("Content-Security-Policy", CONTENT_SECURITY_POLICY), ("Referrer-Policy", "same-origin"))


def add_common_headers(response: Response) -> Response:
    """Flask's after_request: EVERY_RESPONSE, and for a CORS preflight what may be asked."""
    for name, value in EVERY_RESPONSE:
        response.headers.setdefault(name, value)
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    return response
