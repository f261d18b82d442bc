"""What odmld keeps, for how long, and what makes it stale: every cache of the service, in one place.

What invalidates is the store's generation (Store.generation): on the embedded store a count of
committed writes that every process of the machine reads with one `stat` (snapshots.py). Whatever a
process keeps in memory is kept with the generation it was made from and used only while the store
is still at it; the first thing made from a newer generation drops everything older. A remote store
can be written by others unseen, so nothing is kept for one (`generation_of` is None).

What is kept, where, under which key, until when, in how much room:
- whole responses to repeated GETs (status, headers, body): web/response_cache.py, in front of Flask;
  key `request_key` (path, query string, host, scheme, Accept, Accept-Language, cookies) and the
  encoding web/compression.py answers in (it sits inside: the bytes kept are compressed); until the
  generation moves; a third of ODMLD_CACHE_MB (`memory_caches`).
- /doc/ pages (bytes, headers, since when they have these bytes): web/linkeddata.py; path, format,
  language; until the generation moves; a third.
- public SPARQL answers (media type, bytes): sparql/pool.py; the job (text, formats, graphs); until
  the generation moves; a third.
- graph dumps, and the whole-store dump: dumps.py; the graph; until the generation moves;
  GRAPH_DUMP_BYTES in memory, the whole dump as one temporary file.
- what each publication of the change feed carries (N-Triples): feed_members.py, in
  `{store}-feed.sqlite3` beside the store, shared by every process; key the event's position, used
  only while the event there names the same version at the same time; for good (an event never
  changes); a row an event.
- the Service Description: web/meta.py; settings and the URL asked; for the process's life (nothing
  of the store is in it); 32 entries.
- when each document's bytes last changed (ETag and since when): change_times.py, in
  `{store}-documents.sqlite3` beside the store, shared by every process; key `document_key` (address,
  format, language, page); for good, a row changes when the bytes do; a row a document.

Which responses are kept whole: a GET that a view marked reusable (response_cache.mark_reusable: a
/doc/ page whose Last-Modified is due; a public SPARQL answer, unless its query answers differently
each run, sparql/screen.py Screening.answers_differ_between_runs, decided in web/sparql_job.py prepare_job),
answered 200 without a cookie (`keepable`). A request with credentials, a Range, If-Match or
If-Unmodified-Since reaches the app (`PASSED_ON`); one that revalidates (If-None-Match,
If-Modified-Since) is answered from a kept response too: 304 when it has the kept bytes
(`not_modified`), the kept response when not. No response leaves the app with a Date or
hop-by-hop headers (`kept_headers`, applied to every response on its way out): the HTTP server adds
the current Date to each, and a kept response is the same message for every request.

Downstream caches (Cache-Control): a document the next write may change may be kept by any cache that
asks again before using it (`REVALIDATE`, "no-cache"; a 304 costs little); without it a cache could
guess a freshness from Last-Modified and show a changed document for days. A full page of the change
feed never changes again (`IMMUTABLE`). Every such response has an ETag of its bytes and, on the
embedded store, a Last-Modified of when they last changed (change_times.py).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Hashable

from werkzeug.http import is_resource_modified, remove_entity_headers

from .change_times import ChangeTimes
from .feed_members import FeedMembers
from .config import Config, beside_store
from .embedded_store import EmbeddedStore
from .store_api import Store

GRAPH_DUMP_BYTES = 16_000_000  # graph dumps a process keeps (the catalogue states their checksums)
REVALIDATE = "no-cache"
IMMUTABLE = "public, max-age=86400, immutable"

# the parts of a request that a reusable response may depend on, and those that make it reach the app
VARIES_BY = ("SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT",
             "wsgi.url_scheme", "HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE", "HTTP_COOKIE")
PASSED_ON = ("HTTP_AUTHORIZATION", "HTTP_RANGE", "HTTP_IF_RANGE", "HTTP_IF_MATCH",
             "HTTP_IF_UNMODIFIED_SINCE")
REVALIDATING = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
# what belongs to one message, not to the response: the server sends its own (RFC 9110 7.6.1)
KEPT_OUT = frozenset(("date", "connection", "keep-alive", "proxy-connection", "te", "trailer",
                      "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization"))


def generation_of(store: Store) -> int | None:
    """The generation whatever is made from `store` now is valid for; None when no process can
    tell (a remote store), and then nothing is kept."""
    return store.generation if isinstance(store, EmbeddedStore) else None


def request_key(environ: dict[str, Any]) -> tuple | None:
    """What a reusable response to this request depends on; None for a request that must reach the app."""
    if environ.get("REQUEST_METHOD") != "GET" or any(name in environ for name in PASSED_ON):
        return None
    return tuple(environ.get(name) for name in VARIES_BY)


def not_modified(environ: dict[str, Any], headers: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """The headers of a 304 when this request revalidates the kept response with `headers` and the
    client has its bytes (If-None-Match, else If-Modified-Since, as Flask's make_conditional
    decides); None when the whole response is to be sent."""
    if not any(name in environ for name in REVALIDATING):
        return None
    named = {name.lower(): value for name, value in headers}
    if is_resource_modified(environ, named.get("etag"), last_modified=named.get("last-modified")):
        return None
    answer = list(headers)
    remove_entity_headers(answer)
    return answer


def keepable(status: str, headers: list[tuple[str, str]]) -> bool:
    return status.startswith("200 ") and not any(name.lower() == "set-cookie" for name, _ in headers)


def kept_headers(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The headers without Date and hop-by-hop ones (those a Connection header names too)."""
    named = {part.strip().lower() for name, value in headers if name.lower() == "connection"
             for part in value.split(",")}
    return [(name, value) for name, value in headers
            if name.lower() not in KEPT_OUT and name.lower() not in named]


