"""The pages in a real browser: headless Chromium, driven by Selenium, against the app served by uvicorn.

Needs Debian's ``chromium`` and ``chromium-driver`` (``scripts/setup-browser`` installs them). Without
them these tests are skipped, except under ``CI=true``, where they fail. Screenshots for the README
are written to ``docs/`` only when ``ECOGRAPH_SCREENSHOTS=1``.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from ecograph.generate import generate_dataset
from ecograph.model import Dataset
from ecograph.readers import read_dataset
from ecograph.stores import SQLiteStore
from tests.test_visuals import XSS, hostile_dataset, make_app
from visuals import network

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
DOCS = Path(__file__).parent.parent / "docs"
PERU = Path(__file__).parent.parent / "data" / "peru"
WAIT = 30  # seconds; two busy cores can be slow to lay out a graph
LOCAL_HOSTS = {"127.0.0.1"}

if not (CHROMIUM and CHROMEDRIVER):
    reason = "headless Chromium and chromedriver are not installed; run scripts/setup-browser"
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason, allow_module_level=True)

from selenium import webdriver  # noqa: E402  (only importable once we know the browser tests run)
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


class Server:
    """An ASGI app served by uvicorn on a free 127.0.0.1 port, in a thread."""

    def __init__(self, app: FastAPI) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + WAIT
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"uvicorn did not start on {self.url}")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(WAIT)


def start_chromium(profile: Path, width: int = 1280, height: int = 900) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                     "--disable-default-apps", "--hide-scrollbars", f"--user-data-dir={profile}",
                     f"--window-size={width},{height}", "--lang=es-PE"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "es-PE,es"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not look for drivers online
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(WAIT)
    return driver


def store_of(dataset: Dataset, path: Path) -> Path:
    with SQLiteStore(path) as store:
        store.load(dataset)
    return path


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return store_of(hostile_dataset(), tmp_path_factory.mktemp("browser") / "browser.db")


@pytest.fixture(scope="module")
def cajamarca_actors(store_path: Path) -> int:
    """Actors on Cajamarca's map: its own and their partners from elsewhere."""
    with SQLiteStore(store_path) as store:
        return store.graph("06").number_of_nodes()


@pytest.fixture(scope="module")
def app_server(store_path: Path) -> Iterator[Server]:
    with Server(make_app(store_path)) as server:
        yield server


@pytest.fixture(scope="module")
def host_server(app_server: Server) -> Iterator[Server]:
    """Another local site (another port, so another origin) whose page frames the embed."""
    host = FastAPI()

    @host.get("/")
    def page() -> HTMLResponse:
        return HTMLResponse(f'<!doctype html><title>host</title><link rel="icon" href="data:,"><h1>Another site</h1>'
                            f'<iframe id="embed" src="{app_server.url}/embed/regions/06?lang=en" '
                            f'width="800" height="500"></iframe>')

    with Server(host) as server:
        yield server


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, host_server: Server) -> Iterator[webdriver.Chrome]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ECOGRAPH_EMBED_FRAME_ANCESTORS", f"'self' {host_server.url}")
        driver = start_chromium(tmp_path_factory.mktemp("profile"))
        try:
            yield driver
        finally:
            driver.quit()


@pytest.fixture
def chrome(browser: webdriver.Chrome) -> Iterator[webdriver.Chrome]:
    """The shared browser with no cookies and its logs drained, checked for errors and foreign requests after."""
    browser.get("about:blank")
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    drain(browser)
    yield browser
    errors, foreign = drain(browser)
    assert not errors, f"console errors: {errors}"
    assert not foreign, f"requests that left 127.0.0.1: {foreign}"


def drain(driver: webdriver.Chrome) -> tuple[list[str], list[str]]:
    """Console errors and requests to anywhere but 127.0.0.1 since the last call."""
    errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    foreign = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = urlsplit(message["params"]["request"]["url"])
            if url.scheme in ("http", "https", "ws", "wss", "ftp") and url.hostname not in LOCAL_HOSTS:
                foreign.append(url.geturl())
    return errors, foreign


def wait_for_graph(driver: webdriver.Chrome) -> int:
    """Wait until the map has drawn its nodes; return how many it has."""
    WebDriverWait(driver, WAIT).until(lambda d: d.execute_script(
        "return !!(window.ecograph && window.ecograph.ready && window.ecograph.network.body.nodeIndices.length)"))
    WebDriverWait(driver, WAIT).until(lambda d: inked_pixels(d) > 200)
    return driver.execute_script("return window.ecograph.network.body.nodeIndices.length")


