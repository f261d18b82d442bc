"""`odmld validate` for the files a city submits: the CSV template, Turtle and JSON-LD, read as the API
reads them (JSON-LD by pyoxigraph, as the API: validation.read_graph), with messages that name the row (CSV) or the part (the assessment, domain 4) at fault.

A CSV is read with the model's levels ("opgestart", "2", "strong need") and its rows reported by
number; its scores are then checked against the assessment shapes as the API would, with the request
parameters it lacks (organisation, date, method) set to placeholders the shapes accept.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph as ox

from .assessments.csv import CsvUnreadable, parse_csv
from .assessments.graph import AssessmentParts, DomainPart
from .assessments.model_levels import levels
from .assessments.publish import validate_parts
from .assessments.submit import row_words
from .assessments.problems import detail_of, plain_problems
from .validation import UnreadableInput
from . import vocab
from .vocab import XSD_DATE


def check_csv(path: Path, base_uri: str, lang: str) -> list[str]:
    """The problems of a CSV assessment, one line each; none when the API would accept its rows."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UnreadableInput(f"{path}: " + ("de CSV is geen UTF-8-tekst" if lang == "nl"
                                             else "the CSV is not UTF-8 text")) from None
    except OSError as error:
        raise UnreadableInput(f"{path}: {error.strerror}") from None
    try:
        parsed = parse_csv(text, levels(base_uri))
    except CsvUnreadable as error:
        raise UnreadableInput(f"{path}: {error.message(lang)}") from None
    if parsed.problems:
        return [row_words({"row": p.row, "column": p.column, "value": p.value,
                           "message": p.message_nl if lang == "nl" else p.message_en}, lang)
                for p in parsed.problems]
    parts = AssessmentParts(
        organisation=vocab.organisation(base_uri, "0"), date=ox.Literal(dt.date.today().isoformat(), datatype=XSD_DATE),
        method=vocab.method(base_uri, "zelfevaluatie"),
        domains=[DomainPart(vocab.domain(base_uri, s.domain), s.maturity, s.need,
                            ox.Literal(s.evidence, language="nl") if s.evidence else None)
                 for s in parsed.scores])
    report = validate_parts(parts, base_uri)
    problems = plain_problems(report, lang, base_uri, csv=True)
    return [detail_of([problem], lang) for problem in problems]
