"""The pipe between a server process and one of its query processes: pickled tuples, each framed by
its length, both ways (worker.py says which messages).

multiprocessing's Connection reads a message in two system calls (its length, then the rest) and
builds a selector to wait; every call of a server thread releases and takes back the GIL, which with
four request threads a process is a hand-over to another thread and back. A message here is written
in one call and read in one when it is small (a query, a small answer), from a buffer that keeps
whatever a read brought beyond the message ("opened" and the answer may arrive in one read). A large
answer (tens of MB where the limits are lifted) is copied as few times as it can be: written as its
length and its pickle side by side (writev, not joined first), read straight into a buffer of its
size, and its bytes copied out once as it is unpickled (72 MB: 210 ms before, from one end to the
other on a socket pair).

Messages are plain data (tuples of text, bytes, numbers and None), and a message is read as nothing
else: pickle's loads would import and call whatever a message names. A query process runs public
query text; were it ever subverted, what it writes to the pipe still cannot make the server process
run anything. A message that names a global, or is not a pickle, ends the channel (EOFError: the pool
replaces that query process).
"""

from __future__ import annotations

import io
import os
import pickle
import select
import struct
from typing import Any, Callable

_LENGTH = struct.Struct("!Q")
READ_SIZE = 256 * 1024


class Channel:
    """One end of a pipe (a connected socket or pipe's file descriptor, owned by `keep`, which is
    only held so the descriptor stays open while the channel is used)."""

    def __init__(self, keep: Any, longest: int | None = None) -> None:
        """`longest`: the most bytes a message may say it holds (None: any). A message that says
        more ends the channel before anything is read or made for it."""
        self.keep, self.fd, self.longest = keep, keep.fileno(), longest
        self._buffer = bytearray()
        self._readable = select.poll()  # made once
        self._readable.register(self.fd, select.POLLIN)

    def send(self, message: tuple) -> None:
        payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        parts = [memoryview(_LENGTH.pack(len(payload))), memoryview(payload)]  # written as they are
        while parts:
            written = os.writev(self.fd, parts)
            while parts and written >= len(parts[0]):
                written -= len(parts.pop(0))
            if parts and written:
                parts[0] = parts[0][written:]

    def receive(self, timeout: float | None = None) -> tuple | None:
        """The next message; None when none began to arrive within `timeout` seconds (None: wait as
        long as it takes). EOFError when the other end is closed."""
        if timeout is not None and not self._buffer and not self._readable.poll(timeout * 1000):
            return None
        while len(self._buffer) < _LENGTH.size:
            self._read_more()
        size = _LENGTH.unpack_from(self._buffer)[0]
        if self.longest is not None and size > self.longest:
            raise EOFError(f"the query pipe brought a message of {size} bytes, more than {self.longest}")
        end = _LENGTH.size + size
        if end - len(self._buffer) > READ_SIZE:  # a large answer: read into a buffer of its size
            return _load(_Reader(self._read_whole(end)))
        while len(self._buffer) < end:
            self._read_more()
        with memoryview(self._buffer) as view:  # one copy, and BytesIO shares it
            payload = bytes(view[_LENGTH.size:end])
        del self._buffer[:end]
        return _load(io.BytesIO(payload))

    def _read_more(self) -> None:
        """Append what one read brings (at most READ_SIZE bytes) to the buffer."""
        self._buffer += _read_or_eof(os.read, self.fd, READ_SIZE)

    def _read_whole(self, end: int) -> memoryview:
        """The message the buffer starts, `end` bytes with its length, read straight into a buffer
        of that size (nothing past its end: the buffer is empty after), without its length."""
        message, have = bytearray(end), len(self._buffer)
        message[:have], self._buffer = self._buffer, bytearray()
        view = memoryview(message)
        while have < end:
            have += _read_or_eof(os.readv, self.fd, [view[have:]])
        return view[_LENGTH.size:]


def _load(source: Any) -> tuple:
    try:
        return _PlainData(source).load()
    except Exception as error:
        raise EOFError(f"the query pipe brought a message that is not plain data: {error}") from None


def _read_or_eof(read: Callable, *args: Any) -> Any:
    """What `read(*args)` brings; EOFError when the other end is closed (nothing, or a reset)."""
    try:
        got = read(*args)
    except ConnectionResetError:  # a socket pair whose other process ended: closed, too
        got = 0
    if not got:
        raise EOFError("the other end of the query pipe is closed")
    return got


class _Reader:
    """A large message's bytes as the file the unpickler reads, so that the bytes of the answer in
    it are copied once, as they are read, not first as the whole message. Only the binary protocol's
    opcodes are read: a text opcode (which reads a line) ends the channel."""

    def __init__(self, view: memoryview) -> None:
        self._view, self._at = view, 0

    def read(self, size: int = -1) -> bytes:
        start = self._at
        self._at = len(self._view) if size < 0 else min(len(self._view), start + size)
        return self._view[start:self._at].tobytes()

    def readline(self) -> bytes:
        raise pickle.UnpicklingError("a message is written in pickle's binary protocol")


class _PlainData(pickle.Unpickler):
    """Reads tuples, text, bytes, numbers and None; refuses every global a pickle may name."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"a message may not name {module}.{name}")
