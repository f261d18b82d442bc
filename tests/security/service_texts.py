"""Query texts that call SERVICE on a loopback port, spelled as an attacker would.

`BYPASSES` are the three spellings that passed the old screen (issue 15). `service_queries(port)` is a
hypothesis strategy for a family around them: a SERVICE clause after a run of group elements that
hide things from a careless reader (comments ending at CR, LF or CRLF; prefixed names with `\\#`,
`\\'`, `\\.` and `%` escapes; strings of the four kinds with escapes; IRIs; `(1<2)#>`), in any case,
with SILENT or not, to an IRI or to a variable bound to it; and, with `placement`, the same clause
put in code or hidden inside a comment, a string or an IRI (a decoy, which a screen may pass).
"""

from __future__ import annotations

from hypothesis import strategies as st

PREFIXES = "PREFIX ex: <http://e.org/> PREFIX : <http://e.org/empty#> "


def bypasses(port: int) -> list[str]:
    return [
        f"SELECT ?x WHERE {{ # c\rSERVICE <http://127.0.0.1:{port}/x> {{ ?x ?y ?z }} }}",
        f"PREFIX ex: <http://e.org/> SELECT * WHERE {{ BIND(ex:a\\# AS ?z) "
        f"SERVICE <http://127.0.0.1:{port}/y> {{ ?x ?y ?w }} }}",
        f"PREFIX ex: <http://e.org/> SELECT * WHERE {{ BIND(ex:a\\' AS ?z) "
        f"SERVICE <http://127.0.0.1:{port}/y> {{ ?x ?y ?w }} }}",
    ]


def _cased(word: str):
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda upper: "".join(c.upper() if u else c.lower() for c, u in zip(word, upper)))


def _escaped(word: str):
    """The word with some letters written as \\u or \\U code point escapes."""
    return st.lists(st.sampled_from(["", "u", "U"]), min_size=len(word), max_size=len(word)).map(
        lambda how: "".join(c if h == "" else (f"\\u{ord(c):04X}" if h == "u" else f"\\U{ord(c):08X}")
                            for c, h in zip(word, how)))


_ws = st.sampled_from([" ", "\t", "\n", "\r", "\r\n", "  "])
_end_of_line = st.sampled_from(["\r", "\n", "\r\n"])
_tricky_text = st.sampled_from(["", "{", "}", "'", '"', "<", ">", "#", "\\", "SERVICE", "x", " "])
_comment = st.builds(lambda body, end: f"#{''.join(body)}{end}", st.lists(_tricky_text, max_size=4),
                     _end_of_line)
_local = st.sampled_from(["ex:a\\#", "ex:a\\'", "ex:a\\.b", "ex:a%41", "ex:a\\~\\-", ":x\\#",
                          "ex:a.b", "ex:\\#\\'"])
_string = st.sampled_from(['"a\\"b#"', "'a\\'b#'", '"""a"b\n#"""', "'''a''b\r#'''", '"\\\\"',
                           "'#\\\\'", '"<x>"', "'{'"])
_element = st.one_of(
    _comment,
    st.builds(lambda term, n: f"BIND({term} AS ?z{n})", st.one_of(_local, _string), st.integers(0, 9**6)),
    st.sampled_from(["FILTER(1<2)#>\n", "FILTER(?a<1)", "?s <http://e.org/p#x> ?o .", "FILTER(true)",
                     "OPTIONAL { ?s ex:p ?o }"]),
)


def service_clause(port: int):
    endpoint = f"<http://127.0.0.1:{port}/sparql>"
    keyword = st.one_of(_cased("SERVICE"), _escaped("SERVICE"))
    silent = st.one_of(st.just(""), _cased("SILENT").map(lambda word: f" {word}"))
    target = st.sampled_from([endpoint, "?endpoint"])
    return st.builds(lambda k, s, t, w: f"{k}{s}{w}{t}{w}{{ ?s ?p ?o }}", keyword, silent, target, _ws)


def _bind_endpoint(port: int) -> str:
    return f"BIND(<http://127.0.0.1:{port}/sparql> AS ?endpoint) "


def service_queries(port: int):
    """Texts that call SERVICE in code (the screen must refuse every one)."""
    return st.builds(
        lambda elements, ws, clause, select: (
            f"{PREFIXES}{select} * WHERE {{ {_bind_endpoint(port)}"
            + ws.join(elements) + ws + clause + " }"),
        st.lists(_element, max_size=5), _ws, service_clause(port), _cased("SELECT"))


def placed_service_queries(port: int):
    """(placement, text): the clause in code, or hidden in a comment, a string or an IRI."""
    def place(where: str, elements: list[str], clause: str) -> str:
        flat = clause.replace("\r", " ").replace("\n", " ")
        hidden = {"code": clause, "comment": f"# {flat}\n",
                  "string": f'BIND("{flat.replace(chr(34), "")}" AS ?hidden)',
                  "iri": f"?s <http://e.org/{flat.replace(' ', '').replace('<', '').replace('>', '')}> ?o ."}
        return (f"{PREFIXES}SELECT * WHERE {{ {_bind_endpoint(port)}" + " ".join(elements) + " "
                + hidden[where] + " }")
    return st.builds(lambda where, elements, clause: (where, place(where, elements, clause)),
                     st.sampled_from(["code", "comment", "string", "iri"]), st.lists(_element, max_size=4),
                     service_clause(port))
