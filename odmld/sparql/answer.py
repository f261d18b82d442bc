"""A public query's answer, written in the asked format within a row limit and a byte limit.

The limits are enforced on the answer as it is written, never read from the query text: pyoxigraph
serialises from the result iterator straight into a writer that counts the rows of the format it
writes (and the bytes), and stops the query as soon as either passes its limit. Counting the written
format costs a few byte scans of what was written anyway; the earlier way, writing TSV to count and
then parsing it back into the asked format, cost a third again of a small query.

How each format shows a row, exactly (pyoxigraph escapes what would confuse it):
- TSV: one line a row after the header line (a newline in a literal is written `\\n`);
- XML: one `<result>` element a row (a `<` in text is written `&lt;`);
- CSV: one line a row after the header line, counting only line ends outside quoted fields;
- JSON: one object a row in `bindings`: a row opens with `[{"` or `,{"` (between the bindings of one
  row a variable name stands between `,` and `{`), or is `{}` when nothing is bound in it.

XML 1.0 cannot carry most control characters (U+0001-U+0008, ...) nor U+FFFE / U+FFFF, even as
references, and pyoxigraph writes them as they are: an XML answer (SPARQL XML results, RDF/XML) that
holds one is refused, and the client told which formats can carry it.
"""

from __future__ import annotations

import re
from typing import Iterable

import pyoxigraph as ox

from ..errors import EXIT_BAD_INPUT, EXIT_STORE, OdmldError


class QueryRefused(OdmldError):
    """The query cannot be answered as asked; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, title: str, detail: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status, title, detail, headers=headers)
        # a query the store cannot run for want of time or workers is the store's; others the input's
        self.exit_code = EXIT_STORE if status >= 500 else EXIT_BAD_INPUT


class _Stop(Exception):
    """Raised from a writer to stop pyoxigraph's serialiser."""


class _CountingWriter:
    """A write target that keeps what it is given, counts rows as `count` sees them, and stops the
    serialiser past `row_limit` rows or `byte_limit` bytes."""

    def __init__(self, row_limit: int, byte_limit: int) -> None:
        self.row_limit, self.byte_limit = row_limit, byte_limit
        self.data = bytearray()
        self.rows = 0
        self.too_many_rows = self.too_large = False

    def write(self, chunk: bytes) -> int:
        self.data += chunk
        self.rows += self.count(chunk)
        if self.rows > self.row_limit:
            self.too_many_rows = True
            raise _Stop()
        if len(self.data) > self.byte_limit:
            self.too_large = True
            raise _Stop()
        return len(chunk)

    def count(self, chunk: bytes) -> int:
        return 0

    def finish(self) -> None:
        """Called once the whole answer is written."""

    def flush(self) -> None:
        pass


class _TsvRows(_CountingWriter):
    def __init__(self, *limits: int) -> None:
        super().__init__(*limits)
        self.rows = -1  # the header line

    def count(self, chunk: bytes) -> int:
        return chunk.count(b"\n")


class _XmlRows(_CountingWriter):
    _TAG = b"<result>"

    def count(self, chunk: bytes) -> int:
        tail = bytes(self.data[-len(chunk) - len(self._TAG) + 1:-len(chunk)])  # a tag cut in two
        return (tail + chunk).count(self._TAG)


class _CsvRows(_CountingWriter):
    def __init__(self, *limits: int) -> None:
        super().__init__(*limits)
        self.rows, self.quoted = -1, False

    def count(self, chunk: bytes) -> int:
        parts = chunk.split(b'"')  # a doubled quote inside a field toggles twice: no change
        found = sum(part.count(b"\n") for part in parts[1 if self.quoted else 0::2])
        self.quoted ^= (len(parts) - 1) % 2 == 1
        return found


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_ROW_STARTS = (b'[{"', b',{"')
_JSON_NOT_ROW_STARTS = (b'[{"}', b'[{",', b',{"}', b',{",')  # a string that ends in `[{` or `,{`


