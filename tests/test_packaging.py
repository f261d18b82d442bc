"""An installed odmld (not a checkout) carries its queries, data, ontology and shapes, builds without
setuptools warnings, and declares every package it imports."""

import ast
import re
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# pip's own note where PYTHONDONTWRITEBYTECODE is set: says the environment, not the project's configuration
NOT_THE_PROJECT = re.compile(r"byte-compiling is disabled")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    """The wheel `pip wheel .` builds, and what the build said (verbose, so setuptools' warnings show)."""
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(out), str(REPO)],
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr[-2000:]
    return next(out.glob("odmld-*.whl")), build.stdout + build.stderr


@pytest.mark.slow  # pip builds the wheel in a subprocess
def test_building_the_wheel_gives_no_setuptools_warnings(built):
    _wheel, said = built
    warnings = [line.strip() for line in said.splitlines()
                if "warn" in line.lower() and not NOT_THE_PROJECT.search(line)]
    assert warnings == []


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    """The distributions pyproject.toml asks for: the dependencies and the extras other than `test`."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + [requirement for extra, requirements in project["optional-dependencies"].items()
                                        if extra != "test" for requirement in requirements]
    return {_normalised(re.match(r"[A-Za-z0-9._-]+", requirement).group()) for requirement in wanted}


def _imported() -> dict[str, str]:
    """Each top-level module odmld/ imports from outside itself and the standard library, with one file that does."""
    found = {}
    for path in sorted((REPO / "odmld").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "odmld" and top not in sys.stdlib_module_names:
                    found.setdefault(top, str(path.relative_to(REPO)))
    return found


def test_every_package_odmld_imports_is_declared_in_pyproject():
    declared, distributions = _declared(), packages_distributions()
    imported = _imported()
    assert {"flask", "pyoxigraph", "click", "werkzeug"} <= set(imported)  # the walk sees the imports
    undeclared = {module: where for module, where in imported.items()
                  if not any(_normalised(name) in declared for name in distributions.get(module, []))}
    assert undeclared == {}, "imported (module: a file importing it) but not declared in pyproject.toml"


@pytest.mark.slow
def test_the_wheel_ships_the_rdf_and_sparql_folders(built):
    wheel, _said = built
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
