"""Turn actors and collaborations into networkx graphs.

Both stores build their graphs here, so the same records always give the same graph.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from itertools import chain
from operator import itemgetter
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from ecograph.model import DIRECTED_TIE_TYPES, Actor, Collaboration


def build_graph(actors: Iterable[Actor], ties: Iterable[Collaboration], region: str | None = None) -> nx.MultiDiGraph:
    """Every actor a node and every collaboration an edge (keyed by its id), with all their attributes.

    The graph is the multigraph G = (V, E) with V the actor ids and one edge ``source → target``
    with key ``tie.id`` per collaboration, so parallel ties (an agreement and a funding line
    between the same two actors) stay apart. Edges keep the direction given in the data; their
    ``directed`` attribute says whether it means anything (funding and service ties) or not.

    Parameters
    ----------
    actors : iterable of Actor
        The nodes. Every field but ``id`` becomes a node attribute (``name``, ``sector``,
        ``type``, ``region``, ``scope``, ...).
    ties : iterable of Collaboration
        The edges. Every field but ``id``, ``source`` and ``target`` becomes an edge attribute
        (``type``, ``weight`` 1-5, ``status``, ...), plus ``directed``. Their ends should be
        among ``actors``; an end that is not becomes a node without attributes.
    region : str or None, optional (default None)
        Stored as the graph attribute ``region``: the region the graph is about, None for the
        whole country. :func:`ecograph.analysis.structure.local_actors` reads it.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes and edges added in id order, so iteration order is deterministic whatever the
        order of the records.

    Examples
    --------
    >>> from ecograph.model import Actor, Collaboration
    >>> actors = [Actor(id="uni", name="Universidad", sector="academia", type="university", scope="regional",
    ...                 region="06"),
    ...           Actor(id="gore", name="Gobierno Regional", sector="public", type="regional_government",
    ...                 scope="regional", region="06")]
    >>> ties = [Collaboration(source="gore", target="uni", type="funding", weight=4),
    ...         Collaboration(source="uni", target="gore", type="agreement", weight=2)]
    >>> g = build_graph(actors, ties, region="06")
    >>> g.graph["region"], list(g), g.nodes["uni"]["sector"]
    ('06', ['gore', 'uni'], 'academia')
    >>> list(g.edges(keys=True, data="directed"))
    [('gore', 'uni', 'gore--uni--funding', True), ('uni', 'gore', 'uni--gore--agreement', False)]
    >>> build_graph([], []).graph["region"] is None
    True

    Notes
    -----
    Cost: O(n log n + m log m) for sorting, then O(n + m) to add; memory O(n + m) with every
    attribute copied. The pydantic ``model_dump`` per record dominates: about 12 s for the
    100,000 actors and 500,000 ties of ``generate_dataset(100_000)`` on the development machine,
    which is why stores build their graphs from their rows with :func:`graph_from_fields`.
    Deterministic: no randomness.
    """
    return graph_from_fields((actor.model_dump() for actor in actors), (tie.model_dump() for tie in ties), region)


def graph_from_fields(actors: Iterable[dict[str, Any]], ties: Iterable[dict[str, Any]],
                      region: str | None = None) -> nx.MultiDiGraph:
    """:func:`build_graph` from the records' fields (``Actor.model_dump()``, ``Collaboration.model_dump()``).

    Stores read rows, and building pydantic records only to dump them again took most of the time of
    reading a large region (:meth:`ecograph.stores.base.Store.graph_fields`). The dicts are taken over
    as the node attributes, less ``id``: do not reuse them.

    >>> g = graph_from_fields([{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
    ...                       [{"id": "t", "source": "a", "target": "b", "type": "funding", "weight": 2}])
    >>> g.nodes["a"], list(g.edges(keys=True, data=True))
    ({'name': 'A'}, [('a', 'b', 't', {'directed': True, 'type': 'funding', 'weight': 2})])
    """
    graph = nx.MultiDiGraph(region=region)
    graph.add_nodes_from((fields.pop("id"), fields) for fields in sorted(actors, key=itemgetter("id")))
    edges = []
    for fields in sorted(ties, key=itemgetter("id")):
        key, source, target = fields.pop("id"), fields.pop("source"), fields.pop("target")
        edges.append((source, target, key, {"directed": fields["type"] in DIRECTED_TIE_TYPES, **fields}))
    graph.add_edges_from(edges)
    return graph


def collapse(graph: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph that analysis works on.

    Actors u and v are adjacent when at least one tie joins them, in either direction, and the
    edge carries

    - ``weight`` = max over those ties of their strength (1-5): the strongest tie, not the sum;
    - ``ties``: the ids of those ties, sorted;
    - ``types``: their distinct types, sorted.

    Graph and node attributes are copied.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        As built by :func:`build_graph`: every edge has ``weight`` and ``type``.

    Returns
    -------
    networkx.Graph
        Same nodes, in the same order; one edge per pair of actors with any tie.

    Examples
    --------
    >>> g = nx.MultiDiGraph(region="06")
    >>> keys = g.add_edges_from([("gore", "uni", "t1", {"weight": 4, "type": "funding"}),
    ...                          ("uni", "gore", "t2", {"weight": 2, "type": "agreement"}),
    ...                          ("uni", "coop", "t3", {"weight": 1, "type": "training"})])
    >>> simple = collapse(g)
    >>> simple.edges["uni", "gore"]
    {'weight': 4, 'ties': ['t1', 't2'], 'types': ['agreement', 'funding']}
    >>> simple.number_of_edges(), simple.graph
    (2, {'region': '06'})

    Notes
    -----
    Cost: O(n + m) dictionary operations, plus sorting the ``ties`` list of a pair each time a
    parallel tie is merged (O(t log t) for t ties between one pair); about 8 s for 100,000 actors
    and 500,000 ties in pure Python. Taking the strongest tie rather than the sum keeps ``weight``
    on the 1-5 scale that :func:`ecograph.analysis.paths.tie_lengths` needs (whole-number
    strengths). Deterministic.
    """
    simple = nx.Graph(**graph.graph)
    simple.add_nodes_from(graph.nodes(data=True))
    for source, target, key, data in graph.edges(keys=True, data=True):
        if simple.has_edge(source, target):
            edge = simple.edges[source, target]
            edge["weight"] = max(edge["weight"], data["weight"])
            edge["ties"] = sorted([*edge["ties"], key])
            edge["types"] = sorted({*edge["types"], data["type"]})
        else:
            simple.add_edge(source, target, weight=data["weight"], ties=[key], types=[data["type"]])
    return simple


def orient(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """The directed simple graph of who can pass what to whom, for brokerage roles.

    Arc u → v exists when some tie runs from u to v with ``directed`` true (funding, service: as
    given), or some tie joins u and v with ``directed`` false (both ways, u → v and v → u).
    Parallel ties merge into one arc; arcs carry no attributes, nodes keep theirs.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        As built by :func:`build_graph`: every edge has a boolean ``directed``.

    Returns
    -------
    networkx.DiGraph
        The input of :func:`ecograph.analysis.measures.brokerage`.

    Examples
    --------
    >>> g = build_graph([], [])
    >>> keys = g.add_edges_from([("a", "b", {"directed": False}), ("b", "c", {"directed": True})])
    >>> sorted(orient(g).edges())
    [('a', 'b'), ('b', 'a'), ('b', 'c')]

    Notes
    -----
    Cost: O(n + m); about 4 s for 100,000 actors and 500,000 ties. Deterministic.
    """
    oriented = nx.DiGraph()
    oriented.add_nodes_from(graph.nodes(data=True))
    for u, v, data in graph.edges(data=True):
        oriented.add_edge(u, v)
        if not data["directed"]:
            oriented.add_edge(v, u)
    return oriented


def neighbour_arrays(adjacency: Iterable[tuple[Hashable, Iterable[Hashable]]],
                     nodes: list[Hashable]) -> tuple[np.ndarray, np.ndarray]:
    """Each node's neighbours as positions in ``nodes``, in the graph's own order, self-ties left out: CSR arrays.

    ``adjacency`` is ``graph.adjacency()`` (successors, for a directed graph) or ``graph.pred.items()``, in
    ``nodes``' order. Compiled searches walk these arrays; keeping the graph's order makes them visit nodes in
    the same order as a search over the graph itself. Cost: O(n + m), one dict look-up per tie.

    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("b", "b")])
    >>> indptr, heads = neighbour_arrays(g.adjacency(), list(g))
    >>> indptr.tolist(), heads.tolist()
    ([0, 1, 3, 4], [1, 0, 2, 1])
    """
    index = {node: position for position, node in enumerate(nodes)}
    lists = [list(adjacent) for _, adjacent in adjacency]
    sizes = np.fromiter((len(adjacent) for adjacent in lists), np.int64, count=len(lists))
    heads = np.fromiter(map(index.__getitem__, chain.from_iterable(lists)), np.int64, count=int(sizes.sum()))
    tails = np.repeat(np.arange(len(nodes), dtype=np.int64), sizes)
    proper = heads != tails
    indptr = np.zeros(len(nodes) + 1, dtype=np.int64)
    np.cumsum(np.bincount(tails[proper], minlength=len(nodes)), out=indptr[1:])
    return indptr, heads[proper]


def adjacency_matrix(graph: nx.Graph, nodes: list[str], weight: str | None = None) -> sp.csr_array:
    """The symmetric adjacency matrix of ``graph``, rows and columns in ``nodes``' order: 0/1, or each tie's ``weight``.

    The same matrix as ``nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=weight)`` (a tie without the
    attribute weighs 1), built from one pass over the ties into numpy arrays, several times faster than
    networkx's conversion. Self-ties count 1 unweighted and are left out weighted (no path runs through one).
    Cost: O(n + m).

    >>> adjacency_matrix(nx.path_graph(3), [0, 1, 2]).toarray().tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    >>> adjacency_matrix(nx.Graph([(0, 1, {"weight": 4}), (1, 1)]), [0, 1], weight="weight").toarray().tolist()
    [[0.0, 4.0], [4.0, 0.0]]
    """
    index = {node: i for i, node in enumerate(nodes)}
    ends = np.fromiter((index[end] for tie in graph.edges() for end in tie), dtype=np.int64,
                       count=2 * graph.number_of_edges()).reshape(-1, 2)
    if weight is None:
        values = np.ones(len(ends))
    else:
        values = np.fromiter((data.get(weight, 1) for _, _, data in graph.edges(data=True)), dtype=float,
                             count=len(ends))
        keep = ends[:, 0] != ends[:, 1]
        ends, values = ends[keep], values[keep]
    rows, cols = np.r_[ends[:, 0], ends[:, 1]], np.r_[ends[:, 1], ends[:, 0]]
    matrix = sp.csr_array((np.r_[values, values], (rows, cols)), shape=(len(nodes), len(nodes)))
    if weight is None:
        matrix.data[:] = 1.0  # a self-tie was summed twice
    return matrix
