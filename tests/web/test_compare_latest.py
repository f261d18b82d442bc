"""The comparison shows each organisation's latest version as publication and withdrawal keep it, and
with a date the newest version on or before it, for several organisations at once."""

import pytest

from odmld.assessments.publish import publish, withdraw

from backends import model_loaded
from conftest import make_app
from test_research_queries import parts


def shown(client, query: str) -> dict[str, set[str]]:
    """The comparison's CSV: organisation -> the assessment versions it shows."""
    response = client.get(f"/vergelijk/data.csv?{query}")
    assert response.status_code == 200
    found: dict[str, set[str]] = {}
    for line in response.get_data(as_text=True).splitlines()[1:]:
        organisation, assessment = line.split(",")[:2]
        found.setdefault(organisation, set()).add(assessment)
    return found


@pytest.mark.slow
def test_the_comparison_shows_the_kept_latest_version_after_publications_and_a_withdrawal(new_store):
    location = new_store()
    store = model_loaded(location)
    older = publish(store, parts("24062", "2021-01-01", 1, 1), "24062").iri
    newer = publish(store, parts("24062", "2023-01-01", 2, 1), "24062").iri
    revised = publish(store, parts("24062", "2023-01-01", 3, 1), "24062").iri
    other = publish(store, parts("44021", "2022-01-01", 2, 2), "44021").iri
    app = make_app(location, store)
    client = app.test_client()
    assert shown(client, "org=24062&org=44021&org=11002") == {"24062": {revised.value}, "44021": {other.value}}
    withdraw(store, revised, "test")
    assert shown(client, "org=24062&org=44021") == {"24062": {newer.value}, "44021": {other.value}}
    assert shown(client, "org=24062&org=44021&date=2021-06-30") == {"24062": {older.value}}
    page = client.get("/vergelijk?org=24062&org=44021")
    assert page.status_code == 200 and page.get_data(as_text=True).count("<svg") >= 2
    app.extensions["odmld.pool"].close()
