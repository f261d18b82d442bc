"""The result limit holds on the answer as it is written, whatever the query text says; the answer's
bytes are bounded; an XML answer is well-formed XML or refused."""

from __future__ import annotations

import xml.dom.minidom
from urllib.parse import quote

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from odmld.sparql.answer import QueryRefused, write_graph, write_solutions
from odmld.sparql.pool import QueryJob
from .probes import make_app, make_pool

FORMATS = (ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV,
           ox.QueryResultsFormat.TSV)
XML = "application/sparql-results+xml"
# literals that would fool a careless row counter: quotes, brackets, line ends, tags
_nasty = st.lists(st.sampled_from(list('"\\\n\r\t,{}[]<>:\'é ') + ["<result>", "},{", "[{", "x"]),
                  max_size=20).map("".join)
HYPOTHESIS = settings(max_examples=60, deadline=None, derandomize=True,
                      suppress_health_check=[HealthCheck.function_scoped_fixture])


def values_query(texts: list[str]) -> str:
    rows = " ".join(f"({ox.Literal(text)} {ox.Literal(str(n))})" for n, text in enumerate(texts))
    return f"SELECT ?x ?n WHERE {{ VALUES (?x ?n) {{ {rows} }} }}"


@pytest.mark.slow
def test_the_limit_bypass_of_issue_15_is_refused(embedded_store_path):
    """`ORDER BY (1<2)#> LIMIT 5` read as ending in LIMIT 5 returned every row before."""
    app = make_app(embedded_store_path, result_limit=5)
    try:
        client = app.test_client()
        for text in ("SELECT * WHERE { ?s ?p ?o } ORDER BY (1<2)#> LIMIT 5",
                     "SELECT * WHERE { ?s ?p ?o } # LIMIT 5", "SELECT * WHERE { ?s ?p ?o } LIMIT 6"):
            response = client.get("/sparql?query=" + quote(text), headers={"Accept": "application/json"})
            assert response.status_code == 400, (text, response.data[:200])
            assert "more than 5 rows" in response.get_json()["error"]["detail"]
        within = client.get("/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o } LIMIT 5"),
                            headers={"Accept": "text/csv"})
        assert within.status_code == 200 and len(within.data.decode().strip().splitlines()) == 6
    finally:
        app.extensions["odmld.pool"].close()


@HYPOTHESIS
@given(texts=st.lists(_nasty, max_size=25), wide=st.integers(0, 3000))
def test_rows_are_counted_exactly_in_every_format(texts, wide):
    texts = [text + "x" * wide if n % 7 == 3 else text for n, text in enumerate(texts)]  # chunk seams
    store = ox.Store()
    for results_format in FORMATS:
        for limit in {len(texts), max(len(texts) - 1, 0)}:
            try:
                body = write_solutions(store.query(values_query(texts)), results_format, limit, 10**9)
            except QueryRefused as refused:
                assert limit < len(texts) and refused.status == 400, (results_format, limit)
                continue
            assert limit >= len(texts), (results_format, limit, len(texts))
            if results_format != ox.QueryResultsFormat.CSV:  # CSV cannot be read back
                assert len(list(ox.parse_query_results(body, results_format))) == len(texts)


def test_strings_that_look_like_row_starts_never_refuse_an_answer_within_the_limit():
    """The JSON counter counts row openings alone until they pass the limit: values ending in `,{`
    or `[{` each add a false opening, and the answer must still be given at exactly its size."""
    texts = [",{", "[{", "a,{", "x"] * 500
    store = ox.Store()
    body = write_solutions(store.query(values_query(texts)), ox.QueryResultsFormat.JSON, len(texts), 10**9)
    assert len(list(ox.parse_query_results(body, ox.QueryResultsFormat.JSON))) == len(texts)
    with pytest.raises(QueryRefused):
        write_solutions(store.query(values_query(texts)), ox.QueryResultsFormat.JSON, len(texts) - 1, 10**9)


def test_a_single_huge_row_is_refused_past_the_byte_limit(embedded_store_path):
    pool = make_pool(embedded_store_path, size=1, result_bytes=1_000_000)
    huge = ('{ SELECT (GROUP_CONCAT(STR(?o); separator=" ") AS ?all) WHERE { ?s ?p ?o FILTER(isLiteral(?o)) } } '
            'BIND(CONCAT(?all, ?all, ?all, ?all) AS ?more) BIND(CONCAT(?more, ?more, ?more, ?more) AS ?huge)')
    try:
        with pytest.raises(QueryRefused, match="larger than 1 MB"):
            pool.run(QueryJob(text=f"SELECT ?huge WHERE {{ {huge} }}",
                              results_media="application/sparql-results+json", graph_media=None))
        graph = f"CONSTRUCT {{ <http://e.org/s> <http://e.org/p> ?huge }} WHERE {{ {huge} }}"
        with pytest.raises(QueryRefused, match="larger than 1 MB"):
            pool.run(QueryJob(text=graph, results_media=None, graph_media="text/turtle"))
    finally:
        pool.close()


_any_character = st.characters(codec="utf-8", exclude_categories=["Cs"])


@HYPOTHESIS
@given(text=st.text(_any_character, max_size=12))
def test_every_xml_answer_is_well_formed_or_refused(text):
    store = ox.Store()
    literal = ox.Literal(text)
    try:
        body = write_solutions(store.query(f"SELECT ?x WHERE {{ BIND({literal} AS ?x) }}"),
                               ox.QueryResultsFormat.XML, 10, 10**9)
        assert xml.dom.minidom.parseString(body).getElementsByTagName("literal")
    except QueryRefused as refused:
        assert refused.status == 406 and "XML 1.0 cannot carry" in refused.detail
    try:
        body = write_graph(store.query(f"CONSTRUCT {{ <http://e.org/s> <http://e.org/p> {literal} }} "
                                       "WHERE {}"), ox.RdfFormat.RDF_XML, 10, 10**9)
        xml.dom.minidom.parseString(body)
    except QueryRefused as refused:
        assert refused.status == 406


def test_a_control_character_is_refused_in_xml_and_given_in_json(embedded_store_path):
    app = make_app(embedded_store_path)
    try:
        client = app.test_client()
        text = 'SELECT ?x WHERE { BIND("a\\u0001b" AS ?x) }'
        refused = client.get("/sparql?query=" + quote(text), headers={"Accept": XML})
        assert refused.status_code == 406 and b"U+0001" in refused.data
        given_json = client.get("/sparql?query=" + quote(text), headers={"Accept": "application/json"})
        assert given_json.get_json()["results"]["bindings"][0]["x"]["value"] == "a\x01b"
    finally:
        app.extensions["odmld.pool"].close()
