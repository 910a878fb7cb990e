"""History and time on both stores, with hand-built histories: past versions export byte for byte, the as-of rule,
the date filters' effect, changes between dates and versions, and the recommendation follow-up's hit rate."""

from __future__ import annotations

from pathlib import Path

import apsw
import pytest

from ecograph.analysis import Options, region_report
from ecograph.analysis.report import subset
from ecograph.history.changes import changes
from ecograph.history.follow_up import DAY, follow_up
from ecograph.history.timeline import as_of, years
from ecograph.history.versions import dataset_at, version_on, versions
from ecograph.model import Actor, Collaboration, Dataset, Region
from ecograph.readers import read_dataset
from ecograph.service import Service
from ecograph.stores import Conflict, NotFound, SQLiteStore, Store
from ecograph.stores.history import Origin
from ecograph.survey.publish import publish
from ecograph.writers import export
from tests.test_survey import CAMPAIGN
from tests.test_survey import surveyed as surveyed_store  # noqa: F401 - a fixture: a store with a survey to publish

JAN_2024 = 1_704_067_200.0  # 2024-01-01T00:00:00Z


def actor(id: str, sector: str, type: str, region: str | None = "06") -> Actor:
    return Actor(id=id, name=id.upper(), sector=sector, type=type, region=region,
                 scope="regional" if region else "national")


def tie(id: str, source: str, target: str, start: str | None = None, end: str | None = None,
        status: str = "active", type: str = "agreement") -> Collaboration:
    return Collaboration(id=id, source=source, target=target, type=type, start=start, end=end, status=status)


ACTORS = [actor("unc", "academia", "university"), actor("gore", "public", "regional_government"),
          actor("camara", "private", "chamber"), actor("ong", "civil_society", "ngo"),
          actor("iso", "academia", "institute"), actor("pnud", "international", "un_agency", None)]
TIES = [tie("t1", "unc", "gore", "2018"),
        tie("t2", "gore", "camara", "2021", "2022", "ended", "joint_project"),
        tie("t3", "camara", "ong", "2023", type="training"),
        tie("t4", "pnud", "unc", type="funding"),  # undated: counts from the beginning
        tie("t5", "ong", "unc", "2025", status="planned"),  # planned: never in force
        tie("t6", "gore", "ong", "2019", status="ended")]  # ended without an end: ends at its start
REGIONS = [Region(code="06", name="Cajamarca"), Region(code="08", name="Cusco")]


def dataset(actors: list[Actor] = ACTORS, ties: list[Collaboration] = TIES) -> Dataset:
    return Dataset(regions=REGIONS, actors=actors, collaborations=ties)


def exported(store_data: Dataset, folder: Path) -> dict[str, bytes]:
    files = [*export(store_data, None, folder / "csv", "csv"), *export(store_data, None, folder / "d.json", "json")]
    return {path.name: path.read_bytes() for path in files}


# -- history ------------------------------------------------------------------------------------------
def test_a_past_version_exports_byte_identical_to_its_export_when_current(any_store: Store, tmp_path: Path) -> None:
    a = read_dataset(Path(__file__).parent / "data" / "mini")
    any_store.load(a)
    when_current = exported(any_store.dataset(), tmp_path / "a")
    b = Dataset(regions=a.regions, indicators=a.indicators[1:],
                actors=[a.actors[0].model_copy(update={"name": "Renamed"}), *a.actors[1:]],
                collaborations=a.collaborations[1:])
    assert any_store.load(b, replace=True).version == 2
    assert exported(any_store.dataset(), tmp_path / "b") != when_current
    assert exported(dataset_at(any_store, 1), tmp_path / "past") == when_current
    assert dataset_at(any_store, 2) == any_store.dataset()


def test_every_change_is_kept_with_version_time_source_and_who(any_store: Store) -> None:
    any_store.clock = lambda: JAN_2024
    any_store.load(dataset(ties=TIES[:2]))
    any_store.clock = lambda: JAN_2024 + 10 * DAY
    any_store.load(dataset(), origin=Origin("import", "tok-1"))
    any_store.upsert_actor(ACTORS[0].model_copy(update={"name": "Universidad"}), origin=Origin("api", "tok-2"))
    any_store.delete_collaboration("t5", origin=Origin("api", "tok-2"))
    found = versions(any_store)
    assert [(v.version, v.source, v.who) for v in found] == [(1, "load", "cli"), (2, "import", "tok-1"),
                                                             (3, "api", "tok-2"), (4, "api", "tok-2")]
    assert found[0].added == {"regions": 2, "indicators": 0, "actors": 6, "collaborations": 2}
    assert found[1].added["collaborations"] == 4 and found[1].updated["actors"] == 0
    assert found[2].updated == {"regions": 0, "indicators": 0, "actors": 1, "collaborations": 0}
    assert found[3].removed["collaborations"] == 1
    assert (found[0].when, found[1].when) == ("2024-01-01T00:00:00+00:00", "2024-01-11T00:00:00+00:00")
    assert version_on(any_store.history(), "2024-01-05") == 1 and version_on(any_store.history(), "2024") == 4
    assert dataset_at(any_store, 3).actors[-1].name == "Universidad"
    assert "t5" in {t.id for t in dataset_at(any_store, 3).collaborations}
    assert "t5" not in {t.id for t in dataset_at(any_store, 4).collaborations}


