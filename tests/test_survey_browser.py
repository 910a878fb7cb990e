"""The survey in a real browser: headless Chromium on a 390 x 844 phone screen, against uvicorn and SQLite.

A lab member signs in, creates a campaign over Cajamarca and reads the links off the campaign page; one
institution fills the whole survey with JavaScript OFF (``--blink-settings=scriptEnabled=false``: plain forms,
the server-side partner search), another with it on (the partner list filters as one types); the lab
member reviews and publishes; the region page then shows the coverage line, the maturity heatmap and the
new ties with their status. With ``ECOGRAPH_SCREENSHOTS=1`` the phone form's screenshot replaces
``docs/survey-phone.png``.

Run: ``.venv/bin/pytest -q -p no:cacheprovider -m browser tests/test_survey_browser.py``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.main import create_app
from api.settings import ApiSettings
from api.tokens import TokenStore
from ecograph.readers import read_dataset
from ecograph.stores import SQLiteStore
from tests.test_browser import CHROMEDRIVER, CHROMIUM, DOCS, WAIT, Server, drain

pytestmark = pytest.mark.browser

from selenium import webdriver  # noqa: E402  (test_browser has skipped the module if there is no Chromium)
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.expected_conditions import staleness_of  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

MINI = Path(__file__).parent / "data" / "mini"
PHONE = (390, 844)


def chromium(profile: Path, scripts: bool = True) -> webdriver.Chrome:
    """Headless Chromium showing pages as a 390 x 844 phone does (JavaScript off when ``scripts`` is False)."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                     "--disable-default-apps", "--hide-scrollbars", f"--user-data-dir={profile}",
                     "--window-size=500,900", "--lang=es-PE", *(() if scripts else
                                                                ("--blink-settings=scriptEnabled=false",))):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "es-PE,es"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    os.environ["SE_OFFLINE"] = "true"
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(WAIT)
    # A window cannot be narrower than 500 px: emulate the phone's screen instead.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": PHONE[0], "height": PHONE[1],
                                                                  "deviceScaleFactor": 2, "mobile": True})
    return driver


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """The app on a real SQLite store (the small dataset) and an admin token."""
    folder = tmp_path_factory.mktemp("survey-browser")
    with SQLiteStore(folder / "survey.db") as store:
        store.load(read_dataset(MINI))
    tokens = folder / "tokens.db"
    admin, _ = TokenStore(tokens).create("admin")
    app = create_app(ApiSettings(store=str(folder / "survey.db"), tokens=str(tokens), analysis_wait=60))
    with Server(app) as server:
        yield server, admin


