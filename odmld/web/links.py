"""The one way a page links to an IRI: `link(iri, text)` in every template.

A store may hold any IRI, `javascript:` and `data:` ones included (a city once could submit them as a
landing page, and a file may be loaded by hand). A page must never hand one of those to the browser as
a link, as clicking it runs script in the site's origin. So a link is made only to our own IRIs (as a
path on this site, whose /id/ path 303s to /doc/) and to http, https and mailto IRIs; anything else is
shown as text. The shapes refuse such IRIs in submissions; this holds whatever the store already has.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .. import vocab
from .db import base_uri

LINKABLE_SCHEMES = ("http://", "https://", "mailto:")


def safe_href(iri: str) -> str | None:
    """Where a link to `iri` may point, or None when a page must show it as text."""
    path = vocab.local_path(base_uri(), iri)
    if path is not None and not path.startswith("/"):
        return "/" + path
    if iri.lower().startswith(LINKABLE_SCHEMES):
        return iri
    return None


def link(iri: str, text: object = None, **attributes: str) -> Markup:
    """`<a href=...>text</a>` for an IRI a browser may follow; else the text alone (the IRI by default),
    escaped. Attributes (title=, rel=, hreflang=) are escaped as well."""
    shown = iri if text is None else text
    href = safe_href(iri)
    if href is None:
        return escape(shown)
    extra = Markup("").join(Markup(' {}="{}"').format(name.rstrip("_"), value)
                            for name, value in attributes.items())
    return Markup('<a href="{}"{}>{}</a>').format(href, extra, shown)
