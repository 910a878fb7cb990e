"""The analysis engine, checked on hand-computed graphs, on classic networks against published values,
against networkx and igraph, and by properties that must hold."""

from __future__ import annotations

import random

import igraph
import networkx as nx
import numpy as np
import pytest

from ecograph.analysis import Options, region_report, what_if
from ecograph.analysis.convene import convening_set, fragmenters
from ecograph.analysis.measures import (
    betweenness,
    brokerage,
    constraint_and_effective_size,
    harmonic_closeness,
    pagerank,
)
from ecograph.analysis.structure import ei_index, fragmentation, mixing, sector_assortativity
from ecograph.generate import generate_dataset
from ecograph.graph import build_graph, collapse
from ecograph.model import Dataset
from ecograph.service import Service
from ecograph.stores import Store


def sectors(graph: nx.Graph, groups: dict[object, str]) -> nx.Graph:
    nx.set_node_attributes(graph, groups, "sector")
    return graph


def test_krackhardt_kite_betweenness_matches_krackhardt_1990() -> None:
    # Krackhardt (1990), "Assessing the political landscape", Adm. Sci. Q. 35: Heather (node 7) brokers
    # between the clique and Ike/Jane with raw betweenness 14; Fernando and Garth 8.33; Ike 8.
    kite = nx.krackhardt_kite_graph()
    nx.set_edge_attributes(kite, 1, "weight")
    scores, method = betweenness(kite)
    pairs = (10 - 1) * (10 - 2) / 2
    assert method == "exact"
    assert scores[7] * pairs == pytest.approx(14)
    assert scores[5] * pairs == pytest.approx(8 + 1 / 3)
    assert scores[8] * pairs == pytest.approx(8)
    assert scores[9] == 0


def test_florentine_medici_betweenness_matches_wasserman_faust() -> None:
    # Wasserman & Faust (1994), Social Network Analysis, table 5.4 (marriage ties): the Medici's
    # betweenness is 47.5, normalized 0.522 over (n-1)(n-2)/2 = 91 pairs.
    families = nx.florentine_families_graph()
    nx.set_edge_attributes(families, 1, "weight")
    scores, _ = betweenness(families)
    assert scores["Medici"] * 91 == pytest.approx(47.5)
    assert max(scores, key=scores.get) == "Medici"


def test_strength_is_a_closeness_so_paths_prefer_strong_ties() -> None:
    # a–b–c strong (5), a–d–c weak (1): the shortest path from a to c runs through b only.
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=5)
    graph.add_edge("b", "c", weight=5)
    graph.add_edge("a", "d", weight=1)
    graph.add_edge("d", "c", weight=1)
    scores, _ = betweenness(graph)
    assert scores["b"] > 0 and scores["d"] == 0
    close = harmonic_closeness(graph)
    # from b: a and c at 1/5, d at 1/5 + 1 = 1.2 → (5 + 5 + 1/1.2) / 3
    assert close["b"] == pytest.approx((5 + 5 + 1 / 1.2) / 3)


def test_sampled_betweenness_says_so_and_is_seeded() -> None:
    graph = collapse(build_graph(*_records(generate_dataset(400, seed=2))))
    first, method = betweenness(graph, limit=100, samples=50)
    second, _ = betweenness(graph, limit=100, samples=50)
    assert method == "sampled (k=50, seed=42)"
    assert first == second


def _records(dataset: Dataset) -> tuple[list, list]:
    return dataset.actors, dataset.collaborations


@pytest.mark.parametrize("weighted", [False, True])
def test_constraint_and_effective_size_match_networkx(weighted: bool) -> None:
    graph = nx.gnm_random_graph(40, 120, seed=5)
    graph.add_node(99)  # an isolate
    for i, (u, v) in enumerate(graph.edges()):
        graph.edges[u, v]["weight"] = (i % 5) + 1 if weighted else 1
    ours_c, ours_e = constraint_and_effective_size(graph)
    theirs_c = nx.constraint(graph, weight="weight")
    theirs_e = nx.effective_size(graph)  # Borgatti's formula for unweighted graphs
    for node in graph:
        if node == 99:
            assert ours_c[node] is None and ours_e[node] is None
            continue
        assert ours_c[node] == pytest.approx(theirs_c[node])
        assert ours_e[node] == pytest.approx(theirs_e[node] if not weighted else burt_effective_size(graph, node))


