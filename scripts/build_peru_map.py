"""Build the home page's map of Peru, ``visuals/geo/peru_regions.json``, from INEI's province boundaries.

    .venv/bin/python scripts/build_peru_map.py [--reference ../shared/reference/geo]

Reads ``peru_provincial_simple.geojson`` (INEI 2007 boundaries, MINAM Geoservidor, simplified GeoJSON of
juaneladio/peru-geojson, MPL-2.0: see ``visuals/geo/README.md`` and ``LICENSE``) and writes one SVG path per
regional unit of ecograph (``data/peru/regions.csv``): the departments ``01``-``25``, with Lima split as INEI
reports it, ``15a`` Lima Metropolitana (province 1501) and ``15b`` Lima Provincias (the other ``15xx``).
The file is committed, so the app never needs the reference folder; running this twice writes identical bytes.

1. dissolve   provinces into regional units: an edge two provinces of one unit share is inside it, dropped
2. arcs       the units' boundaries cut at every point where the neighbours change, so a border two units
              share is one arc, simplified once: neighbours never gap or overlap after simplifying
3. simplify   each arc by Douglas-Peucker, in projected units (:data:`TOLERANCE` of a viewBox unit)
4. project    equirectangular (plate carrée) with true scale on the parallel 9.2° S, Peru's middle latitude:
              x = (lon - west) cos(9.2°), y = north - lat, scaled to :data:`WIDTH` viewBox units
5. write      paths (one absolute point per ring, then relative steps, in tenths; rings filled even-odd), the
              viewBox, the square around Callao and Lima Metropolitana the page enlarges, the projection
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / ".." / "shared" / "reference" / "geo"
OUT = ROOT / "visuals" / "geo" / "peru_regions.json"
WIDTH = 400  # viewBox units across Peru
TOLERANCE = 0.8  # Douglas-Peucker tolerance, in viewBox units (one unit is about 3.5 km: 0.8 is 2.8 km)
MIN_AREA = 1.5  # rings smaller than this (square viewBox units) are left out: islets
STANDARD_PARALLEL = -9.2
INSET = ("07", "15a")  # too small to see or tap at the country's scale: the page repeats them, enlarged

Point = tuple[float, float]
Edge = frozenset[Point]


def unit_of(province: str) -> str:
    """ecograph's regional unit of an INEI province code (``1501`` → ``15a``, ``1502`` → ``15b``, ``0601`` → ``06``)."""
    department = province[:2]
    if department != "15":
        return department
    return "15a" if province == "1501" else "15b"


