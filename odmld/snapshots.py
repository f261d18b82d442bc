"""What readers of the embedded store open: one published snapshot per committed write.

Every odmld process on a machine (the server's workers, their query processes, the CLI) shares one
embedded store. RocksDB lets one process hold a database read-write, and a read-only open sees the
database as it was when it opened, write-ahead log and all. So readers never open the database
itself. After each committed write the writer makes a RocksDB checkpoint (hard links to the immutable
table files: about a millisecond, no copy) and names it in one small file; readers open the snapshot
that file names and move to a newer one when it changes. Checking costs one `stat` (microseconds).

What this gives by construction:
- a reader never sees a write in progress, staged quads or a crashed write: only whole snapshots;
- a snapshot holds no write-ahead log, so opening one read-only is fast whatever the writer did;
- a crashed write is undone: the database is put back to the current snapshot before the next write.

Beside the store folder `{store}`:

    {store}-write.lock            flock'd by the one process writing (released when it dies)
    {store}-snapshots/CURRENT     the current snapshot's name, e.g. g000000000042 (the generation)
    {store}-snapshots/g.../       the snapshots, each a RocksDB checkpoint
    {store}-snapshots/g....lock   flock'd (shared) by every process that has that snapshot open
    {store}-snapshots/WRITING     present while a write is under way

A superseded snapshot is removed by a later writer once no process holds it open and it was
superseded more than `GRACE_SECONDS` ago (a result iterator can outlive its handle for a moment).
The folders must be on one local file system (hard links, flock).
"""

from __future__ import annotations

import atexit
import fcntl
import logging
import os
import shutil
import threading
import time
from pathlib import Path

import pyoxigraph as ox

CURRENT = "CURRENT"
WRITING = "WRITING"
GRACE_SECONDS = 120.0


def snapshot_name(generation: int) -> str:
    return f"g{generation:012d}"


class Snapshot:
    """One snapshot opened read-only, held (shared flock) for as long as this object lives."""

    def __init__(self, folder: Path, generation: int) -> None:
        self.generation = generation
        self._lock_fd = os.open(f"{folder}.lock", os.O_RDONLY)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_SH)
            if not folder.is_dir():  # removed between reading CURRENT and taking the lock
                raise FileNotFoundError(folder)
            self.store = ox.Store.read_only(str(folder))
        except BaseException:
            os.close(self._lock_fd)
            raise

    def __del__(self) -> None:
        fd, self._lock_fd = getattr(self, "_lock_fd", None), None
        if fd is not None:
            os.close(fd)


