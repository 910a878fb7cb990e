"""What each page shows, gathered from the API's cached graphs and summaries into plain template context."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from ecograph.analysis import ComparisonRow, RegionReport
from ecograph.model import Region
from visuals import charts, insights
from visuals.i18n import Texts
from visuals.network import (
    COMMUNITY_MAP_LIMIT,
    MAP_MEASURE,
    Recommendation,
    build_network,
    community_data,
    community_network,
    graph_data,
    legend,
)

KEY_MEASURES = (MAP_MEASURE, "betweenness", "closeness", "pagerank", "constraint")
"""The measures the key actors' technical details show (the first also sizes the region map)."""


def graph_texts(texts: Texts, regions: Iterable[Region]) -> dict[str, Any]:
    """The labels graph.js needs for tooltips, in the page's language."""
    ui = {key: texts(key) for key in ("sector", "type", "capabilities", "programs", "strength", "illustrative",
                                      "not_found", "national")}
    ui |= {"region": texts("home_region"), "recommended": texts("legend_dashed"),
           "size": texts("legend_size", measure="{measure}"),
           "community_found": texts("community.found", actor="{actor}", community="{community}"),
           "community_open": texts("community.open"), "ties_inside": texts("community.ties_inside"),
           "local": texts("community.local"), "between": texts("community.between")}
    return {"lang": texts.lang, "ui": ui, "regions": {r.code: r.name for r in regions},
            **{kind: texts.labels(kind) for kind in ("sector", "type", "capability", "tie_type", "status", "measure")}}


