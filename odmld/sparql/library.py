"""The SPARQL queries, one per file, loaded by name: the public library and the app's own.

`queries/*.rq` is the research library: the questions researchers ask, listed on the SPARQL page,
runnable with `odmld query NAME` and the Python client. `queries/internal/*.rq` are the queries the
app runs for its pages, feed, catalogue and store plumbing; the app finds them by name too (`get`),
but they are not listed, documented or offered to clients. Each file opens with a comment block that
says what the query answers, its parameters and its result columns.

(This module is not called `queries`: in a checkout folder named `odmld`, Python run from the folder
above takes the checkout for a namespace package, and `odmld.queries` would be the `queries/` folder.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..resources import folder

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class QueryNotFound(LookupError):
    pass


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str

    @property
    def description(self) -> str:
        """The leading comment block, without the '#' marks."""
        lines = []
        for line in self.text.splitlines():
            stripped = line.strip()
            if not stripped.startswith("#"):
                break
            lines.append(stripped.lstrip("#").strip())
        return "\n".join(lines).strip()

    @property
    def parameters(self) -> list[str]:
        """Variables the header declares as parameters, on a line `Parameters: ?org ?date`."""
        for line in self.description.splitlines():
            if line.lower().startswith("parameters:"):
                return re.findall(r"\?(\w+)", line)
        return []


def query_folder() -> Path:
    """The research library's folder."""
    return folder("queries")


def internal_folder() -> Path:
    """The folder of the queries the app runs itself."""
    return query_folder() / "internal"


@lru_cache(maxsize=None)
def get(name: str) -> NamedQuery:
    """The query called `name`: the library's `queries/{name}.rq`, else the app's own
    `queries/internal/{name}.rq`. For what a client asks by name, use `library`."""
    if not NAME_PATTERN.match(name):
        raise QueryNotFound(f"{name!r} is not a query name")
    for place in (query_folder(), internal_folder()):
        path = place / f"{name}.rq"
        if path.is_file():
            return NamedQuery(name=name, text=path.read_text(encoding="utf-8"))
    raise QueryNotFound(f"no query called {name!r} (known: {', '.join(names())})")


def library(name: str) -> NamedQuery:
    """The library query called `name`; QueryNotFound, naming the library, for any other name."""
    if name not in names():
        raise QueryNotFound(f"no query called {name!r} in the library (known: {', '.join(names())})")
    return get(name)


@lru_cache(maxsize=1)
def names() -> tuple[str, ...]:
    """The names of the research library's queries."""
    return tuple(sorted(path.stem for path in query_folder().glob("*.rq")))


def internal_names() -> list[str]:
    return sorted(path.stem for path in internal_folder().glob("*.rq"))


def all_queries() -> list[NamedQuery]:
    """The research library."""
    return [get(name) for name in names()]


def every_query() -> list[NamedQuery]:
    """The library and the app's own queries, for tests that check every query."""
    return all_queries() + [get(name) for name in internal_names()]
