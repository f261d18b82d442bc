"""A JSON-LD document has the same bytes in every process of a deployment: each worker is its own Python
process with its own hash seed, and a document whose bytes (and ETag) depend on the worker answering
tells a harvester it changed when it did not."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from backends import model_loaded

pytestmark = pytest.mark.slow  # two Python processes, each starting the app

DOCUMENTS = ["/ns/odm-shapes", "/ns/odm", "/catalog", "/.well-known/void", "/feed", "/doc/maturiteitsdomein/4",
             "/doc/conceptschema/open-data-charter"]

ANSWERS = """
import json, sys
from odmld.config import load_config
from odmld.web import create_app
client = create_app(load_config()).test_client()
answers = {}
for path in json.loads(sys.argv[1]):
    response = client.get(path, headers={"Accept": "application/ld+json"})
    answers[path] = [response.status_code, response.headers.get("ETag"), response.get_data(as_text=True)]
print(json.dumps(answers))
"""


def answers_of_a_process(store: str, seed: str) -> dict:
    env = {**os.environ, "ODMLD_STORE": store, "ODMLD_BASE_URI": "http://odmld.test/", "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-c", ANSWERS, json.dumps(DOCUMENTS)], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_every_process_sends_a_json_ld_document_with_the_same_bytes_and_etag(new_store, backend):
    if backend != "embedded":
        pytest.skip("the bytes are made in the app, whatever the store: the embedded case says it")
    store = new_store()
    model_loaded(store)
    one, other = answers_of_a_process(store, "1"), answers_of_a_process(store, "2")
    assert all(answer[0] == 200 for answer in one.values()), {path: a[0] for path, a in one.items()}
    differing = [path for path in DOCUMENTS if one[path] != other[path]]
    assert not differing
    shapes = json.loads(one["/ns/odm-shapes"][2])
    assert shapes["@context"].endswith("ns/context.jsonld") and shapes["@graph"]
