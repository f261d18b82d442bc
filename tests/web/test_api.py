"""The write API: every answer code, the three formats, versions, atomicity and concurrent writers."""

import io
import re
import threading
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from odmld import tokens
from odmld.loading import parse_paths, rdf_files
from odmld.resources import default_load_paths, folder
from odmld.store import Store

from backends import assessment_csv, model_loaded, open_location
from conftest import BASE, make_app

pytestmark = pytest.mark.slow  # submissions through the API, each validated with pySHACL

EXAMPLES = folder("data") / "examples"
PROVENANCE = {"http://www.w3.org/2002/07/owl#versionInfo", "http://www.w3.org/ns/prov#generatedAtTime",
              "http://www.w3.org/ns/prov#wasRevisionOf"}


@pytest.fixture(scope="module")
def writable(new_store):
    path = new_store()
    store = model_loaded(path)
    app = make_app(path, store)
    token_file = Path(app.config["ODMLD"].tokens)
    leuven = tokens.create(token_file, "24062")[1]
    gent = tokens.create(token_file, "44021")[1]
    revoked_id, revoked = tokens.create(token_file, "24062")
    tokens.revoke(token_file, revoked_id)
    yield {"app": app, "store": store, "leuven": leuven, "gent": gent, "revoked": revoked}
    app.extensions["odmld.pool"].close()


def post(env, body: bytes, content_type: str, token: str | None = "leuven", query: str = "",
         accept: str = "application/json", lang: str = "en"):
    headers = {"Content-Type": content_type, "Accept": accept, "Accept-Language": lang}
    if token:
        headers["Authorization"] = f"Bearer {env.get(token, token)}"
    return env["app"].test_client().post("/api/assessments" + query, data=body, headers=headers)


def csv_body() -> bytes:
    return (EXAMPLES / "assessment.csv").read_bytes()


def dump(store: Store) -> bytes:
    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.N_QUADS)
    return out.getvalue()


def canonical(store: Store, iri: str) -> set[tuple[str, str, str]]:
    """The triples of one stored version, its own IRI replaced by X and provenance left out."""
    graph = ox.NamedNode(iri.replace("/id/inschatting/", "/graph/inschatting/"))
    return {(t.subject.value.replace(iri, "X"), t.predicate.value, str(t.object).replace(iri, "X"))
            for t in store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graph=[graph])
            if t.predicate.value not in PROVENANCE}


def test_csv_turtle_and_jsonld_of_the_same_assessment_are_one_version(writable):
    """The same assessment in the three formats says the same thing: the first makes a version, the
    other two are answered with it (200, the same Location), and nothing more is stored."""
    answers = []
    for name, media in (("assessment.csv", "text/csv"), ("assessment.ttl", "text/turtle"),
                        ("assessment.jsonld", "application/ld+json")):
        query = "?date=2024-05-01&method=zelfevaluatie" if media == "text/csv" else ""
        answers.append(post(writable, (EXAMPLES / name).read_bytes(), media, query=query))
    assert [answer.status_code for answer in answers] == [201, 200, 200], answers[1].data
    assert {answer.headers["Location"] for answer in answers} == {answers[0].headers["Location"]}
    assert [answer.get_json()["existing"] for answer in answers] == [False, True, True]
    graph = canonical(writable["store"], answers[0].headers["Location"])
    assert len([t for t in graph if t[1].endswith("#domainAssessment")]) == 11


def test_an_identical_resubmission_is_answered_with_the_existing_version(writable):
    first = post(writable, csv_body(), "text/csv", query="?date=2023-04-04")
    again = post(writable, csv_body(), "text/csv", query="?date=2023-04-04")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.headers["Location"] == first.headers["Location"] and again.get_json()["version"] == 1
    changed = post(writable, assessment_csv("Nu met budget"), "text/csv", query="?date=2023-04-04")
    assert changed.status_code == 201 and changed.headers["Location"].endswith("/v2")
    back = post(writable, csv_body(), "text/csv", query="?date=2023-04-04")  # the v1 text, after v2
    assert back.status_code == 201 and back.headers["Location"].endswith("/v3")


