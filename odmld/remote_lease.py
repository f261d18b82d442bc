"""The write lease of a remote store: one writer at a time across every odmld process on every machine,
held in the SPARQL server itself.

A publication reads before it writes (the latest version of an organisation and date, the totals in
<graph/statistiek>, the feed's event count), so two at once must not interleave. A lock in one process
cannot see the others, so the lease lives in the server, in the graph <urn:odmld:write-lease>, as a
*claim* `<urn:uuid:...> lease:until T` of the process that holds it: T is the server's clock plus the
lease's length (ODMLD_STORE_LEASE, 30 s), renewed every third of it while the holder writes, so only a
holder that died (or froze that long) lets it expire, and the next process to ask removes it. The graph is empty between
writes (it is not under the base URI, so never in a dump).

Times are the server's clock (read with NOW() at every take, so machines need not agree on the time)
in milliseconds, compared as integers: Virtuoso answers NOW() without a time zone and then compares
it wrongly with a time that has one, while every engine compares integers alike.

Taking is one conditional update (remove expired claims; add mine, leaving the queue, only if no
claim is left and no process waits longer than I do; the conditions are counts in subqueries, as
Virtuoso finds a FILTER NOT EXISTS that stands alone in its group always true) followed by a read of
the result. SPARQL servers run concurrent updates
under snapshot isolation (oxigraph serve does), so two conditional inserts can both succeed; hence the
read: a process holds the lease only if it reads back its own claim and no other. Of two that both
inserted, the one that reads last sees both, so at most one sees only its own; a process that sees
another claim takes its own back and asks again after a random, growing pause (5-50 ms). Waiters keep a
place in a queue (`lease:queued`, the server's time they first asked, kept alive by asking again within
QUEUE_SECONDS), so the lease goes to the one that waited longest rather than to whoever asks first
after a release: a process that writes in a loop cannot starve the others. A write is acknowledged
only if its claim is still there after its last request and no renewal saw it gone or another claim
beside it: a claim that expired is removed by whoever takes the lease next.
"""

from __future__ import annotations

import random
import re
import threading
import time
import uuid
from datetime import datetime, timezone
from typing import Callable

import pyoxigraph as ox

from .store_api import StoreBusy, StoreError
from .vocab import XSD, XSD_INTEGER

QUEUE_SECONDS = 5.0  # a waiter that stopped asking leaves the queue after this
FIRST_PAUSE, LONGEST_PAUSE = 0.005, 0.05

GRAPH = ox.NamedNode("urn:odmld:write-lease")
NS = "urn:odmld:write-lease#"
PROLOGUE = f"PREFIX lease: <{NS}>\nPREFIX xsd: <{XSD}>\n"

TAKE = PROLOGUE + """DELETE { GRAPH %(graph)s { ?claim lease:until ?until } }
WHERE { GRAPH %(graph)s { ?claim lease:until ?until } FILTER(?until < %(now)s) } ;
DELETE { GRAPH %(graph)s { ?waiter lease:queued ?since ; lease:waiting ?alive } }
WHERE { GRAPH %(graph)s { ?waiter lease:queued ?since ; lease:waiting ?alive } FILTER(?alive < %(now)s) } ;
DELETE { GRAPH %(graph)s { %(claim)s lease:waiting ?alive } }
WHERE { GRAPH %(graph)s { %(claim)s lease:waiting ?alive } } ;
INSERT DATA { GRAPH %(graph)s { %(claim)s lease:queued %(since)s ; lease:waiting %(alive)s } } ;
DELETE { GRAPH %(graph)s { %(claim)s lease:queued ?since ; lease:waiting ?alive } }
INSERT { GRAPH %(graph)s { %(claim)s lease:until %(until)s } }
WHERE {
  GRAPH %(graph)s { %(claim)s lease:queued ?since ; lease:waiting ?alive }
  { SELECT (COUNT(?holder) AS ?holders) WHERE { GRAPH %(graph)s { ?holder lease:until ?any } } }
  { SELECT (COUNT(?earlier) AS ?ahead) WHERE { GRAPH %(graph)s { ?earlier lease:queued ?before
      FILTER(?before < %(since)s || (?before = %(since)s && STR(?earlier) < STR(%(claim)s))) } } }
  FILTER(?holders = 0 && ?ahead = 0)
}"""
STEP_BACK = PROLOGUE + """DELETE { GRAPH %(graph)s { %(claim)s lease:until ?until } }
WHERE { GRAPH %(graph)s { %(claim)s lease:until ?until } }"""
RENEW = PROLOGUE + """DELETE { GRAPH %(graph)s { %(claim)s lease:until ?until } }
INSERT { GRAPH %(graph)s { %(claim)s lease:until %(until)s } }
WHERE { GRAPH %(graph)s { %(claim)s lease:until ?until } }"""
RELEASE = PROLOGUE + """DELETE { GRAPH %(graph)s { %(claim)s ?property ?value } }
WHERE { GRAPH %(graph)s { %(claim)s ?property ?value } }"""
CLAIMS = PROLOGUE + """SELECT ?claim WHERE { GRAPH %(graph)s { ?claim lease:until ?until } }"""
NOW = "SELECT (NOW() AS ?now) WHERE { }"


class LeaseLost(StoreError):
    """Another process took the write lease during this write: it was not acknowledged."""


