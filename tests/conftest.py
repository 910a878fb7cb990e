"""Shared fixtures: the small test dataset, and a fresh store of each kind."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ecograph.model import Dataset
from ecograph.readers import read_dataset
from ecograph.stores import SQLiteStore, Store
from tests.neo4j_server import connect, wipe

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini"
PERU = Path(__file__).parent.parent / "data" / "peru"


@pytest.fixture
def mini_path(tmp_path: Path) -> Path:
    """A writable copy of the small dataset (two regions, six actors, four ties)."""
    return Path(shutil.copytree(MINI, tmp_path / "mini"))


@pytest.fixture
def mini() -> Dataset:
    return read_dataset(MINI)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh, empty store."""
    with SQLiteStore(tmp_path / "test.db") as fresh:
        yield fresh


@pytest.fixture(scope="module")
def neo4j_store() -> Iterator[Store]:
    store = connect()
    yield store
    wipe(store)
    store.close()


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh, empty store of each kind."""
    if request.param == "sqlite":
        with SQLiteStore(tmp_path / "contract.db") as fresh:
            yield fresh
        return
    store = request.getfixturevalue("neo4j_store")
    wipe(store)
    yield store


@pytest.fixture(scope="module")
def peru_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store holding the bundled Peru data (its analysis not computed yet)."""
    path = tmp_path_factory.mktemp("peru") / "peru.db"
    with SQLiteStore(path) as store:
        store.load(read_dataset(PERU))
    return path


@pytest.fixture(scope="module")
def peru_server(peru_path: Path) -> Iterator[object]:
    """The app over ``peru_path`` on a free port of 127.0.0.1, its analysis stored (tests.test_browser.Server)."""
    from tests.test_browser import Server, wait_for_analysis
    from tests.test_visuals import make_app

    with Server(make_app(peru_path)) as server:
        wait_for_analysis(server)
        yield server
