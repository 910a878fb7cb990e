"""Phones and paper, in headless Chromium on the bundled Peru data.

On a 390 x 844 phone, no page scrolls sideways (``document.documentElement.scrollWidth <= 390``): home, regions
(with what-if), actors, compare, import, sign-in, glossary, assessment, the campaign pages (signed in), the
survey's pages, embeds and the not-found page; wide tables scroll inside their own box; the mixing heatmap's
labels stay at least 11 px. On paper, the Cajamarca brief prints on at most two A4 pages with its date, its data
version, its map drawn for paper (the key actors named, and only them), every opportunity, key actor and gap in
words, and its convening set.
"""

from __future__ import annotations

import base64
import io
import json
import re
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pypdf
import pytest
from babel.dates import format_date

from ecograph.readers import read_dataset
from ecograph.stores import SQLiteStore
from ecograph.survey.links import invite, issue
from ecograph.survey.model import SECTIONS, Campaign
from tests.test_browser import PERU, WAIT, Server, checked, store_of, wait_for_analysis, wait_for_graph
from tests.test_survey_browser import PHONE, chromium
from tests.test_visuals import make_app, tokens_of

pytestmark = pytest.mark.browser

from selenium import webdriver  # noqa: E402  (test_browser has skipped the module if there is no Chromium)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.print_page_options import PrintOptions  # noqa: E402
from selenium.webdriver.support.expected_conditions import staleness_of  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CAMPAIGN = "cajamarca-digital"
REFUSED = {"/regions/99", "/actors/no-such-actor", "/embed/regions/99", "/survey/sv_no-such-link", "/no-such-page"}
"""Pages answered with an error status (the browser logs it)."""


@pytest.fixture(scope="module")
def peru(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str, str]]:
    """The app on the bundled Peru data with its analysis stored, an admin token, and a survey link of a
    Cajamarca institution (an open campaign over Cajamarca)."""
    path = store_of(read_dataset(PERU), tmp_path_factory.mktemp("phone") / "peru.db")
    with SQLiteStore(path) as store:
        store.survey.create_campaign(Campaign(id=CAMPAIGN, name="Cajamarca digital", regions=["06"],
                                             opens=date(2026, 1, 1), closes=date(2099, 12, 31)))
        invite(store, CAMPAIGN, ["unc"])
        link = next(entry.token for entry in issue(store, CAMPAIGN) if entry.token)
    admin, _ = tokens_of(path).create("admin")
    with Server(make_app(path)) as server:
        wait_for_analysis(server)
        yield server, admin, link


@pytest.fixture(scope="module")
def phone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    driver = chromium(tmp_path_factory.mktemp("phone-chrome"))
    try:
        yield driver
    finally:
        driver.quit()


def sign_in(driver: webdriver.Chrome, server: Server, token: str) -> None:
    driver.get(f"{server.url}/login?next=/campaigns")
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.NAME, "token").send_keys(token)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(driver, WAIT).until(staleness_of(old))


def test_no_page_scrolls_sideways_on_a_phone(phone: webdriver.Chrome, peru: tuple[Server, str, str]) -> None:
    server, admin, link = peru
    pages = ["/", "/regions/06", "/regions/06?remove=gore-cajamarca", "/regions/15a", "/regions/15a?lang=en",
             "/actors/gore-cajamarca", "/actors/pnud", "/compare?regions=06,08", "/compare?regions=06,08,15a,13,11",
             "/compare", "/import", "/login", "/glosario", "/assessment", "/embed/regions/06", "/embed/actors/unc",
             f"/survey/{link}", *(f"/survey/{link}/{section}" for section in SECTIONS),
             f"/survey/{link}/partners/add", f"/survey/{link}/receipt", *sorted(REFUSED)]
    phone.get(f"{server.url}/")
    assert phone.execute_script("return document.documentElement.clientWidth") == PHONE[0]
    wide = {}
    for page in pages:
        phone.get(server.url + page)
        if page.startswith(("/regions/", "/actors/", "/embed/")) and page not in REFUSED:
            wait_for_graph(phone)
        width = phone.execute_script("return document.documentElement.scrollWidth")
        if width > PHONE[0]:
            wide[page] = width
        checked(phone, *([r"status of 4\d\d"] if page in REFUSED else []))
    sign_in(phone, server, admin)
    for page in ["/campaigns", f"/campaigns/{CAMPAIGN}", f"/campaigns/{CAMPAIGN}/review",
                 f"/campaigns/{CAMPAIGN}/sheet"]:
        phone.get(server.url + page)
        assert "/login" not in phone.current_url, page
        width = phone.execute_script("return document.documentElement.scrollWidth")
        if width > PHONE[0]:
            wide[page] = width
        checked(phone)
    assert wide == {}, f"pages wider than the phone: {wide}"


