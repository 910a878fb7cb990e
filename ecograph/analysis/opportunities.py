"""Bridging opportunities: new collaborations worth proposing, ranked, each with its reasons."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np
import scipy.sparse as sp

from ecograph.analysis.gaps import Phrase, joined, label, lower_label, name, phrase, sentence
from ecograph.analysis.models import Opportunity
from ecograph.analysis.structure import local_actors

WEIGHTS = {"feasibility": 0.4, "impact": 0.4, "complementarity": 0.2}
INTRODUCER_MAX_DEGREE = 200
"""Partners with more ties than this are not used to find candidate pairs: their resource-allocation
share (1/degree) is below 0.005, and walking their neighbourhoods costs degree² pairs."""
POORLY_PLACED = 0.5
"""Burt's constraint above which an actor is considered hemmed in."""
REASONS = ("crosses_sectors", "closes_sector_gap", "joins_communities", "joins_components", "relieves_constraint",
           "complementary", "national")
PAIRS_PER_CHUNK = 200_000


def candidates(graph: nx.Graph, nodes: list[str], own: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    """Untied pairs worth scoring, as positions in ``nodes`` (first < second): a local actor and
    anyone two steps away through a partner of at most ``INTRODUCER_MAX_DEGREE`` ties, plus a hub
    of every other component paired with the largest component's hubs (they share no partner at
    all). Cost: O(Σ_z deg(z)²) over those partners z, as one sparse matrix product."""
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    own = list(own)
    adjacency = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, format="csr")
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    rows = np.array([index[u] for u in own], dtype=np.int64)
    through = sp.diags((degree <= INTRODUCER_MAX_DEGREE).astype(float))
    reach = (adjacency[rows] @ through @ adjacency).tocoo()
    first, second = rows[reach.row], reach.col.astype(np.int64)
    inner = graph.subgraph(own)
    components = sorted(nx.connected_components(inner), key=lambda c: (-len(c), min(c)))
    if len(components) > 1:
        def hubs(c: set[str], k: int) -> list[int]:
            return [index[h] for h in sorted(c, key=lambda node: (-graph.degree(node), node))[:k]]

        extra = np.array([(u, v) for component in components[1:] for u in hubs(component, 1)
                          for v in hubs(components[0], 3)], dtype=np.int64).reshape(-1, 2)
        first, second = np.r_[first, extra[:, 0]], np.r_[second, extra[:, 1]]
    keys = np.unique(np.minimum(first, second) * n + np.maximum(first, second))
    tied = adjacency.tocoo()
    keys = keys[~np.isin(keys, tied.row.astype(np.int64) * n + tied.col)]
    u, v = keys // n, keys % n
    return u[u != v], v[u != v]


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
    (``national``). Every candidate is scored at once with numpy; models and sentences are built
    for the ``top`` pairs only.

    Parameters
    ----------
    graph : networkx.Graph
        A region's collapsed graph (:func:`ecograph.graph.collapse`), actors with ``sector``, ``region``
        and ``capabilities``, ties with ``weight``.
    communities, constraint : dict
        Each actor's community number and Burt's constraint (from the region's measures).
    gap_pairs : set of frozenset
        Sector pairs the region's gaps call weak.
    top : int
        How many opportunities to return.

    Returns
    -------
    list of Opportunity
        Best score first; ties broken by the pair's ids, so the order is deterministic.

    Examples
    --------
    >>> g = nx.Graph()
    >>> for node, sector in (("uni", "academia"), ("gob", "public"), ("emp", "private")):
    ...     g.add_node(node, name=node, sector=sector, region="06", capabilities=[], type="ngo")
    >>> g.add_edge("uni", "gob", weight=3); g.add_edge("gob", "emp", weight=3)
    >>> [(o.source, o.target) for o in opportunities(g, {"uni": 0, "gob": 0, "emp": 0}, {}, top=1)]
    [('emp', 'uni')]

    Notes
    -----
    Candidates are pairs at distance two (they share a partner), plus, where a region is split,
    pairs joining components, with hubs capped: O(Σ deg(z)²) pairs, each scored in O(deg). About 10 s
    on the largest region (36,000 actors with partners) of a 100,000-actor country.

    References
    ----------
    .. [1] Zhou, T., Lü, L. & Zhang, Y.-C. (2009). Predicting missing links via local information.
       The European Physical Journal B 71, 623-630 (the resource-allocation index).
    .. [2] Burt, R. S. (1992). Structural Holes. Harvard University Press (constraint).
    """
    if graph.number_of_nodes() == 0:
        return []
    nodes = sorted(graph)  # positions follow ids, so position order breaks ties by id
    own = local_actors(graph)
    u, v = candidates(graph, nodes, own)
    data = [graph.nodes[node] for node in nodes]
    position = {node: i for i, node in enumerate(nodes)}
    local = np.zeros(len(nodes), dtype=bool)
    local[[position[a] for a in own]] = True
    component = np.full(len(nodes), -1)
    for number, members in enumerate(nx.connected_components(graph.subgraph(own))):
        component[[position[m] for m in members]] = number
    sector_names = sorted({d["sector"] for d in data})
    sector = np.array([sector_names.index(d["sector"]) for d in data], dtype=np.int64)
    scope = np.array([d.get("scope") in ("national", "international") for d in data], dtype=bool)
    outside_region = np.array([d.get("region") is not None for d in data], dtype=bool)
    keep = np.ones(len(u), dtype=bool)
    if actor is not None:
        keep &= (u == position.get(actor, -1)) | (v == position.get(actor, -1))
    if sectors is not None:
        first, second = (sector_names.index(s) if s in sector_names else -1 for s in sectors)
        keep &= (((sector[u] == first) & (sector[v] == second)) | ((sector[u] == second) & (sector[v] == first)))
    is_cross = (~local[u] & outside_region[u]) | (~local[v] & outside_region[v])
    is_national = scope[u] | scope[v]
    if cross_region:
        keep &= is_cross
    if national:
        keep &= is_national
    u, v, is_cross, is_national = u[keep], v[keep], is_cross[keep], is_national[keep]
    feasibility = resource_allocation(graph, nodes, u, v)
    crosses = sector[u] != sector[v]
    gap = np.zeros((len(sector_names), len(sector_names)), dtype=bool)
    for pair in gap_pairs:
        if pair <= set(sector_names) and len(pair) == 2:
            a, b = (sector_names.index(s) for s in pair)
            gap[a, b] = gap[b, a] = True
    closes_gap = crosses & gap[sector[u], sector[v]]
    community = np.array([communities.get(node, -1) for node in nodes])
    joins_communities = community[u] != community[v]
    joins_components = (component[u] >= 0) & (component[v] >= 0) & (component[u] != component[v])
    hemmed = np.array([(constraint.get(node) or 0) > POORLY_PLACED for node in nodes], dtype=bool)
    relieves = hemmed[u] | hemmed[v]
    impact = np.minimum(1.0, 0.3 * crosses + 0.2 * closes_gap + 0.2 * joins_communities + 0.4 * joins_components
                        + 0.2 * relieves)
    gives = _missing_capabilities(data, u, v)
    complementarity = np.minimum(1.0, np.bitwise_count(gives) / 3)
    best = feasibility.max(initial=0) or 1.0
    score = (WEIGHTS["feasibility"] * feasibility / best + WEIGHTS["impact"] * impact
             + WEIGHTS["complementarity"] * complementarity)
    capabilities = sorted({c for d in data for c in d.get("capabilities", [])})
    ranked = []
    # equal scores tie whatever the order of float sums, and then ids decide
    for i in np.lexsort((v, u, -np.round(score, 12)))[:top]:  # models and sentences only for the pairs shown
        a, b = nodes[u[i]], nodes[v[i]]
        shared = sorted(set(graph[a]) & set(graph[b]))
        flags = (crosses[i], closes_gap[i], joins_communities[i], joins_components[i], relieves[i], gives[i],
                 is_national[i])
        reasons = [name for name, flag in zip(REASONS, flags, strict=True) if flag]
        missing = [c for bit, c in enumerate(capabilities) if int(gives[i]) >> bit & 1]
        es, en = _sentences(graph, a, b, shared, reasons, missing)
        ranked.append(Opportunity(source=a, target=b, score=round(float(score[i]), 4),
                                  feasibility=round(float(feasibility[i] / best), 4), impact=round(float(impact[i]), 4),
                                  complementarity=round(float(complementarity[i]), 4), shared_partners=shared,
                                  reasons=reasons, cross_region=bool(is_cross[i]), national=bool(is_national[i]),
                                  text_es=es, text_en=en))
    return ranked


def resource_allocation(graph: nx.Graph, nodes: list[str], u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Resource-allocation index (Zhou, Lü & Zhang 2009) of the pairs (nodes[u[i]], nodes[v[i]]):
    Σ 1/deg(z) over their shared partners z.

    Each shared partner could introduce the pair; partners with few ties count more, since their
    introduction carries more weight. All pairs at once, as row-wise products of adjacency rows,
    in chunks so memory stays bounded. Cost: O(deg(u) + deg(v)) per pair.

    >>> resource_allocation(nx.path_graph(3), [0, 1, 2], np.array([0]), np.array([2])).tolist()
    [0.5]
    """
    adjacency = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, format="csr").astype(float)
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    shares = adjacency @ sp.diags(np.divide(1.0, degree, out=np.zeros_like(degree), where=degree > 0))
    out = np.zeros(len(u))
    for start in range(0, len(u), PAIRS_PER_CHUNK):
        chunk = slice(start, start + PAIRS_PER_CHUNK)
        out[chunk] = np.asarray(shares[u[chunk]].multiply(adjacency[v[chunk]]).sum(axis=1)).ravel()
    return out


