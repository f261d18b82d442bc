"""The API's description, OpenAPI 3.1, served at /api: JSON for scripts, a page for a browser.

"The API" is every route a script uses: the write API under /api, SPARQL, the library's bound texts,
the catalogue, the change feed, the dumps and the CSV downloads. Pages for people and the linked-data
documents (/id, /doc, /ns) are described by their own standards and left out. `API_ENDPOINTS` names
the Flask endpoints described here; a test compares the document with the app's routes both ways.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request

from .. import __version__
from .formats import best_match

bp = Blueprint("openapi", __name__)

OPENAPI = "application/vnd.oai.openapi+json"
API_ENDPOINTS = {"openapi.describe", "api.submit", "api.withdraw_version", "surveys.upload", "sparql.endpoint",
                 "library.text", "catalog.paged", "catalog.whole", "catalog.graph", "catalog.whole_dump",
                 "catalog.graph_dump_file", "catalog.assessment_csv", "feed.page", "meta.void", "compare.data"}
RDF = ("text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples")
RESULTS = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values")


def problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/problem+json": {
        "schema": {"$ref": "#/components/schemas/Problem"}}}}


def rdf(description: str) -> dict[str, Any]:
    return {"description": description, "content": {media: {} for media in RDF}}


def path_parameter(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": {"type": "string"}}


def query_parameter(name: str, description: str, schema: dict | None = None, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema or {"type": "string"}}


PAGE = query_parameter("page", "Page number, from 1.", {"type": "integer", "minimum": 1})
LANG = query_parameter("lang", "Language of messages and labels: nl (default) or en; Accept-Language too.",
                       {"enum": ["nl", "en"]})
SPARQL_PARAMETERS = [
    query_parameter("query", "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE). Updates and SERVICE are "
                    "refused; time and answer size are limited."),
    query_parameter("format", "The answer's format when a header cannot say it (a link): json, xml, csv, tsv "
                    "for results; turtle, jsonld, rdfxml, ntriples for graphs. Otherwise the Accept header "
                    "chooses; text/html preferred gives an HTML table.",
                    {"enum": ["json", "xml", "csv", "tsv", "turtle", "jsonld", "rdfxml", "ntriples"]}),
    query_parameter("default-graph-uri", "A graph of the query's default graph (repeatable)."),
    query_parameter("named-graph-uri", "A named graph of the query's dataset (repeatable)."),
]
WRITE_ERRORS = {"400": problem("The body does not parse."),
                "401": problem("No valid write token (Authorization: Bearer <token>)."),
                "403": problem("The token writes for another organisation."),
                "405": problem("This server has a read-only store."),
                "413": problem("The body is larger than 1 MiB."),
                "415": problem("A media type other than the ones listed.")}


def document(base_uri: str) -> dict[str, Any]:
    """The OpenAPI document of this service, at its base URI."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "odmld", "version": __version__, "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
                 "description": "The open data maturity of Flemish local governments as Linked Open Data: "
                                "publish assessments, query them in SPARQL, harvest the catalogue and "
                                "the change feed. Every error is RFC 9457 problem details, in Dutch or "
                                "English (?lang or Accept-Language), unless the client prefers HTML."},
        "servers": [{"url": base_uri.rstrip("/")}],
        "paths": {
            "/api": {"get": {"summary": "This description (JSON; a page for a browser)", "operationId": "describe",
                             "responses": {"200": {"description": "OpenAPI 3.1",
                                                   "content": {OPENAPI: {}, "application/json": {}, "text/html": {}}}}}},
            "/api/assessments": {"post": {
                "summary": "Publish an assessment: the next version of the organisation's on its date",
                "operationId": "publishAssessment", "security": [{"token": []}],
                "parameters": [
                    query_parameter("date", "CSV only: the assessment's date, YYYY-MM-DD, not after today."),
                    query_parameter("method", "CSV only: interview, bevraging or zelfevaluatie (default)."),
                    query_parameter("organisation", "CSV only: the organisation's code (default: the token's)."),
                    query_parameter("licence", "CSV only: the URL of the assessment's licence."), LANG,
                    {"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string"},
                     "description": "A retry with the same key gets the first answer again."}],
                "requestBody": {"required": True, "content": {
                    "text/csv": {"description": "data/examples/assessment.csv: domain,maturity,need,evidence"},
                    "text/turtle": {}, "application/ld+json": {}}},
                "responses": {
                    "201": {"description": "Published; Location is the new version.",
                            "headers": {"Location": {"schema": {"type": "string"}}}},
                    "200": {"description": "An identical submission: the version that holds it (existing: true)."},
                    **WRITE_ERRORS,
                    "422": problem("The assessment is wrong: `violations` name the row (CSV) or the part "
                                   "(the assessment, domain N, a dataset) and the field; a date after today.")}}},
            "/api/assessments/{ref}": {"delete": {
                "summary": "Withdraw one version; it stays as a tombstone with the reason",
                "operationId": "withdrawAssessment", "security": [{"token": []}],
                "parameters": [path_parameter("ref", "{organisation}/{date}/v{n}"),
                               query_parameter("reason", "Why it is withdrawn.", required=True), LANG],
                "responses": {"200": {"description": "Withdrawn."}, "400": problem("No reason."),
                              "401": WRITE_ERRORS["401"], "403": WRITE_ERRORS["403"],
                              "404": problem("No such version."), "409": problem("Already withdrawn.")}}},
            "/api/surveys": {"post": {
                "summary": "Publish individual survey responses as statistics and a derived assessment",
                "operationId": "publishSurvey", "security": [{"token": []}],
                "parameters": [query_parameter("date", "YYYY-MM-DD.", required=True), LANG],
                "requestBody": {"required": True, "content": {"text/csv": {
                    "description": "data/examples/survey-responses.csv"}}},
                "responses": {"201": {"description": "Published."}, **WRITE_ERRORS,
                              "422": problem("The derived assessment does not conform.")}}},
            "/sparql": {
                "get": {"summary": "SPARQL 1.1 Protocol query; without a query the service description",
                        "operationId": "sparqlGet", "parameters": SPARQL_PARAMETERS,
                        "responses": {"200": {"description": "Results or a graph",
                                              "content": {m: {} for m in (*RESULTS, *RDF, "text/html")}},
                                      "400": problem("Does not parse, too slow, too large."),
                                      "403": problem("An update or SERVICE."), "406": problem("No format asked for."),
                                      "503": problem("Busy: Retry-After says when.")}},
                "post": {"summary": "SPARQL 1.1 Protocol query as a form or as application/sparql-query",
                         "operationId": "sparqlPost",
                         "requestBody": {"content": {"application/x-www-form-urlencoded": {},
                                                     "application/sparql-query": {}}},
                         "responses": {"200": {"description": "Results or a graph"},
                                       "400": problem("Does not parse, too slow, too large."),
                                       "403": problem("An update or SERVICE."),
                                       "415": problem("Another media type or charset.")}}},
            "/sparql/library/{name}.rq": {"get": {
                "summary": "A research library query with its parameters bound (a VALUES block)",
                "operationId": "libraryQuery",
                "parameters": [path_parameter("name", "A query of queries/ (the SPARQL page lists them)."),
                               query_parameter("{parameter}", "Each parameter the query declares, e.g. "
                                               "organisation=24062, domain=4, lang=en.")],
                "responses": {"200": {"description": "The text", "content": {"application/sparql-query": {}}},
                              "400": problem("A parameter the query does not declare, or a bad value."),
                              "404": problem("No such library query.")}}},
            "/catalog": {"get": {"summary": "The DCAT-AP Vlaanderen catalogue, one page (hydra view)",
                                 "operationId": "catalogue", "parameters": [PAGE],
                                 "responses": {"200": rdf("A page of the catalogue"), "404": problem("No such page.")}}},
            "/catalog.{suffix}": {"get": {"summary": "The catalogue page in the format of its suffix",
                                          "operationId": "catalogueAs",
                                          "parameters": [path_parameter("suffix", "ttl, jsonld, rdf, nt or html"), PAGE],
                                          "responses": {"200": rdf("A page of the catalogue")}}},
            "/catalog/volledig": {"get": {"summary": "The whole catalogue at once (refused above a size)",
                                          "operationId": "wholeCatalogue",
                                          "responses": {"200": rdf("The catalogue"), "403": problem("Too large.")}}},
            "/catalog/volledig.{suffix}": {"get": {
                "summary": "The whole catalogue in the format of its suffix", "operationId": "wholeCatalogueAs",
                "parameters": [path_parameter("suffix", "ttl, jsonld, rdf, nt or html")],
                "responses": {"200": rdf("The catalogue")}}},
            "/graph/{name}": {"get": {"summary": "One named graph", "operationId": "graph",
                                      "parameters": [path_parameter("name", "The graph's path after graph/")],
                                      "responses": {"200": rdf("The graph"), "404": problem("No such graph.")}}},
            "/dump/odmld.nq.gz": {"get": {"summary": "Every graph, N-Quads, gzip", "operationId": "dump",
                                          "responses": {"200": {"description": "N-Quads",
                                                                "content": {"application/gzip": {}}}}}},
            "/dump/{name}.ttl.gz": {"get": {"summary": "One graph as Turtle, gzip", "operationId": "graphDump",
                                            "parameters": [path_parameter("name", "The graph's path after graph/")],
                                            "responses": {"200": {"description": "Turtle",
                                                                  "content": {"application/gzip": {}}},
                                                          "404": problem("No such graph.")}}},
            "/csv/inschatting/{ref}.csv": {"get": {
                "summary": "One assessment version's remediation plan as CSV", "operationId": "assessmentCsv",
                "parameters": [path_parameter("ref", "{organisation}/{date}/v{n}")],
                "responses": {"200": {"description": "CSV", "content": {"text/csv": {}}},
                              "404": problem("No such version.")}}},
            "/feed": {"get": {"summary": "The LDES change feed: publications and withdrawals, one page",
                              "operationId": "feed", "parameters": [PAGE],
                              "responses": {"200": rdf("A page of events"), "404": problem("No such page."),
                                            "406": problem("Not an RDF format.")}}},
            "/.well-known/void": {"get": {"summary": "VoID description of the dataset", "operationId": "void",
                                          "responses": {"200": rdf("VoID"), "406": problem("Not an RDF format.")}}},
            "/vergelijk/data.csv": {"get": {
                "summary": "The comparison's numbers as CSV", "operationId": "comparisonCsv",
                "parameters": [query_parameter("org", "An organisation's code (repeatable)."),
                               query_parameter("date", "Newest assessment on or before this date.")],
                "responses": {"200": {"description": "CSV", "content": {"text/csv": {}}}}}},
        },
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer",
                                          "description": "A write token: odmld token create --org ID"}},
            "schemas": {"Problem": {
                "type": "object", "required": ["type", "title", "status", "detail"],
                "properties": {"type": {"type": "string"}, "title": {"type": "string"},
                               "status": {"type": "integer"}, "detail": {"type": "string"},
                               "violations": {"type": "array", "items": {"type": "object"}},
                               "error": {"type": "object", "description": "The same members, as odmld "
                                                                          "answered before RFC 9457"}}}}},
    }


@bp.route("/api")
def describe() -> Response:
    """The description: JSON unless the client prefers HTML."""
    described = document(current_app.config["ODMLD"].base_uri)
    chosen = best_match(request.headers.get("Accept", ""), (OPENAPI, "application/json", "text/html"))
    if chosen == "text/html":
        response = Response(render_template("api.html", api=described), mimetype="text/html")
    else:
        response = Response(json.dumps(described, ensure_ascii=False, indent=1) + "\n",
                            mimetype=chosen or "application/json")
    response.headers["Vary"] = "Accept"
    return response