def test_the_heatmap_and_the_findings_are_legible_on_a_phone(phone: webdriver.Chrome,
                                                              peru: tuple[Server, str, str]) -> None:
    server, _, _ = peru
    phone.get(f"{server.url}/regions/06?remove=gore-cajamarca&lang=es")
    sizes = phone.execute_script("""
        return [...document.querySelectorAll('#mixing th, #mixing td .count, #mixing td small')]
            .map(e => parseFloat(getComputedStyle(e).fontSize));""")
    assert len(sizes) == 5 + 5 + 2 * 25 and min(sizes) >= 11, sizes
    table = phone.find_element(By.ID, "mixing").rect
    assert table["x"] >= 0 and table["x"] + table["width"] <= PHONE[0], "the whole heatmap fits the screen"
    select = phone.find_element(By.CSS_SELECTOR, "#what-if select").rect
    assert select["x"] + select["width"] <= PHONE[0], "the what-if choice fits the screen"
    # a role's definition opens on tap, without any script of ours
    badge = phone.find_element(By.CSS_SELECTOR, "#key-actors details.term summary")
    definition = phone.find_element(By.CSS_SELECTOR, "#key-actors details.term .definition")
    assert not definition.is_displayed()
    phone.execute_script("arguments[0].scrollIntoView({block: 'center'})", badge)
    badge.click()
    assert definition.is_displayed() and "Más en el glosario" in definition.text
    assert definition.rect["x"] + definition.rect["width"] <= PHONE[0]
    checked(phone)


def test_a_definition_opens_on_tap_with_javascript_off(peru: tuple[Server, str, str], tmp_path: Path) -> None:
    server, _, _ = peru
    driver = chromium(tmp_path / "no-script", scripts=False)
    try:
        driver.get(f"{server.url}/regions/06?lang=es")
        badge = driver.find_element(By.CSS_SELECTOR, "#key-actors details.term summary")
        definition = driver.find_element(By.CSS_SELECTOR, "#key-actors details.term .definition")
        assert not definition.is_displayed()
        badge.click()
        assert definition.is_displayed() and definition.text == f"{badge.get_attribute('title')} Más en el glosario"
        details = driver.find_element(By.ID, "key-details")
        details.find_element(By.TAG_NAME, "summary").click()
        assert details.find_element(By.ID, "key-measures").is_displayed(), "the technical details open too"
    finally:
        driver.quit()


def test_region_brief_prints_on_two_a4_pages(peru: tuple[Server, str, str], tmp_path: Path) -> None:
    server, _, _ = peru
    with urllib.request.urlopen(f"{server.url}/api/v1/regions/06/analysis", timeout=WAIT) as answer:
        report = json.load(answer)
    driver = chromium(tmp_path / "print")
    try:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        driver.set_window_size(1366, 900)
        driver.get(f"{server.url}/regions/06")
        wait_for_graph(driver)
        WebDriverWait(driver, WAIT).until(lambda d: d.execute_script(
            "return document.getElementById('graph-print').src.startsWith('data:image/png')"))
        labels = [text.get_attribute("textContent") for text in
                  driver.find_elements(By.CSS_SELECTOR, "#print-map text")]
        options = PrintOptions()
        options.page_width, options.page_height = 21.0, 29.7  # A4, in centimetres
        pdf = pypdf.PdfReader(io.BytesIO(base64.b64decode(driver.print_page(options))))
        checked(driver)
    finally:
        driver.quit()
    assert 1 <= len(pdf.pages) <= 2, f"{len(pdf.pages)} pages"
    assert all(round(float(page.mediabox.width)) == 596 and round(float(page.mediabox.height)) == 842
               for page in pdf.pages), "A4: 210 x 297 mm in points"
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in pdf.pages))

    def printed(sentence: str) -> bool:
        return re.sub(r"\s+", "", sentence) in text

    assert printed(f"el {format_date(date.today(), 'long', locale='es')} con la versión {report['version']} "
                   "de los datos"), "the date and the data version"
    opportunities = [tie["text_es"] for tie in report["opportunities"][:10]]
    assert len(opportunities) == 10 and [o for o in opportunities if not printed(o)] == []
    assert [a["text_es"] for a in report["key_actors"] if not printed(a["text_es"])] == []
    assert [g["text_es"] for g in report["gaps"] if not printed(g["text_es"])] == []
    assert printed("Grupo convocante") and printed("Juntos llegan al 96 %")
    assert len(labels) == len(report["key_actors"]), "the printed map names the key actors, and only them"
    first = re.sub(r"\s+", "", pdf.pages[0].extract_text())
    assert labels and all(re.sub(r"\s+", "", label) in first for label in labels), "the map's names, on page 1"
