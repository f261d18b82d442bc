"""The CLI as a user runs it: a subprocess against a real store (on disk, or an oxigraph server)."""

import csv
import io
import re
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from backends import BASE_URI, open_location, run_cli

pytestmark = pytest.mark.slow  # `odmld` in a subprocess, loading and dumping whole stores

FIXTURES = Path(__file__).parent / "fixtures"


def loaded_count(output: str) -> int:
    return int(re.search(r"loaded (\d+) quads", output).group(1))


def as_dataset(nquads: str) -> dict[str, rdflib.Graph]:
    dataset = rdflib.Dataset()
    dataset.parse(data=nquads, format="nquads")
    return {str(graph.identifier): graph for graph in dataset.graphs() if len(graph)}


def test_load_dump_reload_dump_is_lossless(tmp_path, new_store):
    first, second = new_store(), new_store()
    loaded = run_cli("load", store=first)
    assert loaded.returncode == 0, loaded.stderr
    dumped = run_cli("dump", store=first)
    assert dumped.returncode == 0, dumped.stderr
    # every quad of the store: the files loaded, and what odmld keeps beside them (VoID counts, register)
    assert len(dumped.stdout.splitlines()) == len(open_location(first)) > loaded_count(loaded.stdout)

    dump_file = tmp_path / "all.nq"
    dump_file.write_text(dumped.stdout, encoding="utf-8")
    assert run_cli("load", str(dump_file), store=second).returncode == 0
    again = run_cli("dump", store=second).stdout
    assert len(again.splitlines()) == len(dumped.stdout.splitlines())
    before, after = as_dataset(dumped.stdout), as_dataset(again)
    assert before.keys() == after.keys()
    # but the dumps' kept checksums: a load names blank nodes afresh, so a graph holding some has a dump
    # of other bytes in the second store, and the load kept the figures of those (dump_digests.py)
    kept_figures = f"{BASE_URI}graph/dumps"
    assert all(isomorphic(before[name], after[name]) for name in before if name != kept_figures)
    assert len(before[kept_figures]) == len(after[kept_figures])


def test_reloading_the_model_changes_nothing(new_store):
    store = new_store()
    run_cli("load", store=store)
    first = as_dataset(run_cli("dump", store=store).stdout)
    assert run_cli("load", store=store).returncode == 0
    again = as_dataset(run_cli("dump", store=store).stdout)
    assert first.keys() == again.keys()
    # the dumps' kept checksums are of bytes, and a load names blank nodes afresh (dump_digests.py)
    assert all(isomorphic(first[name], again[name]) for name in first if name != f"{BASE_URI}graph/dumps")


def test_a_broken_file_is_refused_and_the_store_left_as_it_was(tmp_path, new_store):
    store = new_store()
    run_cli("load", store=store)
    before = run_cli("dump", store=store).stdout
    broken = tmp_path / "broken.ttl"
    broken.write_text("<id/x> <ns/p> 1 .\n<id/y> <ns/p> .\n", encoding="utf-8")
    result = run_cli("load", "data", str(broken), store=store)
    assert result.returncode == 2
    assert "broken.ttl" in result.stderr and "line 2" in result.stderr
    assert "Traceback" not in result.stderr
    assert run_cli("dump", store=store).stdout == before


def test_validate_exit_codes(tmp_path):
    assert run_cli("validate", "data").returncode == 0
    broken = tmp_path / "broken.ttl"
    broken.write_text("<id/x> <ns/p> .\n", encoding="utf-8")
    unreadable = run_cli("validate", str(broken))
    assert unreadable.returncode == 2 and "broken.ttl" in unreadable.stderr
    assert "Traceback" not in unreadable.stderr
    invalid = run_cli("validate", str(FIXTURES / "assessments" / "missing-date.ttl"))
    assert invalid.returncode == 1, invalid.stdout
    assert "Violation" in invalid.stdout


def test_query_by_name_prints_a_table_and_csv(model_store_path):
    table = run_cli("query", "domains", store=model_store_path)
    assert table.returncode == 0, table.stderr
    assert "(11 rows)" in table.stdout
    as_csv = run_cli("query", "domains", "--format", "csv", store=model_store_path)
    lines = as_csv.stdout.splitlines()
    assert lines[0].split(",") == ["domain", "notation", "label", "lang", "principles"]
    assert len(lines) == 12


def test_query_errors_are_one_line_without_traceback(model_store_path):
    unknown = run_cli("query", "no-such-query", store=model_store_path)
    assert unknown.returncode == 2 and "no query called" in unknown.stderr
    bad = run_cli("query", "-", store=model_store_path, input="SELECT * WHERE { ?s ")
    assert bad.returncode == 2 and "does not parse" in bad.stderr
    assert "Traceback" not in unknown.stderr + bad.stderr


def test_query_binds_parameters(model_store_path):
    result = run_cli("query", "queries/internal/domain-principles.rq", "--param", "domain=<id/maturiteitsdomein/4>",
                     "--format", "csv", store=model_store_path)
    assert result.returncode == 0, result.stderr
    notations = [row["notation"] for row in csv.DictReader(io.StringIO(result.stdout))]
    assert notations == ["7", "8", "9", "10", "16"]
