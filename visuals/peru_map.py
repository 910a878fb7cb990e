"""The home page's map of Peru: each region coloured by a chosen figure, drawn as inline SVG by the server.

The outlines are ``visuals/geo/peru_regions.json`` (INEI's boundaries, MPL-2.0; built by
``scripts/build_peru_map.py``, which documents the projection and the simplification). The page works without
JavaScript: the figure is chosen with ``?map=`` and the server draws it; ``peru_map.js`` only switches between
the figures drawn in advance. A region whose figure is missing is hatched, never coloured as zero.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from ecograph.formats.regions import INEI
from visuals.charts import blend, nice_ticks
from visuals.i18n import Texts

GEO = Path(__file__).parent / "geo" / "peru_regions.json"
FIGURES = ("score", "actors", "internet", "expected")
"""What the map can colour regions by: ecosystem score, actors, household internet access, and the score
against the one expected from internet access (:func:`visuals.charts.against_expected`)."""
CLASSES = 5
DIVERGING = ("#b35806", "#f1a340", "#f7f7f7", "#998ec3", "#542788")
"""Below expected (orange) to above (purple), through white: ColorBrewer's PuOr, safe for colour-blind readers."""
INSET_SIZE = 130
"""Side, in viewBox units, of the enlarged square of Callao and Lima Metropolitana (bottom left, in the ocean)."""


@dataclass(frozen=True)
class Outlines:
    width: int
    height: int
    inset: tuple[float, float, float]  # x, y and side of the square the inset enlarges
    regions: dict[str, str]  # code → SVG path


@cache
def outlines() -> Outlines:
    """The bundled outlines (read once)."""
    drawn = json.loads(GEO.read_text(encoding="utf-8"))
    return Outlines(drawn["width"], drawn["height"], tuple(drawn["inset"]), drawn["regions"])


@dataclass(frozen=True)
class Bin:
    """One class of the legend: values from ``low`` to ``high`` are drawn in ``fill``."""

    low: float
    high: float
    fill: str


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    path: str
    known: bool  # the region is in the data (and so has a page to link to)
    values: dict[str, float | None]  # figure → value (None: missing)
    fills: dict[str, str | None]  # figure → colour (None: hatched)
    texts: dict[str, str]  # figure → the region's name and figure in words (its tooltip and accessible name)


@dataclass(frozen=True)
class PeruMap:
    width: int
    height: int
    inset: tuple[float, float, float]
    inset_size: int
    shapes: list[Shape]
    legends: dict[str, list[Bin]]  # figure → classes (empty when no region has the figure)
    chosen: str

    @property
    def inset_scale(self) -> float:
        return round(self.inset_size / self.inset[2], 4)

    def switch(self) -> dict[str, dict[str, tuple[str | None, str]]]:
        """What ``peru_map.js`` needs to draw another figure: figure → region → (colour or None, text)."""
        return {figure: {shape.code: (shape.fills[figure], shape.texts[figure]) for shape in self.shapes}
                for figure in FIGURES}


def sequential_bins(values: Sequence[float]) -> list[Bin]:
    """Equal classes from 0 to a round number at or above the largest value, light to dark blue.

    >>> [(b.low, b.high) for b in sequential_bins([12, 63])]
    [(0, 20), (20, 40), (40, 60), (60, 80)]
    """
    if not values:
        return []
    edges = nice_ticks(max(values), CLASSES)
    count = len(edges) - 1
    return [Bin(low, high, blend((index + 1) / count)) for index, (low, high)
            in enumerate(pairwise(edges))]


