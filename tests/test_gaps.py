"""The gap rules on hand-built regions: for each kind, a region where it must appear and a near-identical one
where it must not; who a single point of failure or a bridge cuts off, checked against removing each actor
or tie.

The healthy region (Cajamarca, 06) has a university, the regional government, a chamber and an NGO tied in a
ring, and a cooperation agency's regional office tied to two of them (no actor or tie whose loss cuts anyone
off), every essential capability and group service among its own actors, and two ties to national or
international actors. Each test changes one thing.
"""

from __future__ import annotations

import random
from collections.abc import Hashable

import networkx as nx
import pytest

from ecograph.analysis.cuts import bridge_sides, bridges, cut_off, cut_off_actors
from ecograph.analysis.gaps import ESSENTIAL_CAPABILITIES, GROUP_SERVICES, find_gaps
from ecograph.analysis.models import Gap
from ecograph.analysis.structure import structure
from ecograph.graph import build_graph, collapse
from ecograph.model import Actor, Collaboration

KINDS = ("missing_sector", "single_point_of_failure", "bridge", "weak_national_connection", "missing_capability",
         "missing_service")


def actor(actor_id: str, sector: str, type: str, region: str | None = "06", **fields: object) -> Actor:
    scope = fields.pop("scope", "regional" if region else "national")
    return Actor(id=actor_id, name=fields.pop("name", actor_id.upper()), sector=sector, type=type, region=region,
                 scope=scope, **fields)


def healthy() -> tuple[dict[str, Actor], list[Collaboration]]:
    actors = [
        actor("unc", "academia", "university", capabilities=["research_innovation", "data_statistics"]),
        actor("gore", "public", "regional_government", capabilities=["e_government", "connectivity"],
              target_groups=["rural"]),
        actor("camara", "private", "chamber", capabilities=["e_commerce", "digital_payments", "entrepreneurship"],
              target_groups=["msme", "migrants"]),
        actor("ong", "civil_society", "ngo", capabilities=["digital_skills"],
              target_groups=["women", "youth", "indigenous"]),
        actor("produce", "public", "ministry", None, capabilities=["data_statistics", "entrepreneurship"],
              target_groups=["migrants"]),
        actor("pnud", "international", "un_agency", None, scope="international"),
        actor("cosude", "international", "donor"),  # a cooperation agency with an office in the region
    ]
    ties = [tie("unc", "gore"), tie("gore", "camara"), tie("camara", "ong"), tie("ong", "unc"),
            tie("produce", "camara"), tie("pnud", "ong"), tie("cosude", "gore"), tie("cosude", "ong")]
    return {a.id: a for a in actors}, ties


def tie(source: str, target: str) -> Collaboration:
    return Collaboration(source=source, target=target, type="agreement")


def gaps_of(actors: dict[str, Actor], ties: list[Collaboration], region: str | None = "06") -> list[Gap]:
    """The gaps of ``region``'s graph, as a report finds them (collapsed graph, structure figures)."""
    graph = collapse(build_graph(actors.values(), ties, region=region))
    return find_gaps(graph, structure(graph))


def of_kind(gaps: list[Gap], kind: str) -> list[Gap]:
    return [gap for gap in gaps if gap.kind == kind]


def changed(actors: dict[str, Actor], actor_id: str, **fields: object) -> dict[str, Actor]:
    return {**actors, actor_id: actors[actor_id].model_copy(update=fields)}


def test_the_healthy_region_has_none_of_these_gaps() -> None:
    actors, ties = healthy()
    found = gaps_of(actors, ties)
    assert [gap.kind for gap in found if gap.kind in KINDS] == []
    own = [a for a in actors.values() if a.region == "06"]
    assert set(ESSENTIAL_CAPABILITIES) <= {c for a in own for c in a.capabilities}, "the region offers them all"
    assert all(any(c in a.capabilities and g in a.target_groups for a in own) for c, g in GROUP_SERVICES)


