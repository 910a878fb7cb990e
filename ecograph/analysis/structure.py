"""The shape of a region's ecosystem: who is there, how dense, how split, how sectors mix."""

from __future__ import annotations

from collections import Counter

import networkx as nx

from ecograph.model import SECTORS

CORE_SECTORS = ("academia", "public", "private")


def local_actors(graph: nx.Graph) -> list[str]:
    """The region's own actors: those whose ``region`` is the graph's (all actors for the whole country)."""
    region = graph.graph.get("region")
    return sorted(n for n, data in graph.nodes(data=True) if region is None or data.get("region") == region)


def fragmentation(graph: nx.Graph) -> float:
    """Share of actors outside the largest component: 0 when all are connected, near 1 when all are apart.

    Cost: O(n + m).

    >>> fragmentation(nx.Graph([(1, 2), (3, 4)]))
    0.5
    """
    n = graph.number_of_nodes()
    if n == 0:
        return 0.0
    return 1 - max(len(c) for c in nx.connected_components(graph)) / n


def mixing(graph: nx.Graph, sectors: tuple[str, ...] = SECTORS) -> dict[str, dict[str, dict[str, float]]]:
    """Ties between each pair of sectors, observed and expected under random mixing.

    Expected counts keep each sector's total tie ends (its degree sum) and mix them at random:
    e_st = D_s D_t / (2m) for s ≠ t and D_s² / (4m) within s (Newman 2003, "Mixing patterns in
    networks"). A ratio well below 1 means the two sectors work together less than chance predicts.
    Cost: O(n + m).
    """
    sector = nx.get_node_attributes(graph, "sector")
    m = graph.number_of_edges()
    ends = Counter()
    for node, degree in graph.degree():
        ends[sector[node]] += degree
    observed = Counter()
    for u, v in graph.edges():
        observed[tuple(sorted((sector[u], sector[v])))] += 1
    table: dict[str, dict[str, dict[str, float]]] = {}
    for s in sectors:
        table[s] = {}
        for t in sectors:
            if m == 0:
                expected = 0.0
            elif s == t:
                expected = ends[s] ** 2 / (4 * m)
            else:
                expected = ends[s] * ends[t] / (2 * m)
            table[s][t] = {"observed": observed[tuple(sorted((s, t)))], "expected": round(expected, 3)}
    return table


def ei_index(graph: nx.Graph) -> tuple[float | None, dict[str, float | None]]:
    """Krackhardt & Stern's (1988) E-I index, overall and per sector: (external − internal) / all ties.

    +1: every tie crosses sectors; −1: every tie stays within a sector. None without ties.
    Cost: O(m).

    >>> g = nx.Graph([(1, 2)]); nx.set_node_attributes(g, {1: "public", 2: "private"}, "sector")
    >>> ei_index(g)[0]
    1.0
    """
    sector = nx.get_node_attributes(graph, "sector")
    external, internal = Counter(), Counter()
    for u, v in graph.edges():
        crossing = sector[u] != sector[v]
        for end in {sector[u], sector[v]}:
            (external if crossing else internal)[end] += 1
    crossing_total = sum(sector[u] != sector[v] for u, v in graph.edges())
    m = graph.number_of_edges()
    overall = (2 * crossing_total - m) / m if m else None
    per_sector: dict[str, float | None] = {}
    for s in sorted(set(sector.values())):
        total = external[s] + internal[s]
        per_sector[s] = (external[s] - internal[s]) / total if total else None
    return overall, per_sector


def sector_assortativity(graph: nx.Graph) -> float | None:
    """Newman's attribute assortativity coefficient by sector (Newman 2003), None when undefined."""
    if graph.number_of_edges() == 0 or len(set(nx.get_node_attributes(graph, "sector").values())) < 2:
        return None
    value = nx.attribute_assortativity_coefficient(graph, "sector")
    return None if value != value else float(value)  # NaN when every tie is of one kind


def triple_linked(graph: nx.Graph, among: list[str] | None = None) -> list[str]:
    """Actors (of ``among``, default all) tied to academia, the public and the private sector alike
    (the "triple helix", Etzkowitz & Leydesdorff 2000): natural conveners. Cost: O(m)."""
    sector = nx.get_node_attributes(graph, "sector")
    return sorted(n for n in (among if among is not None else graph)
                  if set(CORE_SECTORS) <= {sector[p] for p in graph[n]})


def structure(graph: nx.Graph) -> dict[str, object]:
    """The main figures of a region's ecosystem, computed on its own actors and the ties among them,
    plus its ties to actors outside the region and to national ones."""
    own = local_actors(graph)
    inner = graph.subgraph(own)
    region = graph.graph.get("region")
    outside = national = 0
    for u, v in graph.edges():
        if (u in inner) != (v in inner):
            outside += 1
            partner = v if u in inner else u
            national += graph.nodes[partner].get("scope") in ("national", "international")
    overall_ei, per_sector_ei = ei_index(inner)
    components = list(nx.connected_components(inner))
    isolates = sorted(nx.isolates(inner))
    return {
        "region": region,
        "actors": len(own),
        "ties": inner.number_of_edges(),
        "by_sector": dict(sorted(Counter(d["sector"] for _, d in inner.nodes(data=True)).items())),
        "by_type": dict(sorted(Counter(d["type"] for _, d in inner.nodes(data=True)).items())),
        "density": nx.density(inner) if len(own) > 1 else 0.0,
        "components": len(components),
        "fragmentation": fragmentation(inner),
        "isolates": isolates,
        "mixing": mixing(inner),
        "ei_index": overall_ei,
        "ei_by_sector": per_sector_ei,
        "assortativity": sector_assortativity(inner),
        "triple_linked": triple_linked(graph, own),
        "outside_ties": outside,
        "national_ties": national,
        "cross_sector_share": ((overall_ei + 1) / 2) if overall_ei is not None else None,
    }
