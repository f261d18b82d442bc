"""An installed odmld (not a checkout) carries its queries, data, ontology and shapes."""

import subprocess
import sys
import zipfile
from pathlib import Path

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
