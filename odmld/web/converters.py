"""URL converters that refuse, while routing, path text that could not become what the view needs.

A view that makes an IRI from its path (a graph, a document, an assessment version) would otherwise
meet text that is no IRI (`/graph/a%20b.ttl`) as a ValueError, a 500. With `<iri_path:name>` such a
path is a 404 with a message before the view runs, and the view needs no try/except of its own. (It
is werkzeug's NotFound: routing answers only HTTP exceptions; the one error handler (errors.py) makes
it the error model's.)
`int` is replaced by one that takes ASCII digits only (werkzeug's `\\d` also matches "٣").
"""

from __future__ import annotations

from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, PathConverter

from ..user_text import iri
from .errors import worded

ANY_BASE = "http://odmld.invalid/"  # the base URI is a valid http(s) prefix: only the path can fail


class IriPath(PathConverter):
    """A path (slashes allowed) that is valid as the rest of an IRI under the base URI."""

    def to_python(self, value: str) -> str:
        if iri(ANY_BASE + value) is None:
            raise NotFound(worded("not_an_iri", value=repr(value)))
        return value


class AsciiInteger(IntegerConverter):
    regex = r"[0-9]{1,9}"


CONVERTERS = {"iri_path": IriPath, "int": AsciiInteger}
