"""Communities named by their central actor and dominant sector (core, report, API, CLI), the map of a large
region's communities and each community's own map (pages), and the map's labels and outside partners."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ecograph import cli
from ecograph.analysis import region_report
from ecograph.analysis.communities import community_ties, name_communities
from ecograph.generate import generate_dataset
from ecograph.graph import build_graph
from ecograph.model import Dataset
from ecograph.readers import read_dataset
from ecograph.stores import SQLiteStore
from tests.test_api import wait_for_analysis
from tests.test_visuals import graph_json, hostile_dataset, make_app, overlapping_nodes
from visuals import network, views

PERU = Path(__file__).parent.parent / "data" / "peru"


def actor(graph: nx.Graph, node: str, sector: str, region: str = "06", acronym: str | None = None) -> None:
    graph.add_node(node, name=f"Nombre de {node}", sector=sector, region=region, acronym=acronym)


def two_communities() -> nx.Graph:
    graph = nx.Graph()
    for node, sector in (("a", "private"), ("b", "private"), ("c", "academia"), ("d", "public")):
        actor(graph, node, sector)
    actor(graph, "x", "international", region="15a", acronym="PNUD")
    actor(graph, "y", "academia")
    graph.add_edges_from([("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("x", "y"), ("d", "x")])
    return graph


def test_a_community_is_named_by_its_most_central_actor_and_its_dominant_sector() -> None:
    graph = two_communities()
    membership = {"a": 0, "b": 0, "c": 0, "d": 0, "x": 1, "y": 1}
    first, second = name_communities(graph, membership, {"a": 0.1, "b": 0.3, "c": 0.2, "d": 0.0, "x": 0.2,
                                                         "y": 0.2}, "06")
    assert (first.number, first.actors, first.local, first.ties) == (0, 4, 4, 4)
    assert (first.central, first.central_name, first.sector, first.share) == ("b", "Nombre de b", "private", 0.5)
    assert first.sectors == {"public": 1, "private": 2, "academia": 1}
    assert first.text_es == "Comunidad de Nombre de b · 4 actores · 50 % privado"
    assert first.text_en == "Community of Nombre de b · 4 actors · 50 % private"
    # equal centrality: more partners wins (x has 2, y 1); equal sectors: the first in SECTORS (academia)
    assert (second.central, second.central_name, second.local, second.sector) == ("x", "PNUD", 1, "academia")
    assert second.text_es == "Comunidad de PNUD · 2 actores · 50 % academia"
    assert name_communities(graph, membership, {"a": 0.9})[0].central == "a"
    assert name_communities(graph, membership, {}, None)[1].local == 2  # the country: every actor is local


def test_ties_between_communities_are_counted_every_collaboration() -> None:
    graph = nx.MultiDiGraph()
    graph.add_edges_from([("a", "b"), ("b", "a"), ("a", "c"), ("c", "d"), ("d", "e"), ("c", "z")])
    assert community_ties(graph, {"a": 0, "b": 1, "c": 1, "d": 2, "e": 0}) == {(0, 1): 3, (1, 2): 1, (0, 2): 1}
    assert community_ties(nx.Graph(graph), {"a": 0, "b": 1, "c": 1}) == {(0, 1): 2}


def region_graph(data: Dataset, code: str) -> nx.MultiDiGraph:
    """A region's actors, their ties and their partners from elsewhere, as a store gives them."""
    local = {a.id for a in data.actors if a.region == code}
    ties = [t for t in data.collaborations if t.source in local or t.target in local]
    ends = local | {end for t in ties for end in (t.source, t.target)}
    return build_graph([a for a in data.actors if a.id in ends], ties, code)


