"""Every write of the embedded store runs in the one process that holds it read-write.

Opening the database read-write took 0.1-0.9 s at 10,000 organisations (RocksDB opens every table
file), more than a whole publication may take, so no process opens it for one write. The first odmld
process that writes becomes the store's writer: it takes the write lock (flock, which the kernel
releases when the process dies), keeps the database open and runs the writes of every other odmld
process of the machine (the server's other workers, the CLI), which hand them to it over a local
socket. A write is an operation `fn(writer, *args)`, registered with `store_api.operation`; the writer
runs them one at a time in a write session (snapshots.py: published whole when it returns, undone
when it raises). When the writer dies, the next process to write takes its place and first undoes
what a write of the dead one left half done.

Group commit: publishing a snapshot (a RocksDB flush and checkpoint) costs more than the write itself
(26-219 ms on the project's machine), so the writes that queue up while one session runs are run in
the next session together, one after the other, and published as one snapshot; each is acknowledged
once it is. A write that raises is answered with its exception and does not take the others with it
(see embedded_store.write_session).

The socket is in Linux's abstract namespace, named after the store's path (no file to go stale, no
path length limit); the writer answers only processes of its own user (SO_PEERCRED).
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import importlib
import os
import pickle
import socket
import struct
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pyoxigraph as ox

from .snapshots import Snapshots
from .write_jobs import Job, alike
from .store_api import OPERATIONS, StoreBusy, StoreError, operation_name

HEADER = struct.Struct("!Q")
POLL_SECONDS = 0.02


class WriterGone(StoreError):
    """The writer ended during this write: it was not acknowledged, and it may or may not have landed."""


class _Nobody:
    """No process is listening as the writer."""


def _send(connection: socket.socket, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    connection.sendall(HEADER.pack(len(data)) + data)


def _receive(connection: socket.socket) -> Any:
    (size,) = HEADER.unpack(_exactly(connection, HEADER.size))
    return pickle.loads(_exactly(connection, size))


def _exactly(connection: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = connection.recv(min(left, 1 << 20))
        if not chunk:
            raise EOFError("the connection closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _resolve(name: str) -> Callable:
    """A registered operation by name, importing its module first (the names come from processes of
    this user only)."""
    if name not in OPERATIONS:
        importlib.import_module(name.partition(":")[0])
    if name not in OPERATIONS:
        raise StoreError(f"{name} is not a write operation")
    return OPERATIONS[name]


class WriteService:
    """The writes of one embedded store, for this process: run here when this process is the writer,
    else handed to the process that is. One per store folder per process (`for_store`)."""

    _services: dict[Path, "WriteService"] = {}
    _services_guard = threading.Lock()

    @classmethod
    def for_store(cls, path: Path, session: Callable) -> "WriteService":
        with cls._services_guard:
            key = path.resolve()
            if key not in cls._services:
                cls._services[key] = cls(key, session)
            return cls._services[key]

    def __init__(self, path: Path, session: Callable) -> None:
        """`session(service, jobs)` runs queued writes (Job) in write sessions and answers each."""
        self.path, self.session = path, session
        self.snapshots = Snapshots(path)
        self.address = "\0odmld-writer-" + hashlib.sha256(str(path).encode()).hexdigest()[:40]
        self._lock_fd: int | None = None
        self.database: ox.Store | None = None
        self._one_at_a_time = threading.Lock()
        self._inside = threading.local()  # set while this thread runs a write
        self._queue: list[Job] = []
        self._queue_guard = threading.Lock()
        self._becoming = threading.Lock()
        self._listener: socket.socket | None = None
        self._pending = 0  # writes handed to this process and not yet answered
        self._pending_changed = threading.Condition()

    @property
    def is_writer(self) -> bool:
        return self._lock_fd is not None

    def run(self, fn: Callable, args: tuple, base_uri: str, union: bool, wait: float) -> Any:
        """Run `fn(writer, *args)` as one write, here or in the writer; its answer, or its exception."""
        deadline = time.monotonic() + wait
        while True:
            if self.is_writer:
                return self.execute(fn, args, base_uri, union)
            answer = self._hand_over(operation_name(fn), args, base_uri, union)
            if not isinstance(answer, _Nobody):
                return answer
            if self._become_writer():
                continue
            if time.monotonic() > deadline:
                raise StoreBusy(f"the store at {self.path} is being written by another process that "
                                 f"did not answer within {wait:g} s")
            time.sleep(POLL_SECONDS)

    def execute(self, fn: Callable, args: tuple, base_uri: str, union: bool) -> Any:
        """Run one write in this process (the writer): queued, and run by whichever thread holds the
        session next, together with the writes queued beside it (group commit)."""
        if getattr(self._inside, "write", False):
            raise StoreError("a write operation cannot start another write (give it the writer instead)")
        job = Job(fn, args, base_uri, union)
        with self._queue_guard:
            self._queue.append(job)
        while not job.answered:
            with self._one_at_a_time:
                with self._queue_guard:
                    queued, self._queue = self._queue, []
                for batch in alike(queued):
                    self._run_batch(batch)
        return job.outcome()

    def _run_batch(self, batch: list[Job]) -> None:
        self._inside.write = True
        try:
            self.session(self, batch)
        except BaseException as error:  # a session that could not even start: every job hears it
            for job in batch:
                if not job.answered:
                    job.fail(error)
            if not isinstance(error, Exception):
                raise
        finally:
            self._inside.write = False

    def _hand_over(self, name: str, args: tuple, base_uri: str, union: bool) -> Any:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            try:
                connection.connect(self.address)
            except (ConnectionRefusedError, FileNotFoundError):
                return _Nobody()
            _send(connection, (name, args, base_uri, union))
            try:
                status, value = _receive(connection)
            except (EOFError, ConnectionError):
                raise WriterGone(f"the process writing the store at {self.path} ended during this "
                                 "write; it was not acknowledged") from None
        finally:
            connection.close()
        if status == "ok":
            return value
        raise value

    def _become_writer(self) -> bool:
        """Take the write lock if it is free, open the database and start answering other processes."""
        with self._becoming:
            if self.is_writer:
                return True
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.snapshots.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                if self.snapshots.crashed_write_left():
                    self.snapshots.restore()
                self.database = self.open_database(adopt=True)
                listener.bind(self.address)
                listener.listen(64)
            except BaseException:
                listener.close()
                self.database = None
                os.close(fd)
                raise
            self._lock_fd, self._listener = fd, listener
            threading.Thread(target=self._serve, args=(listener,), name="odmld-writer", daemon=True).start()
            atexit.register(self.hand_back)
            return True

    def hand_back(self, wait: float = 60.0) -> None:
        """At exit: take no more writes, answer those already handed over, then let go of the lock
        (the next process to write becomes the writer)."""
        if self._listener is None:
            return
        self._listener.close()
        with self._pending_changed:
            self._pending_changed.wait_for(lambda: self._pending == 0, timeout=wait)

    def open_database(self, *, adopt: bool = False) -> ox.Store:
        """The database read-write. With `adopt`, a database that has no snapshot yet (written before
        odmld kept them, or by the bench's bulk loader) gets its first one, as it is."""
        existed = (self.path / "CURRENT").is_file()
        try:
            database = ox.Store(str(self.path))
        except OSError as error:
            raise StoreError(f"cannot open the store at {self.path} for writing: {error}") from None
        if adopt and existed and self.snapshots.generation() == 0:
            self.snapshots.publish(database)
        return database

    def _serve(self, listener: socket.socket) -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return  # closed by hand_back
            with self._pending_changed:
                self._pending += 1
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        try:
            self._answer_one(connection)
        finally:
            with self._pending_changed:
                self._pending -= 1
                self._pending_changed.notify_all()

    def _answer_one(self, connection: socket.socket) -> None:
        with connection:
            credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                struct.calcsize("3i"))
            if struct.unpack("3i", credentials)[1] != os.getuid():
                return
            try:
                name, args, base_uri, union = _receive(connection)
                reply: tuple = ("ok", self.execute(_resolve(name), args, base_uri, union))
            except EOFError:
                return
            except Exception as error:  # the caller gets it, as if it had run the write itself
                reply = ("error", error)
            try:
                _send(connection, reply)
            except (pickle.PicklingError, TypeError, AttributeError):
                _send(connection, ("error", StoreError(str(reply[1]))))
            except OSError:
                pass  # the caller is gone
