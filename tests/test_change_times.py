"""The shared record of when each document's bytes last changed (odmld/change_times.py), used by
several real processes: a change always moves Last-Modified later, even within one second."""

from __future__ import annotations

import subprocess
import sys

from odmld.change_times import ChangeTimes

from backends import REPO

PUBLISHED = 1_800_000_000.25  # a publication time, partway through a second


def since_in_another_process(path, key: str, etag: str, published: float) -> int | None:
    code = ("import sys; from odmld.change_times import ChangeTimes; "
            "print(ChangeTimes(sys.argv[1]).since(sys.argv[2], sys.argv[3], float(sys.argv[4])))")
    done = subprocess.run([sys.executable, "-c", code, str(path), key, etag, repr(published)],
                          cwd=REPO, capture_output=True, text=True, timeout=60, check=True)
    answer = done.stdout.strip()
    return None if answer == "None" else int(answer)


def test_a_document_is_dated_the_first_whole_second_after_the_write_that_made_it(tmp_path):
    times = ChangeTimes(tmp_path / "documents.sqlite3")
    assert times.since("/doc/a text/turtle", '"one"', PUBLISHED) == 1_800_000_001
    # the same bytes, asked again after later writes, in another process: the same date
    assert since_in_another_process(tmp_path / "documents.sqlite3", "/doc/a text/turtle", '"one"',
                                    PUBLISHED + 500) == 1_800_000_001


def test_every_change_moves_the_date_later_even_within_one_second(tmp_path):
    path = tmp_path / "documents.sqlite3"
    first = ChangeTimes(path).since("k", '"one"', PUBLISHED)
    second = since_in_another_process(path, "k", '"two"', PUBLISHED + 0.5)  # the same second
    third = ChangeTimes(path).since("k", '"one"', PUBLISHED + 0.6)  # back to the first bytes
    assert first < second < third


def test_bytes_made_from_an_older_snapshot_than_recorded_get_no_date_and_change_nothing(tmp_path):
    times = ChangeTimes(tmp_path / "documents.sqlite3")
    recorded = times.since("k", '"new"', PUBLISHED)
    assert since_in_another_process(tmp_path / "documents.sqlite3", "k", '"old"', PUBLISHED - 0.1) is None
    assert times.since("k", '"new"', PUBLISHED) == recorded


def test_a_table_that_cannot_be_opened_means_no_date_not_an_error(tmp_path):
    times = ChangeTimes(tmp_path / "no such folder" / "documents.sqlite3")
    assert times.since("k", '"one"', PUBLISHED) is None