def test_a_new_submission_is_a_new_version_that_revises_the_previous(writable):
    first = post(writable, csv_body(), "text/csv", query="?date=2023-01-15")
    second = post(writable, assessment_csv("Herzien"), "text/csv", query="?date=2023-01-15")
    assert first.headers["Location"].endswith("/id/inschatting/24062/2023-01-15/v1")
    assert second.headers["Location"].endswith("/id/inschatting/24062/2023-01-15/v2")
    assert second.get_json()["previous"] == first.headers["Location"]
    client = writable["app"].test_client()
    for location in (first.headers["Location"], second.headers["Location"]):
        page = client.get(location.replace(BASE, "/"), headers={"Accept": "text/turtle"},
                          follow_redirects=True)
        assert page.status_code == 200
    revision = client.get("/doc/inschatting/24062/2023-01-15/v2.nt").data.decode()
    assert "wasRevisionOf> <" + first.headers["Location"] + ">" in revision


@pytest.mark.parametrize("token, status", [(None, 401), ("not-a-token", 401), ("abc.def", 401),
                                           ("revoked", 401), ("gent", 403)])
def test_authorisation(writable, token, status):
    """The Turtle example is Leuven's: Gent's token may not publish it."""
    before = dump(writable["store"])
    response = post(writable, (EXAMPLES / "assessment.ttl").read_bytes(), "text/turtle", token=token)
    assert response.status_code == status
    assert dump(writable["store"]) == before


def test_another_organisation_named_in_the_csv_is_403(writable):
    response = post(writable, csv_body(), "text/csv", query="?date=2024-06-01&organisation=44021")
    assert response.status_code == 403


def test_unsupported_media_type_is_415(writable):
    assert post(writable, b"<xml/>", "application/xml").status_code == 415


def test_unparseable_input_is_400_with_the_parsers_line(writable):
    response = post(writable, b"@prefix odm: <ns/odm#> .\n\n[] a odm:Assessment ;\n odm:x", "text/turtle")
    assert response.status_code == 400
    assert "line" in response.get_json()["error"]["detail"]
    assert post(writable, b"hello,world\n1,2\n", "text/csv").status_code == 400


def test_a_broken_csv_is_422_and_says_which_row(writable):
    before = dump(writable["store"])
    body = b"domain,maturity,need,evidence\n1,opgestart,sterke nood,\n12,2,1,\n3,wonderful,1,\n"
    response = post(writable, body, "text/csv", query="?date=2024-06-01")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert [(v["row"], v["column"]) for v in error["violations"]] == [(3, "domain"), (4, "maturity")]
    assert "row 3" in error["detail"] and "row 4" in error["detail"]
    assert dump(writable["store"]) == before


def test_a_csv_for_a_store_without_the_maturity_model_is_503_and_writes_nothing(new_store):
    """The CSV reader knows the levels from the bundled model; the store must hold them too, or the
    submission could not be scored: the store is at fault, not the city."""
    path = new_store()
    store = open_location(path)
    store.replace_graphs(parse_paths([file for file in rdf_files(default_load_paths())
                                      if file.name != "maturity-model.ttl"], BASE))
    app = make_app(path, store)
    try:
        env = {"app": app, "leuven": tokens.create(Path(app.config["ODMLD"].tokens), "24062")[1]}
        before = dump(store)
        response = post(env, csv_body(), "text/csv", query="?date=2024-06-01")
        assert response.status_code == 503, response.get_data(as_text=True)
        assert dump(store) == before
    finally:
        app.extensions["odmld.pool"].close()


