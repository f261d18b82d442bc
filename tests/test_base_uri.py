"""A store knows the base URI it was loaded with: serving or writing it under another is refused before
anything is written, with a message naming both and the command that moves it; `odmld rebase` moves
it, every IRI and graph name, assessments, statistics and write tokens included."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from odmld import dump_digests, tokens
from odmld.config import load_config
from odmld.resources import folder
from odmld.store_identity import BaseUriMismatch
from odmld.web import create_app

from backends import BASE_URI, REPO, free_port, run_cli

pytestmark = pytest.mark.slow  # rebases whole stores with published assessments, through `odmld`

OTHER = "http://elders.test/"
EXAMPLE_CSV = folder("data") / "examples" / "assessment.csv"


def dump(location: str, base: str = BASE_URI) -> str:
    done = run_cli("dump", store=location, env={"ODMLD_BASE_URI": base})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_writing_a_store_under_another_base_uri_is_refused_and_writes_nothing(new_store):
    location = new_store()
    assert run_cli("load", store=location).returncode == 0
    before = dump(location)
    refused = run_cli("load", store=location, env={"ODMLD_BASE_URI": OTHER})
    assert refused.returncode == 3  # the store cannot do the work (odmld.errors' exit table)
    assert BASE_URI in refused.stderr and OTHER in refused.stderr and "odmld rebase --to" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert dump(location) == before


def test_serving_a_store_under_another_base_uri_is_refused(tmp_path):
    location = str(tmp_path / "store")
    assert run_cli("load", store=location).returncode == 0
    port = free_port()  # the default base URI would be http://127.0.0.1:{port}/
    environment = {key: value for key, value in os.environ.items() if key != "ODMLD_BASE_URI"}
    served = subprocess.run([sys.executable, "-m", "odmld.cli", "serve", "--port", str(port)], cwd=REPO,
                            env={**environment, "ODMLD_STORE": location}, capture_output=True, text=True,
                            timeout=120)
    assert served.returncode == 3
    assert BASE_URI in served.stderr and f"http://127.0.0.1:{port}/" in served.stderr
    with pytest.raises(BaseUriMismatch):
        create_app(load_config({"store": location, "base_uri": OTHER}, environ={}))


def test_rebase_moves_every_iri_and_keeps_assessments_statistics_and_tokens(new_store, tmp_path):
    location = new_store()  # on a SPARQL server, one DELETE/INSERT update
    assert run_cli("load", store=location).returncode == 0
    token_file = tmp_path / "tokens.sqlite3"
    _, secret = tokens.create(token_file, "24062")
    imported = run_cli("import-survey", str(folder("data") / "examples" / "survey-responses.csv"),
                       "--org", "24062", "--date", "2020-01-31", store=location)
    assert imported.returncode == 0, imported.stderr
    before = dump(location)

    moved = run_cli("rebase", "--to", OTHER, store=location)
    assert moved.returncode == 0, moved.stderr
    after = dump(location, OTHER)
    assert BASE_URI not in after
    assert len(after.splitlines()) == len(before.splitlines())
    # every statement moved, but the dumps' checksums and sizes, which are of bytes that hold the base
    kept_figures = "graph/dumps> ."
    assert sorted(line for line in after.replace(OTHER, BASE_URI).splitlines() if kept_figures not in line) == \
        sorted(line for line in before.splitlines() if kept_figures not in line)
    ranked = run_cli("query", "ranking", store=location, env={"ODMLD_BASE_URI": OTHER})
    assert ranked.returncode == 0 and "24062" in ranked.stdout
    assert tokens.organisation_of(token_file, secret) == "24062"
    # the old base is now the other one
    assert run_cli("load", store=location).returncode == 3
    client = create_app(load_config({"store": location, "base_uri": OTHER, "tokens": str(token_file)},
                                    environ={})).test_client()
    page = client.get("/doc/organisatie/24062.ttl")
    assert page.status_code == 200 and OTHER.encode() in page.data and BASE_URI.encode() not in page.data
    store = client.application.extensions["odmld.store"]  # the rebased dumps' kept figures are their downloads'
    graphs = dump_digests.catalogued(OTHER, store.named_graphs())
    kept = dump_digests.kept(store, graphs)
    assert kept and kept == {
        graph: dump_digests.digest_of(client.get(dump_digests.dump_url(OTHER, graph).value.replace(OTHER, "/")).get_data())
        for graph in kept}