class Snapshots:
    """The published snapshots of the embedded store at `store_path`."""

    def __init__(self, store_path: str | Path) -> None:
        self.store_path = Path(store_path)
        self.folder = Path(f"{str(self.store_path).rstrip('/')}-snapshots")
        self._current = str(self.folder / CURRENT)  # stat'ed at every request: no Path joined each time
        self.lock_path = Path(f"{str(self.store_path).rstrip('/')}-write.lock")
        self._seen: tuple[int, int, int] | None = None
        self._generation = 0
        self._removal: threading.Thread | None = None  # removes superseded snapshots, off the writes' path
        self._removal_wanted = threading.Event()
        self._removal_guard = threading.Lock()
        self._ending = False

    # -- reading ---------------------------------------------------------------------------------

    def generation(self) -> int:
        """The current generation (0: nothing published yet), re-read only when CURRENT changed."""
        try:
            status = os.stat(self._current)
        except FileNotFoundError:
            return 0
        seen = (status.st_ino, status.st_mtime_ns, status.st_size)
        if seen != self._seen:
            self._generation = int((self.folder / CURRENT).read_text().strip().lstrip("g"))
            self._seen = seen
        return self._generation

    def published_at(self, generation: int) -> float | None:
        """When `generation` was published (its lock file is made just before CURRENT names it), as
        a POSIX time; None before the first write or once the snapshot was removed."""
        try:
            return os.stat(self.folder / f"{snapshot_name(generation)}.lock").st_mtime if generation else None
        except FileNotFoundError:
            return None

    def open(self, generation: int | None = None) -> Snapshot:
        """The snapshot of `generation` (default: the current one), opened read-only.

        A snapshot that was just superseded and removed is replaced by the current one.
        """
        for _attempt in range(5):
            wanted = self.generation() if generation is None else generation
            try:
                return Snapshot(self.folder / snapshot_name(wanted), wanted)
            except FileNotFoundError:
                generation = None  # gone: the newest one will do
        raise FileNotFoundError(f"no snapshot of the store at {self.store_path} can be opened")

    # -- writing (the caller holds the write lock) -----------------------------------------------

    def crashed_write_left(self) -> bool:
        return (self.folder / WRITING).exists()

    def begin(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / WRITING).write_text(str(os.getpid()))

    def end(self) -> None:
        (self.folder / WRITING).unlink(missing_ok=True)

    def publish(self, database: ox.Store) -> int:
        """Make a snapshot of `database` (open read-write) as the next generation; returns it."""
        generation = self.generation() + 1
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / snapshot_name(generation)
        if target.exists():  # left by a write that crashed while publishing
            shutil.rmtree(target)
        database.flush()
        database.backup(str(target))
        Path(f"{target}.lock").touch()
        _replace_file(self.folder / CURRENT, snapshot_name(generation))
        return generation

    def restore(self) -> None:
        """Put the database back to the current snapshot: undo a write that did not finish."""
        generation = self.generation()
        for leftover in self._names():
            if leftover > generation:
                self._remove(leftover)
        shutil.rmtree(self.store_path, ignore_errors=True)
        if generation:
            Snapshot(self.folder / snapshot_name(generation), generation).store.backup(
                str(self.store_path))

    def remove_superseded(self) -> None:
        """Remove snapshots nobody holds that were superseded more than GRACE_SECONDS ago."""
        names, current = self._names(), self.generation()
        for older, newer in zip(names, names[1:]):
            if older >= current:
                break
            try:
                superseded = (self.folder / snapshot_name(newer)).stat().st_mtime
            except FileNotFoundError:
                continue
            if time.time() - superseded < GRACE_SECONDS:
                continue
            self._remove(older, only_if_unheld=True)

    def remove_superseded_apart(self) -> None:
        """`remove_superseded` in a thread of this process, so that the write that asks is answered
        without waiting for it: unlinking a snapshot's files (170 hard links at 10,000 organisations)
        took 13-48 ms, a third of a publication. One thread, which a later call sets going again; at
        exit the process lets it finish first, so that no removal is left half done."""
        self._removal_wanted.set()
        with self._removal_guard:
            if self._removal is None:
                self._removal = threading.Thread(target=self._removing, name="odmld-snapshot-removal",
                                                 daemon=True)
                self._removal.start()
                atexit.register(self._end_removal)

    def _removing(self) -> None:
        while not self._ending:
            self._removal_wanted.wait()
            self._removal_wanted.clear()
            try:
                self.remove_superseded()
            except OSError as error:  # tidying only: the next write tries again
                logging.getLogger(__name__).warning("superseded snapshots not removed: %s", error)

    def _end_removal(self, wait: float = 30.0) -> None:
        self._ending = True
        self._removal_wanted.set()
        if self._removal is not None:
            self._removal.join(timeout=wait)

    def _names(self) -> list[int]:
        if not self.folder.is_dir():
            return []
        return sorted(int(entry.name[1:]) for entry in os.scandir(self.folder)
                      if entry.is_dir() and entry.name.startswith("g") and entry.name[1:].isdigit())

    def _remove(self, generation: int, *, only_if_unheld: bool = False) -> None:
        folder = self.folder / snapshot_name(generation)
        lock = Path(f"{folder}.lock")
        try:
            fd = os.open(lock, os.O_RDONLY | os.O_CREAT, 0o644)
        except FileNotFoundError:
            return
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (fcntl.LOCK_NB if only_if_unheld else 0))
            except BlockingIOError:
                return  # a process still reads it
            shutil.rmtree(folder, ignore_errors=True)
            lock.unlink(missing_ok=True)
        finally:
            os.close(fd)


def _replace_file(path: Path, text: str) -> None:
    """Write `path` atomically: readers see the old content or the new, never a part."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    with open(temporary, "w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
