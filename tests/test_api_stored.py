"""Warm answers as stored bytes (api.stored): built once per dataset version, compressed once, replayed by address;
the same JSON as the documented schema gives, the same headers as a first answer, and never stale."""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from api.main import create_app
from api.schemas import AnalysisAnswer, CytoscapeGraph, GapsAnswer, NodeLinkGraph
from api.settings import ApiSettings
from api.tokens import TokenStore
from ecograph.service import COMPLETE, Service
from tests.test_api import API, STORES, make_settings, new_actor, sqlite_settings

GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}
ANSWERS: list[tuple[str, type[BaseModel]]] = [
    ("/regions/06/graph", NodeLinkGraph), ("/regions/06/graph?format=cytoscape", CytoscapeGraph),
    ("/graph", NodeLinkGraph), ("/regions/06/analysis", AnalysisAnswer), ("/regions/06/gaps", GapsAnswer)]


@pytest.fixture(params=STORES)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> ApiSettings:
    return make_settings(request.param, tmp_path, analysis_wait=60)  # a busy machine: never a 202 here


@pytest.fixture
def served(settings: ApiSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.parametrize(("path", "schema"), ANSWERS)
def test_warm_answers_are_the_schema_validated_json(served: TestClient, path: str, schema: type[BaseModel]) -> None:
    """The first answer builds and stores the bytes, the next ones replay them: the same bytes, gzip or not, and the
    same JSON the documented schema validates and serialises back (its optional fields left out when unset)."""
    first = served.get(f"{API}{path}", headers=IDENTITY)
    replayed = [served.get(f"{API}{path}", headers=IDENTITY) for _ in range(2)]
    compressed = [served.get(f"{API}{path}", headers=GZIP) for _ in range(3)]
    assert {answer.status_code for answer in (first, *replayed, *compressed)} == {200}
    assert all(answer.content == first.content for answer in (*replayed, *compressed))
    assert {answer.headers["content-encoding"] for answer in compressed} == {"gzip"}
    assert "content-encoding" not in first.headers
    document = json.loads(first.content)
    assert schema.model_validate(document).model_dump(mode="json", exclude_unset=True) == document


def test_headers_are_those_of_a_built_answer(tmp_path: Path) -> None:
    """A replayed answer carries the headers of the answer that built it (CORS and nosniff added outside), and
    gzip ones the encoding and Vary; If-None-Match still gets a 304 with the ETag."""
    settings = sqlite_settings(tmp_path, cors_origins="https://embed.example.org", analysis_wait=60)
    origin = {"Origin": "https://embed.example.org"}
    with TestClient(create_app(settings)) as client:
        url = f"{API}/regions/06/graph"
        for encoding in (GZIP, IDENTITY):
            built, replayed = (client.get(url, headers={**encoding, **origin}) for _ in range(2))
            assert dict(built.headers) == dict(replayed.headers)
            assert {"etag", "x-dataset-version", "cache-control", "vary", "x-content-type-options",
                    "access-control-allow-origin", "access-control-expose-headers", "content-type"} <= set(
                        replayed.headers)
            assert {token.strip() for token in replayed.headers["vary"].split(",")} == {"Accept-Encoding", "Origin"}
            assert replayed.headers["x-content-type-options"] == "nosniff"
        etag = replayed.headers["etag"]
        not_modified = client.get(url, headers={"If-None-Match": etag, **origin})
        assert not_modified.status_code == 304 and not_modified.content == b""
        assert not_modified.headers["etag"] == etag and not_modified.headers["x-dataset-version"] == "1"
        assert not_modified.headers["access-control-allow-origin"] == "https://embed.example.org"


def test_compressed_bytes_are_kept_not_made_per_request(tmp_path: Path) -> None:
    """The gzip body is compressed once (the same bytes every time, gzip's own header dated 0) and is the JSON."""
    with TestClient(create_app(sqlite_settings(tmp_path, analysis_wait=60))) as client:
        url = f"{API}/regions/06/analysis"
        client.get(url)
        sent = []
        for _ in range(2):
            with client.stream("GET", url, headers=GZIP) as answer:
                sent.append(b"".join(answer.iter_raw()))
        assert sent[0] == sent[1] and sent[0][4:8] == b"\0\0\0\0"
        assert json.loads(gzip.decompress(sent[0])) == client.get(url, headers=IDENTITY).json()


def analysed(service: Service) -> None:
    """Wait until the background job has stored the whole analysis of the current version."""
    store, deadline = service.store, time.monotonic() + 120
    while COMPLETE not in store.analysis_keys(store.version()):
        assert time.monotonic() < deadline, "the background analysis did not end"
        time.sleep(0.05)


def test_a_replay_skips_the_app_and_follows_new_versions(served: TestClient, settings: ApiSettings) -> None:
    """A warm request of a known address touches no route (not even the service's cache); a write makes a new
    dataset version, whose answer is built again; a token is still checked (a bad one is a 401)."""
    service = served.app.state.service  # type: ignore[attr-defined]
    url = f"{API}/regions/06/graph"
    served.get(url)
    analysed(service)  # the background job looks things up in the cache too while it computes the rest
    looked = service.cache.hits + service.cache.misses
    again = served.get(url)
    assert service.cache.hits + service.cache.misses == looked, "replayed from memory"
    token = TokenStore(settings.tokens).create("admin")[0]
    written = served.post(f"{API}/actors", json=new_actor(), headers={"Authorization": f"Bearer {token}"})
    assert written.status_code == 201, written.text
    after = served.get(url)
    assert after.status_code == 200 and after.headers["x-dataset-version"] == "2"
    assert after.headers["etag"] != again.headers["etag"]
    assert "innova-cajamarca" in {node["id"] for node in after.json()["nodes"]}
    assert served.get(url, headers={"Authorization": "Bearer not-a-token"}).status_code == 401


def test_no_replay_when_reads_need_a_token(tmp_path: Path) -> None:
    settings = sqlite_settings(tmp_path, read_token_required=True, analysis_wait=60)
    token = TokenStore(settings.tokens).create("admin")[0]
    with TestClient(create_app(settings)) as client:
        url = f"{API}/regions/06/graph"
        for _ in range(2):
            assert client.get(url, headers={"Authorization": f"Bearer {token}"}).status_code == 200
            assert client.get(url).status_code == 401