# -- missing sector -------------------------------------------------------------------------------
@pytest.mark.parametrize(("who", "sector", "type", "missing", "severity", "text_es"), [
    ("ong", "private", "company", "civil_society", "medium", "No hay ningún actor de la sociedad civil en la región."),
    ("gore", "academia", "institute", "public", "high", "No hay ningún actor del sector público en la región."),
    ("unc", "private", "startup", "academia", "high", "No hay ningún actor de la academia en la región."),
])
def test_missing_sector(who: str, sector: str, type: str, missing: str, severity: str, text_es: str) -> None:
    actors, ties = healthy()
    gaps = of_kind(gaps_of(changed(actors, who, sector=sector, type=type), ties), "missing_sector")
    assert [(g.subject, g.severity, g.value, g.actors, g.isolates) for g in gaps] == [(missing, severity, 0, [], [])]
    assert gaps[0].text_es == text_es


def test_a_partner_from_elsewhere_does_not_fill_a_missing_sector() -> None:
    actors, ties = healthy()  # produce (national, public) stays tied to the chamber
    gaps = of_kind(gaps_of(changed(actors, "gore", sector="academia", type="institute"), ties), "missing_sector")
    assert [g.subject for g in gaps] == ["public"]


# -- single points of failure ---------------------------------------------------------------------
def test_an_actor_that_cuts_off_a_single_partner_is_reported_and_names_it() -> None:
    actors, ties = healthy()
    actors["coop"] = actor("coop", "private", "company", name="Cooperativa Agraria Chota")
    gaps = gaps_of(actors, [*ties, tie("coop", "camara")])
    points = of_kind(gaps, "single_point_of_failure")
    assert [(g.actors, g.isolates, g.value, g.severity) for g in points] == [(["camara"], ["coop"], 1, "low")]
    assert points[0].text_es == ("Si CAMARA se retira, 1 actor pierde su conexión con el resto: "
                                 "Cooperativa Agraria Chota.")
    assert points[0].text_en == ("If CAMARA leaves, 1 actor loses its connection to the rest: "
                                 "Cooperativa Agraria Chota.")
    assert of_kind(gaps, "bridge") == [], "a tie that cuts off one actor is that actor's single point of failure"
    assert points[0].model_dump()["isolates"] == ["coop"]


def test_a_second_tie_among_the_regions_actors_removes_the_single_point_of_failure() -> None:
    actors, ties = healthy()
    actors["coop"] = actor("coop", "private", "company")
    assert of_kind(gaps_of(actors, [*ties, tie("coop", "camara"), tie("coop", "ong")]), "single_point_of_failure") == []
    outside = gaps_of(actors, [*ties, tie("coop", "camara"), tie("coop", "produce")])  # a national tie is no way round
    assert [g.isolates for g in of_kind(outside, "single_point_of_failure")] == [["coop"]]


def test_a_single_point_of_failure_names_the_first_three_then_how_many_more() -> None:
    actors, ties = healthy()
    leaves = [f"red-{i}" for i in range(1, 6)]
    actors |= {a: actor(a, "civil_society", "community_org", name=f"Red {a[-1]}") for a in ["hub", *leaves]}
    actors["hub"] = actors["hub"].model_copy(update={"name": "Hub Cajamarca"})
    munis = [f"muni-{i}" for i in range(1, 5)]  # the ring's side (7 actors without the chamber) stays the larger
    actors |= {m: actor(m, "public", "municipality") for m in munis}
    gaps = gaps_of(actors, [*ties, *(tie(m, end) for m in munis for end in ("unc", "gore")), tie("camara", "hub"),
                            *(tie("hub", leaf) for leaf in leaves)])
    points = {g.actors[0]: g for g in of_kind(gaps, "single_point_of_failure")}
    assert set(points) == {"camara", "hub"}
    camara, hub = points["camara"], points["hub"]
    assert (camara.value, camara.severity, camara.isolates) == (6, "high", ["hub", *leaves])
    assert camara.text_es == ("Si CAMARA se retira, 6 actores pierden su conexión con el resto: "
                              "Hub Cajamarca, Red 1, Red 2 y 3 más.")
    assert camara.text_en == ("If CAMARA leaves, 6 actors lose their connection to the rest: "
                              "Hub Cajamarca, Red 1, Red 2 and 3 more.")
    assert (hub.value, hub.severity, hub.isolates) == (5, "high", leaves), "the ring is the piece that stays"
    bridge = of_kind(gaps, "bridge")
    assert [(g.actors, g.isolates, g.value, g.severity) for g in bridge] == [(["camara", "hub"], ["hub", *leaves], 6,
                                                                             "high")]


