"""The CLI catches a user's mistakes: it validates every format a city submits, row by row for a CSV,
refuses a parameter the query does not declare, and takes Dutch labels unless told otherwise."""

import csv
import io
from pathlib import Path

import pytest

from backends import run_cli

pytestmark = pytest.mark.slow  # `odmld` in a subprocess for each mistake


@pytest.mark.parametrize("name", ["assessment.csv", "assessment.ttl", "assessment.jsonld"])
def test_validate_takes_every_submission_format_of_the_examples(name):
    result = run_cli("validate", f"data/examples/{name}")
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_names_the_rows_of_a_wrong_csv(tmp_path):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("domain,maturity,need,evidence\n1,opgestart,sterke nood,\n12,2,1,\n3,wonderful,1,\n",
                     encoding="utf-8")
    result = run_cli("validate", str(wrong), "--lang", "en")
    assert result.returncode == 1
    assert "row 3, column domain ('12')" in result.stdout and "row 4, column maturity" in result.stdout
    assert "Traceback" not in result.stderr
    headless = tmp_path / "headless.csv"
    headless.write_text("1,2,3\n", encoding="utf-8")
    unreadable = run_cli("validate", str(headless))
    assert unreadable.returncode == 2 and "de eerste regel" in unreadable.stderr


def test_a_misspelt_param_exits_2_and_lists_the_querys_parameters(model_store_path):
    result = run_cli("query", "domain-actions", "--param", "domian=<id/maturiteitsdomein/3>",
                     store=model_store_path)
    assert result.returncode == 2
    assert "domian" in result.stderr and "domain, lang" in result.stderr and "Traceback" not in result.stderr


def test_lang_is_dutch_where_a_query_takes_it_and_none_is_given(model_store_path):
    result = run_cli("query", "organisations", "--format", "csv", store=model_store_path)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) > 10 and {row["lang"] for row in rows} == {"nl"}
    english = run_cli("query", "organisations", "--format", "csv", "--param", "lang=en", store=model_store_path)
    assert {row["lang"] for row in csv.DictReader(io.StringIO(english.stdout))} == {"en"}


def test_a_plain_code_does_for_an_iri_parameter(model_store_path):
    plain = run_cli("query", "domain-detail", "--param", "domain=4", "--format", "csv", store=model_store_path)
    bracketed = run_cli("query", "domain-detail", "--param", "domain=<id/maturiteitsdomein/4>", "--format", "csv",
                        store=model_store_path)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout == bracketed.stdout and plain.stdout.count("\n") == 2


def test_validate_names_a_turtle_files_domain_by_number_not_a_blank_node(tmp_path):
    example = (Path(__file__).resolve().parent.parent / "data" / "examples" / "assessment.ttl").read_text()
    wrong = tmp_path / "wrong.ttl"
    wrong.write_text(example.replace("maturiteitsdomein/3> ;\n        odm:maturityLevel <id/maturiteitsniveau/gevorderd>",
                                     "maturiteitsdomein/3> ;\n        odm:maturityLevel <id/maturiteitsniveau/heel-goed>"),
                     encoding="utf-8")
    result = run_cli("validate", str(wrong), "--lang", "en")
    assert result.returncode == 1
    assert "domain 3" in result.stdout and "_:" not in result.stdout
