"""One language per answer (issue 19): organisation names drawn inside the charts and listed in a ranking
are in the page's language where the data has it, and marked lang="nl" where it has only Dutch; the
errors of the documents (feed, catalogue, graphs, dumps) and of the paged lists speak the request's
language, Dutch by default, and say it in Content-Language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from odmld import tokens
from odmld.loading import parse_paths
from odmld.resources import folder

from backends import BASE_URI, model_loaded
from conftest import make_app

DUTCH_ONLY = "99998"  # an organisation the data names in Dutch only
ORGANISATION = f"""@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<{BASE_URI}id/organisatie/{DUTCH_ONLY}> a org:Organization ;
    skos:prefLabel "Gemeente Proefdorp"@nl ; dcterms:identifier "{DUTCH_ONLY}" .
"""
MARKED = 'lang="nl" xml:lang="nl"'


@pytest.fixture(scope="module")
def site(new_store, tmp_path_factory):
    """The model, an organisation named in Dutch only, and an assessment of it and of Leuven."""
    path = new_store()
    store = model_loaded(path)
    extra = tmp_path_factory.mktemp("data") / "proefdorp.ttl"
    extra.write_text(ORGANISATION, encoding="utf-8")
    store.replace_graphs(parse_paths([extra], BASE_URI))
    app = make_app(path, store)
    body = (folder("data") / "examples" / "assessment.csv").read_bytes()
    client = app.test_client()
    for organisation in ("24062", DUTCH_ONLY):
        token = tokens.create(Path(app.config["ODMLD"].tokens), organisation)[1]
        response = client.post("/api/assessments?date=2024-01-01", data=body, headers={
            "Content-Type": "text/csv", "Authorization": f"Bearer {token}"})
        assert response.status_code == 201, response.data
    yield app
    app.extensions["odmld.pool"].close()


def page(app, path: str, lang: str) -> str:
    response = app.test_client().get(path, headers={"Accept": "text/html", "Accept-Language": lang})
    assert response.status_code == 200, (path, response.data[:300])
    return response.get_data(as_text=True)


def svgs(html: str) -> str:
    return "\n".join(re.findall(r"<svg.*?</svg>", html, re.S))


def test_a_dutch_name_drawn_in_a_chart_on_an_english_page_is_marked_as_dutch(site):
    charts = svgs(page(site, f"/vergelijk?org=24062&org={DUTCH_ONLY}", "en"))
    assert f"<tspan {MARKED}>Gemeente Proefdorp</tspan>" in charts  # the heat map's row
    assert charts.count(f'{MARKED}>Gemeente Proefdorp</text>') == 11  # a bar in each domain's chart
    assert "City of Leuven" in charts and not re.search(r'lang="nl"[^>]*>City of Leuven', charts)
    assert "Stad Leuven" not in charts


def test_a_radar_is_named_by_its_caption_where_a_dutch_name_is_marked(site):
    html = page(site, f"/vergelijk?org=24062&org={DUTCH_ONLY}", "en")
    caption = re.search(r'<figcaption id="([^"]+)"><span lang="nl">Gemeente Proefdorp</span></figcaption>'
                        r'<svg[^>]*aria-labelledby="([^"]+)"', html)
    assert caption and caption.group(2).split()[0] == caption.group(1)
    assert len(set(re.findall(r'<title id="([^"]+)"', html))) == len(re.findall(r'<title id="', html))


def test_on_a_dutch_page_no_name_is_marked(site):
    html = page(site, f"/vergelijk?org=24062&org={DUTCH_ONLY}", "nl")
    assert 'lang="nl"' not in html.split("<main", 1)[1] and "Stad Leuven" in svgs(html)


def test_the_domain_ranking_names_organisations_in_the_page_language(site):
    english = page(site, "/domein/4/ranking", "en")
    assert "City of Leuven" in english and "Stad Leuven" not in english
    assert '<span lang="nl">Gemeente Proefdorp</span>' in english
    asked = page(site, f"/domein/4/ranking?org={DUTCH_ONLY}", "en")
    assert '<p class="asked"><span lang="nl">Gemeente Proefdorp</span>: rank ' in asked
    assert "Stad Leuven" in page(site, "/domein/4/ranking", "nl")


WRONG = [  # (path, Accept): each a 4xx of a document or a paged list
    ("/feed?page=999", "*/*"), ("/feed?page=x", "*/*"), ("/catalog?page=999", "*/*"),
    ("/graph/bestaat-niet.ttl", "*/*"), ("/graph/data/maturity-model", "image/png"),
    ("/dump/bestaat-niet.ttl.gz", "*/*"), ("/csv/inschatting/24062/1999-01-01/v1.csv", "*/*"),
    ("/organisaties?page=999", "*/*"), ("/organisaties?soort=geen-soort", "*/*"),
    ("/organisaties?q=" + "x" * 101, "*/*"), ("/domein/4/ranking?org=../x", "*/*"),
    ("/domein/4/ranking?org=00000", "*/*"), ("/doc/organisatie/24062", "image/png"),
    ("/.well-known/void", "image/png"), ("/graph/a%20b.ttl", "*/*"), ("/doc/a%20b", "text/turtle"),
]


@pytest.mark.parametrize("path, accept", WRONG)
def test_an_error_of_a_document_or_a_list_is_in_the_language_asked_dutch_by_default(site, path, accept):
    client = site.test_client()
    answers = {lang: client.get(path, headers={"Accept": accept, **({"Accept-Language": lang} if lang else {})})
               for lang in ("", "nl", "en")}
    bodies = {lang: json.loads(answer.data) for lang, answer in answers.items()}
    for lang, answer in answers.items():
        assert 400 <= answer.status_code < 500, (path, answer.status_code)
        assert answer.headers["Content-Language"] == (lang or "nl"), (path, lang, bodies[lang])
    assert bodies[""]["detail"] == bodies["nl"]["detail"] != bodies["en"]["detail"], path
    assert bodies["nl"]["title"] != bodies["en"]["title"], path
