"""The deployment as the README starts it: `odmld serve` (granian, two worker processes) on one store,
with the CLI writing beside it. Every write, through any worker or through the CLI, is seen by every
worker at its next request, with no restart. Real processes, loopback only."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from urllib.parse import quote

import pytest

from odmld.resources import folder

from backends import REPO, free_port

pytestmark = pytest.mark.slow  # the production server (granian) and its worker processes

EXAMPLE_CSV = (folder("data") / "examples" / "assessment.csv").read_bytes()
SURVEY_CSV = folder("data") / "examples" / "survey-responses.csv"
TIMES = 20  # requests of each kind after each write


class Deployment:
    def __init__(self, store: str, port: int, arguments: tuple[str, ...] = ("--workers", "2")) -> None:
        self.store, self.port, self.arguments = store, port, arguments
        self.base = f"http://127.0.0.1:{port}/"
        self.env = {**os.environ, "ODMLD_STORE": store, "ODMLD_BASE_URI": self.base}
        self.server: subprocess.Popen | None = None

    def start(self) -> None:
        env = {key: value for key, value in self.env.items() if key != "ODMLD_BASE_URI"}
        self.server = subprocess.Popen(
            [sys.executable, "-m", "odmld.cli", "serve", "--port", str(self.port), *self.arguments],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True)
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(self.base, timeout=2).read()
                return
            except OSError:
                if self.server.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"odmld serve did not start: {self.server.stdout.read()}")
                time.sleep(0.3)

    def stop(self) -> None:
        if self.server is not None:
            try:
                os.killpg(self.server.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.server.wait(timeout=30)

    def workers(self) -> list[int]:
        """The pids of granian's worker processes (the children of the server process)."""
        children = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, "-m", "odmld.cli", *args], cwd=REPO, env=self.env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done

    def request(self, path: str, *, method: str = "GET", body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    running = Deployment(str(tmp_path_factory.mktemp("deployment") / "store"), free_port())
    running.start()
    running.token = running.cli("token", "create", "--org", "24062").stdout.split()[-1]
    running.gent = running.cli("token", "create", "--org", "44021").stdout.split()[-1]
    yield running
    running.stop()


def every_kind(deployment: Deployment, organisation: str) -> dict[str, str]:
    """What each kind of request answers now, TIMES times over new connections, which must all agree;
    both worker processes must have answered some of them."""
    sparql = ("SELECT ?a ?reason WHERE { ?a <%sns/odm#assessedOrganisation> <%sid/organisatie/%s> "
              "OPTIONAL { ?a <%sns/odm#withdrawalReason> ?reason } } ORDER BY ?a"
              % (deployment.base, deployment.base, organisation, deployment.base))
    kinds = {"organisation": f"doc/organisatie/{organisation}.ttl",
             "sparql": "sparql?query=" + quote(sparql),
             "feed": "feed", "catalog": "catalog.ttl",
             "compare": f"vergelijk?org={organisation}&lang=en"}
    workers = deployment.workers()
    assert len(workers) == 2
    before = {pid: cpu_ticks(pid) for pid in workers}
    seen = {}
    for kind, path in kinds.items():
        answers = set()
        for _ in range(TIMES):
            status, _, body = deployment.request(path, headers={"Accept": "application/sparql-results+json"}
                                                 if kind == "sparql" else {})
            assert status == 200, (kind, body[:300])
            answers.add(body)
        assert len(answers) == 1, f"{kind}: the workers disagree"
        seen[kind] = answers.pop().decode("utf-8")
    assert all(cpu_ticks(pid) > before[pid] for pid in workers), "one worker answered nothing"
    return seen


def publish(deployment: Deployment, token: str, date: str) -> str:
    status, headers, body = deployment.request(
        f"api/assessments?date={date}", method="POST", body=EXAMPLE_CSV,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"})
    assert status == 201, body
    return headers["Location"]


def test_a_publication_and_a_withdrawal_through_any_worker_are_seen_by_every_worker(deployment):
    every_kind(deployment, "24062")  # every worker has answered (and kept) the pages before the write
    assessment = publish(deployment, deployment.token, "2024-05-01")
    seen = every_kind(deployment, "24062")
    ref = assessment.removeprefix(deployment.base + "id/inschatting/")
    for kind in ("organisation", "sparql", "feed", "catalog"):
        assert ref in seen[kind], kind
    assert "2024-05-01" in seen["compare"]
    status, _, body = deployment.request(f"api/assessments/{ref}?reason=test", method="DELETE",
                                         headers={"Authorization": f"Bearer {deployment.token}"})
    assert status == 200, body
    seen = every_kind(deployment, "24062")
    assert '"reason"' in seen["sparql"] and "test" in seen["sparql"]
    status, _, body = deployment.request(f"doc/inschatting/{ref}.ttl")
    assert status == 200 and b"withdrawalReason" in body


def test_the_command_line_writes_while_the_server_runs_and_every_worker_shows_it(deployment, tmp_path):
    before = every_kind(deployment, "44021")
    deployment.cli("import-survey", str(SURVEY_CSV), "--org", "44021", "--date", "2020-01-31")
    after = every_kind(deployment, "44021")
    assert "2020-01-31" in after["sparql"] and "2020-01-31" not in before["sparql"]

    extra = tmp_path / "extra.ttl"
    extra.write_text('<id/extra/1> <http://www.w3.org/2000/01/rdf-schema#label> "Extra" .\n')
    deployment.cli("load", str(extra))
    for _ in range(TIMES):
        status, _, body = deployment.request("graph/file/extra.ttl")
        assert status == 200 and b"Extra" in body

    statistics = deployment.cli("statistics")
    assert "statistics:" in statistics.stdout
    assert every_kind(deployment, "44021")["sparql"] == after["sparql"]


def test_survey_responses_uploaded_over_http_are_published_like_the_command_line_does(deployment):
    status, headers, body = deployment.request(
        "api/surveys?date=2021-02-28", method="POST", body=SURVEY_CSV.read_bytes(),
        headers={"Authorization": f"Bearer {deployment.gent}", "Content-Type": "text/csv"})
    assert status == 201, body
    answer = json.loads(body)
    assert headers["Location"] == answer["assessment"] and answer["respondents"] > 0
    assert "2021-02-28" in every_kind(deployment, "44021")["sparql"]
    for language, words in (("nl", b"de eerste regel moet"), ("en", b"the first line must be")):
        status, _, body = deployment.request(
            "api/surveys?date=2021-02-28", method="POST", body=b"respondent,profile\nx,y\n",
            headers={"Authorization": f"Bearer {deployment.gent}", "Content-Type": "text/csv",
                     "Accept-Language": language})
        assert status == 400 and words in body  # in the language asked, as the CLI's refusal is


def test_killing_a_worker_in_a_stream_of_writes_loses_no_acknowledged_write(deployment):
    acknowledged: list[str] = []
    stop = threading.Event()

    def stream() -> None:
        day = 1
        while not stop.is_set() and day <= 28:
            try:
                status, headers, _ = deployment.request(
                    f"api/assessments?date=2023-02-{day:02d}", method="POST", body=EXAMPLE_CSV,
                    headers={"Authorization": f"Bearer {deployment.token}", "Content-Type": "text/csv"})
            except OSError:
                status = None  # the connection died with the worker: not acknowledged
            if status == 201:
                acknowledged.append(headers["Location"])
            day += 1

    writer = threading.Thread(target=stream)
    writer.start()
    time.sleep(1.5)
    os.kill(deployment.workers()[0], signal.SIGKILL)
    writer.join(timeout=120)
    stop.set()
    assert acknowledged
    time.sleep(2)  # granian starts a new worker
    listed = ("SELECT ?a WHERE { ?a <%sns/odm#assessedOrganisation> <%sid/organisatie/24062> }"
              % (deployment.base, deployment.base))
    status, _, body = deployment.request("sparql?query=" + quote(listed),
                                         headers={"Accept": "application/sparql-results+json"})
    stored = {row["a"]["value"] for row in json.loads(body)["results"]["bindings"]}
    assert set(acknowledged) <= stored
    derived = deployment.cli("dump").stdout
    deployment.cli("statistics")  # what publishing kept is what adding it all up again gives
    again = deployment.cli("dump").stdout
    kept = re.compile(r"graph/(laatste|statistiek)")
    assert sorted(l for l in derived.splitlines() if kept.search(l)) == \
        sorted(l for l in again.splitlines() if kept.search(l))