def _missing_capabilities(data: list[dict], u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Bit masks (over the sorted capabilities) of what each side offers that the other side's region lacks."""
    capabilities = sorted({c for d in data for c in d.get("capabilities", [])})
    bit = {c: 1 << i for i, c in enumerate(capabilities)}
    offers = np.array([sum(bit[c] for c in d.get("capabilities", [])) for d in data], dtype=np.uint64)
    regions = sorted({d.get("region") for d in data}, key=str)
    region = np.array([regions.index(d.get("region")) for d in data], dtype=np.int64)
    offered = np.zeros(len(regions), dtype=np.uint64)
    np.bitwise_or.at(offered, region, offers)
    return (offers[u] & ~offered[region[v]]) | (offers[v] & ~offered[region[u]])


def _sentences(graph: nx.Graph, u: str, v: str, shared: list[str], reasons: list[str],
               gives: list[str]) -> tuple[str, str]:
    """The Spanish and English sentence of an opportunity: the pair, its main reason, the capabilities it brings."""
    actors = joined([name(graph, u), name(graph, v)])
    if shared:
        introducers = [name(graph, z) for z in shared[:3]]
        pair = phrase("opportunity.introduced", len(introducers), pair=actors, introducers=joined(introducers))
    else:
        pair = phrase("opportunity.no_partner_in_common", pair=actors)
    sector_u, sector_v = graph.nodes[u]["sector"], graph.nodes[v]["sector"]
    reason: Phrase | None = None
    if "joins_components" in reasons:
        reason = phrase("opportunity.joins_components")
    elif "closes_sector_gap" in reasons:
        reason = phrase("opportunity.closes_sector_gap", first=label("sector_the", sector_u),
                        second=label("sector_the", sector_v))
    elif "crosses_sectors" in reasons:
        reason = phrase("opportunity.crosses_sectors", first=label("sector_to", sector_u),
                        second=label("sector_the", sector_v))
    capabilities: Phrase | None = None
    if gives:
        missing = [lower_label("capability", g) for g in gives[:3]]
        capabilities = phrase("opportunity.capabilities" if reason else "opportunity.capabilities_alone",
                              capabilities=lambda texts: ", ".join(part(texts) for part in missing))
    return sentence("opportunity.sentence", pair=pair, reason=reason or "", capabilities=capabilities or "")
