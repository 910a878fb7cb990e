"""The one service on each store: the analysis is computed once per dataset version, kept in the store, and
served from there by any other process; stale work is never kept; one process computes at a time."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import networkx as nx
import pytest

from ecograph import service as service_module
from ecograph.model import Dataset
from ecograph.readers import read_dataset
from ecograph.service import COMPARISON, COMPLETE, COUNTRY, SUMMARIES, AnalysisPending, Service, region_key
from ecograph.stores import OutOfScope, SQLiteStore, Store
from ecograph.stores.base import MEASURE_FIELDS
from tests.conftest import MINI
from tests.test_api_server import free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(any_store: Store) -> Store:
    """A store of each kind holding the small test dataset."""
    any_store.load(read_dataset(MINI))
    return any_store


def counting(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The regions this thread analyses from now on (another test's server, still winding down in this
    process, may be analysing its own data meanwhile)."""
    calls: list[str | None] = []
    original = service_module.region_report
    mine = threading.get_ident()

    def counted(graph: nx.MultiDiGraph, *args: object) -> object:
        if threading.get_ident() == mine:
            calls.append(graph.graph.get("region"))
        return original(graph, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(service_module, "region_report", counted)
    return calls


def test_refresh_stores_every_part_and_the_measures(store: Store) -> None:
    version = store.version()
    assert Service(lambda: store).refresh()
    derived = (f"{part}:{region_key(code)}" for part in ("map", "communities", "changes") for code in ("06", "08"))
    assert store.analysis_keys(version) == {region_key("06"), region_key("08"), COUNTRY, COMPARISON, SUMMARIES,
                                            COMPLETE, *derived}
    fresh = Service(lambda: store)  # another process: nothing in memory
    report = fresh.report(version, "06")
    assert report.version == version and {row.id for row in report.measures} >= {"unc", "gore-cajamarca"}
    rows = fresh.comparison(version)
    assert [row.region for row in rows] == sorted((row.region for row in rows),
                                                  key=lambda code: -next(r.score for r in rows if r.region == code))
    assert fresh.summaries(version)["06"]["figures"]["score"] == next(r.score for r in rows if r.region == "06")


def test_measures_are_queryable_next_to_the_actors(store: Store) -> None:
    assert Service(lambda: store).refresh()
    report = Service(lambda: store).report(store.version(), "06")
    unc = next(row for row in report.measures if row.id == "unc")
    if isinstance(store, SQLiteStore):
        columns = ", ".join(f'm."{name}"' for name in MEASURE_FIELDS)
        query = f"SELECT {columns} FROM actors a JOIN actor_measures m USING (id) WHERE a.id = 'unc'"
        found = dict(zip(MEASURE_FIELDS, store.db.execute(query).fetchone(), strict=True))
    else:
        found = store._run("MATCH (a:Actor {id: 'unc'}) RETURN a.betweenness AS betweenness, a.degree AS degree, "  # type: ignore[attr-defined]
                           "a.pagerank AS pagerank, a.analysis_version AS version")[0]
        assert found["version"] == store.version()
    assert found["betweenness"] == unc.betweenness and found["degree"] == unc.degree
    assert found["pagerank"] == unc.pagerank
    assert store.actor("unc").name  # the measures do not leak into the actor record


def test_a_second_service_serves_without_recomputing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Service(lambda: store).refresh()
    calls = counting(monkeypatch)
    other = Service(lambda: store, wait=0)
    version = store.version()
    other.report(version, "06"), other.prepared(version, "08"), other.comparison(version)
    assert other.part(version, "06", "map")["names"]["unc"]["sector"] == "academia"
    assert calls == []


def test_past_pool_after_worker_processes_compute_the_rest(store: Store, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Once a part took longer than ``pool_after``, the others are computed in worker processes over their own
    connection to the store, and what they store is what one process computes."""
    calls = counting(monkeypatch)
    version = store.version()
    assert Service(lambda: store, workers=2, pool_after=0.0).refresh()
    assert calls == ["06"]  # the first part here; 08 and the country in the workers
    assert COMPLETE in store.analysis_keys(version)
    alone = SQLiteStore(tmp_path / "alone.db")
    alone.load(read_dataset(MINI))
    assert Service(lambda: alone, workers=1).refresh()
    for code in ("06", "08", None):
        pooled, single = Service(lambda: store).analysed(version, code), Service(lambda: alone).analysed(
            alone.version(), code)
        assert pooled.report.model_dump(exclude={"version"}) == single.report.model_dump(exclude={"version"})
        assert pooled.positions == single.positions
    assert Service(lambda: store).part(version, "08", "map") == Service(lambda: alone).part(alone.version(), "08",
                                                                                             "map")


def test_stale_results_are_not_kept(store: Store) -> None:
    version = store.version()
    actor = store.actor("unc")
    store.upsert_actor(actor.model_copy(update={"name": "Universidad Nacional de Cajamarca (UNC)"}))
    assert store.save_analysis(version, "region:06", b"stale") is False
    assert store.analysis_keys(version) == set()
    assert store.save_measures(version, {"unc": dict.fromkeys(MEASURE_FIELDS, 1)}) is False


def test_one_process_computes_at_a_time(store: Store) -> None:
    version = store.version()
    assert store.claim_analysis(version, "first", stale_after=60)
    assert not store.claim_analysis(version, "second", stale_after=60), "held, and renewed recently"
    assert store.claim_analysis(version, "first", stale_after=60), "its holder renews it"
    assert store.claim_analysis(version, "second", stale_after=0), "a holder silent for too long is replaced"
    assert store.claim_analysis(version + 1, "first", stale_after=60), "a newer version is a new job"


def test_a_request_waits_briefly_then_hears_pending(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    service = Service(lambda: store, wait=0.1)
    monkeypatch.setattr(service, "start", lambda: None)  # nobody computes
    started = time.monotonic()
    with pytest.raises(AnalysisPending) as pending:
        service.report(store.version(), "06")
    assert time.monotonic() - started < 2
    assert (pending.value.ready, pending.value.total) == (0, 5)


def test_the_background_job_catches_up_after_a_change(store: Store) -> None:
    own = threading.local()

    def per_thread() -> Store:
        """As the web app does: one SQLite connection per thread (a Neo4j driver is shared)."""
        if not isinstance(store, SQLiteStore):
            return store
        if not hasattr(own, "store"):
            own.store = SQLiteStore(store.path)
        return own.store

    service = Service(per_thread)
    service.start()
    try:
        store.upsert_actor(store.actor("unc").model_copy(update={"acronym": "UNC-2"}))
        service.changed()
        version = store.version()
        deadline = time.monotonic() + 60
        while COMPLETE not in store.analysis_keys(version) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert COMPLETE in store.analysis_keys(version)
    finally:
        service.stop()


def test_load_is_refused_whole_outside_the_writable_regions(store: Store) -> None:
    dataset: Dataset = read_dataset(MINI)
    cusco = dataset.actors[0].model_copy(update={"id": "lab-cusco", "region": "08", "scope": "regional"})
    before = store.version()
    with pytest.raises(OutOfScope) as refused:
        store.load(dataset.model_copy(update={"actors": [*dataset.actors, cusco]}), may_write=lambda r: r == "06")
    assert refused.value.refused == ["actor lab-cusco (08)"]
    assert store.version() == before


def serve(store: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "ecograph", "serve", "--store", store, "--port", str(port),
               "--log-level", "warning"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_two_servers_over_one_store_share_one_analysis(store: Store, tmp_path: Path) -> None:
    """Two `ecograph serve` processes over one store after a load: one computes, both serve the same analysis."""
    location = store.url
    env = {**os.environ, "ECOGRAPH_TOKENS": str(tmp_path / "tokens.db"), "ECOGRAPH_ANALYSIS_WAIT": "20"}
    if not isinstance(store, SQLiteStore):
        env |= {"NEO4J_USER": os.environ.get("NEO4J_USER", "neo4j"), "NEO4J_PASSWORD": os.environ["NEO4J_PASSWORD"]}
    ports = [free_port(), free_port()]
    servers = [serve(location, port, env) for port in ports]
    try:
        for port in ports:
            wait_until_up(f"http://127.0.0.1:{port}", timeout=120)  # two cold starts at once on a busy machine
        answers = [httpx.get(f"http://127.0.0.1:{port}/api/v1/regions/06/analysis", timeout=60) for port in ports]
        # Each server builds its answers' bytes from the stored analysis, then replays them: the same bytes everywhere.
        warm = [[httpx.get(f"http://127.0.0.1:{port}/api/v1/regions/06/{path}", headers={"Accept-Encoding": encoding},
                           timeout=60) for path in ("analysis", "graph", "graph") for encoding in ("gzip", "identity")]
                for port in ports]
    finally:
        for process in servers:
            process.terminate()
            process.wait(10)
    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert [[answer.content for answer in mine] for mine in warm] == [[answer.content for answer in warm[0]]] * 2
    assert [answer.headers.get("content-encoding") for answer in warm[1]] == ["gzip", None] * 3
    assert warm[0][0].content == answers[0].content
    # The job was claimed once: its holder is one of the two servers, and the stored parts were written once.
    version = store.version()
    assert COMPLETE in store.analysis_keys(version)
    assert not store.claim_analysis(version, "a third process", stale_after=60)


def test_an_analysis_stored_by_another_format_is_not_served(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """After an upgrade that changes what a report holds, the stored parts of the old shape are left alone."""
    assert Service(lambda: store).refresh()
    monkeypatch.setattr(service_module, "FORMAT", service_module.FORMAT + 1)
    for name in ("COUNTRY", "COMPARISON", "SUMMARIES", "COMPLETE"):
        monkeypatch.setattr(service_module, name, f"{name.lower()}@{service_module.FORMAT}")
    calls = counting(monkeypatch)
    assert Service(lambda: store).refresh()
    assert sorted(calls, key=str) == sorted(["06", "08", None], key=str), "analysed again in the new shape"
