"""Bridging opportunities: new collaborations worth proposing, ranked, each with its reasons."""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from ecograph.analysis.gaps import Phrase, joined, label, lower_label, name, phrase, sentence
from ecograph.analysis.models import Opportunity
from ecograph.analysis.structure import local_actors
from ecograph.graph import adjacency_matrix

WEIGHTS = {"feasibility": 0.4, "impact": 0.4, "complementarity": 0.2}
INTRODUCER_MAX_DEGREE = 200
"""Partners with more ties than this are not used to find candidate pairs: their resource-allocation
share (1/degree) is below 0.005, and walking their neighbourhoods costs degree² pairs."""
POORLY_PLACED = 0.5
"""Burt's constraint above which an actor is considered hemmed in."""
REASONS = ("crosses_sectors", "closes_sector_gap", "joins_communities", "joins_components", "relieves_constraint",
           "complementary", "national")
PAIRS_PER_CHUNK = 200_000


def local_components(adjacency: sp.csr_array, local: np.ndarray) -> np.ndarray:
    """Component number of each actor in the ties among the ``local`` positions; -1 for the others.

    Components are numbered from 0 by decreasing size, then by smallest position. Cost: O(n + m).

    >>> local_components(adjacency_matrix(nx.Graph([(0, 1), (2, 3)]), [0, 1, 2, 3]), np.array([0, 2, 3])).tolist()
    [1, -1, 0, 0]
    """
    component = np.full(adjacency.shape[0], -1)
    if len(local) == 0:
        return component
    count, labels = connected_components(adjacency[local][:, local], directed=False)
    sizes = np.bincount(labels, minlength=count)
    smallest = np.full(count, np.iinfo(np.int64).max)
    np.minimum.at(smallest, labels, local)
    order = np.lexsort((smallest, -sizes))
    number = np.empty(count, dtype=np.int64)
    number[order] = np.arange(count)
    component[local] = number[labels]
    return component


