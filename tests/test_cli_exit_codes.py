"""Every command's failures exit with the code of odmld.errors' one table, and say why on one line
(issue 20, "one error model"): 0 success, 1 violations, 2 unreadable or bad input, 3 the store cannot
do the work, 4 the store is being written by another process. Real processes, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from odmld.cli import cli as group
from odmld.errors import EXIT_BAD_INPUT, EXIT_BUSY, EXIT_STORE, EXIT_VIOLATIONS

from odmld.snapshots import Snapshots

from backends import REPO, open_location, run_cli

pytestmark = pytest.mark.slow  # every case runs `odmld` in a subprocess

FIXTURES = REPO / "tests" / "fixtures"

UNREACHABLE = "http://127.0.0.1:9/query"  # the discard port: nothing listens there
QUICK = {"ODMLD_STORE_TIMEOUT": "2"}
EMPTY, NONE = "empty", None  # a fresh embedded store; no store at all


def case(command, args, code, store=EMPTY, input=None):
    return pytest.param(command, args, code, store, input, id=f"{' '.join(args)[:70]} -> {code}")


CASES = [
    case("load", ["load", "no-such-file.ttl"], EXIT_BAD_INPUT),
    case("load", ["load", "{broken}"], EXIT_BAD_INPUT),
    case("load", ["load", "data"], EXIT_STORE, UNREACHABLE),
    case("load", ["load", "--base-uri", "not a uri", "data"], EXIT_BAD_INPUT),
    case("validate", ["validate", str(FIXTURES / "assessments" / "missing-date.ttl")], EXIT_VIOLATIONS, NONE),
    case("validate", ["validate", "{broken}"], EXIT_BAD_INPUT, NONE),
    case("validate", ["validate", "{headless}"], EXIT_BAD_INPUT, NONE),
    case("validate", ["validate", "--lang", "fr", "data"], EXIT_BAD_INPUT, NONE),
    case("query", ["query", "no-such-query"], EXIT_BAD_INPUT),
    case("query", ["query", "-"], EXIT_BAD_INPUT, input="SELECT * WHERE { ?s "),
    case("query", ["query", "domain-actions", "--param", "domian=4"], EXIT_BAD_INPUT),
    case("query", ["query", "domain-actions", "--param", "domain=<x y>"], EXIT_BAD_INPUT),
    case("query", ["query", "no-such-file.rq"], EXIT_BAD_INPUT),
    case("query", ["query", "domains"], EXIT_STORE, UNREACHABLE),
    case("query", ["query", "domains", "--endpoint", "http://127.0.0.1:9/sparql"], EXIT_STORE),
    case("query", ["query", "domains", "--format", "xyz"], EXIT_BAD_INPUT),
    case("dump", ["dump"], EXIT_STORE, UNREACHABLE),
    case("dump", ["dump", "-o", "/no/such/folder/dump.nq"], EXIT_BAD_INPUT),
    case("dump", ["dump", "--format", "xyz"], EXIT_BAD_INPUT),
    case("statistics", ["statistics"], EXIT_STORE, UNREACHABLE),
    case("serve", ["serve", "--port", "abc"], EXIT_BAD_INPUT),
    case("serve", ["serve", "--port", "0"], EXIT_STORE, UNREACHABLE),
    case("token create", ["token", "create", "--org", "99999"], EXIT_BAD_INPUT),
    case("token create", ["token", "create", "--org", "24062"], EXIT_STORE, UNREACHABLE),
    case("token revoke", ["token", "revoke", "nothing"], EXIT_BAD_INPUT),
    case("token list", ["token", "list", "--nothing"], EXIT_BAD_INPUT),
    case("import-survey", ["import-survey", "{latin1}", "--org", "99999", "--date", "2024-06-01"], EXIT_BAD_INPUT),
    case("import-survey", ["import-survey", "no-such.csv", "--org", "24062", "--date", "2024-06-01"],
         EXIT_BAD_INPUT),
    case("import-survey", ["import-survey", "{headless}", "--org", "24062", "--date", "2024-06-01"], EXIT_STORE,
         UNREACHABLE),
    case("rebase", ["rebase", "--to", "not a uri"], EXIT_BAD_INPUT),
    case("rebase", ["rebase", "--to", "http://other.test/"], EXIT_STORE, UNREACHABLE),
    case(None, ["no-such-command"], EXIT_BAD_INPUT, NONE),
]


def commands(command: object = group, prefix: str = "") -> set[str]:
    """Every command of the CLI, a group's subcommands as `token create`."""
    found = set()
    for name, sub in getattr(command, "commands", {}).items():
        found |= commands(sub, f"{prefix}{name} ") if getattr(sub, "commands", None) else {prefix + name}
    return found