def burt_effective_size(graph: nx.Graph, i: int) -> float:
    """Burt (1992) straight from the definition. networkx 3.6's weighted effective_size differs from it
    (e.g. 3.09 for 3.08 here), so weighted values are checked against this instead."""
    def p(a: int, b: int) -> float:
        return graph[a][b]["weight"] / sum(graph[a][k]["weight"] for k in graph[a]) if graph.has_edge(a, b) else 0

    def m(a: int, b: int) -> float:
        return graph[a][b]["weight"] / max(graph[a][k]["weight"] for k in graph[a]) if graph.has_edge(a, b) else 0

    return sum(1 - sum(p(i, q) * m(j, q) for q in graph[i]) for j in graph[i])


def test_constraint_by_hand() -> None:
    # Star with two leaves: the centre invests half in each (p = 1/2), leaves are unlinked:
    # c = (1/2)² + (1/2)² = 0.5; each leaf depends on the centre alone: c = 1.
    constraint, size = constraint_and_effective_size(nx.star_graph(2))
    assert constraint == {0: 0.5, 1: 1.0, 2: 1.0}
    assert size == {0: 2.0, 1: 1.0, 2: 1.0}


def test_brokerage_roles_by_hand() -> None:
    # b brokers between a and c (no a–c tie). Undirected ties count both ways.
    cases = {("x", "x", "x"): "coordinator", ("x", "y", "x"): "itinerant", ("x", "y", "z"): "liaison"}
    for (ga, gb, gc), role in cases.items():
        graph = sectors(nx.path_graph(["a", "b", "c"]), {"a": ga, "b": gb, "c": gc})
        assert brokerage(graph)["b"] == {r: (2 if r == role else 0) for r in brokerage(graph)["b"]}
    graph = sectors(nx.path_graph(["a", "b", "c"]), {"a": "x", "b": "y", "c": "y"})
    assert brokerage(graph)["b"] == {"coordinator": 0, "itinerant": 0, "gatekeeper": 1, "representative": 1,
                                     "liaison": 0}
    funding = sectors(nx.DiGraph([("a", "b"), ("b", "c")]), {"a": "x", "b": "y", "c": "y"})
    assert brokerage(funding)["b"]["gatekeeper"] == 1 and brokerage(funding)["b"]["representative"] == 0
    closed = sectors(nx.complete_graph(["a", "b", "c"]), {"a": "x", "b": "y", "c": "z"})
    assert sum(brokerage(closed)["b"].values()) == 0


def test_brokerage_counts_every_open_two_path_by_the_definition() -> None:
    # The counting by group pairs against the definition itself: enumerate every a -> b -> c.
    graph = nx.gnp_random_graph(150, 0.06, seed=7, directed=True)
    nx.set_node_attributes(graph, {n: ("x", "y", "z")[n % 3] for n in graph if n % 5}, "sector")  # some groupless
    for directed in (graph, graph.to_undirected()):
        expected = {b: dict.fromkeys(brokerage(directed)[b], 0) for b in directed}
        both = directed if directed.is_directed() else directed.to_directed()
        kind = nx.get_node_attributes(both, "sector")
        for b in both:
            for a in both.predecessors(b):
                for c in both.successors(b):
                    if a != c and not both.has_edge(a, c):
                        ga, gb, gc = kind.get(a), kind.get(b), kind.get(c)
                        role = ("coordinator" if ga == gb == gc else "itinerant" if ga == gc else
                                "gatekeeper" if gb == gc else "representative" if gb == ga else "liaison")
                        expected[b][role] += 1
        assert brokerage(directed) == expected
        assert sum(sum(roles.values()) for roles in expected.values()) > 1000


@pytest.mark.parametrize("seed", range(12))
def test_sector_assortativity_is_networkx_coefficient(seed: int) -> None:
    rng = random.Random(seed)
    graph = nx.gnp_random_graph(60, rng.uniform(0.02, 0.2), seed=seed)
    nx.set_node_attributes(graph, {n: rng.choice("abc"[:1 + seed % 3]) for n in graph}, "sector")
    ours = sector_assortativity(graph)
    if seed % 3 == 0:  # one sector: undefined
        assert ours is None
        return
    with np.errstate(invalid="ignore"):
        theirs = nx.attribute_assortativity_coefficient(graph, "sector")
    assert ours == pytest.approx(theirs, abs=1e-12)


