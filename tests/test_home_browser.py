"""In headless Chromium: the API documentation with every outside request failing, the map of Peru with and without
JavaScript, the home and compare pages on a 390-px phone, and the download links of a signed-in visitor when reads
need a token. Skipped without Chromium as tests/test_browser.py is (never under CI=true)."""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import Select, WebDriverWait

from api.main import create_app
from api.settings import ApiSettings
from api.tokens import TokenStore
from ecograph.readers import read_dataset
from ecograph.stores import SQLiteStore
from tests.test_browser import CHROMEDRIVER, CHROMIUM, PERU, WAIT, Server, checked, drain, wait_for_analysis
from tests.test_survey_browser import PHONE, chromium, click, fits_the_phone, open_details, submit

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def peru(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("home-browser") / "peru.db"
    with SQLiteStore(path) as store:
        store.load(read_dataset(PERU))
    return path


@pytest.fixture(scope="module")
def server(peru: Path) -> Iterator[Server]:
    settings = ApiSettings(_env_file=None, store=str(peru), tokens=str(peru.with_suffix(".tokens")))
    with Server(create_app(settings)) as up:
        wait_for_analysis(up)
        yield up


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """Chromium for which every host but 127.0.0.1 fails to resolve: any request leaving the app fails."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                     "--disable-default-apps", f"--user-data-dir={tmp_path_factory.mktemp('offline')}",
                     "--window-size=1366,900", "--lang=es-PE",
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    os.environ["SE_OFFLINE"] = "true"
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()


def operations(server: Server) -> dict[str, str]:
    """Every operation of the API: its id and summary."""
    with urllib.request.urlopen(f"{server.url}/openapi.json", timeout=WAIT) as answer:
        paths = json.load(answer)["paths"]
    return {operation["operationId"]: operation["summary"] for path in paths.values() for operation in path.values()}


def redoc_operations(driver: webdriver.Chrome) -> set[str]:
    """The operation ids ReDoc has drawn a section for."""
    return set(driver.execute_script("""return Array.from(document.querySelectorAll('[data-section-id]'),
        (section) => section.getAttribute('data-section-id')).filter((id) => id.includes('operation/')).map(
        (id) => id.split('operation/').pop());"""))


def test_swagger_ui_and_redoc_list_the_operations_with_no_outside_request(offline: webdriver.Chrome,
                                                                         server: Server) -> None:
    listed = operations(server)
    assert len(listed) > 20
    drain(offline)
    offline.get(f"{server.url}/docs")
    WebDriverWait(offline, WAIT).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".opblock")) == len(listed))
    shown = {element.text for element in offline.find_elements(By.CSS_SELECTOR, ".opblock-summary-description")}
    assert shown == set(listed.values())
    assert offline.find_element(By.CSS_SELECTOR, "link[rel='shortcut icon']").get_attribute(
        "href").startswith(f"{server.url}/static/favicon")
    checked(offline)
    offline.get(f"{server.url}/redoc")
    WebDriverWait(offline, WAIT).until(lambda d: redoc_operations(d) == set(listed))
    assert "Download the data" in offline.find_element(By.TAG_NAME, "body").text
    assert offline.find_element(By.CSS_SELECTOR, "link[rel='shortcut icon']").get_attribute(
        "href").startswith(f"{server.url}/static/favicon")
    checked(offline)


def fills(driver: webdriver.Chrome) -> dict[str, str]:
    return driver.execute_script("""const found = {};
        document.querySelectorAll('svg.peru path[id^="shape-"]').forEach(
            (shape) => { found[shape.id.slice(6)] = shape.getAttribute('fill'); });
        return found;""")


def shown_legend(driver: webdriver.Chrome) -> list[str]:
    return [legend.get_attribute("data-figure") for legend in driver.find_elements(By.CSS_SELECTOR, ".map-legend")
            if legend.is_displayed()]


def test_the_map_switches_figure_with_javascript_and_without(offline: webdriver.Chrome, server: Server,
                                                             tmp_path: Path) -> None:
    with urllib.request.urlopen(f"{server.url}/api/v1/regions", timeout=WAIT) as answer:
        without_internet = {row["code"] for row in json.load(answer)["regions"] if row["internet"] is None}
    assert "06" in without_internet
    offline.get(f"{server.url}/")
    by_score = fills(offline)
    assert len(by_score) == 26 and "url(#hatch)" not in by_score.values() and shown_legend(offline) == ["score"]
    assert not offline.find_element(By.ID, "map-show").is_displayed()  # the script switches on change
    Select(offline.find_element(By.ID, "map-figure")).select_by_value("internet")
    WebDriverWait(offline, WAIT).until(lambda d: shown_legend(d) == ["internet"])
    by_internet = fills(offline)
    assert {code for code, fill in by_internet.items() if fill == "url(#hatch)"} == without_internet
    assert offline.current_url.endswith("/?map=internet")
    title = offline.execute_script("return document.querySelector('a[data-code=\"06\"] title').textContent")
    assert title == "Cajamarca: Households with internet (%), no data"  # this browser asks for English
    checked(offline)

    plain = chromium(tmp_path / "no-script", scripts=False)
    try:
        plain.get(f"{server.url}/")
        assert fills(plain) == by_score
        Select(plain.find_element(By.ID, "map-figure")).select_by_value("internet")
        submit(plain, "#map-show")  # without a script, the form asks the server for the other figure
        assert plain.current_url.endswith("/?map=internet#peru-map")
        assert fills(plain) == by_internet and shown_legend(plain) == ["internet"]
        fits_the_phone(plain)
        open_details(plain, "#downloads")
        assert plain.find_element(By.CSS_SELECTOR, "#downloads .menu a").is_displayed()
        fits_the_phone(plain)
    finally:
        plain.quit()


def test_home_and_compare_fit_a_phone(server: Server, tmp_path: Path) -> None:
    phone = chromium(tmp_path / "phone")
    try:
        with urllib.request.urlopen(f"{server.url}/api/v1/regions", timeout=WAIT) as answer:
            codes = [row["code"] for row in json.load(answer)["regions"]]
        for page in ("/regions/06", "/", "/compare?regions=" + ",".join(codes)):
            phone.get(server.url + page)
            assert phone.execute_script("return window.innerWidth") == PHONE[0]
            fits_the_phone(phone)
            open_details(phone, "#downloads")
            fits_the_phone(phone)
            menu = phone.find_element(By.CSS_SELECTOR, "#downloads .menu").rect
            assert menu["x"] >= 0 and menu["x"] + menu["width"] <= PHONE[0], (page, menu)  # all of it on screen
            checked(phone)
        rows = phone.find_elements(By.CSS_SELECTOR, "#comparison tbody tr")
        assert len(rows) == len(codes) == 26
        score = phone.find_element(By.CSS_SELECTOR, "#comparison thead th:nth-child(4) button")
        phone.execute_script("arguments[0].scrollIntoView({block: 'center'})", score)
        score.click()
        first = [float(row.find_elements(By.TAG_NAME, "td")[2].get_attribute("data-sort") or "nan")
                 for row in phone.find_elements(By.CSS_SELECTOR, "#comparison tbody tr")]
        assert first == sorted(first)
        checked(phone)
    finally:
        phone.quit()


def test_a_signed_in_visitor_downloads_when_reads_need_a_token(peru: Path, tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.db"
    settings = ApiSettings(_env_file=None, store=str(peru), tokens=str(tokens), read_token_required=True)
    token, _ = TokenStore(tokens).create("reader")
    driver = chromium(tmp_path / "visitor")
    try:
        with Server(create_app(settings)) as up:
            driver.get(f"{up.url}/regions/06")
            WebDriverWait(driver, WAIT).until(lambda d: "/login" in d.current_url)
            driver.find_element(By.NAME, "token").send_keys(token)
            page = driver.find_element(By.TAG_NAME, "html")
            click(driver, "form button[type=submit]")
            WebDriverWait(driver, WAIT).until(staleness_of(page))
            WebDriverWait(driver, WAIT).until(lambda d: d.find_elements(By.ID, "downloads"))
            open_details(driver, "#downloads")
            links = [link.get_attribute("href") for link in driver.find_elements(By.CSS_SELECTOR, "#downloads a")]
            assert len(links) == 6
            answers = driver.execute_async_script("""const done = arguments[arguments.length - 1];
                Promise.all(arguments[0].map((address) => fetch(address).then(
                    (answer) => [answer.status, answer.headers.get('content-disposition') || '']))).then(done);""",
                                                  links)
            assert all(status == 200 and "attachment" in disposition for status, disposition in answers), answers
            checked(driver)
    finally:
        driver.quit()
