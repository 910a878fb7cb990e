"""Seeded positions for drawing a graph: the same data always gives the same picture."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

from ecograph.analysis.measures import communities
from ecograph.graph import collapse

LAYOUT_SEED = 20240611
SMALL_GRAPH = 400
"""One spring layout up to this many actors; above, communities are laid out apart."""
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def layout(multigraph: nx.MultiDiGraph) -> tuple[dict[str, tuple[float, float]], str]:
    """Seeded positions in [-1, 1] for every actor, and the name of the method used.

    Up to :data:`SMALL_GRAPH` actors, a force-directed layout of the whole graph (Fruchterman &
    Reingold's springs, ``"spring"``). Above, ``"communities"``: the report's Louvain communities
    (:func:`ecograph.analysis.measures.communities`, seeded), each laid out on its own (springs, or a
    spectral layout above :data:`SMALL_GRAPH`) and placed on a golden-angle spiral, largest in the
    middle, with room in proportion to its size.

    Parameters
    ----------
    multigraph : networkx.MultiDiGraph
        A region's graph as the stores build it.

    Returns
    -------
    positions, method : dict, str
        Actor id → (x, y), centred on 0 and scaled into [-1, 1], rounded to 4 decimals.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("a", "b", weight=1, type="research")
    0
    >>> positions, method = layout(g)
    >>> method, sorted(positions), max(abs(v) for xy in positions.values() for v in xy)
    ('spring', ['a', 'b'], 1.0)

    Notes
    -----
    Springs cost O(iterations × n²) for n actors, so they are kept to communities of at most
    :data:`SMALL_GRAPH` actors; Louvain is about O(m log n). About a fifth of a second for 1,400
    actors; the service computes it once per dataset version and stores it with the analysis.

    References
    ----------
    .. [1] Fruchterman, T. M. J. & Reingold, E. M. (1991). Graph drawing by force-directed placement.
       Software: Practice and Experience 21(11), 1129-1164.
    .. [2] Blondel, V. D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E. (2008). Fast unfolding of
       communities in large networks. J. Stat. Mech. P10008.
    """
    simple = collapse(multigraph)
    if simple.number_of_nodes() <= SMALL_GRAPH:
        return _scaled(_spring(simple)), "spring"
    membership, _ = communities(simple)  # the report's own communities (networkx's Louvain took 156 s at 100,000)
    groups: dict[int, list[str]] = {}
    for node, community in membership.items():
        groups.setdefault(community, []).append(node)
    ordered = sorted((sorted(group) for group in groups.values()), key=lambda group: (-len(group), group[0]))
    positions: dict[str, tuple[float, float]] = {}
    placed = 0.0
    for number, group in enumerate(ordered):
        radius = math.sqrt(len(group))
        distance = math.sqrt(placed + len(group) / 2) * 2.2 if number else 0.0
        angle = number * GOLDEN_ANGLE
        cx, cy = distance * math.cos(angle), distance * math.sin(angle)
        inner = _spring(simple.subgraph(group)) if len(group) <= SMALL_GRAPH else \
            nx.spectral_layout(simple.subgraph(group))
        for node, (x, y) in inner.items():
            positions[node] = (cx + radius * float(x), cy + radius * float(y))
        placed += len(group)
    return _scaled(positions), "communities"


def _spring(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    if graph.number_of_nodes() <= 1:
        return {node: (0.0, 0.0) for node in graph}
    return nx.spring_layout(graph, seed=LAYOUT_SEED, weight="weight", iterations=50)


def _scaled(positions: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Centred on 0 and scaled into [-1, 1], rounded to 4 decimals."""
    if not positions:
        return {}
    xs = [float(x) for x, _ in positions.values()]
    ys = [float(y) for _, y in positions.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    return {node: (round((float(x) - cx) / half, 4), round((float(y) - cy) / half, 4))
            for node, (x, y) in positions.items()}
