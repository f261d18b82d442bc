"""A fresh clone has no ../shared beside it: the tests that read the official shape sets from
../shared/standards skip there, saying why, and nothing fails."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
READ_SHARED = ["tests/web/test_standards.py",
               "tests/web/test_catalog.py::test_the_whole_catalogue_conforms_to_the_official_dcat_ap_vl_shapes"]

pytestmark = pytest.mark.slow  # a pytest of its own in a subprocess


def test_the_tests_that_read_shared_skip_saying_so_in_a_copy_without_it(tmp_path):
    clone = tmp_path / "clone"  # tmp_path has no shared/ folder: ../shared is not there for the copy
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout.split("\0")
    for name in filter(None, tracked):  # the checkout's files as they are now, as a clone has them
        if (REPO / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, clone / name)
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs",
                          "-k", "not remote and not virtuoso", *READ_SHARED],
                         cwd=clone, capture_output=True, text=True, timeout=600)
    summary = run.stdout.strip().splitlines()[-1]
    assert run.returncode == 0, run.stdout[-3000:]
    assert "skipped" in summary and "passed" not in summary and "failed" not in summary, summary
    skips = [line for line in run.stdout.splitlines() if line.startswith("SKIPPED")]
    assert skips and all("the official shapes are not here" in line and "put the shared/ folder" in line
                         for line in skips), skips
    assert str(tmp_path / "shared" / "standards") in run.stdout
