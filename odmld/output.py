"""Rendering query results for a terminal or a file: a text table, or a standard serialisation."""

from __future__ import annotations

import pyoxigraph as ox

RESULT_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}


def render_results(results: object, output_format: str) -> str:
    """SELECT and ASK results as a table or csv/tsv/json/xml; CONSTRUCT results as turtle/ntriples."""
    if isinstance(results, ox.QueryTriples):
        rdf_format = GRAPH_FORMATS.get(output_format, ox.RdfFormat.TURTLE)
        return results.serialize(format=rdf_format).decode("utf-8")
    if output_format in GRAPH_FORMATS:
        raise ValueError(f"--format {output_format} is for CONSTRUCT and DESCRIBE queries")
    if output_format in RESULT_FORMATS:
        return results.serialize(format=RESULT_FORMATS[output_format]).decode("utf-8")
    if isinstance(results, ox.QueryBoolean):
        return f"{'true' if bool(results) else 'false'}\n"
    return text_table(results)


def text_table(solutions: ox.QuerySolutions) -> str:
    names = [variable.value for variable in solutions.variables]
    rows = [[cell_text(solution[name]) for name in names] for solution in solutions]
    widths = [max([len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(names)]
    lines = ["  ".join(name.ljust(width) for name, width in zip(names, widths)).rstrip(),
             "  ".join("-" * width for width in widths)]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
              for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def cell_text(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)
