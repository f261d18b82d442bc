"""`odmld import-survey` on the shipped template: statistics, suppression, no personal data, an assessment."""

import csv
from collections import Counter

import pytest

from backends import BASE_URI as BASE, run_cli

from odmld.resources import folder

pytestmark = pytest.mark.slow  # a survey imported: a publication per organisation

EXAMPLE = folder("data") / "examples" / "survey-responses.csv"


def expected_levels(rows):
    """The rule of odmld.assessments.survey, recomputed here from the raw file."""
    def share(column):
        answered = [r[column] for r in rows if r[column] != "5"]
        return sum(a in ("3", "4") for a in answered) / len(answered)
    aware, better = share("q6b"), share("q6c")
    maturity = ("niet-aanwezig" if aware < .25 else "opgestart" if aware < .5
                else "gevorderd" if aware < .75 else "verworven")
    need = "geen-nood" if better < 1 / 3 else "redelijke-nood" if better < 2 / 3 else "sterke-nood"
    return maturity, need


def test_import_publishes_statistics_and_a_survey_assessment(new_store):
    store = new_store()
    assert run_cli("load", store=store).returncode == 0
    result = run_cli("import-survey", str(EXAMPLE), "--org", "24062", "--date", "2020-01-31", store=store)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(EXAMPLE.open(encoding="utf-8")))
    small = sorted(p for p, n in Counter(r["profile"] for r in rows).items() if n < 5)
    assert ", ".join(small) in result.stdout

    dump = run_cli("dump", store=store).stdout
    assert "r001" not in dump  # respondent codes are not stored
    for profile in small:
        assert f"id/bevraging/24062/2020-01-31/{profile}/" not in dump

    yes = sum(r["q9"] == "ja" for r in rows)
    query = (f'SELECT ?n WHERE {{ <{BASE}id/bevraging/24062/2020-01-31/all/9/ja> '
             f'<{BASE}ns/odm#frequency> ?n }}')
    counted = run_cli("query", "-", "--format", "csv", store=store, input=query)
    assert counted.stdout.splitlines()[1] == str(yes)

    maturity, need = expected_levels(rows)
    assessment = f"<{BASE}id/inschatting/24062/2020-01-31/v1>"
    for line in (f"<{BASE}ns/odm#method> <{BASE}id/methode/bevraging>",
                 f"<http://www.w3.org/ns/prov#wasDerivedFrom> <{BASE}id/bevraging/24062/2020-01-31>"):
        assert f"{assessment} {line}" in dump
    assert f"<{BASE}id/inschatting/24062/2020-01-31/v1/domein-1> <{BASE}ns/odm#maturityLevel> " \
           f"<{BASE}id/maturiteitsniveau/{maturity}>" in dump
    assert f"<{BASE}ns/odm#needLevel> <{BASE}id/noodniveau/{need}>" in dump


def test_a_bad_file_is_refused_and_nothing_is_written(tmp_path, new_store):
    store = new_store()
    run_cli("load", store=store)
    before = run_cli("dump", store=store).stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("respondent,profile,q6a,q6b,q6c,omgang,q9,q10a,q10b,q10c,q10d\n"
                   "x,data-expert,9,1,1,nooit,misschien,ja,ja,ja,ja\n", encoding="utf-8")
    result = run_cli("import-survey", str(bad), "--org", "24062", "--date", "2020-01-31", store=store)
    assert result.returncode == 2
    assert "q6a '9'" in result.stderr and "q9 'misschien'" in result.stderr
    assert "Traceback" not in result.stderr
    assert run_cli("dump", store=store).stdout == before
