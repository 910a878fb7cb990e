"""Findings in words: international cooperation missing from a region is a gap, key actors say why they matter
(page, API and CLI alike), what-if results are sentences with percentages, and every role and measure has a
definition on the page and in the glossary."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from ecograph.analysis.key_actors import sole_links
from ecograph.analysis.models import Figures, WhatIf
from ecograph.analysis.report import region_report
from ecograph.graph import build_graph
from ecograph.model import Actor, Collaboration
from ecograph.stores.sqlite import SQLiteStore
from tests.test_browser import PERU
from tests.test_cli import invoke
from tests.test_gaps import gaps_of, healthy, of_kind
from tests.test_visuals import make_app
from visuals import insights

TYPES = {"academia": "university", "public": "regional_government", "private": "company"}


def international(gaps: list) -> list[tuple[str, list[str], str]]:
    return [(g.severity, g.actors, g.text_es) for g in of_kind(gaps, "missing_sector") if g.subject == "international"]


# -- international cooperation ---------------------------------------------------------------------
def test_a_region_without_international_cooperation_has_a_gap_that_names_who_works_with_it_from_outside() -> None:
    actors, ties = healthy()
    assert international(gaps_of(actors, ties)) == [], "a cooperation agency's regional office fills it"
    actors.pop("cosude")
    ties = [tie for tie in ties if "cosude" not in (tie.source, tie.target)]
    assert international(gaps_of(actors, ties)) == [("low", ["pnud"], (
        "No hay ningún actor de la cooperación internacional en la región; solo PNUD trabaja con sus actores "
        "desde fuera."))]
    alone = [tie for tie in ties if "pnud" not in (tie.source, tie.target)]
    assert international(gaps_of(actors, alone)) == [("medium", [], (
        "No hay ningún actor de la cooperación internacional en la región, y ninguno de sus actores trabaja con "
        "una agencia de fuera."))]


@pytest.fixture(scope="module")
def cajamarca(peru_path: Path) -> nx.MultiDiGraph:
    """Cajamarca's graph as the store gives it: its actors, their ties and their partners elsewhere."""
    with SQLiteStore(peru_path) as store:
        return store.graph("06")


def test_bundled_cajamarca_raises_its_missing_international_cooperation(cajamarca: nx.MultiDiGraph) -> None:
    gaps = region_report(cajamarca).gaps
    assert international(gaps) == [("low", ["fao", "giz"], (
        "No hay ningún actor de la cooperación internacional en la región; solo FAO y GIZ trabajan con sus "
        "actores desde fuera."))]


# -- key actors --------------------------------------------------------------------------------------
def star() -> nx.Graph:
    """The regional government works with two universities and two companies; the universities with each other."""
    graph = nx.Graph([("unc", "upagu"), ("unc", "gore"), ("upagu", "gore"), ("gore", "camara"), ("gore", "coop")],
                     region="06")
    nx.set_node_attributes(graph, {"unc": "academia", "upagu": "academia", "gore": "public", "camara": "private",
                                   "coop": "private"}, "sector")
    nx.set_node_attributes(graph, "06", "region")
    return graph


def test_the_only_link_between_two_sectors_is_found_and_lost_with_a_second_one() -> None:
    graph = star()
    assert sole_links(graph) == {"gore": [("academia", "private")]}, "gore is the public sector, not its link"
    graph.add_edge("upagu", "camara")
    assert sole_links(graph) == {}, "a direct tie is a second contact"
    graph.remove_edge("upagu", "camara")
    graph.add_node("ong", sector="civil_society", region="06")
    graph.add_edges_from([("ong", "unc"), ("ong", "coop")])
    assert "gore" not in sole_links(graph), "so is a partner in common (the NGO, between UNC and the company)"


def test_a_key_actors_sentence_is_built_from_its_figures() -> None:
    graph = star()
    actors = [Actor(id=node, name=node.upper(), sector=data["sector"], type=TYPES[data["sector"]], region="06",
                    scope="regional") for node, data in graph.nodes(data=True)]
    report = region_report(build_graph(actors, [Collaboration(source=u, target=v, type="agreement")
                                                for u, v in graph.edges()], region="06"))
    found = {actor.id: actor for actor in report.key_actors}
    gore = found["gore"]
    assert (gore.partners, gore.partner_sectors, gore.sole_link) == (4, ["academia", "private"], ["academia-private"])
    assert gore.text_es.startswith("4 socios en 2 sectores; es el único vínculo entre la academia y el sector "
                                   "privado; ")
    assert gore.text_en.startswith("4 partners in 2 sectors; it is the only link between academia and the private "
                                   "sector; ")
    assert gore.text_es.endswith("si se retira, 2 actores pierden su conexión con el resto.") and gore.cuts_off == 2