def test_shacl_violations_are_422_with_the_report_in_the_asked_language(writable):
    before = dump(writable["store"])
    turtle = (EXAMPLES / "assessment.ttl").read_bytes().replace(
        b'    dcterms:date "2024-05-01"^^xsd:date ;\n', b"")
    dutch = post(writable, turtle, "text/turtle", lang="nl")
    assert dutch.status_code == 422
    assert "precies één datum" in dutch.get_json()["error"]["detail"]
    english = post(writable, turtle, "text/turtle", lang="en")
    assert "exactly one date" in english.get_json()["error"]["detail"]
    as_turtle = post(writable, turtle, "text/turtle", accept="text/turtle")
    assert as_turtle.status_code == 422 and b"sh:ValidationReport" in as_turtle.data
    wrong_level = csv_body().replace(b"3,gevorderd,redelijke nood", b"3,sterke nood,redelijke nood")
    assert post(writable, wrong_level, "text/csv", query="?date=2024-06-01").status_code == 422
    assert dump(writable["store"]) == before


def test_above_the_size_limit_is_413(writable):
    response = post(writable, b"domain,maturity,need,evidence\n" + b"1,1,1," + b"x" * (2 * 1024 * 1024),
                    "text/csv", query="?date=2024-06-01")
    assert response.status_code == 413


def test_concurrent_submissions_all_land(writable):
    results = []

    def submit(n: int) -> None:
        results.append(post(writable, assessment_csv(f"schrijver {n}"), "text/csv",
                            query="?date=2022-12-31").status_code)

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [201] * 6
    versions = writable["store"].select(
        "SELECT ?v WHERE { ?a <http://www.w3.org/2002/07/owl#versionInfo> ?v ; "
        "<http://purl.org/dc/terms/date> \"2022-12-31\"^^<http://www.w3.org/2001/XMLSchema#date> }")
    assert sorted(int(r["v"].value) for r in versions) == [1, 2, 3, 4, 5, 6]


def test_a_read_only_server_refuses_writes_with_405(client):
    response = client.post("/api/assessments", data=b"x", headers={"Content-Type": "text/csv"})
    assert response.status_code == 405


def test_delete_withdraws_a_version_which_stays_as_a_tombstone(writable):
    made = post(writable, csv_body(), "text/csv", query="?date=2021-03-03").headers["Location"]
    ref = made.split("/id/inschatting/", 1)[1]
    client = writable["app"].test_client()
    auth = {"Authorization": f"Bearer {writable['leuven']}", "Accept": "application/json"}
    assert client.delete(f"/api/assessments/{ref}", headers=auth).status_code == 400  # no reason
    other = {**auth, "Authorization": f"Bearer {writable['gent']}"}
    assert client.delete(f"/api/assessments/{ref}?reason=x", headers=other).status_code == 403
    assert client.delete(f"/api/assessments/{ref}?reason=x").status_code == 401
    assert client.delete("/api/assessments/24062/1999-01-01/v1?reason=x", headers=auth).status_code == 404
    gone = client.delete(f"/api/assessments/{ref}?reason=Dubbel+ingediend", headers=auth)
    assert gone.status_code == 200
    assert client.delete(f"/api/assessments/{ref}?reason=again", headers=auth).status_code == 409
    tombstone = client.get(f"/doc/inschatting/{ref}.nt").data.decode()
    assert '"Dubbel ingediend"' in tombstone and "invalidatedAtTime" in tombstone
    assert "domainAssessment" in tombstone