def inked_pixels(driver: webdriver.Chrome) -> int:
    """How many sampled pixels of the map's canvas are not transparent."""
    return driver.execute_script("""
        const canvas = document.querySelector('#graph canvas');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let inked = 0;
        for (let i = 3; i < pixels.length; i += 4 * 5) { if (pixels[i] > 0) { inked++; } }
        return inked;""")


def hover(driver: webdriver.Chrome, node: str) -> str:
    """Move the mouse over a node of the map and return the text of the tooltip that opens."""
    x, y, width, height = driver.execute_script("""
        const network = window.ecograph.network;
        document.getElementById('graph').scrollIntoView({block: 'center'});
        network.fit({animation: false});
        const at = network.canvasToDOM(network.getPosition(arguments[0]));
        const box = document.getElementById('graph').getBoundingClientRect();
        return [at.x, at.y, box.width, box.height];""", node)
    canvas = driver.find_element(By.CSS_SELECTOR, "#graph canvas")
    ActionChains(driver).move_to_element_with_offset(canvas, int(x - width / 2), int(y - height / 2)) \
        .pause(0.1).move_by_offset(1, 1).perform()
    tooltip = WebDriverWait(driver, WAIT).until(lambda d: next(
        (tip for tip in d.find_elements(By.CSS_SELECTOR, "div.vis-tooltip") if tip.is_displayed() and tip.text), None))
    assert not tooltip.find_elements(By.CSS_SELECTOR, "img, script")
    return tooltip.text


def assert_no_alert(driver: webdriver.Chrome) -> None:
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018  (reading it is what raises when there is none)
    assert driver.execute_script("return document.querySelectorAll('img[src=\"x\"], img[onerror]').length") == 0


def test_region_map_draws_every_node(chrome: webdriver.Chrome, app_server: Server, cajamarca_actors: int) -> None:
    chrome.get(f"{app_server.url}/regions/06")
    assert wait_for_graph(chrome) == cajamarca_actors
    assert chrome.find_element(By.TAG_NAME, "h1").text == "Ecosistema digital de Cajamarca"


@pytest.mark.parametrize("path", ["/", "/actors/unc", "/compare?regions=06&regions=08", "/embed/actors/unc",
                                  "/regions/99"])
def test_pages_load_without_errors_or_outside_requests(chrome: webdriver.Chrome, app_server: Server,
                                                       path: str) -> None:
    chrome.get(app_server.url + path)
    WebDriverWait(chrome, WAIT).until(lambda d: d.execute_script("return document.readyState") == "complete")
    if "/actors/" in path:
        wait_for_graph(chrome)
    if path == "/regions/99":  # the 404 page logs its status as a console error; that one is expected
        chrome.get_log("browser")


def test_hostile_actor_name_stays_text(chrome: webdriver.Chrome, app_server: Server) -> None:
    chrome.get(f"{app_server.url}/actors/xss-actor")
    wait_for_graph(chrome)
    assert chrome.find_element(By.TAG_NAME, "h1").text == XSS
    assert XSS in hover(chrome, "xss-actor")
    assert_no_alert(chrome)

    chrome.get(f"{app_server.url}/actors/gore-cajamarca")
    wait_for_graph(chrome)
    partners = chrome.find_elements(By.CSS_SELECTOR, "#ties tbody td:first-child")
    assert XSS in [cell.text.strip() for cell in partners]
    assert "<script>alert(3)</script>" in chrome.find_element(By.ID, "ties").text
    assert_no_alert(chrome)

    chrome.get(f"{app_server.url}/regions/06")
    wait_for_graph(chrome)
    assert XSS in hover(chrome, "xss-actor")
    search = chrome.find_element(By.ID, "graph-search")
    search.send_keys("onerror")
    search.submit()
    WebDriverWait(chrome, WAIT).until(lambda d: d.execute_script(
        "return window.ecograph.network.getSelectedNodes()[0]") == "xss-actor")
    assert_no_alert(chrome)


def test_language_switch(chrome: webdriver.Chrome, app_server: Server) -> None:
    chrome.get(f"{app_server.url}/regions/06")
    assert chrome.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    chrome.find_element(By.ID, "lang-switch").click()
    WebDriverWait(chrome, WAIT).until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
    assert chrome.find_element(By.TAG_NAME, "h1").text == "Digital ecosystem of Cajamarca"
    wait_for_graph(chrome)
    assert "Civil society" in hover(chrome, "xss-actor")
    chrome.get(f"{app_server.url}/")  # the choice is remembered
    assert chrome.find_element(By.TAG_NAME, "h1").text == "Peru at a glance"
    chrome.find_element(By.ID, "lang-switch").click()
    WebDriverWait(chrome, WAIT).until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "El Perú de un vistazo")


