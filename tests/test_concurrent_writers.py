"""Four processes publishing 25 assessments each at once, two of them for the same organisation and
date: every acknowledged write is stored, and version numbers are unique per organisation and date."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

from odmld.config import load_config
from odmld.resources import folder
from odmld.store import open_store
from odmld.assessments.submit import submit

from backends import BASE_URI, REPO, model_loaded, open_location

PUBLISH = r"""
import sys
from odmld.config import load_config
from odmld.store import open_store
from odmld.errors import OdmldError
from odmld.assessments.submit import submit
store = open_store(load_config({"store": sys.argv[1], "base_uri": sys.argv[2]}, environ={}))
body = open(sys.argv[3], "rb").read()
for n in range(int(sys.argv[6])):  # each its own evidence: another submission, so another version
    varied = body.replace(b"\n2,1,2,\n", f"\n2,1,2,schrijver {sys.argv[7]} poging {n}\n".encode(), 1)
    try:
        print(submit(store, sys.argv[4], "text/csv", varied, {"date": sys.argv[5]}, "en").published.iri.value,
              flush=True)
    except OdmldError as refused:
        print(f"refused: {refused}", flush=True)
"""
WRITERS = [("24062", "2024-06-01"), ("24062", "2024-06-01"), ("44021", "2024-06-01"), ("11002", "2023-01-01")]
EACH = 25
VERSIONS = f"""SELECT ?assessment ?version WHERE {{
  ?assessment a <{BASE_URI}ns/odm#Assessment> ; <http://www.w3.org/2002/07/owl#versionInfo> ?version }}"""


@pytest.mark.slow
def test_four_processes_writing_at_once_lose_nothing_and_never_share_a_version_number(new_store):
    location = new_store()
    model_loaded(location)
    csv_file = str(folder("data") / "examples" / "assessment.csv")
    writers = [subprocess.Popen([sys.executable, "-c", PUBLISH, location, BASE_URI, csv_file, organisation,
                                 date, str(EACH), str(number)], cwd=REPO, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
               for number, (organisation, date) in enumerate(WRITERS)]
    acknowledged = []
    for writer in writers:
        out, err = writer.communicate(timeout=600)
        assert writer.returncode == 0, err
        acknowledged += out.split()
    assert len(acknowledged) == len(WRITERS) * EACH and all(a.startswith(BASE_URI) for a in acknowledged)
    assert len(set(acknowledged)) == len(acknowledged)  # no two writes were given the same version
    stored = {row["assessment"].value: int(row["version"].value)
              for row in open_location(location).select(VERSIONS)}
    assert set(acknowledged) <= set(stored)
    per_day = Counter(iri.rsplit("/", 1)[0] for iri in acknowledged)
    for day, count in per_day.items():
        numbers = sorted(version for iri, version in stored.items() if iri.startswith(day + "/"))
        assert numbers == list(range(1, count + 1)), day


HOLD_AND_DIE = """
import sys, time
from odmld.config import load_config
from odmld.store import open_store
store = open_store(load_config({"store": sys.argv[1], "base_uri": sys.argv[2], "store_lease": 3.0}, environ={}))
def hold(writer):
    print("holding", flush=True)
    time.sleep(600)
store.write(hold)
"""


@pytest.mark.slow
def test_a_writer_killed_while_it_holds_a_remote_store_blocks_the_others_only_until_its_lease_ends(
        new_store, backend):
    if backend == "embedded":
        pytest.skip("the embedded store's write lock is the kernel's (flock): test_store_processes.py")
    location = new_store()
    model_loaded(location)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_AND_DIE, location, BASE_URI], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "holding", holder.stderr.read()
    holder.kill()
    holder.wait()
    store = open_store(load_config({"store": location, "base_uri": BASE_URI, "store_lease": 3.0},
                                   environ={}))
    csv_body = (folder("data") / "examples" / "assessment.csv").read_bytes()
    outcome = submit(store, "24062", "text/csv", csv_body, {"date": "2024-06-01"}, "en")
    assert outcome.published is not None and outcome.published.version == 1
    assert store.select("SELECT ?claim WHERE { GRAPH <urn:odmld:write-lease> { ?claim ?p ?o } }") == []
