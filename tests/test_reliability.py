"""Keeping every city's data safe: concurrent use, killed writers, every write route's authorisation,
and backup and restore. Each test is bounded (a fixed number of requests) and uses loopback only.

Elsewhere in the suite: SERVICE and updates refused in every form with a listening socket that sees no
connection (web/test_sparql.py), runaway queries stopped while others are answered (same file), HTML
and script in literals escaped (web/test_pages.py, web/test_api.py), hostile input (test_hostile_input.py).
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from odmld import tokens
from odmld.config import load_config
from odmld.resources import folder
from odmld.web import create_app

from backends import BASE_URI, REPO, assessment_csv, live_server, model_loaded, open_location, run_cli

pytestmark = pytest.mark.slow  # processes killed midway through loads, backups and restores

EXAMPLE_CSV = (folder("data") / "examples" / "assessment.csv").read_bytes()
VERSION_GRAPHS = f"""SELECT ?graph ?parts WHERE {{
  {{ SELECT ?graph (COUNT(?part) AS ?parts) WHERE {{
       GRAPH ?graph {{ ?assessment <{BASE_URI}ns/odm#domainAssessment> ?part }} }} GROUP BY ?graph }}
}}"""


@pytest.fixture(scope="module")
def writable(new_store):
    """A served, writable store with the model and one assessment of Leuven's, and tokens: Leuven's,
    Gent's, and a revoked one."""
    location = new_store()
    store = model_loaded(location)
    app = create_app(load_config({"store": location, "base_uri": BASE_URI}, environ={}), store=store)
    token_file = Path(app.config["ODMLD"].tokens)
    revoked_id, revoked = tokens.create(token_file, "24062")
    tokens.revoke(token_file, revoked_id)
    with live_server(app) as base:
        env = {"base": base, "store": store, "location": location, "app": app, "revoked": revoked,
               "leuven": tokens.create(token_file, "24062")[1], "gent": tokens.create(token_file, "44021")[1]}
        assert submit(env, "leuven", "2024-01-01")[0] == 201
        yield env
    app.extensions["odmld.pool"].close()


def call(url: str, *, data: bytes | None = None, method: str | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def dump(store) -> bytes:
    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.N_QUADS)
    return out.getvalue()


def submit(env, token: str, date: str, note: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """POST the example assessment (with `note` as an evidence: another submission, another version)."""
    return call(f"{env['base']}api/assessments?date={date}", data=assessment_csv(note), headers={
        "Content-Type": "text/csv", "Authorization": f"Bearer {env[token]}"})


def test_concurrent_writers_and_readers_lose_nothing_and_never_fail(writable):
    base, statuses, created, lock = writable["base"], [], [], threading.Lock()
    reads = ["", "model", "doc/maturiteitsdomein/4.ttl", "organisatie/24062", "catalog",
             "sparql?query=" + urllib.request.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")]

    def writer(n: int) -> None:
        for round_ in range(4):
            status, headers, _ = submit(writable, "leuven", f"2024-0{1 + n % 2}-0{1 + round_}",
                                        f"schrijver {n}")
            with lock:
                statuses.append(status)
                if status == 201:
                    created.append(headers["Location"])

    def reader(n: int) -> None:
        for round_ in range(12):
            status, _, _ = call(base + reads[(n + round_) % len(reads)])
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    threads += [threading.Thread(target=reader, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 4 * 4 + 4 * 12
    assert all(status < 500 for status in statuses), statuses
    assert len(created) == 16 and len(set(created)) == 16
    for iri in created:  # every accepted write is there, whole
        graph = ox.NamedNode(iri.replace("/id/inschatting/", "/graph/inschatting/"))
        parts = writable["store"].select(
            f"SELECT (COUNT(?p) AS ?n) WHERE {{ <{iri}> <{BASE_URI}ns/odm#domainAssessment> ?p }}")
        assert parts[0]["n"].value == "11", iri
        assert graph in set(writable["store"].named_graphs())


WRITES = [("POST", "api/assessments?date=2024-05-05&organisation=24062", EXAMPLE_CSV, "text/csv"),
          ("DELETE", "api/assessments/24062/2024-01-01/v1?reason=test", None, None)]


@pytest.mark.parametrize("route", WRITES, ids=["publish", "withdraw"])
@pytest.mark.parametrize("credential, expected", [(None, 401), ("wrong", 401), ("revoked", 401),
                                                  ("gent", 403)])
def test_authorisation_matrix_writes_nothing(writable, route, credential, expected):
    before = dump(writable["store"])
    method, path, body, media = route
    headers = {"Accept": "application/json", **({"Content-Type": media} if media else {})}
    if credential:
        token = writable.get(credential, "odm_wrong.secret")
        headers["Authorization"] = f"Bearer {token}"
    status, _, answer = call(writable["base"] + path, data=body, method=method, headers=headers)
    assert status == expected, answer
    assert json.loads(answer)["error"]["status"] == expected
    assert dump(writable["store"]) == before


@pytest.mark.parametrize("credential", [None, "wrong", "revoked"])
def test_the_form_with_no_or_a_bad_token_writes_nothing(writable, credential):
    before = dump(writable["store"])
    # as a browser does: open the form (its session cookie and CSRF token), then post it
    _, headers, page = call(writable["base"] + "zelfevaluatie")
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.decode()).group(1)
    fields = {"date": "2024-05-05", "method": "zelfevaluatie", "maturity-1": "gevorderd", "csrf": csrf}
    if credential:
        fields["token"] = writable.get(credential, "odm_wrong.secret")
    status, _, _ = call(writable["base"] + "zelfevaluatie",
                        data=urllib.parse.urlencode(fields).encode(),
                        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    assert status == 401
    assert dump(writable["store"]) == before


def test_backup_and_restore_give_the_same_dataset(writable, new_store, tmp_path):
    for date, note in (("2024-01-01", "eerste"), ("2024-01-01", "tweede"), ("2025-01-01", None)):
        assert submit(writable, "leuven", date, note)[0] == 201
    backup = writable["location"]
    first = run_cli("dump", store=backup)
    assert first.returncode == 0, first.stderr
    restored = new_store()
    dump_file = tmp_path / "backup.nq"
    dump_file.write_text(first.stdout, encoding="utf-8")
    assert run_cli("load", str(dump_file), store=restored).returncode == 0
    second = run_cli("dump", store=restored).stdout
    assert sorted(second.splitlines()) == sorted(first.stdout.splitlines()) or same_dataset(first.stdout, second)


def same_dataset(one: str, other: str) -> bool:
    """Equal up to blank node labels (the shapes' lists are blank nodes), graph by graph, but the dumps'
    kept checksums."""
    graphs = []
    for text in (one, other):
        dataset = rdflib.Dataset()
        dataset.parse(data=text, format="nquads")
        graphs.append({str(g.identifier): g for g in dataset.graphs() if len(g)})
    # but the dumps' kept checksums: they are of bytes, and a load names blank nodes afresh, so a graph
    # holding some has a dump of other bytes once restored (the restore kept those figures)
    kept_figures = next((name for name in graphs[0] if name.endswith("/graph/dumps")), None)
    return graphs[0].keys() == graphs[1].keys() and all(
        isomorphic(graphs[0][name], graphs[1][name]) for name in graphs[0] if name != kept_figures)


PUBLISH_LOOP = r"""
import sys
from odmld.config import load_config
from odmld.store import open_store
from odmld.assessments.submit import submit
store = open_store(load_config({"store": sys.argv[1], "base_uri": sys.argv[2]}, environ={}))
body = open(sys.argv[3], "rb").read()
for n in range(1000):  # each with its own evidence: another submission, another version
    varied = body.replace(b"\n2,1,2,\n", f"\n2,1,2,poging {n}\n".encode(), 1)
    outcome = submit(store, "24062", "text/csv", varied, {"date": "2024-03-03"}, "en")
    print(outcome.published.iri.value if outcome.published else outcome.detail, flush=True)
"""


def test_a_writer_killed_mid_submission_leaves_whole_versions_only(new_store, tmp_path):
    location = new_store()
    model_loaded(location)
    script = tmp_path / "publish_loop.py"
    script.write_text(PUBLISH_LOOP, encoding="utf-8")
    csv_file = folder("data") / "examples" / "assessment.csv"
    child = subprocess.Popen([sys.executable, str(script), location, BASE_URI, str(csv_file)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
    published = [child.stdout.readline().strip() for _ in range(3)]
    assert all(line.startswith(BASE_URI) for line in published), (published, child.stderr.read())
    time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    store = open_location(location)
    versions = {row["graph"].value: int(row["parts"].value) for row in store.select(VERSION_GRAPHS)}
    for iri in published:  # every write the writer saw land is there
        assert iri.replace("/id/inschatting/", "/graph/inschatting/") in versions
    assert set(versions.values()) == {11}, versions  # and no version is there in part


def void_total(dump: str) -> int:
    """The number of triples the VoID description in an N-Quads dump says the store holds."""
    said = f"<{BASE_URI}.well-known/void> <http://rdfs.org/ns/void#triples> "
    return int(next(line for line in dump.splitlines() if line.startswith(said)).split('"')[1])


def unchanged(dump: str) -> list[str]:
    """The dump's lines but the big file's graph and the VoID description that counts it."""
    return [line for line in dump.splitlines()
            if "graph/file/big" not in line and not line.endswith(f"<{BASE_URI}graph/void> .")]


def test_a_load_killed_midway_leaves_all_or_nothing(new_store, tmp_path):
    location = new_store()
    assert run_cli("load", store=location).returncode == 0
    before = run_cli("dump", store=location).stdout
    big = tmp_path / "big.nt"
    with big.open("w", encoding="utf-8") as out:
        for n in range(200_000):
            out.write(f"<{BASE_URI}id/test/{n}> <{BASE_URI}ns/p> \"waarde {n}\" .\n")
    environment = {**os.environ, "ODMLD_BASE_URI": BASE_URI, "ODMLD_STORE": location}
    outcomes = set()
    for delay in (0.5, 1.5, 3.0):
        child = subprocess.Popen([sys.executable, "-m", "odmld.cli", "load", str(big)], env=environment,
                                 cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        store = open_location(location, read_only=True)
        graph = ox.NamedNode(f"{BASE_URI}graph/file/big")
        count = int(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}")
                    [0]["n"].value)
        assert count in (0, 200_000), count
        outcomes.add(count)
        del store
        after = run_cli("dump", store=location).stdout
        # the VoID description counts what the store holds, so a whole load changes it by its quads
        assert void_total(after) == void_total(before) + count
        assert sorted(unchanged(after)) == sorted(unchanged(before))
    print("outcomes of the killed loads (quads of the big graph):", sorted(outcomes))