def actor_view(graph: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    """An actor of the graph as the templates use it: id, name, sector and the rest of its fields."""
    return {"id": node, **graph.nodes[node]}


def ego(country: nx.MultiDiGraph, actor: str, suggested: Iterable[insights.Opportunity] = ()) -> nx.MultiDiGraph:
    """An actor, its partners (and the ones suggested for it) and every tie among them, from the country graph."""
    members = {actor, *nx.all_neighbors(country, actor)}
    members |= {end for tie in suggested for end in (tie.source, tie.target) if end in country}
    return country.subgraph(sorted(members))


def recommendations(opportunities: Iterable[insights.Opportunity]) -> list[Recommendation]:
    """Opportunities as dashed ties for the map."""
    return [Recommendation(tie.source, tie.target, tie.reason.es, tie.reason.en) for tie in opportunities]


def findings_context(found: insights.RegionInsights) -> dict[str, Any]:
    """What ``_findings.html`` needs beyond the findings: the measure columns and the heatmap cells."""
    return {"key_measures": KEY_MEASURES, "cells": charts.heatmap(found.mixing.counts) if found.mixing else []}


def map_context(graph: nx.MultiDiGraph, measures: Mapping[str, Mapping[str, float | None]], measure: str | None,
                recommended: Sequence[Recommendation] = (), region: str | None = None,
                layout: Mapping[str, tuple[float, float]] | None = None, focus: str | None = None) -> dict[str, Any]:
    """Context for ``_graph.html``: the network data, its legend and the measures one can size by.

    A graph without a ``layout`` gets a seeded one (:func:`ecograph.layout.layout`).
    """
    names = sorted({name for node in graph for name, value in measures.get(node, {}).items()
                    if isinstance(value, int | float)}, key=_measure_order)
    chosen = measure if measure in names else (names[0] if names else MAP_MEASURE)
    data = graph_data(build_network(graph, measures, chosen, recommended, region, layout), chosen)
    data["focus"] = focus
    return {"graph": data, "graph_json": page_json(data), "legend": legend(data["sectors"], data["families"]),
            "measure_names": names}


def opens_on_communities(graph: nx.MultiDiGraph) -> bool:
    """Whether a region's map shows its communities rather than its actors: above
    :data:`visuals.network.COMMUNITY_MAP_LIMIT` actors."""
    return graph.number_of_nodes() > COMMUNITY_MAP_LIMIT


def community_map_context(graph: nx.MultiDiGraph, report: RegionReport) -> dict[str, Any]:
    """Context for ``_graph.html`` with the map of a region's communities (one node per named community of
    ``report``, sized by its actors, joined by the number of ties between them)."""
    membership = {row.id: row.community for row in report.measures}
    data = community_data(community_network(graph, report.communities, membership), graph, membership)
    return {"graph": data, "graph_json": page_json(data), "legend": legend(data["sectors"], []),
            "measure_names": []}


def community_maps(graph: nx.MultiDiGraph, report: RegionReport, measures: Mapping[str, Mapping[str, float | None]],
                   recommended: Sequence[Recommendation], region: str | None) -> dict[int, dict[str, Any]]:
    """Each community's own map (:func:`map_context` of its actors and the ties among them, laid out on their
    own: the same positions whenever that subgraph is drawn), by community number; the recommended ties drawn
    are those between two of its actors."""
    members: dict[int, list[str]] = {}
    for row in report.measures:
        members.setdefault(row.community, []).append(row.id)
    maps = {}
    for number, group in sorted(members.items()):
        own = graph.subgraph(group)
        inside = set(group)
        maps[number] = map_context(own, measures, None, [tie for tie in recommended
                                                          if tie.source in inside and tie.target in inside],
                                   region)
    return maps


def page_json(data: Any) -> Markup:
    """``data`` as JSON safe inside a page's ``<script type="application/json">`` (as Jinja's ``tojson``
    writes it), serialised once so a stored map is never serialised again."""
    return htmlsafe_json_dumps(data, sort_keys=True, separators=(",", ":"))


def stored_map(context: Mapping[str, Any]) -> dict[str, Any]:
    """A map context to store: the JSON of the drawing, and its figures without the node and edge lists."""
    graph = context["graph"]
    figures = {key: value for key, value in graph.items() if key not in ("nodes", "edges")}
    return {**context, "graph": {**figures, "nodes": len(graph["nodes"]), "edges": len(graph["edges"])},
            "graph_json": str(context["graph_json"])}


def loaded_map(stored: Mapping[str, Any]) -> dict[str, Any]:
    """A stored map context, ready for the templates again."""
    return {**stored, "graph_json": Markup(stored["graph_json"])}


def sectors_of(graph: nx.MultiDiGraph, sectors: str | None) -> nx.MultiDiGraph:
    """Only the actors of the comma-separated ``sectors`` (all of them when None or empty)."""
    if not sectors:
        return graph
    wanted = set(sectors.split(","))
    return graph.subgraph([node for node, sector in graph.nodes(data="sector") if sector in wanted])


def scored(summary: Mapping[str, Any], row: ComparisonRow | None) -> dict[str, Any]:
    """A region summary of the API with the engine's ecosystem score and gap count (None without a row)."""
    gaps = row.gaps_high + row.gaps_medium + row.gaps_low if row else None
    return {**summary, "score": row.score if row else None, "gaps": gaps, "gaps_high": row.gaps_high if row else None}


def figure_rows(rows: Sequence[ComparisonRow | None]) -> list[tuple[str, list[float | None]]]:
    """The engine's comparison figures of some regions: (figure, one value per region) rows."""
    return [(name, [getattr(row, name) if row else None for row in rows]) for name in insights.COMPARISON_FIGURES]


def _measure_order(name: str) -> tuple[int, str]:
    known = list(Texts().labels("measure"))
    return (known.index(name) if name in known else len(known), name)


def provenance(value: str | None, texts: Texts) -> str:
    """Where a record comes from, in words: a survey campaign (who answered, when) or the text as stored.

    >>> provenance("campaign:cajamarca-2025;respondent:gore,unc;2025-03-04", Texts("es"))
    'Encuesta cajamarca-2025: respondieron gore, unc (2025-03-04)'
    """
    if not value:
        return ""
    parts = dict(part.split(":", 1) for part in value.split(";") if ":" in part)
    if "campaign" not in parts:
        return value
    day = value.rsplit(";", 1)[-1]
    return texts("provenance_campaign", campaign=parts["campaign"],
                 respondents=", ".join(parts.get("respondent", "").split(",")), day=day)
