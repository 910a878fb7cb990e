"""The history API on both stores: versions with who made them, past versions as files, `as_of=` on the analysis,
changes between two dates, the region timeline (the page's slider) and the recommendation follow-up."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.tokens import TokenStore
from ecograph.writers import write_json
from tests.test_api import API, make_settings
from tests.test_history import dataset

STORES = ["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@pytest.fixture(params=STORES)
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], str]]:
    """A client over the hand-built dataset (version 1), an admin's headers and its token id."""
    settings = make_settings(request.param, tmp_path, dataset())
    token, info = TokenStore(settings.tokens).create("admin")
    with TestClient(create_app(settings)) as client:
        yield client, {"Authorization": f"Bearer {token}"}, info.id


def ready(client: TestClient, path: str) -> dict:  # type: ignore[type-arg]
    """The answer once the background analysis has what it needs (202 while it computes)."""
    for _ in range(120):
        answer = client.get(path)
        if answer.status_code != 202:
            assert answer.status_code == 200, answer.text
            return answer.json()
        time.sleep(0.5)
    raise AssertionError(f"{path} still pending")


def test_versions_record_who_and_a_past_version_downloads_as_it_was(served: tuple[TestClient, dict[str, str], str],
                                                                     tmp_path: Path) -> None:
    client, admin, token_id = served
    then = client.get(f"{API}/export", params={"format": "json"}).content
    changed = client.delete(f"{API}/collaborations/t1", headers=admin)
    assert changed.status_code in (200, 204), changed.text
    listed = client.get(f"{API}/history").json()
    assert [(v["version"], v["source"], v["who"]) for v in listed["versions"]] == [(1, "load", "cli"),
                                                                                   (2, "api", token_id)]
    assert listed["versions"][1]["removed"]["collaborations"] == 1
    past = client.get(f"{API}/history/1/export", params={"format": "json"})
    assert past.status_code == 200 and past.content == then
    assert past.headers["content-disposition"] == 'attachment; filename="ecograph-v1.json"'
    assert client.get(f"{API}/history/2/export", params={"format": "json"}).content != then
    write_json(dataset(), tmp_path / "same.json")
    assert json.loads(past.content) == json.loads((tmp_path / "same.json").read_text())
    assert client.get(f"{API}/history/9/export").status_code == 404


def test_as_of_changes_and_timeline(served: tuple[TestClient, dict[str, str], str]) -> None:
    client, _, _ = served
    early = ready(client, f"{API}/regions/06/analysis?as_of=2019")
    late = ready(client, f"{API}/regions/06/analysis?as_of=2024")
    local = [{row["id"] for row in found["measures"] if row["local"]} for found in (early, late)]
    assert local == [{"unc", "gore", "ong", "iso"}, {"unc", "gore", "camara", "ong", "iso"}]
    assert early["filters"]["as_of"] == "2019" and early["filters"]["as_of_rule"]["es"].startswith("Regla de fechas")
    assert client.get(f"{API}/regions/06/analysis", params={"as_of": "2019-13"}).status_code == 422
    said = client.get(f"{API}/regions/06/changes", params={"from": "2019", "to": "2022"}).json()
    assert [(c["kind"], c["subject"]) for c in said["changes"] if c["kind"].startswith("tie")] == [
        ("tie_new", ["t2", "gore", "camara"]), ("tie_ended", ["t6", "gore", "ong"])]
    assert said["rule_en"].startswith("Date rule")
    assert client.get(f"{API}/regions/06/changes", params={"from": "yesterday", "to": "2022"}).status_code == 422
    assert client.get(f"{API}/regions/06/changes", params={"from": "v5", "to": "2022"}).status_code == 404
    assert client.get(f"{API}/regions/99/changes", params={"from": "v1", "to": "2022"}).status_code == 404
    years = client.get(f"{API}/regions/06/timeline").json()
    assert years["years"] == list(range(2018, 2026)) and years["nodes"] == [] and years["as_of"] is None
    then = ready(client, f"{API}/regions/06/timeline?as_of=2020")
    assert set(then["nodes"]) == {"unc", "gore", "pnud", "iso"}
    assert then["pairs"] == [["gore", "unc"], ["pnud", "unc"]]
    later = ready(client, f"{API}/regions/06/timeline?as_of=2024")
    assert later["pairs"] == [["camara", "ong"], ["gore", "unc"], ["pnud", "unc"]]
    missing = [{gap["text_en"] for gap in found["gaps"] if "no actor from the private sector" in gap["text_en"]}
               for found in (then, later)]
    assert len(missing[0]) == 1 and not missing[1]  # the chamber has joined by 2024


def test_follow_up_hit_rate(served: tuple[TestClient, dict[str, str], str]) -> None:
    client, admin, _ = served
    ready(client, f"{API}/compare")  # the background job has analysed version 1: its recommendations are kept
    for _ in range(60):
        first = client.get(f"{API}/regions/06/follow-up")
        if first.status_code == 200:
            break
        time.sleep(0.5)
    region = first.json()["regions"][0]
    assert (region["region"], region["taken_up"]) == ("06", 0) and region["recommended"] >= 2
    pick = region["items"][0]
    made = client.post(f"{API}/collaborations", headers=admin, json={
        "source": pick["source"], "target": pick["target"], "type": "agreement", "start": "2026"})
    assert made.status_code == 201, made.text
    after = client.get(f"{API}/regions/06/follow-up", params={"since": 1}).json()
    region = after["regions"][0]
    assert (after["since"], after["at"], region["taken_up"]) == (1, 2, 1)
    assert region["hit_rate"] == pytest.approx(1 / region["recommended"])
    assert region["items"][0]["taken_up"] and region["items"][0]["found_version"] == 2
    everywhere = client.get(f"{API}/follow-up", params={"since": 1}).json()
    assert [r["region"] for r in everywhere["regions"]] == ["06", "08"]
    assert client.get(f"{API}/regions/06/follow-up", params={"since": 2}).status_code == 404


def test_unknown_parameters_are_refused(served: tuple[TestClient, dict[str, str], str]) -> None:
    client, _, _ = served
    assert client.get(f"{API}/regions/06/timeline", params={"year": "2020"}).status_code == 400


def test_the_history_endpoints_are_documented(served: tuple[TestClient, dict[str, str], str]) -> None:
    client, _, _ = served
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert {"HistoryAnswer", "RegionChanges", "FollowUp", "TimelineAnswer", "Gap"} <= set(schemas)  # no name clash
    paths = [path for path in document["paths"] if "history" in path or path.endswith(("changes", "timeline",
                                                                                        "follow-up"))]
    assert len(paths) == 6 and all(document["paths"][path]["get"]["description"] for path in paths)


def test_the_graph_as_of_a_date(served: tuple[TestClient, dict[str, str], str]) -> None:
    client, _, _ = served
    whole = ready(client, f"{API}/regions/06/graph")
    then = ready(client, f"{API}/regions/06/graph?as_of=2020")
    assert len(whole["nodes"]) == 6 and {node["id"] for node in then["nodes"]} == {"unc", "gore", "pnud", "iso"}
    assert sorted(edge["id"] for edge in then["edges"]) == ["t1", "t4"] and len(whole["edges"]) == 6
    assert then["graph"]["as_of"] == "2020" and then["graph"]["as_of_rule"]["en"].startswith("Date rule")
    assert "as_of" not in whole["graph"] or whole["graph"]["as_of"] is None
    cytoscape = ready(client, f"{API}/graph?as_of=2022-06&format=cytoscape")
    assert sorted(e["data"]["id"] for e in cytoscape["elements"]["edges"]) == ["t1", "t2", "t4"]