class WriteLease:
    """The write lease of one server, for this process. `update(text)` and `select(text)` reach the
    server (select gives rows of pyoxigraph terms); `wait` is how long a write waits for the lease."""

    def __init__(self, update: Callable[[str], None], select: Callable[[str], list[dict]],
                 where: str, wait: float, seconds: float = 30.0) -> None:
        self.update, self.select, self.where, self.wait = update, select, where, wait
        self.seconds = seconds  # how long a claim lasts without being renewed
        self._one_here = threading.Lock()  # this process's threads queue here, not at the server
        self._inside = threading.local()  # set while this thread holds the lease
        self._clock_offset = 0.0  # the server's clock minus this machine's, in seconds

    def hold(self) -> "Held":
        """Wait for the lease (at most `wait` seconds) and hold it: use as a context manager."""
        return Held(self)

    # -- the server's clock, which every holder's expiry is read against --------------------------

    def read_clock(self) -> None:
        """Measure how far the server's clock is from this machine's."""
        asked = time.time()
        now = server_time(self.select(NOW)[0]["now"].value).timestamp()
        self._clock_offset = now - (asked + time.time()) / 2

    def milliseconds(self, later: float = 0.0) -> ox.Literal:
        """The server's time now (plus `later` seconds), in milliseconds."""
        return ox.Literal(str(round((time.time() + self._clock_offset + later) * 1000)),
                          datatype=XSD_INTEGER)

    def text(self, template: str, claim: ox.NamedNode, since: ox.Literal | None = None) -> str:
        return template % {"graph": GRAPH, "claim": claim, "now": self.milliseconds(),
                           "until": self.milliseconds(self.seconds), "since": since,
                           "alive": self.milliseconds(QUEUE_SECONDS)}

    def claims(self) -> set[ox.NamedNode]:
        """The claims on the lease now."""
        return {row["claim"] for row in self.select(CLAIMS % {"graph": GRAPH})}


class Held:
    """The lease, held from `__enter__` to `__exit__`, renewed meanwhile."""

    def __init__(self, lease: WriteLease) -> None:
        self.lease = lease
        self.claim = ox.NamedNode(f"urn:uuid:{uuid.uuid4()}")
        self.lost = False
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def __enter__(self) -> "Held":
        lease = self.lease
        if getattr(lease._inside, "holding", False):
            raise StoreError("a write operation cannot start another write (give it the writer instead)")
        if not lease._one_here.acquire(timeout=lease.wait):
            raise StoreBusy(f"the store at {lease.where} is being written by this process's other "
                             f"writes, which did not finish within {lease.wait:g} s")
        try:
            self._take()
        except BaseException:
            lease._one_here.release()
            raise
        lease._inside.holding = True
        self._renewer = threading.Thread(target=self._renew, name="odmld-lease", daemon=True)
        self._renewer.start()
        return self

    def _take(self) -> None:
        lease, deadline, pause = self.lease, time.monotonic() + self.lease.wait, FIRST_PAUSE
        lease.read_clock()
        since = lease.milliseconds()  # my place in the queue
        while True:
            lease.update(lease.text(TAKE, self.claim, since))
            claims = lease.claims()
            if claims == {self.claim}:
                return
            if self.claim in claims:  # another process took it at the same moment: both step back
                lease.update(lease.text(STEP_BACK, self.claim))
            if time.monotonic() > deadline:
                lease.update(lease.text(RELEASE, self.claim))  # leave the queue
                raise StoreBusy(f"the store at {lease.where} is being written by another odmld "
                                 f"process, which did not finish within {lease.wait:g} s (a process "
                                 f"that died releases the write lease after {lease.seconds:g} s)")
            time.sleep(random.uniform(0, pause))
            pause = min(pause * 2, LONGEST_PAUSE)

    def _renew(self) -> None:
        while not self._stop.wait(self.lease.seconds / 3):
            try:
                self.lease.update(self.lease.text(RENEW, self.claim))
                claims = self.lease.claims()
            except StoreError:
                continue  # the server did not answer: try again before the claim expires
            if claims != {self.claim}:  # it expired and was taken (a renewal can bring a claim back)
                self.lost = True

    def confirm(self) -> None:
        """Raise LeaseLost unless this process held the lease throughout: then what it wrote is
        acknowledged."""
        if self.lost or self.claim not in self.lease.claims():
            raise LeaseLost(f"this write to the store at {self.lease.where} was not acknowledged: it "
                            f"held the write lease longer than {self.lease.seconds:g} s without renewing "
                            "it and another process took it; what it sent may or may not be stored "
                            "(run `odmld statistics` to set the statistics again)")

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join()
        try:
            self.lease.update(self.lease.text(RELEASE, self.claim))
        except StoreError:
            pass  # it expires
        finally:
            self.lease._inside.holding = False
            self.lease._one_here.release()


def server_time(text: str) -> datetime:
    """An xsd:dateTime the server wrote (any number of decimals, Z, an offset or none: taken as UTC,
    the same by every process) as a Python time."""
    found = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?", text.strip())
    if found is None:
        raise StoreError(f"the store's clock gave an unreadable time: {text!r}")
    whole, fraction, zone = found.groups()
    fraction = (fraction or ".0")[:7]
    moment = datetime.fromisoformat(whole + fraction + ("+00:00" if zone in (None, "Z") else zone))
    return moment.astimezone(timezone.utc)
