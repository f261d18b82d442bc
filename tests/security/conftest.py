"""Fixtures of the security suite: the loopback listener, and the model store on the embedded backend
(the query processes, and so their restriction, exist only there)."""

from __future__ import annotations

import pytest

from backends import model_loaded
from .probes import Listener, make_pool


@pytest.fixture()
def listener():
    listening = Listener()
    yield listening
    listening.close()


@pytest.fixture(scope="session")
def embedded_store_path(tmp_path_factory) -> str:
    """The bundled model in an embedded store of its own (closed, so others can open it)."""
    path = str(tmp_path_factory.mktemp("security") / "store")
    model_loaded(path)
    return path


@pytest.fixture(scope="module")
def pool(embedded_store_path):
    """Query processes with no screen in front of them."""
    queries = make_pool(embedded_store_path, timeout=20.0)
    yield queries
    queries.close()
