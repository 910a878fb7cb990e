"""The web pages without a browser: routes, languages, escaping, security headers and the map data."""

from __future__ import annotations

import gzip
import json
import math
import re
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from babel.messages.pofile import read_po
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import pages
from api.main import create_app
from api.settings import ApiSettings
from api.tokens import TokenStore
from ecograph.generate import generate_dataset
from ecograph.graph import build_graph
from ecograph.i18n import LANGUAGES, LOCALE, Texts, keys
from ecograph.model import Actor, Collaboration, Dataset, Indicator
from ecograph.readers import read_dataset
from ecograph.stores import SQLiteStore
from ecograph.writers import write_xlsx
from tests.test_api import wait_for_analysis
from visuals import charts, insights, network, views
from visuals.i18n import from_accept_language

MINI = Path(__file__).parent / "data" / "mini"
XSS = "<img src=x onerror=alert(1)>"


def hostile_dataset() -> Dataset:
    """The small test dataset plus an actor, a program and evidence written to attack the pages."""
    mini = read_dataset(MINI)
    actor = Actor(id="xss-actor", name=XSS, acronym=None, sector="civil_society", type="ngo", region="06",
                  scope="regional", capabilities=["digital_skills"], description="<script>alert(2)</script>")
    ties = [Collaboration(source="xss-actor", target="gore-cajamarca", type="training", weight=4,
                          program="<script>alert(3)</script>", evidence="javascript:alert(4)"),
            Collaboration(source="unc", target="xss-actor", type="joint_project", weight=2)]
    internet = Indicator(region="06", indicator="households_with_internet", period="2023", value=21.5,
                         source="INEI")
    return Dataset(regions=mini.regions, indicators=[*mini.indicators, internet], actors=[*mini.actors, actor],
                   collaborations=[*mini.collaborations, *ties])


def make_app(store_path: Path) -> FastAPI:
    """The service (API and pages) on the SQLite store at ``store_path``; its tokens file sits beside it."""
    return create_app(ApiSettings(store=str(store_path), tokens=str(tokens_of(store_path).path)))


def tokens_of(store_path: Path) -> TokenStore:
    return TokenStore(store_path.with_suffix(".tokens.db"))


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    path = tmp_path_factory.mktemp("pages") / "pages.db"
    with SQLiteStore(path) as store:
        store.load(hostile_dataset())
    return make_app(path)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    """A client with no cookies yet."""
    return TestClient(app)


def graph_json(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)[1])


@pytest.mark.parametrize("path", ["/", "/regions/06", "/actors/xss-actor", "/actors/gore-cajamarca",
                                  "/compare?regions=06&regions=08", "/import", "/embed/regions/06",
                                  "/embed/actors/unc"])
def test_pages_render_with_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in response.text  # no inline script at all: only src= and JSON data blocks
    assert not re.search(r"(src|href)=\"(https?:)?//", response.text.replace('href="http://testserver', ""))
    twin = re.search(r'<link rel="alternate" type="application/json" href="([^"#]+)', response.text)
    if twin:  # every page but the embeds names its JSON twin, and it answers
        assert client.get(twin[1]).status_code == 200


def test_unknown_region_and_actor_are_404_pages(client: TestClient) -> None:
    for path in ("/regions/99", "/actors/nobody", "/embed/regions/99"):
        response = client.get(path)
        assert response.status_code == 404
        assert "No encontrado" in response.text


def test_an_unknown_region_code_says_which_and_links_the_likely_one(client: TestClient) -> None:
    unknown = client.get("/regions/99")
    assert "No hay ninguna región con el código «99»." in unknown.text and "¿Quiso decir" not in unknown.text
    short = client.get("/regions/6")  # Cajamarca's code without its leading zero
    assert short.status_code == 404 and '<a href="/regions/06">¿Quiso decir la región 06?</a>' in short.text
    hostile = client.get("/regions/<b>x")
    assert "&lt;b&gt;x" in hostile.text and "<b>x" not in hostile.text


def test_an_address_that_does_not_exist_is_a_page_for_a_browser_and_a_problem_for_a_program(
        client: TestClient) -> None:
    browser = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    page = client.get("/no-such-page", headers=browser)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "No encontrado" in page.text
    for path, headers in (("/no-such-page", {}), ("/api/v1/no-such-thing", browser)):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 404 and answer.headers["content-type"] == "application/problem+json"
    assert client.post("/", headers=browser).headers["content-type"] == "application/problem+json"  # 405


