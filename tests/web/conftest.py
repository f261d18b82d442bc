"""The real Flask app over a real on-disk store holding the model (no mocks)."""

from __future__ import annotations

import pytest

from odmld.config import load_config
from odmld.web import create_app

BASE = "http://odmld.test/"


def make_app(store_path, store=None, **settings):
    config = load_config({"store": str(store_path), "base_uri": BASE, **settings}, environ={})
    return create_app(config, store=store)


@pytest.fixture(scope="session")
def app(model_store_path, model_store):
    application = make_app(model_store_path, model_store, query_timeout=20.0)
    yield application
    application.extensions["odmld.pool"].close()


@pytest.fixture()
def client(app):
    return app.test_client()
