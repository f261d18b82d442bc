"""One secret key for every process of a deployment, made once into a file only its owner can read.

A key made at random in each process (Flask's usual default) is wrong as soon as there are two worker
processes: what one signed the other cannot check. So, unless the operator sets ODMLD_SECRET_KEY, the
first process that needs the key writes 32 random bytes to `{store}-secret.key` (mode 0600) and every
process reads that file. Two processes starting at once cannot end with different keys: the file is
written under a temporary name and linked into place, which fails for all but the first.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

KEY_BYTES = 32


class KeyFileError(RuntimeError):
    """The key file exists but cannot be used (wrong size, or readable by others)."""


def shared_key(path: Path) -> bytes:
    """The key in `path`, made there first if there is none."""
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(secrets.token_bytes(KEY_BYTES))
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process was first: its key is the key
    finally:
        temporary.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> bytes:
    mode = path.stat().st_mode
    if mode & 0o077:
        raise KeyFileError(f"{path} may be read by others (mode {mode & 0o777:o}); chmod 600 it")
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise KeyFileError(f"{path} does not hold a {KEY_BYTES}-byte key; remove it to make a new one")
    return key
