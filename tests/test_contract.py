"""The store contract: the SQLite and the Neo4j store hold, return and graph the same data the same way.

Every test runs once per store (fixture ``any_store``) and compares what it gets with the SQLite
reference store and with what the dataset itself says. The Neo4j run needs the server given by
NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD (see tests/neo4j_server.py); its database is wiped
before each test.
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx
import pytest

from ecograph.graph import build_graph
from ecograph.model import Actor, Collaboration, Dataset, Region
from ecograph.readers import read_dataset
from ecograph.stores import Conflict, NotFound, SQLiteStore, Store
from ecograph.stores.base import Changes
from tests.conftest import PERU


@pytest.fixture(scope="module")
def peru() -> Dataset:
    return read_dataset(PERU)


@pytest.fixture(scope="module")
def reference(peru: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    """The SQLite store with the bundled Peru dataset: what every store must agree with."""
    with SQLiteStore(tmp_path_factory.mktemp("reference") / "peru.db") as store:
        store.load(peru)
        yield store


def expected_graph(dataset: Dataset, region: str | None) -> nx.MultiDiGraph:
    """A region's graph straight from the dataset: its actors, every tie touching them, their partners."""
    if region is None:
        return build_graph(dataset.actors, dataset.collaborations, None)
    local = {a.id for a in dataset.actors if a.region == region}
    ties = [t for t in dataset.collaborations if t.source in local or t.target in local]
    ends = local | {end for t in ties for end in (t.source, t.target)}
    return build_graph([a for a in dataset.actors if a.id in ends], ties, region)


def assert_same_graph(got: nx.MultiDiGraph, want: nx.MultiDiGraph) -> None:
    assert nx.utils.graphs_equal(got, want)
    assert list(got.nodes(data=True)) == list(want.nodes(data=True))  # same order too
    assert list(got.edges(keys=True, data=True)) == list(want.edges(keys=True, data=True))


def orphan_tie(source: str, target: str) -> Collaboration:
    return Collaboration.model_construct(id="zz-orphan", source=source, target=target, type="agreement", weight=3,
                                         start=None, end=None, status="active", program=None, evidence=None,
                                         illustrative=False)


def test_fresh_store_is_empty_at_version_zero(any_store: Store) -> None:
    assert any_store.version() == 0
    assert any_store.dataset() == Dataset()
    assert any_store.graph().number_of_nodes() == 0


def test_peru_graphs_are_identical_for_every_region_and_the_country(any_store: Store, peru: Dataset,
                                                                   reference: SQLiteStore) -> None:
    summary = any_store.load(peru)
    assert summary.version == 1 and summary.added["actors"] == len(peru.actors)
    assert any_store.dataset() == peru
    for region in [None, *(r.code for r in peru.regions)]:
        graph = any_store.graph(region)
        assert graph.graph == {"region": region, "version": 1}
        assert_same_graph(graph, reference.graph(region))
        want = expected_graph(peru, region)
        want.graph["version"] = 1
        assert_same_graph(graph, want)
        if region is not None:
            assert any_store.dataset(region) == reference.dataset(region)
            assert any_store.graph_records(region) == reference.graph_records(region)
    with pytest.raises(NotFound, match=r"^no existe la región «99»") as missing:
        any_store.graph("99")
    assert missing.value.text("en") == "no region '99'; see `ecograph stats` for the codes"


