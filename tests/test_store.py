"""The embedded store: loads are all or nothing and idempotent, versions count changes, graphs carry everything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ecograph.model import Actor, Collaboration, Dataset
from ecograph.stores import (
    Conflict,
    Message,
    NotFound,
    OutOfScope,
    SQLiteStore,
    Store,
    StoreError,
    StoreUnavailable,
    open_store,
)
from ecograph.stores import sqlite as sqlite_store
from tests.test_survey_store import CAMPAIGN


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
    with pytest.raises(Conflict, match=r"^el cambio rompería una referencia .*; no se escribió nada$") as refused:
        store.load(bad)
    assert refused.value.text("en").startswith("the change would break a reference (")
    assert refused.value.text("en").endswith("); nothing was written")
    assert store.dataset() == before
    assert store.version() == 1


def indexes(store: SQLiteStore) -> set[str]:
    query = "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    return {row[0] for row in store.db.execute(query)}


HOLD_THE_FILE = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("writing", flush=True)
sys.stdin.read()
"""
"""A process that holds the store's file for writing until its input ends."""


def test_writes_refused_while_another_holds_the_file_say_so_and_keep_the_connections_reference_checks(
        store: SQLiteStore, mini: Dataset) -> None:
    store.db.set_busy_timeout(50)
    survey = store.survey  # its tables made before the file is taken
    # Another process: SQLite's file locks are the process's, so a connection of this one would not be refused.
    other = subprocess.Popen([sys.executable, "-c", HOLD_THE_FILE, str(store.path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None and other.stdout.readline() == "writing\n"
        with pytest.raises(StoreUnavailable) as refused:
            store.load(mini)
        with pytest.raises(StoreUnavailable) as survey_refused:
            survey.create_campaign(CAMPAIGN)
    finally:
        other.communicate("")
    assert refused.value.key == survey_refused.value.key == "store.sqlite.busy"
    assert survey.campaigns() == []
    assert "otro proceso" in str(refused.value) and "another process" in refused.value.text("en")
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.version() == 0


def test_opening_a_file_another_process_is_writing_says_so(store: SQLiteStore,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_store, "BUSY_TIMEOUT_S", 1)
    other = subprocess.Popen([sys.executable, "-c", HOLD_THE_FILE, str(store.path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None and other.stdout.readline() == "writing\n"
        with pytest.raises(StoreUnavailable) as refused:
            SQLiteStore(store.path)  # not "check the path": the file is fine, only busy
    finally:
        other.communicate("")
    assert refused.value.key == "store.sqlite.busy"


def test_a_bulk_load_into_an_empty_store_that_fails_midway_leaves_it_empty(store: SQLiteStore, mini: Dataset) -> None:
    # An empty table gets its rows before its indexes (dropped, then built again): a failure after the first rows
    # are in must give back the empty tables with their indexes, and keep no history entry.
    kept = indexes(store)
    orphan = Collaboration.model_construct(id="zz-orphan", source="pnud", target="ghost", type="agreement",
                                           weight=3, start=None, end=None, status="active", program=None,
                                           evidence=None, illustrative=False)
    written: list[int] = []
    with pytest.raises(Conflict):
        store.load(mini.model_copy(update={"collaborations": [*mini.collaborations, orphan]}), progress=written.append)
    assert written, "the regions and actors went in before the orphan tie failed"
    assert (store.version(), store.history(), store.dataset()) == (0, [], Dataset())
    assert indexes(store) == kept >= {"actors_region", "collaborations_source", "collaborations_target"}

    def stop(rows: int) -> None:
        raise KeyboardInterrupt  # a person stopping the load after its first batch

    with pytest.raises(KeyboardInterrupt):
        store.load(mini, progress=stop)
    assert (store.version(), store.history(), store.dataset(), indexes(store)) == (0, [], Dataset(), kept)
    assert store.load(mini).version == 1
    assert (store.dataset(), indexes(store), len(store.history())) == (mini, kept, 1)
    query = "EXPLAIN QUERY PLAN SELECT * FROM collaborations WHERE target = ?"
    plan = " ".join(row[3] for row in store.db.execute(query, ["pnud"]))
    assert "collaborations_target" in plan


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
    with pytest.raises(StoreUnavailable, match=r"^no se puede abrir la base de datos .*; revise la ruta") as error:
        SQLiteStore(path)
    assert error.value.text("en").startswith(f"cannot open the database {path}: ")
    assert error.value.text("en").endswith("; check the path, or give another with --db")


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
                       "status": "ended", "program": None, "evidence": None, "illustrative": True,
                       "provenance": None, "confirmation": None}
    country = store.graph()
    assert country.number_of_nodes() == 6 and country.number_of_edges() == 4
    with pytest.raises(NotFound, match=r"^no existe la región «99»; vea los códigos con `ecograph stats`$"):
        store.graph("99")


def test_single_record_writes(store: Store, mini: Dataset) -> None:
    store.load(mini)
    store.upsert_actor(mini.actors[0].model_copy(update={"name": "Otra"}))
    assert store.actor(mini.actors[0].id).name == "Otra"
    with pytest.raises(Conflict, match=r"^no existe la región «99»; cree primero la región o corrija el código$"):
        store.upsert_actor(mini.actors[0].model_copy(update={"region": "99"}))
    with pytest.raises(Conflict, match=r"^no existe el actor «ghost»; créelo primero o corrija el identificador$"):
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
    with pytest.raises(StoreError, match=r"^almacén desconocido «http://x»") as error:
        open_store("http://x")
    assert error.value.text("en") == "unknown store 'http://x'; give a SQLite file path or a neo4j:// URI"


# -- messages -------------------------------------------------------------------------------------
def test_store_errors_say_their_message_in_both_languages() -> None:
    error = NotFound("store.no_actor", id="ghost")
    assert str(error) == error.text() == error.text("es") == "no existe el actor «ghost»"
    assert error.text("en") == "no actor 'ghost'"
    assert (error.key, error.values) == ("store.no_actor", {"id": "ghost"})
    plain = StoreUnavailable("the server said no")  # a sentence that is no catalog key is shown as it is
    assert str(plain) == plain.text("en") == "the server said no"


def test_out_of_scope_lists_the_refused_records_in_both_languages() -> None:
    items = [Message("store.refused.collaboration", id=f"t{n}", source="a", target="b") for n in range(12)]
    error = OutOfScope([Message("store.refused.regions"), *items])
    assert error.refused[:2] == ["la tabla de regiones", "colaboración t0 (a–b)"]
    assert str(error) == ("fuera de las regiones en las que puede escribir: la tabla de regiones, "
                          + ", ".join(f"colaboración t{n} (a–b)" for n in range(9)) + " (+3); no se escribió nada")
    listed = ", ".join(f"collaboration t{n} (a–b)" for n in range(9))
    assert error.text("en") == f"outside the writable regions: the regions table, {listed} (+3); nothing was written"
