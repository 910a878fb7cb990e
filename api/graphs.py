"""Graphs as the API serves them: the service's prepared graphs, filtered and serialised.

Everything expensive (reading the graph, the layout, the measures) is computed once per dataset
version by :class:`ecograph.service.Service`; a request only filters and serialises, and the
serialised bytes are cached too.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ecograph import writers
from ecograph.analysis.models import Opportunity
from ecograph.history.timeline import RULE, as_of
from ecograph.i18n import both
from ecograph.layout import layout
from ecograph.service import MAP_MEASURES, Prepared, Service

PIXELS = 500  # Cytoscape positions are x and y times this


def recommendation(opportunity: Opportunity) -> dict[str, Any]:
    """An opportunity as the API lists it: the pair, the score, the reason in English and the details."""
    details = opportunity.model_dump(exclude={"source", "target", "score", "text_en"})
    return {"source": opportunity.source, "target": opportunity.target, "score": opportunity.score,
            "reason": opportunity.text_en, "details": details}


def clean(value: Any) -> Any:
    """JSON-safe: NaN and infinities become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def node_record(g: nx.MultiDiGraph, node: str, ready: Prepared, measures: dict[str, dict[str, float | None]],
                communities: dict[str, int]) -> dict[str, Any]:
    data = g.nodes[node]
    x, y = ready.positions.get(node, (0.0, 0.0))
    region = g.graph.get("region")
    return {"id": node, **{key: data.get(key) for key in ACTOR_FIELDS},
            "capabilities": list(data.get("capabilities") or []),
            "target_groups": list(data.get("target_groups") or []),
            "illustrative": bool(data.get("illustrative")),
            "local": region is None or data.get("region") == region,
            "community": communities.get(node),
            "measures": {name: clean(value) for name, value in measures.get(node, {}).items()},
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
    as_of: str | None = None

    def key(self) -> tuple[Any, ...]:
        return tuple(sorted(self.sectors)), tuple(sorted(self.capabilities)), tuple(sorted(self.statuses)), \
            self.recommended, self.as_of


def payload(ready: Prepared, filters: Filters, nodes: Iterable[str] | None = None,
            recommended: Iterable[Opportunity] | None = None) -> dict[str, Any]:
    """Node-link JSON of the prepared graph: actors of the chosen sectors and capabilities, ties of the
    chosen statuses among them, and (if asked) the recommended ties among them; with ``as_of``, only the actors and
    ties in force on that date (:func:`ecograph.history.timeline.as_of`, whose rule the graph's info states)."""
    g = as_of(ready.graph, filters.as_of) if filters.as_of else ready.graph
    keep = [node for node in (nodes if nodes is not None else g.nodes) if node in g
            and (not filters.sectors or g.nodes[node].get("sector") in filters.sectors)
            and (not filters.capabilities or filters.capabilities & set(g.nodes[node].get("capabilities") or []))]
    kept = set(keep)
    edges = [edge_record(u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True)
             if u in kept and v in kept and (not filters.statuses or d.get("status") in filters.statuses)]
    if filters.recommended:
        edges += [recommended_record(recommendation(item))
                  for item in (ready.report.opportunities if recommended is None else recommended)
                  if item.source in kept and item.target in kept]
    measures, communities = ready.measures, ready.communities
    info = {"region": g.graph.get("region"), "dataset_version": ready.version, "nodes": len(keep),
            "edges": len(edges), "layout": ready.layout, "measures": list(MAP_MEASURES)}
    if filters.as_of:
        info |= {"as_of": filters.as_of, "as_of_rule": dict(zip(("es", "en"), both(RULE), strict=True))}
    return {"directed": True, "multigraph": True, "graph": info,
            "nodes": [node_record(g, node, ready, measures, communities) for node in keep], "edges": edges}


def cytoscape(node_link: dict[str, Any]) -> dict[str, Any]:
    """Node-link JSON as Cytoscape.js elements, positions in pixels (the core's conversion, which
    ``ecograph export --format cytoscape`` uses too: :func:`ecograph.writers.cytoscape`)."""
    return writers.cytoscape(node_link)


def dumps(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def ego(service: Service, version: int, actor: str) -> dict[str, Any]:
    """An actor, its partners and every tie among them, laid out on their own; measures from the country."""
    country = service.prepared(version, None)
    members = {actor, *nx.all_neighbors(country.graph, actor)}
    sub = country.graph.subgraph(sorted(members))
    positions, how = layout(sub)
    local = Prepared(sub, version, positions, how, country.report)
    mine = [item for item in country.report.opportunities if actor in (item.source, item.target)]
    return payload(local, Filters(), recommended=mine)
