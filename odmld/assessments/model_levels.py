"""The maturity model as the package bundles it, read once per process, for what the CSV reader needs of
it: the levels a city may write ("opgestart", "2", "strong need").

The API's CSV reader took them from the store: a query, and after every write the opening of the newest
snapshot, which only that query needed (a submission reads nothing else from the snapshot). The store's
own model still decides what is published: the write checks that it holds every level and domain an
assessment names (`require_model`), so a store loaded without the model refuses (503) before anything is
written, instead of scoring against a model it lacks.
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox

from .csv import level_lookup
from .graph import AssessmentParts
from ..loading import LoadError, parse_paths
from ..resources import model_paths
from .scoring import Model
from ..store_api import StoreError, rows_of
from ..validation import UnreadableInput


class ModelLevels:
    """The bundled model in memory, enough for the CSV reader's level lookup (`select`)."""

    def __init__(self, base_uri: str) -> None:
        self.store = ox.Store()
        try:
            for parsed in parse_paths(model_paths(), base_uri):
                self.store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                                  for q in parsed.quads)
        except LoadError as error:  # pragma: no cover - the bundled model parses
            raise UnreadableInput(str(error)) from None
        self.base_uri = base_uri

    def select(self, text: str) -> list[dict]:
        return rows_of(self.store.query(text, base_iri=self.base_uri))


@lru_cache(maxsize=2)
def levels(base_uri: str) -> dict[str, dict[str, ox.NamedNode]]:
    """The bundled model's levels by rank and label (csv.level_lookup), read once."""
    return level_lookup(ModelLevels(base_uri))  # type: ignore[arg-type]


def require_model(model: Model, parts: AssessmentParts) -> None:
    """Refuse (StoreError: the store cannot take this write) when the store's model lacks a level or a
    domain that `parts` names: the store was loaded without the model, or with another one."""
    missing = sorted({part.domain.value for part in parts.domains if part.domain.value not in model.domains}
                     | {level.value for part in parts.domains for level in (part.maturity, part.need)
                        if level.value not in model.ranks})
    if missing:
        raise StoreError(f"the store's maturity model lacks {', '.join(missing)}: load the model into the "
                         "store (odmld load) before assessments are written")
