"""What the pages that list organisations show, bounded whatever the number of organisations: a page of
the register, a kind's page, a name search, the top of a ranking and the organisation asked for.

Every figure comes from what writes keep (odmld.register, odmld.rankings), so a page reads a page's
worth of rows; none of these lists or sorts every organisation.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import request

from ..errors import BadRequest, NotFound
from .. import register, user_text, vocab
from .db import base_uri, get_store
from .errors import worded
from .i18n import current_language
from .params import requested_page

PAGE_SIZE = 50  # organisations on a page of the list
FOUND_MOST = 50  # organisations a name search shows
SEARCH_LENGTH = 100  # characters of a search text


def search_text() -> str:
    """`?q=`: the name searched for (empty when not asked), at most SEARCH_LENGTH characters."""
    text = request.args.get("q", "").strip()
    if len(text) > SEARCH_LENGTH or user_text.has_control_character(text):
        raise BadRequest(worded("bad_search", most=SEARCH_LENGTH))
    return text


def search(text: str, most: int = FOUND_MOST) -> list[dict[str, Any]]:
    return register.search(get_store(), text, current_language(), most) if text else []


def kinds() -> tuple[int, list[dict[str, Any]]]:
    """The number of organisations, and each kind with its key (for ?soort=), label and count."""
    total, found = 0, []
    for row in register.counts(get_store(), current_language()):
        count = int(row["organisations"].value)
        if row["group"].value == "all":
            total = count
        elif row["group"].value == "kind":
            found.append({"key": register.kind_key(row["kind"].value), "kind": row["kind"],
                          "label": row["label"].value, "organisations": count})
    return total, found


def organisation_list() -> dict[str, Any]:
    """The organisations page's content: a search's matches (`?q=`), or page `?page=` of every
    organisation or of one kind (`?soort=`), with the number of pages."""
    text, number = search_text(), requested_page()
    total, known = kinds()
    chosen = request.args.get("soort") or None
    kind = next((k for k in known if k["key"] == chosen), None)
    if chosen is not None and kind is None:
        raise NotFound(worded("no_kind", kind=repr(chosen)))
    if text:
        return {"rows": search(text), "q": text, "kinds": known, "kind": kind, "page": 1, "pages": 1,
                "total": total}
    count = kind["organisations"] if kind else total
    pages = max(1, -(-count // PAGE_SIZE))
    if number > pages:
        raise NotFound(worded("organisation_pages", pages=pages))
    rows = register.page(get_store(), number, PAGE_SIZE, current_language(), kind["kind"] if kind else None)
    return {"rows": rows, "q": "", "kinds": known, "kind": kind, "page": number, "pages": pages, "total": total}


def organisation_asked(parameter: str = "org") -> ox.NamedNode | None:
    """The organisation `?org=` names by its identifier (None when not asked), else 400."""
    asked = request.args.get(parameter)
    if not asked:
        return None
    if user_text.identifier(asked) is None:
        raise BadRequest(worded("bad_org_parameter", parameter=parameter))
    return vocab.organisation(base_uri(), asked)
