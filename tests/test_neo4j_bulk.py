"""The Neo4j store's bulk path (large changes in transactions of bounded size, switched in by one small one).

The store contract's write tests run again with every change on the bulk path (``bulk_above = 0``), each followed
by a check that nothing is left of the bulk machinery; a reader during a bulk load sees the old version whole; a
load that fails after some batches were committed leaves no trace. Killing the server or the client in the middle
of a large load is in tests/test_neo4j.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ecograph.generate import generate_dataset
from ecograph.model import Dataset
from ecograph.stores import Conflict, Store
from ecograph.stores.neo4j import Neo4jStore
from tests import test_contract as contract
from tests.neo4j_server import connect, wipe

pytestmark = pytest.mark.neo4j
peru, reference = contract.peru, contract.reference  # the contract's fixtures


@pytest.fixture(scope="module")
def server() -> Iterator[Neo4jStore]:
    store = connect()
    yield store
    wipe(store)
    store.close()


@pytest.fixture
def bulk(server: Neo4jStore) -> Iterator[Neo4jStore]:
    """The test server's store, emptied, with every change on the bulk path."""
    wipe(server)
    server.bulk_above = 0
    yield server
    del server.bulk_above  # back to the class's threshold


def assert_tidy(store: Neo4jStore) -> None:
    """Nothing of the bulk path is left: every node and tie is part of the committed version, linked as the graph
    model says, and no record is there twice."""
    version = store.version()
    stray = store._run("MATCH (n) WHERE n.until IS NOT NULL OR n.since > $v RETURN count(n) AS n", v=version)
    stray_ties = store._run("MATCH ()-[r]->() WHERE r.until IS NOT NULL OR r.since > $v RETURN count(r) AS n",
                            v=version)
    assert stray[0]["n"] == stray_ties[0]["n"] == 0
    assert store._run("MATCH (s:Meta {key: 'staged'}) RETURN count(s) AS n")[0]["n"] == 0
    dataset = store.dataset()
    counts = {row["label"]: row["n"] for row in store._run("MATCH (n) WHERE n:Actor OR n:Region OR n:Indicator "
                                                               "RETURN labels(n)[0] AS label, count(*) AS n")}
    assert counts == {label: n for label, n in (("Actor", len(dataset.actors)), ("Region", len(dataset.regions)),
                                                ("Indicator", len(dataset.indicators))) if n}
    ties = store._run("MATCH ()-[r:COLLABORATES_WITH]->() RETURN count(r) AS n")[0]["n"]
    assert ties == len(dataset.collaborations)
    located = store._run("MATCH (a:Actor)-[:LOCATED_IN]->(r:Region) WHERE a.region = r.code RETURN count(a) AS n")
    assert located[0]["n"] == sum(actor.region is not None for actor in dataset.actors)
    assert store._run("MATCH (a:Actor)-[:LOCATED_IN]->() RETURN count(*) AS n")[0]["n"] == located[0]["n"]
    codes = {region.code for region in dataset.regions}
    linked = store._run("MATCH (i:Indicator)-[:OF]->(r:Region) WHERE i.region = r.code RETURN count(i) AS n")
    assert linked[0]["n"] == sum(indicator.region in codes for indicator in dataset.indicators)


CONTRACT: list[Callable[..., None]] = [contract.test_reloading_changes_nothing,
                                       contract.test_updates_and_replace_apply_the_differences,
                                       contract.test_moving_an_actor_and_a_tie_moves_them_in_the_graphs,
                                       contract.test_single_record_writes, contract.test_progress_counts_every_record]


@pytest.mark.parametrize("test", CONTRACT, ids=[test.__name__ for test in CONTRACT])
def test_the_contract_holds_on_the_bulk_path(bulk: Neo4jStore, mini: Dataset, test: Callable[..., None]) -> None:
    test(bulk, mini)
    assert_tidy(bulk)


@pytest.mark.parametrize("case", ["orphan tie", "actor in no region", "delete a tied actor",
                                  "delete a region with actors"])
def test_a_failing_bulk_load_leaves_no_trace(bulk: Neo4jStore, mini: Dataset, case: str) -> None:
    contract.test_a_failing_load_writes_nothing(bulk, mini, case)
    assert_tidy(bulk)


def test_peru_through_the_bulk_path(bulk: Neo4jStore, reference: Store, peru: Dataset, store: Store) -> None:
    contract.test_export_from_one_store_loads_into_the_other(bulk, peru, reference, store)
    assert_tidy(bulk)
    history = [(entry.version, entry.source, entry.changes()) for entry in bulk.history()]
    assert len(history) == 3 and history[0][2][0]["actors"] == [actor.__dict__ for actor in peru.actors]


def test_readers_see_the_old_version_whole_during_a_bulk_load(bulk: Neo4jStore, mini: Dataset) -> None:
    bulk.load(mini)
    big = generate_dataset(3_000, seed=5)
    reader = connect()
    seen: list[tuple[int, Dataset]] = []

    def look(rows: int) -> None:  # after each committed batch of the load
        seen.append((reader.version(), reader.dataset()))

    try:
        bulk.load(big, replace=True, progress=look)
        assert len(seen) > 5
        assert all(pair == (1, mini) for pair in seen)
        assert reader.version() == 2 and reader.dataset() == big
    finally:
        reader.close()
    assert_tidy(bulk)
    # Replacing most of it again: actors change, so their ties move onto the new copies.
    changed = Dataset(regions=big.regions, indicators=big.indicators,
                      actors=[actor.model_copy(update={"name": actor.name + " (2)"}) for actor in big.actors[::2]]
                      + big.actors[1::2], collaborations=big.collaborations)
    bulk.load(changed)
    assert bulk.dataset() == Dataset(regions=changed.regions, indicators=changed.indicators,
                                     actors=sorted(changed.actors, key=lambda a: a.id),
                                     collaborations=changed.collaborations)
    assert_tidy(bulk)


def test_a_bulk_load_failing_late_leaves_no_trace(bulk: Neo4jStore, mini: Dataset) -> None:
    bulk.load(mini)
    big = generate_dataset(2_000, seed=6)
    ghost = contract.orphan_tie("actor-000001", "ghost")
    bad = Dataset(regions=big.regions, indicators=big.indicators, actors=big.actors,
                  collaborations=[*big.collaborations, ghost])
    with pytest.raises(Conflict, match="ghost"):
        bulk.load(bad)
    assert bulk.version() == 1 and bulk.dataset() == mini
    assert_tidy(bulk)
