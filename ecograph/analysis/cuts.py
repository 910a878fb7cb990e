"""What the departure of each actor does to the network: who is cut off, how fragmented it becomes.

One depth-first search (Hopcroft & Tarjan 1973) finds, for every node at once, the pieces its
component falls into without it: a child subtree whose low point does not reach above the node
becomes its own piece, the rest of the component stays together. That replaces one component
search per candidate (O(n (n + m))) with O(n + m) for all of them.
"""

from __future__ import annotations

from collections.abc import Container, Hashable
from dataclasses import dataclass

import networkx as nx
import numpy as np


@dataclass(frozen=True)
class Pieces:
    """Per node (in ``nodes`` order), counting only the counted nodes: its own count (1 or 0), the
    count of its component, the largest piece its component falls into without it, and Σ p (p − 1)
    over those pieces; Σ s (s − 1) over the components s of the whole graph; and the bridges, as
    (parent, child, counted nodes on the child's side) in node positions."""

    nodes: list[Hashable]
    own: np.ndarray
    component: np.ndarray
    largest: np.ndarray
    pairs: np.ndarray
    connected_pairs: int
    bridges: list[tuple[int, int, int]]


def removal_pieces(graph: nx.Graph, counted: Container[Hashable] | None = None) -> Pieces:
    """For every node, the pieces its component falls into when it leaves, counting only ``counted``
    nodes (all by default). Cost: O(n + m)."""
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    weight = np.array([1 if counted is None or node in counted else 0 for node in nodes], dtype=np.int64)
    neighbours = [[index[p] for p in graph[node] if p != node] for node in nodes]
    disc = np.full(n, -1, dtype=np.int64)
    low = np.zeros(n, dtype=np.int64)
    subtree = weight.copy()
    separated = np.zeros(n, dtype=np.int64)  # counted nodes in pieces cut off below the node
    largest = np.zeros(n, dtype=np.int64)
    pairs = np.zeros(n, dtype=np.int64)
    component = np.zeros(n, dtype=np.int64)
    clock = 0
    connected_pairs = 0
    bridges: list[tuple[int, int, int]] = []
    for root in range(n):
        if disc[root] >= 0:
            continue
        members = [root]
        disc[root] = low[root] = clock
        clock += 1
        stack = [(root, -1, iter(neighbours[root]))]
        while stack:
            node, parent, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                stack.pop()
                if parent >= 0:
                    low[parent] = min(low[parent], low[node])
                    subtree[parent] += subtree[node]
                    if low[node] >= disc[parent]:
                        piece = subtree[node]
                        separated[parent] += piece
                        largest[parent] = max(largest[parent], piece)
                        pairs[parent] += piece * (piece - 1)
                    if low[node] > disc[parent]:
                        bridges.append((parent, node, int(subtree[node])))
            elif disc[child] < 0:
                disc[child] = low[child] = clock
                clock += 1
                members.append(child)
                stack.append((child, node, iter(neighbours[child])))
            elif child != parent:
                low[node] = min(low[node], disc[child])
        component[members] = subtree[root]
        connected_pairs += int(subtree[root] * (subtree[root] - 1))
    rest = component - weight - separated  # the piece that keeps the node's parent
    return Pieces(nodes, weight, component, np.maximum(largest, rest), pairs + rest * (rest - 1), connected_pairs,
                  bridges)


def cut_off(graph: nx.Graph, counted: Container[Hashable] | None = None) -> dict[Hashable, int]:
    """How many (counted) actors lose their connection to the largest remaining part of their group
    if each actor leaves: 0 unless the actor is an articulation point. Cost: O(n + m).

    >>> cut_off(nx.path_graph(5))
    {0: 0, 1: 1, 2: 2, 3: 1, 4: 0}
    """
    found = removal_pieces(graph, counted)
    lost = found.component - found.own - found.largest
    return dict(zip(found.nodes, lost.tolist(), strict=True))


def fragmentation_without(graph: nx.Graph, counted: Container[Hashable] | None = None) -> dict[Hashable, float]:
    """Borgatti's fragmentation F of the (counted) actors once each actor has left, for every actor.

    F = 1 − Σ_k s_k (s_k − 1) / (n (n − 1)) over the components k (Borgatti 2006), n the counted
    actors that remain. Cost: O(n + m).

    >>> fragmentation_without(nx.path_graph(3))[1]
    1.0
    """
    found = removal_pieces(graph, counted)
    remaining = int(found.own.sum()) - found.own
    after = found.connected_pairs - found.component * (found.component - 1) + found.pairs
    possible = remaining * (remaining - 1)
    values = 1 - after / np.where(possible > 0, possible, 1)
    values[possible == 0] = 0.0
    return dict(zip(found.nodes, values.tolist(), strict=True))


def bridges(graph: nx.Graph, counted: Container[Hashable] | None = None) -> dict[tuple[Hashable, Hashable], int]:
    """Ties whose end would split their group (bridges), each with the (counted) actors on its
    smaller side: those cut off from the rest if the tie ends. Cost: O(n + m).

    >>> bridges(nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4)]))
    {(3, 4): 1, (2, 3): 2}
    """
    found = removal_pieces(graph, counted)
    return {(found.nodes[parent], found.nodes[child]):
            min(side, int(found.component[child]) - side) for parent, child, side in found.bridges}
