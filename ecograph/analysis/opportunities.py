"""Bridging opportunities: new collaborations worth proposing, ranked, each with its reasons."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from ecograph.analysis.gaps import SECTOR_EN, SECTOR_ES
from ecograph.analysis.models import Opportunity
from ecograph.analysis.structure import local_actors

WEIGHTS = {"feasibility": 0.4, "impact": 0.4, "complementarity": 0.2}
INTRODUCER_MAX_DEGREE = 200
"""Partners with more ties than this are not used to find candidate pairs: their resource-allocation
share (1/degree) is below 0.005, and walking their neighbourhoods costs degree² pairs."""
POORLY_PLACED = 0.5
"""Burt's constraint above which an actor is considered hemmed in."""


def resource_allocation(graph: nx.Graph, u: str, v: str) -> tuple[float, list[str]]:
    """Resource-allocation index (Zhou, Lü & Zhang 2009): Σ 1/deg(z) over shared partners z.

    Each shared partner could introduce the pair; partners with few ties count more, since their
    introduction carries more weight. Cost: O(deg(u) + deg(v)).

    >>> resource_allocation(nx.path_graph(3), 0, 2)
    (0.5, [1])
    """
    shared = sorted(set(graph[u]) & set(graph[v]))
    return sum(1 / graph.degree(z) for z in shared), shared


def candidates(graph: nx.Graph, own: Iterable[str]) -> set[tuple[str, str]]:
    """Untied pairs worth scoring: a local actor and anyone two steps away, plus a hub of every
    other component paired with the largest component's hubs (they share no partner at all)."""
    pairs: set[tuple[str, str]] = set()
    own = list(own)
    for u in own:
        for z in graph[u]:
            if graph.degree(z) > INTRODUCER_MAX_DEGREE:
                continue
            for v in graph[z]:
                if v != u and not graph.has_edge(u, v):
                    pairs.add((min(u, v), max(u, v)))
    inner = graph.subgraph(own)
    components = sorted(nx.connected_components(inner), key=lambda c: (-len(c), min(c)))
    if len(components) > 1:
        def hubs(c: set[str], k: int) -> list[str]:
            return sorted(c, key=lambda n: (-graph.degree(n), n))[:k]

        for component in components[1:]:
            for u in hubs(component, 1):
                for v in hubs(components[0], 3):
                    pairs.add((min(u, v), max(u, v)))
    return pairs


