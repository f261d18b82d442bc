"""The web app's seam to the store (as db.py in the Flask tutorial): one store per app."""

from __future__ import annotations

from flask import Flask, current_app

from ..caching import AnswerCache, change_times, feed_members, memory_caches
from ..forwarding import ForwardingQueries
from ..sparql.pool import QueryPool, WorkerSettings
from ..config import beside_store, is_remote
from ..sparql.fair_share import FairShare
from ..store import Store, open_store
from ..store_identity import BaseUriMismatch, recorded_base
from .response_cache import ResponseCache


def init_app(app: Flask, store: Store | None) -> None:
    config = app.config["ODMLD"]
    app.extensions["odmld.store"] = store if store is not None else open_store(config)
    require_served_base(app.extensions["odmld.store"], config.store)
    fair_share = FairShare(beside_store(config.store, "run"), per_client=config.client_queries,
                           queue=config.client_queue, wait=config.query_timeout,
                           heavy_seconds=config.heavy_query_seconds)
    store = app.extensions["odmld.store"]
    kept = memory_caches(config, store)  # what is kept, for how long, and for which store: caching.py
    app.extensions["odmld.pages"] = kept.pages
    app.extensions["odmld.change_times"] = change_times(config, store)
    app.extensions["odmld.feed_members"] = feed_members(config, store)
    # in front of Flask: repeated GETs answered whole, and no response with a Date of its own
    app.wsgi_app = ResponseCache(app.wsgi_app, kept.responses,  # type: ignore[method-assign]
                                 lambda: store.generation)
    if is_remote(config.store):
        app.extensions["odmld.pool"] = ForwardingQueries(
            app.extensions["odmld.store"], result_limit=config.result_limit, timeout=config.query_timeout,
            result_bytes=config.result_mb * 1_000_000, fair_share=fair_share)
        return
    pool = QueryPool(
        WorkerSettings(store_path=config.store, base_uri=config.base_uri,
                       result_limit=config.result_limit, result_bytes=config.result_mb * 1_000_000,
                       union_default_graph=config.union_default_graph,
                       memory_mb=config.query_memory_mb, niceness=config.query_nice,
                       sandbox_required=config.query_sandbox == "required"),
        size=config.sparql_workers, timeout=config.query_timeout, generation=lambda: store.generation,
        cache=kept.answers, open_timeout=config.store_open_timeout,
        fair_share=fair_share, heavy_size=config.heavy_workers)
    app.extensions["odmld.pool"] = pool


def require_served_base(store: Store, location: str) -> None:
    """A store is served under the base URI it was loaded with, or not at all."""
    recorded = recorded_base(store)
    if recorded is not None and recorded != store.base_uri:
        raise BaseUriMismatch(location, recorded, store.base_uri)


def base_uri() -> str:
    """The base URI this app serves (ODMLD_BASE_URI); odmld.vocab builds the IRIs under it."""
    return current_app.config["ODMLD"].base_uri


def get_store() -> Store:
    return current_app.extensions["odmld.store"]


def get_pool() -> QueryPool:
    return current_app.extensions["odmld.pool"]


def get_page_cache() -> AnswerCache | None:
    """Finished /doc/ pages by store generation, or None where they must not be kept."""
    return current_app.extensions["odmld.pages"]
