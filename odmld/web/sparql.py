"""The SPARQL 1.1 Protocol endpoint: public, read-only, limited in time and size.

Updates and SERVICE (federated query) are refused before anything runs; every other query goes to the
worker pool (odmld.query_pool), which enforces the time and result limits.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from .. import queries
from ..query_pool import QueryJob, QueryRefused
from ..sparql_text import answers_differ_between_runs, calls_service, is_update
from .db import get_pool
from .errors import error_response
from .formats import GRAPH_MEDIA, HTML, RESULT_MEDIA, negotiate
from .meta import service_description
from .response_cache import mark_reusable

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    if request.mimetype == UPDATE or "update" in request.values:
        return error_response(403, "Forbidden", "this endpoint is read-only: SPARQL updates are refused")
    text, refusal = query_text()
    if refusal is not None:
        return refusal
    if text is None:
        return describe_service()
    if is_update(text):
        return error_response(403, "Forbidden", "this endpoint is read-only: SPARQL updates are refused")
    if calls_service(text):
        return error_response(403, "Forbidden", "SERVICE (federated query) is refused: this endpoint "
                              "does not open connections to other servers")
    values = request.form if request.mimetype == FORM else request.args
    job = QueryJob(text=text,
                   results_media=results_media(),
                   graph_media=negotiate(request, GRAPH_MEDIA),
                   default_graphs=tuple(values.getlist("default-graph-uri")),
                   named_graphs=tuple(values.getlist("named-graph-uri")))
    keep = not answers_differ_between_runs(text)
    try:
        media, body = get_pool().run(job, keep=keep)
    except QueryRefused as refused:
        return error_response(refused.status, refused.title, refused.detail)
    response = Response(body, mimetype=media)
    response.headers["Vary"] = "Accept"
    if keep:
        mark_reusable()
    return response


def results_media() -> str | None:
    """The SPARQL results format to answer in; plain JSON clients get SPARQL JSON."""
    chosen = negotiate(request, RESULT_MEDIA)
    if chosen is None and request.accept_mimetypes["application/json"]:
        return RESULT_MEDIA[0]
    return chosen


def query_text() -> tuple[str | None, Response | None]:
    """The query of a GET, a form POST or a direct POST; a refusal for any other POST."""
    if request.method == "GET":
        return request.args.get("query"), None
    if request.mimetype == FORM:
        return request.form.get("query"), None
    if request.mimetype == DIRECT:
        try:
            return request.get_data().decode("utf-8"), None
        except UnicodeDecodeError:
            return None, error_response(400, "Bad Request", "the query is not UTF-8 text")
    return None, error_response(415, "Unsupported Media Type",
                                f"POST a query as {FORM} or {DIRECT}")


def describe_service() -> Response:
    """No query: the SPARQL Service Description, or for a browser a page to write a query on."""
    media = negotiate(request, (HTML, *GRAPH_MEDIA))
    if media == HTML:
        example = queries.get("domains").text
        return Response(render_template("sparql.html", queries=queries.all_queries(), example=example),
                        mimetype=HTML)
    if media is None:
        return error_response(406, "Not Acceptable", "the service description is available as "
                              + ", ".join(GRAPH_MEDIA))
    return service_description(media)
