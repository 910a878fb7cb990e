"""The survey over the HTTP API (TestClient), on each store: campaigns and their scopes, roster and links, the
respondent's own endpoints (410 when closed or revoked), progress, review, decisions, publish, assessment.

The small test dataset: Cajamarca (06) has gore-cajamarca, unc and camara-cajamarca; Cusco (08)
asoc-mujeres-cusco; pnud and produce have no home region.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from api.tokens import TokenStore
from ecograph.survey.model import now
from tests.test_api import STORES, is_problem, make_settings

API = "/api/v1"
TODAY = now().date()


@pytest.fixture(params=STORES)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> ApiSettings:
    return make_settings(request.param, tmp_path, analyse_in_background=False)


@pytest.fixture
def client(settings: ApiSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def auth(settings: ApiSettings) -> dict[str, dict[str, str]]:
    """Authorization headers: admin, editor of Cajamarca (06), editor of Cusco (08), reader."""
    store = TokenStore(settings.tokens)
    made = {"admin": store.create("admin")[0], "editor": store.create("editor", ["06"])[0],
            "cusco": store.create("editor", ["08"])[0], "reader": store.create("reader")[0]}
    return {role: {"Authorization": f"Bearer {token}"} for role, token in made.items()}


def campaign(**fields: Any) -> dict[str, Any]:
    return {"id": "cajamarca-2025", "name": "Ecosistema digital de Cajamarca", "regions": ["06"],
            "opens": (TODAY - timedelta(days=1)).isoformat(), "closes": (TODAY + timedelta(days=30)).isoformat(),
            **fields}


def links_of(response: Any) -> dict[str, str]:
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {row["actor"]: row["link"] for row in rows}


def token_of(link: str) -> str:
    return link.rsplit("/survey/", 1)[1]


@pytest.fixture
def running(client: TestClient, auth: dict[str, dict[str, str]]) -> dict[str, str]:
    """A campaign open today over Cajamarca, with gore-cajamarca, unc and pnud invited; their tokens."""
    assert client.post(f"{API}/campaigns", json=campaign(), headers=auth["editor"]).status_code == 201
    added = client.post(f"{API}/campaigns/cajamarca-2025/roster", json={"actors": ["gore-cajamarca", "unc", "pnud"]},
                        headers=auth["editor"])
    assert added.status_code == 201 and added.json()["invited"] == ["gore-cajamarca", "pnud", "unc"]
    return {actor: token_of(link) for actor, link in links_of(
        client.get(f"{API}/campaigns/cajamarca-2025/links.csv", headers=auth["editor"])).items()}


def test_campaigns_are_created_in_the_token_s_regions(client: TestClient, auth: dict[str, dict[str, str]]) -> None:
    made = client.post(f"{API}/campaigns", json=campaign(id=None), headers=auth["editor"])
    assert made.status_code == 201, made.text
    assert made.json()["id"] == "ecosistema-digital-de-cajamarca"
    assert made.headers["location"] == f"{API}/campaigns/ecosistema-digital-de-cajamarca"
    is_problem(client.post(f"{API}/campaigns", json=campaign(), headers=auth["cusco"]), 403)
    is_problem(client.post(f"{API}/campaigns", json=campaign(), headers=auth["reader"]), 403)
    is_problem(client.post(f"{API}/campaigns", json=campaign()), 401)
    is_problem(client.post(f"{API}/campaigns", json=campaign(regions=["99"]), headers=auth["admin"]), 409)
    bad = is_problem(client.post(f"{API}/campaigns", json=campaign(closes="2020-01-01"), headers=auth["admin"]),
                     422)
    assert "cierra" in bad["detail"]
    assert client.post(f"{API}/campaigns", json=campaign(), headers=auth["admin"]).status_code == 201
    is_problem(client.post(f"{API}/campaigns", json=campaign(), headers=auth["admin"]), 409)
    assert [c["id"] for c in client.get(f"{API}/campaigns", headers=auth["editor"]).json()] == [
        "cajamarca-2025", "ecosistema-digital-de-cajamarca"]
    assert client.get(f"{API}/campaigns", headers=auth["cusco"]).json() == []
    is_problem(client.get(f"{API}/campaigns/cajamarca-2025", headers=auth["cusco"]), 403)
    is_problem(client.get(f"{API}/campaigns/ghost", headers=auth["admin"]), 404)


def test_roster_and_links(client: TestClient, auth: dict[str, dict[str, str]], running: dict[str, str]) -> None:
    assert sorted(running) == ["gore-cajamarca", "pnud", "unc"] and all(t.startswith("sv_") for t in running.values())
    refused = is_problem(client.post(f"{API}/campaigns/cajamarca-2025/roster", json={"actors": ["asoc-mujeres-cusco"]},
                                     headers=auth["editor"]), 409)
    assert refused["errors"][0]["field"] == "body.actors"
    again = links_of(client.get(f"{API}/campaigns/cajamarca-2025/links.csv", headers=auth["editor"]))
    assert again == {"gore-cajamarca": "", "pnud": "", "unc": ""}  # handed out once
    resent = links_of(client.get(f"{API}/campaigns/cajamarca-2025/links.csv?resend=unc", headers=auth["editor"]))
    assert resent["gore-cajamarca"] == "" and token_of(resent["unc"]) != running["unc"]
    is_problem(client.get(f"{API}/survey/{running['unc']}"), 404)  # the old link stopped working
    is_problem(client.get(f"{API}/campaigns/cajamarca-2025/links.csv?resend=ghost", headers=auth["editor"]), 404)
    sheet = client.get(f"{API}/campaigns/cajamarca-2025/links.xlsx?resend=pnud", headers=auth["admin"])
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.content)).active.values)
    assert rows[0][:6] == ("actor", "name", "acronym", "region", "sector", "link")
    assert [(row[0], bool(row[5])) for row in rows[1:]] == [("gore-cajamarca", False), ("pnud", True), ("unc", False)]
    roster = client.get(f"{API}/campaigns/cajamarca-2025/roster", headers=auth["editor"]).json()["roster"]
    assert [(e["actor"], e["sent"] is not None, e["answered"]) for e in roster] == [
        ("gore-cajamarca", True, False), ("pnud", True, False), ("unc", True, False)]


def test_the_respondent_reads_and_writes_only_its_own_answers(client: TestClient, auth: dict[str, dict[str, str]],
                                                               running: dict[str, str]) -> None:
    unc, gore = running["unc"], running["gore-cajamarca"]
    status = client.get(f"{API}/survey/{unc}")
    assert status.status_code == 200 and status.json()["actor"] == "unc" and not status.json()["answered"]
    saved = client.put(f"{API}/survey/{unc}/needs", json={"capabilities": ["conectividad"]})
    assert saved.status_code == 200, saved.text
    assert saved.json()["payload"] == {"capabilities": ["connectivity"]}
    assert client.get(f"{API}/survey/{unc}/needs").json()["payload"] == {"capabilities": ["connectivity"]}
    assert client.get(f"{API}/survey/{gore}/needs").json()["payload"] is None  # gore sees its own only
    invalid = is_problem(client.put(f"{API}/survey/{unc}/capabilities",
                                    json=[{"capability": "policy", "level": 7}]), 422)
    assert invalid["errors"]
    unknown = is_problem(client.put(f"{API}/survey/{unc}/partners", json=[{"partner": "ghost", "type": "agreement"}],
                                    headers={"Accept-Language": "en"}), 422)
    assert unknown["errors"][0]["field"] == "body.items.0.partner" and "ghost" in unknown["detail"]
    is_problem(client.put(f"{API}/survey/{unc}/nonsense", json={}), 422)
    is_problem(client.get(f"{API}/survey/sv_{'x' * 43}"), 404)
    assert client.put(f"{API}/survey/{unc}/consent", json={"accepted": True}).status_code == 200
    assert client.get(f"{API}/survey/{unc}").json()["answered"]
    revoked = client.post(f"{API}/campaigns/cajamarca-2025/roster/unc/revoke", headers=auth["editor"])
    assert revoked.status_code == 200 and revoked.json()["revoked"]
    gone = is_problem(client.put(f"{API}/survey/{unc}/needs", json={"capabilities": []}), 410)
    assert "anulado" in gone["detail"]
    is_problem(client.post(f"{API}/campaigns/cajamarca-2025/roster/camara-cajamarca/revoke", headers=auth["editor"]),
               404)


def test_closed_and_not_yet_open_campaigns(client: TestClient, auth: dict[str, dict[str, str]]) -> None:
    for campaign_id, opens, closes in (("past", -30, -1), ("future", 2, 30)):
        body = campaign(id=campaign_id, opens=(TODAY + timedelta(days=opens)).isoformat(),
                        closes=(TODAY + timedelta(days=closes)).isoformat())
        assert client.post(f"{API}/campaigns", json=body, headers=auth["admin"]).status_code == 201
        client.post(f"{API}/campaigns/{campaign_id}/roster", json={"actors": ["unc"]}, headers=auth["admin"])
    past = token_of(links_of(client.get(f"{API}/campaigns/past/links.csv", headers=auth["admin"]))["unc"])
    future = token_of(links_of(client.get(f"{API}/campaigns/future/links.csv", headers=auth["admin"]))["unc"])
    closed = is_problem(client.put(f"{API}/survey/{past}/needs", json={"capabilities": []},
                                   headers={"Accept-Language": "en"}), 410)
    assert "closed" in closed["detail"]
    is_problem(client.get(f"{API}/survey/{future}"), 403)


def test_progress_review_decisions_publish_assessment(client: TestClient, auth: dict[str, dict[str, str]],
                                                      running: dict[str, str]) -> None:
    unc, gore = running["unc"], running["gore-cajamarca"]
    for token, section, payload in (
            (gore, "capabilities", [{"capability": "e_government", "level": 3}, {"capability": "connectivity",
                                                                                 "level": 1}]),
            (gore, "partners", [{"partner": "unc", "type": "agreement", "strength": 4},
                                {"proposed": {"name": "Univ. Nacional de Cajamarca", "sector": "academia",
                                              "region": "06"}, "type": "training"}]),
            (gore, "consent", {"accepted": True}),
            (unc, "partners", [{"partner": "gore-cajamarca", "type": "agreement", "strength": 4}]),
            (unc, "needs", {"capabilities": ["cybersecurity"]}),
            (unc, "consent", {"accepted": True})):
        assert client.put(f"{API}/survey/{token}/{section}", json=payload).status_code == 200
    progress = client.get(f"{API}/campaigns/cajamarca-2025/progress", headers=auth["editor"]).json()
    assert progress["text"] == "2 de 3 actores respondieron (67 %)"
    assert progress["missing"] == ["pnud"] and progress["by_region"]["06"] == {"answered": 2, "rostered": 2}

    review = client.get(f"{API}/campaigns/cajamarca-2025/review", headers=auth["editor"]).json()
    assert [(i["id"], i["decision"]) for i in review["items"]] == [("new:univ-nacional-de-cajamarca", None)]
    assert review["items"][0]["duplicates"][0]["actor"] == "unc" and review["pending"] == 1
    is_problem(client.post(f"{API}/campaigns/cajamarca-2025/decisions", json={"item": "new:ghost",
                                                                              "action": "accept"},
                           headers=auth["editor"]), 404)
    is_problem(client.post(f"{API}/campaigns/cajamarca-2025/decisions", json={
        "item": "new:univ-nacional-de-cajamarca", "action": "merge", "merge_into": "ghost"}, headers=auth["editor"]),
        409)
    decided = client.post(f"{API}/campaigns/cajamarca-2025/decisions", json={
        "item": "new:univ-nacional-de-cajamarca", "action": "merge", "merge_into": "unc"}, headers=auth["editor"])
    assert decided.status_code == 201 and decided.json()["merge_into"] == "unc"

    is_problem(client.post(f"{API}/campaigns/cajamarca-2025/publish", headers=auth["cusco"]), 403)
    before = client.get(f"{API}/version").json()["dataset_version"]
    published = client.post(f"{API}/campaigns/cajamarca-2025/publish", headers=auth["editor"])
    assert published.status_code == 200, published.text
    assert published.json()["version"] == before + 1 == int(published.headers["x-dataset-version"])
    assert published.json()["collaborations"] == ["gore-cajamarca--unc--agreement", "gore-cajamarca--unc--training"]
    tie = client.get(f"{API}/collaborations/gore-cajamarca--unc--agreement").json()
    tie = tie.get("collaboration", tie)
    assert tie["confirmation"] == "confirmed" and tie["provenance"].startswith("campaign:cajamarca-2025;respondent:")
    is_problem(client.get(f"{API}/survey/{unc}"), 410)  # published: closed
    detail = client.get(f"{API}/campaigns/cajamarca-2025", headers=auth["editor"]).json()
    assert detail["campaign"]["published_version"] == before + 1 and not detail["open"]

    found = client.get(f"{API}/assessment?region=06")
    assert found.status_code == 200, found.text
    cells = {(c["region"], c["sector"], c["capability"]): c for c in found.json()["cells"]}
    assert cells[("06", "public", "e_government")]["median"] == 3.0
    assert ("PE", None, "connectivity") in cells and found.json()["needs"] == {"cybersecurity": 1}
    assert {g["kind"] for g in found.json()["gaps"]} == {"low_maturity_capability", "unmet_need"}
    assert "contact" not in found.text
    national = client.get(f"{API}/assessment").json()
    assert national["campaigns"] == ["cajamarca-2025"] and all(c["region"] == "PE" for c in national["cells"])
    is_problem(client.get(f"{API}/assessment?region=99"), 404)