# -- bridges --------------------------------------------------------------------------------------
def test_a_bridge_to_two_actors_is_reported_with_both_named() -> None:
    actors, ties = healthy()
    actors |= {"cite": actor("cite", "academia", "innovation_center", name="CITE Chota"),
               "coop": actor("coop", "private", "company", name="Cooperativa")}
    gaps = gaps_of(actors, [*ties, tie("camara", "cite"), tie("cite", "coop")])
    found = of_kind(gaps, "bridge")
    assert [(g.actors, g.isolates, g.value, g.severity) for g in found] == [(["camara", "cite"], ["cite", "coop"], 2,
                                                                            "low")]
    assert found[0].text_es == ("La colaboración entre CAMARA y CITE Chota es el único puente entre dos partes del "
                                "ecosistema: si termina, 2 actores pierden su conexión con el resto: CITE Chota y "
                                "Cooperativa.")
    points = {g.actors[0]: g.isolates for g in of_kind(gaps, "single_point_of_failure")}
    assert points == {"camara": ["cite", "coop"], "cite": ["coop"]}


def test_closing_the_loop_removes_the_bridge() -> None:
    actors, ties = healthy()
    actors |= {"cite": actor("cite", "academia", "innovation_center"), "coop": actor("coop", "private", "company")}
    gaps = gaps_of(actors, [*ties, tie("camara", "cite"), tie("cite", "coop"), tie("coop", "ong")])
    assert of_kind(gaps, "bridge") == [] and of_kind(gaps, "single_point_of_failure") == []


# -- weak national connection ---------------------------------------------------------------------
def test_weak_national_connection() -> None:
    actors, ties = healthy()
    one = [t for t in ties if t.source != "pnud"]
    none = [t for t in one if t.source != "produce"]
    assert [(g.severity, g.value, g.text_es) for g in of_kind(gaps_of(actors, one), "weak_national_connection")] == [
        ("medium", 1, "La región tiene solo 1 vínculo con actores nacionales o internacionales.")]
    assert [(g.severity, g.value) for g in of_kind(gaps_of(actors, none), "weak_national_connection")] == [("high", 0)]
    cusco = actor("asoc-cusco", "civil_society", "ngo", "08")  # a partner from another region is not national
    assert [g.value for g in of_kind(gaps_of(actors | {cusco.id: cusco}, [*none, tie("asoc-cusco", "ong")]),
                                     "weak_national_connection")] == [0]
    assert of_kind(gaps_of(actors, none, region=None), "weak_national_connection") == [], "not for the country"


# -- missing capability and service ---------------------------------------------------------------
def test_missing_capability() -> None:
    actors, ties = healthy()
    gaps = gaps_of(changed(actors, "unc", capabilities=["research_innovation"]), ties)
    assert [(g.subject, g.severity, g.text_en) for g in of_kind(gaps, "missing_capability")] == [
        ("data_statistics", "medium", "No actor in the region offers data and statistics.")]
    assert of_kind(gaps, "missing_service") == [], "no service needs data and statistics"