def test_bundled_cajamarca_key_actors_in_the_report(cajamarca: nx.MultiDiGraph) -> None:
    report = region_report(cajamarca)
    first = report.key_actors[0]
    assert first.id == "gore-cajamarca" and first.roles[:2] == ["hub", "broker"]
    assert first.text_es == ("13 socios en 4 sectores; el 31 % de los caminos más cortos entre los demás actores pasa "
                             "por él; es el actor de la región con más socios.")
    institute = next(actor for actor in report.key_actors if actor.id == "cajamarca-instituto-tecnologico")
    assert institute.cuts_off == 1 and "si se retira, 1 actor pierde su conexión con el resto" in institute.text_es


def test_the_cli_report_prints_why_each_key_actor_matters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke("load", PERU, "--db", "peru.db").exit_code == 0
    table = invoke("analyze", "--region", "06", "--db", "peru.db")
    block = table.stdout.split("== key_actors ==")[1].split("==")[0]
    assert "gore-cajamarca" in block and "13 socios en 4 sectores" in block
    english = invoke("analyze", "--region", "06", "--format", "json", "--db", "peru.db", lang="en")
    assert '"text_en": "13 partners in 4 sectors;' in english.stdout


# -- what-if in sentences ----------------------------------------------------------------------------
@pytest.mark.parametrize(("before", "after", "first"), [
    (Figures(components=1, fragmentation=0.0, ei_index=0.7, reach_share=0.96),
     Figures(components=3, fragmentation=0.12, ei_index=0.6, reach_share=1.0),
     "Sin GORE, la red se divide en 3 grupos sin contacto entre sí (antes, 1) y el 12 % de los actores queda "
     "aislado del grupo principal (antes, el 0 %)."),
    (Figures(components=2, fragmentation=0.1, ei_index=0.7, reach_share=0.96),
     Figures(components=2, fragmentation=0.2, ei_index=0.7, reach_share=0.9),
     "Sin GORE, el 20 % de los actores queda aislado del grupo principal (antes, el 10 %)."),
    (Figures(components=1, fragmentation=0.0, ei_index=0.7, reach_share=0.96),
     Figures(components=1, fragmentation=0.0, ei_index=0.7, reach_share=0.9),
     "Sin GORE, la red sigue unida: todos los demás actores siguen conectados entre sí."),
])
def test_what_if_is_said_with_percentages(before: Figures, after: Figures, first: str) -> None:
    said = [s("es") for s in insights.what_if_sentences(WhatIf(removed=["gore"], added=[], before=before,
                                                                after=after), "GORE", 5)]
    assert said[0] == first
    cross = "pasan del 85 % al 80 % del total." if before.ei_index != after.ei_index else "siguen siendo el 85 %"
    assert cross in said[1]
    assert said[2] == (f"Un grupo convocante de 5 actores, elegido de nuevo sin GORE, llegaría al "
                       f"{round(after.reach_share * 100)} % de los actores de la región (antes, al 96 %).")


# -- pages: words first, figures behind "Detalles técnicos", definitions on tap and in the glossary ---------
@pytest.fixture(scope="module")
def client(peru_path: Path) -> TestClient:
    return TestClient(make_app(peru_path))


def test_region_page_says_why_and_defines_every_role(client: TestClient) -> None:
    html = client.get("/regions/06").text
    key = html.split('id="key-actors"')[1].split("</ol>")[0]
    assert "13 socios en 4 sectores" in key and "Pase el cursor" not in html
    twin = client.get("/api/v1/regions/06/analysis").json()["key_actors"]
    assert [actor["id"] for actor in twin] == re.findall(r'<strong><svg[^>]*>.*?</svg><a href="/actors/([^"]+)"', key)
    assert twin[0]["text_es"] in key and twin[0]["text_en"].startswith("13 partners in 4 sectors")
    terms = re.findall(r'<details class="term"><summary class="tag" title="([^"]+)">([^<]+)</summary>'
                       r'<span class="definition">([^<]+) <a href="/glosario#role-(\w+)">', key)
    assert terms and all(title == definition.strip() for title, _, definition, _ in terms)
    assert re.search(r'<details class="technical no-print" id="key-details">\s*<summary>Detalles técnicos',
                     html)
    assert "Intermediación" not in key, "the measures' names wait in the technical details"
    what_if = client.get("/regions/06?remove=gore-cajamarca").text.split('id="what-if-said"')[1]
    assert "Sin Gobierno Regional de Cajamarca, la red sigue unida" in what_if
    assert what_if.index("</ul>") < what_if.index('id="what-if-result"'), "the figures come after the words"


