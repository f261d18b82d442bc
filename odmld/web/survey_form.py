"""The survey upload page: a data manager sends the survey's individual responses (the template
data/examples/survey-responses.csv) from a browser, as `odmld import-survey` and POST /api/surveys do
(one code path: odmld.assessments.survey_publish). HTML only, no JavaScript; the same session, write token and CSRF
token as the self-assessment form. On success the browser goes to the derived assessment's page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, make_response, redirect, render_template, request

from ..assessments.survey_publish import SurveyRefused, publish_survey
from . import sessions
from .db import get_store
from ..errors import Forbidden
from .errors import problem_response, worded
from .i18n import current_language, translator
from .pages import local_href
from .sessions import FormSession

bp = Blueprint("survey_form", __name__)


@bp.route("/zelfevaluatie/bevraging", methods=["GET"])
def show() -> Response:
    return page(sessions.current(), values={}, problems=[])


@bp.route("/zelfevaluatie/bevraging", methods=["POST"])
def send() -> Response:
    session = sessions.current()
    form = request.form
    if get_store().read_only:
        return page(session, form, [message("read_only")], 405)
    if not sessions.csrf_valid(session, form.get("csrf")):
        return sessions.remember(problem_response(Forbidden(worded("bad_csrf"))), session)
    session = sessions.with_token(session, form.get("token") or "")
    if session.organisation is None:
        return page(session, form, [message("bad_token")], 401)
    upload = request.files.get("responses")
    if upload is None or not upload.filename:
        return page(session, form, [message("survey_missing")], 400)
    try:
        text = upload.read().decode("utf-8")
    except UnicodeDecodeError:
        return page(session, form, [message("survey_not_utf8")], 400)
    try:
        done = publish_survey(get_store(), text, session.organisation, form.get("date", ""))
    except SurveyRefused as refused:
        if refused.report is None:
            return page(session, form, [refused.words[current_language()]], 400)
        lang = current_language()
        return page(session, form, [finding.message(lang) for finding in refused.report.violations], 422)
    return sessions.remember(redirect(local_href(done.published.iri.value), code=303), session)


def message(key: str) -> str:
    return translator(current_language())(key)


def page(session: FormSession, values: Any, problems: list[str], status: int = 200) -> Response:
    html = render_template("survey_form.html", values=values, problems=problems,
                           has_token=session.organisation is not None, csrf=sessions.csrf_token(session))
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return sessions.remember(response, session)
