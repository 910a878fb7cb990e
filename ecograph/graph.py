"""Turn actors and collaborations into networkx graphs.

Both stores build their graphs here, so the same records always give the same graph.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from ecograph.model import Actor, Collaboration


def build_graph(actors: Iterable[Actor], ties: Iterable[Collaboration], region: str | None = None) -> nx.MultiDiGraph:
    """Every actor a node and every collaboration an edge (keyed by its id), with all their attributes.

    Edges keep the direction given in the data; ``directed`` says whether it means anything
    (funding and service ties) or not. Nodes and edges are added in id order, so iteration
    order is deterministic. ``region`` is stored as the graph attribute of that name (None for
    the whole country).

    >>> g = build_graph([], [])
    >>> g.number_of_nodes(), g.graph["region"]
    (0, None)
    """
    graph = nx.MultiDiGraph(region=region)
    for actor in sorted(actors, key=lambda a: a.id):
        graph.add_node(actor.id, **actor.model_dump(exclude={"id"}))
    for tie in sorted(ties, key=lambda t: t.id):
        graph.add_edge(tie.source, tie.target, key=tie.id, directed=tie.directed,
                       **tie.model_dump(exclude={"id", "source", "target"}))
    return graph


def collapse(graph: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph that analysis works on.

    Several ties between the same two actors become one edge whose ``weight`` is the strongest
    tie's strength (1-5), with ``ties`` (their ids) and ``types`` (their types, sorted).
    Cost: O(n + m).
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
    """The directed simple graph of who can pass what to whom: directed ties (funding, service) as
    given, undirected ties both ways, parallel ties merged. Used for brokerage roles. Cost: O(n + m).

    >>> g = build_graph([], [])
    >>> g.add_edge("a", "b", directed=False); g.add_edge("b", "c", directed=True)
    0
    0
    >>> sorted(orient(g).edges())
    [('a', 'b'), ('b', 'a'), ('b', 'c')]
    """
    oriented = nx.DiGraph()
    oriented.add_nodes_from(graph.nodes(data=True))
    for u, v, data in graph.edges(data=True):
        oriented.add_edge(u, v)
        if not data["directed"]:
            oriented.add_edge(v, u)
    return oriented
