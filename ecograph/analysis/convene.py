"""Who to convene, who the region cannot lose, and what changes if the ecosystem changes."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from ecograph.analysis.models import ConveningSet, Figures, WhatIf
from ecograph.analysis.structure import ei_index, fragmentation, local_actors

FRAGMENTER_CANDIDATES = 30
"""Greedy fragmenter search tries only this many best-connected actors per step."""


def reach(graph: nx.Graph, chosen: Iterable[str], steps: int = 1) -> set[str]:
    """Actors within ``steps`` ties of any chosen actor, the chosen included. Cost: O(n + m)."""
    reached = set(chosen)
    frontier = set(reached)
    for _ in range(steps):
        frontier = {p for n in frontier for p in graph[n]} - reached
        reached |= frontier
    return reached


def convening_set(graph: nx.Graph, k: int = 5, steps: int = 1) -> tuple[list[str], set[str]]:
    """The k actors who together reach most of the graph within ``steps`` ties, covering every sector.

    Borgatti's (2006) key-player problem KPP-Pos, by the greedy algorithm, which reaches at least
    1 − 1/e of the best possible coverage (Nemhauser, Wolsey & Fisher 1978): add the actor that reaches
    the most actors not yet reached; while the free places are no more than the sectors still missing,
    choose only among actors of missing sectors. Ties break by id. Cost: O(k n (n + m)) worst case.

    >>> convening_set(nx.star_graph(4), k=1)[0]
    [0]
    """
    sector = nx.get_node_attributes(graph, "sector")
    missing = set(sector.values())
    chosen: list[str] = []
    reached: set[str] = set()
    pool = sorted(graph)
    while len(chosen) < min(k, len(pool)):
        options = [n for n in pool if n not in chosen]
        if missing and k - len(chosen) <= len(missing):
            options = [n for n in options if sector.get(n) in missing] or options
        best = max(options, key=lambda n: (len(reach(graph, [n], steps) - reached), -pool.index(n)))
        chosen.append(best)
        reached |= reach(graph, [best], steps)
        missing.discard(sector.get(best))
    return chosen, reached


def borgatti_fragmentation(graph: nx.Graph) -> float:
    """Borgatti's (2006) F: the share of pairs of actors that cannot reach each other.

    F = 1 − Σ_k s_k (s_k − 1) / (n (n − 1)) over component sizes s_k. Cost: O(n + m).

    >>> borgatti_fragmentation(nx.Graph([(1, 2), (3, 4)]))
    0.6666666666666667
    """
    n = graph.number_of_nodes()
    if n < 2:
        return 0.0
    return 1 - sum(len(c) * (len(c) - 1) for c in nx.connected_components(graph)) / (n * (n - 1))


def fragmenters(graph: nx.Graph, k: int = 3) -> tuple[list[str], float]:
    """The k actors whose loss fragments the graph most (KPP-Neg, Borgatti 2006), greedily.

    Each step removes the actor that raises Borgatti's F the most. On regions above
    ``FRAGMENTER_CANDIDATES`` actors only the best-connected candidates are tried, an approximation
    that keeps a step at O(30 (n + m)). Returns the actors and F once they are gone.
    """
    rest = graph.copy()
    removed: list[str] = []
    for _ in range(min(k, graph.number_of_nodes())):
        pool = sorted(rest, key=lambda n: (-rest.degree(n), n))[:FRAGMENTER_CANDIDATES]

        def after(node: str) -> float:
            return borgatti_fragmentation(nx.restricted_view(rest, [node], []))

        best = max(pool, key=lambda n: (after(n), -pool.index(n)))
        rest.remove_node(best)
        removed.append(best)
    return removed, borgatti_fragmentation(rest)


def convene(graph: nx.Graph, k: int = 5, steps: int = 1) -> ConveningSet:
    """The invitation list for a regional coordination table, over the region's own actors."""
    inner = graph.subgraph(local_actors(graph))
    chosen, reached = convening_set(inner, k, steps)
    broken, left = fragmenters(inner, min(k, 3))
    n = inner.number_of_nodes()
    return ConveningSet(actors=chosen, steps=steps, reached=len(reached), reach_share=len(reached) / n if n else 0.0,
                        sectors_covered=sorted({inner.nodes[a]["sector"] for a in chosen}),
                        fragmenters=broken, fragmentation_without=round(left, 4))


def figures(graph: nx.Graph, k: int = 5) -> Figures:
    inner = graph.subgraph(local_actors(graph))
    _, reached = convening_set(inner, k)
    n = inner.number_of_nodes()
    return Figures(components=nx.number_connected_components(inner) if n else 0,
                   fragmentation=round(fragmentation(inner), 4), ei_index=ei_index(inner)[0],
                   reach_share=round(len(reached) / n, 4) if n else 0.0)


def what_if(graph: nx.Graph, remove: Iterable[str] = (), add: Iterable[tuple[str, str]] = (),
            k: int = 5) -> WhatIf:
    """The region's main figures before and after removing actors and adding ties (weight 3)."""
    remove, add = sorted(set(remove)), sorted(add)
    unknown = [n for n in [*remove, *(n for pair in add for n in pair)] if n not in graph]
    if unknown:
        raise KeyError(f"no actor {unknown[0]!r} in this region's graph")
    changed = graph.copy()
    changed.remove_nodes_from(remove)
    changed.add_edges_from(((u, v) for u, v in add if u not in remove and v not in remove), weight=3)
    return WhatIf(removed=remove, added=add, before=figures(graph, k), after=figures(changed, k))
