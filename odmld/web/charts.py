"""Charts as server-rendered SVG: readable without JavaScript, with a title and labels for screen readers."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from flask import render_template
from markupsafe import Markup


@dataclass(frozen=True)
class Axis:
    notation: str
    label: str
    maturity: int   # 0..3
    need: int       # 0..2


SIZE, CENTRE, RADIUS = 420, 210, 150


def _point(index: int, count: int, fraction: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return (round(CENTRE + RADIUS * fraction * math.cos(angle), 1),
            round(CENTRE + RADIUS * fraction * math.sin(angle), 1))


def radar_svg(axes: list[Axis], title: str, legend: tuple[str, str, str], *, key: str = "",
              named_by: str | None = None) -> Markup:
    """Maturity (of 3) and need (of 2) per domain on one radar, each scaled to the outer ring; under it
    the legend (maturity, need, then the domains by number and name, as the axes show numbers).
    `key` tells apart radars of one title on a page (the comparison's, one per organisation), and
    `named_by` is the id of the element that names the radar's subject (the figure caption that says
    whose it is, where said() can mark a Dutch name on an English page, as an SVG title cannot)."""
    count = len(axes)
    if count < 3:
        return Markup("")
    rings = [[_point(i, count, level / 3) for i in range(count)] for level in (1, 2, 3)]
    spokes = [(_point(i, count, 1.0), _point(i, count, 1.12), axis) for i, axis in enumerate(axes)]
    maturity = [_point(i, count, axis.maturity / 3) for i, axis in enumerate(axes)]
    need = [_point(i, count, axis.need / 2) for i, axis in enumerate(axes)]
    # the template autoescapes every label, so its output is safe to place in a page as markup
    # ids unique on a page that shows several radars (the comparison)
    ident = "radar-" + hashlib.sha256(f"{key}\n{title}".encode("utf-8")).hexdigest()[:10]
    return Markup(render_template("radar.svg", size=SIZE, centre=CENTRE, rings=rings, spokes=spokes,
                                  maturity=maturity, need=need, title=title, legend=legend, axes=axes,
                                  ident=ident, named_by=named_by, height=SIZE + 86 + 17 * count))
