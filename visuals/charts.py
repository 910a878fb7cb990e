"""Geometry of the server-drawn SVG charts: the score-vs-internet scatter and the sector mixing heatmap.

The charts are plain SVG written by the templates, so they need no script, print sharply and
weigh a few kilobytes. A missing figure is never drawn as zero: a point without it sits in a
"no data" band beside the axis, drawn hollow.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

WIDTH, HEIGHT = 640, 380
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 16, 78
BAND = 64  # width of the "no data" bands, left of the x axis' start and below the y axis' start
GAP = 6  # between a band and the axis
CHAR_WIDTH = 6.2  # of the 11 px labels, to keep them from overlapping
REFERENCE_WIDTH = 24 * CHAR_WIDTH  # the national figure's label, "Perú 58.4 % (2022-Q4)", kept free of names
LOW, HIGH = "#f4f7fb", "#08306b"  # light to dark blue: one hue, readable in grey and by colour-blind people


@dataclass(frozen=True)
class Label:
    """Where a point's name is written (``x``, ``y``: the start of its baseline) and, when it had to move away
    from the point to fit, the end of the leader line that joins it to the point (the name's nearest corner
    or side)."""

    x: float
    y: float
    leader: tuple[float, float] | None = None


@dataclass(frozen=True)
class Point:
    code: str
    name: str
    x: float | None
    y: float | None
    cx: float
    cy: float
    label: Label | None = None
    period: str | None = None  # of the x figure (internet access), which differs between regions

    @property
    def complete(self) -> bool:
        return self.x is not None and self.y is not None


@dataclass(frozen=True)
class Tick:
    value: float
    at: float


@dataclass(frozen=True)
class Scatter:
    points: list[Point]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    plot: tuple[float, float, float, float]  # left, top, right, bottom of the area with data
    width: int = WIDTH
    height: int = HEIGHT
    reference: Tick | None = None
    reference_period: str | None = None
    fit: tuple[float, float, float, float] | None = None  # x1, y1, x2, y2 of the least-squares line, clipped
    outer: float = LEFT  # where the left "no data" band starts
    band: float = BAND
    gap: float = GAP

    @property
    def without_x(self) -> list[str]:
        return [point.name for point in self.points if point.x is None]

    @property
    def without_y(self) -> list[str]:
        return [point.name for point in self.points if point.y is None]


def nice_ticks(high: float, count: int = 5, low: float = 0) -> list[float]:
    """Round tick values from ``low`` (rounded down to a tick; 0 by default) to at least ``high``, about
    ``count`` of them.

    >>> nice_ticks(63)
    [0, 20, 40, 60, 80]
    >>> nice_ticks(0.8)
    [0, 0.2, 0.4, 0.6, 0.8]
    >>> nice_ticks(76.7, low=38)
    [30, 40, 50, 60, 70, 80]
    """
    if high <= low:
        return [low, low + 1] if low else [0, 1]
    raw = (high - low) / (count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step + 1e-9)
    ticks = [round(i * step, 10) for i in range(first, math.ceil(high / step - 1e-9) + 1)]
    return [int(v) if float(v).is_integer() else v for v in ticks]


Row = tuple[str, str, float | None, float | None]


@dataclass(frozen=True)
class Line:
    """A straight line ``y = intercept + slope * x`` fitted to ``count`` points."""

    intercept: float
    slope: float
    count: int

    def at(self, x: float) -> float:
        return self.intercept + self.slope * x


MIN_FIT = 3
"""Points a line needs before a figure is judged against it: through two points any line fits exactly."""


def least_squares(points: Sequence[tuple[float, float]]) -> Line | None:
    """The ordinary least-squares line through ``points`` (x, y): the line minimising the sum of squared
    vertical distances, slope = cov(x, y) / var(x) and intercept = mean(y) - slope * mean(x).

    None with fewer than :data:`MIN_FIT` points or when every x is the same (no line is defined).
    Source: any statistics text, e.g. Freedman, Pisani and Purves, *Statistics* (4th ed., 2007), ch. 12.
    Cost O(n).

    >>> least_squares([(0, 1), (1, 3), (2, 5)])
    Line(intercept=1.0, slope=2.0, count=3)
    >>> least_squares([(1, 1), (1, 2), (1, 3)]) is None
    True
    """
    if len(points) < MIN_FIT:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if spread == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    return Line(mean_y - slope * mean_x, slope, len(points))


def against_expected(rows: Sequence[Row]) -> tuple[Line | None, dict[str, float]]:
    """Each region's ecosystem score against the score expected from its internet access: the residual
    ``y - (a + b x)`` of the least-squares line of score (y) on internet access (x), fitted to the regions with
    both figures; positive when a region does better than its connectivity predicts. Regions missing either
    figure get none (never zero), and so do all when no line can be fitted (:func:`least_squares`).

    >>> line, residuals = against_expected([("a", "A", 10, 20), ("b", "B", 20, 50), ("c", "C", 30, 50),
    ...                                     ("d", "D", None, 40)])
    >>> round(line.slope, 2), {code: round(value, 2) for code, value in residuals.items()}
    (1.5, {'a': -5.0, 'b': 10.0, 'c': -5.0})
    """
    complete = [(code, x, y) for code, _, x, y in rows if x is not None and y is not None]
    line = least_squares([(x, y) for _, x, y in complete])
    if line is None:
        return None, {}
    return line, {code: y - line.at(x) for code, x, y in complete}


def scatter(rows: Sequence[Row], reference: float | None = None, periods: dict[str, str] | None = None,
            reference_period: str | None = None, fit: Line | None = None) -> Scatter | None:
    """Places (code, name, x, y) rows, a vertical line at x = ``reference`` (the national figure) and the
    fitted line ``fit`` across the points' x range. Each axis runs between round ticks around its figures
    (from zero only when the figures come near it), so the points spread over the chart and their names fit.

    None when not one row has both figures. Every point with both figures is named on the chart
    (:func:`_label`); the others are listed under it (every point also names itself on hover). ``periods``
    gives the period of each region's x figure, shown with it.
    """
    if all(x is None or y is None for _, _, x, y in rows):
        return None
    left, top, right, bottom = LEFT + BAND, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM - BAND
    xs = [x for _, _, x, _ in rows if x is not None] + ([] if reference is None else [reference])
    ys = [y for _, _, _, y in rows if y is not None]
    x_ticks, y_ticks = nice_ticks(max(xs), low=min(xs)), nice_ticks(max(ys), low=min(ys))
    (x0, x1), (y0, y1) = (x_ticks[0], x_ticks[-1]), (y_ticks[0], y_ticks[-1])

    def at_x(x: float | None) -> float:
        return LEFT + (BAND - GAP) / 2 if x is None else left + (right - left) * (x - x0) / (x1 - x0)

    def at_y(y: float | None) -> float:
        return bottom + GAP + (BAND - GAP) / 2 if y is None else bottom - (bottom - top) * (y - y0) / (y1 - y0)

    periods = periods or {}
    reserved = [] if reference is None else [(at_x(reference) + 2, top, at_x(reference) + 6 + REFERENCE_WIDTH,
                                               top + 13)]
    points = _label([Point(code, name, x, y, round(at_x(x), 1), round(at_y(y), 1), period=periods.get(code))
                     for code, name, x, y in rows], (left, top, right, bottom), reserved)
    drawn_fit = None
    if fit is not None:
        both = [x for _, _, x, y in rows if x is not None and y is not None]
        ends = [(x, min(max(fit.at(x), y0), y1)) for x in (min(both), max(both))]
        drawn_fit = tuple(round(value, 1) for x, y in ends for value in (at_x(x), at_y(y)))
    return Scatter(points=points, plot=(left, top, right, bottom),
                   reference=None if reference is None else Tick(reference, round(at_x(reference), 1)),
                   reference_period=reference_period, fit=drawn_fit,  # type: ignore[arg-type]
                   x_ticks=[Tick(v, round(at_x(v), 1)) for v in x_ticks],
                   y_ticks=[Tick(v, round(at_y(v), 1)) for v in y_ticks])


Box = tuple[float, float, float, float]
DIRECTIONS = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1))
"""Where a name is tried around its point: right, left, above, below, then the diagonals."""
REACHES = (0, 12, 24, 36, 52, 72, 96)
"""How far from the point (beyond the point's own margin) a name is tried, nearest first."""


def _overlaps(box: Box, other: Box) -> bool:
    return box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]