def test_every_command_has_failure_cases():
    covered = {param.values[0] for param in CASES}
    assert commands() - covered == set()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    made = {"broken": "<id/x> <ns/p> 1 .\n<id/y> <ns/p> .\n", "headless": "1,2,3\n"}
    for name, text in made.items():
        (folder / f"{name}.{'csv' if name == 'headless' else 'ttl'}").write_text(text, encoding="utf-8")
    (folder / "latin1.csv").write_bytes("profiel,vraag\néé,1\n".encode("latin-1"))
    return {"broken": folder / "broken.ttl", "headless": folder / "headless.csv", "latin1": folder / "latin1.csv",
            "store": folder / "store"}


def assert_one_line(result, code):
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    if code == EXIT_VIOLATIONS:
        return  # the report is the output (pySHACL's convention)
    assert lines, "no message"
    ours = [line for line in lines if line.startswith("odmld: error: ")]
    if ours:
        assert lines == ours and len(ours) == 1, result.stderr
    else:  # click's usage error: its usage lines, then one "Error:" line
        assert lines[-1].startswith("Error: "), result.stderr


@pytest.mark.parametrize("command, args, code, store, input", CASES)
def test_a_failure_exits_with_the_tables_code_and_one_line(files, command, args, code, store, input):
    args = [str(files[arg[1:-1]]) if arg.startswith("{") else arg for arg in args]
    where = files["store"] if store == EMPTY else store
    result = run_cli(*args, store=where, input=input, env=QUICK)
    assert result.returncode == code, (result.returncode, result.stderr)
    assert_one_line(result, code)


LEASE = ("INSERT DATA { GRAPH <urn:odmld:write-lease> { <urn:odmld:test-holder> "
         "<urn:odmld:write-lease#until> \"99999999999999\"^^<http://www.w3.org/2001/XMLSchema#integer> } }")
FREE = "DROP SILENT GRAPH <urn:odmld:write-lease>"


HOLD = """import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(fd, fcntl.LOCK_EX)
print("holding", flush=True)
time.sleep(120)
"""


def test_a_write_while_another_process_holds_the_embedded_store_exits_4(tmp_path):
    location = tmp_path / "store"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(Snapshots(location).lock_path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"  # as a writer that does not answer
        result = run_cli("load", "data", store=location, env=QUICK)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == EXIT_BUSY, result.stderr
    assert_one_line(result, EXIT_BUSY)
    assert "being written by another" in result.stderr


def test_a_write_while_another_process_holds_the_remote_store_exits_4(backend, new_store):
    if backend == "embedded":
        pytest.skip("the write lease is the remote stores' (the embedded store's: the test above)")
    location = new_store()
    holder = open_location(location)
    holder.update(LEASE)  # as another odmld process that is writing, and keeps writing
    try:
        result = run_cli("load", "data", store=location, env=QUICK)
    finally:
        holder.update(FREE)
    assert result.returncode == EXIT_BUSY, result.stderr
    assert_one_line(result, EXIT_BUSY)
    assert "being written by another" in result.stderr
