"""The write API: a city publishes an assessment with POST /api/assessments and a bearer token.

201 with Location on success; 401 without or with a bad token; 403 for another organisation's
assessment; 415 for a media type other than CSV, Turtle or JSON-LD; 400 for input that does not parse;
422 with the validation report when the assessment is wrong; 413 above the size limit (body_limit.py).
The work itself is odmld.assessments.submit's, shared with the self-assessment form. With an Idempotency-Key
header a retried POST or DELETE gets the first answer again (idempotency.py).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, request

from .. import tokens, vocab
from ..assessments.submit import submit as submit_assessment
from ..errors import BadRequest, Conflict, Forbidden, Invalid, MethodNotAllowed, NotFound, Unauthorized
from ..assessments.publish import AlreadyWithdrawn, NotFound as NoSuchVersion, withdraw
from ..user_text import has_control_character
from . import idempotency
from .db import base_uri, get_store
from .errors import said
from .i18n import current_language

bp = Blueprint("api", __name__)

RDF_INPUTS = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD}


def token_organisation() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, presented = header.partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        return None
    return tokens.organisation_of(Path(current_app.config["ODMLD"].tokens),
                                  presented.strip())


@bp.before_request
def refuse_writes_on_a_read_only_server() -> None:
    if get_store().read_only:
        raise MethodNotAllowed(said(
            "deze server kreeg een alleen-lezen store (ODMLD_STORE alleen-lezen geopend); hij aanvaardt "
            "geen schrijfopdrachten", "this server was given a read-only store (ODMLD_STORE opened "
            "read-only); it accepts no writes"))


@bp.route("/api/assessments", methods=["POST"])
def submit() -> Response:
    organisation_id = token_organisation()
    if organisation_id is None:
        raise unauthorized()
    return idempotency.once(organisation_id, lambda: publish(organisation_id))


def publish(organisation_id: str) -> Response:
    try:
        outcome = submit_assessment(get_store(), organisation_id, request.mimetype, request.get_data(),
                                    request.values, current_language())
    except Invalid as invalid:
        if invalid.report is not None and wants_turtle():  # the SHACL report itself, if asked for
            return Response(invalid.report.report_graph.serialize(format="turtle"), status=422,
                            mimetype="text/turtle")
        raise
    published = outcome.published
    response = jsonify(assessment=published.iri.value, version=published.version,
                       previous=published.previous.value if published.previous else None,
                       existing=published.existing,
                       warnings=[f.message(current_language()) for f in outcome.report.warnings])
    # an identical resubmission is answered with the version that already holds it, not a new one
    response.status_code = 200 if published.existing else 201
    response.headers["Location"] = published.iri.value
    return response


def unauthorized() -> Unauthorized:
    return Unauthorized(said(
        "stuur een geldige schrijfsleutel als 'Authorization: Bearer <sleutel>' (odmld token create --org ID)",
        "send a valid write token as 'Authorization: Bearer <token>' (odmld token create --org ID)"),
        headers={"WWW-Authenticate": 'Bearer realm="odmld"'})


def wants_turtle() -> bool:
    return request.accept_mimetypes.best_match(("application/json", "text/turtle")) == "text/turtle"


@bp.route("/api/assessments/<iri_path:ref>", methods=["DELETE"])
def withdraw_version(ref: str) -> Response:
    """Withdraw one version (`{organisation}/{date}/v{n}`); it stays as a tombstone with the reason."""
    organisation_id = token_organisation()
    if organisation_id is None:
        raise unauthorized()
    return idempotency.once(organisation_id, lambda: withdraw_as(organisation_id, ref))


def withdraw_as(organisation_id: str, ref: str) -> Response:
    if ref.split("/", 1)[0] != organisation_id:
        raise Forbidden(said(
            f"deze schrijfsleutel schrijft alleen voor organisatie {organisation_id}",
            f"this token writes for organisation {organisation_id} only"))
    reason = (request.values.get("reason") or "").strip()
    if not reason:
        raise BadRequest(said("zeg waarom, met een parameter 'reason'",
                                 "say why with a 'reason' parameter"))
    if has_control_character(reason):
        raise Invalid(said(
            "de reden (reason) bevat een stuurteken; alleen tekst, tab en regeleinden zijn toegelaten",
            "the reason contains a control character; only text, tab and line breaks are allowed"))
    iri = vocab.assessment_at(base_uri(), ref)  # iri_path: valid
    try:
        withdraw(get_store(), iri, reason[:2000])
    except AlreadyWithdrawn:
        raise Conflict(said(f"{ref} is al ingetrokken", f"{ref} is already withdrawn")) from None
    except NoSuchVersion:
        raise NotFound(said(f"er is geen inschattingsversie {ref}", f"no assessment version {ref}")) from None
    return jsonify(withdrawn=iri.value, reason=reason[:2000])
