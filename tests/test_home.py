"""The home page's map of Peru, its figures against expected and periods, the compare table, the download menus
and who may frame embeds: on the bundled Peru data, without a browser (tests/test_browser.py drives them in one)."""

from __future__ import annotations

import gzip
import html
import importlib.util
import io
import json
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from api.tokens import TokenStore
from ecograph.i18n import Texts
from ecograph.readers import read_dataset
from ecograph.stores import SQLiteStore
from visuals import charts, peru_map

ROOT = Path(__file__).parent.parent
PERU = ROOT / "data" / "peru"
WAIT = 120


def analysed_client(settings: ApiSettings) -> TestClient:
    """A client of the app (its lifespan runs the background analysis), once the analysis is stored."""
    client = TestClient(create_app(settings), follow_redirects=False)
    client.__enter__()
    deadline = time.monotonic() + WAIT
    while not client.get("/api/v1/version", headers=_bearer(settings)).json()["analysis"]:
        assert time.monotonic() < deadline, "the analysis was not stored in time"
        time.sleep(0.2)
    return client


def _bearer(settings: ApiSettings) -> dict[str, str]:
    if not settings.read_token_required:
        return {}
    return {"Authorization": f"Bearer {TokenStore(settings.tokens).create('reader')[0]}"}


@pytest.fixture(scope="module")
def peru_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("home") / "peru.db"
    with SQLiteStore(path) as store:
        store.load(read_dataset(PERU))
    return path


@pytest.fixture(scope="module")
def client(peru_store: Path) -> Iterator[TestClient]:
    settings = ApiSettings(_env_file=None, store=str(peru_store), tokens=str(peru_store.with_suffix(".tokens")))
    test_client = analysed_client(settings)
    yield test_client
    test_client.__exit__(None, None, None)


def shapes(page: str) -> dict[str, dict[str, str]]:
    """The map's regions: code → the link (or group), the shape's fill and its tooltip."""
    found = {}
    for opening, code, fill, title in re.findall(
            r'<(a href="/regions/[^"]+" aria-label="[^"]*"|g) data-code="([^"]+)">\s*<path id="shape-[^"]+" d="[^"]+" '
            r'fill="([^"]+)" fill-rule="evenodd"><title>([^<]*)</title>', page):
        found[code] = {"link": opening, "fill": fill, "title": html.unescape(title)}
    return found


def test_the_map_draws_every_region_from_the_bundled_outlines(client: TestClient) -> None:
    page = client.get("/?lang=es").text
    drawn = shapes(page)
    with SQLiteStore(Path(client.app.state.settings.store)) as store:
        regions = {region.code: region.name for region in store.regions()}
    assert set(drawn) == set(regions) and {"15a", "15b"} <= set(drawn)  # Lima split in two, as the data codes it
    for code, name in regions.items():
        assert drawn[code]["link"] == f'a href="/regions/{code}" aria-label="{html.escape(drawn[code]["title"])}"'
        assert drawn[code]["title"].startswith(f"{name}: Puntaje del ecosistema, ")
    assert peru_map.GEO.is_relative_to(ROOT / "visuals")  # the app's own copy, never the reference folder
    assert (peru_map.GEO.parent / "LICENSE").read_text().startswith("Mozilla Public License Version 2.0")
    assert "Límites: INEI (2007)" in page and "Mozilla Public License 2.0" in page
    assert '<script src="/static/peru_map.js' in page


def test_the_map_hatches_missing_figures_and_switches_figure_without_javascript(client: TestClient) -> None:
    rows = client.get("/api/v1/regions").json()["regions"]
    internet = {row["code"]: row["internet"] for row in rows}
    by_score = shapes(client.get("/").text)
    by_internet = shapes(client.get("/?map=internet").text)
    assert by_internet != by_score
    for code, figure in internet.items():
        if figure is None:  # missing: hatched, and said to be missing, never coloured as zero
            assert by_internet[code]["fill"] == "url(#hatch)" and by_internet[code]["title"].endswith("sin dato")
        else:
            assert by_internet[code]["fill"].startswith("#")
            assert f"{figure['value']:.1f} % ({figure['period']})" in by_internet[code]["title"]
    assert all(shape["fill"].startswith("#") for shape in by_score.values())  # every region has a score
    assert shapes(client.get("/?map=nonsense").text) == by_score
    page = client.get("/?map=internet").text
    assert re.search(r'<option value="internet" selected>', page)
    assert re.search(r'<div class="map-legend" data-figure="internet">', page)
    assert re.search(r'<div class="map-legend" data-figure="score" hidden>', page)


