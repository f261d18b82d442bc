"""Importing individual survey responses: aggregated statistics plus an assessment with method survey.

The template (`data/examples/survey-responses.csv`) has one row per respondent: a respondent code, the
user profile, and the answers to the seed's questions (6a-c on the 1-5 agreement scale, "omgang",
9 and 10a-d ja/nee). Nothing personal is kept: rows are counted per profile, question and answer, and a
profile with fewer than 5 respondents is not published on its own (it still counts in "all").

odmld's own rule (the seeds give none) turns the answers into levels for the one domain they inform,
1 Sponsoring: maturity from the share that agrees (3-4) with 6b, "my organisation is aware enough of the
importance of data": <25% niet aanwezig, <50% opgestart, <75% gevorderd, else verworven; need from the
share that agrees with 6c, "my organisation could use data more and better": <1/3 geen nood,
<2/3 redelijke nood, else sterke nood. "Geen mening" (5) is left out of both shares.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from .. import vocab
from ..sparql import library as queries
from .graph import AssessmentParts, DomainPart
from ..store_api import Store
from ..vocab import RDF_TYPE

COLUMNS = {"q6a": "6a", "q6b": "6b", "q6c": "6c", "omgang": "omgang", "q9": "9",
           "q10a": "10a", "q10b": "10b", "q10c": "10c", "q10d": "10d"}
PROFILES = ("stadsmedewerker", "beleidsmedewerker", "data-expert", "data-manager", "aankoopdienst")
MINIMUM_GROUP = 5
AGREE, NO_OPINION = {"3", "4"}, "5"


class SurveyInputError(ValueError):
    """The responses file is not the template, or rows hold answers the questions do not accept;
    `words` says so in Dutch and English (str() is the English)."""

    def __init__(self, nl: str, en: str) -> None:
        super().__init__(en)
        self.words = {"nl": nl, "en": en}


@dataclass
class Aggregate:
    respondents: Counter = field(default_factory=Counter)          # profile -> n
    answers: Counter = field(default_factory=Counter)              # (profile, question, answer) -> n


def answer_scales(store: Store) -> dict[str, dict[str, ox.NamedNode]]:
    scales: dict[str, dict[str, ox.NamedNode]] = {}
    for row in store.select(queries.get("survey-answer-scales").text):
        scales.setdefault(row["question_notation"].value, {})[row["answer_notation"].value] = row["answer"]
    return scales


def read_responses(text: str, scales: dict[str, dict[str, ox.NamedNode]]) -> Aggregate:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    expected = ["respondent", "profile", *COLUMNS]
    if [name.strip() for name in reader.fieldnames or []] != expected:
        raise SurveyInputError(f"de eerste regel moet {','.join(expected)} zijn",
                               f"the first line must be {','.join(expected)}")
    aggregate, problems = Aggregate(), []  # (Dutch, English) of each row's problem
    for number, row in enumerate(reader, start=2):
        profile = (row.get("profile") or "").strip()
        if profile not in PROFILES:
            problems.append((f"rij {number}: profiel {profile!r} is geen van {', '.join(PROFILES)}",
                             f"row {number}: profile {profile!r} is not one of {', '.join(PROFILES)}"))
            continue
        answers = {}
        for column, question in COLUMNS.items():
            value = (row.get(column) or "").strip().lower()
            if value and value not in scales[question]:
                allowed = ", ".join(sorted(scales[question]))
                problems.append((f"rij {number}: {column} {value!r} is geen van {allowed}",
                                 f"row {number}: {column} {value!r} is not one of {allowed}"))
            elif value:
                answers[question] = value
        aggregate.respondents[profile] += 1
        for question, value in answers.items():
            aggregate.answers[(profile, question, value)] += 1
    if problems:
        raise SurveyInputError("; ".join(nl for nl, _ in problems), "; ".join(en for _, en in problems))
    if sum(aggregate.respondents.values()) == 0:
        raise SurveyInputError("het bestand bevat geen antwoorden", "the file holds no responses")
    return aggregate


def share_agreeing(aggregate: Aggregate, question: str) -> Decimal | None:
    counts = Counter()
    for (_profile, asked, value), n in aggregate.answers.items():
        if asked == question and value != NO_OPINION:
            counts["agree" if value in AGREE else "other"] += n
    total = counts["agree"] + counts["other"]
    return None if total == 0 else Decimal(counts["agree"]) / total


def derived_domain(store: Store, aggregate: Aggregate) -> DomainPart | None:
    """Domain 1's levels and evidence by the rule in this module's docstring."""
    aware, better = share_agreeing(aggregate, "6b"), share_agreeing(aggregate, "6c")
    if aware is None or better is None:
        return None
    maturity = ("niet-aanwezig" if aware < Decimal("0.25") else "opgestart" if aware < Decimal("0.5")
                else "gevorderd" if aware < Decimal("0.75") else "verworven")
    need = ("geen-nood" if better * 3 < 1 else "redelijke-nood" if better * 3 < 2 else "sterke-nood")
    n = sum(aggregate.respondents.values())
    evidence = (f"Bevraging (n = {n}): {aware:.0%} akkoord met vraag 6b (bewustzijn van het belang van "
                f"data), {better:.0%} akkoord met vraag 6c (data meer en beter inzetten).")
    base = store.base_uri
    return DomainPart(vocab.domain(base, 1), vocab.maturity_level(base, maturity), vocab.need_level(base, need),
                      ox.Literal(evidence, language="nl"))


def statistics_quads(store: Store, aggregate: Aggregate, dataset: ox.NamedNode,
                     graph: ox.NamedNode) -> tuple[list[ox.Quad], list[str]]:
    """The published counts (qb:Observations) and the profiles suppressed as too small."""
    base = store.base_uri
    qb, rdf = "http://purl.org/linked-data/cube#", RDF_TYPE.value
    suppressed = sorted(p for p, n in aggregate.respondents.items() if n < MINIMUM_GROUP)
    triples = [ox.Triple(dataset, ox.NamedNode(rdf), ox.NamedNode(qb + "DataSet")),
               ox.Triple(dataset, vocab.odm(base, "sampleSize"),
                         vocab.integer(sum(aggregate.respondents.values())))]
    cells: Counter = Counter()
    groups: Counter = Counter()
    for (profile, question, answer), n in aggregate.answers.items():
        cells[("all", question, answer)] += n
        groups[("all", question)] += n
        if profile not in suppressed:
            cells[(profile, question, answer)] += n
            groups[(profile, question)] += n
    scales = answer_scales(store)
    for (segment, question, answer), n in sorted(cells.items()):
        node = vocab.survey_observation(dataset, segment, question, answer)
        segment_iri = (vocab.survey_2019(base, "segment/all") if segment == "all"
                       else vocab.user_profile(base, segment))
        percentage = (Decimal(100 * n) / groups[(segment, question)]).quantize(Decimal("0.1"))
        triples += [ox.Triple(node, ox.NamedNode(rdf), ox.NamedNode(qb + "Observation")),
                    ox.Triple(node, ox.NamedNode(qb + "dataSet"), dataset),
                    ox.Triple(node, vocab.odm(base, "question"),
                              vocab.survey_2019(base, f"vraag/{question}")),
                    ox.Triple(node, vocab.odm(base, "segment"), segment_iri),
                    ox.Triple(node, vocab.odm(base, "answer"), scales[question][answer]),
                    ox.Triple(node, vocab.odm(base, "frequency"),
                              vocab.integer(n)),
                    ox.Triple(node, vocab.odm(base, "percentage"),
                              vocab.decimal(percentage))]
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples], suppressed


def survey_parts(store: Store, aggregate: Aggregate, organisation: ox.NamedNode,
                 date: str) -> AssessmentParts:
    domain = derived_domain(store, aggregate)
    return AssessmentParts(organisation=organisation,
                           date=vocab.date(date),
                           method=vocab.method(store.base_uri, "bevraging"),
                           domains=[domain] if domain else [])
