"""The service's own ASGI middleware, on a small app of its own: every response is marked nosniff."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.testclient import TestClient
from starlette.responses import PlainTextResponse, StreamingResponse

from api.middleware import BodyLimit, NoSniff


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    (tmp_path / "note.txt").write_text("<script>alert(1)</script>", encoding="utf-8")
    app = FastAPI()
    app.get("/api/v1/thing")(lambda: {"name": "<b>x</b>"})
    app.post("/api/v1/echo")(lambda body: body)
    app.get("/text")(lambda: PlainTextResponse("plain", headers={"X-Content-Type-Options": "sniff-me"}))
    app.get("/stream")(lambda: StreamingResponse(iter([b"a", b"b"]), media_type="text/plain"))
    app.mount("/static", StaticFiles(directory=tmp_path), name="static")
    app.add_middleware(BodyLimit, limit=10, upload_limit=10, upload_paths=())
    app.add_middleware(NoSniff)
    return TestClient(app)


@pytest.mark.parametrize("path", ["/api/v1/thing", "/static/note.txt", "/docs", "/openapi.json", "/nowhere", "/text",
                                  "/stream"])
def test_every_response_is_marked_nosniff(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers.get_list("x-content-type-options") == ["nosniff"], path


def test_responses_other_middleware_answers_are_marked_too(client: TestClient) -> None:
    refused = client.post("/api/v1/echo", content=b"x" * 100, headers={"Content-Type": "application/json"})
    assert refused.status_code == 413
    assert refused.headers["x-content-type-options"] == "nosniff"
