"""The HTTP API over TestClient, on each store: every endpoint, tokens and region scopes, every error status,
ETags, caching, import and export round trips.

Every test gets a fresh store holding the small test dataset (two regions, six actors, four ties):
Cajamarca (06) has gore-cajamarca, unc and camara-cajamarca; Cusco (08) asoc-mujeres-cusco; pnud
(international) and produce (national) have no home region.
"""

from __future__ import annotations

import io
import json
import re
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from api.tokens import TokenStore
from ecograph import service as service_module
from ecograph.layout import layout
from ecograph.model import Dataset
from ecograph.readers import check_dataset, read_dataset
from ecograph.stores import SQLiteStore, Store, StoreUnavailable
from ecograph.writers import write_csv, write_xlsx

MINI = Path(__file__).parent / "data" / "mini"
API = "/api/v1"
ENGLISH = {"Accept-Language": "en"}
"""The header that asks for English error details (Spanish is the default)."""
STORES = ["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)]


# -- fixtures (also used by tests/test_api_*.py) --------------------------------------------------
def sqlite_settings(folder: Path, dataset: Dataset | None = None, **overrides: Any) -> ApiSettings:
    """Settings for a new SQLite store in ``folder`` holding ``dataset`` (default: the small test dataset)."""
    path = folder / "api.db"
    with SQLiteStore(path) as store:
        store.load(dataset if dataset is not None else read_dataset(MINI))
    return ApiSettings(_env_file=None, store=str(path), tokens=str(folder / "tokens.db"), **overrides)


def neo4j_settings(folder: Path, dataset: Dataset | None = None, **overrides: Any) -> ApiSettings:
    """Settings for the test Neo4j server (wiped, then holding ``dataset``)."""
    from tests.neo4j_server import connect, server_env, wipe

    uri, user, password = server_env()
    with connect() as store:
        wipe(store)
        store.load(dataset if dataset is not None else read_dataset(MINI))
    return ApiSettings(_env_file=None, store=uri, neo4j_user=user, neo4j_password=password,
                       tokens=str(folder / "tokens.db"), **overrides)


def make_settings(kind: str, folder: Path, dataset: Dataset | None = None, **overrides: Any) -> ApiSettings:
    return (sqlite_settings if kind == "sqlite" else neo4j_settings)(folder, dataset, **overrides)


@pytest.fixture(params=STORES)
def kind(request: pytest.FixtureRequest) -> str:
    """Which store the test runs on; adding a store is one entry in STORES."""
    return request.param


@pytest.fixture
def settings(kind: str, tmp_path: Path) -> ApiSettings:
    return make_settings(kind, tmp_path)


@pytest.fixture
def client(settings: ApiSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def sqlite_client(tmp_path: Path) -> Iterator[TestClient]:
    """For what does not depend on the store: middleware, routing, error shapes."""
    with TestClient(create_app(sqlite_settings(tmp_path))) as test_client:
        yield test_client


@pytest.fixture
def tokens(settings: ApiSettings) -> dict[str, dict[str, str]]:
    """Authorization headers: admin, editor of Cajamarca (06), reader."""
    store = TokenStore(settings.tokens)
    made = {"admin": store.create("admin")[0], "editor": store.create("editor", ["06"])[0],
            "reader": store.create("reader")[0]}
    return {role: {"Authorization": f"Bearer {token}"} for role, token in made.items()}


def is_problem(response: Any, status: int) -> dict[str, Any]:
    """Assert ``response`` is the one error shape with ``status``; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert set(body) >= {"type", "title", "status", "detail", "instance", "errors"}
    assert body["detail"] and body["title"]
    return body


def new_actor(actor_id: str = "innova-cajamarca", region: str | None = "06", **fields: Any) -> dict[str, Any]:
    return {"id": actor_id, "name": "Innova Cajamarca", "sector": "private", "type": "startup", "region": region,
            "scope": "regional" if region else "national", "capabilities": ["entrepreneurship"], **fields}


# -- meta -----------------------------------------------------------------------------------------
def test_health_and_version(client: TestClient) -> None:
    health = client.get("/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok" and health.json()["dataset_version"] >= 1
    version = client.get(f"{API}/version").json()
    assert version["api"] == "v1" and version["app"]
    assert version["dataset_version"] == health.json()["dataset_version"]
    assert client.get(API).json()["docs"] == "/docs"


def test_openapi_document_is_complete(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    paths = document["paths"]
    for path in ("/api/v1/regions", "/api/v1/regions/{code}", "/api/v1/regions/{code}/graph", "/api/v1/graph",
                 "/api/v1/actors", "/api/v1/actors/{actor_id}", "/api/v1/collaborations", "/api/v1/export",
                 "/api/v1/import", "/api/v1/version", "/health", "/api/v1/regions/{code}/analysis",
                 "/api/v1/regions/{code}/gaps", "/api/v1/regions/{code}/opportunities",
                 "/api/v1/regions/{code}/convene", "/api/v1/regions/{code}/what-if", "/api/v1/compare"):
        assert path in paths, path
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert (operation.get("summary") and operation.get("description")) or path == "/api/v1", (method, path)
            for status, response in operation["responses"].items():
                if int(status) >= 400 and path != "/health":
                    assert list(response["content"]) == ["application/problem+json"], (method, path, status)
    assert "Problem" in document["components"]["schemas"]
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    assert "security" in paths["/api/v1/actors"]["post"] and "security" not in paths["/api/v1/actors"]["get"]
    assert client.get("/docs").status_code == 200


# -- regions --------------------------------------------------------------------------------------
def test_regions(client: TestClient) -> None:
    body = client.get(f"{API}/regions").json()
    regions = {region["code"]: region for region in body["regions"]}
    assert set(regions) == {"06", "08"}
    assert regions["06"]["actors"] == 3 and regions["06"]["sectors"]["academia"] == 1
    assert regions["06"]["ties"] == 2  # gore-unc, produce-camara
    assert regions["08"]["internet"]["value"] == 38.0
    assert regions["06"]["internet"] is None  # its only figure is unpublished
    one = client.get(f"{API}/regions/06").json()
    assert one["region"] == regions["06"] and one["dataset_version"] == body["dataset_version"]
    assert [item["indicator"] for item in one["indicators"]] == ["households_with_internet"]
    missing = is_problem(client.get(f"{API}/regions/99"), 404)
    assert "99" in missing["detail"] and missing["errors"][0]["field"] == "path.code"


# -- graphs ---------------------------------------------------------------------------------------
def test_region_graph_node_link(client: TestClient) -> None:
    body = client.get(f"{API}/regions/06/graph").json()
    nodes = {node["id"]: node for node in body["nodes"]}
    assert set(nodes) == {"gore-cajamarca", "unc", "camara-cajamarca", "produce"}
    assert nodes["produce"]["local"] is False and nodes["unc"]["local"] is True
    unc = nodes["unc"]
    assert unc["name"] == "Universidad Nacional de Cajamarca" and unc["capabilities"] == ["research_innovation"]
    assert unc["measures"]["degree"] == 1.0 and isinstance(unc["community"], int)
    assert all(-1 <= node["x"] <= 1 and -1 <= node["y"] <= 1 for node in body["nodes"])
    edges = {edge["id"]: edge for edge in body["edges"]}
    funding = edges["produce--camara-cajamarca--funding"]
    assert funding["directed"] is True and funding["status"] == "ended" and funding["weight"] == 2
    assert body["graph"] == {"region": "06", "dataset_version": body["graph"]["dataset_version"], "nodes": 4,
                             "edges": 2, "layout": "spring", "measures": body["graph"]["measures"]}
    # networkx reads it back
    graph = nx.node_link_graph(body, edges="edges")
    assert graph.number_of_nodes() == 4 and graph.number_of_edges() == 2


def test_graph_cytoscape_and_filters(client: TestClient) -> None:
    cyto = client.get(f"{API}/regions/06/graph", params={"format": "cytoscape"}).json()
    assert {node["data"]["id"] for node in cyto["elements"]["nodes"]} == {"gore-cajamarca", "unc",
                                                                          "camara-cajamarca", "produce"}
    first = cyto["elements"]["nodes"][0]
    assert first["position"] == {"x": round(first["data"]["x"] * 500, 1), "y": round(first["data"]["y"] * 500, 1)}
    assert {edge["data"]["source"] for edge in cyto["elements"]["edges"]} <= {"gore-cajamarca", "produce"}
    country = client.get(f"{API}/graph").json()
    assert country["graph"]["region"] is None and len(country["nodes"]) == 6 and len(country["edges"]) == 4
    public = client.get(f"{API}/graph", params=[("sector", "public"), ("sector", "academia")]).json()
    assert {node["id"] for node in public["nodes"]} == {"gore-cajamarca", "unc", "produce"}
    assert [edge["id"] for edge in public["edges"]] == ["gore-cajamarca--unc--agreement"]
    skills = client.get(f"{API}/graph", params={"capability": "digital_skills"}).json()
    assert [node["id"] for node in skills["nodes"]] == ["asoc-mujeres-cusco", "pnud"]
    active = client.get(f"{API}/graph", params={"status": "active"}).json()
    assert len(active["nodes"]) == 6 and {edge["status"] for edge in active["edges"]} == {"active"}
    with_recommended = client.get(f"{API}/graph", params={"recommended": "true"}).json()
    assert all(edge["recommended"] == (edge["type"] == "recommended") for edge in with_recommended["edges"])
    bad = is_problem(client.get(f"{API}/graph", params={"sector": "privada"}), 422)
    assert bad["errors"][0]["field"] == "query.sector.0"
    is_problem(client.get(f"{API}/graph", params={"format": "gml"}), 422)
    is_problem(client.get(f"{API}/regions/99/graph"), 404)


def test_layout_is_deterministic(kind: str, tmp_path: Path) -> None:
    positions = []
    for name in ("one", "two"):
        folder = tmp_path / name
        folder.mkdir()
        with TestClient(create_app(make_settings(kind, folder))) as fresh:
            body = fresh.get(f"{API}/graph").json()
        positions.append({node["id"]: (node["x"], node["y"]) for node in body["nodes"]})
    assert positions[0] == positions[1]


# -- analysis -------------------------------------------------------------------------------------
def test_region_analysis(client: TestClient) -> None:
    body = client.get(f"{API}/regions/06/analysis").json()
    assert body["region"] == "06" and body["dataset_version"] == body["version"]
    assert body["structure"]["actors"] == 3 and body["structure"]["isolates"] == ["camara-cajamarca"]
    assert {row["id"] for row in body["measures"]} == {"gore-cajamarca", "unc", "camara-cajamarca", "produce"}
    assert body["gaps"] and body["opportunities"] and body["convening"]["actors"]
    assert body["filters"] == {"top": 20, "k": 5, "steps": 1}
    gaps = client.get(f"{API}/regions/06/gaps").json()
    assert gaps["gaps"] == body["gaps"] and gaps["dataset_version"] == body["dataset_version"]
    assert {"severity", "text_es", "text_en"} <= set(gaps["gaps"][0])
    top = client.get(f"{API}/regions/06/opportunities", params={"top": 1}).json()
    assert top["opportunities"] == body["opportunities"][:1] and top["filters"]["top"] == 1
    convene = client.get(f"{API}/regions/06/convene", params={"k": 1}).json()
    assert len(convene["convening"]["actors"]) == 1
    public = client.get(f"{API}/regions/06/analysis", params=[("sector", "public"), ("sector", "academia"),
                                                              ("status", "active"), ("since", "2021")]).json()
    assert public["structure"]["actors"] == 2
    assert public["filters"] == {"sectors": ["academia", "public"], "statuses": ["active"], "since": "2021",
                                 "top": 20, "k": 5, "steps": 1}
    is_problem(client.get(f"{API}/regions/99/analysis"), 404)
    assert is_problem(client.get(f"{API}/regions/06/gaps", params={"k": 0}), 422)["errors"][0]["field"] == "query.k"
    is_problem(client.get(f"{API}/regions/06/analysis", params={"since": "last year"}), 422)
    is_problem(client.get(f"{API}/regions/06/convene", params={"remove": "unc"}), 400)  # a what-if parameter


def test_analysis_when_filters_leave_nothing(sqlite_client: TestClient) -> None:
    """Found by schemathesis: filters that leave a region without ties, or without actors, must still give an
    analysis (an empty one), not a server error."""
    no_ties = sqlite_client.get(f"{API}/regions/06/analysis", params={"status": "planned"})
    assert no_ties.status_code == 200 and no_ties.json()["structure"]["ties"] == 0
    no_actors = sqlite_client.get(f"{API}/regions/06/gaps", params={"capability": "digital_agriculture"})
    assert no_actors.status_code == 200


def test_what_if_and_compare(client: TestClient) -> None:
    scenario = client.get(f"{API}/regions/06/what-if", params={"add": "gore-cajamarca,camara-cajamarca"}).json()
    assert scenario["before"]["components"] == 2 and scenario["after"]["components"] == 1
    assert scenario["added"] == [["camara-cajamarca", "gore-cajamarca"]] or \
        scenario["added"] == [["gore-cajamarca", "camara-cajamarca"]]
    without = client.get(f"{API}/regions/06/what-if", params={"remove": "gore-cajamarca"}).json()
    assert without["removed"] == ["gore-cajamarca"] and without["after"]["components"] == 2
    unknown = is_problem(client.get(f"{API}/regions/06/what-if", params={"remove": "ghost"}), 422)
    assert unknown["errors"][0]["field"] == "query.remove" and "ghost" in unknown["detail"]
    is_problem(client.get(f"{API}/regions/06/what-if", params={"add": "unc"}), 422)
    compared = client.get(f"{API}/compare", params={"regions": "06,08"}).json()
    assert [row["region"] for row in compared["regions"]] == ["06", "08"]  # best score first
    assert compared["regions"][1]["households_with_internet"] == 38.0
    assert client.get(f"{API}/compare", params=[("regions", "08")]).json()["regions"][0]["region"] == "08"
    assert len(client.get(f"{API}/compare").json()["regions"]) == 2
    is_problem(client.get(f"{API}/compare", params={"regions": "06,99"}), 404)
    figures = {row["code"]: row["figures"] for row in client.get(f"{API}/regions").json()["regions"]}
    assert figures["06"]["score"] == compared["regions"][0]["score"]


def test_graph_carries_the_engines_measures_and_recommendations(client: TestClient) -> None:
    body = client.get(f"{API}/regions/06/graph", params={"recommended": "true"}).json()
    assert "betweenness" in body["graph"]["measures"]
    unc = next(node for node in body["nodes"] if node["id"] == "unc")
    assert set(unc["measures"]) == set(body["graph"]["measures"]) and unc["measures"]["degree"] == 1
    recommended = [edge for edge in body["edges"] if edge["recommended"]]
    opportunities = client.get(f"{API}/regions/06/opportunities").json()["opportunities"]
    assert {(edge["source"], edge["target"]) for edge in recommended} == \
        {(item["source"], item["target"]) for item in opportunities}
    assert all(edge["type"] == "recommended" and edge["reason"] for edge in recommended)
    plain = client.get(f"{API}/regions/06/graph").json()
    assert not any(edge["recommended"] for edge in plain["edges"])
    actor = client.get(f"{API}/actors/camara-cajamarca").json()
    assert actor["recommendations"] and all("camara-cajamarca" in (item["source"], item["target"])
                                            for item in actor["recommendations"])
    assert {"score", "reason", "details"} <= set(actor["recommendations"][0])


def test_analysis_served_from_the_stored_version(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    wait_for_analysis(client)
    calls: list[tuple[Any, ...]] = []
    original = service_module.region_report

    def counted(graph: nx.MultiDiGraph, *args: Any) -> Any:
        calls.append((graph.graph["region"], args))
        return original(graph, *args)

    monkeypatch.setattr(service_module, "region_report", counted)
    for path in ("analysis", "gaps", "opportunities", "convene", "graph", "analysis"):
        response = client.get(f"{API}/regions/06/{path}")
        assert response.status_code == 200
        etag = response.headers["etag"]
        assert client.get(f"{API}/regions/06/{path}", headers={"If-None-Match": etag}).status_code == 304
    assert calls == [], "the stored analysis is served"
    client.get(f"{API}/regions/06/gaps", params={"k": 3})  # other options: computed on demand, once
    client.get(f"{API}/regions/06/convene", params={"k": 3})
    assert [region for region, _ in calls] == ["06"]


def test_large_graphs_are_laid_out_by_community() -> None:
    from ecograph.generate import generate_dataset
    from ecograph.graph import build_graph

    dataset = generate_dataset(600, seed=3)
    graph = build_graph(dataset.actors, dataset.collaborations)
    positions, how = layout(graph)
    assert how == "communities" and set(positions) == set(graph)
    assert all(-1 <= x <= 1 and -1 <= y <= 1 for x, y in positions.values())
    assert layout(graph)[0] == positions
    assert len(set(positions.values())) > 0.95 * len(positions)  # actors do not pile up


# -- actors ---------------------------------------------------------------------------------------
def test_actor_search_and_pages(client: TestClient) -> None:
    found = client.get(f"{API}/actors", params={"q": "camara"}).json()  # finds "Cámara", accents ignored
    assert [actor["id"] for actor in found["items"]] == ["camara-cajamarca"]
    assert [a["id"] for a in client.get(f"{API}/actors", params={"q": "PRODUCCIÓN"}).json()["items"]] == \
        ["camara-cajamarca", "produce"]
    by_region = client.get(f"{API}/actors", params={"region": "06", "sector": "academia"}).json()
    assert [actor["id"] for actor in by_region["items"]] == ["unc"]
    by_capability = client.get(f"{API}/actors", params={"capability": "e_government"}).json()
    assert [actor["id"] for actor in by_capability["items"]] == ["gore-cajamarca"]
    assert client.get(f"{API}/actors", params={"type": "un_agency"}).json()["items"][0]["id"] == "pnud"
    page = client.get(f"{API}/actors", params={"per_page": 4, "page": 2})
    body = page.json()
    assert (body["total"], body["pages"], body["page"], len(body["items"])) == (6, 2, 2, 2)
    assert 'rel="prev"' in page.headers["link"] and 'rel="next"' not in page.headers["link"]
    all_ids = [a["id"] for a in client.get(f"{API}/actors", params={"per_page": 4}).json()["items"]] + \
        [a["id"] for a in body["items"]]
    assert all_ids == sorted(all_ids) and len(set(all_ids)) == 6
    is_problem(client.get(f"{API}/actors", params={"page": 3, "per_page": 4}), 404)
    assert is_problem(client.get(f"{API}/actors", params={"per_page": 0}), 422)["errors"][0]["field"] == \
        "query.per_page"
    is_problem(client.get(f"{API}/actors", params={"sector": "nonsense"}), 422)


def test_actor_detail(client: TestClient) -> None:
    wait_for_analysis(client)  # recommendations come from the country's analysis
    body = client.get(f"{API}/actors/pnud").json()
    assert body["actor"]["acronym"] == "PNUD"
    assert {tie["id"] for tie in body["collaborations"]} == {"c01", "pnud--asoc-mujeres-cusco--training"}
    assert {node["id"] for node in body["ego"]["nodes"]} == {"pnud", "produce", "asoc-mujeres-cusco"}
    assert len(body["ego"]["edges"]) == 2
    # PNUD works with PRODUCE, and PRODUCE funds the Cajamarca chamber: PRODUCE can introduce them, so the
    # chamber is PNUD's best recommendation (the only pair with a partner in common), then the untied GORE.
    recommendations = body["recommendations"]
    assert [(r["source"], r["target"]) for r in recommendations][:2] == [("camara-cajamarca", "pnud"),
                                                                         ("gore-cajamarca", "pnud")]
    best = recommendations[0]
    assert best["details"]["shared_partners"] == ["produce"] and best["details"]["feasibility"] == 1
    assert best["reason"].startswith("Cámara de Comercio y Producción de Cajamarca and PNUD could work together: "
                                     "PRODUCE can introduce them")
    assert [r["score"] for r in recommendations] == sorted((r["score"] for r in recommendations), reverse=True)
    partners = {"produce", "asoc-mujeres-cusco"}
    for found in recommendations:  # each names PNUD and someone it does not work with yet
        assert "pnud" in (found["source"], found["target"])
        assert not {found["source"], found["target"]} & partners and 0 < found["score"] <= 1
    assert "unknown" in is_problem(client.get(f"{API}/actors/unknown"), 404)["detail"]


def test_collaborations(client: TestClient) -> None:
    everything = client.get(f"{API}/collaborations").json()
    assert everything["total"] == 4
    of_pnud = client.get(f"{API}/collaborations", params={"actor": "pnud"}).json()
    assert {tie["id"] for tie in of_pnud["items"]} == {"c01", "pnud--asoc-mujeres-cusco--training"}
    in_cusco = client.get(f"{API}/collaborations", params={"region": "08"}).json()
    assert [tie["id"] for tie in in_cusco["items"]] == ["pnud--asoc-mujeres-cusco--training"]
    planned = client.get(f"{API}/collaborations", params={"status": "planned", "type": "training"}).json()
    assert planned["total"] == 1
    assert client.get(f"{API}/collaborations/c01").json()["program"] == "Innova tu Mercado"
    is_problem(client.get(f"{API}/collaborations/nope"), 404)


# -- writes and tokens ----------------------------------------------------------------------------
def test_writes_need_a_writer_token(client: TestClient, tokens: dict[str, dict[str, str]]) -> None:
    missing = client.post(f"{API}/actors", json=new_actor())
    is_problem(missing, 401)
    assert missing.headers["www-authenticate"].startswith("Bearer")
    is_problem(client.post(f"{API}/actors", json=new_actor(), headers={"Authorization": "Bearer eg_wrong"}), 401)
    is_problem(client.post(f"{API}/actors", json=new_actor(), headers={"Authorization": "Basic abc"}), 401)
    is_problem(client.post(f"{API}/actors", json=new_actor(), headers=tokens["reader"]), 403)
    is_problem(client.delete(f"{API}/actors/unc"), 401)
    is_problem(client.delete(f"{API}/collaborations/c01", headers=tokens["reader"]), 403)
    # reads stay public, but a bad token on a read is still refused
    assert client.get(f"{API}/actors").status_code == 200
    is_problem(client.get(f"{API}/actors", headers={"Authorization": "Bearer eg_wrong"}), 401)


def test_revoked_token_stops_working(client: TestClient, settings: ApiSettings) -> None:
    store = TokenStore(settings.tokens)
    token, info = store.create("admin", name="temporary")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post(f"{API}/actors", json=new_actor(), headers=headers).status_code == 201
    store.revoke(info.id)
    is_problem(client.post(f"{API}/actors", json=new_actor("other-one"), headers=headers), 401)
    assert [(t.id, t.revoked is not None) for t in store.list()] == [(info.id, True)]
    assert token not in Path(settings.tokens).read_bytes().decode("latin-1")  # only the hash is kept


def test_actor_writes(client: TestClient, tokens: dict[str, dict[str, str]]) -> None:
    admin = tokens["admin"]
    before = client.get(f"{API}/version").json()["dataset_version"]
    created = client.post(f"{API}/actors", json=new_actor(), headers=admin)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"{API}/actors/innova-cajamarca"
    assert created.json()["dataset_version"] == before + 1
    assert created.json()["actor"]["capabilities"] == ["entrepreneurship"]
    assert client.get(f"{API}/actors/innova-cajamarca").json()["actor"]["name"] == "Innova Cajamarca"
    taken = is_problem(client.post(f"{API}/actors", json=new_actor(), headers=admin), 409)
    assert taken["errors"][0]["field"] == "body.id"
    body = {key: value for key, value in new_actor(name="Innova Cajamarca SAC").items() if key != "id"}
    replaced = client.put(f"{API}/actors/innova-cajamarca", json=body, headers=admin)
    assert replaced.status_code == 200 and replaced.json()["actor"]["name"] == "Innova Cajamarca SAC"
    assert client.put(f"{API}/actors/brand-new", json=body, headers=admin).status_code == 201
    assert client.delete(f"{API}/actors/innova-cajamarca", headers=admin).status_code == 204
    is_problem(client.get(f"{API}/actors/innova-cajamarca"), 404)
    is_problem(client.delete(f"{API}/actors/innova-cajamarca", headers=admin), 404)
    # deleting an actor deletes its ties
    assert client.delete(f"{API}/actors/pnud", headers=admin).status_code == 204
    assert client.get(f"{API}/collaborations").json()["total"] == 2


def test_actor_write_errors(client: TestClient, tokens: dict[str, dict[str, str]]) -> None:
    admin = tokens["admin"]
    bad_site = is_problem(client.post(f"{API}/actors", json=new_actor(website="www.x.pe"), headers=admin), 422)
    assert bad_site["errors"][0]["field"] == "body.website" and "https://" in bad_site["errors"][0]["message"]
    local_without_region = new_actor(region=None, scope="local")
    assert is_problem(client.post(f"{API}/actors", json=local_without_region, headers=admin),
                      422)["errors"][0]["field"] == "body.region"
    wrong = is_problem(client.post(f"{API}/actors", json=new_actor(sector="privada", extra=1), headers=admin), 422)
    assert {error["field"] for error in wrong["errors"]} == {"body.sector", "body.extra"}
    is_problem(client.post(f"{API}/actors", json=new_actor(actor_id="Not A Slug"), headers=admin), 422)
    is_problem(client.post(f"{API}/actors", json=new_actor(region="77"), headers=admin), 409)  # no such region
    malformed = client.post(f"{API}/actors", content=b"{not json", headers={**admin,
                                                                            "Content-Type": "application/json"})
    is_problem(malformed, 400)
    is_problem(client.post(f"{API}/actors", json=[1, 2], headers=admin), 422)


def test_collaboration_writes(client: TestClient, tokens: dict[str, dict[str, str]]) -> None:
    admin = tokens["admin"]
    tie = {"source": "unc", "target": "camara-cajamarca", "type": "training", "weight": 5, "start": "2024-03"}
    created = client.post(f"{API}/collaborations", json=tie, headers=admin)
    assert created.status_code == 201, created.text
    tie_id = "unc--camara-cajamarca--training"
    assert created.json()["collaboration"]["id"] == tie_id
    assert created.headers["location"] == f"{API}/collaborations/{tie_id}"
    is_problem(client.post(f"{API}/collaborations", json=tie, headers=admin), 409)
    is_problem(client.post(f"{API}/collaborations", json={**tie, "target": "ghost"}, headers=admin), 409)
    self_tie = is_problem(client.post(f"{API}/collaborations", json={**tie, "target": "unc"}, headers=admin), 422)
    assert self_tie["errors"][0]["field"] == "body.target"
    backwards = {**tie, "id": "x1", "start": "2024", "end": "2020"}
    assert is_problem(client.post(f"{API}/collaborations", json=backwards, headers=admin),
                      422)["errors"][0]["field"] == "body.end"
    is_problem(client.post(f"{API}/collaborations", json={**tie, "weight": 9}, headers=admin), 422)
    changed = client.put(f"{API}/collaborations/{tie_id}", json={**tie, "status": "ended"}, headers=admin)
    assert changed.status_code == 200 and changed.json()["collaboration"]["status"] == "ended"
    assert client.put(f"{API}/collaborations/c99", json=tie, headers=admin).status_code == 201
    assert client.delete(f"{API}/collaborations/{tie_id}", headers=admin).status_code == 204
    is_problem(client.delete(f"{API}/collaborations/{tie_id}", headers=admin), 404)


def test_editor_writes_only_in_its_regions(client: TestClient, tokens: dict[str, dict[str, str]]) -> None:
    editor = tokens["editor"]  # Cajamarca (06)
    assert client.post(f"{API}/actors", json=new_actor(), headers=editor).status_code == 201
    assert "08" in is_problem(client.post(f"{API}/actors", json=new_actor("cusco-lab", "08"), headers=editor),
                              403)["detail"]
    is_problem(client.post(f"{API}/actors", json=new_actor("national-lab", None), headers=editor), 403)
    moved = {key: value for key, value in new_actor(region="08").items() if key != "id"}
    is_problem(client.put(f"{API}/actors/innova-cajamarca", json=moved, headers=editor), 403)  # out of its region
    is_problem(client.put(f"{API}/actors/asoc-mujeres-cusco", json={**moved, "region": "06"}, headers=editor), 403)
    is_problem(client.delete(f"{API}/actors/asoc-mujeres-cusco", headers=editor), 403)
    is_problem(client.delete(f"{API}/actors/produce", headers=editor), 403)
    # ties: one end must be based in its regions
    ok = {"source": "pnud", "target": "unc", "type": "funding"}
    assert client.post(f"{API}/collaborations", json=ok, headers=editor).status_code == 201
    is_problem(client.post(f"{API}/collaborations", json={"source": "pnud", "target": "asoc-mujeres-cusco",
                                                          "type": "funding"}, headers=editor), 403)
    is_problem(client.delete(f"{API}/collaborations/c01", headers=editor), 403)  # pnud--produce
    assert client.delete(f"{API}/collaborations/gore-cajamarca--unc--agreement", headers=editor).status_code == 204
    assert client.delete(f"{API}/actors/innova-cajamarca", headers=editor).status_code == 204


def test_reads_can_require_a_token(kind: str, tmp_path: Path) -> None:
    settings = make_settings(kind, tmp_path, read_token_required=True)
    reader = {"Authorization": f"Bearer {TokenStore(settings.tokens).create('reader')[0]}"}
    with TestClient(create_app(settings)) as client:
        is_problem(client.get(f"{API}/regions"), 401)
        is_problem(client.get(f"{API}/graph"), 401)
        assert client.get(f"{API}/regions", headers=reader).status_code == 200
        assert client.get(f"{API}/regions", headers=reader).headers["cache-control"] == "private, no-cache"
        assert client.get("/health").status_code == 200  # monitors need no token
        is_problem(client.get("/openapi.json"), 401)  # the documentation describes the data: a token too
        document = client.get("/openapi.json", headers=reader).json()
        assert "security" in document["paths"]["/api/v1/regions"]["get"]


# -- conditional requests and caching -------------------------------------------------------------
def test_etag_gives_304_until_the_data_changes(client: TestClient, tokens: dict[str, dict[str, str]]) -> None:
    first = client.get(f"{API}/regions/06/graph")
    etag = first.headers["etag"]
    assert first.headers["x-dataset-version"] == str(first.json()["graph"]["dataset_version"])
    again = client.get(f"{API}/regions/06/graph", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(f"{API}/regions/06/graph", headers={"If-None-Match": f'"other", {etag}'}).status_code == 304
    assert client.get(f"{API}/regions/06/graph", headers={"If-None-Match": "*"}).status_code == 304
    other_query = client.get(f"{API}/regions/06/graph", params={"format": "cytoscape"},
                             headers={"If-None-Match": etag})
    assert other_query.status_code == 200 and other_query.headers["etag"] != etag
    assert client.post(f"{API}/actors", json=new_actor(), headers=tokens["admin"]).status_code == 201
    changed = client.get(f"{API}/regions/06/graph", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert "innova-cajamarca" in {node["id"] for node in changed.json()["nodes"]}
    for path in ("/regions", "/actors", "/collaborations", "/actors/unc", "/export?format=json"):
        tag = client.get(f"{API}{path}").headers["etag"]
        assert client.get(f"{API}{path}", headers={"If-None-Match": tag}).status_code == 304, path


def wait_for_analysis(client: TestClient) -> None:
    """Until the analysis of the current dataset version is stored (the app computes it in the background)."""
    for _ in range(300):
        if client.get(f"{API}/version").json()["analysis"]:
            return
        time.sleep(0.1)
    raise AssertionError("the analysis was not stored within 30 s")


def test_computed_once_per_dataset_version(client: TestClient, tokens: dict[str, dict[str, str]],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    wait_for_analysis(client)
    calls: list[str | None] = []
    original = service_module.region_report

    def counted(graph: nx.MultiDiGraph, *args: Any) -> Any:
        calls.append(graph.graph.get("region"))
        return original(graph, *args)

    monkeypatch.setattr(service_module, "region_report", counted)
    for params in ({}, {"format": "cytoscape"}, {"sector": "public"}, {}):
        assert client.get(f"{API}/regions/06/graph", params=params).status_code == 200
    assert client.get(f"{API}/regions/06/analysis").status_code == 200
    assert calls == [], "the stored analysis of this version is served"
    client.post(f"{API}/actors", json=new_actor(), headers=tokens["admin"])
    for _ in range(3):
        assert client.get(f"{API}/regions/06/analysis").status_code == 200
    wait_for_analysis(client)
    assert sorted(calls, key=str) == sorted(["06", "08", None], key=str), "each part once for the new version"


def test_a_pending_analysis_is_202_with_retry_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    original = service_module.region_report

    def held(graph: nx.MultiDiGraph, *args: Any) -> Any:
        release.wait(30)
        return original(graph, *args)

    monkeypatch.setattr(service_module, "region_report", held)
    with TestClient(create_app(sqlite_settings(tmp_path, analysis_wait=0.2))) as client:
        waiting = client.get(f"{API}/regions/06/analysis")
        assert waiting.status_code == 202 and waiting.headers["retry-after"]
        assert waiting.json()["ready"] == 0 and waiting.json()["total"] == 5
        page = client.get("/regions/06")
        assert page.status_code == 200 and 'id="analysis-pending"' in page.text and "0 de 5 partes" in page.text
        assert 'id="analysis-pending"' in client.get("/embed/regions/06").text
        assert 'id="analysis-pending"' in client.get("/").text
        release.set()
        wait_for_analysis(client)
        assert client.get(f"{API}/regions/06/analysis").status_code == 200


# -- import and export ----------------------------------------------------------------------------
def test_export_formats(client: TestClient) -> None:
    version = client.get(f"{API}/version").json()["dataset_version"]
    expected = read_dataset(MINI)
    archive = client.get(f"{API}/export", params={"format": "csv"})
    assert archive.headers["content-type"] == "application/zip"
    assert archive.headers["content-disposition"] == f'attachment; filename="ecograph-v{version}.zip"'
    with zipfile.ZipFile(io.BytesIO(archive.content)) as opened:
        assert sorted(opened.namelist()) == ["actors.csv", "collaborations.csv", "indicators.csv", "regions.csv"]
    document = client.get(f"{API}/export", params={"format": "json"})
    assert Dataset.model_validate(document.json()) == expected
    workbook = client.get(f"{API}/export", params={"format": "xlsx"})
    assert workbook.headers["content-type"].startswith("application/vnd.openxmlformats")
    graphml = client.get(f"{API}/export", params={"format": "graphml", "region": "08"})
    assert graphml.headers["content-disposition"].endswith(f'ecograph-v{version}-08.graphml"')
    graph = nx.read_graphml(io.BytesIO(graphml.content))
    assert set(graph.nodes) == {"asoc-mujeres-cusco", "pnud"}
    assert client.get(f"{API}/export", params={"format": "gexf"}).content.startswith(b"<?xml")
    is_problem(client.get(f"{API}/export", params={"format": "pdf"}), 422)
    is_problem(client.get(f"{API}/export", params={"region": "99"}), 404)


def test_import_round_trip(client: TestClient, tokens: dict[str, dict[str, str]], tmp_path: Path) -> None:
    admin = tokens["admin"]
    exported = client.get(f"{API}/export", params={"format": "csv"}).content
    same = client.post(f"{API}/import", files={"files": ("export.zip", exported, "application/zip")}, headers=admin)
    assert same.status_code == 200, same.text
    assert same.json()["loaded"] is False and same.json()["tables"]["actors"]["unchanged"] == 6
    # a CSV set with one actor more and one tie changed
    dataset = read_dataset(MINI)
    extra = dataset.actors[0].model_copy(update={"id": "pnud-lab", "name": "Laboratorio PNUD"})
    ties = [tie.model_copy(update={"weight": 5}) if tie.id == "c01" else tie for tie in dataset.collaborations]
    changed = Dataset(regions=dataset.regions, indicators=dataset.indicators, actors=[*dataset.actors, extra],
                      collaborations=ties)
    folder = tmp_path / "changed"
    paths = write_csv(changed, folder)
    files = [("files", (path.name, path.read_bytes(), "text/csv")) for path in paths]
    dry = client.post(f"{API}/import", params={"dry_run": "true"}, files=files, headers=admin).json()
    assert dry["loaded"] is False and dry["tables"]["actors"]["added"] == 1
    assert client.get(f"{API}/actors/pnud-lab").status_code == 404
    done = client.post(f"{API}/import", files=files, headers=admin)
    assert done.status_code == 200 and done.json()["loaded"] is True
    assert done.json()["tables"]["collaborations"]["updated"] == 1
    assert done.json()["dataset_version"] == client.get(f"{API}/version").json()["dataset_version"]
    assert client.get(f"{API}/collaborations/c01").json()["weight"] == 5
    # an xlsx workbook with replace: the store ends up equal to it
    write_xlsx(dataset, tmp_path / "mini.xlsx")
    workbook = (tmp_path / "mini.xlsx").read_bytes()
    replaced = client.post(f"{API}/import", params={"replace": "true"}, headers=admin,
                           files={"files": ("mini.xlsx", workbook, "application/octet-stream")})
    assert replaced.json()["tables"]["actors"]["removed"] == 1
    assert Dataset.model_validate(client.get(f"{API}/export", params={"format": "json"}).json()) == dataset


def test_import_reports_every_problem(client: TestClient, tokens: dict[str, dict[str, str]]) -> None:
    bad = Path(__file__).parent / "data" / "bad" / "many_errors"
    _, expected = check_dataset(bad)
    files = [("files", (path.name, path.read_bytes(), "text/csv")) for path in sorted(bad.glob("*.csv"))]
    before = client.get(f"{API}/version").json()["dataset_version"]
    response = client.post(f"{API}/import", files=files, headers=tokens["admin"])
    body = is_problem(response, 422)
    assert [problem["text"] for problem in body["problems"]] == [str(problem) for problem in expected]  # Spanish
    assert body["detail"] == f"{len(expected)} problemas; no se cargó nada."
    english = is_problem(client.post(f"{API}/import", files=files, headers={**tokens["admin"], **ENGLISH}), 422)
    assert english["detail"] == f"{len(expected)} problems; nothing was loaded."
    assert [problem["text"] for problem in english["problems"]] == [problem.line("en") for problem in expected]
    assert english["errors"][0]["message"] == expected[0].text("en")
    assert client.get(f"{API}/version").json()["dataset_version"] == before
    unsupported = client.post(f"{API}/import", files={"files": ("data.txt", b"x", "text/plain")},
                              headers=tokens["admin"])
    is_problem(unsupported, 400)
    is_problem(client.post(f"{API}/import", files={"files": ("a.zip", b"not a zip", "application/zip")},
                           headers=tokens["admin"]), 400)
    is_problem(client.post(f"{API}/import", headers=tokens["admin"]), 422)  # no files at all
    is_problem(client.post(f"{API}/import", files=files), 401)


def test_editor_imports_only_its_regions(client: TestClient, tokens: dict[str, dict[str, str]],
                                         tmp_path: Path) -> None:
    dataset = read_dataset(MINI)

    def upload(actors: list[Any]) -> Any:
        changed = Dataset(regions=dataset.regions, indicators=dataset.indicators, actors=actors,
                          collaborations=dataset.collaborations)
        folder = tmp_path / f"set{len(actors)}-{actors[-1].id}"
        files = [("files", (p.name, p.read_bytes(), "text/csv")) for p in write_csv(changed, folder)]
        return client.post(f"{API}/import", files=files, headers=tokens["editor"])

    local = dataset.actors[0].model_copy(update={"id": "lab-cajamarca", "region": "06", "scope": "regional"})
    assert upload([*dataset.actors, local]).status_code == 200
    outside = dataset.actors[0].model_copy(update={"id": "lab-cusco", "region": "08", "scope": "regional"})
    refused = is_problem(upload([*dataset.actors, local, outside]), 403)
    assert "lab-cusco (08)" in refused["detail"] and "no se escribió nada" in refused["detail"]
    assert refused["errors"] == [{"field": None, "message": "actor lab-cusco (08)"}]
    assert client.get(f"{API}/actors/lab-cusco").status_code == 404


@pytest.mark.parametrize("dry_run", [False, True])
def test_editor_cannot_repoint_a_tie_from_outside_its_regions(client: TestClient, tokens: dict[str, dict[str, str]],
                                                              tmp_path: Path, dry_run: bool) -> None:
    """The old state of a changed record counts too: the national tie pnud–produce re-pointed to a Cajamarca
    actor touches Cajamarca only after the change, and an editor of 06 may not take it over."""
    dataset = read_dataset(MINI)
    national = next(tie for tie in dataset.collaborations if {tie.source, tie.target} == {"pnud", "produce"})
    moved = national.model_copy(update={"target": "unc"})
    changed = dataset.model_copy(update={"collaborations": [moved if tie.id == national.id else tie
                                                            for tie in dataset.collaborations]})
    files = [("files", (p.name, p.read_bytes(), "text/csv")) for p in write_csv(changed, tmp_path / "moved")]
    refused = is_problem(client.post(f"{API}/import", files=files, headers={**tokens["editor"], **ENGLISH},
                                     params={"dry_run": dry_run}), 403)
    assert f"collaboration {national.id}" in refused["detail"] and "nothing was written" in refused["detail"]
    assert client.get(f"{API}/collaborations/{national.id}").json()["target"] == national.target
    body = {key: value for key, value in moved.model_dump(mode="json").items()
            if key not in ("id", "provenance", "confirmation")}  # set by the system, not by a writer
    is_problem(client.put(f"{API}/collaborations/{national.id}", json=body, headers=tokens["editor"]), 403)


# -- bad input ------------------------------------------------------------------------------------
def test_unknown_query_parameters_are_refused(sqlite_client: TestClient) -> None:
    client = sqlite_client
    body = is_problem(client.get(f"{API}/actors", params={"sectr": "public"}, headers=ENGLISH), 400)
    assert "'sectr'" in body["detail"] and "sector" in body["detail"]
    assert body["errors"] == [{"field": "query.sectr", "message": "unknown query parameter"}]
    spanish = is_problem(client.get(f"{API}/actors", params={"sectr": "public"}), 400)
    assert "«sectr»" in spanish["detail"] and "sector" in spanish["detail"]
    assert spanish["errors"] == [{"field": "query.sectr", "message": "parámetro de consulta desconocido"}]
    is_problem(client.get(f"{API}/regions/06/graph", params={"formt": "cytoscape"}), 400)
    is_problem(client.get(f"{API}/version", params={"x": "1"}), 400)


def test_unknown_paths_and_methods(sqlite_client: TestClient) -> None:
    client = sqlite_client
    assert "/api/v1/nothing" in is_problem(client.get(f"{API}/nothing"), 404)["detail"]
    is_problem(client.get("/nothing"), 404)
    wrong = is_problem(client.patch(f"{API}/actors/unc"), 405)
    assert client.patch(f"{API}/actors/unc").headers["allow"] == "DELETE, GET, PUT"
    assert "DELETE, GET, PUT" in wrong["detail"]


# -- the language of error details ---------------------------------------------------------------
def test_errors_are_in_spanish_unless_english_is_asked_for(sqlite_client: TestClient) -> None:
    client = sqlite_client
    spanish = client.get(f"{API}/regions/99")
    body = is_problem(spanish, 404)
    assert body["detail"] == "no existe la región «99»; consulte los códigos con GET /api/v1/regions"
    assert body["errors"] == [{"field": "path.code", "message": "código de región desconocido"}]
    assert spanish.headers["content-language"] == "es" and "Accept-Language" in spanish.headers["vary"]
    english = client.get(f"{API}/regions/99", headers={"Accept-Language": "en-GB,en;q=0.9,es;q=0.5"})
    body = is_problem(english, 404)
    assert body["detail"] == "no region '99'; GET /api/v1/regions lists the codes"
    assert body["errors"] == [{"field": "path.code", "message": "unknown region code"}]
    assert english.headers["content-language"] == "en"
    for header in ("es-PE,es;q=0.9,en;q=0.8", "fr, de;q=0.5", "en;q=0, es"):  # preferred, unsupported, refused
        answer = client.get(f"{API}/regions/99", headers={"Accept-Language": header})
        assert answer.headers["content-language"] == "es", header
        assert is_problem(answer, 404)["detail"].startswith("no existe la región")


def test_every_kind_of_error_speaks_both_languages(client: TestClient, tokens: dict[str, dict[str, str]]) -> None:
    admin, reader = tokens["admin"], tokens["reader"]

    def both(method: str, path: str, status: int, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        headers = kwargs.pop("headers", {})
        answers = [client.request(method, f"{API}{path}", headers={**headers, **extra}, **kwargs)
                   for extra in ({}, ENGLISH)]
        assert [answer.headers["content-language"] for answer in answers] == ["es", "en"]
        return is_problem(answers[0], status), is_problem(answers[1], status)

    es, en = both("GET", "/actors", 422, params={"per_page": 0, "sector": "privada"})  # pydantic's checks
    assert es["detail"].startswith("solicitud no válida: query.sector: «privada» no es válido; use uno de estos: ")
    assert es["detail"].endswith("(y 1 problema más)")
    assert en["detail"].startswith("invalid request: query.sector: 'privada' is not valid; use one of academia, ")
    assert {"field": "query.per_page", "message": "debe ser mayor o igual que 1"} in es["errors"]
    assert {"field": "query.per_page", "message": "must be greater than or equal to 1"} in en["errors"]
    es, en = both("POST", "/actors", 422, json=new_actor(website="www.x.pe", extra=1), headers=admin)
    assert {"field": "body.extra", "message": "campo desconocido; quítelo"} in es["errors"]
    assert {"field": "body.extra", "message": "unknown field; remove it"} in en["errors"]
    assert {"field": "body.website", "message": "«www.x.pe» no es válido: escriba la dirección completa, "
            "empezando por https://"} in es["errors"]
    es, en = both("POST", "/collaborations", 422, json={"source": "unc", "target": "unc", "type": "training"},
                  headers=admin)  # the model's own check, from the validation catalog
    assert es["errors"][0]["field"] == en["errors"][0]["field"] == "body.target"
    assert "consigo mismo" in es["errors"][0]["message"] and "itself" in en["errors"][0]["message"]
    es, en = both("POST", "/actors", 409, json=new_actor(region="77"), headers=admin)  # a store's message
    assert es["detail"] == "no existe la región «77»; cree primero la región o corrija el código"
    assert en["detail"] == "no region '77'; create the region first or correct the code"
    es, en = both("GET", "/actors/ghost", 404)
    assert (es["detail"], en["detail"]) == ("no existe el actor «ghost»", "no actor 'ghost'")
    es, en = both("POST", "/actors", 403, json=new_actor(), headers=reader)
    assert "«reader»" in es["detail"] and "administrador" in es["detail"]
    assert en["detail"] == "a reader token cannot write; use an admin or editor token"
    es, en = both("POST", "/actors", 401, json=new_actor(), headers={"Authorization": "Bearer eg_wrong"})
    assert es["detail"] == "token desconocido o revocado; cree uno con `ecograph token create`"
    assert en["detail"] == "unknown or revoked token; create one with `ecograph token create`"
    es, en = both("GET", "/actors", 404, params={"page": 9})
    assert es["errors"][0]["message"] == "la última página es la 1" and en["errors"][0]["message"] == \
        "the last page is 1"
    es, en = both("GET", "/regions/06/what-if", 422, params={"remove": "ghost"})  # the analysis engine's message
    assert es["detail"].startswith("no hay ningún actor «ghost» en el grafo de esta región; use ")
    assert en["detail"] == "no actor 'ghost' in this region's graph; use ids of actors in the region's graph"
    es, en = both("POST", "/import", 400, files={"files": ("a.zip", b"not a zip", "application/zip")}, headers=admin)
    assert es["detail"] == "«a.zip» no es un archivo zip legible"
    assert en["detail"] == "'a.zip' is not a readable zip file"
    es, en = both("PATCH", "/actors/unc", 405)
    assert es["detail"] == "PATCH no está permitido en /api/v1/actors/unc; esta dirección acepta DELETE, GET, PUT"
    assert en["detail"] == "PATCH is not allowed on /api/v1/actors/unc; it takes DELETE, GET, PUT"


def test_every_message_key_in_the_code_is_in_the_catalogs() -> None:
    """A key the code names but no catalog has would show as the key itself: every one is in both languages."""
    from ecograph.i18n import keys

    root = Path(__file__).resolve().parent.parent
    files = [*(root / "api").rglob("*.py"), *(root / "ecograph" / "stores").glob("*.py"),
             root / "ecograph" / "analysis" / "convene.py"]
    named = {key for path in files for key in re.findall(r'"((?:api|store|what_if)\.[a-z0-9_.]+)"', path.read_text())}
    assert len(named) > 90
    for lang in ("es", "en"):
        assert sorted(named - keys(lang)) == [], lang


def test_pages_can_answer_their_own_errors(sqlite_client: TestClient) -> None:
    from fastapi.responses import HTMLResponse

    async def page(request: Any, error: Any) -> HTMLResponse:
        return HTMLResponse("<h1>No existe</h1>", status_code=error.status_code)

    sqlite_client.app.state.error_page = page
    assert sqlite_client.get("/no-such-page").text == "<h1>No existe</h1>"
    is_problem(sqlite_client.get(f"{API}/no-such-thing"), 404)  # the API keeps its own shape


def test_bodies_and_uploads_are_limited(tmp_path: Path) -> None:
    settings = sqlite_settings(tmp_path, max_body_bytes=2000, max_upload_bytes=5000)
    token = TokenStore(settings.tokens).create("admin")[0]
    admin = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(settings)) as client:
        big = new_actor(description="x" * 3000)
        assert "ECOGRAPH_MAX_BODY_BYTES" in is_problem(client.post(f"{API}/actors", json=big, headers=admin),
                                                       413)["detail"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            yield json.dumps(big).encode()[:1500]
            yield json.dumps(big).encode()[1500:]

        is_problem(client.post(f"{API}/actors", content=chunks(), headers={**admin,
                                                                           "Content-Type": "application/json"}), 413)
        upload = client.post(f"{API}/import", headers=admin, files={"files": ("big.json", b"[" * 80_000)})
        assert "ECOGRAPH_MAX_UPLOAD_BYTES" in is_problem(upload, 413)["detail"]
        assert client.post(f"{API}/actors", json=new_actor(), headers=admin).status_code == 201


def test_cors(tmp_path: Path) -> None:
    settings = sqlite_settings(tmp_path, cors_origins="https://embed.example.org, https://other.example.org")
    with TestClient(create_app(settings)) as client:
        allowed = client.get(f"{API}/regions", headers={"Origin": "https://embed.example.org"})
        assert allowed.headers["access-control-allow-origin"] == "https://embed.example.org"
        assert "ETag" in allowed.headers["access-control-expose-headers"]
        preflight = client.options(f"{API}/actors", headers={"Origin": "https://other.example.org",
                                                             "Access-Control-Request-Method": "POST",
                                                             "Access-Control-Request-Headers": "authorization"})
        assert preflight.status_code == 200
        foreign = client.get(f"{API}/regions", headers={"Origin": "https://evil.example.com"})
        assert "access-control-allow-origin" not in foreign.headers
    (tmp_path / "plain").mkdir()
    with TestClient(create_app(sqlite_settings(tmp_path / "plain"))) as plain:
        assert "access-control-allow-origin" not in plain.get(f"{API}/regions",
                                                              headers={"Origin": "https://x.org"}).headers


# -- store outages ------------------------------------------------------------------------------
class Switch:
    """Whether the simulated store is up."""

    up = True


class FlakyStore:
    """A store that fails like an unreachable one while the switch is off (opening it too)."""

    def __init__(self, inner: Store, switch: type[Switch]) -> None:
        self.inner, self.switch = inner, switch
        self.url = inner.url

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.inner, name)
        if not callable(attribute) or name == "close":
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            if not self.switch.up:
                raise StoreUnavailable("store.open_failed", reason="simulated outage")
            return attribute(*args, **kwargs)

        return call


def test_store_outage_gives_503_and_recovers(tmp_path: Path) -> None:
    settings = sqlite_settings(tmp_path)

    class Down(Switch):
        up = True

    def opener(location: str, _: ApiSettings) -> Any:
        if not Down.up:
            raise StoreUnavailable("store.open_failed", reason="simulated outage")
        return FlakyStore(SQLiteStore(location), Down)

    with TestClient(create_app(settings, opener=opener)) as client:
        assert client.get(f"{API}/regions").status_code == 200
        Down.up = False
        for path in ("/regions", "/graph", "/actors/unc", "/export", "/version"):
            body = is_problem(client.get(f"{API}{path}", headers=ENGLISH), 503)
            assert "cannot be reached" in body["detail"] and "simulated outage" in body["detail"]
        assert is_problem(client.get(f"{API}/regions"), 503)["detail"].startswith(
            "no se puede acceder al almacén de datos: no se pudo abrir el almacén (simulated outage)")
        down = client.get("/health")
        assert down.status_code == 503 and down.json()["status"] == "unavailable"
        assert down.json()["detail"] == "no se pudo abrir el almacén (simulated outage)"
        english = client.get("/health", headers=ENGLISH)
        assert english.json()["detail"] == "the store could not be opened (simulated outage)"
        assert english.headers["content-language"] == "en"
        Down.up = True
        assert client.get("/health").json()["status"] == "ok"
        assert client.get(f"{API}/regions").status_code == 200


def test_sqlite_store_missing_then_back(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the store's folder should be")
    settings = ApiSettings(_env_file=None, store=str(blocker / "api.db"), tokens=str(tmp_path / "tokens.db"))
    with TestClient(create_app(settings)) as client:
        is_problem(client.get(f"{API}/regions"), 503)
        assert client.get("/health").status_code == 503
        blocker.unlink()
        blocker.mkdir()
        with SQLiteStore(blocker / "api.db") as store:
            store.load(read_dataset(MINI))
        assert client.get("/health").json()["status"] == "ok"
        assert len(client.get(f"{API}/regions").json()["regions"]) == 2


def test_neo4j_unreachable_gives_503(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = ApiSettings(_env_file=None, store=f"neo4j://127.0.0.1:{port}", neo4j_password="x" * 8,
                           tokens=str(tmp_path / "tokens.db"))
    with TestClient(create_app(settings)) as client:
        assert "Neo4j" in is_problem(client.get(f"{API}/regions"), 503)["detail"]
        health = client.get("/health")
        assert health.status_code == 503 and health.json()["store"] == "neo4j"
        assert client.get(f"{API}/regions").headers["retry-after"] == "5"


def test_every_kind_of_response_is_nosniff(sqlite_client: TestClient) -> None:
    """API JSON, a page, a static file, the API docs and an error: each marked once, by the app's middleware."""
    for path in ("/api/v1/regions", "/", "/static/app.css", "/docs", "/openapi.json", "/api/v1/nowhere", "/nowhere"):
        assert sqlite_client.get(path).headers.get_list("x-content-type-options") == ["nosniff"], path


# -- gaps name who is cut off ---------------------------------------------------------------------
def test_gaps_name_who_a_departure_or_an_ended_tie_cuts_off(kind: str, tmp_path: Path) -> None:
    """Cajamarca as a chain: UNC and a municipality tied to each other and to the regional government,
    the government to a CITE, the CITE to a cooperative that has no other partner."""
    mini = read_dataset(MINI)
    extra = Dataset.model_validate({
        "actors": [{"id": "cite-cajamarca", "name": "CITE Cajamarca", "sector": "academia", "type": "innovation_center",
                    "region": "06", "scope": "regional"},
                   {"id": "coop-chota", "name": "Cooperativa de Chota", "sector": "private", "type": "company",
                    "region": "06", "scope": "local"},
                   {"id": "muni-cajamarca", "name": "Municipalidad de Cajamarca", "sector": "public",
                    "type": "municipality", "region": "06", "scope": "local"}],
        "collaborations": [{"source": s, "target": t, "type": "agreement"} for s, t in (
            ("gore-cajamarca", "cite-cajamarca"), ("cite-cajamarca", "coop-chota"), ("muni-cajamarca", "unc"),
            ("muni-cajamarca", "gore-cajamarca"))]})
    dataset = Dataset(regions=mini.regions, indicators=mini.indicators, actors=[*mini.actors, *extra.actors],
                      collaborations=[*mini.collaborations, *extra.collaborations])
    with TestClient(create_app(make_settings(kind, tmp_path, dataset))) as client:
        wait_for_analysis(client)
        gaps = client.get(f"{API}/regions/06/gaps").json()["gaps"]
        cuts = {(g["kind"], tuple(g["actors"])): g for g in gaps if g["kind"] in ("single_point_of_failure", "bridge")}
        assert {key: (g["value"], g["isolates"]) for key, g in cuts.items()} == {
            # the government's departure leaves two pieces of two; the one with the region's first actor (by id,
            # cite-cajamarca) stays
            ("single_point_of_failure", ("gore-cajamarca",)): (2, ["muni-cajamarca", "unc"]),
            ("single_point_of_failure", ("cite-cajamarca",)): (1, ["coop-chota"]),
            ("bridge", ("cite-cajamarca", "gore-cajamarca")): (2, ["cite-cajamarca", "coop-chota"])}
        assert cuts[("single_point_of_failure", ("cite-cajamarca",))]["text_es"] == (
            "Si CITE Cajamarca se retira, 1 actor pierde su conexión con el resto: Cooperativa de Chota.")
        assert cuts[("single_point_of_failure", ("gore-cajamarca",))]["text_en"] == (
            "If GORE Cajamarca leaves, 2 actors lose their connection to the rest: Municipalidad de Cajamarca and UNC.")
        assert all(g["isolates"] == [] for g in gaps if g["kind"] not in ("single_point_of_failure", "bridge"))
        report = client.get(f"{API}/regions/06/analysis").json()
        assert [g["isolates"] for g in report["gaps"]] == [g["isolates"] for g in gaps]
        schema = client.get("/openapi.json").json()["components"]["schemas"]["Gap"]["properties"]["isolates"]
        assert schema["type"] == "array" and "lose their connection" in schema["description"]