def test_filters_give_the_same_answers(any_store: Store, peru: Dataset, reference: SQLiteStore) -> None:
    any_store.load(peru)
    a = peru.actors
    queries: list[dict[str, object]] = [
        {}, {"region": "06"}, {"region": "15a"}, {"sector": "public"}, {"sector": "academia", "region": "08"},
        {"type": "university"}, {"capability": "digital_skills"}, {"target_group": "women"},
        {"capability": "connectivity", "target_group": "rural", "sector": "private"},
        {"ids": [a[0].id, a[5].id, "ghost"]}, {"ids": [a[3].id], "sector": a[3].sector}, {"ids": []},
        {"region": "99"}, {"capability": "no-such-thing"},
    ]
    queries += [{"region": r.code} for r in peru.regions]
    for query in queries:
        got = any_store.actors(**query)  # type: ignore[arg-type]
        assert got == reference.actors(**query), query  # type: ignore[arg-type]
        assert [x.id for x in got] == sorted(x.id for x in got)
    ties = peru.collaborations
    for query in [{}, {"actor": ties[0].source}, {"actor": ties[7].target}, {"region": "06"}, {"region": "15b"},
                  {"actor": ties[0].source, "region": "06"}, {"ids": [ties[1].id, ties[9].id, "nope"]},
                  {"ids": []}, {"actor": "ghost"}]:
        assert any_store.collaborations(**query) == reference.collaborations(**query), query  # type: ignore[arg-type]
    assert any_store.regions() == reference.regions() == peru.regions
    for region in (None, "06", "PE", "99"):
        assert any_store.indicators(region) == reference.indicators(region)
    for text in ("universidad", "CÁMARA", "pnud", "zzz"):
        assert any_store.search_actors(text) == reference.search_actors(text)
        assert any_store.search_actors(text, region="06") == reference.search_actors(text, region="06")
    assert any_store.actor(a[2].id) == a[2]
    with pytest.raises(NotFound, match=r"^no existe el actor «ghost»$") as missing:
        any_store.actor("ghost")
    assert missing.value.text("en") == "no actor 'ghost'"


def test_reloading_changes_nothing(any_store: Store, mini: Dataset) -> None:
    assert any_store.load(mini).version == 1
    again = any_store.load(mini)
    assert not again.changed and again.version == 1
    assert again.unchanged["collaborations"] == 4
    assert any_store.load(mini, replace=True).version == 1
    assert any_store.version() == 1
    assert any_store.dataset() == mini


def test_updates_and_replace_apply_the_differences(any_store: Store, mini: Dataset) -> None:
    any_store.load(mini)
    renamed = mini.actors[0].model_copy(update={"name": "Asociación renombrada", "acronym": None,
                                                 "capabilities": [], "website": "https://example.org/x"})
    extra = Actor(id="upao", name="Universidad Privada Antenor Orrego", sector="academia", type="university",
                  scope="national")
    updated = Dataset(regions=mini.regions, indicators=mini.indicators,
                      actors=[renamed, extra, *mini.actors[1:]], collaborations=mini.collaborations[1:])
    summary = any_store.load(updated)
    assert (summary.added["actors"], summary.updated["actors"], summary.removed["collaborations"]) == (1, 1, 0)
    assert len(any_store.collaborations()) == 4, "a merge never removes"
    assert any_store.actor(renamed.id) == renamed
    summary = any_store.load(updated, replace=True)
    assert summary.removed["collaborations"] == 1
    assert any_store.dataset() == updated
    assert any_store.version() == 3


def test_moving_an_actor_and_a_tie_moves_them_in_the_graphs(any_store: Store, mini: Dataset) -> None:
    any_store.load(mini)
    mover = next(a for a in mini.actors if a.region == "06")
    any_store.upsert_actor(mover.model_copy(update={"region": "08"}))
    assert mover.id in [a.id for a in any_store.actors(region="08")]
    assert mover.id not in [a.id for a in any_store.actors(region="06")]
    any_store.upsert_actor(mover.model_copy(update={"region": None, "scope": "national"}))
    assert any_store.actor(mover.id).region is None
    assert mover.id not in [a.id for a in any_store.actors(region="08")]
    tie = mini.collaborations[0]
    others = [a.id for a in mini.actors if a.id not in (tie.source, tie.target)]
    moved = tie.model_copy(update={"target": others[0], "weight": 1, "end": "2030"})
    any_store.upsert_collaboration(moved)
    assert any_store.collaborations(ids=[tie.id]) == [moved]
    assert tie.id in [t.id for t in any_store.collaborations(actor=others[0])]
    graph = any_store.graph()
    assert graph.has_edge(moved.source, moved.target, key=tie.id)
    assert not graph.has_edge(tie.source, tie.target, key=tie.id)
    assert graph.edges[moved.source, moved.target, tie.id]["end"] == "2030"
    assert any_store.version() == 4


