"""Query parameters that several views read, each read strictly (odmld.user_text) in one place."""

from __future__ import annotations

from flask import request

from ..errors import BadRequest
from ..user_text import whole_number
from .errors import worded


def requested_page() -> int:
    """`?page=N` (default 1): a whole number from 1, else 400."""
    page = whole_number(request.args.get("page", "1"))
    if page is None or page < 1:
        raise BadRequest(worded("bad_page"))
    return page