def test_a_published_survey_is_kept_with_who_published_it(surveyed_store: Store) -> None:  # noqa: F811 - the fixture
    published = publish(surveyed_store, CAMPAIGN, who="tok-9")
    last = versions(surveyed_store)[-1]
    assert (last.version, last.source, last.who) == (published.version, "survey", "tok-9")
    assert last.added["collaborations"] + last.updated["collaborations"] > 0
    assert dataset_at(surveyed_store, published.version) == surveyed_store.dataset()
    assert dataset_at(surveyed_store, published.version - 1) != surveyed_store.dataset()


def test_a_failed_load_leaves_no_history(any_store: Store) -> None:
    any_store.load(dataset())
    broken = Dataset.model_construct(regions=REGIONS, indicators=[], actors=ACTORS,
                                     collaborations=[*TIES, tie("bad", "unc", "ghost")])
    with pytest.raises(Conflict):
        any_store.load(broken)
    assert any_store.version() == 1 and [entry.version for entry in any_store.history()] == [1]
    with pytest.raises(NotFound):
        dataset_at(any_store, 2)


def test_a_store_from_before_history_keeps_a_baseline(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "old.db") as store:
        store.load(dataset(ties=TIES[:3]))
        store.load(dataset())
        store.db.execute("DELETE FROM history")  # as an ecograph without history left it
        with pytest.raises(NotFound):
            dataset_at(store, 2)
        store.delete_collaboration("t1")
        assert [(v.version, v.source) for v in versions(store)] == [(2, "baseline"), (3, "load")]
        assert dataset_at(store, 2) == dataset()
        assert {t.id for t in dataset_at(store, 3).collaborations} == {"t2", "t3", "t4", "t5", "t6"}


def test_history_is_one_row_per_version_in_sqlite(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "rows.db") as store:
        store.load(dataset())
        store.load(dataset(ties=TIES[:4]), replace=True)
    rows = apsw.Connection(str(tmp_path / "rows.db")).execute("SELECT version, source, who FROM history").fetchall()
    assert rows == [(1, "load", "cli"), (2, "load", "cli")]


# -- as of a date -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("day", "actors", "ties"), [
    ("2017", {"unc", "pnud", "iso"}, {"t4"}),
    ("2019", {"unc", "gore", "ong", "pnud", "iso"}, {"t1", "t4", "t6"}),
    ("2020", {"unc", "gore", "pnud", "iso"}, {"t1", "t4"}),
    ("2022-06", {"unc", "gore", "camara", "pnud", "iso"}, {"t1", "t2", "t4"}),
    ("2024", {"unc", "gore", "camara", "ong", "pnud", "iso"}, {"t1", "t3", "t4"}),
    ("2026", {"unc", "gore", "camara", "ong", "pnud", "iso"}, {"t1", "t3", "t4"}),
])
def test_as_of_keeps_the_ties_in_force_and_their_actors(any_store: Store, day: str, actors: set[str],
                                                        ties: set[str]) -> None:
    any_store.load(dataset())
    graph = as_of(any_store.graph("06"), day)
    assert set(graph) == actors
    assert {key for _, _, key in graph.edges(keys=True)} == ties
    report = region_report(any_store.graph("06"), Options(as_of=day))
    assert report.structure.actors == len(actors - {"pnud"}) and report.filters["as_of"] == day
    assert report.structure.national_ties == 1  # t4, undated, is in force on every date
    assert "undated" not in report.filters["as_of_rule"]["es"] and "one without a start date counts from the " \
        "beginning" in report.filters["as_of_rule"]["en"]


def test_years_span_the_dates_of_the_ties(any_store: Store) -> None:
    any_store.load(dataset())
    assert years(any_store.graph("06")) == list(range(2018, 2026))


