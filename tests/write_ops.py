"""Write operations for the tests that need a write to take its time (registered like odmld's own, so
whichever process is the store's writer can run them; test processes put tests/ on PYTHONPATH)."""

from __future__ import annotations

import time
from pathlib import Path

from odmld.store_api import operation


@operation
def replace_and_wait(writer, files, seconds: float, written: str) -> None:
    """Replace the graphs, say so in the file `written`, then hold the write open for `seconds`."""
    writer.replace_graphs(files)
    with open(written, "a") as mark:
        mark.write("written\n")
    time.sleep(seconds)


def marks(written: str) -> int:
    path = Path(written)
    return path.read_text().count("written") if path.exists() else 0
