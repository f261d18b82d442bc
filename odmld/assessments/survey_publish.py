"""Publishing a survey's individual responses: the counts as a qb:DataSet and the assessment derived
from them, in one write. The one code path for `odmld import-survey` and the survey upload over HTTP."""

from __future__ import annotations

from dataclasses import dataclass
import pyoxigraph as ox

from .. import vocab
from . import survey
from .publish import Published, publish, validate_parts
from ..store_api import Store
from ..user_text import plain_date
from ..validation import Report


class SurveyRefused(ValueError):
    """The responses cannot be published; `words` says why in Dutch and English (str() is the
    English); `report` holds the SHACL findings when the derived assessment does not conform (None
    when the file itself is wrong)."""

    def __init__(self, words: dict[str, str], report: Report | None = None) -> None:
        super().__init__(words["en"])
        self.words, self.report = words, report


@dataclass(frozen=True)
class SurveyPublished:
    published: Published
    dataset: ox.NamedNode
    respondents: int
    suppressed: list[str]   # profiles with too few respondents to be published on their own


def publish_survey(store: Store, text: str, organisation_id: str, date: str) -> SurveyPublished:
    """Aggregate `text` (the responses template) and publish it for the organisation on `date`."""
    if not plain_date(date):  # fromisoformat alone also takes week dates (2024-W01-1)
        raise SurveyRefused({"nl": f"de datum moet JJJJ-MM-DD zijn, niet {date!r}",
                             "en": f"the date must be YYYY-MM-DD, got {date!r}"})
    try:
        aggregate = survey.read_responses(text, survey.answer_scales(store))
    except survey.SurveyInputError as error:
        raise SurveyRefused(error.words) from None
    dataset = vocab.survey_dataset(store.base_uri, organisation_id, date)
    graph = vocab.survey_graph(store.base_uri, organisation_id, date)
    quads, suppressed = survey.statistics_quads(store, aggregate, dataset, graph)
    parts = survey.survey_parts(store, aggregate, vocab.organisation(store.base_uri, organisation_id),
                                       date)
    report = validate_parts(parts, store.base_uri)
    if not report.conforms:
        raise SurveyRefused({"nl": "de inschatting die uit de antwoorden volgt, voldoet niet aan de vormen",
                             "en": "the assessment derived from the responses does not conform"}, report)
    published = publish(store, parts, organisation_id, derived_from=quads)
    return SurveyPublished(published, dataset, sum(aggregate.respondents.values()), suppressed)
