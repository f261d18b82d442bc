"""An installed odmld (not a checkout) carries its queries, data, ontology and shapes."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_the_wheel_ships_the_rdf_and_sparql_folders(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "-q", "-w", str(tmp_path), str(REPO)], check=True, capture_output=True,
                   timeout=300)
    wheel = next(tmp_path.glob("odmld-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("queries", "data", "ontology", "shapes"):
        expected = {f"odmld/{folder}/{p.relative_to(REPO / folder).as_posix()}"
                    for p in (REPO / folder).rglob("*") if p.is_file()}
        assert expected and expected <= names, folder
    web = REPO / "odmld" / "web"
    for folder in ("templates", "static"):  # the charts are .svg templates, the pages .html
        expected = {f"odmld/web/{p.relative_to(web).as_posix()}" for p in (web / folder).rglob("*") if p.is_file()}
        assert expected and expected <= names, folder


@pytest.mark.slow
def test_the_wheel_installed_in_a_new_environment_loads_and_queries_outside_the_checkout(tmp_path):
    """A user who pip-installs odmld gets a working command: `odmld load` (the bundled model) and
    `odmld query domains`, run from a folder that holds no checkout."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                    str(REPO)], check=True, capture_output=True, timeout=300)
    wheel = next((tmp_path / "dist").glob("odmld-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    installed = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)],
                               capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path),
           "ODMLD_STORE": str(tmp_path / "store"), "ODMLD_BASE_URI": "http://odmld.test/"}
    odmld = str(venv / "bin" / "odmld")
    loaded = subprocess.run([odmld, "load"], cwd=elsewhere, env=env, capture_output=True, text=True,
                            timeout=600)
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded" in loaded.stdout
    domains = subprocess.run([odmld, "query", "domains", "--param", "lang=nl"], cwd=elsewhere, env=env,
                             capture_output=True, text=True, timeout=300)
    assert domains.returncode == 0, domains.stderr
    assert "Sponsoring" in domains.stdout and "Inspiratie" in domains.stdout