def test_hostile_text_is_escaped_everywhere(client: TestClient) -> None:
    for path in ("/actors/xss-actor", "/actors/gore-cajamarca", "/regions/06", "/embed/regions/06"):
        html = client.get(path).text
        assert "<img src=x" not in html and "<script>alert" not in html
    actor = client.get("/actors/xss-actor").text
    assert "<h1>&lt;img src=x onerror=alert(1)&gt;" in actor
    assert 'href="javascript:' not in client.get("/actors/gore-cajamarca").text
    data = graph_json(client.get("/regions/06").text)
    assert any(node["name"] == XSS for node in data["nodes"])  # intact once parsed: graph.js shows it as text


def test_json_blocks_cannot_close_their_script_element(client: TestClient) -> None:
    html = client.get("/regions/06").text
    block = re.search(r'id="graph-data">(.*?)</script>', html, re.S)[1]
    assert "<" not in block and ">" not in block


def test_spanish_by_default_english_by_switch_cookie_or_header(client: TestClient) -> None:
    assert '<html lang="es">' in client.get("/regions/06").text
    assert "Ecosistema digital de Cajamarca" in client.get("/regions/06").text
    english = client.get("/regions/06?lang=en")
    assert "Digital ecosystem of Cajamarca" in english.text
    assert english.cookies.get("lang") == "en"
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "es"}).text  # the cookie wins
    assert 'href="/regions/06?lang=es"' in client.get("/regions/06").text
    fresh = TestClient(client.app)
    assert '<html lang="en">' in fresh.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert '<html lang="es">' in fresh.get("/", headers={"Accept-Language": "fr,es;q=0.5,en;q=0.4"}).text
    assert 'href="/regions/06?lang=en"' in fresh.get("/regions/06").text


def test_accept_language_parsing() -> None:
    assert from_accept_language("") == "es"
    assert from_accept_language("en-US,en;q=0.9") == "en"
    assert from_accept_language("es-PE,en;q=0.9") == "es"
    assert from_accept_language("en;q=0.2,es;q=0.8") == "es"
    assert from_accept_language("en;q=bad") == "es"


def plural_keys(lang: str) -> set[str]:
    """The keys of the plural messages of ``lang``'s catalogs."""
    found: set[str] = set()
    for path in (LOCALE / lang / "LC_MESSAGES").glob("*.po"):
        with path.open("rb") as source:
            found |= {message.id[0] for message in read_po(source, locale=lang) if message.pluralizable}
    return found


def test_every_text_the_templates_use_is_in_the_catalogs() -> None:
    templates = "".join(path.read_text() for path in (Path(views.__file__).parent / "templates").glob("*.html"))
    used = set(re.findall(r"""\bt\(["']([\w.]+)["']\s*[,)]""", templates)) | set(pages.REFUSED)
    counted = set(re.findall(r"""\bt\.plural\(["']([\w.]+)["']\s*,""", templates))
    kinds = set(re.findall(r"""\bt\.label\(["'](\w+)["']\s*,""", templates))
    assert used and counted and kinds
    for lang in LANGUAGES:
        plural = plural_keys(lang)
        assert used <= keys(lang) - plural, (lang, used - (keys(lang) - plural))
        assert counted <= plural, (lang, counted - plural)
        assert all(Texts(lang).labels(kind) for kind in kinds), lang


