"""The SPARQL query library: one query per file in `queries/`, loaded by name.

Each file opens with a comment block that says what the query answers, its parameters and its
result columns; `describe` returns that block so the CLI and the web pages can show it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .resources import folder

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
    return folder("queries")


@lru_cache(maxsize=None)
def get(name: str) -> NamedQuery:
    """The query called `name` (the file `queries/{name}.rq`)."""
    if not NAME_PATTERN.match(name):
        raise QueryNotFound(f"{name!r} is not a query name")
    path = query_folder() / f"{name}.rq"
    if not path.is_file():
        raise QueryNotFound(f"no query called {name!r} (known: {', '.join(names())})")
    return NamedQuery(name=name, text=path.read_text(encoding="utf-8"))


def names() -> list[str]:
    return sorted(path.stem for path in query_folder().glob("*.rq"))


def all_queries() -> list[NamedQuery]:
    return [get(name) for name in names()]
