"""The pipe between a server process and one of its query processes: pickled tuples, each framed by
its length, both ways (worker.py says which messages).

multiprocessing's Connection reads a message in two system calls (its length, then the rest) and
builds a selector to wait; every call of a server thread releases and takes back the GIL, which with
four request threads a process is a hand-over to another thread and back. A message here is written
in one call and read in one when it is small (a query, a small answer), from a buffer that keeps
whatever a read brought beyond the message ("opened" and the answer may arrive in one read).

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
from typing import Any

_LENGTH = struct.Struct("!Q")
READ_SIZE = 256 * 1024


class Channel:
    """One end of a pipe (a connected socket or pipe's file descriptor, owned by `keep`, which is
    only held so the descriptor stays open while the channel is used)."""

    def __init__(self, keep: Any) -> None:
        self.keep, self.fd = keep, keep.fileno()
        self._buffer = bytearray()
        self._readable = select.poll()  # made once
        self._readable.register(self.fd, select.POLLIN)

    def send(self, message: tuple) -> None:
        payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        data = memoryview(_LENGTH.pack(len(payload)) + payload)
        while data:
            data = data[os.write(self.fd, data):]

    def receive(self, timeout: float | None = None) -> tuple | None:
        """The next message; None when none began to arrive within `timeout` seconds (None: wait as
        long as it takes). EOFError when the other end is closed."""
        if not self._complete() and timeout is not None and not self._buffer \
                and not self._readable.poll(timeout * 1000):
            return None
        while not self._complete():
            try:
                chunk = os.read(self.fd, max(READ_SIZE, min(self._missing(), 16 * READ_SIZE)))
            except ConnectionResetError:  # a socket pair whose other process ended: closed, too
                chunk = b""
            if not chunk:
                raise EOFError("the other end of the query pipe is closed")
            self._buffer += chunk
        size = _LENGTH.unpack_from(self._buffer)[0]
        end = _LENGTH.size + size
        with memoryview(self._buffer) as view:  # one copy, and BytesIO shares it
            payload = bytes(view[_LENGTH.size:end])
        del self._buffer[:end]
        try:
            return _PlainData(io.BytesIO(payload)).load()
        except Exception as error:
            raise EOFError(f"the query pipe brought a message that is not plain data: {error}") from None

    def _complete(self) -> bool:
        return len(self._buffer) >= _LENGTH.size and self._missing() == 0

    def _missing(self) -> int:
        """Bytes still to read for the message the buffer starts."""
        if len(self._buffer) < _LENGTH.size:
            return _LENGTH.size - len(self._buffer)
        return max(0, _LENGTH.size + _LENGTH.unpack_from(self._buffer)[0] - len(self._buffer))


class _PlainData(pickle.Unpickler):
    """Reads tuples, text, bytes, numbers and None; refuses every global a pickle may name."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"a message may not name {module}.{name}")