@pytest.fixture(scope="module")
def lab(setup: tuple[Server, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    driver = chromium(tmp_path_factory.mktemp("lab"))
    try:
        yield driver
    finally:
        driver.quit()


def clean(driver: webdriver.Chrome) -> None:
    """No console errors and no request beyond 127.0.0.1 since the last check."""
    errors, foreign = drain(driver)
    assert not errors, f"console errors: {errors}"
    assert not foreign, f"requests that left 127.0.0.1: {foreign}"


def fits_the_phone(driver: webdriver.Chrome) -> None:
    assert driver.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]


def click(driver: webdriver.Chrome, selector: str) -> None:
    element = driver.find_element(By.CSS_SELECTOR, selector)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def open_details(driver: webdriver.Chrome, selector: str) -> None:
    """Open a <details> by clicking its summary (it works without any script), unless it is open already."""
    if driver.find_element(By.CSS_SELECTOR, selector).get_attribute("open") is None:
        click(driver, f"{selector} > summary")


def type_into(driver: webdriver.Chrome, selector: str, text: str) -> None:
    field = driver.find_element(By.CSS_SELECTOR, selector)
    field.clear()
    field.send_keys(text)


def submit(driver: webdriver.Chrome, selector: str) -> None:
    """Click a button that posts a form and wait until the next page has replaced this one.

    Waiting on the address alone is not enough: after a second save of the same section the old
    address already matches, and the next step would read the page being replaced.
    """
    page = driver.find_element(By.TAG_NAME, "html")
    click(driver, selector)
    # while the old page goes, chromedriver may also answer "node does not belong to the document": ask again
    WebDriverWait(driver, WAIT, ignored_exceptions=(WebDriverException,)).until(staleness_of(page))


def save(driver: webdriver.Chrome, section: str) -> None:
    """Save the section; the page after it says it was recorded (the store committed it before the redirect)."""
    submit(driver, "#save")
    WebDriverWait(driver, WAIT).until(lambda d: f"saved={section}" in d.current_url)
    assert driver.find_element(By.ID, "saved").text.startswith("Guardado")


def links_of_campaign(lab: webdriver.Chrome, server: Server, admin: str) -> dict[str, str]:
    lab.get(f"{server.url}/campaigns")
    WebDriverWait(lab, WAIT).until(lambda d: "/login" in d.current_url)
    type_into(lab, "input[name=token]", admin)
    click(lab, "form button[type=submit]")
    WebDriverWait(lab, WAIT).until(lambda d: d.find_elements(By.ID, "new-campaign"))
    type_into(lab, "#c-name", "Cajamarca digital")
    click(lab, "input[name=regions][value='06']")
    for field, value in (("#c-opens", "2020-01-01"), ("#c-closes", "2099-12-31")):  # date pickers: set the value
        lab.execute_script("arguments[0].value = arguments[1]", lab.find_element(By.CSS_SELECTOR, field), value)
    click(lab, "#new-campaign button[type=submit]")
    WebDriverWait(lab, WAIT).until(lambda d: "done=created" in d.current_url)
    assert lab.find_element(By.ID, "coverage-line").text == "0 de 3 actores respondieron (0 %)"
    fits_the_phone(lab)
    rows = lab.find_elements(By.CSS_SELECTOR, "#waiting tbody tr")
    found = {row.find_element(By.CSS_SELECTOR, "td").text: row.find_element(By.CSS_SELECTOR, "input.copy-link")
             .get_attribute("value") for row in rows}
    assert len(found) == 3 and all(re.match(rf"{re.escape(server.url)}/survey/sv_", url) for url in found.values())
    lab.get(f"{server.url}/campaigns/cajamarca-digital/sheet")
    assert len(lab.find_elements(By.CSS_SELECTOR, "svg.qr")) == 3
    clean(lab)
    return found


def test_survey_on_a_phone_with_and_without_javascript(setup: tuple[Server, str], lab: webdriver.Chrome,
                                                        tmp_path: Path) -> None:
    server, admin = setup
    links = links_of_campaign(lab, server, admin)
    shots = DOCS if os.environ.get("ECOGRAPH_SCREENSHOTS") == "1" else tmp_path

    # Universidad Nacional de Cajamarca, JavaScript off.
    plain = chromium(tmp_path / "plain", scripts=False)
    try:
        base = links["Universidad Nacional de Cajamarca"]
        plain.get(base)
        assert plain.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
        click(plain, "#begin")
        assert plain.find_element(By.ID, "name").get_attribute("value") == "Universidad Nacional de Cajamarca"
        fits_the_phone(plain)
        type_into(plain, "#website", "www.unc.edu.pe")
        type_into(plain, "#contact_name", "Ana Quispe")
        type_into(plain, "#contact_email", "ana@unc.edu.pe")
        save(plain, "profile")
        open_details(plain, "#cap-digital_skills")  # <details> opens without any script
        click(plain, "input[name='level-digital_skills'][value='3']")
        click(plain, "input[name='groups-digital_skills'][value='women']")
        open_details(plain, "#cap-research_innovation")
        click(plain, "input[name='level-research_innovation'][value='2']")
        fits_the_phone(plain)
        plain.execute_script("window.scrollTo(0, 0)")
        plain.save_screenshot(str(shots / "survey-phone.png"))
        save(plain, "capabilities")
        type_into(plain, "#q", "gobierno")
        assert not plain.find_elements(By.CSS_SELECTOR, "#roster li[hidden]")  # no page script runs here
        click(plain, "#search")  # the server searches
        WebDriverWait(plain, WAIT).until(lambda d: "q=gobierno" in d.current_url)
        assert [item.text.split("\n")[0] for item in plain.find_elements(By.CSS_SELECTOR, "#roster li")] == [
            "Gobierno Regional de Cajamarca (GORE Cajamarca)"]
        click(plain, "#pick-gore-cajamarca")
        for selector in ("input[name=types][value=agreement]", "input[name=types][value=training]",
                         "input[name=status][value=active]", "input[name=strength][value='4']",
                         "input[name=trust][value='3']"):
            click(plain, selector)
        type_into(plain, "#since", "2019")
        fits_the_phone(plain)
        save(plain, "partners")
        assert "Gobierno Regional de Cajamarca" in plain.find_element(By.ID, "your-partners").text
        click(plain, "#propose")
        type_into(plain, "#proposed_name", "Asociación Cajamarca Digital")
        click(plain, "#proposed_sector option[value=civil_society]")
        click(plain, "input[name=types][value=joint_project]")
        click(plain, "input[name=status][value=planned]")
        click(plain, "input[name=strength][value='2']")
        save(plain, "partners")
        save(plain, "partners")  # the list is complete
        click(plain, "input[name=needs][value=financing]")
        save(plain, "needs")
        click(plain, "#accepted")
        save(plain, "consent")
        receipt = plain.find_element(By.ID, "main").text
        for expected in ("¡Gracias!", "https://www.unc.edu.pe", "3 · Diferenciador", "Asociación Cajamarca Digital",
                         "Financiamiento"):
            assert expected in receipt
        clean(plain)
    finally:
        plain.quit()

    # Gobierno Regional de Cajamarca, JavaScript on: the partner list filters as one types.
    scripted = chromium(tmp_path / "scripted")
    try:
        base = links["Gobierno Regional de Cajamarca"]
        scripted.get(f"{base}/partners")
        everyone = len(scripted.find_elements(By.CSS_SELECTOR, "#roster li"))
        assert everyone >= 3
        scripted.find_element(By.ID, "q").send_keys("unc")
        WebDriverWait(scripted, WAIT).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#roster li:not([hidden])"))
                                            == 1)
        assert "partners?" not in scripted.current_url  # filtered in the page, no round trip
        click(scripted, "#pick-unc")
        for selector in ("input[name=types][value=agreement]", "input[name=status][value=active]",
                         "input[name=strength][value='4']"):
            click(scripted, selector)
        type_into(scripted, "#since", "2019")
        save(scripted, "partners")
        scripted.get(f"{base}/capabilities")
        open_details(scripted, "#cap-e_government")
        click(scripted, "input[name='level-e_government'][value='2']")
        open_details(scripted, "#cap-digital_skills")
        click(scripted, "input[name='level-digital_skills'][value='1']")
        save(scripted, "capabilities")
        scripted.get(f"{base}/consent?lang=en")
        assert scripted.find_element(By.TAG_NAME, "h1").text == "Consent"
        click(scripted, "#accepted")
        click(scripted, "#save")
        saved_text = WebDriverWait(scripted, WAIT).until(lambda d: d.find_element(By.ID, "saved")).text
        assert saved_text.startswith("Saved")
        clean(scripted)
    finally:
        scripted.quit()

    # The lab reviews and publishes; the region page shows what the survey found.
    lab.get(f"{server.url}/campaigns/cajamarca-digital")
    assert lab.find_element(By.ID, "coverage-line").text == "2 de 3 actores respondieron (67 %)"
    lab.get(f"{server.url}/campaigns/cajamarca-digital/review")
    while lab.find_elements(By.CSS_SELECTOR, "#review-items li.card:not(:has(.decided)) button[value=accept]"):
        submit(lab, "#review-items li.card:not(:has(.decided)) button[value=accept]")
        assert "done=decided" in lab.current_url
    lab.get(f"{server.url}/campaigns/cajamarca-digital")
    click(lab, "#publish")
    WebDriverWait(lab, WAIT).until(lambda d: "done=published" in d.current_url)
    lab.get(f"{server.url}/regions/06")
    WebDriverWait(lab, WAIT).until(lambda d: d.find_elements(By.ID, "assessment"))
    assert lab.find_element(By.ID, "coverage-line").text.startswith("2 de 3 actores respondieron (67 %)")
    heat = lab.find_element(By.ID, "maturity").text
    assert "Habilidades digitales" in heat and "Gobierno digital" in heat
    ties = {row.get_attribute("data-tie"): row.text
            for row in lab.find_elements(By.CSS_SELECTOR, "#survey-ties tr[data-tie]")}
    agreement = next(text for tie, text in ties.items() if "gore-cajamarca" in tie and "unc" in tie
                     and "agreement" in tie)
    assert "Confirmado por ambas partes" in agreement
    assert any("Reportado por una de las partes" in text for text in ties.values())
    assert any("Asociación Cajamarca Digital" in text for text in ties.values())
    assert lab.execute_script("return document.getElementById('assessment').getBoundingClientRect().right") <= PHONE[0]
    closed = links["Universidad Nacional de Cajamarca"]
    lab.get(closed)
    assert lab.find_element(By.ID, "gone").get_attribute("data-reason") == "closed"
    lab.get_log("browser")  # the 410 is logged as a console error; expected
    clean(lab)