def diverging_bins(values: Sequence[float]) -> list[Bin]:
    """Five classes of one round width (1, 2 or 5 times a power of ten), symmetric around zero and together
    reaching past the largest distance from zero; the middle class (white) holds the values near zero.

    >>> [(b.low, b.high) for b in diverging_bins([-7.5, 3])]
    [(-12.5, -7.5), (-7.5, -2.5), (-2.5, 2.5), (2.5, 7.5), (7.5, 12.5)]
    >>> [b.high for b in diverging_bins([-27.0, 8.0])]
    [-30, -10, 10, 30, 50]
    """
    if not values:
        return []
    least = (max(abs(value) for value in values) or 1) / (CLASSES / 2)
    magnitude = 10 ** math.floor(math.log10(least))
    width = next(k * magnitude for k in (1, 2, 5, 10) if k * magnitude >= least)
    edges = [round(width * (index - CLASSES / 2), 6) for index in range(CLASSES + 1)]
    edges = [int(edge) if float(edge).is_integer() else edge for edge in edges]
    return [Bin(low, high, fill) for (low, high), fill in zip(pairwise(edges), DIVERGING, strict=True)]


def fill_of(value: float | None, bins: Sequence[Bin]) -> str | None:
    """The colour of the class holding ``value`` (the last class holds its upper bound); None when missing.

    >>> bins = [Bin(0, 10, "#a"), Bin(10, 20, "#b")]
    >>> fill_of(10, bins), fill_of(20, bins), fill_of(None, bins)
    ('#b', '#b', None)
    """
    if value is None or not bins:
        return None
    return next((b.fill for b in bins if value < b.high), bins[-1].fill)


def figures_of(row: Mapping[str, Any], expected: Mapping[str, float]) -> dict[str, float | None]:
    """A home-page row's figures, by :data:`FIGURES`."""
    internet = row.get("internet")
    return {"score": row.get("score"), "actors": row.get("actors"),
            "internet": internet["value"] if internet else None, "expected": expected.get(row["code"])}


def shown(figure: str, value: float | None, period: str | None, texts: Texts) -> str:
    """A figure as the map's tooltips say it: one decimal (actors whole, the score against expected signed),
    internet access with its period; "no data" when missing.

    >>> t = Texts("en")
    >>> shown("internet", 57.4, "2020-Q3", t), shown("expected", 3.25, None, t), shown("actors", 32, None, t)
    ('57.4 % (2020-Q3)', '+3.2', '32')
    """
    if value is None:
        return texts("missing")
    if figure == "actors":
        return f"{value:.0f}"
    if figure == "expected":
        return f"{value:+.1f}"
    if figure == "internet":
        return texts("map_internet_value", value=f"{value:.1f}", period=period) if period else f"{value:.1f} %"
    return f"{value:.1f}"


def peru_map(rows: Sequence[Mapping[str, Any]], expected: Mapping[str, float], chosen: str | None,
             texts: Texts) -> PeruMap:
    """Every region of the outlines, coloured by each figure, with the legends; ``chosen`` (one of
    :data:`FIGURES`, else the score) is the one drawn first. A region the data lacks is drawn hatched,
    without a link, and says so."""
    drawn = outlines()
    by_code = {row["code"]: row for row in rows}
    names = dict(INEI)
    values = {code: figures_of(by_code[code], expected) if code in by_code else dict.fromkeys(FIGURES)
              for code in drawn.regions}
    makers: dict[str, Callable[[Sequence[float]], list[Bin]]] = {
        "score": sequential_bins, "actors": sequential_bins, "internet": sequential_bins, "expected": diverging_bins}
    legends = {figure: makers[figure]([v[figure] for v in values.values() if v[figure] is not None])
               for figure in FIGURES}

    def described(code: str, name: str, figure: str) -> str:
        if code not in by_code:
            return texts("map_region_absent", name=name)
        internet = by_code[code].get("internet")
        value = shown(figure, values[code][figure], internet["period"] if internet else None, texts)
        return texts("map_region_value", name=name, figure=texts(f"map_figure_{figure}"), value=value)

    shapes = []
    for code, path in drawn.regions.items():
        name = by_code[code]["name"] if code in by_code else names.get(code, code)
        shapes.append(Shape(code, name, path, code in by_code, values[code],
                            {figure: fill_of(values[code][figure], legends[figure]) for figure in FIGURES},
                            {figure: described(code, name, figure) for figure in FIGURES}))
    return PeruMap(drawn.width, drawn.height, drawn.inset, INSET_SIZE, shapes, legends,
                   chosen if chosen in FIGURES else FIGURES[0])
