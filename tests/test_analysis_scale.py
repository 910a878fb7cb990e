"""The fast implementations behind the analysis (numpy/scipy path measures, one-pass cut-offs, vectorized
convening and opportunities), checked against exact arithmetic, networkx, igraph and brute force."""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import combinations

import igraph
import networkx as nx
import numpy as np
import pytest

from ecograph.analysis.convene import borgatti_fragmentation, convening_set, fragmenters
from ecograph.analysis.cuts import bridges, cut_off, fragmentation_without
from ecograph.analysis.measures import constraint_and_effective_size, pagerank
from ecograph.analysis.opportunities import (
    INTRODUCER_MAX_DEGREE,
    adjacency_matrix,
    candidates,
    local_components,
    opportunities,
    resource_allocation,
)
from ecograph.analysis.paths import path_measures
from ecograph.generate import generate_dataset
from ecograph.graph import build_graph, collapse

SECTORS = ("academia", "public", "private", "civil_society")


def weighted_graph(seed: int, n: int = 40, m: int = 70) -> nx.Graph:
    """A random graph with strengths 1-5, a sector per node, an isolate and a separate pair."""
    rng = random.Random(seed)
    graph = nx.gnm_random_graph(n, m, seed=seed)
    graph.add_edge(n, n + 1)
    graph.add_node(n + 2)
    for u, v in graph.edges():
        graph.edges[u, v]["weight"] = rng.randint(1, 5)
    for node in graph:
        graph.nodes[node]["sector"] = rng.choice(SECTORS)
    return graph


def generated(actors: int, seed: int) -> nx.Graph:
    data = generate_dataset(actors, seed=seed)
    return collapse(build_graph(data.actors, data.collaborations, "01"))


def to_igraph(graph: nx.Graph) -> tuple[igraph.Graph, list]:
    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    other = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges()])
    other.es["weight"] = [d.get("weight", 1) for _, _, d in graph.edges(data=True)]
    other.es["distance"] = [1 / w for w in other.es["weight"]]
    return other, nodes


def exact_length(u: object, v: object, data: dict) -> Fraction:
    return Fraction(1, data["weight"])


@pytest.mark.parametrize("seed", range(4))
def test_path_measures_equal_networkx_run_in_exact_arithmetic(seed: int) -> None:
    # networkx's own Brandes and harmonic centrality, with lengths 1/strength as exact fractions
    graph = weighted_graph(seed)
    found = path_measures(graph)
    between = nx.betweenness_centrality(graph, weight=exact_length)
    harmonic = nx.harmonic_centrality(graph, distance=exact_length)
    assert found.method == "exact" and found.betweenness_se is None
    for node in graph:
        assert found.betweenness[node] == pytest.approx(float(between[node]), abs=1e-12)
        assert found.closeness[node] == pytest.approx(float(harmonic[node]) / (len(graph) - 1), abs=1e-12)


def test_equal_length_paths_tie_exactly() -> None:
    # A 6-cycle whose two routes from s to t have the same length 1 + 1 + 1/3 = 1 + 1/3 + 1, which are
    # different floats (2.3333333333333335 and 2.333333333333333): each route must carry half of s-t.
    # By hand, a lies on the s-b path and on half of the s-t paths: 1.5 of 10 pairs, normalized 1.5/10 = 0.15.
    graph = nx.Graph()
    for u, v, strength in [("s", "a", 1), ("a", "b", 1), ("b", "t", 3), ("s", "c", 1), ("c", "d", 3), ("d", "t", 1)]:
        graph.add_edge(u, v, weight=strength)
    found = path_measures(graph).betweenness
    assert found["a"] == pytest.approx(0.15)
    assert found["t"] == pytest.approx(0.25)
    exact = nx.betweenness_centrality(graph, weight=exact_length)
    assert found == pytest.approx({node: float(value) for node, value in exact.items()})


