"""The README's first command: `odmld serve` loads the model and serves it at the address it prints."""

import os
import subprocess
import sys
import time
import urllib.request

import pytest
import rdflib

from backends import free_port


@pytest.mark.slow
def test_odmld_serve_loads_the_model_and_every_iri_dereferences_on_it(new_store):
    port = free_port()
    env = {**os.environ, "ODMLD_STORE": new_store()}
    env.pop("ODMLD_BASE_URI", None)
    server = subprocess.Popen([sys.executable, "-m", "odmld.cli", "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base, timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "odmld serve did not start"
                time.sleep(0.3)
        graph = rdflib.Graph().parse(base + "id/maturiteitsdomein/4")  # follows the 303
        assert (rdflib.URIRef(base + "id/maturiteitsdomein/4"), rdflib.SKOS.notation, rdflib.Literal("4")) \
            in graph
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert f"serving on {base}" in output