def rings_of(geometry: dict) -> list[list[Point]]:
    """Every ring (outer and holes) of a GeoJSON Polygon or MultiPolygon, as point lists."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [[(float(x), float(y)) for x, y in ring] for polygon in polygons for ring in polygon]


def dissolve(rings: dict[str, list[list[Point]]]) -> dict[str, Counter[Edge]]:
    """The boundary edges of each unit, given the rings of its parts.

    An edge two parts of one unit share (it appears twice) is inside the unit and dropped; what is left, an
    edge appearing once, is the unit's boundary. Needs parts that share vertices along their common borders,
    as topologically built files do. Cost O(E) for E edges.

    >>> square = [[(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)], [(1, 0), (2, 0), (2, 1), (1, 1), (1, 0)]]
    >>> sorted(tuple(sorted(edge)) for edge in dissolve({"u": square})["u"])  # the middle edge is gone
    [((0, 0), (0, 1)), ((0, 0), (1, 0)), ((0, 1), (1, 1)), ((1, 0), (2, 0)), ((1, 1), (2, 1)), ((2, 0), (2, 1))]
    """
    boundary: dict[str, Counter[Edge]] = {}
    for unit, parts in rings.items():
        edges: Counter[Edge] = Counter(frozenset((a, b)) for ring in parts for a, b in pairwise(ring)
                                       if a != b)
        boundary[unit] = Counter({edge: 1 for edge, count in edges.items() if count % 2})
    return boundary


def loops(edges: Sequence[Edge]) -> list[list[Point]]:
    """Closed rings walking ``edges`` (each used once; at a vertex with four edges, any way on is fine for an
    even-odd fill). Starts at the smallest point left, so the result does not depend on the input order."""
    around: dict[Point, list[Point]] = defaultdict(list)
    for edge in edges:
        a, b = sorted(edge)
        around[a].append(b)
        around[b].append(a)
    for ends in around.values():
        ends.sort()
    used: set[Edge] = set()
    found = []
    for start in sorted(around):
        while any(frozenset((start, end)) not in used for end in around[start]):
            ring, here = [start], start
            while True:
                step = next(end for end in around[here] if frozenset((here, end)) not in used)
                used.add(frozenset((here, step)))
                ring.append(step)
                here = step
                if here == start:
                    break
            found.append(ring)
    return found


def douglas_peucker(points: Sequence[Point], tolerance: float) -> list[Point]:
    """The points of a polyline kept by the Douglas-Peucker algorithm: the end points, and recursively the
    farthest point from the chord while it lies more than ``tolerance`` from it.

    Douglas, D. and Peucker, T. (1973), "Algorithms for the reduction of the number of points required to
    represent a digitized line or its caricature", *Cartographica* 10(2), 112-122. Cost O(n log n) typical,
    O(n²) worst case, for n points (an explicit stack, no recursion limit).

    >>> douglas_peucker([(0, 0), (1, 0.1), (2, -0.1), (3, 5), (4, 6), (5, 7)], 0.5)
    [(0, 0), (2, -0.1), (3, 5), (5, 7)]
    """
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        farthest, distance = first, -1.0
        for index in range(first + 1, last):
            x, y = points[index]
            gap = (abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length if length
                   else math.hypot(x - x1, y - y1))
            if gap > distance:
                farthest, distance = index, gap
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def simplified(boundary: dict[str, Counter[Edge]], tolerance: float) -> dict[str, list[list[Point]]]:
    """Each unit's rings, simplified arc by arc so shared borders stay shared.

    A vertex is a junction when the units owning its boundary edges are not the same for all of them (three
    units meet, or a border reaches the coast) or when it has other than two boundary edges; the boundary
    between two junctions is an arc, simplified once (in one canonical direction) for every unit it bounds.
    A ring with no junction (an island, a unit inside another) is simplified whole from its smallest point.
    """
    owners: dict[Edge, frozenset[str]] = defaultdict(frozenset)
    for unit, edges in boundary.items():
        for edge in edges:
            owners[edge] = owners[edge] | {unit}
    incident: dict[Point, set[Edge]] = defaultdict(set)
    for edge in owners:
        for point in edge:
            incident[point].add(edge)
    junctions = {point for point, edges in incident.items()
                 if len(edges) != 2 or len({owners[edge] for edge in edges}) > 1}
    done: dict[tuple[Point, ...], list[Point]] = {}

    def arc(points: list[Point]) -> list[Point]:
        key = min(tuple(points), tuple(reversed(points)))
        if key not in done:
            done[key] = douglas_peucker(key, tolerance)
        kept = done[key]
        return kept if key == tuple(points) else kept[::-1]

    result: dict[str, list[list[Point]]] = {}
    for unit, edges in sorted(boundary.items()):
        rings = []
        for ring in loops(sorted(edges, key=sorted)):
            cuts = [index for index, point in enumerate(ring[:-1]) if point in junctions]
            if not cuts:
                start = ring.index(min(ring[:-1]))
                ring = ring[start:-1] + ring[:start + 1]
                half = len(ring) // 2
                rings.append(arc(ring[:half + 1])[:-1] + arc(ring[half:]))
                continue
            ring = ring[cuts[0]:-1] + ring[:cuts[0] + 1]
            cuts = [index - cuts[0] for index in cuts] + [len(ring) - 1]
            kept = [ring[0]]
            for begin, end in pairwise(cuts):
                kept += arc(ring[begin:end + 1])[1:]
            rings.append(kept)
        result[unit] = [ring for ring in rings if len(ring) >= 4]
    return result


def area(ring: Sequence[Point]) -> float:
    """The area a closed ring encloses (shoelace formula), whatever its direction.

    >>> area([(0, 0), (2, 0), (2, 1), (0, 1), (0, 0)])
    2.0
    """
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring))) / 2


def path(rings: Sequence[Sequence[Point]]) -> str:
    """An SVG path of closed rings: each starts at an absolute point, then moves relative to the last one, in
    tenths of a viewBox unit (rounded once, so the rounding errors do not add up along the ring).

    >>> path([[(0, 0), (2.04, 0), (2, 1.5), (1.5, 1), (0, 0)]])
    'M0,0l2,0l0,1.5l-.5,-.5z'
    """
    def number(tenths: int) -> str:
        text = f"{tenths / 10:.1f}".removesuffix(".0")
        return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text

    parts = []
    for ring in rings:
        tenths = [(round(x * 10), round(y * 10)) for x, y in ring[:-1]]
        (x0, y0), steps = tenths[0], [f"l{number(b[0] - a[0])},{number(b[1] - a[1])}"
                                      for a, b in pairwise(tenths)]
        parts.append(f"M{number(x0)},{number(y0)}" + "".join(steps) + "z")
    return "".join(parts)


def build(reference: Path) -> dict:
    source = json.loads((reference / "peru_provincial_simple.geojson").read_text(encoding="utf-8"))
    parts: dict[str, list[list[Point]]] = defaultdict(list)
    for feature in source["features"]:
        parts[unit_of(feature["properties"]["FIRST_IDPR"])] += rings_of(feature["geometry"])
    points = [point for rings in parts.values() for ring in rings for point in ring]
    west, east = min(x for x, _ in points), max(x for x, _ in points)
    south, north = min(y for _, y in points), max(y for _, y in points)
    stretch = math.cos(math.radians(STANDARD_PARALLEL))
    scale = WIDTH / ((east - west) * stretch)

    def project(point: Point) -> Point:
        return ((point[0] - west) * stretch * scale, (north - point[1]) * scale)

    projected = {unit: [[project(point) for point in ring] for ring in rings] for unit, rings in parts.items()}
    shapes = simplified(dissolve(projected), TOLERANCE)
    height = math.ceil((north - south) * scale)
    small = [point for unit in INSET for ring in shapes[unit] for point in ring]
    left, top = min(x for x, _ in small), min(y for _, y in small)
    side = max(max(x for x, _ in small) - left, max(y for _, y in small) - top) * 1.3
    middle = (left + max(x for x, _ in small)) / 2, (top + max(y for _, y in small)) / 2
    return {
        "projection": f"equirectangular, true scale at {abs(STANDARD_PARALLEL)}° S; x = (lon + {-west:.4f}) × "
                      f"cos({abs(STANDARD_PARALLEL)}°) × {scale:.4f}, y = ({north:.4f} - lat) × {scale:.4f}",
        "source": "INEI (2007) boundaries, MINAM Geoservidor; simplified GeoJSON of juaneladio/peru-geojson "
                  "(commit 3213eeb), MPL-2.0",
        "tolerance": TOLERANCE,
        "width": WIDTH,
        "height": height,
        "inset": [round(middle[0] - side / 2, 1), round(middle[1] - side / 2, 1), round(side, 1)],
        "regions": {unit: path([ring for ring in rings if area(ring) >= MIN_AREA])
                    for unit, rings in sorted(shapes.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=REFERENCE)
    parser.add_argument("--out", type=Path, default=OUT)
    arguments = parser.parse_args()
    drawn = build(arguments.reference)
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(drawn, ensure_ascii=False, sort_keys=True, indent=0) + "\n",
                             encoding="utf-8")
    print(f"{arguments.out}: {len(drawn['regions'])} regions, {arguments.out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
