"""A small in-memory cache of finished answers, bounded in bytes, for repeated identical requests.

Public SPARQL answers and /doc/ pages are asked for again and again in the same form (a page linked
from everywhere, a notebook re-running its query), and each costs a trip to a query worker or several
queries. Every answer is kept with the store generation it was made from and only reused while the
store is unchanged: a write bumps the generation, later requests miss, and the first answer from the
new generation drops what the older ones left. Least recently used answers go first when the byte
budget is full; an answer larger than a quarter of the budget is not kept at all.

Only for the embedded store: there the generation sees every write (one writer process; read-only
processes see a snapshot that never changes). A remote store can be written by others unseen, so
db.init_app gives it no cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Hashable


class AnswerCache:
    """Answers by (store generation, key), least recently used first out, within a byte budget."""

    def __init__(self, budget_bytes: int) -> None:
        self.budget = budget_bytes
        self._entries: OrderedDict[tuple[int, Hashable], tuple[int, Any]] = OrderedDict()
        self._used = 0
        self._newest = 0
        self._lock = threading.Lock()

    def get(self, generation: int, key: Hashable) -> Any | None:
        with self._lock:
            found = self._entries.get((generation, key))
            if found is None:
                return None
            self._entries.move_to_end((generation, key))
            return found[1]

    def put(self, generation: int, key: Hashable, value: Any, size: int) -> None:
        """Keep `value` (about `size` bytes) as made from `generation`, dropping the oldest for room.

        The first answer from a newer generation drops every older one; an answer from an older
        generation than one already seen (a request that overlapped a write) is not kept.
        """
        if size > self.budget // 4:
            return
        with self._lock:
            if generation < self._newest:
                return
            if generation > self._newest:
                self._newest = generation
                self._entries.clear()
                self._used = 0
            previous = self._entries.pop((generation, key), None)
            if previous is not None:
                self._used -= previous[0]
            self._entries[(generation, key)] = (size, value)
            self._used += size
            while self._used > self.budget:
                _, (dropped, _) = self._entries.popitem(last=False)
                self._used -= dropped

    def __len__(self) -> int:
        return len(self._entries)
