"""One error shape for the whole service, in the format the client asked for and in one language.

Scripts get RFC 9457 problem details (`application/problem+json`): `type`, `title`, `status`,
`detail`, and the service's older shape kept beside them, `{"error": {"status", "title", "detail"}}`,
so clients written against it go on working. That is the answer to `Accept: */*` (curl), to no Accept
at all, and to a client that accepts any JSON; a client that asks for `application/json` alone gets
the same body labelled so. Only a client that prefers HTML (a browser) gets a page, and only one that
asks for `text/plain` first gets a line of text.

A detail given as `said(nl=..., en=...)` is answered in the request's language (`?lang`, the cookie,
Accept-Language; Dutch by default), with the title in that language too; a detail given as a plain
string (the SPARQL endpoint's technical messages) is English, and so is its title: every answer says
its language in Content-Language and never mixes two. Every error goes through `error_response`.
"""

from __future__ import annotations

import json
from typing import Any, Mapping, Union

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from ..catalog import CatalogueTooLarge
from ..store_api import StoreError
from .i18n import LANGUAGES, current_language, translator

PROBLEM = "application/problem+json"
OFFERED = (PROBLEM, "application/json", "text/html", "text/plain")

Said = Mapping[str, str]
Detail = Union[str, Said]


def said(nl: str, en: str) -> dict[str, str]:
    """A message in both languages; the response picks the request's."""
    return {"nl": nl, "en": en}


def worded(key: str, **values: object) -> dict[str, str]:
    """An interface message (web/messages.py, `{name}`s filled from `values`) in both languages; the
    response picks the request's, and says it in Content-Language."""
    return {lang: translator(lang)(key, **values) for lang in LANGUAGES}


def in_request_language(text: str) -> dict[str, str]:
    """A message already worded in the request's language (from i18n's tables)."""
    return {current_language(): text}


TITLES = {
    400: ("Ongeldig verzoek", "Bad Request"), 401: ("Niet aangemeld", "Unauthorized"),
    403: ("Verboden", "Forbidden"), 404: ("Niet gevonden", "Not Found"),
    405: ("Methode niet toegestaan", "Method Not Allowed"), 406: ("Niet aanvaardbaar", "Not Acceptable"),
    409: ("Conflict", "Conflict"), 413: ("Inhoud te groot", "Content Too Large"),
    415: ("Mediatype niet ondersteund", "Unsupported Media Type"),
    422: ("Inhoud niet verwerkbaar", "Unprocessable Content"),
    428: ("Voorwaarde vereist", "Precondition Required"), 429: ("Te veel verzoeken", "Too Many Requests"),
    500: ("Interne serverfout", "Internal Server Error"), 503: ("Dienst niet beschikbaar", "Service Unavailable"),
}

# what werkzeug says for its own errors, in both languages (its descriptions are English only)
DEFAULT_DETAILS = {
    400: said("het verzoek is niet te begrijpen", "the request cannot be understood"),
    404: said("hier is niets: controleer het adres", "there is nothing here: check the address"),
    405: said("deze methode is hier niet toegestaan (zie de header Allow)",
              "this method is not allowed here (see the Allow header)"),
    406: said("geen van de gevraagde formaten is beschikbaar", "none of the formats asked for is available"),
    413: said("de inhoud is te groot", "the body is too large"),
    415: said("dit mediatype wordt hier niet aanvaard", "this media type is not accepted here"),
    500: said("er liep iets onverwacht mis", "an unexpected error occurred"),
}


def error_response(status: int, title: str, detail: Detail, headers: dict[str, str] | None = None,
                   extensions: dict[str, Any] | None = None) -> Response:
    """The error in the client's format; `extensions` are extra members of the problem (and of the
    older `error` object), e.g. the `violations` of a refused submission."""
    lang = current_language() if not isinstance(detail, str) else "en"
    text = detail if isinstance(detail, str) else detail[lang]
    title = TITLES[status][lang == "en"] if status in TITLES else title
    chosen = request.accept_mimetypes.best_match(OFFERED)
    if chosen == "text/html":
        response = Response(render_template("error.html", status=status, title=title, detail=text),
                            mimetype="text/html")
    elif chosen == "text/plain":
        response = Response(f"{status} {title}: {text}\n", mimetype="text/plain")
    else:
        members = {"status": status, "title": title, "detail": text, **(extensions or {})}
        body = {"type": "about:blank", **members, "error": members}
        response = Response(json.dumps(body, ensure_ascii=False, indent=1) + "\n",
                            mimetype="application/json" if chosen == "application/json" else PROBLEM)
    response.status_code = status
    response.headers["Content-Language"] = lang
    response.vary.update(("Accept", "Accept-Language"))
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        code = error.code or 500
        own = error.description and error.description != type(error).description
        detail = error.description if own else DEFAULT_DETAILS.get(code, error.description or error.name)
        response = error_response(code, error.name, detail)
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
        return error_response(500, "Internal Server Error", DEFAULT_DETAILS[500])
