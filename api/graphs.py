"""Graphs as the API serves them: cached per dataset version, laid out, measured, filtered and serialised.

Everything expensive (reading the graph, the layout, the measures) is computed once per dataset
version and region and kept in the app's :class:`~api.cache.ComputeCache`; a request then only
filters and serialises, and the serialised bytes are cached too.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from api import analysis
from api.cache import ComputeCache
from ecograph.graph import collapse
from ecograph.stores import Store

LAYOUT_SEED = 20240611
SMALL_GRAPH = 400  # one spring layout up to this many actors; communities laid out apart above
PIXELS = 500  # Cytoscape positions are x and y times this


@dataclass(frozen=True)
class Prepared:
    """A graph and what is computed once for it."""

    graph: nx.MultiDiGraph
    version: int
    positions: dict[str, tuple[float, float]]
    layout: str
    measures: dict[str, dict[str, float | None]]
    measure_names: list[str]
    communities: dict[str, int]
    recommended: list[dict[str, Any]] = field(default_factory=list)


def graph(cache: ComputeCache, store: Store, version: int, region: str | None) -> nx.MultiDiGraph:
    """The region's graph (None: the whole country) as of ``version``; do not modify it."""
    return cache.get(("graph", store.url, version, region), lambda: store.graph(region))


def layout(multigraph: nx.MultiDiGraph) -> tuple[dict[str, tuple[float, float]], str]:
    """Seeded positions in [-1, 1]: the same data always gives the same picture.

    Up to :data:`SMALL_GRAPH` actors, a force-directed (spring) layout of the whole graph. Above,
    where that costs seconds, "communities": seeded Louvain communities, each laid out by springs
    on its own and placed on a golden-angle spiral, largest in the middle, with room in proportion
    to its size (about a fifth of a second for 1,400 actors).
    """
    simple = collapse(multigraph)
    count = simple.number_of_nodes()
    if count <= SMALL_GRAPH:
        return _scaled(_spring(simple)), "spring"
    groups = nx.community.louvain_communities(simple, weight="weight", seed=LAYOUT_SEED)
    groups = sorted((sorted(group) for group in groups), key=lambda group: (-len(group), group[0]))
    positions: dict[str, tuple[float, float]] = {}
    placed = 0.0
    for number, group in enumerate(groups):
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


GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


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


def prepared(cache: ComputeCache, store: Store, version: int, region: str | None) -> Prepared:
    """The graph with its layout, measures, communities and recommended ties, once per version."""

    def compute() -> Prepared:
        g = graph(cache, store, version, region)
        positions, how = layout(g)
        found = analysis.graph_analysis(cache, store, version, region, g)
        return Prepared(g, version, positions, how, found.measures, found.measure_names, found.communities,
                        found.recommended)

    return cache.get(("prepared", store.url, version, region), compute)


def clean(value: Any) -> Any:
    """JSON-safe: NaN and infinities become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def node_record(g: nx.MultiDiGraph, node: str, ready: Prepared) -> dict[str, Any]:
    data = g.nodes[node]
    x, y = ready.positions.get(node, (0.0, 0.0))
    region = g.graph.get("region")
    return {"id": node, **{key: data.get(key) for key in ACTOR_FIELDS},
            "capabilities": list(data.get("capabilities") or []),
            "target_groups": list(data.get("target_groups") or []),
            "illustrative": bool(data.get("illustrative")),
            "local": region is None or data.get("region") == region,
            "community": ready.communities.get(node),
            "measures": {name: clean(value) for name, value in ready.measures.get(node, {}).items()},
            "x": x, "y": y}


ACTOR_FIELDS = ("name", "acronym", "sector", "type", "region", "scope", "website", "description", "source")
TIE_FIELDS = ("type", "weight", "start", "end", "status", "program", "evidence")


def edge_record(source: str, target: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": key, "source": source, "target": target, **{name: data.get(name) for name in TIE_FIELDS},
            "illustrative": bool(data.get("illustrative")), "directed": bool(data.get("directed")),
            "recommended": False, "reason": None}


def recommended_record(item: dict[str, Any]) -> dict[str, Any]:
    return {"id": f"recommended--{item['source']}--{item['target']}", "source": item["source"],
            "target": item["target"], "type": "recommended", "weight": None, "start": None, "end": None,
            "status": None, "program": None, "evidence": None, "illustrative": False, "directed": False,
            "recommended": True, "reason": item.get("reason")}


@dataclass(frozen=True)
class Filters:
    sectors: frozenset[str] = frozenset()
    capabilities: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    recommended: bool = False

    def key(self) -> tuple[Any, ...]:
        return tuple(sorted(self.sectors)), tuple(sorted(self.capabilities)), tuple(sorted(self.statuses)), \
            self.recommended


def payload(ready: Prepared, filters: Filters, nodes: Iterable[str] | None = None) -> dict[str, Any]:
    """Node-link JSON of the prepared graph: actors of the chosen sectors and capabilities, ties of the
    chosen statuses among them, and (if asked) the recommended ties among them."""
    g = ready.graph
    keep = [node for node in (nodes if nodes is not None else g.nodes)
            if (not filters.sectors or g.nodes[node].get("sector") in filters.sectors)
            and (not filters.capabilities or filters.capabilities & set(g.nodes[node].get("capabilities") or []))]
    kept = set(keep)
    edges = [edge_record(u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True)
             if u in kept and v in kept and (not filters.statuses or d.get("status") in filters.statuses)]
    if filters.recommended:
        edges += [recommended_record(item) for item in ready.recommended
                  if item["source"] in kept and item["target"] in kept]
    info = {"region": g.graph.get("region"), "dataset_version": ready.version, "nodes": len(keep),
            "edges": len(edges), "layout": ready.layout, "measures": ready.measure_names}
    return {"directed": True, "multigraph": True, "graph": info,
            "nodes": [node_record(g, node, ready) for node in keep], "edges": edges}


def cytoscape(node_link: dict[str, Any]) -> dict[str, Any]:
    """Node-link JSON as Cytoscape.js elements, positions in pixels."""
    return {"data": node_link["graph"], "directed": True, "multigraph": True, "elements": {
        "nodes": [{"data": node, "position": {"x": round(node["x"] * PIXELS, 1), "y": round(node["y"] * PIXELS, 1)}}
                  for node in node_link["nodes"]],
        "edges": [{"data": edge} for edge in node_link["edges"]]}}


def dumps(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def ego(cache: ComputeCache, store: Store, version: int, actor: str) -> dict[str, Any]:
    """An actor, its partners and every tie among them, laid out on their own; measures from the country."""
    country = prepared(cache, store, version, None)
    members = {actor, *nx.all_neighbors(country.graph, actor)}
    sub = country.graph.subgraph(sorted(members))
    positions, how = layout(sub)
    local = Prepared(sub, version, positions, how, country.measures, country.measure_names, country.communities,
                     [item for item in country.recommended if actor in (item["source"], item["target"])])
    return payload(local, Filters())
