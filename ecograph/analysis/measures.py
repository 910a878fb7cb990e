"""Per-actor measures over an undirected, weighted ecosystem graph (see :func:`ecograph.graph.collapse`).

Tie ``weight`` is a strength (1 weak … 5 strong), a closeness, not a distance. Path-based measures
(betweenness, closeness) use ``distance = 1 / weight`` so that strong ties are short; strength-based
measures (weighted degree, PageRank, constraint) use the weight itself.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import scipy.sparse as sp

from ecograph.analysis.paths import path_measures

EXACT_BETWEENNESS_LIMIT = 5000
"""Above this many actors, betweenness and closeness are estimated from a seeded sample of sources.

Exact costs O(n m): about 4 s for a 3,600-actor region graph (bench/bench_analysis.py)."""
BETWEENNESS_SAMPLES = 1000
"""Sources sampled above the limit: 23 s on a 36,000-actor region graph, where the top-100 actors'
betweenness is off by a median 11% (closeness by 0.3%) against igraph's exact values; each
actor's standard error is reported with it."""
SEED = 42
LOUVAIN_SEEDS = (42, 0, 1, 2, 3)
LOUVAIN_RESTARTS_LIMIT = 5000


def betweenness(graph: nx.Graph, limit: int = EXACT_BETWEENNESS_LIMIT,
                samples: int = BETWEENNESS_SAMPLES) -> tuple[dict[str, float], str]:
    """Normalized betweenness centrality on tie distances 1/strength, and how it was computed.

    The share of shortest paths between other pairs that pass through an actor (Freeman 1977;
    Brandes 2001 for the algorithm). Exact up to ``limit`` actors; above, estimated from
    ``samples`` source actors drawn with a fixed seed (Brandes & Pich 2007), whose standard error
    shrinks as 1/sqrt(samples); :func:`ecograph.analysis.paths.path_measures` also returns that
    error, per actor. Cost: O(n (m + n log n)) exact, O(k (m + n log n)) sampled.

    >>> scores, method = betweenness(nx.path_graph(3))
    >>> scores[1], method
    (1.0, 'exact')
    """
    found = path_measures(graph, limit, samples, SEED)
    return found.betweenness, found.method


def harmonic_closeness(graph: nx.Graph, limit: int = EXACT_BETWEENNESS_LIMIT,
                       samples: int = BETWEENNESS_SAMPLES) -> dict[str, float]:
    """Harmonic closeness: the mean of 1/d(v, u) over all other actors u, with 1/∞ = 0.

    Works on disconnected graphs (Marchiori & Latora 2000; Boldi & Vigna 2014). Distances are
    1/strength, so values lie in [0, 5]. Exact up to ``limit`` actors, O(n (m + n log n)); above,
    estimated from ``samples`` seeded source actors (unbiased, Eppstein & Wang 2004),
    O(k (m + n log n)).

    >>> harmonic_closeness(nx.path_graph(3))[1]
    1.0
    """
    return path_measures(graph, limit, samples, SEED).closeness


def pagerank(graph: nx.Graph) -> dict[str, float]:
    """PageRank (Brin & Page 1998) with damping 0.85 on tie strengths, to a tolerance of 1e-12.

    networkx stops when the change summed over all n nodes is below n × tol, so single actors'
    scores converge last: on a 36,000-actor region graph, against igraph's exact PRPACK solution,
    its default tol of 1e-6 leaves scores off by up to 37%, 1e-10 by 0.04%, 1e-12 by 0.0006%, for
    the same time (about 40 more iterations). Cost: O(m) per iteration.
    """
    if graph.number_of_nodes() == 0:
        return {}
    return nx.pagerank(graph, alpha=0.85, weight="weight", tol=1e-12, max_iter=1000)


def communities(graph: nx.Graph) -> tuple[dict[str, int], float]:
    """Louvain communities (Blondel et al. 2008) and their modularity (Newman 2006).

    Louvain is a randomized heuristic: on small graphs (up to ``LOUVAIN_RESTARTS_LIMIT`` actors) it
    runs with each of the seeds in ``LOUVAIN_SEEDS`` and keeps the partition of highest modularity
    (the first on ties); above, once with seed 42. Communities are numbered from 0 by decreasing
    size, ties broken by smallest member id, so numbers are stable. Cost: about O(m) per pass.
    """
    if graph.number_of_edges() == 0:
        return {node: i for i, node in enumerate(sorted(graph))}, 0.0
    seeds = LOUVAIN_SEEDS if graph.number_of_nodes() <= LOUVAIN_RESTARTS_LIMIT else LOUVAIN_SEEDS[:1]
    best, best_modularity = None, -1.0
    for seed in seeds:
        found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
        modularity = nx.community.modularity(graph, found, weight="weight")
        if modularity > best_modularity:
            best, best_modularity = found, modularity
    ordered = sorted(best or [], key=lambda c: (-len(c), min(c)))
    membership = {node: number for number, group in enumerate(ordered) for node in group}
    return membership, best_modularity


