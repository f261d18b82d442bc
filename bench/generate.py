"""Generated assessment data for the benchmarks: N organisations x Y yearly assessments.

The data is made with odmld's own builders: the triples `publish` writes for each version (the
assessment, its scores and plan, its version provenance, its event in the change feed) and what odmld
keeps beside them (each organisation's latest and first assessment, publication positions and latest
ranks per domain, the statistics, the VoID counts, the figures of each version's dump), so what the benchmarks measure is what a store of
that size written by publishing would hold (tests/test_bench_generate.py compares a small one with
odmld's own rebuild). It is derived while it is generated, not rebuilt after.

The whole store is one write of odmld's store (one snapshot at the end): the model is loaded, then the
generated quads go straight to pyoxigraph's bulk loader as they are made (no N-Quads text to write and
parse again), in one load: this thread makes them while the loader's Rust threads sort and write each
million as table files (two cores), memory stays flat, and the files are taken into the database
together at the end, so the one compaction after it merges them once. (Loading in chunks, as this did
before, let each chunk's files be compacted with everything loaded before them: at 10,000
organisations 550 s of compaction, where one load is about linear.) Version k of organisation i is
published at July 1st of its year plus i seconds, so the order of publication is by year, then
organisation, and each version's position is known as it is generated.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from odmld import dump_digests, feed_events, feed_members, vocab
from odmld.assessments import statistics
from odmld.dataset_counts import counts_of
from odmld.assessments.graph import AssessmentParts, DomainPart, build_triples, version_triples
from odmld.config import beside_store
from odmld.embedded_store import EmbeddedStore as Store
from odmld.assessments.latest import Version, domains_file, latest_file, latest_of
from odmld.loading import parse_paths
from odmld.assessments.publish import published_average
from odmld.resources import default_load_paths
from odmld.assessments.scoring import Model, model_inputs, score_triples
from odmld.store_api import NamedGraph, operation
from odmld.vocab import XSD

BASE = "http://bench.odmld.test/"
XSD_STRING = ox.NamedNode(XSD + "string")
LEVELS = ["niet-aanwezig", "opgestart", "gevorderd", "verworven"]
NEEDS = ["geen-nood", "redelijke-nood", "sterke-nood"]
CENTRUMSTEDEN = 13  # b0 .. b12 are classified as centrumstad
# What a kept store holds, as a number that goes up when that changes, so an older store is made again.
# 9: each organisation says where the rankings place it (odm:rankingPlace, odm:domainRankingPlace)
# 10: the figures of every version's dump are kept (dump_digests.py), as a publication keeps them
# 11: what each publication of the change feed carries is kept beside it (feed_members.py)
# 12: each place of a ranking has its order graph (place_order.py)
GENERATION = 13  # 13: a search key holds its holders' register positions (odm:holderPosition)


class Reader:
    """What the builders ask of a store: its base URI (the model is read once, up front)."""
    base_uri = BASE


def organisation_quads(index: int, graph: ox.NamedNode) -> list[ox.Quad]:
    node = ox.NamedNode(f"{BASE}id/organisatie/b{index}")
    skos, dct = "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/terms/"
    quads = [ox.Quad(node, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                     ox.NamedNode("http://www.w3.org/ns/org#Organization"), graph),
             ox.Quad(node, ox.NamedNode(skos + "prefLabel"), ox.Literal(f"Bestuur {index}", language="nl"), graph),
             ox.Quad(node, ox.NamedNode(dct + "identifier"), ox.Literal(f"b{index}"), graph)]
    if index < CENTRUMSTEDEN:
        quads.append(ox.Quad(node, ox.NamedNode("http://www.w3.org/ns/org#classification"),
                             ox.NamedNode(f"{BASE}id/organisatietype/centrumstad"), graph))
    return quads


def published_at(year: int, index: int) -> str:
    """When version `year` of organisation `index` was published: by year, then organisation."""
    return (datetime(2015 + year, 7, 1, tzinfo=timezone.utc) + timedelta(seconds=index)).isoformat()


def position_of(year: int, index: int, organisations: int) -> int:
    """Its place in the order of publication (and in the change feed), from 1."""
    return year * organisations + index + 1


class Generator:
    """The quads of every organisation, as publishing writes them, and the totals they add up to."""

    def __init__(self, model: Model, organisations: int, years: int, members: feed_members.FeedMembers,
                 seed: int = 7) -> None:
        self.model, self.organisations, self.years, self.seed = model, organisations, years, seed
        self.members = members
        self.carried: list[tuple[feed_members.Event, bytes]] = []  # kept an organisation at a time
        self.totals: statistics.Totals = Counter()
        self.quads = 0
        self.counts: Counter = Counter()  # for the VoID description (dataset_counts.py)
        self.uncounted: list[ox.Triple] = []  # counted once an organisation is done (fewer Counters)
        self.feed: NamedGraph | None = None  # <graph/feed> as the last event leaves it
        self.canonical: dict[ox.Literal, ox.Term] = {}  # typed literals as the store gives them back

    def graph(self, graph: ox.NamedNode, triples: list[ox.Triple]) -> list[ox.Quad]:
        """One graph's triples as quads (each graph is new: its statements are counted as they are)."""
        self.quads += len(triples)
        self.uncounted += triples
        return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]

    def stored(self, term: ox.Term) -> ox.Term:
        """`term` as the store gives it back: Oxigraph keeps a typed literal's value, not its text
        ("0.20" is read back as 0.2, "+00:00" as "Z"); found once per literal through a store of its
        own: one store cleared and used again keeps what it held (its memory store removes by version),
        so each look-up read all before it, 0.8 ms at 40,000 and quadratic in the versions generated."""
        if type(term) is not ox.Literal or term.language or term.datatype == XSD_STRING:
            return term
        found = self.canonical.get(term)
        if found is None:
            scratch = ox.Store()
            scratch.add(ox.Quad(XSD_STRING, XSD_STRING, term))
            found = self.canonical[term] = next(iter(scratch)).object
        return found

    def count(self) -> None:
        self.counts.update(counts_of(self.uncounted))
        self.uncounted = []

    def dump_figures(self, graph: ox.NamedNode, triples: list[ox.Triple]) -> list[ox.Quad]:
        """The figures of the version's dump, which the catalogue states, kept as a write keeps them
        (`triples` as the store will give them back)."""
        kept = dump_digests.figure_quads(BASE, graph, dump_digests.digest_of(dump_digests.dump_of(triples)))
        return self.graph(vocab.dumps_graph(BASE), [quad.triple for quad in kept])

    def file(self, parsed: NamedGraph) -> list[ox.Quad]:
        return self.graph(parsed.graph, [quad.triple for quad in parsed.quads])

    def organisation(self, index: int) -> Iterator[ox.Quad]:
        """Every version of one organisation, as `publish` writes it, and what odmld keeps beside them."""
        rng = random.Random(self.seed * 1_000_003 + index)
        organisation = ox.NamedNode(f"{BASE}id/organisatie/b{index}")
        maturity = [rng.randint(0, 2) for _ in range(11)]
        versions, positions, ranks = [], {}, {}
        for year in range(self.years):
            maturity = [min(3, m + (rng.random() < 0.3)) for m in maturity]
            date = f"{2015 + year}-06-30"
            parts = AssessmentParts(
                organisation=organisation,
                date=ox.Literal(date, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
                method=ox.NamedNode(f"{BASE}id/methode/zelfevaluatie"),
                domains=[DomainPart(ox.NamedNode(f"{BASE}id/maturiteitsdomein/{n + 1}"),
                                    ox.NamedNode(f"{BASE}id/maturiteitsniveau/{LEVELS[maturity[n]]}"),
                                    ox.NamedNode(f"{BASE}id/noodniveau/{NEEDS[rng.randint(0, 2)]}"), None)
                         for n in range(11)])
            iri, at = vocab.assessment(BASE, f"b{index}", date, 1), published_at(year, index)
            triples = (build_triples(parts, iri, BASE) + score_triples(Reader(), parts, iri, self.model)
                       + version_triples(iri, 1, None, at))
            graph = ox.NamedNode(f"{BASE}graph/inschatting/b{index}/{date}/v1")
            triples = [t if type(t.object) is not ox.Literal else ox.Triple(t.subject, t.predicate, self.stored(t.object))
                       for t in triples]  # as the store will give them back, which its dump is made of
            yield from self.graph(graph, triples)
            yield from self.dump_figures(graph, triples)
            position = position_of(year, index, self.organisations)
            event, feed = feed_events.event_files(BASE, position, iri, at)
            yield from self.file(event)
            self.carried.append((feed_members.Event(position, iri, self.stored(vocab.date_time(at)).value),
                                 ox.serialize(carried(iri, triples), format=ox.RdfFormat.N_TRIPLES)))
            if position == self.organisations * self.years:
                self.feed = feed
            versions.append(Version(date, 1, iri, published_average(triples, iri)))
            positions[iri] = position
            ranks[iri] = statistics.ranks_of_parts(parts, self.model)
        latest = latest_of(versions)
        kind = statistics.CENTRUMSTAD if index < CENTRUMSTEDEN else statistics.OTHER
        yield from self.file(latest_file(BASE, organisation, versions, positions))
        yield from self.file(domains_file(BASE, organisation, latest.assessment, ranks[latest.assessment]))
        self.totals.update(statistics.contribution(ranks[latest.assessment], kind, self.model))
        self.totals["versies", kind, "versionCount"] += len(versions)
        self.members.keep(self.carried)
        self.carried = []

    def everything(self) -> Iterator[ox.Quad]:
        """Every organisation's quads, then what adds them all up: the statistics, and the feed's
        count and last time."""
        shared = ox.NamedNode(f"{BASE}graph/bench/organisaties")
        for index in range(self.organisations):
            yield from self.organisation(index)
            yield from self.graph(shared, [quad.triple for quad in organisation_quads(index, shared)])
            self.count()
        yield from self.file(statistics.statistics_file(BASE, self.totals))
        if self.feed is not None:
            yield from self.file(self.feed)
        self.count()


NOT_CARRIED = {vocab.odm(BASE, "publicationPosition")}  # written beside the version, not in its graph
PART = vocab.odm(BASE, "domainAssessment")


def carried(version: ox.NamedNode, triples: list[ox.Triple]) -> list[ox.Triple]:
    """What the version's publication event carries, of the triples of its graph: the version's own
    and its domain parts' (queries/internal/feed-member.rq; tests/test_bench_generate.py compares)."""
    parts = {t.object for t in triples if t.subject == version and t.predicate == PART}
    return [t for t in triples if (t.subject == version and t.predicate not in NOT_CARRIED) or t.subject in parts]


@operation
def generated_into(writer, organisations: int, years: int, members: Path) -> dict:
    """The model and the generated data in one write. The generated quads go to pyoxigraph's bulk
    loader as they are made (no text to write and parse again): this thread makes them, the loader's
    threads sort and write each million meanwhile (two cores), and memory stays flat. Returns what it
    took."""
    began, cpu = time.perf_counter(), time.process_time()  # the writer process's CPU, all its threads
    writer.replace_graphs(parse_paths(default_load_paths(), BASE))
    generator = Generator(model_inputs(writer), organisations, years, feed_members.FeedMembers(members))
    writer.bulk_extend(generator.everything(), generator.counts)
    loaded, loaded_cpu = time.perf_counter(), time.process_time()
    writer.optimize()  # the bulk load left overlapping runs; a store written by publishing is compacted
    return {"quads": generator.quads, "loaded": loaded - began, "compacted": time.perf_counter() - loaded,
            "loaded CPU": loaded_cpu - cpu, "compacted CPU": time.process_time() - loaded_cpu}


def generate_store(path: Path, organisations: int, years: int) -> dict:
    """A fresh store at `path` holding the model and the generated data; what making it took, in
    seconds: "loaded" (generating and loading, which overlap), "compacted", "made" (the whole write,
    with its snapshot), the CPU of the first two, and the load average as it began and ended (the
    machine is shared: wall-clock seconds say little without it)."""
    began, load = time.perf_counter(), os.getloadavg()[0]
    store = Store(path, base_uri=BASE, write_wait=3600)
    made = store.write(generated_into, organisations, years, beside_store(str(path), "feed.sqlite3"))
    made["made"] = time.perf_counter() - began
    made["quads"] = len(store)
    made["load average"] = [round(load, 2), round(os.getloadavg()[0], 2)]
    return made


def made_in(made: dict) -> str:
    """How long making a store took, in words, as bench/run.py prints it."""
    cpu = (f" ({made['loaded CPU']:.0f} s and {made['compacted CPU']:.0f} s of CPU)"
           if "loaded CPU" in made else "")
    load = (f", load average {made['load average'][0]:.1f} to {made['load average'][1]:.1f}"
            if "load average" in made else "")
    return (f"generated and bulk-loaded (overlapping) in {made['loaded']:.0f} s, compacted in "
            f"{made['compacted']:.0f} s{cpu}, made in {made['made']:.0f} s in all (at most 600 s asked){load}")


def prepared_store(stores: Path, organisations: int, years: int) -> tuple[Path, dict]:
    """The generated store for this size under `stores`, made on first use and reused after (made
    again when it was made by an older generator); returns its folder and what making it took."""
    path = stores / f"{organisations}x{years}" / "store"
    marker = path.parent / "made.json"
    made = json.loads(marker.read_text()) if marker.exists() else {}
    if made.get("generation") != GENERATION:
        for leftover in (path, Path(f"{path}-snapshots")):
            if leftover.exists():
                raise SystemExit(f"{leftover} was made by an older generator; remove it and run again")
        path.parent.mkdir(parents=True, exist_ok=True)
        made = {**generate_store(path, organisations, years), "generation": GENERATION}
        marker.write_text(json.dumps(made))
    return path, made


def size_on_disk(path: Path) -> int:
    """The store's folder, as the files of its current snapshot share its table files."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
