"""The CSV template a city fills in a spreadsheet, read into an assessment's per-domain scores.

    domain,maturity,need,evidence
    1,opgestart,sterke nood,"Schepen steunt, nog geen budget"
    4,2,1,

`domain` is a domain's notation (1-11); `maturity` a maturity level's rank (0-3) or label; `need` a need
level's rank (0-2) or label (Dutch or English, preferred or alternative, any case). Problems are
collected per row so the city sees every wrong row at once.

The template is also written here (`template_csv`): a published version as CSV, and the
self-assessment form's fields as the body it submits.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import pyoxigraph as ox

from ..sparql import library as queries
from ..store_api import Reader, Store
from ..user_text import whole_number

COLUMNS = ("domain", "maturity", "need", "evidence")
DOMAINS = range(1, 12)


class CsvUnreadable(ValueError):
    """The CSV cannot be read as the template: the message in English (str) and Dutch (`nl`)."""

    def __init__(self, en: str, nl: str) -> None:
        super().__init__(en)
        self.en, self.nl = en, nl

    def message(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en


@dataclass(frozen=True)
class RowProblem:
    row: int          # 1-based data row number, as a spreadsheet shows it (header is row 1)
    column: str
    value: str
    message_nl: str
    message_en: str


@dataclass(frozen=True)
class DomainScore:
    row: int
    domain: int
    maturity: ox.NamedNode
    need: ox.NamedNode
    evidence: str


@dataclass
class ParsedCsv:
    scores: list[DomainScore] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def level_lookup(store: Store) -> dict[str, dict[str, ox.NamedNode]]:
    """{"maturity": {"opgestart": iri, "1": iri, ...}, "need": {...}}, keys lower-case."""
    lookup: dict[str, dict[str, ox.NamedNode]] = {"maturity": {}, "need": {}}
    for row in store.select(queries.get("level-lookup").text):
        table = lookup[row["kind"].value]
        table[row["rank"].value] = row["level"]
        table[row["label"].value.strip().lower()] = row["level"]
    return lookup


def parse_csv(text: str, lookup: dict[str, dict[str, ox.NamedNode]]) -> ParsedCsv:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    parsed = ParsedCsv()
    try:  # the header is read (and can be malformed, a bare carriage return) on first use
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
        if header[:3] != list(COLUMNS[:3]):
            got = ','.join(header)
            raise CsvUnreadable(f"the first line must be the header {','.join(COLUMNS)}; got {got or 'nothing'}",
                                f"de eerste regel moet de kop {','.join(COLUMNS)} zijn; niet {got or 'niets'}")
        reader.fieldnames = header
        for number, row in enumerate(reader, start=2):
            read_row(number, row, lookup, parsed)
    except csv.Error as error:
        raise CsvUnreadable(f"line {reader.line_num}: {error}",
                            f"regel {reader.line_num}: geen geldige CSV ({error})") from None
    return parsed


LEVEL_HELP = {
    "maturity": ("maturiteit is 0-3 of niet aanwezig, opgestart, gevorderd, verworven",
                 "maturity is 0-3 or not present, started, advanced, acquired"),
    "need": ("nood is 0-2 of geen nood, redelijke nood, sterke nood",
             "need is 0-2 or no need, reasonable need, strong need"),
}


def level(number: int, column: str, value: str, lookup: dict[str, dict[str, ox.NamedNode]],
          parsed: ParsedCsv) -> ox.NamedNode | None:
    """The level a cell names (rank or label), or None with a problem recorded for its row."""
    found = lookup[column].get(value.lower())
    if found is None:
        parsed.problems.append(RowProblem(number, column, value, *LEVEL_HELP[column]))
    return found


def read_row(number: int, row: dict[str, str | None], lookup: dict[str, dict[str, ox.NamedNode]],
             parsed: ParsedCsv) -> None:
    cells = {name: (row.get(name) or "").strip() for name in COLUMNS}
    if not any(cells.values()):
        return  # an empty line in a spreadsheet export
    problems = len(parsed.problems)
    domain = cells["domain"]
    if whole_number(domain) not in DOMAINS:
        parsed.problems.append(RowProblem(number, "domain", domain,
                                          "het domein is een nummer van 1 tot 11",
                                          "the domain is a number from 1 to 11"))
    maturity = level(number, "maturity", cells["maturity"], lookup, parsed)
    need = level(number, "need", cells["need"], lookup, parsed)
    if len(parsed.problems) == problems:
        earlier = [s.row for s in parsed.scores if s.domain == int(domain)]
        if earlier:
            parsed.problems.append(RowProblem(
                number, "domain", domain, f"domein {domain} staat al in rij {earlier[0]}",
                f"domain {domain} is already on row {earlier[0]}"))
        else:
            parsed.scores.append(DomainScore(number, int(domain), maturity, need, cells["evidence"]))


def template_csv(rows: Iterable[Sequence[object]], line_end: str = "\n") -> str:
    """Rows of (domain, maturity, need, evidence) as the CSV template, header first: what parse_csv reads.
    (With `line_end` CRLF a lone carriage return in a field is quoted too, as a browser's text may hold.)"""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=line_end)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def version_csv(reader: Reader, assessment: ox.NamedNode) -> str | None:
    """A published assessment version as the CSV template (its ranks and evidence); None when the store
    holds no such version."""
    rows = reader.select(queries.get("assessment-plan").text, assessment=assessment, lang=ox.Literal("nl"))
    if not rows:
        return None
    return template_csv([row["notation"].value, row["maturity_rank"].value, row["need_rank"].value,
                         row["evidence"].value if "evidence" in row else ""]
                        for row in sorted(rows, key=lambda r: int(r["notation"].value)))
