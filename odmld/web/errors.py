"""The web's one answer to every error (odmld.errors' model), in the format the client asked for
and in one language. Views raise typed errors; the one handler `register` installs answers them, and
so do the two WSGI fronts (sparql_get.py, body_limit.py), through the same `problem_response`.

Scripts get RFC 9457 problem details (`application/problem+json`): `type`, `title`, `status`,
`detail`, and the service's older shape kept beside them, `{"error": {"status", "title", "detail"}}`,
so clients written against it go on working. That is the answer to `Accept: */*` (curl), to no Accept
at all, and to a client that accepts any JSON; a client that asks for `application/json` alone gets
the same body labelled so. Only a client that prefers HTML (a browser) gets a page, and only one that
asks for `text/plain` first gets a line of text.

A detail given as `said(nl=..., en=...)` is answered in the request's language (`?lang`, the cookie,
Accept-Language; Dutch by default), with the title in that language too; a detail given as a plain
string (the SPARQL endpoint's technical messages) is English, and so is its title, and so is the whole
page a browser gets: every answer says its language in Content-Language and never mixes two.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Iterable

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from ..errors import Detail, OdmldError, Said, said  # noqa: F401 - said: the views' helper
from .i18n import LANGUAGES, current_language, translator

PROBLEM = "application/problem+json"
OFFERED = (PROBLEM, "application/json", "text/html", "text/plain")


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


def problem_response(error: OdmldError) -> Response:
    """The error in the client's format and in one language: the one shape of every error answer.
    `error.extra` are extra members of the problem (and of the older `error` object), e.g. the
    `violations` of a refused submission. Needs a request context (the WSGI fronts make one)."""
    status, detail = error.status, error.detail
    lang = current_language() if not isinstance(detail, str) else "en"
    if not isinstance(detail, str) and lang not in detail:
        lang = "en" if "en" in detail else next(iter(detail))
    text = detail if isinstance(detail, str) else detail[lang]
    title = TITLES[status][lang == "en"] if status in TITLES else error.title
    chosen = request.accept_mimetypes.best_match(OFFERED)
    if chosen == "text/html":  # the whole page in the message's language, not only the message
        response = Response(render_template("error.html", status=status, title=title, detail=text,
                                            lang=lang, t=translator(lang)), mimetype="text/html")
    elif chosen == "text/plain":
        response = Response(f"{status} {title}: {text}\n", mimetype="text/plain")
    else:
        members = {"status": status, "title": title, "detail": text, **error.extra}
        body = {"type": "about:blank", **members, "error": members}
        response = Response(json.dumps(body, ensure_ascii=False, indent=1) + "\n",
                            mimetype="application/json" if chosen == "application/json" else PROBLEM)
    response.status_code = status
    response.headers["Content-Language"] = lang
    response.vary.update(("Accept", "Accept-Language"))
    for name, value in error.headers.items():
        response.headers[name] = value
    return response


def refusal_before_app(flask_app: Flask, environ: dict[str, Any], start_response: Callable,
                       error: OdmldError) -> Iterable[bytes]:
    """A refusal made by a WSGI front of the app (body_limit.py, query_string.py, sparql_get.py): the
    one error shape in the request's language, with the headers Flask adds to every response."""
    with flask_app.request_context(environ):
        response = flask_app.process_response(problem_response(error))
    return response(environ, start_response)


def as_problem(error: Exception) -> OdmldError:
    """Any exception as the error model's: werkzeug's HTTP errors (routing's 404 and 405 among them)
    with their details in both languages, and a bug as a bare 500."""
    if isinstance(error, OdmldError):
        return error
    if isinstance(error, HTTPException):
        code = error.code or 500
        own = error.description and error.description != type(error).description
        detail = error.description if own else DEFAULT_DETAILS.get(code, error.description or error.name)
        allow = {"Allow": ", ".join(error.valid_methods)} \
            if code == 405 and getattr(error, "valid_methods", None) else None
        return OdmldError(code, error.name, detail, headers=allow)
    return OdmldError(500, "Internal Server Error", DEFAULT_DETAILS[500])


def register(app: Flask) -> None:
    """The one error handler: every exception a view raises is answered by problem_response."""

    @app.errorhandler(Exception)
    def answer(error: Exception) -> Response:
        if isinstance(error, HTTPException) and error.response is not None:
            return error.response  # a view's own answer, raised (abort(response))
        problem = as_problem(error)
        if problem.logged:  # the operator's log has the whole message, the store's address included
            app.logger.error("the store could not complete a request: %s", error)
        elif problem.status >= 500 and not isinstance(error, (OdmldError, HTTPException)):
            app.logger.exception("unexpected error")  # a bug
        return problem_response(problem)
