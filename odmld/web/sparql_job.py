"""What a /sparql request asks the query pool to do, and its answer: one query, screened, in the
formats the client accepts, over the dataset it names. The endpoint's view (sparql.py), its HTML
answer (sparql_html.py) and the plain-WSGI GET (sparql_get.py) are each a front of `answer`, so none
imports another's and no two run a query their own way.
"""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from typing import NamedTuple

from ..sparql.fair_share import client_of
from ..sparql.pool import QueryJob, QueryPool, QueryRefused
from ..sparql.screen import screen
from .formats import GRAPH_MEDIA, RESULT_MEDIA, best_match

READ_ONLY = "this endpoint is read-only: SPARQL updates are refused"


class Answer(NamedTuple):
    media: str  # the format it is written in
    body: bytes
    keep: bool  # whether the same text may be answered with these bytes again (caching.py)


def answer(pool: QueryPool, text: str, accept: str, values: MultiDict, remote_addr: str | None) -> Answer:
    """The answer to `text` in the best format `accept` names, over the dataset in `values`, run by
    `pool` in the fair share of the client at `remote_addr`; refused (QueryRefused, an OdmldError)
    before anything runs when `prepare_job` refuses it."""
    job, keep = prepare_job(text, accept, values)
    media, body = pool.run(job, keep=keep, client=client_of(remote_addr))
    return Answer(media, body, keep)


def prepare_job(text: str, accept: str, values: MultiDict) -> tuple[QueryJob, bool]:
    """The job that answers `text` for a client that sends `accept`, with the dataset named in
    `values`, and whether its answer may be kept. An update or a SERVICE clause is refused
    (QueryRefused) before anything runs, and so is a second `query` or `update` in `values`."""
    single_parameters(values)
    screened = screen(text)
    if screened.too_intricate:
        raise QueryRefused(400, "Bad Request", "the query is too intricate to screen for SERVICE; "
                           "simplify it")
    if screened.is_update:
        raise QueryRefused(403, "Forbidden", READ_ONLY)
    if screened.calls_service:
        raise QueryRefused(403, "Forbidden", "SERVICE (federated query) is refused: this endpoint does "
                           "not open connections to other servers")
    job = QueryJob(text=text, results_media=results_media(accept),
                   graph_media=best_match(accept, GRAPH_MEDIA),
                   default_graphs=tuple(values.getlist("default-graph-uri")),
                   named_graphs=tuple(values.getlist("named-graph-uri")))
    return job, not screened.answers_differ_between_runs


def single_parameters(*sources: MultiDict) -> None:
    """A request gives `query` (or `update`) once: two are refused with 400 (QueryRefused), as the
    protocol has no meaning for them (W3C protocol tests bad_multiple_queries, bad_multiple_updates)."""
    for name in ("query", "update"):
        given = sum(len(source.getlist(name)) for source in sources)
        if given > 1:
            raise QueryRefused(400, "Bad Request", f"send one '{name}' parameter, not {given}")


def results_media(accept: str) -> str | None:
    """The SPARQL results format to answer in; plain JSON clients get SPARQL JSON."""
    chosen = best_match(accept, RESULT_MEDIA)
    if chosen is None and best_match(accept, ("application/json",)):
        return RESULT_MEDIA[0]
    return chosen