def test_the_report_names_every_community_of_its_measures() -> None:
    report = region_report(region_graph(read_dataset(PERU), "15a"))
    sizes = Counter(row.community for row in report.measures)
    assert [c.number for c in report.communities] == sorted(sizes)
    assert {c.number: c.actors for c in report.communities} == sizes
    rank = {row.id: row.pagerank for row in report.measures}
    for community in report.communities:
        members = [row for row in report.measures if row.community == community.number]
        assert rank[community.central] == max(rank[row.id] for row in members)
        assert community.sectors == dict(Counter(row.sector for row in members))
        assert community.local == sum(1 for row in members if row.local)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("communities") / "eco.db"
    with SQLiteStore(path) as opened:
        opened.load(hostile_dataset())
    return path


def test_the_api_and_the_cli_give_the_communities_names(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with TestClient(make_app(store)) as client:
        wait_for_analysis(client)
        named = client.get("/api/v1/regions/06/analysis").json()["communities"]
    assert named and all(c["text_es"].startswith("Comunidad de ") for c in named)
    monkeypatch.chdir(store.parent)
    for lang, start in (("es", "Comunidad de "), ("en", "Community of ")):
        shown = CliRunner().invoke(cli.app, ["analyze", "--region", "06", "--db", store.name],
                                   env={"ECOGRAPH_LANG": lang}).stdout
        assert "== communities ==" in shown
        assert all(c[f"text_{lang}"][:40] in shown for c in named) and start in shown


@pytest.fixture
def large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The app over a generated country whose region 01 (92 actors, more with partners) counts as large: the
    community map's threshold is lowered to 60 actors."""
    monkeypatch.setattr(views, "COMMUNITY_MAP_LIMIT", 60)
    path = tmp_path / "large.db"
    with SQLiteStore(path) as opened:
        opened.load(generate_dataset(300, seed=2))
    with TestClient(make_app(path)) as client:
        wait_for_analysis(client)
        yield client


def test_a_large_region_opens_on_its_communities(large: TestClient) -> None:
    report = large.get("/api/v1/regions/01/analysis").json()
    page = large.get("/regions/01")
    drawn = graph_json(page.text)
    assert drawn["kind"] == "communities" and drawn["options"]["physics"]["enabled"] is False
    assert {node["community"]: node["text"]["es"] for node in drawn["nodes"]} == {
        c["number"]: c["text_es"] for c in report["communities"]}
    assert {node["id"]: node["value"] for node in drawn["nodes"]} == {
        f"c{c['number']}": c["actors"] for c in report["communities"]}
    home = {row["id"]: row["community"] for row in report["measures"]}
    assert {row[0]: row[3] for row in drawn["actors"]} == home  # the search finds every actor's community
    with SQLiteStore(Path(large.app.state.settings.store)) as opened:
        ties = community_ties(opened.graph("01"), home)
    assert {(edge["from"], edge["to"]): edge["ties"] for edge in drawn["edges"]} == {
        (f"c{first}", f"c{second}"): count for (first, second), count in ties.items()}
    assert all(edge["arrows"] == "" for edge in drawn["edges"])  # links between communities have no direction
    assert not overlapping_nodes(drawn), "no community covers another"
    assert "graph-measure" not in page.text and "graph-filters" not in page.text
    # the embed draws the same map, also when the sectors asked for still hold too many actors to draw one by one
    assert graph_json(large.get("/embed/regions/01").text) == drawn
    assert graph_json(large.get("/embed/regions/01?measure=pagerank").text) == drawn
    sectors = Counter(row["sector"] for row in report["measures"])
    assert graph_json(large.get(f"/embed/regions/01?sectors={','.join(sectors)}").text) == drawn
    # few enough: those actors, sized by the measure asked for
    few = min(sectors, key=sectors.__getitem__)
    assert sectors[few] <= views.COMMUNITY_MAP_LIMIT
    filtered = graph_json(large.get(f"/embed/regions/01?sectors={few}&measure=pagerank").text)
    assert filtered["kind"] == "actors" and filtered["measure"] == "pagerank"
    assert {node["id"] for node in filtered["nodes"]} == {row["id"] for row in report["measures"]
                                                          if row["sector"] == few}


def test_a_community_page_draws_its_actors_with_a_way_back(large: TestClient) -> None:
    report = large.get("/api/v1/regions/01/analysis").json()
    for community in report["communities"]:
        page = large.get(f"/regions/01/communities/{community['number']}")
        assert page.status_code == 200
        members = {row["id"] for row in report["measures"] if row["community"] == community["number"]}
        drawn = graph_json(page.text)
        assert drawn["kind"] == "actors" and {node["id"] for node in drawn["nodes"]} == members
        assert 'href="/regions/01" id="community-back"' in page.text
        assert community["text_es"] in page.text
        again = graph_json(large.get(f"/regions/01/communities/{community['number']}?measure=betweenness").text)
        placed = [(n["id"], n["x"], n["y"]) for n in drawn["nodes"]]
        assert [(n["id"], n["x"], n["y"]) for n in again["nodes"]] == placed
        assert again["measure"] == "betweenness"
    english = large.get("/regions/01/communities/0?lang=en").text
    assert report["communities"][0]["text_en"] in english and "Back to the map" in english
    assert large.get(f"/regions/01/communities/{len(report['communities'])}").status_code == 404
    assert large.get("/regions/99/communities/0").status_code == 404
    for odd in ("uno", "-1", "1.5", "٣"):  # not a community number: the page, not a validation error
        answer = large.get(f"/regions/01/communities/{odd}")
        assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html"), odd


def test_small_regions_keep_the_map_of_actors(large: TestClient) -> None:
    drawn = graph_json(large.get("/regions/02").text)
    assert drawn["kind"] == "actors" and len(drawn["nodes"]) <= views.COMMUNITY_MAP_LIMIT
    assert large.get("/regions/02/communities/0").status_code == 404


def test_labels_of_a_map_are_never_the_same_for_two_actors() -> None:
    data = read_dataset(PERU)
    regions = {actor.region for actor in data.actors} - {None}
    for code in regions:
        graph = region_graph(data, code)
        labels = network.short_labels({node: attrs for node, attrs in graph.nodes(data=True)})
        repeated = [label for label, count in Counter(labels.values()).items() if count > 1]
        assert not repeated, (code, repeated)
        assert all(len(label) <= network.LABEL_LENGTH for label in labels.values())
    before = [network.short_label({"name": f"Municipalidad provincial {end} – Cajamarca"})
              for end in ("de la capital", "del norte", "del sur")]
    assert len(set(before)) == 1  # what the plain truncation gave: three times the same label
    after = network.short_labels({end: {"name": f"Municipalidad provincial {end} – Cajamarca"}
                                  for end in ("de la capital", "del norte", "del sur")})
    assert {label.split("… ")[1] for label in after.values()} == {"de la capital", "del norte", "del sur"}


def test_outside_partners_keep_their_sector_colour_and_only_directed_ties_have_arrows() -> None:
    data = hostile_dataset()
    graph = build_graph(data.actors, data.collaborations, "06")
    nodes = {n["id"]: n for n in network.graph_data(network.build_network(graph, {}, "degree", region="06"),
                                                    "degree")["nodes"]}
    outside = nodes["pnud"]
    assert outside["outside"] and outside["shapeProperties"]["borderDashes"]
    colour = network.SECTOR_COLOURS["international"]
    assert outside["color"]["background"] == colour and outside["color"]["highlight"]["background"] == colour
    border = outside["color"]["border"]
    assert border == network.shade(colour, network.OUTSIDE_SHADE) != colour
    channels = [[int(code[i:i + 2], 16) for i in (1, 3, 5)] for code in (colour, border)]
    assert all(dark < light for light, dark in zip(*channels, strict=True) if light)
    assert nodes["unc"]["color"] == network.SECTOR_COLOURS["academia"]
    edges = network.graph_data(network.build_network(graph, {}, "degree", region="06"), "degree")["edges"]
    directed = {tuple(sorted((u, v))) for u, v, d in graph.edges(data="directed") if d}
    assert directed and all((edge["arrows"] != "") == ((edge["from"], edge["to"]) in directed) for edge in edges)
    assert not re.search(r"#555555|grey", str(outside["color"]))
