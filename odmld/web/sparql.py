"""The SPARQL 1.1 Protocol endpoint: public, read-only, limited in time and size.

Updates and SERVICE (federated query) are refused before anything runs; every other query goes to the
worker pool (odmld.query_pool), which enforces the time and result limits. A GET with a query is
usually answered before it gets here, by sparql_get.SparqlGet with this module's prepare_job.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from werkzeug.datastructures import MultiDict

from .. import queries
from ..query_pool import QueryJob, QueryRefused
from ..sparql_text import screen
from .db import get_pool
from .errors import error_response
from .formats import GRAPH_MEDIA, HTML, RESULT_MEDIA, best_match, negotiate
from .meta import service_description
from .response_cache import mark_reusable

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


READ_ONLY = "this endpoint is read-only: SPARQL updates are refused"


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    """POST, and any GET that sparql_get.SparqlGet passed on."""
    if request.mimetype == UPDATE or "update" in request.values:
        return error_response(403, "Forbidden", READ_ONLY)
    text, refusal = query_text()
    if refusal is not None:
        return refusal
    if text is None:
        return describe_service()
    values = request.form if request.mimetype == FORM else request.args
    try:
        job, keep = prepare_job(text, request.headers.get("Accept", ""), values)
        media, body = get_pool().run(job, keep=keep)
    except QueryRefused as refused:
        return error_response(refused.status, refused.title, refused.detail)
    response = Response(body, mimetype=media)
    response.headers["Vary"] = "Accept"
    if keep:
        mark_reusable()
    return response


def prepare_job(text: str, accept: str, values: MultiDict) -> tuple[QueryJob, bool]:
    """The job that answers `text` for a client that sends `accept`, with the dataset named in
    `values`, and whether its answer may be kept. An update or a SERVICE clause is refused
    (QueryRefused) before anything runs."""
    screened = screen(text)
    if screened.is_update:
        raise QueryRefused(403, "Forbidden", READ_ONLY)
    if screened.calls_service:
        raise QueryRefused(403, "Forbidden", "SERVICE (federated query) is refused: this endpoint does "
                           "not open connections to other servers")
    job = QueryJob(text=text, results_media=results_media(accept),
                   graph_media=best_match(accept, GRAPH_MEDIA),
                   default_graphs=tuple(values.getlist("default-graph-uri")),
                   named_graphs=tuple(values.getlist("named-graph-uri")),
                   stated_limit=screened.outer_limit)
    return job, not screened.answers_differ_between_runs


def results_media(accept: str) -> str | None:
    """The SPARQL results format to answer in; plain JSON clients get SPARQL JSON."""
    chosen = best_match(accept, RESULT_MEDIA)
    if chosen is None and best_match(accept, ("application/json",)):
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
