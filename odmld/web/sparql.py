"""The SPARQL 1.1 Protocol endpoint: public, read-only, limited in time and size.

Updates and SERVICE (federated query) are refused before anything runs; every other query goes to the
worker pool (odmld.sparql.pool), which enforces the time and result limits. A GET with a query is
usually answered before it gets here, by sparql_get.SparqlGet; both make the query's job with
sparql_job.answer.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Blueprint, Response, render_template, request
from werkzeug.datastructures import MultiDict

from ..sparql import library as queries
from .db import get_pool
from ..errors import BadRequest, Forbidden, NotAcceptable, UnsupportedMediaType
from .library import fields_for
from .formats import GRAPH_MEDIA, HTML, negotiate
from .meta import service_description
from .response_cache import mark_reusable
from .sparql_html import accept_for, download_headers, html_answer, wants_html
from .sparql_job import READ_ONLY, answer, single_parameters

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    """POST, and any GET that sparql_get.SparqlGet passed on."""
    values = protocol_values()
    single_parameters(*((values,) if values is request.args else (values, request.args)))
    if request.mimetype == UPDATE or "update" in values or "update" in request.args:
        raise Forbidden(READ_ONLY)
    text = query_text(values)
    if text is None:
        return describe_service()
    accept = request.headers.get("Accept", "")
    if wants_html(accept, values):
        return html_answer(text, values)
    media, body, keep = answer(get_pool(), text, accept_for(values, accept), values, request.remote_addr)
    response = Response(body, mimetype=media, headers=download_headers(values))
    response.headers["Vary"] = "Accept"
    if keep:
        mark_reusable()
    return response


def protocol_values() -> MultiDict:
    """The protocol's parameters: of the query string for a GET or a direct POST, of the body for a form
    POST, decoded in the charset the Content-Type declares (UTF-8 if none); 415 for a charset Python
    does not know, 400 for a body that is not in the one declared."""
    if request.method != "POST" or request.mimetype != FORM:
        return request.args
    charset = request.mimetype_params.get("charset", "utf-8")
    try:
        return MultiDict(parse_qsl(request.get_data().decode("latin-1"), keep_blank_values=True,
                                   encoding=charset, errors="strict"))
    except LookupError:
        raise UnsupportedMediaType(f"unknown charset {charset!r}") from None
    except UnicodeDecodeError:
        raise BadRequest(f"the form is not {charset} text") from None


def query_text(values: MultiDict) -> str | None:
    """The query of a GET, a form POST or a direct POST; a refusal for any other POST. A direct POST is
    UTF-8: application/sparql-query allows no other charset (W3C protocol test bad_query_non_utf8)."""
    if request.method == "GET" or request.mimetype == FORM:
        return values.get("query")
    if request.mimetype == DIRECT:
        charset = request.mimetype_params.get("charset", "utf-8")
        if charset.lower().replace("-", "") != "utf8":
            raise UnsupportedMediaType(f"send {DIRECT} in UTF-8, not {charset}")
        try:
            return request.get_data().decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest("the query is not UTF-8 text") from None
    raise UnsupportedMediaType(f"POST a query as {FORM} or {DIRECT}")


def describe_service() -> Response:
    """No query: the SPARQL Service Description, or for a browser a page to write a query on."""
    media = negotiate(request, (HTML, *GRAPH_MEDIA))
    if media == HTML:
        listed = queries.all_queries()
        example = queries.library("domains").text
        return Response(render_template("sparql.html", queries=listed, example=example,
                                        fields=fields_for(listed)), mimetype=HTML)
    if media is None:
        raise NotAcceptable("the service description is available as " + ", ".join(GRAPH_MEDIA))
    return service_description(media)