def test_path_measures_agree_with_igraph() -> None:
    graph = generated(1500, seed=11)
    other, nodes = to_igraph(graph)
    found = path_measures(graph)
    pairs = (len(nodes) - 1) * (len(nodes) - 2) / 2
    between = other.betweenness(weights="distance")
    harmonic = other.harmonic_centrality(weights="distance", normalized=True)
    for i, node in enumerate(nodes):
        assert found.betweenness[node] * pairs == pytest.approx(between[i], rel=1e-9, abs=1e-9)
        assert found.closeness[node] == pytest.approx(harmonic[i], rel=1e-9)


def test_sampled_estimates_are_seeded_and_their_stated_error_is_calibrated() -> None:
    # Over 40 samples of 100 sources, an actor's estimates should average to the exact value (unbiased)
    # and spread as much as the stated standard errors say (calibrated).
    graph = generated(800, seed=12)
    exact = path_measures(graph)
    sampled = path_measures(graph, limit=100, samples=100, seed=1)
    assert sampled.method == "sampled (k=100, seed=1)"
    assert path_measures(graph, limit=100, samples=100, seed=1) == sampled
    assert path_measures(graph, limit=100, samples=100, seed=2).betweenness != sampled.betweenness
    hubs = sorted(graph, key=lambda n: -exact.betweenness[n])[:3]
    runs = [path_measures(graph, limit=100, samples=100, seed=seed) for seed in range(40)]
    for node in hubs:
        for measure in ("betweenness", "closeness"):
            estimates = np.array([getattr(run, measure)[node] for run in runs])
            stated = np.sqrt(np.mean([getattr(run, f"{measure}_se")[node] ** 2 for run in runs]))
            spread = estimates.std(ddof=1)
            assert abs(estimates.mean() - getattr(exact, measure)[node]) < 4 * spread / np.sqrt(len(runs))
            assert 0.6 < stated / spread < 1.5


def test_unweighted_betweenness_adds_up_to_the_path_lengths() -> None:
    # Every shortest s-t path has d(s, t) - 1 inner nodes, so Σ_v B(v) = Σ_{s<t} (d(s, t) - 1).
    graph = nx.connected_watts_strogatz_graph(60, 4, 0.3, seed=3)
    n = len(graph)
    total = sum(path_measures(graph).betweenness.values()) * (n - 1) * (n - 2) / 2
    lengths = dict(nx.all_pairs_shortest_path_length(graph))
    assert total == pytest.approx(sum(lengths[s][t] - 1 for s, t in combinations(graph, 2)))


def brute_cut_off(graph: nx.Graph, counted: set) -> dict:
    out = {}
    for node in graph:
        component = nx.node_connected_component(graph, node)
        pieces = [len(c & counted) for c in nx.connected_components(graph.subgraph(component - {node}))]
        out[node] = len(component & counted) - (node in counted) - max(pieces, default=0)
    return out


def brute_fragmentation_without(graph: nx.Graph, counted: set) -> dict:
    out = {}
    for node in graph:
        rest = graph.subgraph(set(graph) - {node})
        n = len(set(rest) & counted)
        reachable = sum(len(c & counted) * (len(c & counted) - 1) for c in nx.connected_components(rest))
        out[node] = 1 - reachable / (n * (n - 1)) if n > 1 else 0.0
    return out


@pytest.mark.parametrize("seed", range(30))
def test_cut_offs_bridges_and_fragmentation_match_removing_each_actor_or_tie(seed: int) -> None:
    rng = random.Random(seed)
    graph = nx.gnm_random_graph(rng.randint(1, 25), rng.randint(0, 35), seed=seed)
    counted = {node for node in graph if rng.random() < 0.7}
    for subset in (None, counted):
        expected = set(graph) if subset is None else subset
        assert cut_off(graph, subset) == brute_cut_off(graph, expected)
        assert fragmentation_without(graph, subset) == pytest.approx(brute_fragmentation_without(graph, expected))
        found = {frozenset(tie): side for tie, side in bridges(graph, subset).items()}
        assert set(found) == {frozenset(tie) for tie in nx.bridges(graph)}
        for tie, side in found.items():
            rest = nx.restricted_view(graph, [], [tuple(tie)])
            assert side == min(len(nx.node_connected_component(rest, end) & expected) for end in tie)


