"""The odmld web service: a Flask application factory with one blueprint per concern."""

from __future__ import annotations

import gc

from flask import Flask, request
from flask.sessions import SessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from ..config import Config, load_config
from ..store import Store
from . import body_limit, converters, db, errors, headers
from .i18n import current_language, lang_attribute, said, switch_href, translator
from .links import link
from .compression import Compression
from .query_string import QueryStringCheck
from .sparql_get import SparqlGet


class NoCookieSessions(SessionInterface):
    """Flask's own session is not used: the form keeps its sessions server-side (sessions.py), and
    nothing else needs one. Flask opens a session on every request; this one costs nothing and can
    never put anything in a cookie."""

    def open_session(self, app: Flask, request: object) -> None:
        return None

    def save_session(self, app: Flask, session: object, response: object) -> None:
        return None


def create_app(config: Config | None = None, *, store: Store | None = None) -> Flask:
    """Build the app on the configured store (or on `store`, already open). Every worker process of
    the production server builds its own; they share the store, and any of them accepts writes."""
    app = Flask(__name__)
    config = config or load_config()
    app.config["ODMLD"] = config
    app.config["MAX_CONTENT_LENGTH"] = body_limit.LIMIT
    app.session_interface = NoCookieSessions()
    # the innermost middleware: db.init_app puts the whole-response cache in front of it
    app.wsgi_app = SparqlGet(app.wsgi_app, app)  # type: ignore[method-assign]
    # inside the whole-response cache, which so keeps the compressed bytes
    app.wsgi_app = Compression(app.wsgi_app)  # type: ignore[method-assign]
    db.init_app(app, store)
    # no body over the limit reaches anything else, chunked or not
    app.wsgi_app = body_limit.BodyLimit(app.wsgi_app, app)  # type: ignore[method-assign]
    # no view, cache key or front reads a query string that is not UTF-8
    app.wsgi_app = QueryStringCheck(app.wsgi_app, app)  # type: ignore[method-assign]
    if config.trust_proxy:  # outermost, so every part (the caches' keys too) sees the URL asked
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1,  # type: ignore[method-assign]
                                x_prefix=1)
    errors.register(app)
    app.url_map.converters.update(converters.CONVERTERS)  # before any route is added

    from . import (api, catalog, compare, feed, form, library, linkeddata, meta, openapi, pages, sparql,
                   survey_form, surveys)
    for blueprint in (pages.bp, linkeddata.bp, sparql.bp, meta.bp, api.bp, form.bp, catalog.bp, feed.bp,
                      compare.bp, surveys.bp, survey_form.bp, library.bp, openapi.bp):
        app.register_blueprint(blueprint)

    @app.context_processor
    def page_helpers() -> dict:
        lang = current_language()
        return {"lang": lang, "t": translator(lang), "link": link, "said": lambda term: said(term, lang),
                "lang_of": lambda term: lang_attribute(term, lang),
                "switch": switch_href(request.script_root + request.path, request.args, lang),
                "has_path": lambda path: any(rule.rule == path for rule in app.url_map.iter_rules())}

    app.after_request(headers.add_common_headers)

    return app


def create_worker_app(config: Config | None = None) -> Flask:
    """The app as a worker of the production server runs it (granian's factory, cli_serve.py):
    create_app's, with every template compiled (0.1 s in all, rather than at the first request of
    each page), then everything made so far frozen out of the garbage collector's full collections
    (gc.freeze). Those objects (modules, the model's terms, the templates: some 66,000) live as long
    as the worker; without the freeze each full collection walks them again, 14 ms, a pause that
    bench/pages.py saw land inside a request (`/ns/odm`, 17 ms of its 33)."""
    app = create_app(config)
    for name in app.jinja_env.list_templates():
        app.jinja_env.get_template(name)
    gc.freeze()
    return app
