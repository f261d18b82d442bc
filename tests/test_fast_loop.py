"""The fast loop (`pytest -m "not slow"`, docs/testing.md) leaves out every run on a server store and
every browser test, and `pytest` alone still runs every test."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ON_A_SERVER = re.compile(r"\[(?:[^\]]*-)?(?:remote|virtuoso)(?:-[^\]]*)?\]$")

pytestmark = pytest.mark.slow  # pytest collects the suite twice, each in a subprocess


def collected(*options: str) -> list[str]:
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q",
                          *options], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return [line for line in run.stdout.splitlines() if "::" in line]


def test_the_fast_loop_leaves_out_server_stores_and_browsers_and_the_whole_suite_keeps_them():
    everything, fast = collected(), collected("-m", "not slow")
    assert set(fast) < set(everything)
    on_servers = [test for test in everything if ON_A_SERVER.search(test)]
    in_browsers = [test for test in everything if "browser/" in test or "in_a_browser" in test]
    assert on_servers and in_browsers  # the whole suite runs them
    assert sorted(set(fast) & set(on_servers + in_browsers))[:5] == []
    assert any(test.endswith("[embedded]") for test in fast)  # the embedded runs stay in the loop