@pytest.mark.parametrize(("options", "ties"), [
    (Options(), {"t1", "t2", "t3", "t4", "t5", "t6"}),
    (Options(since="2023"), {"t1", "t3", "t4", "t5", "t6"}),  # t2 ended in 2022; t6 has no end date: kept
    (Options(until="2020"), {"t1", "t4", "t6"}),
    (Options(since="2022", until="2022"), {"t1", "t2", "t4", "t6"}),
    (Options(as_of="2022", statuses=("active",)), {"t1", "t4"}),
])
def test_each_date_filter_changes_the_ties_analysed(options: Options, ties: set[str]) -> None:
    from ecograph.graph import build_graph

    graph = build_graph(ACTORS, TIES, "06")
    assert {key for _, _, key in subset(graph, options).edges(keys=True)} == ties


# -- changes ------------------------------------------------------------------------------------------
def kinds(found: list, kind: str) -> list[list[str]]:  # type: ignore[type-arg]
    return [change.subject for change in found if change.kind == kind]


def test_changes_between_two_dates(any_store: Store) -> None:
    any_store.load(dataset())
    found = changes(any_store, "06", "2019", "2022").changes
    assert kinds(found, "tie_new") == [["t2", "gore", "camara"]]
    assert kinds(found, "tie_ended") == [["t6", "gore", "ong"]]
    assert kinds(found, "actor_joined") == [["camara"]] and kinds(found, "actor_left") == [["ong"]]
    assert ["camara"] in kinds(found, "partners_gained") and ["ong"] in kinds(found, "partners_lost")
    assert found[-1].kind == "score"
    assert found[0].text_es == "Nueva alianza: GORE — CAMARA (Proyecto conjunto, desde 2021)." or \
        found[0].text_en.startswith("New tie: GORE — CAMARA")
    later = changes(any_store, "06", "2020", "2024")
    assert kinds(later.changes, "tie_new") == [["t3", "camara", "ong"]] and not kinds(later.changes, "tie_ended")
    assert kinds(later.changes, "actor_joined") == [["camara"], ["ong"]]
    assert ["missing_sector", "private"] in kinds(later.changes, "gap_closed")
    assert later.score_after > later.score_before
    assert later.rule_en.startswith("Date rule:") and later.rule_es.startswith("Regla de fechas:")
    assert kinds(changes(any_store, "06", "2024", "2026").changes, "tie_new") == []


def test_changes_between_two_versions(any_store: Store) -> None:
    any_store.clock = lambda: JAN_2024
    any_store.load(dataset([a for a in ACTORS if a.id not in ("camara", "ong")], [TIES[0], TIES[3]]))
    any_store.clock = lambda: JAN_2024 + 10 * DAY
    any_store.load(dataset())
    found = changes(any_store, "06", "v1", "v2")
    assert (found.start.version, found.start.date, found.end.version, found.end.date) == (
        1, "2024-01-01", 2, "2024-01-11")
    assert kinds(found.changes, "tie_new") == [["t3", "camara", "ong"]]  # t2 ended in 2022: never in force here
    assert kinds(found.changes, "actor_joined") == [["camara"], ["ong"]]
    with pytest.raises(NotFound):
        changes(any_store, "06", "v7", "v2")
    with pytest.raises(NotFound):
        changes(any_store, "99", "v1", "v2")


# -- recommendation follow-up -------------------------------------------------------------------------
def test_follow_up_counts_the_recommendations_taken_up(any_store: Store) -> None:
    any_store.clock = lambda: JAN_2024
    any_store.load(dataset(ties=[TIES[0], TIES[3]]))
    service = Service(lambda: any_store)
    assert service.refresh()
    recommended = [(item.source, item.target) for item in follow_up(any_store, region="06").regions[0].items]
    assert len(recommended) >= 3
    (a, b), (c, d) = recommended[0], recommended[1]
    any_store.clock = lambda: JAN_2024 + 45 * DAY
    any_store.upsert_collaboration(tie("new-1", b, a, "2024-02"))
    any_store.upsert_collaboration(tie("new-2", c, d, "2025", status="planned"))  # planned: not taken up yet
    assert service.refresh()
    assert set(any_store.recommendations()) == {1, 3}  # kept for good, unlike the stored analysis
    assert any_store.analysis_keys(1) == set()
    done = follow_up(any_store, since=1, region="06")
    region = done.regions[0]
    assert (done.since, done.at, region.taken_up, region.recommended) == (1, 3, 1, len(recommended))
    assert region.hit_rate == pytest.approx(1 / len(recommended))
    first = region.items[0]
    assert (first.taken_up, first.tie, first.start, first.found_version, first.days) == (True, "new-1", "2024-02", 2,
                                                                                        45.0)
    assert "45 días después" in first.text_es and "45 days later" in first.text_en
    assert not region.items[1].taken_up and "not taken up yet" in region.items[1].text_en
    assert follow_up(any_store, since=1, at=1, region="06").regions[0].taken_up == 0
    with pytest.raises(NotFound):
        follow_up(any_store, since=2)