def _label(points: list[Point], plot: Box, reserved: Sequence[Box] = ()) -> list[Point]:
    """Name every complete point: each name takes the nearest place around its point (right, left, above,
    below, diagonals, then farther out with a leader line) inside the plot that covers no point and no name
    placed before it (nor a ``reserved`` box); the points are taken from the top of the chart down. A name that
    finds no free place within the largest reach is written right of its point anyway (never dropped).
    Cost O(n² · 56)."""
    left, top, right, bottom = plot
    taken: list[Box] = [*reserved, *((point.cx - 7, point.cy - 7, point.cx + 7, point.cy + 7) for point in points)]
    for index, point in sorted(enumerate(points), key=lambda item: (item[1].cy, item[1].cx)):
        if not point.complete:
            continue
        width, chosen = CHAR_WIDTH * len(point.name), None
        for reach in REACHES:
            for dx, dy in DIRECTIONS:
                x = point.cx + dx * (9 + reach)
                y = point.cy + 4 + dy * (12 + reach)
                start = x - width if dx < 0 else (x - width / 2 if dx == 0 else x)
                box = (start - 1, y - 10, start + width + 1, y + 3)
                inside = box[0] >= left - BAND and box[2] <= right and box[1] >= top and box[3] <= bottom
                if inside and not any(_overlaps(box, other) for other in taken):
                    leader = (round(min(max(point.cx, box[0]), box[2]), 1),
                              round(min(max(point.cy, box[1]), box[3]), 1)) if reach else None
                    chosen = (Label(round(start, 1), round(y, 1), leader), box)
                    break
            if chosen:
                break
        if chosen is None:
            box = (point.cx + 9, point.cy - 6, point.cx + 9 + width, point.cy + 7)
            chosen = (Label(point.cx + 9, point.cy + 4), box)
        taken.append(chosen[1])
        points[index] = replace(point, label=chosen[0])
    return points


@dataclass(frozen=True)
class Cell:
    row: int
    column: int
    count: int
    fill: str
    dark: bool


def heatmap(matrix: Sequence[Sequence[int]]) -> list[Cell]:
    """Cells of a square count matrix, shaded from light (none) to dark blue (the most)."""
    top = max((count for row in matrix for count in row), default=0) or 1
    return [Cell(i, j, count, blend(count / top), count / top > 0.5)
            for i, row in enumerate(matrix) for j, count in enumerate(row)]


def blend(share: float) -> str:
    """The colour ``share`` (0-1) of the way from :data:`LOW` to :data:`HIGH`.

    >>> blend(0), blend(1)
    ('#f4f7fb', '#08306b')
    """
    low, high = (tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in (LOW, HIGH))
    return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(low, high, strict=True))
