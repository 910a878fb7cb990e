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
LOW, HIGH = "#f4f7fb", "#08306b"  # light to dark blue: one hue, readable in grey and by colour-blind people


@dataclass(frozen=True)
class Point:
    code: str
    name: str
    x: float | None
    y: float | None
    cx: float
    cy: float
    label_side: str | None = None  # "start" (name to the right of the point), "end" (to the left) or None

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
    outer: float = LEFT  # where the left "no data" band starts
    band: float = BAND
    gap: float = GAP

    @property
    def without_x(self) -> list[str]:
        return [point.name for point in self.points if point.x is None]

    @property
    def without_y(self) -> list[str]:
        return [point.name for point in self.points if point.y is None]


def nice_ticks(high: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``high``.

    >>> nice_ticks(63)
    [0, 20, 40, 60, 80]
    >>> nice_ticks(0.8)
    [0, 0.2, 0.4, 0.6, 0.8]
    """
    if high <= 0:
        return [0, 1]
    raw = high / (count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [round(i * step, 10) for i in range(math.ceil(high / step - 1e-9) + 1)]
    return [int(v) if float(v).is_integer() else v for v in ticks]


Row = tuple[str, str, float | None, float | None]


def scatter(rows: Sequence[Row], reference: float | None = None) -> Scatter | None:
    """Places (code, name, x, y) rows, and a vertical line at x = ``reference`` (the national figure).

    None when not one row has both figures. Points with both figures are named on the chart where
    the name fits; the others are listed under it (every point also names itself on hover).
    """
    if all(x is None or y is None for _, _, x, y in rows):
        return None
    left, top, right, bottom = LEFT + BAND, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM - BAND
    x_ticks = nice_ticks(max([x for _, _, x, _ in rows if x is not None] + [reference or 0]))
    y_ticks = nice_ticks(max([y for _, _, _, y in rows if y is not None], default=1))

    def at_x(x: float | None) -> float:
        return LEFT + (BAND - GAP) / 2 if x is None else left + (right - left) * x / x_ticks[-1]

    def at_y(y: float | None) -> float:
        return bottom + GAP + (BAND - GAP) / 2 if y is None else bottom - (bottom - top) * y / y_ticks[-1]

    points = _label([Point(code, name, x, y, round(at_x(x), 1), round(at_y(y), 1)) for code, name, x, y in rows])
    return Scatter(points=points, plot=(left, top, right, bottom),
                   reference=None if reference is None else Tick(reference, round(at_x(reference), 1)),
                   x_ticks=[Tick(v, round(at_x(v), 1)) for v in x_ticks],
                   y_ticks=[Tick(v, round(at_y(v), 1)) for v in y_ticks])


def _label(points: list[Point]) -> list[Point]:
    """Name the complete points whose names fit beside them (right, else left), covering no other name or point."""
    taken = [(point.cx - 7, point.cy - 7, point.cx + 7, point.cy + 7) for point in points]
    for index, point in sorted(enumerate(points), key=lambda item: item[1].cy):
        width = CHAR_WIDTH * len(point.name)
        sides = {"start": (point.cx + 8, point.cy - 9, point.cx + 10 + width, point.cy + 4),
                 "end": (point.cx - 10 - width, point.cy - 9, point.cx - 8, point.cy + 4)}
        for side, box in sides.items():
            fits = point.complete and box[0] >= 0 and box[2] <= WIDTH and not any(
                box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3] for other in taken)
            if fits:
                taken.append(box)
                points[index] = replace(point, label_side=side)
                break
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