def test_the_plan_is_linked_data_ordered_by_priority(writable):
    made = post(writable, csv_body(), "text/csv", query="?date=2020-02-02").headers["Location"]
    rows = writable["store"].select(
        "PREFIX odm: <http://odmld.test/ns/odm#> "
        "SELECT ?a ?notation ?gap ?priority ?order WHERE { ?plan odm:planFor ?a ; odm:planItem ?i . "
        "?i odm:domain/<http://www.w3.org/2004/02/skos/core#notation> ?notation ; odm:gap ?gap ; "
        "odm:priority ?priority ; odm:order ?order } ORDER BY ?order",
        a=ox.NamedNode(made))
    plan = [(r["notation"].value, int(r["gap"].value), int(r["priority"].value)) for r in rows]
    # example: domain 1 opgestart/sterke nood -> gap 2, priority 2 x 3 = 6; 5 niet aanwezig/sterke -> 9
    assert plan[0] == ("5", 3, 9)
    assert ("1", 2, 6) in plan and ("11", 1, 1) in plan
    assert [p[2] for p in plan] == sorted((p[2] for p in plan), reverse=True)
    totals = {r["metric"].value.rsplit("/", 1)[-1]: r["value"].value for r in writable["store"].select(
        "PREFIX dqv: <http://www.w3.org/ns/dqv#> SELECT ?a ?metric ?value WHERE { "
        "?m dqv:computedOn ?a ; dqv:isMeasurementOf ?metric ; dqv:value ?value }", a=ox.NamedNode(made))}
    # levels in the example: 0 x3 (5, 8, 10), 1 x5 (1, 2, 6, 7, 9), 2 x3 (3, 4, 11)
    assert (totals["domeinen-niet-aanwezig"], totals["domeinen-opgestart"],
            totals["domeinen-gevorderd"], totals["domeinen-verworven"]) == ("3", "5", "3", "0")
    assert Decimal(totals["gemiddelde-maturiteit"]) == 1  # (0*3 + 1*5 + 2*3) / 11 = 11 / 11
    # domains 3, 4, 11 at gevorderd serve principles 20, 7, 8, 9, 10, 16, 12, 15 -> 8 / 20
    assert Decimal(totals["aandeel-principes-gevorderd"]) == Decimal("0.4")


def test_the_organisation_page_shows_radar_plan_and_history(writable):
    client = writable["app"].test_client()
    page = client.get("/doc/organisatie/24062.html", headers={"Accept-Language": "nl"}).data.decode()
    assert "<svg" in page and 'role="img"' in page and "Maturiteit en nood per domein" in page
    assert "Remediëringsplan" in page and "Geschiedenis" in page
    assert "Smart Portrait 2017" in page
    assessment = client.get("/doc/inschatting/24062/2020-02-02/v1.html").data.decode()
    plan = assessment[assessment.index('<ol class="plan">'):]
    assert plan.index("5. Inspiratie &amp; concept") < plan.index("1. Sponsoring")
    assert "Schepen steunt, nog geen budget" in assessment


def test_evidence_with_html_is_escaped_everywhere(writable):
    body = b'domain,maturity,need,evidence\n1,1,1,"<script>alert(1)</script>"\n'
    made = post(writable, body, "text/csv", query="?date=2019-09-09")
    assert made.status_code == 201
    client = writable["app"].test_client()
    page = client.get("/doc/inschatting/24062/2019-09-09/v1.html").data.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)" in page
    assert "<script>" not in client.get("/doc/organisatie/24062.html").data.decode()