def test_missing_service_needs_both_in_one_of_the_regions_actors() -> None:
    actors, ties = healthy()
    without = changed(actors, "camara", target_groups=["msme"])  # produce (national) still serves migrants
    gaps = gaps_of(without, ties)
    assert [(g.subject, g.severity, g.text_es) for g in of_kind(gaps, "missing_service")] == [
        ("entrepreneurship:migrants", "medium", "Nadie en la región ofrece emprendimiento para personas migrantes.")]
    assert of_kind(gaps, "missing_capability") == []
    apart = changed(without, "ong", target_groups=["women", "youth", "indigenous", "migrants"])
    assert [g.subject for g in of_kind(gaps_of(apart, ties), "missing_service")] == ["entrepreneurship:migrants"]
    together = changed(apart, "ong", capabilities=["digital_skills", "entrepreneurship"])
    assert of_kind(gaps_of(together, ties), "missing_service") == []


# -- who is cut off, against removing each actor or tie ------------------------------------------
def pieces_without(graph: nx.Graph, actor: Hashable) -> list[set[Hashable]]:
    component = nx.node_connected_component(graph, actor) - {actor}
    return [set(piece) for piece in nx.connected_components(graph.subgraph(component))]


def random_graphs() -> list[tuple[nx.Graph, set[Hashable] | None]]:
    rng = random.Random(7)
    graphs: list[tuple[nx.Graph, set[Hashable] | None]] = []
    for seed in range(40):
        n = rng.randint(1, 30)
        graph = nx.gnm_random_graph(n, rng.randint(0, 2 * n), seed=seed)
        if seed % 3 == 0:
            graph = nx.union(graph, nx.random_labeled_tree(rng.randint(1, 12), seed=seed), rename=("g", "t"))
        counted = None if seed % 2 else {node for node in graph if rng.random() < 0.6}
        graphs.append((graph, counted))
    graphs.append((nx.path_graph(9), None))
    graphs.append((nx.star_graph(6), None))
    return graphs


@pytest.mark.parametrize(("graph", "counted"), random_graphs())
def test_cut_off_actors_are_those_outside_a_largest_piece(graph: nx.Graph, counted: set[Hashable] | None) -> None:
    weight = (lambda nodes: len(nodes)) if counted is None else (lambda nodes: len(nodes & counted))
    keep = set(graph) if counted is None else counted
    named = cut_off_actors(graph, counted)
    counts = cut_off(graph, counted)
    assert set(named) == {node for node, lost in counts.items() if lost >= 1}
    for node in graph:
        pieces = pieces_without(graph, node)
        listed = set(named.get(node, []))
        assert len(listed) == len(named.get(node, [])) == counts[node]
        if not pieces:
            assert not listed
            continue
        largest = max(weight(piece) for piece in pieces)
        outside = [set().union(*(p for p in pieces if p is not piece)) & keep for piece in pieces
                   if weight(piece) == largest]
        assert listed in outside, (node, listed)
    assert cut_off_actors(graph, counted, at_least=2) == {k: v for k, v in named.items() if len(v) >= 2}


@pytest.mark.parametrize(("graph", "counted"), random_graphs())
def test_bridge_sides_are_the_smaller_side(graph: nx.Graph, counted: set[Hashable] | None) -> None:
    keep = set(graph) if counted is None else counted
    sides = bridge_sides(graph, counted)
    counts = bridges(graph, counted)
    assert set(sides) == {pair for pair, lost in counts.items() if lost >= 1}
    for (u, v), side in sides.items():
        cut = graph.copy()
        cut.remove_edge(u, v)
        halves = [nx.node_connected_component(cut, u) & keep, nx.node_connected_component(cut, v) & keep]
        smaller = min(len(h) for h in halves)
        assert len(side) == smaller == counts[(u, v)]
        assert set(side) in [h for h in halves if len(h) == smaller]


def test_when_pieces_tie_the_one_holding_the_first_actor_stays() -> None:
    assert cut_off_actors(nx.path_graph(["a", "b", "c"])) == {"b": ["c"]}
    assert cut_off_actors(nx.path_graph(["c", "b", "a"])) == {"b": ["a"]}
    assert cut_off_actors(nx.star_graph(["hub", "x", "y", "z"])) == {"hub": ["y", "z"]}