def test_the_script_gets_every_figure_of_every_region(client: TestClient) -> None:
    page = client.get("/").text
    data = json.loads(html.unescape(re.search(r'id="peru-map-data">(.*?)</script>', page, re.S)[1]))
    drawn = shapes(page)
    assert set(data) == set(peru_map.FIGURES)
    for figure, regions in data.items():
        assert set(regions) == set(drawn)
        assert all((fill is None) == ("sin dato" in text) for fill, text in regions.values()), figure
    assert {code: fill or "url(#hatch)" for code, (fill, _) in data["score"].items()} == {
        code: shape["fill"] for code, shape in drawn.items()}


def test_regions_missing_from_the_data_are_drawn_but_not_linked() -> None:
    drawn = peru_map.peru_map([{"code": "06", "name": "Cajamarca", "score": 50.0, "actors": 3, "internet": None}],
                              {}, None, Texts("en"))
    assert len(drawn.shapes) == 26
    cajamarca, = (shape for shape in drawn.shapes if shape.code == "06")
    puno, = (shape for shape in drawn.shapes if shape.code == "21")
    assert cajamarca.known and cajamarca.fills["score"] and cajamarca.fills["internet"] is None
    assert not puno.known and puno.fills == dict.fromkeys(peru_map.FIGURES) and puno.texts["score"] == (
        "Puno: not in the data")


def test_the_bundled_outlines_are_small_and_the_home_page_light(client: TestClient) -> None:
    assert peru_map.GEO.stat().st_size < 20_000
    outlines = peru_map.outlines()
    assert (outlines.width, outlines.height) == (400, 586) and len(outlines.regions) == 26
    page = client.get("/").content
    assert len(gzip.compress(page)) < 16_000, len(gzip.compress(page))


def test_the_builder_dissolves_simplifies_and_is_deterministic(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_peru_map", ROOT / "scripts" / "build_peru_map.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    assert [builder.unit_of(code) for code in ("1501", "1502", "1510", "0601", "0701")] == [
        "15a", "15b", "15b", "06", "07"]
    # two provinces of one unit and one of another, sharing borders: the inner border goes, the shared one stays
    square = lambda x, y: [(x, y), (x + 1, y), (x + 1, y + 1), (x, y + 1), (x, y)]  # noqa: E731
    boundary = builder.dissolve({"a": [square(0, 0), square(1, 0)], "b": [square(2, 0)]})
    assert len(boundary["a"]) == 6 and len(boundary["b"]) == 4
    shared = set(boundary["a"]) & set(boundary["b"])
    assert shared == {frozenset(((2, 0), (2, 1)))}
    rings = builder.simplified(boundary, 0.5)
    assert [sorted(set(ring)) for ring in rings["a"]] == [[(0, 0), (0, 1), (2, 0), (2, 1)]]  # straight runs: corners
    assert [sorted(set(ring)) for ring in rings["b"]] == [[(2, 0), (2, 1), (3, 0), (3, 1)]]
    assert rings == builder.simplified(boundary, 0.5)
    assert builder.path(rings["b"]).count("l") == 3 and builder.path(rings["b"]).endswith("z")


def test_score_against_expected_is_the_residual_of_the_least_squares_line(client: TestClient) -> None:
    rows = {row["region"]: row for row in client.get("/api/v1/compare").json()["regions"]}
    known = {code: (row["households_with_internet"], row["score"]) for code, row in rows.items()
             if row["households_with_internet"] is not None}
    line = charts.least_squares(list(known.values()))
    assert line is not None and line.count == len(known) >= 3
    page = client.get("/").text
    for code, (internet, score) in known.items():
        row = re.search(rf'<a href="/regions/{code}">[^<]*</a>.*?</tr>', page, re.S)[0]
        assert f"{score - line.at(internet):+.1f}" in row
    cajamarca = re.search(r'<a href="/regions/06">Cajamarca</a>.*?</tr>', page, re.S)[0]
    assert "sin dato" in cajamarca and "06" not in known  # no internet figure: no expected score, not zero
    assert f"ajustada a las {line.count} regiones" in page


def test_every_internet_figure_says_its_period(client: TestClient) -> None:
    page = client.get("/").text
    periods = re.search(r'id="internet-periods">([^<]*)<', page)[1]
    assert "2020-Q3: Arequipa" in html.unescape(periods) and "2023: Cusco" in periods
    assert re.search(r"Perú 58\.4 % \(2022-Q4\)", page)  # the national line of the chart
    titles = re.findall(r"<circle [^>]*><title>([^<]*)</title>", page)
    assert any("Cusco: internet 38.0 % (2023)" in html.unescape(title) for title in titles)


def test_every_point_of_the_chart_is_named_and_no_names_overlap(client: TestClient) -> None:
    rows = client.get("/api/v1/compare").json()["regions"]
    chart = charts.scatter([(row["region"], row["name"], row["households_with_internet"], row["score"])
                            for row in rows], 58.4)
    complete = [point for point in chart.points if point.complete]
    assert len(complete) >= 10 and all(point.label for point in complete)
    boxes = [(p.label.x, p.label.y - 10, p.label.x + charts.CHAR_WIDTH * len(p.name), p.label.y + 3) for p in complete]
    overlapping = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if charts._overlaps(a, b)]
    assert overlapping == []
    points = [(p.cx - 6, p.cy - 6, p.cx + 6, p.cy + 6) for p in chart.points]
    assert not [(box, point) for box in boxes for point in points if charts._overlaps(box, point)]
    page = client.get("/").text
    assert len(re.findall(r'<text class="point-label"', page)) == len(complete)


