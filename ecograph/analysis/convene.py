"""Who to convene, who the region cannot lose, and what changes if the ecosystem changes."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np
import scipy.sparse as sp

from ecograph.analysis.cuts import greedy_fragmenters
from ecograph.analysis.models import ConveningSet, Figures, WhatIf
from ecograph.analysis.structure import ei_index, fragmentation, local_ties
from ecograph.graph import adjacency_matrix
from ecograph.i18n import DEFAULT, Texts
from ecograph.model import shown


class UnknownActor(KeyError):
    """A what-if names an actor the region's graph lacks: ``args[0]`` is the Spanish message, :meth:`text` says it in
    any language (message ``what_if.unknown_actor``)."""

    def __init__(self, actor: str) -> None:
        self.actor = actor
        super().__init__(self.text())

    def text(self, lang: str = DEFAULT) -> str:
        return Texts(lang)("what_if.unknown_actor", actor=shown(self.actor, 200))


def reach_matrix(graph: nx.Graph, nodes: list[str], steps: int = 1) -> sp.csr_array:
    r"""Boolean matrix: row i marks the nodes within ``steps`` ties of ``nodes[i]``, itself included.

    .. math::

        R = \mathbb{1}\left[ (A + I)^{h} > 0 \right]

    with A the adjacency matrix (ties unweighted), I the identity and h = ``steps``: R_ij is true
    when d(i, j) ≤ h hops.

    Parameters
    ----------
    graph : networkx.Graph
        Undirected.
    nodes : list
        Row and column order.
    steps : int, optional (default 1)
        Hops; 1 is the closed neighbourhood.

    Returns
    -------
    scipy.sparse.csr_array of bool
        n × n.

    Examples
    --------
    >>> reach_matrix(nx.path_graph(4), [0, 1, 2, 3], steps=2).toarray().astype(int).tolist()
    [[1, 1, 1, 0], [1, 1, 1, 1], [1, 1, 1, 1], [0, 1, 1, 1]]

    Notes
    -----
    Sparse products: O(n + m) for one step, O(Σ_i deg(i)²) time and memory for two; each further
    step multiplies by A + I again, and in a small world R soon approaches n² entries, which at
    100,000 actors (10¹⁰ cells) does not fit in memory: keep ``steps`` at 1 or 2. At 100,000
    actors (490,000 tied pairs) one step took about 5 s and two about 6 s (17.6 million entries)
    on a 2-core machine, half of it networkx's conversion to a sparse matrix (now built from numpy
    arrays, :func:`ecograph.graph.adjacency_matrix`). Exact and deterministic.
    """
    closed = (adjacency_matrix(graph, nodes) + sp.eye_array(len(nodes), format="csr")).astype(bool)
    within = closed
    for _ in range(steps - 1):
        within = (within @ closed).astype(bool)
    return within.tocsr()


def convening_set(graph: nx.Graph, k: int = 5, steps: int = 1) -> tuple[list[str], set[str]]:
    """The k actors who together reach most of the graph within ``steps`` ties, covering the sectors.

    Borgatti's (2006) key-player problem KPP-Pos with the m-reach criterion: choose a set S of k
    actors maximizing |⋃_{v∈S} B_h(v)|, B_h(v) the actors within h = ``steps`` ties of v, v
    included (:func:`reach_matrix`). Solved greedily: add the actor that reaches the most actors not
    yet reached, ties broken by smallest id; but while the places left are no more than the sectors
    still missing from S, choose only among actors of missing sectors.

    Parameters
    ----------
    graph : networkx.Graph
        Undirected; actors have a ``sector`` (actors without one never count as covering a sector).
    k : int, optional (default 5)
        Size of the set (fewer if the graph has fewer actors).
    steps : int, optional (default 1)
        Reach within this many ties.

    Returns
    -------
    chosen : list
        The actors, in the order chosen.
    reached : set
        The actors within ``steps`` ties of the chosen ones, the chosen included.

    Examples
    --------
    >>> convening_set(nx.star_graph(4), k=1)[0]
    [0]
    >>> g = nx.Graph([("uni", "ins"), ("uni", "gore"), ("gore", "muni"), ("gore", "coop"), ("coop", "bank")])
    >>> nx.set_node_attributes(g, {"uni": "academia", "ins": "academia", "gore": "public", "muni": "public",
    ...                            "coop": "private", "bank": "private"}, "sector")
    >>> chosen, reached = convening_set(g, k=3)
    >>> chosen, len(reached)
    (['gore', 'bank', 'ins'], 6)

    gore reaches four actors; then two places remain for two missing sectors, so the next picks
    come from academia and private: bank (private, smallest id among the best) and ins.

    Notes
    -----
    Without the sector rule this is the greedy algorithm for maximum coverage, which reaches at
    least 1 − 1/e ≈ 63% of the best possible coverage (Nemhauser, Wolsey & Fisher 1978). The
    sector rule trades coverage for variety and voids that guarantee once it restricts a choice: it
    binds as soon as k is no more than the number of sectors present, so with k = 5 and all five
    sectors present the set is one actor per sector from the first pick on.

    Each step scores every actor at once, a sparse matrix–vector product over R, plus an O(n)
    sector mask: O(k (n + m)) for one step (plus building R, see :func:`reach_matrix`). At 100,000
    actors, k = 5 took about 4 s with one step and 6 s with two on a 2-core machine. Exact
    greedy, deterministic (no randomness; ties by id).

    References
    ----------
    .. [1] Borgatti, S. P. (2006). Identifying sets of key players in a social network.
       Computational and Mathematical Organization Theory, 12(1), 21–34.
       https://doi.org/10.1007/s10588-006-7084-x
    .. [2] Nemhauser, G. L., Wolsey, L. A., & Fisher, M. L. (1978). An analysis of approximations
       for maximizing submodular set functions—I. Mathematical Programming, 14(1), 265–294.
       https://doi.org/10.1007/BF01588971
    """
    pool = sorted(graph)
    if not pool:
        return [], set()
    sector = nx.get_node_attributes(graph, "sector")
    kinds = [sector.get(n) for n in pool]
    within = reach_matrix(graph, pool, steps)
    missing = set(sector.values())
    open_ = np.ones(len(pool), dtype=bool)  # not reached yet
    free = np.ones(len(pool), dtype=bool)  # not chosen yet
    chosen: list[int] = []
    while len(chosen) < min(k, len(pool)):
        allowed = free.copy()
        if missing and k - len(chosen) <= len(missing):
            wanted = allowed & np.array([kind in missing for kind in kinds])
            allowed = wanted if wanted.any() else allowed
        gain = np.where(allowed, within @ open_.astype(np.int64), -1)
        best = int(np.argmax(gain))  # the first, so the smallest id, among equals
        chosen.append(best)
        free[best] = False
        open_[within.indices[within.indptr[best]:within.indptr[best + 1]]] = False
        missing.discard(kinds[best])
    return [pool[i] for i in chosen], {pool[i] for i in np.flatnonzero(~open_)}


def borgatti_fragmentation(graph: nx.Graph) -> float:
    r"""Borgatti's (2006) fragmentation F: the share of pairs of actors that cannot reach each other.

    .. math::

        F = 1 - \frac{\sum_k s_k (s_k - 1)}{n (n - 1)}

    over the components k of sizes s_k; 0 for a connected graph, 1 when no two actors are tied;
    0.0 below two actors.

    Parameters
    ----------
    graph : networkx.Graph
        Undirected.

    Returns
    -------
    float
        F in [0, 1].

    Examples
    --------
    >>> borgatti_fragmentation(nx.Graph([(1, 2), (3, 4)]))
    0.6666666666666667
    >>> borgatti_fragmentation(nx.path_graph(4)), borgatti_fragmentation(nx.empty_graph(3))
    (0.0, 1.0)

    Notes
    -----
    One pass over the components, O(n + m): about a second at 100,000 actors. Exact and
    deterministic. Unlike :func:`ecograph.analysis.structure.fragmentation` (the share of actors
    outside the largest component), F counts pairs, so splitting off many small groups weighs more
    than splitting off one.

    References
    ----------
    .. [1] Borgatti, S. P. (2006). Identifying sets of key players in a social network.
       Computational and Mathematical Organization Theory, 12(1), 21–34.
       https://doi.org/10.1007/s10588-006-7084-x
    """
    n = graph.number_of_nodes()
    if n < 2:
        return 0.0
    return 1 - sum(len(c) * (len(c) - 1) for c in nx.connected_components(graph)) / (n * (n - 1))


def fragmenters(graph: nx.Graph, k: int = 3) -> tuple[list[str], float]:
    """The k actors whose loss fragments the graph most (KPP-Neg, Borgatti 2006), greedily.

    Borgatti's key-player problem KPP-Neg with fragmentation F (:func:`borgatti_fragmentation`):
    choose k actors whose removal maximizes F of the rest. Greedily: remove the actor whose departure
    raises F the most (every remaining actor tried at once by
    :func:`ecograph.analysis.cuts.fragmentation_without`), ties broken by smallest id, and repeat
    on what is left.

    Parameters
    ----------
    graph : networkx.Graph
        Undirected; not modified.
    k : int, optional (default 3)
        How many actors to remove (fewer if the graph has fewer).

    Returns
    -------
    removed : list
        The actors, in the order removed.
    fragmentation : float
        F of the graph once they are gone.

    Examples
    --------
    >>> fragmenters(nx.path_graph(5), k=1)
    ([2], 0.6666666666666667)
    >>> g = nx.Graph([("uni", "ins"), ("uni", "gore"), ("gore", "muni"), ("gore", "coop"), ("coop", "bank")])
    >>> fragmenters(g, k=2)
    (['gore', 'bank'], 0.8333333333333334)

    Notes
    -----
    O(n + m) per step (one depth-first search per removal, over arrays with the removed actors
    masked: :func:`ecograph.analysis.cuts.greedy_fragmenters`), so O(k (n + m)); at 100,000 actors
    k = 3 took about 25 s on a 2-core machine over copies of the graph in Python. Greedy without
    guarantee: F is not submodular, so the best set of k may differ from the k best in turn
    (Borgatti improves a starting set by swaps; this does not). Deterministic: no randomness, ties
    by id.

    References
    ----------
    .. [1] Borgatti, S. P. (2006). Identifying sets of key players in a social network.
       Computational and Mathematical Organization Theory, 12(1), 21–34.
       https://doi.org/10.1007/s10588-006-7084-x
    """
    return greedy_fragmenters(graph, k)  # type: ignore[return-value]


def convene(graph: nx.Graph, k: int = 5, steps: int = 1) -> ConveningSet:
    """The invitation list for a regional coordination table, over the region's own actors.

    On G[L], the ties among the local actors L (:func:`ecograph.analysis.structure.local_actors`):
    the convening set of k actors (:func:`convening_set`), how many of L it reaches within
    ``steps`` ties, which sectors it covers, and the min(k, 3) fragmenters (:func:`fragmenters`)
    with Borgatti's F once they are gone.

    Parameters
    ----------
    graph : networkx.Graph
        A region's collapsed graph; actors have ``sector`` and ``region``.
    k : int, optional (default 5)
        Size of the convening set.
    steps : int, optional (default 1)
        Reach within this many ties.

    Returns
    -------
    ConveningSet
        ``actors``, ``steps``, ``reached`` (count), ``reach_share`` (reached / |L|, 0.0 for no
        actors), ``sectors_covered`` (sorted), ``fragmenters`` and ``fragmentation_without`` (F,
        rounded to 4 decimals).

    Examples
    --------
    The bank is a partner from outside region 06, so it is left out:

    >>> g = nx.Graph([("uni", "ins"), ("uni", "gore"), ("gore", "muni"), ("gore", "coop"), ("coop", "bank")],
    ...              region="06")
    >>> nx.set_node_attributes(g, {"uni": "academia", "ins": "academia", "gore": "public", "muni": "public",
    ...                            "coop": "private", "bank": "private"}, "sector")
    >>> nx.set_node_attributes(g, {"uni": "06", "ins": "06", "gore": "06", "muni": "06", "coop": "06",
    ...                            "bank": None}, "region")
    >>> table = convene(g, k=2)
    >>> table.actors, table.reached, table.reach_share, table.sectors_covered
    (['gore', 'ins'], 5, 1.0, ['academia', 'public'])
    >>> table.fragmenters, table.fragmentation_without
    (['gore', 'ins'], 1.0)

    Notes
    -----
    O(k (n + m)) for one step (see :func:`convening_set` and :func:`fragmenters`): about 50 s
    for a 100,000-actor country on a 2-core machine, more than its parts because G[L] is a networkx
    subgraph view, whose every traversal filters the nodes. Deterministic.

    References
    ----------
    .. [1] Borgatti, S. P. (2006). Identifying sets of key players in a social network.
       Computational and Mathematical Organization Theory, 12(1), 21–34.
       https://doi.org/10.1007/s10588-006-7084-x
    """
    inner = local_ties(graph)
    chosen, reached = convening_set(inner, k, steps)
    broken, left = fragmenters(inner, min(k, 3))
    n = inner.number_of_nodes()
    return ConveningSet(actors=chosen, steps=steps, reached=len(reached), reach_share=len(reached) / n if n else 0.0,
                        sectors_covered=sorted({inner.nodes[a]["sector"] for a in chosen}),
                        fragmenters=broken, fragmentation_without=round(left, 4))


def figures(graph: nx.Graph, k: int = 5) -> Figures:
    """The region's headline figures: components, fragmentation, E-I index and convening reach.

    On G[L], the ties among the local actors L: the number of connected components (0 without
    actors), :func:`ecograph.analysis.structure.fragmentation` (the share of actors outside the
    largest component, not Borgatti's F), the overall E-I index
    (:func:`ecograph.analysis.structure.ei_index`) and the share of L reached within one tie by the
    convening set of k (:func:`convening_set`).

    Parameters
    ----------
    graph : networkx.Graph
        A region's collapsed graph; actors have ``sector`` and ``region``.
    k : int, optional (default 5)
        Size of the convening set.

    Returns
    -------
    Figures
        ``components``, ``fragmentation`` and ``reach_share`` (rounded to 4 decimals), ``ei_index``
        (None without ties).

    Examples
    --------
    >>> g = nx.Graph([("uni", "ins"), ("uni", "gore"), ("gore", "muni"), ("gore", "coop")], region="06")
    >>> nx.set_node_attributes(g, {"uni": "academia", "ins": "academia", "gore": "public", "muni": "public",
    ...                            "coop": "private"}, "sector")
    >>> nx.set_node_attributes(g, "06", "region")
    >>> figures(g, k=2)
    Figures(components=1, fragmentation=0.0, ei_index=0.0, reach_share=1.0)

    Notes
    -----
    O(k (n + m)); about 30 s for a 100,000-actor country on a 2-core machine, most of it
    traversing the subgraph view G[L]. Reach is always within one tie, whatever ``steps`` the report
    uses for :func:`convene`. Deterministic.
    """
    inner = local_ties(graph)
    _, reached = convening_set(inner, k)
    n = inner.number_of_nodes()
    return Figures(components=nx.number_connected_components(inner) if n else 0,
                   fragmentation=round(fragmentation(inner), 4), ei_index=ei_index(inner)[0],
                   reach_share=round(len(reached) / n, 4) if n else 0.0)


def what_if(graph: nx.Graph, remove: Iterable[str] = (), add: Iterable[tuple[str, str]] = (),
            k: int = 5) -> WhatIf:
    """The region's main figures before and after removing actors and adding ties (strength 3).

    The figures (:func:`figures`) of the graph as it is, and of the graph without the actors in
    ``remove`` (and their ties) and with a strength-3 tie for each pair in ``add`` whose ends both
    remain.

    Parameters
    ----------
    graph : networkx.Graph
        A region's collapsed graph; actors have ``sector`` and ``region``.
    remove : iterable of str, optional
        Actors that leave.
    add : iterable of (str, str), optional
        New ties. A pair already tied keeps its tie, with strength set to 3.
    k : int, optional (default 5)
        Size of the convening set behind ``reach_share``.

    Returns
    -------
    WhatIf
        ``removed`` (sorted, without repeats), ``added`` (sorted), ``before`` and ``after``.

    Raises
    ------
    UnknownActor
        A ``KeyError``, if an actor in ``remove`` or ``add`` is not in the graph (the first one,
        in sorted order of ``remove`` then ``add``).

    Examples
    --------
    >>> g = nx.Graph([("uni", "ins"), ("uni", "gore"), ("gore", "muni"), ("gore", "coop")], region="06")
    >>> nx.set_node_attributes(g, {"uni": "academia", "ins": "academia", "gore": "public", "muni": "public",
    ...                            "coop": "private"}, "sector")
    >>> nx.set_node_attributes(g, "06", "region")
    >>> what_if(g, remove=["gore"], k=2).after
    Figures(components=3, fragmentation=0.5, ei_index=-1.0, reach_share=0.75)
    >>> what_if(g, add=[("ins", "coop")], k=2).after.ei_index
    0.2
    >>> try:
    ...     what_if(g, remove=["nobody"])
    ... except UnknownActor as error:
    ...     print(error.actor)
    nobody

    Notes
    -----
    One copy of the graph and two :func:`figures`: O(k (n + m)); about 95 s for a 100,000-actor
    country on a 2-core machine. Ties added to partners outside the region are accepted but change
    nothing, since the figures count only the ties among the region's own actors. Deterministic.
    """
    remove, add = sorted(set(remove)), sorted(add)
    unknown = [n for n in [*remove, *(n for pair in add for n in pair)] if n not in graph]
    if unknown:
        raise UnknownActor(unknown[0])
    changed = graph.copy()
    changed.remove_nodes_from(remove)
    changed.add_edges_from(((u, v) for u, v in add if u not in remove and v not in remove), weight=3)
    return WhatIf(removed=remove, added=add, before=figures(graph, k), after=figures(changed, k))