def test_embed_renders_inside_another_sites_iframe(chrome: webdriver.Chrome, host_server: Server,
                                                   cajamarca_actors: int) -> None:
    chrome.get(f"{host_server.url}/")
    chrome.switch_to.frame(chrome.find_element(By.ID, "embed"))
    try:
        assert wait_for_graph(chrome) == cajamarca_actors
        assert chrome.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    finally:
        chrome.switch_to.default_content()


def test_region_prints_as_an_a4_brief_with_the_map_as_an_image(chrome: webdriver.Chrome, app_server: Server) -> None:
    chrome.get(f"{app_server.url}/regions/06")
    wait_for_graph(chrome)
    WebDriverWait(chrome, WAIT).until(lambda d: d.execute_script(
        "return document.getElementById('graph-print').src.startsWith('data:image/png')"))
    chrome.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = chrome.execute_script("""
            const shown = (selector) => getComputedStyle(document.querySelector(selector)).display !== 'none';
            return [shown('#graph'), shown('#graph-print'), shown('.top nav'), shown('.graph-tools')];""")
        assert shown == [False, True, False, False]
        pdf = base64.b64decode(chrome.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
        assert 1 <= len(re.findall(rb"/Type\s*/Page\b", pdf)) <= 3
        assert re.search(rb"/MediaBox \[0 0 59[45]\.\d* 84[12]\.", pdf)  # A4: 210 x 297 mm in points
    finally:
        chrome.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


@pytest.mark.slow
def test_a_large_region_opens_with_fixed_positions(chrome: webdriver.Chrome, tmp_path: Path) -> None:
    path = store_of(generate_dataset(2000, seed=1), tmp_path / "large.db")
    with SQLiteStore(path) as store:
        region = store.graph("01")
    assert region.number_of_nodes() > network.PHYSICS_LIMIT
    with Server(make_app(path)) as server:
        chrome.get(f"{server.url}/regions/01")
        assert wait_for_graph(chrome) == region.number_of_nodes()
        physics, moved = chrome.execute_script("""
            const network = window.ecograph.network;
            const node = window.ecograph.nodes.get()[0];
            const at = network.getPosition(node.id);
            return [network.physics.options.enabled, Math.abs(at.x - node.x) + Math.abs(at.y - node.y)];""")
        assert physics is False and moved < 1


def test_screenshots(tmp_path: Path) -> None:
    """Home, region and actor pages render to screenshots; with ECOGRAPH_SCREENSHOTS=1 they replace the
    README's in docs/, otherwise they go to a scratch folder."""
    target = DOCS if os.environ.get("ECOGRAPH_SCREENSHOTS") == "1" else tmp_path / "docs"
    dataset = read_dataset(PERU) if PERU.exists() else generate_dataset(300, seed=1)
    path = store_of(dataset, tmp_path / "screens.db")
    with SQLiteStore(path) as store:
        region = max(store.regions(), key=lambda r: len(store.actors(region=r.code))).code
        actor = max(store.actors(region=region), key=lambda a: len(store.collaborations(actor=a.id))).id
    target.mkdir(exist_ok=True)
    with Server(make_app(path)) as server:
        for width, height, suffix in ((1280, 900, ""), (390, 844, "-phone")):
            driver = start_chromium(tmp_path / f"profile{width}", width=width, height=height)
            if suffix:  # a window cannot be narrower than 500 px: emulate the phone's screen instead
                driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                       {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})
            try:
                for name, page in (("home", "/"), ("region", f"/regions/{region}"), ("actor", f"/actors/{actor}")):
                    driver.get(server.url + page)
                    if name != "home":
                        wait_for_graph(driver)
                    if not suffix:  # the whole page on a desktop; what a phone shows first
                        full = driver.execute_script("return document.documentElement.scrollHeight")
                        driver.set_window_size(width, min(full, 3000))
                        time.sleep(1.5)  # let the map fit itself to the resized window
                    driver.save_screenshot(str(target / f"{name}{suffix}.png"))
            finally:
                driver.quit()
    assert all((target / f"{name}{suffix}.png").stat().st_size > 10_000
               for name in ("home", "region", "actor") for suffix in ("", "-phone"))
