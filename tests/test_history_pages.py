"""The region page's "¿Qué cambió?" section, rendered by the server: the changes between two years (the page's
``from``/``to``), the date rule, and the follow-up of the previous version's recommendations."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import history_page
from ecograph.history.follow_up import follow_up
from ecograph.service import Service, region_key
from ecograph.stores import SQLiteStore
from tests.test_history import JAN_2024, TIES, dataset, tie
from tests.test_visuals import make_app

DAY = 86_400.0


def page(client: TestClient, address: str) -> str:
    """The page once its analysis is stored (it shows a notice while the background job computes it)."""
    for _ in range(120):
        html = client.get(address).text
        if 'id="analysis-pending"' not in html and "changes-list" in html:
            return html
        time.sleep(0.5)
    raise AssertionError(f"{address} kept saying the analysis is pending")


def test_the_region_page_says_what_changed_and_which_recommendations_were_taken_up(tmp_path: Path) -> None:
    path = tmp_path / "pages.db"
    with SQLiteStore(path) as store:
        store.clock = lambda: JAN_2024
        store.load(dataset(ties=[TIES[0], TIES[3]]))
        assert Service(lambda: store).refresh()
        pairs = [(item.source, item.target) for item in follow_up(store, region="06").regions[0].items]
        store.clock = lambda: JAN_2024 + 20 * DAY
        store.load(dataset(ties=[TIES[0], TIES[3], tie("new", *pairs[0], "2024-02")]))
        first, second = (store.actor(end).name for end in pairs[0])
    with TestClient(make_app(path)) as client:
        spanish = page(client, "/regions/06")
        assert "<h2 id=\"changes-h\">¿Qué cambió?</h2>" in spanish
        assert "<h3>De 2023 a 2024</h3>" in spanish  # the latest two years the ties name, by default
        assert f"1 de {len(pairs)} alianzas recomendadas se concretaron" in spanish
        assert "20 días después, en la versión 2" in spanish and '<span class="tag taken">concretada</span>' in spanish
        assert spanish.count('<span class="tag">pendiente</span>') == len(pairs) - 1
        assert "Regla de fechas: una alianza cuenta en una fecha" in spanish
        english = page(client, "/regions/06?from=2018&to=2024&lang=en")
        assert "<h3>From 2018 to 2024</h3>" in english
        assert f'<li data-kind="tie_new">New tie: {first} — {second} (Agreement, from 2024-02).</li>' in english
        assert '<option selected>2018</option>' in english and '<input type="hidden" name="lang" value="en">' in english
        assert "<h3>From 2023 to 2024</h3>" in page(client, "/regions/06?from=1900&to=nonsense&lang=en")


def test_a_large_region_leaves_history_to_the_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "large.db"
    with SQLiteStore(path) as store:
        store.load(dataset())
    monkeypatch.setattr(history_page, "LARGE", 4)  # Cajamarca has 5 actors of its own
    with TestClient(make_app(path)) as client:
        for _ in range(120):
            html = client.get("/regions/06?lang=en").text
            if 'id="analysis-pending"' not in html:
                break
            time.sleep(0.5)
    assert '<p class="muted" id="changes-large">For a region this large' in html
    assert 'id="timeline"' not in html and "changes-list" not in html and "timeline.js" not in html


def test_the_default_years_come_stored_with_the_analysis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A first visit must not wait for two reports: the default two years' changes are computed with the analysis.
    path = tmp_path / "stored.db"
    with SQLiteStore(path) as store:
        store.load(dataset(ties=[TIES[0], TIES[3], tie("new", "gore", "camara", "2024-02")]))
        assert Service(lambda: store).refresh()
        assert store.load_analysis(store.version(), f"changes:{region_key('06')}") is not None
    asked: list[tuple[str, str]] = []
    on_demand = history_page.changes

    def counted(store: SQLiteStore, code: str, start: str, end: str) -> object:
        asked.append((start, end))
        return on_demand(store, code, start, end)

    monkeypatch.setattr(history_page, "changes", counted)
    with TestClient(make_app(path)) as client:
        assert "<h3>De 2023 a 2024</h3>" in page(client, "/regions/06")
        assert asked == []
        assert "<h3>De 2018 a 2024</h3>" in page(client, "/regions/06?from=2018")
        assert asked == [("2018", "2024")]
