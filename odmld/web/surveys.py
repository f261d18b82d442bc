"""Survey responses over HTTP: POST /api/surveys?date=YYYY-MM-DD with the responses template as CSV and
the organisation's write token, as `odmld import-survey` does from the command line (same validation,
same errors: odmld.assessments.survey_publish)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from ..assessments.survey_publish import SurveyRefused, publish_survey
from .api import token_organisation, unauthorized
from .db import get_store
from ..errors import BadRequest, Invalid, MethodNotAllowed, UnsupportedMediaType
from .errors import said
from .i18n import current_language

bp = Blueprint("surveys", __name__)


@bp.route("/api/surveys", methods=["POST"])
def upload() -> Response:
    organisation_id = token_organisation()
    if organisation_id is None:
        raise unauthorized()
    if get_store().read_only:
        raise MethodNotAllowed(said(
            "deze server kreeg een alleen-lezen store", "this server was given a read-only store"))
    if request.mimetype != "text/csv":
        raise UnsupportedMediaType(said(
            "stuur de antwoorden als text/csv (sjabloon: data/examples/survey-responses.csv)",
            "send the survey responses as text/csv (template: data/examples/survey-responses.csv)"))
    try:
        text = request.get_data().decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(said("de CSV is geen UTF-8-tekst", "the CSV is not UTF-8 text")) from None
    try:
        done = publish_survey(get_store(), text, organisation_id, request.values.get("date", ""))
    except SurveyRefused as refused:
        if refused.report is None:
            raise BadRequest(refused.words) from None
        lang = current_language()
        raise Invalid({lang: "; ".join(finding.message(lang) for finding in refused.report.violations)}) \
            from None
    published = done.published
    response = jsonify(assessment=published.iri.value, version=published.version,
                       dataset=done.dataset.value, respondents=done.respondents,
                       suppressed=done.suppressed)
    response.status_code = 201
    response.headers["Location"] = published.iri.value
    return response