def test_compare_lists_regions_as_sortable_rows(client: TestClient) -> None:
    everyone = [row["region"] for row in client.get("/api/v1/compare").json()["regions"]]
    page = client.get("/compare", params={"regions": ",".join(everyone)}).text
    table = re.search(r'<table id="comparison" class="compare sortable">.*?</table>', page, re.S)[0]
    assert len(re.findall(r'<th scope="row"><a href="/regions/', table)) == len(everyone) == 26
    assert len(re.findall(r'<th scope="col"', table)) == 8  # a handful of columns, however many regions
    tacna = re.search(r'<a href="/regions/23">Tacna</a>.*?</tr>', table, re.S)[0]
    assert "53.8 %" in tacna and "(2020-Q3)" in tacna and re.search(r"[+-]\d+\.\d", tacna)
    figures = re.search(r'<table class="compare sortable" id="comparison-figures">.*?</table>', page, re.S)[0]
    assert len(re.findall(r'<th scope="row">', figures)) == 26


def test_download_menus_link_every_format_of_data_and_analysis(client: TestClient) -> None:
    pages = {"/regions/06": 6, "/compare?regions=06,08": 14, "/": 6}
    for page, count in pages.items():
        menu = re.search(r'<details class="downloads no-print" id="downloads">.*?</details>', client.get(page).text,
                         re.S)[0]
        links = [html.unescape(link) for link in re.findall(r'<a href="([^"]+)" download>', menu)]
        assert len(links) == count, page
        for link in links:
            answer = client.get(link)
            assert answer.status_code == 200 and "attachment" in answer.headers["content-disposition"], link
    region = client.get("/regions/06").text
    assert '/api/v1/regions/06/analysis?format=xlsx&amp;lang=es' in region
    assert '/api/v1/export?format=gexf&amp;region=06' in region
    assert '/api/v1/regions/06/analysis?format=xlsx&amp;lang=en' in client.get("/regions/06?lang=en").text
    client.cookies.clear()  # ?lang=en is remembered; the other tests read the pages in Spanish
    # the file speaks the page's language, whatever the browser's Accept-Language says
    english = client.get("/api/v1/regions/06/analysis?format=xlsx&lang=en", headers={"Accept-Language": "es"})
    spanish = client.get("/api/v1/regions/06/analysis?format=xlsx", headers={"Accept-Language": "es"})
    assert english.headers["content-language"] == "en" and spanish.headers["content-language"] == "es"
    assert english.content.startswith(b"PK") and english.content != spanish.content
    assert english.headers["etag"] != spanish.headers["etag"]


def test_the_comparison_downloads_as_a_file_of_the_chosen_regions(client: TestClient) -> None:
    menu = client.get("/compare?regions=06,08").text
    assert "/api/v1/compare?format=xlsx&amp;lang=es&amp;regions=06,08" in menu
    chosen = client.get("/api/v1/compare", params={"format": "csv", "regions": "06,08"})
    assert chosen.headers["content-disposition"].endswith('-comparison.zip"')
    with zipfile.ZipFile(io.BytesIO(chosen.content)) as archive:
        (name,) = archive.namelist()
        table = pd.read_csv(archive.open(name), comment="#", dtype={"region": str})
    assert sorted(table["region"]) == ["06", "08"] and "score" in table.columns
    everyone = client.get("/api/v1/compare", params={"format": "xlsx"}, headers={"Accept-Language": "en"})
    assert everyone.headers["content-language"] == "en"
    sheets = pd.read_excel(io.BytesIO(everyone.content), sheet_name=None)
    comparison = next(frame for frame in sheets.values() if "score" in frame.columns)
    assert len(comparison) == 26