def filled_form(**overrides) -> dict:
    values = {"date": "2018-08-08", "method": "zelfevaluatie"}
    for n in range(1, 12):
        values[f"maturity-{n}"], values[f"need-{n}"] = str(n % 4), str(n % 3)
    values.update(overrides)
    return values


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_the_form_end_to_end_submit_see_errors_fix_see_result(writable):
    client = writable["app"].test_client()
    empty = client.get("/zelfevaluatie?lang=nl").data.decode()
    assert empty.count("<fieldset id=\"domein-") == 11 and "<script" not in empty
    assert "leermomenten" not in empty and "De technische en juridische kennis" in empty

    wrong_token = client.post("/zelfevaluatie", data=filled_form(token="nope.nope", csrf=csrf_of(empty)))
    assert wrong_token.status_code == 401 and "schrijfsleutel" in wrong_token.data.decode().lower()

    broken = client.post("/zelfevaluatie", data=filled_form(token=writable["leuven"], **{"need-4": ""},
                                                           csrf=csrf_of(wrong_token.data.decode())))
    assert broken.status_code == 422
    page = broken.data.decode()
    fieldset = page[page.index('<fieldset id="domein-4"'):page.index('<fieldset id="domein-5"')]
    assert 'class="invalid"' in fieldset and "nood is 0-2" in fieldset
    assert 'value="2018-08-08"' in page  # what the city typed is kept

    fixed = client.post("/zelfevaluatie", data=filled_form(csrf=csrf_of(page)))  # the token is remembered
    assert fixed.status_code == 303
    result = client.get(fixed.headers["Location"], headers={"Accept": "text/html"},
                        follow_redirects=True).data.decode()
    assert "Remediëringsplan" in result and "<svg" in result


def test_the_sparql_endpoint_sees_a_new_version_at_once(writable):
    client = writable["app"].test_client()
    ask = ("ASK { <http://odmld.test/id/inschatting/24062/2017-07-07/v1> "
           "a <http://odmld.test/ns/odm#Assessment> }")
    url = "/sparql?query=" + quote(ask)
    assert client.get(url, headers={"Accept": "application/json"}).get_json()["boolean"] is False
    assert post(writable, csv_body(), "text/csv", query="?date=2017-07-07").status_code == 201
    assert client.get(url, headers={"Accept": "application/json"}).get_json()["boolean"] is True


LISTED = b"""
@prefix odm: <ns/odm#> . @prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
[] a odm:Assessment ; odm:assessedOrganisation <id/organisatie/24062> ;
   dcterms:date "2016-06-06"^^xsd:date ; odm:method <id/methode/zelfevaluatie> ;
   odm:domainAssessment [ a odm:DomainAssessment ; odm:domain <id/maturiteitsdomein/1> ;
       odm:maturityLevel <id/maturiteitsniveau/opgestart> ; odm:needLevel <id/noodniveau/geen-nood> ] ;
   odm:listedDataset
     [ dcterms:title "Jaarverslag" ; dcat:landingPage <https://leuven.example/jaarverslag.pdf> ;
       dcat:mediaType "application/pdf" ; dcterms:license <https://creativecommons.org/licenses/by/4.0/> ] ,
     [ dcterms:title "Parkings" ; dcat:landingPage <https://leuven.example/parkings.csv> ;
       dcat:mediaType "text/csv" ; dcterms:license <https://creativecommons.org/licenses/by/4.0/> ] ,
     [ dcterms:title "Besluiten" ; dcat:landingPage <https://leuven.example/besluiten.ttl> ;
       dcat:mediaType "text/turtle" ; dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;
       odm:linksToOtherData true ] ,
     [ dcterms:title "Zonder licentie" ; dcat:landingPage <https://leuven.example/x.xlsx> ;
       dcat:mediaType "xlsx" ] .
"""


def test_listed_datasets_are_rated_with_reasons_and_totals(writable):
    made = post(writable, LISTED, "text/turtle")
    assert made.status_code == 201, made.data
    iri = ox.NamedNode(made.headers["Location"])
    stars = {r["title"].value: int(r["stars"].value) for r in writable["store"].select(
        "PREFIX dqv: <http://www.w3.org/ns/dqv#> PREFIX odm: <http://odmld.test/ns/odm#> "
        "SELECT ?a ?title ?stars WHERE { ?a odm:listedDataset ?d . ?d <http://purl.org/dc/terms/title> ?title ;"
        " dqv:hasQualityMeasurement/dqv:value ?stars }", a=iri)}
    assert stars == {"Jaarverslag": 1, "Parkings": 3, "Besluiten": 5, "Zonder licentie": 0}
    doc = "/doc/" + made.headers["Location"][len(BASE + "id/"):] + ".html"
    page = writable["app"].test_client().get(doc, headers={"Accept-Language": "en"}).data.decode()
    assert "The organisation&#39;s open datasets" in page
    assert "no open licence" in page and "not RDF" in page
    assert "★★★★★" in page
    totals = {r["metric"].value.rsplit("/", 1)[-1]: r["value"].value for r in writable["store"].select(
        "PREFIX dqv: <http://www.w3.org/ns/dqv#> SELECT ?a ?metric ?value WHERE { "
        "?m dqv:computedOn ?a ; dqv:isMeasurementOf ?metric ; dqv:value ?value }", a=iri)}
    assert totals["datasets-5-sterren"] == "1" and totals["datasets-0-sterren"] == "1"
    assert Decimal(totals["aandeel-datasets-3-sterren"]) == Decimal("0.5")


