"""A fair share of the query processes for every client, across every server process of a deployment.

A production server runs several processes (granian: one per core), each with its own query pool, so
what one client may use is kept in files every process shares, beside the store
(`config.beside_store(store, "run")`), never in one process's memory:

- `sparql-clients.lock`: per client (its address, hashed to one of 65,536 buckets), a few bytes that
  processes lock with open-file-description locks (fcntl F_OFD_SETLK, released by the kernel when the
  holder closes the file or dies): `per_client` of its first 32 bytes are the queries it may have
  running, `queue` of the next 32 the queries it may have waiting. With every waiting place taken, or past the wait, a query is
  answered 503 with Retry-After.
- `sparql-usage`: per bucket, the CPU seconds its queries used, decaying by half every ~7 s (e^-t/10).
  A client past `heavy_seconds` is heavy: its queries go to the heavy lane (pool.py: the query
  processes that run at the lowest CPU priority, at most half of each pool), so a few clients looping
  heavy queries cannot take every query process or the CPU from the others.

A client is its remote address; an IPv6 address counts by its /64 (one machine has a whole /64).
X-Forwarded-For counts only behind a trusted proxy (ODMLD_TRUST_PROXY): werkzeug's ProxyFix, in front
of everything, then puts the address the proxy saw in REMOTE_ADDR.
"""

from __future__ import annotations

import fcntl
import hashlib
import ipaddress
import math
import os
import struct
import threading
import time
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from .answer import QueryRefused

BUCKETS = 65_536
PLACES = 32  # per bucket: running places at 0..31, waiting places at 32..63, whatever the settings
DECAY_SECONDS = 10.0
_RECORD = struct.Struct("dd")  # decayed CPU seconds, when


@lru_cache(maxsize=4096)  # parsing an address cost as much as screening a query; clients come back
def client_of(remote_addr: str | None) -> str:
    """The client a request counts for: its address (behind a trusted proxy, ODMLD_TRUST_PROXY, the
    one the proxy saw, as ProxyFix puts it in REMOTE_ADDR), an IPv6 address by its /64."""
    address = remote_addr or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


@lru_cache(maxsize=4096)
def _bucket(client: str) -> int:
    return int.from_bytes(hashlib.blake2b(client.encode(), digest_size=4).digest(), "big") % BUCKETS


def _lock_byte(fd: int, offset: int, wait: bool = False, length: int = 1) -> bool:
    request = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, offset, length, 0)
    try:
        fcntl.fcntl(fd, fcntl.F_OFD_SETLKW if wait else fcntl.F_OFD_SETLK, request)
        return True
    except (BlockingIOError, PermissionError):
        return False


def _unlock(fd: int, offset: int, length: int = 1) -> None:
    fcntl.fcntl(fd, fcntl.F_OFD_SETLK, struct.pack("hhqqi4x", fcntl.F_UNLCK, os.SEEK_SET, offset, length, 0))


class FairShare:
    """Admission of one client's queries, shared by every process that uses the same `folder`."""

    def __init__(self, folder: Path, *, per_client: int, queue: int, wait: float,
                 heavy_seconds: float) -> None:
        if per_client > PLACES or queue > PLACES:
            raise ValueError(f"at most {PLACES} running and {PLACES} waiting queries per client")
        folder.mkdir(parents=True, exist_ok=True)
        self.slots_path, self.usage_path = folder / "sparql-clients.lock", folder / "sparql-usage"
        self._slots = str(self.slots_path)  # opened at every query
        self.per_client, self.queue, self.wait, self.heavy_seconds = per_client, queue, wait, heavy_seconds
        self._usage_fd: tuple[int, int] | None = None  # (process id, descriptor): not shared by a fork
        self._usage_lock = threading.Lock()

    @contextmanager
    def admitted(self, client: str) -> Iterator[str]:
        """Hold one of the client's running places while the body runs; yields its lane, "heavy" or
        "light". Raises QueryRefused (503, with Retry-After) when it cannot get one in time."""
        bucket = _bucket(client)
        first = bucket * 2 * PLACES
        fd = os.open(self._slots, os.O_RDWR | os.O_CREAT, 0o600)  # locks of its own
        try:
            if not self._take_running_place(fd, first):
                self._wait_for_running_place(fd, first)
            yield "heavy" if self.usage(bucket) > self.heavy_seconds else "light"
        finally:
            os.close(fd)  # the kernel releases every place this request held

    def _take_running_place(self, fd: int, first: int) -> bool:
        return any(_lock_byte(fd, first + place) for place in range(self.per_client))

    def _wait_for_running_place(self, fd: int, first: int) -> None:
        waiting = next((place for place in range(self.queue)
                        if _lock_byte(fd, first + PLACES + place)), None)
        if waiting is None:
            raise _busy(f"this address already has {self.per_client} queries running and "
                        f"{self.queue} waiting; wait for their answers", retry=2)
        deadline, pause = time.monotonic() + self.wait, 0.005
        while not self._take_running_place(fd, first):
            if time.monotonic() > deadline:
                raise _busy(f"this address has had {self.per_client} queries running for longer than "
                            f"{self.wait:g} s; try again later", retry=math.ceil(self.wait))
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        _unlock(fd, first + PLACES + waiting)

    def usage(self, bucket: int) -> float:
        """The client's recent CPU seconds, decayed to now."""
        data = os.pread(self._usage(), _RECORD.size, bucket * _RECORD.size)
        if len(data) < _RECORD.size:
            return 0.0
        seconds, when = _RECORD.unpack(data)
        return seconds * math.exp(-max(0.0, time.time() - when) / DECAY_SECONDS)

    def record(self, client: str, seconds: float) -> None:
        """Add what one query of `client` cost to its usage, shared with every other process."""
        bucket = _bucket(client)
        offset = bucket * _RECORD.size
        with self._usage_lock:  # one record update at a time in this process, then across processes
            fd = self._usage()
            _lock_byte(fd, offset, wait=True, length=_RECORD.size)
            try:
                os.pwrite(fd, _RECORD.pack(self.usage(bucket) + seconds, time.time()), offset)
            finally:
                _unlock(fd, offset, length=_RECORD.size)

    def _usage(self) -> int:
        if self._usage_fd is None or self._usage_fd[0] != os.getpid():
            self._usage_fd = (os.getpid(), os.open(self.usage_path, os.O_RDWR | os.O_CREAT, 0o600))
        return self._usage_fd[1]


def _busy(detail: str, retry: int) -> QueryRefused:
    return QueryRefused(503, "Too Many Queries", detail, headers={"Retry-After": str(retry)})