def plain_convening(graph: nx.Graph, k: int, steps: int) -> list:
    """The greedy KPP-Pos written plainly: one reach search per candidate and step."""
    def reach(node: object) -> set:
        return set(nx.single_source_shortest_path_length(graph, node, cutoff=steps))

    sector = nx.get_node_attributes(graph, "sector")
    missing, chosen, reached, pool = set(sector.values()), [], set(), sorted(graph)
    while len(chosen) < min(k, len(pool)):
        options = [n for n in pool if n not in chosen]
        if missing and k - len(chosen) <= len(missing):
            options = [n for n in options if sector.get(n) in missing] or options
        best = max(options, key=lambda n: (len(reach(n) - reached), -pool.index(n)))
        chosen.append(best)
        reached |= reach(best)
        missing.discard(sector.get(best))
    return chosen


@pytest.mark.parametrize("seed", range(12))
def test_convening_set_matches_the_plain_greedy(seed: int) -> None:
    graph = weighted_graph(seed, n=50, m=60)
    for k, steps in ((1, 1), (3, 1), (6, 1), (4, 2)):
        chosen, reached = convening_set(graph, k, steps)
        assert chosen == plain_convening(graph, k, steps)
        assert reached == set().union(*(nx.single_source_shortest_path_length(graph, c, cutoff=steps)
                                        for c in chosen))


@pytest.mark.parametrize("seed", range(8))
def test_fragmenters_match_trying_every_actor(seed: int) -> None:
    graph = weighted_graph(seed, n=30, m=35)
    rest, expected = graph.copy(), []
    for _ in range(3):
        best = min(sorted(rest), key=lambda n: -borgatti_fragmentation(nx.restricted_view(rest, [n], [])))
        rest.remove_node(best)
        expected.append(best)
    assert fragmenters(graph, 3) == (expected, pytest.approx(borgatti_fragmentation(rest)))


def test_candidate_pairs_and_resource_allocation_match_networkx() -> None:
    graph = generated(800, seed=13)
    graph.add_edges_from(("hub", n) for n in sorted(graph)[::3])  # a partner too busy to introduce
    graph.nodes["hub"]["region"] = None
    nodes = sorted(graph)
    own = [n for n in nodes if graph.nodes[n]["region"] == "01"]
    adjacency = adjacency_matrix(graph, nodes)
    assert (adjacency != nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None)).nnz == 0
    local = np.array([nodes.index(n) for n in own])
    u, v, index = candidates(adjacency, local, local_components(adjacency, local))
    found = [(nodes[a], nodes[b]) for a, b in zip(u, v, strict=True)]
    two_steps = {tuple(sorted((a, b))) for a in own for z in graph[a] if graph.degree(z) <= INTRODUCER_MAX_DEGREE
                 for b in graph[z] if b != a and not graph.has_edge(a, b)}
    assert len(set(found)) == len(found) and two_steps <= set(found)
    assert all(a < b and not graph.has_edge(a, b) for a, b in found)
    assert any(graph.degree(z) > INTRODUCER_MAX_DEGREE for z in graph), "the busy partners' part is exercised"
    theirs = {(a, b): value for a, b, value in nx.resource_allocation_index(graph, found)}
    for pair, ours, alone in zip(found, index, resource_allocation(adjacency, u, v), strict=True):
        assert ours == pytest.approx(theirs[pair]) and alone == pytest.approx(theirs[pair])


