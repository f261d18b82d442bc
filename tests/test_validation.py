"""The bundled data conforms; broken assessments are rejected with messages in Dutch and English."""

import json
from pathlib import Path

import pytest

from odmld.resources import folder
from odmld.validation import UnreadableInput, format_report, validate_paths

BASE = "http://odmld.test/"
ASSESSMENTS = Path(__file__).parent / "fixtures" / "assessments"
EXPECTED = json.loads((ASSESSMENTS / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_all_bundled_data_conforms_to_the_shapes():
    report = validate_paths([folder("data"), folder("ontology")], BASE)
    assert report.violations == [], format_report(report, "en")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_assessment_fixture_gives_the_expected_report(name):
    expected = EXPECTED[name]
    report = validate_paths([ASSESSMENTS / name], BASE)
    assert report.conforms is expected["conforms"], format_report(report, "en")
    text = format_report(report, "nl") + "\n" + format_report(report, "en")
    for phrase in expected.get("message_contains", []):
        assert phrase in text, f"{phrase!r} not in report:\n{text}"


@pytest.mark.slow
def test_a_partial_assessment_is_only_warned_about():
    report = validate_paths([ASSESSMENTS / "partial.ttl"], BASE)
    assert report.conforms and report.warnings


def test_messages_exist_in_both_languages():
    report = validate_paths([ASSESSMENTS / "missing-date.ttl"], BASE)
    assert report.violations
    for finding in report.violations:
        assert {"nl", "en"} <= set(finding.messages), finding


def test_unreadable_input_is_reported_as_such(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(UnreadableInput, match="broken.ttl"):
        validate_paths([broken], BASE)


def test_each_domain_not_scored_is_warned_about_once_and_no_scored_one_is():
    report = validate_paths([ASSESSMENTS / "partial.ttl"], BASE)  # scores domains 1, 2 and 3
    warned = sorted(finding.message("en") for finding in report.warnings)
    assert warned == sorted(f"Domain {number} ({name}) is not scored." for number, name in (
        (4, "Kennis"), (5, "Inspiratie & concept"), (6, "Dialoog & co-creatie hergebruikers"),
        (7, "Ondersteuning"), (8, "Kennisdeling"), (9, "(Open) Data governance"), (10, "Aankoopbeleid"),
        (11, "Infrastructuur")))