def opportunities(graph: nx.Graph, communities: dict[str, int], constraint: dict[str, float | None],
                  gap_pairs: set[frozenset[str]] = frozenset(), *, top: int = 20, actor: str | None = None,
                  sectors: tuple[str, str] | None = None, cross_region: bool = False,
                  national: bool = False) -> list[Opportunity]:
    """Recommended new ties, best first.

    score = 0.4 feasibility + 0.4 impact + 0.2 complementarity, each in [0, 1]:

    - feasibility: resource-allocation index of the pair over the best pair's (shared partners who
      can introduce them);
    - impact: +0.3 crosses sectors, +0.2 more if that sector pair is a gap of the region, +0.2 joins two
      communities, +0.4 joins two components, +0.2 relieves a poorly placed actor (constraint > 0.5),
      capped at 1;
    - complementarity: capabilities one side has that the other side's region lacks, 3 or more = 1.

    Filters: only pairs with ``actor``; only pairs across the sector pair ``sectors``; only pairs
    whose partner is from another region (``cross_region``) or a national/international actor
    (``national``). Cost: O(Σ deg(z)²) candidate pairs, each scored in O(deg).
    """
    own = local_actors(graph)
    component = {n: i for i, c in enumerate(nx.connected_components(graph.subgraph(own))) for n in c}
    offered_in: dict[str | None, set[str]] = {}
    for _node, data in graph.nodes(data=True):
        offered_in.setdefault(data.get("region"), set()).update(data.get("capabilities", []))
    scored = []
    for u, v in candidates(graph, own):
        if actor is not None and actor not in (u, v):
            continue
        a, b = graph.nodes[u], graph.nodes[v]
        if sectors is not None and {a["sector"], b["sector"]} != set(sectors):
            continue
        outside = [n for n in (u, v) if n not in component]
        is_cross = bool(outside) and any(graph.nodes[n].get("region") is not None for n in outside)
        is_national = any(graph.nodes[n].get("scope") in ("national", "international") for n in (u, v))
        if (cross_region and not is_cross) or (national and not is_national):
            continue
        feasibility, shared = resource_allocation(graph, u, v)
        reasons = []
        impact = 0.0
        if a["sector"] != b["sector"]:
            impact += 0.3
            reasons.append("crosses_sectors")
            if frozenset((a["sector"], b["sector"])) in gap_pairs:
                impact += 0.2
                reasons.append("closes_sector_gap")
        if communities.get(u) != communities.get(v):
            impact += 0.2
            reasons.append("joins_communities")
        if u in component and v in component and component[u] != component[v]:
            impact += 0.4
            reasons.append("joins_components")
        if max(constraint.get(u) or 0, constraint.get(v) or 0) > POORLY_PLACED:
            impact += 0.2
            reasons.append("relieves_constraint")
        gives = (set(a.get("capabilities", [])) - offered_in.get(b.get("region"), set())) | (
            set(b.get("capabilities", [])) - offered_in.get(a.get("region"), set()))
        complementarity = min(1.0, len(gives) / 3)
        if gives:
            reasons.append("complementary")
        if is_national:
            reasons.append("national")
        scored.append((u, v, feasibility, min(1.0, impact), complementarity, shared, reasons, is_cross,
                       is_national, sorted(gives)))
    best = max((s[2] for s in scored), default=0) or 1.0

    def score(item: tuple) -> float:  # type: ignore[type-arg]
        return (WEIGHTS["feasibility"] * item[2] / best + WEIGHTS["impact"] * item[3]
                + WEIGHTS["complementarity"] * item[4])

    scored.sort(key=lambda item: (-score(item), item[0], item[1]))
    ranked = []
    for item in scored[:top]:  # models and sentences only for the pairs shown
        u, v, feasibility, impact, complementarity, shared, reasons, is_cross, is_national, gives = item
        es, en = _sentences(graph, u, v, shared, reasons, gives)
        ranked.append(Opportunity(source=u, target=v, score=round(score(item), 4),
                                  feasibility=round(feasibility / best, 4), impact=round(impact, 4),
                                  complementarity=round(complementarity, 4), shared_partners=shared,
                                  reasons=reasons, cross_region=is_cross, national=is_national, text_es=es,
                                  text_en=en))
    return ranked


def _sentences(graph: nx.Graph, u: str, v: str, shared: list[str], reasons: list[str],
               gives: list[str]) -> tuple[str, str]:
    def name(n: str) -> str:
        return graph.nodes[n].get("acronym") or graph.nodes[n]["name"]

    es = f"{name(u)} y {name(v)} podrían colaborar"
    en = f"{name(u)} and {name(v)} could work together"
    if shared:
        introducers = ", ".join(name(z) for z in shared[:3])
        es += f": {introducers} puede{'n' if len(shared) > 1 else ''} presentarlos"
        en += f": {introducers} can introduce them"
    else:
        es += ", aunque aún no comparten ningún socio"
        en += ", though they share no partner yet"
    sector_u, sector_v = graph.nodes[u]["sector"], graph.nodes[v]["sector"]
    if "joins_components" in reasons:
        es += "; uniría dos partes del ecosistema que hoy no se conectan"
        en += "; it would join two parts of the ecosystem that are not connected today"
    elif "closes_sector_gap" in reasons:
        es += f"; cerraría la brecha entre {SECTOR_ES[sector_u]} y {SECTOR_ES[sector_v]}"
        en += f"; it closes the gap between {SECTOR_EN[sector_u]} and {SECTOR_EN[sector_v]}"
    elif "crosses_sectors" in reasons:
        es += f"; vincularía a {SECTOR_ES[sector_u]} con {SECTOR_ES[sector_v]}".replace(" a el ", " al ")
        en += f"; it links {SECTOR_EN[sector_u]} with {SECTOR_EN[sector_v]}"
    if gives:
        listed = ", ".join(g.replace("_", " ") for g in gives[:3])
        es += f" y aportaría capacidades que faltan ({listed})"
        en += f" and brings missing capabilities ({listed})"
    return es + ".", en + "."