def test_embed_frame_ancestors_come_from_the_setting(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    assert client.get("/regions/06").headers["content-security-policy"].endswith("frame-ancestors 'self'")
    assert client.get("/embed/regions/06").headers["content-security-policy"].endswith("frame-ancestors *")
    monkeypatch.setenv("ECOGRAPH_EMBED_FRAME_ANCESTORS", "https://www.example.gob.pe")
    embed = client.get("/embed/regions/06?lang=en&measure=pagerank&sectors=public,academia")
    assert embed.headers["content-security-policy"].endswith("frame-ancestors 'self' https://www.example.gob.pe")
    assert client.get("/regions/06").headers["content-security-policy"].endswith("frame-ancestors 'self'")
    data = graph_json(embed.text)
    assert {node["sector"] for node in data["nodes"]} <= {"public", "academia"} and data["measure"] == "pagerank"
    assert '<html lang="en">' in embed.text
    monkeypatch.setenv("ECOGRAPH_EMBED_FRAME_ANCESTORS", "'self'; script-src *")
    with pytest.raises(ValueError, match="not a CSP source list"):
        client.get("/embed/regions/06")


def test_region_page_offers_an_escaped_embed_snippet(client: TestClient) -> None:
    html = client.get("/regions/06").text
    assert "&lt;iframe src=&#34;http://testserver/embed/regions/06?lang=es&#34;" in html


def test_vis_network_is_served_locally_and_gzipped(client: TestClient) -> None:
    html = client.get("/regions/06").text
    url = re.search(r'<script src="(/vendor/vis-network-[\d.]+\.min\.js)"', html)[1]
    packed = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip" and "immutable" in packed.headers["cache-control"]
    assert b"vis-network" in packed.content[:200]  # httpx has already unpacked it
    assert client.get("/vendor/vis-network-0.0.0.min.js").status_code == 404
    assert len(gzip.compress(packed.content)) < 160_000


def test_network_colours_shapes_sizes_and_tooltips_data() -> None:
    data = hostile_dataset()
    graph = build_graph(data.actors, data.collaborations, "06")
    measures = {node: {"degree": float(graph.degree(node))} for node in graph}
    recommended = [network.Recommendation("unc", "camara-cajamarca", "porque sí", "because")]
    payload = network.graph_data(network.build_network(graph, measures, "degree", recommended, "06"), "degree")
    nodes = {node["id"]: node for node in payload["nodes"]}
    assert nodes["unc"]["color"] == network.SECTOR_COLOURS["academia"] and nodes["unc"]["shape"] == "triangle"
    assert nodes["pnud"]["outside"] and nodes["pnud"]["shape"] == "star"  # from outside the region
    assert nodes["gore-cajamarca"]["value"] == graph.degree("gore-cajamarca")
    assert nodes["xss-actor"]["programs"] == ["<script>alert(3)</script>"]
    dashed = [edge for edge in payload["edges"] if edge.get("recommended")]
    assert dashed[0]["dashes"] and dashed[0]["reason"] == {"es": "porque sí", "en": "because"}
    funding = next(edge for edge in payload["edges"] if {edge["from"], edge["to"]} == {"produce", "camara-cajamarca"})
    assert funding["arrows"] in ("to", "from") and funding["ties"][0]["type"] == "funding"
    assert payload["has_recommended"] and payload["has_arrows"] and payload["has_outside"]
    assert not payload["options"]["physics"]["enabled"]
    assert all("x" in node and "y" in node for node in payload["nodes"])


def test_maps_get_stable_precomputed_positions_and_no_physics() -> None:
    data = generate_dataset(network.LAYOUT_ON_REQUEST_LIMIT + 50, seed=3)
    graph = build_graph(data.actors, data.collaborations)
    first = views.map_context(graph, {}, None)["graph"]
    again = views.map_context(nx.MultiDiGraph(graph), {}, None)["graph"]
    assert not first["options"]["physics"]["enabled"]
    assert all("x" in node and "y" in node for node in first["nodes"])
    assert [(n["x"], n["y"]) for n in first["nodes"]] == [(n["x"], n["y"]) for n in again["nodes"]]
    small = views.map_context(build_graph(data.actors[:30], []), {}, None)["graph"]
    assert not small["options"]["physics"]["enabled"] and all("x" in node for node in small["nodes"])
    assert first["options"]["interaction"]["hideEdgesOnDrag"] and first["options"]["interaction"]["hideEdgesOnZoom"]


def overlapping_nodes(drawn: dict) -> list[tuple[str, str]]:
    """Pairs of nodes of a drawn map whose shapes (dots, or as far as a square's corner reaches) touch, as
    vis-network sizes them from their values."""
    sizes = network.node_sizes(np.array([node["value"] for node in drawn["nodes"]], dtype=float))
    reach = (1.0 if drawn.get("kind") == "communities" else network.SHAPE_REACH) * sizes
    nodes = drawn["nodes"]
    return [(a["id"], b["id"]) for i, a in enumerate(nodes) for j, b in enumerate(nodes[:i])
            if math.dist((a["x"], a["y"]), (b["x"], b["y"])) < reach[i] + reach[j]]


def test_no_two_actors_of_a_bundled_region_map_cover_each_other(peru_path: Path) -> None:
    # each region's map as it opens (sized by the number of partners), on the bundled Peru data
    with SQLiteStore(peru_path) as store:
        codes = [region.code for region in store.regions()]
    with TestClient(make_app(peru_path)) as peru:
        wait_for_analysis(peru)
        crowded = {code: overlapping_nodes(graph_json(peru.get(f"/regions/{code}").text)) for code in codes}
    assert not any(crowded.values()), crowded


def test_nodes_moved_apart_stay_put_when_free_and_do_not_depend_on_the_sizing_measure() -> None:
    points = np.random.default_rng(1).normal(size=(60, 2)) * 40
    sizes = np.full(60, 20.0)
    moved = network.apart(points, sizes, gap=5)
    distances = np.hypot(*(moved[:, None, :] - moved[None, :, :]).transpose(2, 0, 1)) + np.eye(60) * 1e9
    assert distances.min() >= 45 - 1e-6
    assert np.array_equal(moved, network.apart(points, sizes, gap=5))  # the same every time
    far = np.array([[0.0, 0.0], [500.0, 0.0]])
    assert np.array_equal(network.apart(far, np.array([10.0, 10.0])), far)
    # two actors in the same place part
    assert np.ptp(network.apart(np.zeros((2, 2)), np.array([10.0, 10.0])), axis=0).max() > 0
    data = hostile_dataset()
    graph = build_graph(data.actors, data.collaborations, "06")
    measures = {node: {"degree": float(graph.degree(node)), "pagerank": float(index)}
                for index, node in enumerate(graph)}
    by_degree, by_rank = (network.graph_data(network.build_network(graph, measures, chosen), chosen)
                          for chosen in ("degree", "pagerank"))
    assert [(n["x"], n["y"]) for n in by_degree["nodes"]] == [(n["x"], n["y"]) for n in by_rank["nodes"]]


def test_edges_join_all_ties_of_a_pair() -> None:
    data = hostile_dataset()
    extra = Collaboration(source="gore-cajamarca", target="xss-actor", type="funding", weight=5)
    graph = build_graph(data.actors, [*data.collaborations, extra], "06")
    payload = network.graph_data(network.build_network(graph, {}, "degree"), "degree")
    pair = next(edge for edge in payload["edges"] if {edge["from"], edge["to"]} == {"gore-cajamarca", "xss-actor"})
    assert len(pair["ties"]) == 2 and pair["width"] == network.edge_width(5)


def test_scatter_keeps_missing_figures_out_of_zero() -> None:
    chart = charts.scatter([("06", "Cajamarca", None, 0.4), ("08", "Cusco", 38.0, 0.6), ("10", "Huánuco", 0.0, None)])
    left, top, right, bottom = chart.plot
    missing_x, full, missing_y = chart.points
    assert missing_x.cx < left and not missing_x.complete
    assert full.complete and left < full.cx <= right and top <= full.cy < bottom
    assert missing_y.cx == left and missing_y.cy > bottom  # zero internet is on the axis; no score is below it
    assert charts.scatter([("06", "Cajamarca", None, 0.4), ("08", "Cusco", 38.0, None)]) is None
    assert full.label is not None and missing_x.label is None and chart.without_x == ["Cajamarca"]


def test_home_table_counts_and_internet_figures(client: TestClient) -> None:
    html = client.get("/").text
    row = re.search(r'<a href="/regions/06">Cajamarca</a>.*?</tr>', html, re.S)[0]
    cells = re.findall(r'data-sort="([^"]*)"', row)
    assert cells[0] == "4" and cells[5] == "21.5"  # 4 actors in Cajamarca, 21.5 % households with internet
    cusco = re.search(r'<a href="/regions/08">Cusco</a>.*?</tr>', html, re.S)[0]
    assert re.findall(r'data-sort="([^"]*)"', cusco)[5] == "38.0"


@pytest.fixture
def import_client(tmp_path: Path) -> TestClient:
    """A client of the service on an empty store, and its tokens file."""
    return TestClient(make_app(tmp_path / "import.db"))


def token(client: TestClient, role: str, regions: list[str] | None = None) -> str:
    store_path = Path(client.app.state.settings.store)
    return tokens_of(store_path).create(role, regions)[0]


def test_import_checks_then_loads_only_on_confirm(import_client: TestClient, tmp_path: Path) -> None:
    workbook = write_xlsx(hostile_dataset(), tmp_path / "ecosistema.xlsx")[0]
    with open(workbook, "rb") as file:
        checked = import_client.post("/import", data={"token": token(import_client, "admin")},
                                     files={"upload": ("ecosistema.xlsx", file)})
    assert checked.status_code == 200 and "Archivo válido" in checked.text
    assert "s3cret" not in checked.text and 'name="token"' not in checked.text  # the token is not sent back
    upload_id = re.search(r'name="upload_id" value="([^"]+)"', checked.text)[1]
    assert "Cajamarca" not in import_client.get("/").text  # nothing loaded yet
    done = import_client.post("/import/confirm", data={"upload_id": upload_id})
    assert done.status_code == 200 and "Versión de datos 1" in done.text
    assert "Cajamarca" in import_client.get("/").text
    again = import_client.post("/import/confirm", data={"upload_id": upload_id})
    assert again.status_code == 410  # an upload is loaded once


def test_import_refuses_bad_tokens_files_data_and_scope(import_client: TestClient) -> None:
    admin, reader = token(import_client, "admin"), token(import_client, "reader")
    upload = {"upload": ("data.json", b"{}")}
    assert import_client.post("/import", data={"token": "eg_guess"}, files=upload).status_code == 403
    assert "solo permite leer" in import_client.post("/import", data={"token": reader}, files=upload).text
    refused = import_client.post("/import", data={"token": admin}, files={"upload": ("a.exe", b"MZ")})
    assert refused.status_code == 400 and "a.exe" in refused.text
    bad = json.dumps({"actors": [{"id": "Bad Id", "name": XSS, "sector": "x", "type": "ngo", "scope": "local"}],
                      "collaborations": []})
    report = import_client.post("/import", data={"token": admin}, files={"upload": ("bad.json", bad)})
    assert report.status_code == 422 and re.search(r"Se encontraron? \d+ problemas?; no se importó nada", report.text)
    assert "sector desconocido" in report.text and "<img src=x" not in report.text
    editor = token(import_client, "editor", ["08"])
    data = json.dumps(hostile_dataset().model_dump(mode="json"))
    scoped = import_client.post("/import", data={"token": editor}, files={"upload": ("all.json", data)})
    assert scoped.status_code == 403 and "no puede hacer todos estos cambios" in scoped.text
    assert import_client.post("/import/confirm", data={"upload_id": "../../etc"}).status_code == 410


def test_import_lists_a_mistake_repeated_in_many_rows_a_few_times(import_client: TestClient) -> None:
    actors = [{"id": f"a{number}", "name": f"A {number}", "sector": "privade", "type": "company", "scope": "local"}
              for number in range(25)]
    upload = {"upload": ("many.json", json.dumps({"actors": actors, "collaborations": []}))}
    report = import_client.post("/import", data={"token": token(import_client, "admin")}, files=upload)
    assert report.status_code == 422 and "25 problemas" in report.text
    table = re.search(r'<table id="problems">.*?</table>', report.text, re.S)[0]
    assert table.count("sector desconocido") == pages.PROBLEMS_PER_KIND
    assert ('<tr class="more-problems"><td>many.json[actors], sector</td><td>… y 15 problemas más del mismo tipo'
            in table)


def test_import_confirm_needs_the_token_still_valid(import_client: TestClient) -> None:
    admin, info = tokens_of(Path(import_client.app.state.settings.store)).create("admin")
    data = json.dumps(hostile_dataset().model_dump(mode="json"))
    checked = import_client.post("/import", data={"token": admin}, files={"upload": ("all.json", data)})
    upload_id = re.search(r'name="upload_id" value="([^"]+)"', checked.text)[1]
    tokens_of(Path(import_client.app.state.settings.store)).revoke(info.id)
    assert import_client.post("/import/confirm", data={"upload_id": upload_id}).status_code == 403


def stub_insights() -> insights.RegionInsights:
    """Findings shaped like the engine's, with hostile text in them."""
    return insights.RegionInsights(
        measures={"unc": {"degree": 2.0}, "xss-actor": {"degree": 2.0, "betweenness": 0.5}},
        roles={"xss-actor": ("broker",)}, key_actors=["xss-actor"],
        gaps=[insights.Gap("high", insights.Sentence(f"Nadie une a {XSS} con la academia.",
                                                     f"Nobody links {XSS} to academia."))],
        opportunities=[insights.Opportunity(
            "unc", "camara-cajamarca", insights.Sentence("Une academia y empresa.", "Joins academia and business."))],
        convening=insights.Convening(["gore-cajamarca", "xss-actor"], 0.75, 1),
        mixing=insights.Mixing(("academia", "public"), ((0, 3), (3, 1)), ((0.5, 2.0), (2.0, 0.5))))


def test_dashboard_shows_findings_escaped_and_draws_opportunities(client: TestClient,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(insights, "region_insights", lambda *args: stub_insights())
    monkeypatch.setattr(insights, "what_if", lambda *args: [insights.Change("components", 1, 2)])
    html = client.get("/regions/06?remove=xss-actor&measure=betweenness").text
    assert "Nadie une a &lt;img src=x onerror=alert(1)&gt; con la academia." in html and "<img src=x" not in html
    assert 'data-nodes="unc camara-cajamarca"' in html and 'data-nodes="gore-cajamarca xss-actor"' in html
    assert re.search(r'<option value="xss-actor" selected>&lt;img', html)
    assert 'id="what-if-result"' in html and "+1" in html
    assert re.search(r'id="key-actors".*?&lt;img src=x onerror=alert\(1\)&gt;</a>', html, re.S)
    assert html.count("<rect") >= 4  # the 2 x 2 mixing heatmap
    data = graph_json(html)
    dashed = [edge for edge in data["edges"] if edge.get("recommended")]
    assert [(e["from"], e["to"]) for e in dashed] == [("unc", "camara-cajamarca")]
    assert {node["id"]: node["value"] for node in data["nodes"]}["xss-actor"] == 0.5
    english = client.get("/regions/06?lang=en&remove=xss-actor&measure=betweenness").text
    assert "Nobody links &lt;img" in english and "Joins academia and business." in english


def test_dashboard_and_home_show_the_engines_findings(client: TestClient) -> None:
    html = client.get("/regions/06").text
    for section in ('id="key-actors"', 'id="gaps"', 'id="convening"', 'id="mixing-h"'):
        assert section in html, section
    assert "El análisis de la red aún no está disponible" not in html
    assert 'id="what-if-result"' in client.get("/regions/06?remove=gore-cajamarca").text
    home = client.get("/").text
    cajamarca = re.search(r'<a href="/regions/06">Cajamarca</a>.*?</tr>', home, re.S)[0]
    score = re.findall(r'data-sort="([^"]*)"', cajamarca)[2]
    assert 0 <= float(score) <= 100
    assert '<circle cx="' in home  # the score is drawn against internet access


def test_actor_page_shows_roles_and_recommended_partners(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(insights, "region_insights", lambda *args: stub_insights())
    monkeypatch.setattr(insights, "suggestions", lambda report, actor: [
        tie for tie in stub_insights().opportunities if actor in (tie.source, tie.target)])
    html = client.get("/actors/xss-actor").text
    assert re.search(r'<summary class="tag" title="[^"]+">Intermediario</summary>', html)
    assert 'id="suggested"' not in html
    unc = client.get("/actors/unc").text
    assert 'id="suggested"' in unc and "Une academia y empresa." in unc
    data = graph_json(unc)
    assert "camara-cajamarca" in {node["id"] for node in data["nodes"]}  # drawn though not yet a partner
    assert [(e["from"], e["to"]) for e in data["edges"] if e.get("recommended")] == [("unc", "camara-cajamarca")]


def test_the_web_import_reads_maps_from_other_tools_with_a_mapping(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A Kumu map uploaded on the page is read against the store's regions, its warnings shown, and loaded on
    confirm; a mapping line that is not FIELD=COLUMN is refused with the reason."""
    monkeypatch.setenv("ECOGRAPH_MAPPINGS", str(tmp_path / "mappings.json"))
    path = tmp_path / "map.db"
    with SQLiteStore(path) as store:
        store.load(read_dataset(Path(__file__).parent / "data" / "mini"))
    client = TestClient(make_app(path))
    admin = token(client, "admin")
    kumu = (Path(__file__).parent / "data" / "formats" / "kumu-cajamarca.json").read_bytes()
    bad = client.post("/import", data={"token": admin, "mapping": "sector"}, files={"upload": ("kumu.json", kumu)})
    assert bad.status_code == 422 and "La correspondencia de columnas no es válida" in bad.text
    checked = client.post("/import", data={"token": admin, "mapping": "website=url"},
                          files={"upload": ("kumu.json", kumu)})
    assert checked.status_code == 200, checked.text
    assert 'id="warnings"' in checked.text and "advertencia" in checked.text
    upload_id = re.search(r'name="upload_id" value="([^"]+)"', checked.text)[1]
    assert client.post("/import/confirm", data={"upload_id": upload_id}).status_code == 200
    with SQLiteStore(path) as store:
        assert store.actor("universidad-nacional-de-cajamarca").region == "06"
        assert len(store.regions()) == 2, "a map keeps the store's regions"
