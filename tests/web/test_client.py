"""The Python client as a researcher uses it: against a live odmld on loopback, from a folder outside
the checkout (and from one holding a checkout called odmld), with typed rows and a DataFrame."""

import datetime as dt
import os
import re
import socket
import subprocess
import sys
import textwrap
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from odmld import client, tokens
from odmld.config import load_config
from odmld.loading import parse_paths
from odmld.sparql.binding import UnknownParameter
from odmld.resources import default_load_paths, folder
from odmld.store import open_store
from odmld.web import create_app

pytestmark = pytest.mark.slow  # a live server for the client, and a publication

REPO = Path(__file__).resolve().parents[2]
CSV = (folder("data") / "examples" / "assessment.csv").read_bytes()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """odmld on a loopback port whose base URI is its own address, as a deployed service's is, with two
    assessments of Leuven (24062)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    location = str(tmp_path_factory.mktemp("client") / "store")
    config = load_config({"store": location, "base_uri": base}, environ={})
    store = open_store(config)
    store.replace_graphs(parse_paths(default_load_paths(), base))
    app = create_app(config, store=store)
    token = tokens.create(Path(config.tokens), "24062")[1]
    for date, body in (("2023-03-01", CSV), ("2024-05-01", CSV.replace(b"\n2,1,2,", b"\n2,3,2,"))):
        answer = app.test_client().post(f"/api/assessments?date={date}", data=body, headers={
            "Content-Type": "text/csv", "Authorization": f"Bearer {token}"})
        assert answer.status_code == 201, answer.data
    http = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield base + "sparql"
    http.shutdown()
    app.extensions["odmld.pool"].close()


def readme_lines() -> str:
    """The README's lines for researchers: its first python block after '## For researchers'."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    part = readme[readme.index("## For researchers"):]
    return re.search(r"```python\n(.*?)```", part, re.S).group(1)


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=environment)


def test_the_readmes_lines_for_researchers_give_a_dataframe_from_a_live_server(service, tmp_path):
    lines = readme_lines()
    assert "to_dataframe()" in lines and len(lines.strip().splitlines()) <= 6
    code = lines.replace("http://127.0.0.1:5000/sparql", service)
    assert code != lines, "the README's lines name the address of a local odmld serve"
    result = run_python(code + "\nprint({name: str(dtype) for name, dtype in frame.dtypes.items()})\n", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2023-03-01" in result.stdout and "2024-05-01" in result.stdout
    assert "datetime64" in result.stdout and "Int64" in result.stdout and "float64" in result.stdout


def test_the_client_works_from_the_folder_that_holds_a_checkout_called_odmld(service, tmp_path):
    """Python run from the parent of a checkout named odmld took the checkout for a namespace package,
    and odmld.queries was the checkout's queries/ folder (AttributeError: ... has no attribute 'get')."""
    checkout = tmp_path / "odmld"
    for name in ("queries", "data", "ontology", "shapes", "odmld"):
        (checkout / name).mkdir(parents=True)
    (checkout / "queries" / "maturity-trend.rq").write_text("# not the library\n")
    docstring = client.__doc__.split("\n\n")[1]
    code = textwrap.dedent(docstring).replace("http://127.0.0.1:5000/sparql", service)
    result = run_python(code + "\nprint(len(rows), frame.shape)\n", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "2"


def test_rows_are_typed_and_the_dataframe_has_a_dtype_per_column(service):
    rows = client.run("maturity-trend", service, organisation="24062")
    assert [type(rows[0][k]) for k in ("organisation", "date", "version", "average")] == [str, dt.date, int, Decimal]
    frame = rows.to_dataframe()
    assert list(frame.columns) == rows.columns == ["organisation", "date", "version", "average"]
    dtypes = {name: str(dtype) for name, dtype in frame.dtypes.items()}
    assert dtypes["date"].startswith("datetime64")
    assert (dtypes["organisation"], dtypes["version"], dtypes["average"]) == ("string", "Int64", "float64")


def test_a_plain_string_an_iri_and_a_full_iri_give_the_same_rows(service):
    base = service.rsplit("sparql", 1)[0]
    answers = [client.run("maturity-trend", service, organisation=value)
               for value in ("24062", "id/organisatie/24062", f"{base}id/organisatie/24062",
                             client.iri("id/organisatie/24062"))]
    assert answers[0] and all(answer == answers[0] for answer in answers)


def test_an_unknown_parameter_is_refused_with_the_declared_ones(service):
    with pytest.raises(UnknownParameter, match=r"has no parameter organization; its parameters: organisation"):
        client.run("maturity-trend", service, organization="24062")


def test_lang_is_dutch_unless_given(service):
    dutch = client.run("domains", service)
    english = client.run("domains", service, lang="en")
    assert {row["lang"] for row in dutch} == {"nl"} and {row["lang"] for row in english} == {"en"}
    assert dutch[0]["label"] != english[0]["label"]


def test_the_apps_own_queries_are_not_offered_to_clients(service):
    from odmld.sparql.library import QueryNotFound
    with pytest.raises(QueryNotFound, match="in the library"):
        client.run("store-counts", service)
