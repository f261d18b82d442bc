"""A fair share of the query processes: a bounded number of queries per client across every server
process (tested with real processes holding places), a bounded wait, 503 with Retry-After beyond it,
and a heavy lane that a few heavy clients cannot grow out of."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from odmld.config import beside_store
from odmld.sparql.fair_share import FairShare, client_of
from odmld.sparql.pool import QueryJob, QueryRefused
from .probes import make_app, make_pool

HERE = Path(__file__).resolve().parent
FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?b ?f . ?g ?b ?i }"


def share(folder: Path, **settings) -> FairShare:
    return FairShare(folder, **{"per_client": 2, "queue": 0, "wait": 1.0, "heavy_seconds": 2.0, **settings})


@pytest.fixture()
def holder(tmp_path):
    """Another process that holds `count` running places of `client` until it is killed."""
    started: list[subprocess.Popen] = []

    def hold(folder: Path, client: str, count: int, **settings) -> subprocess.Popen:
        code = textwrap.dedent(f"""
            import contextlib, sys, time
            from pathlib import Path
            from odmld.sparql.fair_share import FairShare
            share = FairShare(Path({str(folder)!r}), **{ {"per_client": 2, "queue": 0, "wait": 1.0,
                                                        "heavy_seconds": 2.0, **settings}!r})
            with contextlib.ExitStack() as places:
                for _ in range({count}):
                    places.enter_context(share.admitted({client!r}))
                print("holding", flush=True)
                time.sleep(120)
        """)
        process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        started.append(process)
        assert process.stdout.readline().strip() == "holding"
        return process

    yield hold
    for process in started:
        process.kill()
        process.wait()


def test_a_client_s_running_places_are_shared_by_every_process(tmp_path, holder):
    other = holder(tmp_path, "192.0.2.7", 2)
    here = share(tmp_path)
    with pytest.raises(QueryRefused) as refused:
        with here.admitted("192.0.2.7"):
            pass
    assert refused.value.status == 503 and refused.value.headers["Retry-After"]
    with here.admitted("192.0.2.8"):  # another client is not held up
        pass
    other.kill()
    other.wait()  # the kernel releases a dead process's places
    with here.admitted("192.0.2.7"):
        pass


def test_a_waiting_query_runs_when_a_place_frees_and_the_queue_is_bounded(tmp_path):
    here = share(tmp_path, per_client=1, queue=1, wait=30.0)
    order: list[str] = []
    with here.admitted("192.0.2.9"):
        def wait_then_run() -> None:
            with here.admitted("192.0.2.9"):
                order.append("second ran")

        waiter = threading.Thread(target=wait_then_run)
        waiter.start()
        time.sleep(0.3)
        with pytest.raises(QueryRefused, match="waiting"):  # the one waiting place is taken
            with here.admitted("192.0.2.9"):
                pass
        order.append("first done")
    waiter.join(timeout=10)
    assert order == ["first done", "second ran"]


@pytest.mark.slow
def test_a_wait_past_its_bound_is_answered_503_with_retry_after(tmp_path, holder):
    holder(tmp_path, "192.0.2.10", 1, per_client=1)
    here = share(tmp_path, per_client=1, queue=2, wait=0.5)
    with pytest.raises(QueryRefused) as refused:
        with here.admitted("192.0.2.10"):
            pass
    assert refused.value.status == 503 and "longer than 0.5 s" in refused.value.detail
    assert int(refused.value.headers["Retry-After"]) >= 1


def test_heavy_usage_recorded_by_one_process_sends_the_client_to_the_heavy_lane_in_another(tmp_path):
    subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        from pathlib import Path
        from odmld.sparql.fair_share import FairShare
        FairShare(Path({str(tmp_path)!r}), per_client=2, queue=0, wait=1.0,
                  heavy_seconds=2.0).record("192.0.2.11", 9.0)
    """)], check=True)
    here = share(tmp_path)
    with here.admitted("192.0.2.11") as lane:
        assert lane == "heavy"
    with here.admitted("192.0.2.12") as lane:
        assert lane == "light"