class AnswerCache:
    """Answers by (store generation, key), least recently used first out, within a byte budget.

    An answer larger than a quarter of the budget is not kept at all.
    """

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


@dataclass(frozen=True)
class MemoryCaches:
    """A server process's caches; None where nothing may be kept."""
    pages: AnswerCache | None
    answers: AnswerCache | None
    responses: AnswerCache | None


def memory_caches(config: Config, store: Store) -> MemoryCaches:
    """ODMLD_CACHE_MB split in three; nothing for a remote store or with ODMLD_CACHE_MB=0."""
    share = config.cache_mb * 1_000_000 // 3
    if generation_of(store) is None or not share:
        return MemoryCaches(None, None, None)
    return MemoryCaches(AnswerCache(share), AnswerCache(share), AnswerCache(share))


def change_times(config: Config, store: Store) -> ChangeTimes | None:
    """The shared record of when documents changed; None for a remote store, whose writes odmld
    does not see, so that no Last-Modified is stated there."""
    if generation_of(store) is None:
        return None
    return ChangeTimes(beside_store(config.store, "documents.sqlite3"))


def feed_members(config: Config, store: Store) -> FeedMembers | None:
    """The shared table of what the feed's publications carry; None for a remote store."""
    if generation_of(store) is None:
        return None
    return FeedMembers(beside_store(config.store, "feed.sqlite3"))


def changed_since(times: ChangeTimes | None, store: Store, key: str, etag: str) -> int | None:
    """Since when (a POSIX second) `key` has had the bytes `etag`, just made from `store`."""
    generation = generation_of(store)
    if times is None or generation is None:
        return None
    # read after the bytes were made: a generation that moved meanwhile dates them later, never earlier
    published = store.snapshots.published_at(generation) if isinstance(store, EmbeddedStore) else None
    return times.since(key, etag, time.time() if published is None else published)


def last_modified_due(since: int | None) -> bool:
    """Whether Last-Modified may be sent now: known, and not later than the response's Date."""
    return since is not None and since <= math.floor(time.time())
