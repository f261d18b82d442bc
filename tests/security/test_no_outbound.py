"""No outbound connection, by construction: the query processes cannot open a network connection.

The screen is bypassed here: every text goes straight to the query pool, so the seccomp filter alone
must hold (tests/security/test_screen.py tests the screen).
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
import pytest

from odmld.sparql.pool import QueryJob, QueryRefused
from .probes import closed_port
from .service_texts import bypasses, service_queries

pytestmark = pytest.mark.slow  # hypothesis: many queries straight to the query processes

PROBE_PORT = 1
HYPOTHESIS = settings(max_examples=40, deadline=None, derandomize=True,
                      suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def ask(pool, text: str) -> tuple[int, str]:
    """The pool's answer as (status, detail): 200 or a refusal."""
    try:
        pool.run(QueryJob(text=text, results_media="application/sparql-results+json",
                          graph_media="text/turtle"), keep=False)
        return 200, ""
    except QueryRefused as refused:
        return refused.status, refused.detail


def test_the_query_processes_alone_reach_nothing(pool, listener):
    for text in bypasses(listener.port):
        status, detail = ask(pool, text)
        assert status == 403 and "no network access" in detail, (text, status, detail)
    assert listener.reached() == 0


@HYPOTHESIS
@given(text=service_queries(PROBE_PORT))
def test_a_family_of_service_spellings_sent_straight_to_the_pool_reaches_nothing(pool, listener, text):
    text = text.replace(f"127.0.0.1:{PROBE_PORT}/", f"127.0.0.1:{listener.port}/")
    status, detail = ask(pool, text)
    assert status in (200, 400, 403), (text, status, detail)  # SILENT answers an empty solution
    assert listener.reached(settle=0) == 0


def test_the_answer_does_not_tell_whether_a_port_is_open(pool, listener):
    answers = set()
    for port in (listener.port, closed_port()):
        status, detail = ask(pool, f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}")
        answers.add((status, detail.replace(str(port), "PORT")))
    assert len(answers) == 1, answers
    status, _ = ask(pool, "SELECT * { SERVICE <http://odmld-no-such-host.invalid/> { ?s ?p ?o } }")
    assert 400 <= status < 500
    assert listener.reached() == 0


def test_every_query_process_runs_under_a_seccomp_filter(pool):
    ask(pool, "ASK {}")
    workers = pool.workers()
    assert workers
    for worker in workers:
        status = Path(f"/proc/{worker.process.pid}/status").read_text()
        assert re.search(r"^Seccomp:\s+2$", status, re.MULTILINE), status