def test_an_ipv6_client_counts_by_its_64_and_a_mapped_ipv4_as_itself():
    assert client_of("2001:db8:1:2:3:4:5:6") == client_of("2001:db8:1:2:ffff::1")
    assert client_of("2001:db8:1:2:3:4:5:6") != client_of("2001:db8:1:3::1")
    assert client_of("::ffff:192.0.2.1") == "192.0.2.1"


@pytest.mark.slow
def test_over_the_limit_the_endpoint_answers_503_with_retry_after_by_get_and_post(
        embedded_store_path, holder):
    holder(beside_store(embedded_store_path, "run"), "127.0.0.1", 1, per_client=1)
    app = make_app(embedded_store_path, client_queries=1, client_queue=0)
    try:
        client = app.test_client()
        by_get = client.get("/sparql?query=" + quote("ASK {}"), headers={"Accept": "application/json"})
        by_post = client.post("/sparql", data={"query": "ASK {}"}, headers={"Accept": "application/json"})
        for response in (by_get, by_post):
            assert response.status_code == 503 and response.headers["Retry-After"]
            assert "queries running" in response.get_json()["error"]["detail"]
        assert sorted(by_get.headers.items()) == sorted(by_post.headers.items())
        forwarded = client.get("/sparql?query=" + quote("ASK {}"), headers={
            "Accept": "application/json", "X-Forwarded-For": "192.0.2.99"})
        assert forwarded.status_code == 503  # no proxy trusted: the header changes nothing
    finally:
        app.extensions["odmld.pool"].close()
    behind_proxy = make_app(embedded_store_path, client_queries=1, client_queue=0, trust_proxy=True)
    try:
        forwarded = behind_proxy.test_client().get("/sparql?query=" + quote("ASK {}"), headers={
            "Accept": "application/json", "X-Forwarded-For": "192.0.2.99"})
        assert forwarded.status_code == 200  # the client the proxy saw, not the proxy
    finally:
        behind_proxy.extensions["odmld.pool"].close()


def nice_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


@pytest.mark.slow
def test_heavy_clients_get_the_heavy_lane_only_and_light_ones_are_answered_meanwhile(
        embedded_store_path, tmp_path):
    fair = share(tmp_path, per_client=2, queue=2, wait=30.0)
    fair.record("192.0.2.20", 60.0)
    fair.record("192.0.2.21", 60.0)
    pool = make_pool(embedded_store_path, size=2, timeout=3.0, fair_share=fair, niceness=10)
    job = lambda text: QueryJob(text=text, results_media="application/json", graph_media=None)  # noqa: E731
    try:
        pool.run(job("ASK {}"), keep=False, client="192.0.2.30")
        for worker in pool.workers():  # a process sets its priority as it starts: wait until it has
            if not worker.ready:
                worker.wait_ready(60)
        lanes = {worker.lane: nice_of(worker.process.pid) for worker in pool.workers()}
        assert lanes == {"light": 10, "heavy": 19}
        outcomes: list[int] = []

        def heavy(client: str) -> None:
            try:
                pool.run(job(FOREVER), keep=False, client=client)
                outcomes.append(200)
            except QueryRefused as refused:
                outcomes.append(refused.status)

        threads = [threading.Thread(target=heavy, args=(c,)) for c in ("192.0.2.20", "192.0.2.21")]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        answered, idle_lanes = 0, []
        while any(thread.is_alive() for thread in threads):  # the light lane stays free
            answered += b"true" in pool.run(job("ASK {}"), keep=False, client="192.0.2.30")[1]
            idle_lanes.append({worker.lane for worker in pool.workers()})
            time.sleep(0.05)
        assert answered == len(idle_lanes) > 0
        assert all("light" in lanes for lanes in idle_lanes), idle_lanes  # no heavy query took it
        # one heavy query at a time in the one heavy lane: the second waited, then ran or gave up
        assert sorted(outcomes) in ([400, 400], [400, 503]), outcomes
    finally:
        pool.close()
