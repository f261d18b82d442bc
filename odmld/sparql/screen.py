"""Looking at SPARQL text before anything runs it: is it an update, does it call SERVICE, may its
answer be given again, where do bound parameters go (a VALUES block at the start of the WHERE group)?

The screen reads the text with the SPARQL 1.1 grammar's own terminals (tokens.py), in every
reading a parser might take where the text can be read two ways, and in the text as written and with
its `\\u` / `\\U` code point escapes applied (the grammar applies them before parsing; Oxigraph 0.5
does not, other servers do). A word counts if any of these readings sees it as code, so a false alarm
may refuse a query, and a query a parser would read as calling SERVICE is always refused.

The screen is one guard of two: the processes that run public queries cannot open a network
connection at all (sandbox.py). It matters on its own where the text goes to a remote store,
whose server may run SERVICE itself.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any, Mapping

import pyoxigraph as ox

from .remote_functions import readings as _readings
from .tokens import TooIntricate, code_words, tokens

_KEYWORDS = (
    "BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK DISTINCT REDUCED AS FROM NAMED WHERE GROUP BY HAVING "
    "ORDER ASC DESC LIMIT OFFSET VALUES LOAD SILENT INTO CLEAR DROP CREATE ADD TO MOVE COPY INSERT DATA "
    "DELETE WITH USING DEFAULT GRAPH ALL OPTIONAL SERVICE BIND UNDEF MINUS UNION FILTER IN NOT EXISTS "
    "TRUE FALSE A SEPARATOR").split()
_GLUED = "(?:" + "|".join(sorted(_KEYWORDS, key=len, reverse=True)) + ")*"
# Oxigraph matches a keyword by its letters alone, with no word boundary after it: `SERVICEex:a` is
# SERVICE then `ex:a`, and `trueSERVICE` is `true` then SERVICE. So a word (or a name's prefix) that
# begins with the word, perhaps after other keywords, counts as the word.
_SERVICE = re.compile(_GLUED + "SERVICE")
_VARYING = re.compile(_GLUED + "(?:NOW|RAND|UUID|STRUUID)")
_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


@dataclass(frozen=True)
class Screening:
    """What a public endpoint must know of a query before it runs.

    - `is_update`: the request, after its prologue, starts with an update operation;
    - `calls_service`: some reading of it has a SERVICE clause (pyoxigraph would open a connection);
    - `answers_differ_between_runs`: it may ask for the time or for random values (NOW, RAND, UUID,
      STRUUID), so an answer kept from an earlier run would be wrong though the store is unchanged;
    - `too_intricate`: it is read so many ways that screening it would cost too much (refused).
    """

    is_update: bool
    calls_service: bool
    answers_differ_between_runs: bool
    too_intricate: bool = False


def screen(text: str) -> Screening:
    readings = _readings(text)
    uppers = [reading.upper() for reading in readings]
    # Cheap first: a word whose letters are nowhere in the text is in no reading of it. Most queries
    # never spell SERVICE, and are screened without being tokenized at all.
    spelled = [reading for reading, upper in zip(readings, uppers) if "SERVICE" in upper]
    varying = [reading for reading, upper in zip(readings, uppers)
               if "NOW" in upper or "RAND" in upper or "UUID" in upper]
    try:
        calls_service = any(_SERVICE.match(word) for reading in spelled for word in code_words(reading))
        differs = any(_VARYING.match(word) for reading in varying for word in code_words(reading))
    except TooIntricate:
        return Screening(is_update=False, calls_service=True, answers_differ_between_runs=True,
                         too_intricate=True)
    return Screening(is_update=any(_starts_with_update(reading, upper)
                                   for reading, upper in zip(readings, uppers)),
                     calls_service=calls_service, answers_differ_between_runs=differs)


def _starts_with_update(text: str, upper: str) -> bool:
    if not any(word in upper for word in _UPDATES):
        return False
    words = (token for token in tokens(text) if token.kind not in ("pname", "iri"))
    first = next((token for token in words if token.text.upper() not in ("PREFIX", "BASE")), None)
    return first is not None and first.text.upper().startswith(_UPDATES)


_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form of the query, read past comments, strings and IRIs."""
    return next((token.text.upper() for token in tokens(text)
                 if token.kind == "word" and token.text.upper() in _FORMS), None)


def where_group_start(text: str) -> int:
    """The offset just inside the `{` that opens the query's WHERE group.

    Raises ValueError for text that is not a query, and for the short `CONSTRUCT WHERE { }` form,
    whose group is also its template.
    """
    stream = iter(tokens(text))
    form = next((token for token in stream if token.kind == "word" and token.text.upper() in _FORMS), None)
    if form is None:
        raise ValueError("not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)")
    if form.text.upper() == "CONSTRUCT":
        following = next(stream, None)
        if following is not None and following.text.upper() == "WHERE":
            raise ValueError("the short CONSTRUCT WHERE form cannot take parameters")
        if following is None or following.text != "{":
            raise ValueError("CONSTRUCT without a template")
        depth = 1
        for token in stream:  # past the template's braces
            depth += {"{": 1, "}": -1}.get(token.text, 0)
            if depth == 0:
                break
        else:
            raise ValueError("unbalanced braces in the query")
    brace = next((token for token in stream if token.text == "{"), None)
    if brace is None:
        raise ValueError("the query has no WHERE group to bind parameters in")
    return brace.end


def bind_values(text: str, bindings: Mapping[str, Any]) -> str:
    """The query with a VALUES block that binds `bindings` at the start of its WHERE group.

    A binding is one term, or a list of terms (a row for each; several lists give every combination).
    Used for both stores (the SPARQL protocol has no parameters, and pyoxigraph's planner does not see
    its substitutions; see Store.query): each value is a pyoxigraph term (IRI or literal, validated
    when it was made) written by pyoxigraph's own serialiser, so no user text is pasted into the query.
    Bound first in the WHERE group, a value is seen by every pattern, FILTER and BIND of that group, as
    pyoxigraph's substitution would; the library's queries are tested to give the same answers both ways.
    """
    if not bindings:
        return text
    names, columns = [], []
    for name, value in bindings.items():
        terms = list(value) if isinstance(value, (list, tuple)) else [value]
        for term in terms:
            if not isinstance(term, (ox.NamedNode, ox.Literal)):
                raise ValueError(f"?{name}: only IRIs and literals can be bound, not {term!r}")
        names.append(str(ox.Variable(name)))
        columns.append([str(term) for term in terms])
    rows = " ".join(f"({' '.join(row)})" for row in itertools.product(*columns))
    at = where_group_start(text)
    return f"{text[:at]} VALUES ({' '.join(names)}) {{ {rows} }}\n{text[at:]}"
