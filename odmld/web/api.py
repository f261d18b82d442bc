"""The write API: a city publishes an assessment with POST /api/assessments and a bearer token.

201 with Location on success; 401 without or with a bad token; 403 for another organisation's
assessment; 415 for a media type other than CSV, Turtle or JSON-LD; 400 for input that does not parse;
422 with the validation report when the assessment is wrong; 413 above the size limit (Flask's
MAX_CONTENT_LENGTH). Nothing is written unless everything is valid.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, request

from .. import tokens
from ..assessment_csv import CsvUnreadable, level_lookup, parse_csv
from ..assessment_graph import AssessmentParts, DomainPart, SubmissionProblem, parts_from_graph
from ..loading import syntax_message
from ..publishing import (AlreadyWithdrawn, NotFound, organisation_iri, publish, to_rdflib,
                          validate_parts, withdraw)
from ..validation import Report, validate_graph
from .db import get_pool, get_store
from .errors import error_response
from .i18n import current_language

bp = Blueprint("api", __name__)

RDF_INPUTS = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD}


def token_organisation() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, presented = header.partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        return None
    return tokens.organisation_of(tokens.tokens_path(current_app.config["ODMLD"].store),
                                  presented.strip())


@bp.before_request
def refuse_writes_on_a_read_only_server() -> Response | None:
    if get_store().read_only:
        return error_response(405, "Method Not Allowed", "this server is read-only (a production "
                              "worker); publish through the writer started with `odmld serve`")
    return None


@bp.route("/api/assessments", methods=["POST"])
def submit() -> Response:
    organisation_id = token_organisation()
    if organisation_id is None:
        return error_response(401, "Unauthorized", "send a valid write token as "
                              "'Authorization: Bearer <token>' (odmld token create --org ID)",
                              {"WWW-Authenticate": 'Bearer realm="odmld"'})
    if request.mimetype == "text/csv":
        parts_or_response = parts_from_csv(organisation_id)
    elif request.mimetype in RDF_INPUTS:
        parts_or_response = parts_from_rdf(RDF_INPUTS[request.mimetype])
    else:
        return error_response(415, "Unsupported Media Type",
                              "send text/csv, text/turtle or application/ld+json")
    if isinstance(parts_or_response, Response):
        return parts_or_response
    parts = parts_or_response
    base = current_app.config["ODMLD"].base_uri
    if parts.organisation != organisation_iri(base, organisation_id):
        return error_response(403, "Forbidden", f"this token writes for organisation {organisation_id} "
                              f"only, not for {parts.organisation.value}")
    report = validate_parts(parts, base)
    if not report.conforms:
        return invalid(report)
    published = publish(get_store(), parts, organisation_id)
    get_pool().store_changed()
    response = jsonify(assessment=published.iri.value, version=published.version,
                       previous=published.previous.value if published.previous else None,
                       warnings=[f.message(current_language()) for f in report.warnings])
    response.status_code = 201
    response.headers["Location"] = published.iri.value
    return response


@bp.route("/api/assessments/<path:ref>", methods=["DELETE"])
def withdraw_version(ref: str) -> Response:
    """Withdraw one version (`{organisation}/{date}/v{n}`); it stays as a tombstone with the reason."""
    organisation_id = token_organisation()
    if organisation_id is None:
        return error_response(401, "Unauthorized", "send a valid write token as 'Authorization: Bearer <token>'",
                              {"WWW-Authenticate": 'Bearer realm="odmld"'})
    if ref.split("/", 1)[0] != organisation_id:
        return error_response(403, "Forbidden", f"this token writes for organisation {organisation_id} only")
    reason = (request.values.get("reason") or "").strip()
    if not reason:
        return error_response(400, "Bad Request", "say why with a 'reason' parameter")
    try:
        iri = ox.NamedNode(f"{current_app.config['ODMLD'].base_uri}id/inschatting/{ref}")
        withdraw(get_store(), iri, reason[:2000])
    except AlreadyWithdrawn:
        return error_response(409, "Conflict", f"{ref} is already withdrawn")
    except (NotFound, ValueError):
        return error_response(404, "Not Found", f"no assessment version {ref}")
    get_pool().store_changed()
    return jsonify(withdrawn=iri.value, reason=reason[:2000])


def parts_from_csv(token_organisation_id: str) -> AssessmentParts | Response:
    """CSV rows from the body; organisation (default: the token's), date and method from the request."""
    base = current_app.config["ODMLD"].base_uri
    try:
        text = request.get_data().decode("utf-8")
        parsed = parse_csv(text, level_lookup(get_store()))
    except UnicodeDecodeError:
        return error_response(400, "Bad Request", "the CSV is not UTF-8 text")
    except CsvUnreadable as error:
        return error_response(400, "Bad Request", str(error))
    lang = current_language()
    if parsed.problems:
        rows = [{"row": p.row, "column": p.column, "value": p.value,
                 "message": p.message_nl if lang == "nl" else p.message_en} for p in parsed.problems]
        detail = "; ".join(f"row {r['row']} {r['column']} {r['value']!r}: {r['message']}" for r in rows)
        return unprocessable(detail, rows)
    values = request.values
    method = values.get("method", "zelfevaluatie")
    organisation = values.get("organisation") or values.get("org") or token_organisation_id
    return AssessmentParts(
        organisation=organisation_iri(base, organisation if organisation.isalnum() else "-"),
        date=ox.Literal(values.get("date", ""), datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#date")),
        method=ox.NamedNode(f"{base}id/methode/{method if method.isalnum() else '-'}"),
        domains=[DomainPart(ox.NamedNode(f"{base}id/maturiteitsdomein/{s.domain}"), s.maturity, s.need,
                            ox.Literal(s.evidence, language="nl") if s.evidence else None)
                 for s in parsed.scores])


def parts_from_rdf(rdf_format: ox.RdfFormat) -> AssessmentParts | Response:
    base = current_app.config["ODMLD"].base_uri
    try:
        quads = list(ox.parse(request.get_data(), format=rdf_format, base_iri=base))
    except SyntaxError as error:
        return error_response(400, "Bad Request", f"the submission does not parse: {syntax_message(error)}")
    except (ValueError, OSError) as error:
        return error_response(400, "Bad Request", f"the submission does not parse: {error}")
    report = validate_graph(to_rdflib([ox.Triple(q.subject, q.predicate, q.object) for q in quads]), base)
    if not report.conforms:
        return invalid(report)
    try:
        return parts_from_graph(quads, base)
    except SubmissionProblem as error:
        return unprocessable(str(error), [])


def unprocessable(detail: str, violations: list[dict[str, Any]]) -> Response:
    response = error_response(422, "Unprocessable Content", detail)
    if response.mimetype == "application/json":
        body = response.get_json()
        body["error"]["violations"] = violations
        response = jsonify(body)
        response.status_code = 422
    return response


def invalid(report: Report) -> Response:
    """422 with the SHACL report: Turtle for RDF clients, else JSON (the one error shape)."""
    if request.accept_mimetypes.best_match(("application/json", "text/turtle")) == "text/turtle":
        return Response(report.report_graph.serialize(format="turtle"), status=422,
                        mimetype="text/turtle")
    lang = current_language()
    violations = [{"severity": f.severity, "focus": f.focus, "path": f.path, "value": f.value,
                   "message": f.message(lang)} for f in report.violations]
    detail = "; ".join(f"{v['focus']}: {v['message']}" + (f" ({v['value']})" if v["value"] else "")
                       for v in violations)
    response = jsonify(error={"status": 422, "title": "Unprocessable Content", "detail": detail,
                              "violations": violations})
    response.status_code = 422
    return response
