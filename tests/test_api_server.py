"""The API as deployed: a real uvicorn server on a free loopback port hit over HTTP, the `serve` command in
its own process, and the `token` commands."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import networkx as nx
import pytest
import uvicorn
from typer.testing import CliRunner

from api.cli import token_app
from api.main import create_app
from api.settings import ApiSettings
from api.tokens import TokenStore
from ecograph import service as service_module
from tests.test_api import API, new_actor, sqlite_settings

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(base: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code in (200, 503):
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"no server at {base} after {timeout} s")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, ApiSettings]]:
    """The app in a real uvicorn server on 127.0.0.1, in a thread of this process."""
    settings = sqlite_settings(tmp_path)
    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base)
    yield base, settings
    running.should_exit = True
    thread.join(timeout=10)


def test_real_server(server: tuple[str, ApiSettings]) -> None:
    base, settings = server
    token = TokenStore(settings.tokens).create("admin")[0]
    with httpx.Client(base_url=base, timeout=10) as client:
        assert client.get("/health").json()["status"] == "ok"
        graph = client.get(f"{API}/regions/06/graph")
        assert graph.status_code == 200 and graph.headers["content-type"] == "application/json"
        assert client.get(f"{API}/regions/06/graph", headers={"If-None-Match": graph.headers["etag"]}).status_code \
            == 304
        created = client.post(f"{API}/actors", json=new_actor(), headers={"Authorization": f"Bearer {token}"})
        assert created.status_code == 201
        assert client.get(f"{API}/regions/06/graph", headers={"If-None-Match": graph.headers["etag"]}).status_code \
            == 200
        missing = client.get(f"{API}/regions/99")
        assert missing.status_code == 404 and missing.headers["content-language"] == "es"
        assert missing.json()["detail"].startswith("no existe la región «99»")
        english = client.get(f"{API}/regions/99", headers={"Accept-Language": "en-US,en;q=0.8"})
        assert english.headers["content-language"] == "en" and english.json()["detail"].startswith("no region '99'")
        refused = client.post(f"{API}/actors", content=b"x" * 2_000_000,
                              headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        assert refused.status_code == 413 and refused.json()["status"] == 413
    with httpx.Client(base_url=base, timeout=10) as client:  # the server still answers after refusing a body
        assert client.get("/health").status_code == 200


def test_concurrent_requests_compute_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight requests arrive before any analysis exists: each part is computed once, and all get one answer."""
    calls: list[str | None] = []
    original = service_module.layout

    def slow(graph: nx.MultiDiGraph) -> Any:
        calls.append(graph.graph.get("region"))
        time.sleep(0.1)  # long enough for every request to arrive while the job runs
        return original(graph)

    monkeypatch.setattr(service_module, "layout", slow)
    settings = sqlite_settings(tmp_path, analyse_in_background=False)
    port = free_port()
    running = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        with httpx.Client(base_url=base, timeout=30) as client, ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: client.get(f"{API}/graph"), range(8)))
    finally:
        running.should_exit = True
        thread.join(10)
    assert {answer.status_code for answer in answers} == {200}
    assert len({answer.content for answer in answers}) == 1
    assert sorted(calls, key=str) == sorted(["06", "08", None], key=str), "each region and the country once"


def test_serve_command(tmp_path: Path) -> None:
    """`ecograph serve --port P --store S` in its own process (run through typer as the CLI will)."""
    settings = sqlite_settings(tmp_path)
    port = free_port()
    env = {**os.environ, "ECOGRAPH_TOKENS": settings.tokens, "ECOGRAPH_LANG": "en"}  # the command's own lines
    command = [sys.executable, "-c", "import typer; from api.cli import serve; typer.run(serve)",
               "--port", str(port), "--store", settings.store, "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base)
        assert httpx.get(f"{base}/health").json()["dataset_version"] == 1
        assert len(httpx.get(f"{base}{API}/regions").json()["regions"]) == 2
    finally:
        process.terminate()
        _, err = process.communicate(timeout=15)
    assert f"serving on http://127.0.0.1:{port}" in err.decode()


def test_token_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECOGRAPH_LANG", "en")  # the commands' own lines, checked in English
    runner = CliRunner()
    tokens = str(tmp_path / "tokens.db")
    store = sqlite_settings(tmp_path).store  # an editor token's regions must be the store's (06 and 08)
    created = runner.invoke(token_app, ["create", "--role", "editor", "--region", "06", "--region", "08",
                                        "--name", "Cajamarca lab", "--tokens", tokens, "--store", store])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip().splitlines()[-1]
    assert token.startswith("eg_")
    principal = TokenStore(tokens).check(token)
    assert principal is not None and principal.regions == frozenset({"06", "08"}) and principal.role == "editor"
    listed = runner.invoke(token_app, ["list", "--tokens", tokens])
    assert principal.id in listed.stdout and "06,08" in listed.stdout and token not in listed.stdout
    assert runner.invoke(token_app, ["revoke", principal.id, "--tokens", tokens]).exit_code == 0
    assert TokenStore(tokens).check(token) is None
    assert "revoked" in runner.invoke(token_app, ["list", "--tokens", tokens]).stdout
    assert runner.invoke(token_app, ["revoke", principal.id, "--tokens", tokens]).exit_code == 2
    needs_region = runner.invoke(token_app, ["create", "--role", "editor", "--tokens", tokens])
    assert needs_region.exit_code == 2 and "--region" in needs_region.output
    assert runner.invoke(token_app, ["create", "--role", "boss", "--tokens", tokens]).exit_code == 2
    assert runner.invoke(token_app, ["create", "--role", "admin", "--region", "06", "--tokens", tokens]).exit_code == 2