def constraint_and_effective_size(graph: nx.Graph) -> tuple[dict[str, float | None], dict[str, float | None]]:
    """Burt's constraint and effective size (Burt 1992, *Structural Holes*, ch. 2), on tie strengths.

    With p_ij = w_ij / Σ_k w_ik the share of i's tie strength invested in j:

    - constraint c_i = Σ_j (p_ij + Σ_q p_iq p_qj)², over i's partners j, q ≠ i, j;
    - effective size e_i = Σ_j (1 − Σ_q p_iq m_jq), with m_jq = w_jq / max_k w_jk.

    Both are None for isolates (undefined). networkx's ``constraint`` loops in Python per pair
    (about 30 s on 1,000 actors); this is the same formula as sparse matrix products: P = D⁻¹W,
    indirect = P·P with zero diagonal, masked to i's neighbours. Cost: O(Σ_i deg(i)²).

    >>> c, e = constraint_and_effective_size(nx.star_graph(2))
    >>> round(c[0], 3), e[0]
    (0.5, 2.0)
    """
    nodes = list(graph)
    if not nodes:
        return {}, {}
    weights = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight="weight", format="csr").astype(float)
    strength = np.asarray(weights.sum(axis=1)).ravel()
    peak = weights.max(axis=1).toarray().ravel()
    with np.errstate(divide="ignore"):
        share = sp.diags(np.where(strength > 0, 1 / strength, 0.0)) @ weights  # P
        relative = sp.diags(np.where(peak > 0, 1 / peak, 0.0)) @ weights  # M
    mask = (weights > 0).astype(float)
    indirect = (share @ share).tocsr()
    indirect.setdiag(0)
    indirect = indirect.multiply(mask)  # only paths i→q→j to i's own partners j
    constraint_values = np.asarray((share + indirect).power(2).sum(axis=1)).ravel()
    redundancy = np.asarray((share @ relative.T).multiply(mask).sum(axis=1)).ravel()
    degree = np.asarray(mask.sum(axis=1)).ravel()
    effective = degree - redundancy
    constraint: dict[str, float | None] = {}
    size: dict[str, float | None] = {}
    for index, node in enumerate(nodes):
        isolated = degree[index] == 0
        constraint[node] = None if isolated else float(constraint_values[index])
        size[node] = None if isolated else float(effective[index])
    return constraint, size


ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")


def brokerage(graph: nx.DiGraph | nx.Graph, group: str = "sector") -> dict[str, dict[str, int]]:
    """Gould & Fernandez (1989) brokerage roles, counted per actor.

    Actor b brokers a → b → c when a → b and b → c are ties but a → c is not. By the groups
    (``group`` attribute) of a, b, c the brokerage is: *coordinator* (all three in one group),
    *itinerant* (a and c share a group, b is outside it), *gatekeeper* (b shares c's group: it
    controls entry to its group), *representative* (b shares a's group: it speaks for its group),
    *liaison* (all three differ).

    Convention for undirected ties (most ecosystem ties): they count as reciprocated, a tie both
    ways, as Gould & Fernandez do for symmetric data. An undirected path a – b – c is then two
    brokerages, a → b → c and c → b → a: coordinator, itinerant and liaison count 2, and when b
    shares a group with exactly one end it counts once as gatekeeper and once as representative.
    Directed ties (funding, service) count in their own direction only. An undirected ``graph`` is
    taken as all ties reciprocated. Cost: O(Σ_b indeg(b) · outdeg(b)).

    >>> g = nx.path_graph(["a", "b", "c"])
    >>> nx.set_node_attributes(g, {"a": "x", "b": "y", "c": "x"}, "sector")
    >>> brokerage(g)["b"]["itinerant"]
    2
    """
    directed = graph if graph.is_directed() else graph.to_directed()
    kind = nx.get_node_attributes(directed, group)
    counts = {node: dict.fromkeys(ROLES, 0) for node in directed}
    for broker in directed:
        for a in directed.predecessors(broker):
            for c in directed.successors(broker):
                if a == c or directed.has_edge(a, c):
                    continue
                ga, gb, gc = kind.get(a), kind.get(broker), kind.get(c)
                if ga == gb == gc:
                    role = "coordinator"
                elif ga == gc:
                    role = "itinerant"
                elif gb == gc:
                    role = "gatekeeper"
                elif gb == ga:
                    role = "representative"
                else:
                    role = "liaison"
                counts[broker][role] += 1
    return counts
