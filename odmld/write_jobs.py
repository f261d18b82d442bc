"""Writes queued for the writer's next session (group commit, see write_service.py)."""

from __future__ import annotations

import threading
from typing import Any, Callable


class Job:
    """One write waiting for its session: the operation, its arguments, and once run, its outcome."""

    def __init__(self, fn: Callable, args: tuple, base_uri: str, union: bool) -> None:
        self.fn, self.args, self.base_uri, self.union = fn, args, base_uri, union
        self._done = threading.Event()
        self._answer: Any = None
        self._error: BaseException | None = None

    @property
    def answered(self) -> bool:
        return self._done.is_set()

    def succeed(self, answer: Any) -> None:
        self._answer = answer
        self._done.set()

    def fail(self, error: BaseException) -> None:
        self._error = error
        self._done.set()

    def outcome(self) -> Any:
        if self._error is not None:
            raise self._error
        return self._answer


def alike(jobs: list[Job]) -> list[list[Job]]:
    """Runs of consecutive jobs for the same base URI and union setting (one session each)."""
    runs: list[list[Job]] = []
    for job in jobs:
        if runs and (runs[-1][0].base_uri, runs[-1][0].union) == (job.base_uri, job.union):
            runs[-1].append(job)
        else:
            runs.append([job])
    return runs
