"""The OpenAPI description at /api matches the routes: every route of the API is in it, with its
methods, and everything in it is a route."""

import json
import re

from odmld.web.openapi import API_ENDPOINTS

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
# blueprints that hold only routes for scripts: a new route in one of them must be described
SCRIPT_BLUEPRINTS = ("api.", "surveys.", "feed.", "catalog.", "meta.", "openapi.")


def openapi_path(rule: str) -> str:
    """A Flask rule as an OpenAPI path: <iri_path:ref> -> {ref}."""
    return re.sub(r"<(?:[^:<>]+(?:\([^)]*\))?:)?([^<>:]+)>", r"{\1}", rule)


def routes(app) -> set[tuple[str, str]]:
    return {(openapi_path(rule.rule), method.lower())
            for rule in app.url_map.iter_rules() if rule.endpoint in API_ENDPOINTS
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_api_is_json_for_scripts_and_a_page_for_browsers(client):
    for accept in ("*/*", "application/json", ""):
        response = client.get("/api", headers={"Accept": accept} if accept else {})
        assert response.status_code == 200 and response.is_json, accept
        assert json.loads(response.data)["openapi"].startswith("3.1")
    page = client.get("/api", headers=BROWSER)
    assert page.mimetype == "text/html" and "POST /api/assessments" in page.get_data(as_text=True)


def test_every_route_of_the_api_is_described_and_everything_described_is_a_route(app, client):
    described = json.loads(client.get("/api", headers={"Accept": "application/json"}).data)
    operations = {(path, method) for path, item in described["paths"].items() for method in item}
    assert operations == routes(app)
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(SCRIPT_BLUEPRINTS) or rule.rule.startswith("/api"):
            assert rule.endpoint in API_ENDPOINTS, f"{rule.rule} ({rule.endpoint}) is not in the OpenAPI description"


def test_every_described_get_without_parameters_answers(client):
    described = json.loads(client.get("/api").data)
    for path, item in described["paths"].items():
        if "get" in item and "{" not in path:
            response = client.get(path, headers={"Accept": "*/*"})
            assert response.status_code < 400, (path, response.status_code)


def test_every_operation_names_its_problems_as_problem_details(client):
    described = json.loads(client.get("/api").data)
    for path, item in described["paths"].items():
        for method, operation in item.items():
            for status, answer in operation["responses"].items():
                if status.startswith("4"):
                    assert "application/problem+json" in answer["content"], (path, method, status)