def test_downloads_open_for_a_signed_in_visitor_when_reads_need_a_token(peru_store: Path, tmp_path: Path) -> None:
    settings = ApiSettings(_env_file=None, store=str(peru_store), tokens=str(tmp_path / "tokens.db"),
                           read_token_required=True)
    client = analysed_client(settings)
    try:
        links = ["/api/v1/export?format=xlsx&region=06", "/api/v1/regions/06/analysis?format=csv",
                 "/api/v1/export?format=graphml", "/api/v1/regions/06"]
        assert [client.get(link).status_code for link in links] == [401] * 4
        token, _ = TokenStore(settings.tokens).create("reader")
        assert client.post("/login", data={"token": token, "next": "/regions/06"}).status_code == 303
        menu = client.get("/regions/06").text
        assert all(html.escape(link) in menu for link in links[:2])
        for link in links:
            answer = client.get(link)
            assert answer.status_code == 200, link
        client.cookies.clear()
        assert client.get(links[0]).status_code == 401
        assert client.get(links[0], headers={"Authorization": f"Bearer {token}"}).status_code == 200
        assert client.post("/api/v1/actors", json={}).status_code == 401, "a session never writes"
    finally:
        client.__exit__(None, None, None)


def test_the_embed_box_says_which_sites_may_frame_the_map(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    page = client.get("/regions/06?lang=es")
    assert "Cualquier sitio web puede mostrar este mapa." in page.text
    assert client.get("/embed/regions/06").headers["content-security-policy"].endswith("frame-ancestors *")
    monkeypatch.setenv("ECOGRAPH_EMBED_FRAME_ANCESTORS", "https://www.regioncajamarca.gob.pe https://*.example.org")
    page = client.get("/regions/08?lang=en").text  # another page: a region page is kept once rendered (per version)
    assert ("Only these sites may show this map (the administrator of ecograph decides): this site, "
            "https://www.regioncajamarca.gob.pe, https://*.example.org.") in page
    policy = client.get("/embed/regions/06").headers["content-security-policy"]
    assert policy.endswith("frame-ancestors 'self' https://www.regioncajamarca.gob.pe https://*.example.org")
    monkeypatch.setenv("ECOGRAPH_EMBED_FRAME_ANCESTORS", "*")
    assert client.get("/embed/regions/06").headers["content-security-policy"].endswith("frame-ancestors *")
    assert client.get("/regions/06").headers["content-security-policy"].endswith("frame-ancestors 'self'")


def test_api_docs_load_nothing_from_outside(client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        page = client.get(path).text
        addresses = re.findall(r'(?:src|href)="([^"]+)"', page) + re.findall(r"url: '([^']+)'", page)
        assert addresses and all(address.startswith("/") for address in addresses), (path, addresses)
        assert "https://" not in page and "http://" not in page, path
        for address in addresses:
            assert client.get(address).status_code == 200, address
    assert "/static/favicon.svg" in client.get("/docs").text
    redoc = client.get("/docs-assets/redoc.standalone.js")
    assert redoc.status_code == 200 and b"Redoc" in redoc.content and b"cdn.redoc.ly" not in redoc.content


def test_api_docs_need_a_session_when_reads_need_a_token(peru_store: Path, tmp_path: Path) -> None:
    settings = ApiSettings(_env_file=None, store=str(peru_store), tokens=str(tmp_path / "tokens.db"),
                           read_token_required=True, analyse_in_background=False)
    with TestClient(create_app(settings), follow_redirects=False) as client:
        assert [client.get(path).status_code for path in ("/docs", "/redoc", "/openapi.json")] == [401] * 3
        assert client.get("/docs-assets/swagger-ui.css").status_code == 200  # no data in the viewer's files
        token, _ = TokenStore(settings.tokens).create("reader")
        client.post("/login", data={"token": token, "next": "/"})
        assert [client.get(path).status_code for path in ("/docs", "/redoc", "/openapi.json")] == [200] * 3


def test_every_reference_of_the_openapi_document_resolves(client: TestClient) -> None:
    """ReDoc refuses a document with a dangling $ref (Swagger UI shows it anyway)."""
    document = client.get("/openapi.json").json()
    references = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(document)))
    assert references and references <= set(document["components"]["schemas"])
