"""5-star open data (5stardata.info), rated from a distribution's metadata.

Each star needs the ones before it: 1 on the web under an open licence; 2 machine-readable structured
data; 3 a non-proprietary format; 4 RDF (URIs to denote things); 5 RDF linked to other data. For each
star the rating says whether it is met and, if not, why.
"""

from __future__ import annotations

from dataclasses import dataclass

OPEN_LICENCES = frozenset({
    "https://creativecommons.org/licenses/by/4.0/", "https://creativecommons.org/licenses/by-sa/4.0/",
    "https://creativecommons.org/publicdomain/zero/1.0/", "http://creativecommons.org/licenses/by/4.0/",
    "https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0",
    "https://opendatacommons.org/licenses/odbl/1-0/", "https://opendatacommons.org/licenses/by/1-0/",
    "https://opendatacommons.org/licenses/pddl/1-0/",
})
# media type -> (structured, open format, RDF)
FORMATS = {
    "application/pdf": (False, True, False),
    "image/png": (False, True, False), "image/jpeg": (False, True, False), "text/html": (False, True, False),
    "application/vnd.ms-excel": (True, False, False),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (True, False, False),
    "application/msword": (False, False, False),
    "text/csv": (True, True, False), "application/json": (True, True, False),
    "application/xml": (True, True, False), "text/tab-separated-values": (True, True, False),
    "application/vnd.oasis.opendocument.spreadsheet": (True, True, False),
    "application/geo+json": (True, True, False),
    "text/turtle": (True, True, True), "application/ld+json": (True, True, True),
    "application/rdf+xml": (True, True, True), "application/n-triples": (True, True, True),
    "application/n-quads": (True, True, True), "application/trig": (True, True, True),
}
EXTENSIONS = {"pdf": "application/pdf", "xls": "application/vnd.ms-excel",
              "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "csv": "text/csv", "json": "application/json", "xml": "application/xml",
              "ods": "application/vnd.oasis.opendocument.spreadsheet", "ttl": "text/turtle",
              "jsonld": "application/ld+json", "rdf": "application/rdf+xml", "nt": "application/n-triples",
              "png": "image/png", "jpg": "image/jpeg", "html": "text/html", "doc": "application/msword"}


@dataclass(frozen=True)
class Star:
    number: int
    met: bool
    reason_nl: str
    reason_en: str


@dataclass(frozen=True)
class Rating:
    stars: int
    checks: tuple[Star, ...]


def media_type_of(format_or_media: str) -> str:
    """A media type from a media type, a file extension or a file name."""
    value = format_or_media.strip().lower().split(";")[0]
    value = value.removeprefix("https://www.iana.org/assignments/media-types/")
    value = value.removeprefix("http://www.iana.org/assignments/media-types/")
    if "/" in value and not value.startswith("http"):
        return value
    return EXTENSIONS.get(value.rsplit(".", 1)[-1], value)


def rate(format_or_media: str, licence: str | None, links_to_other_data: bool = False) -> Rating:
    media = media_type_of(format_or_media)
    structured, open_format, rdf = FORMATS.get(media, (False, False, False))
    conditions = [
        (licence is not None and licence.strip() in OPEN_LICENCES,
         "geen open licentie", "no open licence"),
        (structured, f"{media} is geen machineleesbare gestructureerde data",
         f"{media} is not machine-readable structured data"),
        (open_format, f"{media} is een gesloten formaat", f"{media} is a proprietary format"),
        (rdf, f"{media} gebruikt geen URI's om dingen aan te duiden (geen RDF)",
         f"{media} does not use URIs to denote things (not RDF)"),
        (links_to_other_data, "de data linkt niet naar andere data", "the data does not link to other data"),
    ]
    checks, earned, still = [], 0, True
    for number, (ok, why_nl, why_en) in enumerate(conditions, start=1):
        met = still and ok
        if not ok:
            reason = (why_nl, why_en)
        elif not still:
            reason = (f"ster {number - 1} ontbreekt", f"star {number - 1} is missing")
        else:
            reason = ("", "")
        checks.append(Star(number, met, *reason))
        if met:
            earned = number
        still = met
    return Rating(stars=earned, checks=tuple(checks))