def test_an_actor_page_says_why_a_key_actor_matters(client: TestClient) -> None:
    gore = client.get("/actors/gore-cajamarca?lang=es").text
    assert re.search(r'<dd id="why">13 socios en 4 sectores; [^<]+\.</dd>', gore)
    assert re.search(r'<details class="technical" id="measures">\s*<summary>Detalles técnicos', gore)
    assert 'id="why"' not in client.get("/actors/upagu?lang=es").text, "not a key actor"


def test_the_glossary_defines_every_role_measure_and_figure_in_both_languages(client: TestClient) -> None:
    page = client.get("/glosario")
    assert page.status_code == 200 and 'href="/glosario.json"' in page.text
    assert {"role", "measure", "figure"} <= {kind for _, kind, _ in insights.GLOSSARY}
    assert set(insights.SIZE_MEASURES) <= {code for _, kind, codes in insights.GLOSSARY if kind == "measure"
                                           for code in codes}
    assert {"density", *insights.WHAT_IF_FIGURES} <= {code for _, kind, codes in insights.GLOSSARY
                                                       if kind == "figure" for code in codes}
    for _, kind, codes in insights.GLOSSARY:
        for code in codes:
            assert f'id="{kind}-{code}"' in page.text, (kind, code)
    english = client.get("/glosario.json?lang=en").json()
    assert english["lang"] == "en" and len(english["terms"]) == len(page.text.split("<dt id=")) - 1
    broker = next(term for term in english["terms"] if term["code"] == "broker")
    assert broker["term"] == "Broker" and "shortest paths" in broker["definition"]
    assert client.get("/glossary?lang=es").text.count("<dt id=") == page.text.count("<dt id=")
    assert 'href="/glosario"' in client.get("/").text, "every page links the glossary"


# -- the brief's map -----------------------------------------------------------------------------------
def test_the_printed_map_names_only_the_labelled_actors_without_overlapping_labels() -> None:
    nodes = [{"id": f"n{i}", "x": (i % 2) * 5, "y": 0 if i < 2 else 400, "value": i, "short": f"Actor {i}",
              "shape": "dot", "color": "#0072B2"} for i in range(5)]
    drawn = insights.print_map({"nodes": nodes, "edges": [{"from": "n0", "to": "n1", "width": 3}]},
                               ["n0", "n1", "n2"])
    assert drawn is not None and len(drawn.edges) == 1
    named = {node.label: node for node in drawn.nodes if node.label}
    assert sorted(named) == ["Actor 0", "Actor 1", "Actor 2"], "only the labelled actors are named"
    boxes = [(n.label_x - 0.28 * insights.PRINT_FONT * len(n.label), n.label_y - insights.PRINT_FONT,
              n.label_x + 0.28 * insights.PRINT_FONT * len(n.label), n.label_y) for n in named.values()]
    assert all(b[0] >= 0 and b[2] <= insights.PRINT_WIDTH and b[1] >= 0 and b[3] <= insights.PRINT_HEIGHT
               for b in boxes)
    assert not any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
                   for i, a in enumerate(boxes) for b in boxes[i + 1:]), "two actors at almost one spot"
    too_many = [{**nodes[0], "id": f"m{i}"} for i in range(insights.PRINT_LIMIT + 1)]
    assert insights.print_map({"nodes": too_many, "edges": []}, []) is None
    assert insights.print_map({"nodes": [{"id": "a"}], "edges": []}, []) is None, "no positions, no printed map"


def test_the_region_page_prints_the_key_actors_on_its_map(client: TestClient) -> None:
    html = client.get("/regions/06?lang=es").text
    printed = html.split('id="print-map"')[1].split("</figure>")[0]
    assert len(re.findall(r"<text ", printed)) == len(client.get("/api/v1/regions/06/analysis").json()["key_actors"])
    assert ">GORE Cajamarca</text>" in printed
