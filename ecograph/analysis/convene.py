"""Who to convene, who the region cannot lose, and what changes if the ecosystem changes."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np
import scipy.sparse as sp

from ecograph.analysis.cuts import fragmentation_without
from ecograph.analysis.models import ConveningSet, Figures, WhatIf
from ecograph.analysis.structure import ei_index, fragmentation, local_actors
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
    """Boolean matrix: row i marks the nodes within ``steps`` ties of ``nodes[i]``, itself included.

    Cost: O(n + m) for one step, O(Σ_i deg(i)²) for two.
    """
    closed = (nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, format="csr")
              + sp.eye_array(len(nodes), format="csr")).astype(bool)
    within = closed
    for _ in range(steps - 1):
        within = (within @ closed).astype(bool)
    return within.tocsr()


def convening_set(graph: nx.Graph, k: int = 5, steps: int = 1) -> tuple[list[str], set[str]]:
    """The k actors who together reach most of the graph within ``steps`` ties, covering every sector.

    Borgatti's (2006) key-player problem KPP-Pos, by the greedy algorithm, which reaches at least
    1 − 1/e of the best possible coverage (Nemhauser, Wolsey & Fisher 1978): add the actor that reaches
    the most actors not yet reached; while the free places are no more than the sectors still missing,
    choose only among actors of missing sectors. Ties break by id. Each step scores every actor at
    once, a sparse matrix-vector product. Cost: O(k (n + m)) for one step.

    >>> convening_set(nx.star_graph(4), k=1)[0]
    [0]
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

    Each step removes the actor that raises Borgatti's F the most, ties broken by id; every actor
    is tried, all at once, by :func:`ecograph.analysis.cuts.fragmentation_without`. Returns the
    actors and F once they are gone. Cost: O(k (n + m)).

    >>> fragmenters(nx.path_graph(5), k=1)
    ([2], 0.6666666666666667)
    """
    rest = graph.copy()
    removed: list[str] = []
    for _ in range(min(k, graph.number_of_nodes())):
        after = fragmentation_without(rest)
        best = min(after, key=lambda n: (-after[n], n))
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
        raise UnknownActor(unknown[0])
    changed = graph.copy()
    changed.remove_nodes_from(remove)
    changed.add_edges_from(((u, v) for u, v in add if u not in remove and v not in remove), weight=3)
    return WhatIf(removed=remove, added=add, before=figures(graph, k), after=figures(changed, k))
