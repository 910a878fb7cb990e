"""The API's door to the analysis engine (``ecograph.analysis``), every result cached once per dataset version.

While the engine is not importable, graphs still get simple measures (degree and strength) and
communities (seeded Louvain), and the analysis endpoints answer 503 saying so.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from api.cache import ComputeCache
from ecograph.graph import collapse
from ecograph.stores import Store

log = logging.getLogger("ecograph.api")
COMMUNITY_SEED = 7
ENGINE_MEASURES = ("degree", "weighted_degree", "betweenness", "closeness", "pagerank", "core", "constraint",
                   "effective_size")
FIGURES = ("score", "density", "fragmentation", "sector_coverage", "cross_sector_share", "national_ties",
           "gaps_high", "gaps_medium", "gaps_low")
ACTOR_RECOMMENDATIONS = 10


@dataclass(frozen=True)
class GraphAnalysis:
    measures: dict[str, dict[str, float | None]]
    measure_names: list[str]
    communities: dict[str, int]
    recommended: list[dict[str, Any]] = field(default_factory=list)


def engine() -> Any | None:
    """The analysis engine's package, or None while it is not available."""
    try:
        module = importlib.import_module("ecograph.analysis")
    except ImportError:
        return None
    return module if hasattr(module, "region_report") and hasattr(module, "Options") else None


def available() -> bool:
    return engine() is not None


def options(**values: Any) -> Any:
    """The engine's :class:`Options` from the query parameters (lists as tuples, defaults left out)."""
    given = {name: tuple(value) if isinstance(value, list) else value for name, value in values.items()
             if value is not None}
    return engine().Options(**given)  # type: ignore[union-attr]


def report(cache: ComputeCache, store: Store, version: int, region: str | None, chosen: Any = None) -> Any:
    """The engine's :class:`RegionReport` of a region (None: the country), once per version and options."""
    from api import graphs

    chosen = chosen if chosen is not None else options()
    return cache.get(("report", store.url, version, region, chosen),
                     lambda: engine().region_report(graphs.graph(cache, store, version, region), chosen))  # type: ignore[union-attr]


def simple_measures(g: nx.MultiDiGraph) -> GraphAnalysis:
    """Degree (partners), strength (summed tie strength) and seeded Louvain communities, numbered by size."""
    simple = collapse(g)
    measures = {node: {"degree": float(simple.degree(node)), "strength": float(simple.degree(node, weight="weight"))}
                for node in simple}
    groups = nx.community.louvain_communities(simple, weight="weight", seed=COMMUNITY_SEED) if len(simple) else []
    ordered = sorted(groups, key=lambda group: (-len(group), min(group)))
    communities = {node: number for number, group in enumerate(ordered) for node in group}
    return GraphAnalysis(measures, ["degree", "strength"], communities)


def recommendation(opportunity: Any) -> dict[str, Any]:
    details = opportunity.model_dump(exclude={"source", "target", "score", "text_en"})
    return {"source": opportunity.source, "target": opportunity.target, "score": opportunity.score,
            "reason": opportunity.text_en, "details": details}


def graph_analysis(cache: ComputeCache, store: Store, version: int, region: str | None,
                   g: nx.MultiDiGraph) -> GraphAnalysis:
    """Per-actor measures, communities and recommended ties of a graph: the engine's, else simple ones."""

    def compute() -> GraphAnalysis:
        if not available():
            return simple_measures(g)
        try:
            found = report(cache, store, version, region)
        except Exception:  # the graph is still worth drawing; the analysis endpoints report the failure
            log.exception("analysis of %s failed; the graph gets simple measures", region or "the country")
            return simple_measures(g)
        measures = {row.id: {name: getattr(row, name) for name in ENGINE_MEASURES} for row in found.measures}
        communities = {row.id: row.community for row in found.measures}
        return GraphAnalysis(measures, list(ENGINE_MEASURES), communities,
                             [recommendation(item) for item in found.opportunities])

    return cache.get(("graph-analysis", store.url, version, region), compute)


def comparison(cache: ComputeCache, store: Store, version: int, codes: tuple[str, ...] | None = None,
               chosen: Any = None) -> list[Any]:
    """The engine's comparison rows (all regions, or ``codes``), best score first."""
    chosen = chosen if chosen is not None else options()
    return cache.get(("compare", store.url, version, codes, chosen),
                     lambda: engine().compare_regions(store, list(codes) if codes else None, chosen))  # type: ignore[union-attr]


def comparison_figures(cache: ComputeCache, store: Store, version: int) -> dict[str, dict[str, float | None]]:
    """Per region code, the engine's comparison figures; empty while the engine is not available."""
    if not available():
        return {}
    try:
        rows = comparison(cache, store, version)
    except Exception:  # the regions are still worth listing; /compare reports the failure
        log.exception("comparison of the regions failed; /regions lists them without figures")
        return {}
    return {row.region: {name: getattr(row, name) for name in FIGURES} for row in rows}


def actor_recommendations(cache: ComputeCache, store: Store, version: int, actor: Any) -> list[dict[str, Any]]:
    """The ties the engine recommends for ``actor``, from its home region's analysis (the country's for a
    national or international actor); none without the engine."""
    if not available():
        return []

    def compute() -> list[dict[str, Any]]:
        from api import graphs
        from ecograph.analysis.opportunities import opportunities

        found = report(cache, store, version, actor.region)
        simple = collapse(graphs.graph(cache, store, version, actor.region))
        membership = {row.id: row.community for row in found.measures}
        constraint = {row.id: row.constraint for row in found.measures}
        gap_pairs = {frozenset(gap.subject.split("-")) for gap in found.gaps
                     if gap.kind == "weak_sector_pair" and gap.subject}
        if actor.id not in simple:
            return []
        return [recommendation(item) for item in opportunities(simple, membership, constraint, gap_pairs,
                                                               top=ACTOR_RECOMMENDATIONS, actor=actor.id)]

    try:
        return cache.get(("actor-recommendations", store.url, version, actor.id), compute)
    except Exception:  # the actor is still worth showing
        log.exception("recommendations for %s failed", actor.id)
        return []


def what_if(cache: ComputeCache, store: Store, version: int, region: str, chosen: Any, remove: tuple[str, ...],
            add: tuple[tuple[str, str], ...]) -> Any:
    """The region's main figures before and after removing actors and adding ties (KeyError: unknown actor)."""
    from api import graphs

    module = engine()

    def compute() -> Any:
        from ecograph.analysis.report import subset

        simple = collapse(subset(graphs.graph(cache, store, version, region), chosen))
        return module.what_if(simple, remove, add, chosen.k)  # type: ignore[union-attr]

    return cache.get(("what-if", store.url, version, region, chosen, remove, add), compute)
