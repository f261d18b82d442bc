"""The 5stardata.info rules as a table of cases."""

import pytest

from odmld.stars import rate

CC_BY = "https://creativecommons.org/licenses/by/4.0/"


@pytest.mark.parametrize("fmt, licence, links, stars", [
    ("application/pdf", CC_BY, False, 1),
    ("report.pdf", CC_BY, False, 1),
    ("xlsx", CC_BY, False, 2),
    ("application/vnd.ms-excel", CC_BY, False, 2),
    ("text/csv", CC_BY, False, 3),
    ("CSV", CC_BY, False, 3),
    ("text/turtle", CC_BY, False, 4),
    ("application/rdf+xml", CC_BY, True, 5),
    ("text/turtle", CC_BY, True, 5),
    ("text/csv", CC_BY, True, 3),              # links do not help without RDF
    ("text/turtle", None, True, 0),             # no licence: nothing counts
    ("text/csv", "https://example.org/all-rights-reserved", False, 0),
    ("application/x-unknown", CC_BY, False, 1),
])
def test_star_rules(fmt, licence, links, stars):
    assert rate(fmt, licence, links).stars == stars


def test_each_star_says_whether_it_is_met_and_why_not():
    rating = rate("xlsx", CC_BY)
    assert [star.met for star in rating.checks] == [True, True, False, False, False]
    assert "proprietary" in rating.checks[2].reason_en
    assert "not RDF" in rating.checks[3].reason_en
    linked_csv = rate("text/csv", CC_BY, True)
    assert linked_csv.checks[4].reason_en == "star 4 is missing"
    assert rating.checks[0].reason_en == ""