class _JsonRows(_CountingWriter):
    """A row with a binding opens `[{"` or `,{"` followed by a variable name. Inside a string every
    `"` follows a backslash, so such a quote is a real one: either a name's opening quote, or the
    closing quote of a string that ends in `[{` or `,{`, which is followed by `}` or `,` (never by a
    name). Counting the openings alone (two byte counts over each chunk and the last bytes of the one
    before) can only count too many, so it is all that is done until that count passes the limit;
    from then on those string ends are taken off (four counts more), over what was written so far
    once and then over each chunk, so an answer is refused only for the rows it has. A row with
    nothing bound is `{}`, which a string may hold too: if the answer has one, its rows are counted
    again at the end with the strings taken out."""

    exact = False

    def count(self, chunk: bytes) -> int:
        new = len(self.data) - len(chunk)  # where this chunk starts; a mark may begin 3 bytes before
        found = self._marks(_JSON_ROW_STARTS, max(new - 2, 0))
        if not self.exact and self.rows + found > self.row_limit:
            self.exact, new = True, 0  # count everything written so far exactly, once
            found = self._marks(_JSON_ROW_STARTS, 0) - self.rows
        if self.exact:
            found -= self._marks(_JSON_NOT_ROW_STARTS, max(new - 3, 0))
        return found

    def _marks(self, marks: tuple[bytes, ...], start: int) -> int:
        return sum(self.data.count(mark, start) for mark in marks)

    def finish(self) -> None:
        if b"{}" in self.data:
            structure = _JSON_STRING.sub(b"", self.data)
            self.rows = structure.count(b"[{") + structure.count(b",{")
            self.too_many_rows = self.rows > self.row_limit


_ROW_COUNTERS = {ox.QueryResultsFormat.TSV: _TsvRows, ox.QueryResultsFormat.XML: _XmlRows,
                 ox.QueryResultsFormat.CSV: _CsvRows, ox.QueryResultsFormat.JSON: _JsonRows}
_XML_CONTROLS = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])  # as bytes, only ever themselves
_XML_NONCHARACTERS = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")  # U+FFFE, U+FFFF


def write_solutions(solutions: ox.QuerySolutions, results_format: ox.QueryResultsFormat,
                    row_limit: int, byte_limit: int) -> bytes:
    """The solutions in `results_format`, from one run of the query, within both limits."""
    writer = _ROW_COUNTERS[results_format](row_limit, byte_limit)
    try:
        solutions.serialize(writer, results_format)
    except Exception:
        _refuse_if_past_limits(writer, "rows")
        raise
    writer.finish()
    _refuse_if_past_limits(writer, "rows")
    if results_format == ox.QueryResultsFormat.XML:
        _refuse_if_not_xml(writer.data, "JSON, CSV or TSV")
    return bytes(writer.data)


def write_graph(triples: Iterable[ox.Triple], rdf_format: ox.RdfFormat, triple_limit: int,
                byte_limit: int) -> bytes:
    """The triples of a CONSTRUCT or DESCRIBE in `rdf_format`, within both limits."""
    collected = []
    for triple in triples:
        collected.append(triple)
        if len(collected) > triple_limit:
            raise QueryRefused(400, "Result limit exceeded",
                                f"the query returns more than {triple_limit} triples")
    writer = _CountingWriter(triple_limit, byte_limit)
    try:
        ox.serialize(collected, writer, rdf_format)
    except Exception:
        _refuse_if_past_limits(writer, "triples")
        raise
    if rdf_format == ox.RdfFormat.RDF_XML:
        _refuse_if_not_xml(writer.data, "Turtle, N-Triples or JSON-LD")
    return bytes(writer.data)


def _refuse_if_past_limits(writer: _CountingWriter, what: str) -> None:
    if writer.too_many_rows:
        raise QueryRefused(400, "Result limit exceeded", f"the query returns more than "
                            f"{writer.row_limit} {what}; add a LIMIT or narrow it")
    if writer.too_large:
        raise QueryRefused(400, "Result limit exceeded", f"the answer is larger than "
                            f"{writer.byte_limit // 1_000_000} MB; narrow the query")


def _refuse_if_not_xml(data: bytearray, other_formats: str) -> None:
    """Refuse XML holding a character XML 1.0 cannot carry (two C-speed passes over the bytes)."""
    found = None
    if len(data.translate(None, _XML_CONTROLS)) != len(data):
        found = min(data.find(bytes([byte])) for byte in _XML_CONTROLS if bytes([byte]) in data)
        found = data[found:found + 1]
    else:
        found = next((bytes(mark) for mark in _XML_NONCHARACTERS if mark in data), None)
    if found is not None:
        character = found.decode("utf-8")
        raise QueryRefused(406, "Not Acceptable", f"the answer holds the character "
                           f"U+{ord(character):04X}, which XML 1.0 cannot carry; ask for {other_formats}")