def test_pagerank_agrees_with_igraph_on_a_large_graph() -> None:
    graph = collapse(build_graph(*_records(generate_dataset(5000, seed=3))))
    nodes = list(graph)
    index = {n: i for i, n in enumerate(nodes)}
    other = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges()])
    theirs = other.pagerank(weights=[d["weight"] for _, _, d in graph.edges(data=True)], damping=0.85)
    ours = pagerank(graph)
    worst = max(abs(ours[n] - theirs[index[n]]) / theirs[index[n]] for n in nodes)
    assert worst < 1e-4


def test_betweenness_agrees_with_igraph() -> None:
    graph = collapse(build_graph(*_records(generate_dataset(600, seed=4))))
    nodes = list(graph)
    index = {n: i for i, n in enumerate(nodes)}
    other = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges()])
    theirs = other.betweenness(weights=[60 // d["weight"] for _, _, d in graph.edges(data=True)])
    ours, _ = betweenness(graph)
    scale = (len(nodes) - 1) * (len(nodes) - 2) / 2
    for node in nodes:
        assert ours[node] * scale == pytest.approx(theirs[index[node]], abs=1e-6)


def test_structure_by_hand() -> None:
    graph = sectors(nx.Graph([(1, 2), (2, 3), (4, 5)]), {1: "public", 2: "public", 3: "private", 4: "academia",
                                                          5: "academia"})
    assert fragmentation(graph) == pytest.approx(0.4)
    overall, per_sector = ei_index(graph)
    assert overall == pytest.approx((1 - 2) / 3)
    assert per_sector == {"academia": -1.0, "private": 1.0, "public": 0.0}
    table = mixing(graph)
    # degree sums: public 3, private 1, academia 2, m = 3 → expected public-private = 3*1/6
    assert table["public"]["private"] == {"observed": 1, "expected": 0.5}
    assert table["academia"]["academia"] == {"observed": 1, "expected": pytest.approx(4 / 12, abs=1e-3)}


def test_convening_and_fragmenters_by_hand() -> None:
    # Two stars joined centre to centre: centres 0 and 10 reach everything within one step.
    graph = nx.union(nx.star_graph(4), nx.relabel_nodes(nx.star_graph(4), lambda n: n + 10))
    graph.add_edge(0, 10)
    sectors(graph, dict.fromkeys(graph, "public"))
    chosen, reached = convening_set(graph, k=2)
    assert chosen == [0, 10] and len(reached) == 10
    broken, left = fragmenters(graph, k=1)
    assert broken in ([0], [10])
    assert left == pytest.approx(1 - (5 * 4) / (9 * 8)), "one star of 5 left, and 4 isolates"


def test_convening_set_covers_every_sector() -> None:
    graph = sectors(nx.star_graph(5), {0: "public", 1: "public", 2: "public", 3: "public", 4: "public",
                                       5: "academia"})
    graph.add_edge(5, 6)
    graph.nodes[6]["sector"] = "public"
    chosen, _ = convening_set(graph, k=2)
    assert {graph.nodes[n]["sector"] for n in chosen} == {"public", "academia"}


@pytest.fixture
def peru(store: Store) -> Store:
    from ecograph.readers import read_dataset
    from tests.conftest import PERU

    store.load(read_dataset(PERU))
    return store


def test_reports_on_the_peru_data_are_deterministic_and_complete(peru: Store) -> None:
    graph = peru.graph("25")
    first = region_report(graph, Options(top=5))
    assert region_report(peru.graph("25"), Options(top=5)) == first
    assert first.version == 1 and first.betweenness_method == "exact"
    kinds = {gap.kind for gap in first.gaps}
    assert {"fragmentation", "weak_sector_pair", "isolated_actors"} <= kinds
    for gap in first.gaps:
        assert gap.text_es and gap.text_en and gap.severity in ("high", "medium", "low")
    assert len(first.opportunities) == 5
    assert all(0 <= o.score <= 1 for o in first.opportunities)


def test_adding_the_top_recommendation_never_increases_components(peru: Store) -> None:
    for code in ("01", "09", "16", "25", "06"):
        graph = peru.graph(code)
        report = region_report(graph)
        top = report.opportunities[0]
        change = what_if(collapse(graph), add=[(top.source, top.target)])
        assert change.after.components <= change.before.components


def test_filters(peru: Store) -> None:
    graph = peru.graph("06")
    whole = region_report(graph)
    public = region_report(graph, Options(sectors=("public",)))
    assert set(public.structure.by_sector) == {"public"}
    assert public.filters == {"sectors": ("public",), "top": 20, "k": 5, "steps": 1}
    ended = region_report(graph, Options(statuses=("ended",)))
    assert ended.structure.ties < whole.structure.ties


def test_comparison_is_sorted_by_score_and_keeps_missing_internet_missing(peru: Store) -> None:
    service = Service(lambda: peru)
    assert service.refresh()
    rows = service.comparison(peru.version())
    assert len(rows) == 26
    assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)
    cusco = next(r for r in rows if r.region == "08")
    assert cusco.households_with_internet == 38 and cusco.internet_period == "2023"
    assert next(r for r in rows if r.region == "25").households_with_internet is None


def test_filters_that_leave_nothing_give_an_empty_report(peru: Store) -> None:
    graph = peru.graph("06")
    farming = {n for n, d in graph.nodes(data=True)
               if d["region"] == "06" and "digital_agriculture" in d.get("capabilities", [])}
    assert len(farming) == 3 and region_report(graph, Options(capabilities=("digital_agriculture",))).structure.ties
    # Cajamarca's digital-agriculture actors have no tie planned in 2020: they stay, with no tie at all.
    tieless = region_report(graph, Options(capabilities=("digital_agriculture",), statuses=("planned",),
                                           since="2020", until="2020"))
    assert (tieless.structure.actors, tieless.structure.ties, tieless.structure.components) == (3, 0, 3)
    assert tieless.structure.isolates == sorted(farming) and tieless.structure.national_ties == 0
    assert all(row.degree == 0 and row.betweenness == 0 for row in tieless.measures)
    kinds = {gap.kind for gap in tieless.gaps}
    assert {"isolated_actors", "fragmentation", "weak_national_connection"} <= kinds
    assert not kinds & {"single_point_of_failure", "bridge"}, "no tie, so no tie to lose"
    assert tieless.opportunities, "isolated actors are exactly who should be introduced"
    for found in tieless.opportunities:  # with no tie, nobody can introduce anybody
        assert found.shared_partners == [] and found.feasibility == 0 and "joins_components" in found.reasons
        assert {found.source, found.target} <= farming
    nothing = region_report(graph, Options(sectors=("international",), capabilities=("e_health",)))
    assert nothing.structure.actors == 0 and nothing.structure.ties == 0 and nothing.structure.by_sector == {}
    assert nothing.measures == [] and nothing.opportunities == [] and nothing.gaps == []
    assert nothing.convening.actors == [] and nothing.convening.reached == 0


@pytest.mark.parametrize(("actors", "seed"), [(600, 5), (3000, 6)])
def test_louvain_matches_networkx_partition_quality(actors: int, seed: int) -> None:
    # igraph runs our Louvain; networkx's pure-Python Louvain is the reference. Over the same seeds, the
    # best modularity found must be as good as networkx's best (less a small tolerance: both are greedy).
    from ecograph.analysis.measures import LOUVAIN_SEEDS, communities

    data = generate_dataset(actors, seed=seed)
    graph = collapse(build_graph(data.actors, data.collaborations, "01"))
    membership, modularity = communities(graph)
    reference = max(nx.community.modularity(graph, nx.community.louvain_communities(graph, weight="weight", seed=s),
                                            weight="weight") for s in LOUVAIN_SEEDS)
    groups: dict[int, set[str]] = {}
    for actor, number in membership.items():
        groups.setdefault(number, set()).add(actor)
    assert nx.community.modularity(graph, groups.values(), weight="weight") == pytest.approx(modularity)
    assert modularity >= reference - 0.005
    assert communities(graph) == (membership, modularity), "deterministic"


def test_karate_club_communities_match_blondel_et_al() -> None:
    # Zachary (1977) karate club; Blondel et al. (2008), "Fast unfolding of communities in large networks",
    # table 1: Louvain finds modularity 0.42 on it. Zachary's data: the instructor (node 0) has 16 ties and
    # the administrator (node 33) 17.
    from ecograph.analysis.measures import communities

    karate = nx.karate_club_graph()
    nx.set_edge_attributes(karate, 1, "weight")
    membership, modularity = communities(karate)
    assert modularity == pytest.approx(0.42, abs=0.005)
    assert membership[0] != membership[33], "the two factions end in different communities"
    assert karate.degree(0) == 16 and karate.degree(33) == 17