def test_single_record_writes(any_store: Store, mini: Dataset) -> None:
    any_store.load(mini)
    any_store.upsert_actor(mini.actors[0].model_copy(update={"name": "Otra"}))
    assert any_store.actor(mini.actors[0].id).name == "Otra"
    with pytest.raises(Conflict, match="no existe la región «99»") as no_region:
        any_store.upsert_actor(mini.actors[0].model_copy(update={"region": "99"}))
    assert no_region.value.text("en").startswith("no region '99'")
    with pytest.raises(Conflict, match="no existe el actor «ghost»") as no_actor:
        any_store.upsert_collaboration(Collaboration(source="pnud", target="ghost", type="agreement"))
    assert no_actor.value.text("en").startswith("no actor 'ghost'")
    any_store.delete_actor("produce")
    assert [t.id for t in any_store.collaborations(actor="produce")] == []
    assert len(any_store.collaborations()) == 2
    with pytest.raises(NotFound):
        any_store.delete_actor("produce")
    any_store.delete_collaboration("gore-cajamarca--unc--agreement")
    assert [t.id for t in any_store.collaborations()] == ["pnud--asoc-mujeres-cusco--training"]
    with pytest.raises(NotFound):
        any_store.delete_collaboration("nope")
    assert any_store.version() == 4


@pytest.mark.parametrize("case", ["orphan tie", "actor in no region", "delete a tied actor",
                                  "delete a region with actors"])
def test_a_failing_load_writes_nothing(any_store: Store, mini: Dataset, case: str) -> None:
    any_store.load(mini)
    before = any_store.dataset()
    changes = Changes()
    # Good changes first, so the failure comes in the middle of the transaction.
    changes.upserts["regions"] = [Region(code="99", name="Nueva")]
    changes.upserts["actors"] = [a.model_copy(update={"name": "New"}) for a in mini.actors]
    changes.deletes["indicators"] = [mini.indicators[0].id]
    if case == "orphan tie":
        changes.upserts["collaborations"] = [*mini.collaborations, orphan_tie("pnud", "ghost")]
    elif case == "actor in no region":
        changes.upserts["actors"].append(mini.actors[0].model_copy(update={"id": "nowhere", "region": "77"}))
    elif case == "delete a tied actor":
        changes.deletes["actors"] = ["produce"]
    else:
        changes.deletes["regions"] = ["06"]
    with pytest.raises(Conflict, match=r"no se escribió nada$") as refused:
        any_store.apply(changes)
    assert refused.value.text("en").endswith("nothing was written")
    named = {"orphan tie": "collaboration 'zz-orphan' refers to actor 'ghost', which does not exist",
             "actor in no region": "actor 'nowhere' refers to region '77', which does not exist",
             "delete a tied actor": "cannot delete actor 'produce': tie '",
             "delete a region with actors": "cannot delete region '06': actor '"}
    assert named[case] in refused.value.text("en"), "the message names the record, in every store"
    assert any_store.dataset() == before
    assert any_store.version() == 1
    if case == "orphan tie":  # the same through load()
        bad = Dataset(regions=mini.regions, actors=mini.actors,
                      collaborations=[*mini.collaborations, orphan_tie("ghost", "pnud")])
        with pytest.raises(Conflict, match=r"no se escribió nada$"):
            any_store.load(bad)
        assert any_store.dataset() == before


def test_export_from_one_store_loads_into_the_other(any_store: Store, peru: Dataset, reference: SQLiteStore,
                                                    store: Store) -> None:
    any_store.load(peru)
    exported = any_store.dataset()
    store.load(exported)  # the conftest SQLite store, fresh
    assert store.dataset() == peru
    assert any_store.load(Dataset(), replace=True).removed["actors"] == len(peru.actors)
    assert any_store.dataset() == Dataset()
    assert any_store.load(reference.dataset()).version == 3
    assert any_store.dataset() == peru
    for region in ("06", "08"):
        part = any_store.dataset(region)
        assert part == reference.dataset(region)
        store.load(part, replace=True)
        assert store.dataset() == part


def test_progress_counts_every_record(any_store: Store, mini: Dataset) -> None:
    seen: list[int] = []
    any_store.load(mini, progress=seen.append)
    assert sum(seen) == len(mini.regions) + len(mini.indicators) + len(mini.actors) + len(mini.collaborations)
