"""The network restriction itself, in real subprocesses: what a confined process can no longer do, and
that public queries are not answered where the restriction cannot be installed (fail closed)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=120, cwd=HERE, env={**os.environ, **env})


def test_a_confined_process_can_open_no_socket_and_has_no_way_around_it():
    ran = run_python("""
        import ctypes, errno, json, os, socket
        from odmld.sparql.sandbox import forbid_network
        pipe, _ = socket.socketpair()           # made before: the kind a worker already has
        forbid_network()
        seen = {}
        for name, family, kind in (("inet", socket.AF_INET, socket.SOCK_STREAM),
                                   ("inet6", socket.AF_INET6, socket.SOCK_STREAM),
                                   ("udp", socket.AF_INET, socket.SOCK_DGRAM),
                                   ("unix", socket.AF_UNIX, socket.SOCK_STREAM),
                                   ("netlink", socket.AF_NETLINK, socket.SOCK_RAW)):
            try:
                socket.socket(family, kind)
                seen[name] = "opened"
            except OSError as error:
                seen[name] = errno.errorcode[error.errno]
        try:
            socket.socketpair(socket.AF_INET)
            seen["socketpair inet"] = "opened"
        except OSError as error:
            seen["socketpair inet"] = errno.errorcode[error.errno]
        libc = ctypes.CDLL(None, use_errno=True)
        for name, number, args in (("io_uring_setup", 425, (8, None)), ("ptrace", 101, (16, os.getppid(), 0, 0)),
                                   ("pidfd_getfd", 438, (0, 0, 0)), ("connect", 42, (pipe.fileno(), None, 0))):
            result = libc.syscall(number, *args)
            seen[name] = errno.errorcode[ctypes.get_errno()] if result == -1 else "allowed"
        pipe.send(b"still talks to its parent")
        print(json.dumps(seen), flush=True)
        libc.syscall(0x40000000 | 41, 2, 1, 0)  # socket() through the x32 ABI: the process is killed
        print("survived", flush=True)
    """)
    seen = json.loads(ran.stdout.splitlines()[0])
    assert all(outcome != "opened" and outcome != "allowed" for outcome in seen.values()), seen
    assert seen["inet"] == seen["unix"] == "EACCES" and seen["io_uring_setup"] == "ENOSYS"
    assert "survived" not in ran.stdout
    assert ran.returncode == -signal.SIGSYS, (ran.returncode, ran.stderr)


REFUSE_SECCOMP = """
    import errno, pyseccomp
    # as a container whose own profile forbids installing filters would: seccomp() and
    # prctl(PR_SET_SECCOMP) fail, here and in every process started from here
    rules = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
    rules.add_rule(pyseccomp.ERRNO(errno.EPERM), "seccomp")
    rules.add_rule(pyseccomp.ERRNO(errno.EPERM), "prctl", pyseccomp.Arg(0, pyseccomp.EQ, 22))
    rules.load()
"""

ASK_THRICE = """
    import json, logging
    from urllib.parse import quote
    from probes import make_app
    logging.basicConfig(level=logging.WARNING)
    app = make_app({store!r}, **{settings!r})
    client = app.test_client()
    for _ in range(3):
        response = client.get("/sparql?query=" + quote("ASK {{}}"), headers={{"Accept": "application/json"}})
        print(json.dumps([response.status_code, response.get_json()]), flush=True)
    app.extensions["odmld.pool"].close()
"""


@pytest.mark.slow
def test_without_the_restriction_public_queries_are_refused_with_the_reason_logged_once(
        embedded_store_path):
    ran = run_python(REFUSE_SECCOMP + ASK_THRICE.format(store=embedded_store_path, settings={}))
    answers = [json.loads(line) for line in ran.stdout.splitlines()]
    assert [status for status, _ in answers] == [503, 503, 503], ran.stderr
    detail = answers[0][1]["error"]["detail"]
    assert "network" in detail and "seccomp" in detail
    assert ran.stderr.count("public SPARQL queries are refused") == 1, ran.stderr


@pytest.mark.slow
def test_a_setting_may_allow_running_without_the_restriction_and_it_is_logged(embedded_store_path):
    ran = run_python(REFUSE_SECCOMP + ASK_THRICE.format(store=embedded_store_path,
                                                        settings={"query_sandbox": "off"}))
    answers = [json.loads(line) for line in ran.stdout.splitlines()]
    assert [status for status, _ in answers] == [200, 200, 200], ran.stderr
    assert "WITHOUT the network restriction" in ran.stderr
