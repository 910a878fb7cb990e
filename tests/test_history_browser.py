"""The region page's year slider in headless Chromium, on the bundled Peru data: moving it redraws the map, the key
actors and the gaps for that year (as the timeline API says), and "show all" brings the current map back."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from ecograph.readers import read_dataset
from tests.test_browser import PERU, WAIT, Server, checked, start_chromium, store_of, wait_for_analysis, wait_for_graph
from tests.test_visuals import make_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def peru(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with Server(make_app(store_of(read_dataset(PERU), tmp_path_factory.mktemp("timeline") / "peru.db"))) as server:
        wait_for_analysis(server)
        yield server


@pytest.fixture(scope="module")
def chrome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    driver = start_chromium(tmp_path_factory.mktemp("profile"))
    try:
        yield driver
    finally:
        driver.quit()


def slide(driver: webdriver.Chrome, year: int) -> None:
    """Move the slider to ``year`` as a reader would (an input event), and wait until the map is drawn for it."""
    driver.execute_script("var s = document.getElementById('timeline-year'); s.value = arguments[0]; "
                          "s.dispatchEvent(new Event('input'));", str(year))
    WebDriverWait(driver, WAIT).until(lambda d: d.execute_script("return window.ecograph.timeline.drawn") == str(year))


def shown(driver: webdriver.Chrome) -> tuple[set[str], int]:
    """The actors the map shows, and how many ties it shows."""
    return (set(driver.execute_script("return window.ecograph.nodes.get({filter: function (n) { return !n.hidden; }})"
                                      ".map(function (n) { return n.id; })")),
            driver.execute_script("return window.ecograph.edges.get({filter: function (e) { return !e.hidden; }})"
                                  ".length"))


def timeline(server: Server, year: int) -> dict:  # type: ignore[type-arg]
    with urllib.request.urlopen(f"{server.url}/api/v1/regions/06/timeline?as_of={year}", timeout=WAIT) as answer:
        return json.load(answer)


def test_the_year_slider_redraws_the_map_key_actors_and_gaps(chrome: webdriver.Chrome, peru: Server) -> None:
    chrome.get(f"{peru.url}/regions/06")
    total = wait_for_graph(chrome)
    everything, ties = shown(chrome)
    assert len(everything) == total
    assert chrome.find_element(By.ID, "timeline-year").is_displayed()
    gaps_now = [item.text for item in chrome.find_elements(By.CSS_SELECTOR, "#gaps li")]
    for year in (2016, 2021):
        expected = timeline(peru, year)
        slide(chrome, year)
        actors, pairs = shown(chrome)
        assert actors == set(expected["nodes"]) and pairs == len(expected["pairs"]) and len(actors) < total
        names = [cell.text for cell in chrome.find_elements(By.CSS_SELECTOR, "#key-actors a[href^='/actors/']")]
        assert names == [row["name"] for row in expected["key_actors"]]
        gaps = [item.text for item in chrome.find_elements(By.CSS_SELECTOR, "#gaps li")]
        assert [text.split(" ", 1)[1] for text in gaps] == [gap["text_es"] for gap in expected["gaps"]]
        assert chrome.find_element(By.ID, "timeline-output").text == str(year)
        assert str(year) in chrome.find_element(By.ID, "timeline-status").text
    assert gaps != gaps_now  # 2021 has gaps of its own
    chrome.find_element(By.ID, "timeline-reset").click()
    WebDriverWait(chrome, WAIT).until(lambda d: d.execute_script("return window.ecograph.timeline.drawn") == "all")
    assert shown(chrome) == (everything, ties)
    assert [item.text for item in chrome.find_elements(By.CSS_SELECTOR, "#gaps li")] == gaps_now
    checked(chrome)


def test_the_changes_form_compares_two_years(chrome: webdriver.Chrome, peru: Server) -> None:
    chrome.get(f"{peru.url}/regions/06?from=2018&to=2022")
    listed = [item.text for item in chrome.find_elements(By.CSS_SELECTOR, "#changes-list li")]
    assert listed[-1].startswith("El puntaje del ecosistema pasó de")
    assert any(text.startswith("Nueva alianza:") for text in listed)
    assert chrome.find_element(By.CSS_SELECTOR, "#changes h3").text == "De 2018 a 2022"
    checked(chrome)