def test_the_city_chooses_its_assessments_licence(writable):
    import rdflib
    cc0 = "https://creativecommons.org/publicdomain/zero/1.0/"
    made = post(writable, csv_body(), "text/csv", query=f"?date=2015-05-05&licence={quote(cc0)}")
    assert made.status_code == 201
    closed = post(writable, csv_body(), "text/csv",
                  query="?date=2015-05-06&licence=" + quote("https://leuven.example/all-rights-reserved"))
    assert closed.status_code == 201
    bad = post(writable, csv_body(), "text/csv", query="?date=2015-05-07&licence=mine")
    assert bad.status_code == 422
    catalogue = rdflib.Graph().parse(data=writable["app"].test_client().get(
        "/catalog/volledig.ttl").data, format="turtle")
    dataset = rdflib.URIRef(BASE + "id/catalogus/inschatting/24062/2015-05-05/v1")
    assert str(catalogue.value(dataset, rdflib.DCTERMS.license)) == cc0
    dqv = rdflib.Namespace("http://www.w3.org/ns/dqv#")
    closed_dataset = rdflib.URIRef(BASE + "id/catalogus/inschatting/24062/2015-05-06/v1")
    stars = {int(catalogue.value(m, dqv.value)) for d in catalogue.objects(closed_dataset, rdflib.DCAT.distribution)
             for m in catalogue.objects(d, dqv.hasQualityMeasurement)}
    assert stars == {0}  # no open licence, no stars


def test_a_read_only_server_refuses_the_form_too(client):
    response = client.post("/zelfevaluatie", data={"token": "x.y", "date": "2020-01-01"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 405 and b"read-only" in response.data


def test_the_comparison_page_heat_map_radars_bars_and_csv(writable):
    gent = post(writable, csv_body(), "text/csv", token="gent", query="?date=2024-02-02")
    leuven = post(writable, csv_body(), "text/csv", query="?date=2023-03-03")
    assert gent.status_code == leuven.status_code == 201
    client = writable["app"].test_client()
    page = client.get("/vergelijk?org=24062&org=44021", headers={"Accept-Language": "en"}).data.decode()
    assert page.count("<figcaption id=") == 2
    assert page.count('role="img"') == 1 + 2 + 11  # heat map, a radar each, a bar chart per domain
    assert page.count("<rect x=\"236") == 2 and "City of Gent" in page and "City of Leuven" in page
    assert "/sparql?query=" in page
    rows = client.get("/vergelijk/data.csv?org=24062&org=44021").data.decode().splitlines()
    assert rows[0].startswith("organisation,assessment,date,domain") and len(rows) == 1 + 22
    before = client.get("/vergelijk/data.csv?org=24062&org=44021&date=2024-01-01").data.decode()
    assert "44021" not in before and "24062" in before  # Gent's only assessment is later
    assert client.get("/vergelijk?org=../x").status_code == 400
    ranking = client.get("/domein/4/ranking").data.decode()
    assert "Stad Gent" in ranking and "Stad Leuven" in ranking
    assert client.get("/domein/12/ranking").status_code == 404
