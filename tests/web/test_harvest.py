"""A harvester mirrors odmld from the change feed alone, over HTTP from a live server on loopback.

The scripted history: 30 publications across 5 organisations, 5 withdrawals and a re-publication, all
through the API. After every step an incremental harvester reads on from where it stopped; at the end
another walks the feed from its start. Both mirrors must equal what the store publishes now, and every
page once served as immutable must keep its bytes through every later step."""

from __future__ import annotations

import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from odmld import tokens
from odmld.sparql import library as queries
from odmld.resources import folder

from backends import live_server, model_loaded
from conftest import BASE, make_app

pytestmark = pytest.mark.slow  # many publications, the feed walked whole and step by step

LDES = rdflib.Namespace("https://w3id.org/ldes#")
TREE = rdflib.Namespace("https://w3id.org/tree#")
ODM = rdflib.Namespace(BASE + "ns/odm#")
ORGANISATIONS = ("24062", "44021", "11002", "31005", "71016")
PUBLISHED = """PREFIX odm: <ns/odm#>
SELECT ?assessment WHERE { ?assessment a odm:Assessment FILTER NOT EXISTS { ?assessment odm:withdrawalReason ?r } }"""

Mirror = dict[str, frozenset]


def http(method: str, url: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class Harvester:
    """What a harvester keeps: its mirror (version -> its triples), the last event it applied, the
    page that event was on, and the bytes of every page it was told is immutable."""

    def __init__(self, base: str) -> None:
        self.base, self.mirror, self.last, self.page = base, {}, 0, f"{base}feed?page=1"
        self.immutable: dict[str, bytes] = {}

    def read_on(self) -> None:
        page = self.page
        while page:
            status, headers, body = http("GET", page, headers={"Accept": "text/turtle"})
            assert status == 200, (page, status, body[:300])
            if "immutable" in headers["Cache-Control"]:
                assert self.immutable.setdefault(page, body) == body, f"{page} changed after it was immutable"
            graph = rdflib.Graph().parse(data=body, format="turtle")
            stream = next(graph.subjects(rdflib.RDF.type, LDES.EventStream))
            events = sorted(graph.objects(stream, TREE.member), key=lambda e: int(graph.value(e, ODM.eventPosition)))
            for event in events:
                position = int(graph.value(event, ODM.eventPosition))
                if position <= self.last:
                    continue
                assert position == self.last + 1, "events come in order, none missing"
                apply(self.mirror, graph, event)
                self.last = position
            self.page = page
            node = rdflib.URIRef(page.replace(self.base, BASE))  # the service mints IRIs under its base URI
            following = {graph.value(relation, TREE.node) for relation in graph.objects(node, TREE.relation)}
            assert len(following) <= 1
            page = str(following.pop()).replace(BASE, self.base) if following else None


def apply(mirror: Mirror, graph: rdflib.Graph, event: rdflib.URIRef) -> None:
    version = graph.value(event, rdflib.DCTERMS.isVersionOf)
    kind = graph.value(event, rdflib.RDF.type)
    if kind == ODM.Withdrawal:
        assert graph.value(event, ODM.withdrawalReason) is not None
        del mirror[str(version)]
    else:
        assert kind == ODM.Publication and str(version) not in mirror
        mirror[str(version)] = version_triples(graph, version)


def version_triples(graph: rdflib.Graph, version: rdflib.URIRef) -> frozenset:
    """The version's own triples and those of its domain parts."""
    found = set(graph.triples((version, None, None)))
    for part in graph.objects(version, ODM.domainAssessment):
        found |= set(graph.triples((part, None, None)))
    return frozenset(found)


def published_state(store) -> Mirror:
    """What the store publishes now: every version not withdrawn, with its triples."""
    versions = [row["assessment"] for row in store.select(PUBLISHED)]
    triples = list(store.query(queries.get("feed-member").text, bindings={"assessment": versions}))
    graph = rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return {version.value: version_triples(graph, rdflib.URIRef(version.value)) for version in versions}


@pytest.fixture(scope="module")
def served(new_store):
    path = new_store()
    store = model_loaded(path)
    app = make_app(path, store, page_size=4)
    keys = {org: tokens.create(Path(app.config["ODMLD"].tokens), org)[1] for org in ORGANISATIONS}
    with live_server(app) as base:
        yield base, store, keys
    app.extensions["odmld.pool"].close()


def history(base: str, keys: dict[str, str]):
    """The scripted history, one step at a time: 30 publications (6 dates for each organisation), a
    withdrawal after every sixth, and at the end a new version of one withdrawn."""
    body = (folder("data") / "examples" / "assessment.csv").read_bytes()

    def publish(org: str, date: str) -> str:
        status, headers, answer = http("POST", f"{base}api/assessments?date={date}", body, {
            "Content-Type": "text/csv", "Authorization": f"Bearer {keys[org]}"})
        assert status == 201, answer
        return headers["Location"]

    def withdraw(org: str, ref: str) -> None:
        reason = urllib.parse.quote("ingetrokken bij de test")
        status, _, answer = http("DELETE", f"{base}api/assessments/{ref}?reason={reason}",
                                 headers={"Authorization": f"Bearer {keys[org]}"})
        assert status == 200, answer

    for step in range(30):
        org, date = ORGANISATIONS[step % 5], f"{2019 + step // 5}-06-30"
        publish(org, date)
        yield f"publication {step + 1}"
        if step % 6 == 5:
            withdraw(org, f"{org}/{date}/v1")
            yield f"withdrawal of {org}/{date}/v1"
    publish("31005", "2023-06-30")  # a new version of one withdrawn above (31005's 2023 v1, step 23)
    yield "re-publication"


def test_a_mirror_from_the_feed_equals_the_published_state_walked_whole_or_step_by_step(served):
    base, store, keys = served
    incremental = Harvester(base)
    steps = 0
    for _step in history(base, keys):
        steps += 1
        incremental.read_on()
        for page, body in incremental.immutable.items():  # every immutable page keeps its bytes
            assert http("GET", page, headers={"Accept": "text/turtle"})[2] == body, page
        assert incremental.mirror == published_state(store)
    assert steps == 36 and incremental.last == 36
    from_start = Harvester(base)
    from_start.read_on()
    assert from_start.mirror == incremental.mirror == published_state(store)
    assert len(from_start.mirror) == 30 - 5 + 1
    assert from_start.immutable == incremental.immutable and len(from_start.immutable) == 36 // 4
    assert incremental.page == f"{base}feed?page=10"  # 9 full pages, and the empty one after them


def test_a_withdrawal_is_a_member_of_its_own_naming_the_version_its_reason_and_time(served):
    base, _store, _keys = served
    harvester = Harvester(base)
    harvester.read_on()
    withdrawals = 0
    for page in harvester.immutable:
        graph = rdflib.Graph().parse(data=harvester.immutable[page], format="turtle")
        for event in graph.subjects(rdflib.RDF.type, ODM.Withdrawal):
            withdrawals += 1
            version = graph.value(event, rdflib.DCTERMS.isVersionOf)
            assert "/id/inschatting/" in str(version)
            assert graph.value(event, rdflib.URIRef("http://www.w3.org/ns/prov#atTime")) is not None
            assert str(graph.value(event, ODM.withdrawalReason)) == "ingetrokken bij de test"
    assert withdrawals == 5
