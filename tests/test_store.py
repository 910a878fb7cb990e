"""The embedded store: loads are all or nothing and idempotent, versions count changes, graphs carry everything."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecograph.model import Actor, Collaboration, Dataset
from ecograph.stores import Conflict, NotFound, SQLiteStore, Store, StoreUnavailable, open_store


def test_fresh_store_is_empty_at_version_zero(store: Store) -> None:
    assert store.version() == 0
    assert store.dataset() == Dataset()


def test_load_then_reload_changes_nothing(store: Store, mini: Dataset) -> None:
    first = store.load(mini)
    assert first.added["actors"] == 6 and first.version == 1
    second = store.load(mini)
    assert not second.changed
    assert second.unchanged["collaborations"] == 4
    assert store.version() == 1
    assert store.dataset() == mini


def test_updated_file_applies_the_differences(store: Store, mini: Dataset) -> None:
    store.load(mini)
    renamed = mini.actors[0].model_copy(update={"name": "Asociación renombrada"})
    extra = Actor(id="upao", name="Universidad Privada Antenor Orrego", sector="academia", type="university",
                  scope="national")
    updated = Dataset(regions=mini.regions, indicators=mini.indicators,
                      actors=[renamed, extra, *mini.actors[1:]], collaborations=mini.collaborations[1:])
    summary = store.load(updated)
    assert (summary.added["actors"], summary.updated["actors"], summary.removed["collaborations"]) == (1, 1, 0)
    assert len(store.collaborations()) == 4, "a merge never removes"
    summary = store.load(updated, replace=True)
    assert summary.removed["collaborations"] == 1
    assert store.dataset() == updated
    assert store.version() == 3


def test_a_failing_load_leaves_the_store_untouched(store: Store, mini: Dataset) -> None:
    store.load(mini)
    before = store.dataset()
    # A tie to an actor the store lacks breaks the foreign key in the middle of the transaction.
    orphan = Collaboration.model_construct(id="zz-orphan", source="pnud", target="ghost", type="agreement",
                                           weight=3, start=None, end=None, status="active", program=None,
                                           evidence=None, illustrative=False)
    bad = Dataset(regions=mini.regions, actors=[*mini.actors, mini.actors[0].model_copy(update={"name": "New"})][1:],
                  collaborations=[*mini.collaborations, orphan])
    with pytest.raises(Conflict, match="nothing was written"):
        store.load(bad)
    assert store.dataset() == before
    assert store.version() == 1


def test_existing_database_file_is_reopened_with_its_data(tmp_path: Path, mini: Dataset) -> None:
    path = tmp_path / "kept.db"
    with SQLiteStore(path) as first:
        first.load(mini)
    with SQLiteStore(path) as again:
        assert again.dataset() == mini
        assert again.version() == 1
        assert again.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert again.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_file_that_is_not_a_database_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite", encoding="utf-8")
    with pytest.raises(StoreUnavailable, match="cannot open the database"):
        SQLiteStore(path)


def test_filters(store: Store, mini: Dataset) -> None:
    store.load(mini)
    assert [a.id for a in store.actors(region="06")] == ["camara-cajamarca", "gore-cajamarca", "unc"]
    assert [a.id for a in store.actors(sector="public")] == ["gore-cajamarca", "produce"]
    assert [a.id for a in store.actors(capability="digital_skills")] == ["asoc-mujeres-cusco", "pnud"]
    assert [a.id for a in store.actors(target_group="women", region="08")] == ["asoc-mujeres-cusco"]
    assert [a.id for a in store.search_actors("camara")] == ["camara-cajamarca"]
    assert [a.id for a in store.search_actors("ÑAWI")] == ["asoc-mujeres-cusco"]
    assert [t.id for t in store.collaborations(actor="produce")] == [
        "c01", "produce--camara-cajamarca--funding"]


def test_region_graph_holds_local_actors_their_ties_and_partners(store: Store, mini: Dataset) -> None:
    store.load(mini)
    graph = store.graph("06")
    assert sorted(graph.nodes) == ["camara-cajamarca", "gore-cajamarca", "produce", "unc"]
    assert graph.graph == {"region": "06", "version": 1}
    assert graph.nodes["produce"]["region"] is None
    assert graph.nodes["camara-cajamarca"]["name"] == "Cámara de Comercio y Producción de Cajamarca"
    funding = graph.edges["produce", "camara-cajamarca", "produce--camara-cajamarca--funding"]
    assert funding == {"directed": True, "type": "funding", "weight": 2, "start": "2021-01-15", "end": "2023-12-31",
                       "status": "ended", "program": None, "evidence": None, "illustrative": True}
    country = store.graph()
    assert country.number_of_nodes() == 6 and country.number_of_edges() == 4
    with pytest.raises(NotFound, match="no region '99'"):
        store.graph("99")


def test_single_record_writes(store: Store, mini: Dataset) -> None:
    store.load(mini)
    store.upsert_actor(mini.actors[0].model_copy(update={"name": "Otra"}))
    assert store.actor(mini.actors[0].id).name == "Otra"
    with pytest.raises(Conflict, match="no region '99'"):
        store.upsert_actor(mini.actors[0].model_copy(update={"region": "99"}))
    with pytest.raises(Conflict, match="no actor 'ghost'"):
        store.upsert_collaboration(Collaboration(source="pnud", target="ghost", type="agreement"))
    store.delete_actor("produce")
    assert [t.id for t in store.collaborations(actor="produce")] == []
    assert len(store.collaborations()) == 2
    with pytest.raises(NotFound):
        store.delete_actor("produce")
    store.delete_collaboration("gore-cajamarca--unc--agreement")
    assert [t.id for t in store.collaborations()] == ["pnud--asoc-mujeres-cusco--training"]
    with pytest.raises(NotFound):
        store.delete_collaboration("nope")
    assert store.version() == 4


def test_open_store_chooses_by_location(tmp_path: Path) -> None:
    assert isinstance(open_store(str(tmp_path / "a.db")), SQLiteStore)
    with pytest.raises(Exception, match="unknown store 'http://x'"):
        open_store("http://x")