def candidates(adjacency: sp.csr_array, local: np.ndarray,
               component: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Untied pairs worth scoring, as positions (first < second), with their resource-allocation index.

    The pairs: a local actor and anyone two steps away through a partner of at most
    ``INTRODUCER_MAX_DEGREE`` ties, plus a hub of every other component (:func:`local_components`)
    paired with the largest component's three hubs (they share no partner at all). Hubs are the actors
    with most ties, the smallest position first among equals.

    The index (Zhou, Lü & Zhang 2009) of a pair u, v is Σ 1/deg(z) over their shared partners z: each
    could introduce them, and partners with few ties count more. The same sparse product that finds
    the pairs sums it over the partners of at most ``INTRODUCER_MAX_DEGREE`` ties; the few partners with
    more are added pair by pair (:func:`resource_allocation`).

    Cost: O(Σ_z deg(z)²) over the partners z of at most ``INTRODUCER_MAX_DEGREE`` ties, as one sparse
    matrix product, then O(h) per pair for the h partners above it.

    A path 0 – 1 – 2 and a tie 3 – 4: 0 and 2 are two steps apart (through 1, of two ties), and 3, the
    hub of the second component, is paired with the first one's three hubs.

    >>> a = adjacency_matrix(nx.Graph([(0, 1), (1, 2), (3, 4)]), [0, 1, 2, 3, 4])
    >>> u, v, index = candidates(a, np.arange(5), local_components(a, np.arange(5)))
    >>> sorted(zip(u.tolist(), v.tolist(), index.tolist()))
    [(0, 2, 0.5), (0, 3, 0.0), (1, 3, 0.0), (2, 3, 0.0)]
    """
    n = adjacency.shape[0]
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    introducer = (degree > 0) & (degree <= INTRODUCER_MAX_DEGREE)
    share = np.divide(1.0, degree, out=np.zeros_like(degree), where=introducer)
    reach = (adjacency[local] @ sp.diags_array(share) @ adjacency).tocsr()
    reach = (reach - reach.multiply(adjacency[local])).tocoo()  # pairs already tied: exactly 0
    first, second, index = local[reach.row].astype(np.int64), reach.col.astype(np.int64), reach.data
    is_local = np.zeros(n, dtype=bool)
    is_local[local] = True
    once = (index != 0) & (first != second) & ((first < second) | ~is_local[second])  # a pair of locals twice
    first, second, index = first[once], second[once], index[once]
    if component.max(initial=-1) > 0:
        hubs = [members[np.lexsort((members, -degree[members]))]
                for members in (np.flatnonzero(component == c) for c in range(component.max() + 1))]
        extra = np.array([(h, big) for members in hubs[1:] for h in members[:1] for big in hubs[0][:3]],
                         dtype=np.int64).reshape(-1, 2)
        first, second = np.r_[first, extra[:, 0]], np.r_[second, extra[:, 1]]
        index = np.r_[index, np.zeros(len(extra))]
        low, high = np.minimum(first, second), np.maximum(first, second)
        _, keep = np.unique(low * n + high, return_index=True)  # a hub pair may also be two steps apart
        keep.sort()
        first, second, index = low[keep], high[keep], index[keep]
    u, v = np.minimum(first, second), np.maximum(first, second)
    busy = np.flatnonzero(degree > INTRODUCER_MAX_DEGREE)
    if len(busy):
        index = index + resource_allocation(adjacency[:, busy], u, v, degree[busy])
    return u, v, index


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
    pairs joining components, with hubs capped: O(Σ deg(z)²) pairs from one sparse product that also
    sums their resource allocation, then O(1) numpy work per pair. About 5 s on a busy 2-core machine
    (10 s before the candidates and their index came from one product) on the largest region (36,000
    actors with partners) of a 100,000-actor country.

    References
    ----------
    .. [1] Zhou, T., Lü, L. & Zhang, Y.-C. (2009). Predicting missing links via local information.
       The European Physical Journal B 71, 623-630 (the resource-allocation index).
    .. [2] Burt, R. S. (1992). Structural Holes. Harvard University Press (constraint).
    """
    if graph.number_of_nodes() == 0:
        return []
    nodes = sorted(graph)  # positions follow ids, so position order breaks ties by id
    position = {node: i for i, node in enumerate(nodes)}
    own = np.array([position[a] for a in local_actors(graph)], dtype=np.int64)
    adjacency = adjacency_matrix(graph, nodes)
    component = local_components(adjacency, own)
    u, v, feasibility = candidates(adjacency, own, component)
    data = [graph.nodes[node] for node in nodes]
    local = np.zeros(len(nodes), dtype=bool)
    local[own] = True
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
    u, v, is_cross, is_national, feasibility = u[keep], v[keep], is_cross[keep], is_national[keep], feasibility[keep]
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


def resource_allocation(adjacency: sp.csr_array, u: np.ndarray, v: np.ndarray,
                        degree: np.ndarray | None = None) -> np.ndarray:
    """Resource-allocation index (Zhou, Lü & Zhang 2009) of the pairs (u[i], v[i]) of positions in a
    0/1 ``adjacency`` matrix (:func:`adjacency_matrix`): Σ 1/deg(z) over their shared partners z.

    With ``degree``, the columns are only some of the partners (their degrees given): the sum runs over
    those. All pairs at once, as row-wise products of adjacency rows, in chunks so memory stays
    bounded. Cost: O(deg(u) + deg(v)) per pair.

    >>> resource_allocation(adjacency_matrix(nx.path_graph(3), [0, 1, 2]), np.array([0]), np.array([2])).tolist()
    [0.5]
    """
    if degree is None:
        degree = np.asarray(adjacency.sum(axis=1)).ravel()
    shares = adjacency @ sp.diags_array(np.divide(1.0, degree, out=np.zeros_like(degree, dtype=float),
                                                  where=degree > 0))
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
