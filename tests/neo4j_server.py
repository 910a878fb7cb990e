"""Test helpers for the Neo4j store: the server from the environment, and throwaway instances.

`make test` starts instance ``test`` with ``scripts/neo4j`` and exports NEO4J_URI, NEO4J_USER and
NEO4J_PASSWORD. Without them the Neo4j tests skip, except under CI=true, where they fail: a CI
run that silently skipped the server tests would pass without testing anything.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from ecograph.stores.neo4j import Neo4jStore

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "neo4j"
RUN = ROOT / ".cache" / "neo4j" / "run"


def server_env() -> tuple[str, str, str]:
    """(uri, user, password) of the test server, or skip (fail under CI=true) when none is given."""
    uri, user, password = (os.environ.get(name, "") for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"))
    if uri and password:
        return uri, user or "neo4j", password
    message = ("no Neo4j server: set NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD (`make test` starts one with "
               "`NEO4J_INSTANCE=test scripts/neo4j start`)")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}; under CI=true the Neo4j tests must run", pytrace=False)
    pytest.skip(message)


def connect() -> Neo4jStore:
    uri, user, password = server_env()
    return Neo4jStore(uri, user, password)


def wipe(store: Neo4jStore) -> None:
    """Empty the database (data only: the constraints and indexes stay)."""
    store._run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")


class Instance:
    """A throwaway server of its own (`scripts/neo4j` instance ``name``), for tests that kill it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.home = RUN / name
        self.env: dict[str, str] = {}

    def _script(self, *args: str) -> str:
        env = {**os.environ, "NEO4J_INSTANCE": self.name, "NEO4J_HEAP": "512m"}
        for name in ("NEO4J_BOLT_PORT", "NEO4J_HTTP_PORT"):
            env.pop(name, None)
        done = subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=180)
        if done.returncode:
            raise RuntimeError(f"scripts/neo4j {' '.join(args)} failed: {done.stderr[-2000:]}")
        return done.stdout

    def start(self) -> dict[str, str]:
        out = self._script("start")
        self.env = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
        return self.env

    def store(self) -> Neo4jStore:
        return Neo4jStore(self.env["NEO4J_URI"], self.env["NEO4J_USER"], self.env["NEO4J_PASSWORD"])

    def pid(self) -> int:
        return int((self.home / "neo4j.pid").read_text())

    def kill(self) -> None:
        """SIGKILL the server's java process: no shutdown, no checkpoint."""
        pid = self.pid()
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)

    def stop(self, wipe: bool = True) -> None:
        self._script("stop", *(["--wipe"] if wipe else []))
