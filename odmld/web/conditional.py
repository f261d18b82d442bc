"""Validators of a document and conditional GET: an ETag of its bytes, a Last-Modified of when they
last changed (change_times.py, shared by every process), Cache-Control, and 304 where the client has
these bytes already. What is kept and for how long is caching.py's."""

from __future__ import annotations

from flask import Response, current_app, request
from werkzeug.http import generate_etag, quote_etag

from ..caching import REVALIDATE, changed_since, last_modified_due
from .db import get_store
from .formats import HTML
from .i18n import current_language
from .response_cache import mark_reusable


def document_key(media: str, *parts: object) -> str:
    """Which document a response is, for change_times: its address (links in it start with the
    script root), format and (HTML) language, and `parts` for what else its bytes depend on (a page
    number). Everything its bytes depend on, so that one key never has two sets of bytes at once; and
    only that, so that the keys are as many as the documents (an unknown path records nothing)."""
    language = current_language() if media == HTML else ""
    return " ".join((request.script_root + request.path, media, language, *map(str, parts)))


def etag_of(body: bytes) -> str:
    return quote_etag(generate_etag(body))


def since_made(media: str, etag: str, *parts: object) -> int | None:
    """Since when this request's document has had the bytes `etag` (just made from the store); None
    for an HTML page asked with a query (beyond `lang`): its language switch links that query, so its
    bytes depend on more than document_key names, and recording every query would let anyone grow
    the table. Such a page has its ETag, not a Last-Modified."""
    if media == HTML and any(name != "lang" for name in request.args):
        return None
    return changed_since(current_app.extensions["odmld.change_times"], get_store(),
                         document_key(media, *parts), etag)


def conditional(response: Response, since: int | None, *,
                cache_control: str = REVALIDATE, due: bool | None = None) -> Response:
    """Last-Modified (where due) and Cache-Control on a response that has its ETag, and 304 where
    the client has it already. `due`: whether the Last-Modified is due, as the caller decided it when
    it chose to keep the response (decided again here, a moment later, the second could tick between
    and a response stating it would not be kept)."""
    response.headers.pop("Last-Modified", None)  # only ours: send_file would state the file's
    if due is None:
        due = last_modified_due(since)
    if due:
        response.last_modified = since
    response.headers.setdefault("Cache-Control", cache_control)
    return response.make_conditional(request)


def validated(response: Response, *parts: object, cache_control: str = REVALIDATE,
              dated: bool = True, reusable: bool = False) -> Response:
    """A document just made: its ETag (of its bytes, unless it has one), since when it has these bytes
    (not `dated`: bytes that depend on more of the request than document_key says), and 304 where
    the client has them already.

    `reusable`: the same request gets the same bytes until the store changes, so the response may be
    kept whole (response_cache.py), but only once its Last-Modified is due: kept before, it would be
    given again without the Last-Modified that is due a moment later."""
    etag = response.headers.get("ETag")
    if etag is None:
        etag = etag_of(response.get_data())
        response.headers["ETag"] = etag
    since = since_made(response.mimetype, etag, *parts) if dated else None
    due = last_modified_due(since)
    if reusable and (since is None or due):
        mark_reusable()
    return conditional(response, since, cache_control=cache_control, due=due)