def test_opportunities_by_hand() -> None:
    # u and w share the partner z (3 ties): resource allocation 1/3, the best pair, so feasibility 1.
    # They are in different sectors (+0.3), the pair academia-private is a gap (+0.2), different
    # communities (+0.2), and w depends on z alone (constraint 1 > 0.5: +0.2): impact 0.9.
    # w offers cybersecurity, which u's region lacks: complementarity 1/3.
    graph = nx.Graph(region="06")
    people = {"u": ("academia", "06", []), "w": ("private", "07", ["cybersecurity"]),
              "z": ("public", "06", []), "y": ("public", "06", [])}
    for node, (sector, region, capabilities) in people.items():
        graph.add_node(node, name=node.upper(), sector=sector, region=region, scope="regional",
                       capabilities=capabilities)
    graph.add_edges_from([("u", "z"), ("w", "z"), ("y", "z"), ("u", "y")], weight=3)
    constraint, _ = constraint_and_effective_size(graph)
    found = opportunities(graph, {"u": 0, "y": 0, "z": 0, "w": 1}, constraint,
                          {frozenset(("academia", "private"))}, top=5)
    best = found[0]
    assert (best.source, best.target, best.shared_partners) == ("u", "w", ["z"])
    assert (best.feasibility, best.impact, best.complementarity) == (1.0, 0.9, pytest.approx(1 / 3, abs=1e-4))
    assert best.score == pytest.approx(0.4 + 0.36 + 0.2 / 3, abs=1e-4)
    assert best.cross_region and not best.national
    assert best.reasons == ["crosses_sectors", "closes_sector_gap", "joins_communities", "relieves_constraint",
                            "complementary"]
    assert "U" in best.text_es and "W" in best.text_es and "Z" in best.text_es and "cybersecurity" in best.text_en
    assert [(o.source, o.target) for o in opportunities(graph, {}, constraint, actor="y")] == [("w", "y")]
    assert opportunities(graph, {}, constraint, sectors=("public", "private")) == \
        opportunities(graph, {}, constraint, actor="y")


@pytest.mark.parametrize("seed", range(3))
def test_effective_size_follows_burt_where_networkx_fast_path_does_not(seed: int) -> None:
    # networkx 3.6's sparse effective_size divides each row by the wrong axis' maximum when ties are
    # weighted (networkx PR #8906); its per-node path (nodes=...) follows Burt (1992) and is the reference.
    graph = weighted_graph(seed)
    _, ours = constraint_and_effective_size(graph)
    theirs = nx.effective_size(graph, nodes=list(graph), weight="weight")
    for node in graph:
        if graph.degree(node):
            assert ours[node] == pytest.approx(theirs[node])
        else:
            assert ours[node] is None


def test_constraint_and_coreness_agree_with_igraph() -> None:
    graph = generated(1500, seed=14)
    other, nodes = to_igraph(graph)
    constraint, _ = constraint_and_effective_size(graph)
    theirs = other.constraint(weights="weight")
    core = nx.core_number(graph)
    coreness = other.coreness()
    for i, node in enumerate(nodes):
        assert constraint[node] == pytest.approx(theirs[i], rel=1e-9)
        assert core[node] == coreness[i]


@pytest.mark.parametrize("graph", [nx.Graph(), nx.empty_graph(1), nx.empty_graph(3), nx.path_graph(2)],
                         ids=["empty", "one actor", "no ties", "one tie"])
def test_degenerate_graphs(graph: nx.Graph) -> None:
    graph = nx.relabel_nodes(graph, str)
    nx.set_node_attributes(graph, "public", "sector")
    nx.set_node_attributes(graph, {node: f"Actor {node}" for node in graph}, "name")
    for found in (path_measures(graph), path_measures(graph, limit=0, samples=1)):
        assert set(found.betweenness) == set(found.closeness) == set(graph)
        assert all(value == 0 for value in found.betweenness.values())
    assert set(cut_off(graph)) == set(graph) and not any(cut_off(graph).values())
    chosen, reached = convening_set(graph, k=2)
    assert len(chosen) == min(2, len(graph)) and reached == set(chosen) | {p for c in chosen for p in graph[c]}
    proposed = opportunities(graph, {}, {})
    assert bool(proposed) == (nx.number_connected_components(graph) > 1)
    assert all("joins_components" in o.reasons and not graph.has_edge(o.source, o.target) for o in proposed)


def test_pagerank_agrees_with_igraph_where_the_default_tolerance_does_not() -> None:
    # networkx stops when the L1 change over all n nodes is below n × tol: at its default tol (1e-6)
    # single actors of a 20,000-actor country are off by several percent; at 1e-12 by less than 1e-5.
    graph = generated(20_000, seed=3)
    other, nodes = to_igraph(graph)
    theirs = np.array(other.pagerank(weights="weight", damping=0.85))
    ours = pagerank(graph)
    assert np.max(np.abs(np.array([ours[n] for n in nodes]) - theirs) / theirs) < 1e-5
