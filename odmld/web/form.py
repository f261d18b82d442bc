"""The self-assessment form (the seeds' "online bevragingstool"): HTML only, no JavaScript needed.

It posts to the same code path as the write API (odmld.assessments.submit), as the CSV template: one row per
domain the city filled in. The write token is asked once per session; the session is kept server-side
(odmld.web.sessions), and every post carries the session's CSRF token (403 without it). Problems are
shown next to the field they concern; on success the browser goes to the new assessment's page, which
shows its plan.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, make_response, redirect, render_template, request

from ..assessments.csv import template_csv
from ..assessments.submit import submit as submit_assessment
from ..errors import Forbidden, OdmldError
from . import sessions
from .db import get_store
from .errors import in_request_language, problem_response
from .i18n import current_language, translator
from .pages import local_href, select
from .sessions import FormSession

bp = Blueprint("form", __name__)

METHODS = ("zelfevaluatie", "bevraging", "interview")


@bp.route("/zelfevaluatie", methods=["GET"])
def show() -> Response:
    session = sessions.current()
    return page(session, values={}, errors={}, general=[])


@bp.route("/zelfevaluatie", methods=["POST"])
def send() -> Response:
    session = sessions.current()
    form = request.form
    if get_store().read_only:
        return page(session, form, {}, [message("read_only")], 405)
    if not sessions.csrf_valid(session, form.get("csrf")):
        return sessions.remember(problem_response(Forbidden(in_request_language(message("bad_csrf")))),
                                 session)
    session = sessions.with_token(session, form.get("token") or "")
    if session.organisation is None:
        return page(session, form, {}, [message("bad_token")], 401)
    rows, order = csv_rows(form)
    try:
        outcome = submit_assessment(get_store(), session.organisation, "text/csv", rows.encode("utf-8"),
                                    {"date": form.get("date", ""), "method": form.get("method", "")},
                                    current_language())
    except OdmldError as refused:  # the form shows a refused submission's problems beside the fields
        if refused.status >= 500:
            raise
        errors, general = place_problems(refused, order)
        return page(session, form, errors, general, refused.status)
    return sessions.remember(redirect(local_href(outcome.published.iri.value), code=303), session)


def csv_rows(form: Any) -> tuple[str, list[str]]:
    """The filled-in domains as the CSV template, and which domain each data row is."""
    rows, order = [], []
    for number in range(1, 12):
        maturity, need = form.get(f"maturity-{number}", ""), form.get(f"need-{number}", "")
        evidence = form.get(f"evidence-{number}", "")
        if maturity or need or evidence.strip():
            rows.append([number, maturity, need, evidence])
            order.append(str(number))
    return template_csv(rows, line_end="\r\n"), order


def place_problems(refused: OdmldError, order: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Problems per domain number (from the CSV row or the SHACL focus), the rest for the whole form."""
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    problems = refused.extra.get("violations", [])
    for problem in problems:
        domain = None
        if "row" in problem and 2 <= problem["row"] < len(order) + 2:
            domain = order[problem["row"] - 2]
        domain = domain or (str(problem["domain"]) if problem.get("domain") is not None else None)
        if domain:
            errors.setdefault(domain, []).append(problem["message"])
        else:
            general.append(problem["message"])
    if not problems:
        general.append(refused.detail if isinstance(refused.detail, str)
                       else refused.detail.get(current_language()) or str(refused))
    return errors, general


def message(key: str) -> str:
    return translator(current_language())(key)


def method_names() -> list[tuple[str, Any]]:
    """The methods the form offers, each with its name in the page's language (the value is the
    notation the submission takes)."""
    named = {r["notation"].value: r["label"] for r in select("method-labels")}
    return [(method, named.get(method, method)) for method in METHODS]


def page(session: FormSession, values: Any, errors: dict[str, list[str]], general: list[str],
         status: int = 200) -> Response:
    html = render_template("form.html", domains=select("assessment-form"),
                           maturity=select("maturity-levels"), need=select("need-levels"),
                           methods=method_names(), values=values, errors=errors, general=general,
                           has_token=session.organisation is not None, csrf=sessions.csrf_token(session))
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return sessions.remember(response, session)
