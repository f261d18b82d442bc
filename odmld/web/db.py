"""The web app's seam to the store (as db.py in the Flask tutorial): one store per app."""

from __future__ import annotations

from flask import Flask, current_app

from ..query_pool import ForwardingQueries, QueryPool, WorkerSettings
from ..config import is_remote
from ..store import Store, open_store


def init_app(app: Flask, store: Store | None) -> None:
    config = app.config["ODMLD"]
    app.extensions["odmld.store"] = store if store is not None else open_store(config, read_only=True)
    if is_remote(config.store):
        app.extensions["odmld.pool"] = ForwardingQueries(
            app.extensions["odmld.store"], result_limit=config.result_limit, timeout=config.query_timeout)
        return
    app.extensions["odmld.pool"] = QueryPool(
        WorkerSettings(store_path=config.store, base_uri=config.base_uri,
                       result_limit=config.result_limit,
                       union_default_graph=config.union_default_graph),
        size=config.sparql_workers, timeout=config.query_timeout)


def get_store() -> Store:
    return current_app.extensions["odmld.store"]


def get_pool() -> QueryPool:
    return current_app.extensions["odmld.pool"]
