"""The pages in a real browser: headless Chromium, driven by Selenium, against the app served by uvicorn.

Needs Debian's ``chromium`` and ``chromium-driver`` (``scripts/setup-browser`` installs them). Without
them these tests are skipped, except under ``CI=true``, where they fail. Screenshots for the README
are written to ``docs/`` only when ``ECOGRAPH_SCREENSHOTS=1``.

After every step that loads or changes a page, :func:`checked` reads the browser's console and network
logs and fails on any console error or request that left 127.0.0.1; an error a step expects (the 404
page's status) must be there, and nothing else may be. The logs are never read and thrown away.
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
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import networkx as nx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from ecograph.generate import generate_dataset
from ecograph.i18n import Texts
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
from selenium.common.exceptions import NoAlertPresentException, TimeoutException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


class Server:
    """An ASGI app served by uvicorn on a free 127.0.0.1 port, in a thread, with its lifespan as in production
    (the app's background analysis starts and stops with it)."""

    def __init__(self, app: FastAPI) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
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


def wait_for_analysis(server: Server) -> None:
    """Until the app has computed and stored the analysis of its data (it does so in a background thread)."""
    deadline = time.monotonic() + 4 * WAIT
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{server.url}/api/v1/version", timeout=WAIT) as answer:
            if json.load(answer)["analysis"]:
                return
        time.sleep(0.2)
    raise AssertionError(f"the analysis was not stored within {4 * WAIT} s")


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
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
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


def checked(driver: webdriver.Chrome, *expected: str) -> None:
    """Fail on any console error or outside request since the last check, except the ``expected`` errors
    (regular expressions), each of which must have been logged."""
    errors, foreign = drain(driver)
    assert not foreign, f"requests that left 127.0.0.1: {foreign}"
    unexpected = [error for error in errors if not any(re.search(pattern, error) for pattern in expected)]
    assert not unexpected, f"console errors: {unexpected}"
    for pattern in expected:
        assert any(re.search(pattern, error) for error in errors), f"no console error matching {pattern!r}: {errors}"


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
    checked(chrome)


@pytest.mark.parametrize("path", ["/", "/actors/unc", "/compare?regions=06&regions=08", "/embed/actors/unc",
                                  "/regions/99"])
def test_pages_load_without_errors_or_outside_requests(chrome: webdriver.Chrome, app_server: Server,
                                                       path: str) -> None:
    chrome.get(app_server.url + path)
    WebDriverWait(chrome, WAIT).until(lambda d: d.execute_script("return document.readyState") == "complete")
    if "/actors/" in path:
        wait_for_graph(chrome)
    if path == "/regions/99":  # the 404 page logs its status as a console error: that one, and only that one
        checked(chrome, re.escape(app_server.url + path) + r" - Failed to load resource: .*status of 404")
        assert chrome.find_element(By.TAG_NAME, "h1").text
    else:
        checked(chrome)


def test_hostile_actor_name_stays_text(chrome: webdriver.Chrome, app_server: Server) -> None:
    chrome.get(f"{app_server.url}/actors/xss-actor")
    wait_for_graph(chrome)
    assert chrome.find_element(By.TAG_NAME, "h1").text == XSS
    assert XSS in hover(chrome, "xss-actor")
    assert_no_alert(chrome)
    checked(chrome)

    chrome.get(f"{app_server.url}/actors/gore-cajamarca")
    wait_for_graph(chrome)
    partners = chrome.find_elements(By.CSS_SELECTOR, "#ties tbody td:first-child")
    assert XSS in [cell.text.strip() for cell in partners]
    assert "<script>alert(3)</script>" in chrome.find_element(By.ID, "ties").text
    assert_no_alert(chrome)
    checked(chrome)

    chrome.get(f"{app_server.url}/regions/06")
    wait_for_graph(chrome)
    assert XSS in hover(chrome, "xss-actor")
    checked(chrome)
    search = chrome.find_element(By.ID, "graph-search")
    search.send_keys("onerror")
    search.submit()
    WebDriverWait(chrome, WAIT).until(lambda d: d.execute_script(
        "return window.ecograph.network.getSelectedNodes()[0]") == "xss-actor")
    assert_no_alert(chrome)
    checked(chrome)


def test_language_switch(chrome: webdriver.Chrome, app_server: Server) -> None:
    chrome.get(f"{app_server.url}/regions/06")
    assert chrome.find_element(By.TAG_NAME, "html").get_attribute("lang") == "es"
    checked(chrome)
    chrome.find_element(By.ID, "lang-switch").click()
    WebDriverWait(chrome, WAIT).until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
    assert chrome.find_element(By.TAG_NAME, "h1").text == "Digital ecosystem of Cajamarca"
    wait_for_graph(chrome)
    assert "Civil society" in hover(chrome, "xss-actor")
    checked(chrome)
    chrome.get(f"{app_server.url}/")  # the choice is remembered
    assert chrome.find_element(By.TAG_NAME, "h1").text == "Peru at a glance"
    checked(chrome)
    chrome.find_element(By.ID, "lang-switch").click()
    WebDriverWait(chrome, WAIT).until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "El Perú de un vistazo")
    checked(chrome)


def test_embed_renders_inside_another_sites_iframe(chrome: webdriver.Chrome, host_server: Server,
                                                   cajamarca_actors: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Any site may frame an embed by default (the operator has named no site); once the operator names sites,
    only those may (and this one), so the other local site is refused."""
    monkeypatch.delenv("ECOGRAPH_EMBED_FRAME_ANCESTORS", raising=False)
    chrome.get(f"{host_server.url}/")
    chrome.switch_to.frame(chrome.find_element(By.ID, "embed"))
    try:
        assert wait_for_graph(chrome) == cajamarca_actors
        assert chrome.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    finally:
        chrome.switch_to.default_content()
    checked(chrome)

    monkeypatch.setenv("ECOGRAPH_EMBED_FRAME_ANCESTORS", "https://www.regioncajamarca.gob.pe")
    chrome.get(f"{host_server.url}/")
    checked(chrome, r"Framing .* violates the following Content Security Policy directive: \"frame-ancestors 'self' "
                    r"https://www\.regioncajamarca\.gob\.pe\"\. The request has been blocked")
    chrome.switch_to.frame(chrome.find_element(By.ID, "embed"))
    try:
        assert chrome.find_elements(By.ID, "graph") == []
    finally:
        chrome.switch_to.default_content()
    monkeypatch.setenv("ECOGRAPH_EMBED_FRAME_ANCESTORS", f"'self' {host_server.url}")
    chrome.get(f"{host_server.url}/")
    chrome.switch_to.frame(chrome.find_element(By.ID, "embed"))
    try:
        assert wait_for_graph(chrome) == cajamarca_actors  # a site the operator names may
    finally:
        chrome.switch_to.default_content()
    checked(chrome)


def test_region_prints_as_an_a4_brief_with_the_map_drawn_for_paper(chrome: webdriver.Chrome,
                                                                    app_server: Server) -> None:
    chrome.get(f"{app_server.url}/regions/06")
    wait_for_graph(chrome)
    WebDriverWait(chrome, WAIT).until(lambda d: d.execute_script(
        "return document.getElementById('graph-print').src.startsWith('data:image/png')"))
    checked(chrome)
    chrome.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = chrome.execute_script("""
            const shown = (selector) => document.querySelector(selector).getClientRects().length > 0;
            return [shown('#graph'), shown('#graph-print'), shown('#print-map'), shown('.top nav'),
                    shown('.graph-tools')];""")
        assert shown == [False, False, True, False, False], "the map drawn for paper replaces the canvas"
        pdf = base64.b64decode(chrome.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})["data"])
        assert 1 <= len(re.findall(rb"/Type\s*/Page\b", pdf)) <= 2  # the brief fits two pages
        assert re.search(rb"/MediaBox \[0 0 59[45]\.\d* 84[12]\.", pdf)  # A4: 210 x 297 mm in points
    finally:
        chrome.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    checked(chrome)


# a large region (its map of communities, and each community's map at fixed positions): test_large_region_browser.py


# -- the map's filters and legend, on the test fixture and on the bundled Peru data ---------------
@pytest.fixture(params=["fixture", "peru"])
def cajamarca(request: pytest.FixtureRequest) -> tuple[Server, nx.MultiDiGraph]:
    """The app over the test fixture or the Peru data, its analysis stored, and Cajamarca's graph in its store."""
    server = request.getfixturevalue("app_server" if request.param == "fixture" else "peru_server")
    wait_for_analysis(server)
    with SQLiteStore(request.getfixturevalue("store_path" if request.param == "fixture" else "peru_path")) as store:
        return server, store.graph("06")


def drawn(driver: webdriver.Chrome) -> set[str]:
    """The ids of the nodes the map draws now."""
    return set(driver.execute_script("return window.ecograph.network.body.nodeIndices.slice()"))


def wait_drawn(driver: webdriver.Chrome, expected: set[str]) -> None:
    try:
        WebDriverWait(driver, WAIT).until(lambda d: drawn(d) == expected)
    except TimeoutException:
        now = drawn(driver)
        raise AssertionError(f"the map draws {len(now)} nodes, not {len(expected)}: "
                             f"extra {sorted(now - expected)}, missing {sorted(expected - now)}") from None


def open_region(driver: webdriver.Chrome, server: Server, graph: nx.MultiDiGraph) -> None:
    driver.get(f"{server.url}/regions/06")
    assert wait_for_graph(driver) == graph.number_of_nodes()
    assert drawn(driver) == set(graph)
    assert not driver.find_elements(By.ID, "analysis-pending"), "the analysis is stored: no notice"
    checked(driver)


def test_sector_and_capability_filters_redraw_the_map(chrome: webdriver.Chrome,
                                                      cajamarca: tuple[Server, nx.MultiDiGraph]) -> None:
    server, graph = cajamarca
    everyone = set(graph)
    sector = {node: data["sector"] for node, data in graph.nodes(data=True)}
    offers = {node: set(data.get("capabilities") or ()) for node, data in graph.nodes(data=True)}
    open_region(chrome, server, graph)
    filters = chrome.find_element(By.ID, "graph-filters")
    if not filters.get_attribute("open"):
        filters.find_element(By.TAG_NAME, "summary").click()
    boxes = {box.get_attribute("value"): box for box in chrome.find_elements(By.CSS_SELECTOR, "input[name=sector]")}
    assert set(boxes) == set(sector.values()) and all(box.is_selected() for box in boxes.values())
    capability = Select(chrome.find_element(By.ID, "graph-capability"))
    offered = {option.get_attribute("value") for option in capability.options} - {""}
    assert offered == set().union(*offers.values())

    first, second = [name for name, _ in Counter(sector.values()).most_common(2)]
    boxes[first].click()
    shown = {node for node in everyone if sector[node] != first}
    assert 0 < len(shown) < len(everyone)
    wait_drawn(chrome, shown)
    boxes[second].click()
    shown -= {node for node in everyone if sector[node] == second}
    wait_drawn(chrome, shown)
    checked(chrome)

    # a capability some of the actors still drawn offer and some do not, best one some hidden actor offers too
    def holders(capability: str) -> set[str]:
        return {node for node in everyone if capability in offers[node]}

    splitting = [c for c in sorted(offered) if shown & holders(c) and shown - holders(c)]
    assert splitting, "the data must let the capability filter hide some of the actors still drawn"
    wanted = max(splitting, key=lambda c: (bool(holders(c) - shown), len(shown & holders(c))))
    capability.select_by_value(wanted)
    wait_drawn(chrome, shown & holders(wanted))
    boxes[first].click()
    boxes[second].click()
    wait_drawn(chrome, holders(wanted))
    capability.select_by_value("")
    wait_drawn(chrome, everyone)
    checked(chrome)


def test_the_legend_names_what_the_map_draws(chrome: webdriver.Chrome,
                                             cajamarca: tuple[Server, nx.MultiDiGraph]) -> None:
    server, graph = cajamarca
    texts = Texts("es")
    open_region(chrome, server, graph)
    nodes = chrome.execute_script("""return window.ecograph.nodes.get().map((n) =>
        [n.id, n.sector, n.type, n.shape, typeof n.color === 'string' ? n.color : n.color.background, !!n.outside]);""")
    entries = chrome.execute_script("""return Array.from(document.querySelectorAll('ul.legend li')).map((li) => {
        const mark = li.querySelector('svg > *');
        return [li.textContent.trim(), mark ? mark.tagName : null, mark ? mark.getAttribute('fill') : null,
                mark ? mark.getAttribute('points') : null];});""")
    legend = {text: (tag, fill, points) for text, tag, fill, points in entries}
    assert len(legend) == len(entries), "no entry twice"
    assert {node for node, *_ in nodes} == set(graph)
    for node, sector, kind, shape, colour, outside in nodes:  # what the map draws is what the data says
        assert (sector, kind) == (graph.nodes[node]["sector"], graph.nodes[node]["type"])
        assert colour == network.SECTOR_COLOURS[sector] and shape == network.FAMILIES[network.FAMILY_OF[kind]][0]
        assert outside == (graph.nodes[node]["region"] != "06")

    sectors = {texts.label("sector", sector): colour for _, sector, _, _, colour, _ in nodes}
    every_sector = {texts.label("sector", code): code for code in network.SECTOR_COLOURS}
    assert {text: fill for text, (_, fill, _) in legend.items() if text in every_sector} == sectors
    assert all(legend[text][0] == "circle" for text in sectors)
    families = {texts.label("family", network.FAMILY_OF[kind]): shape for _, _, kind, shape, _, _ in nodes}
    every_family = {texts.label("family", family) for family in network.FAMILIES}
    assert {text for text in legend if text in every_family} == set(families)
    marks = {"dot": "circle", "square": "rect"}
    assert all(legend[text][0] == marks.get(shape, "polygon") for text, shape in families.items())
    assert len({legend[text][::2] for text in families}) == len(families), "each family its own shape"
    assert (texts("legend_outside") in legend) == any(outside for *_, outside in nodes)
    assert (texts("legend_arrow") in legend) == any(data.get("directed") for *_, data in graph.edges(data=True))
    assert texts("legend_width") in legend

    measure = Select(chrome.find_element(By.ID, "graph-measure"))
    size = chrome.find_element(By.ID, "legend-size")
    chosen = measure.first_selected_option.get_attribute("value")
    assert size.text == texts("legend_size", measure=texts.label("measure", chosen))
    other = next(option.get_attribute("value") for option in measure.options
                 if option.get_attribute("value") not in (chosen, "degree"))
    measure.select_by_value(other)
    WebDriverWait(chrome, WAIT).until(
        lambda d: size.text == texts("legend_size", measure=texts.label("measure", other)))
    checked(chrome)


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
        wait_for_analysis(server)  # the pages as a reader sees them, not the notice that the analysis is pending
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
                    checked(driver)
                    if not suffix:  # the whole page on a desktop; what a phone shows first
                        full = driver.execute_script("return document.documentElement.scrollHeight")
                        driver.set_window_size(width, min(full, 3000))
                        time.sleep(1.5)  # let the map fit itself to the resized window
                    driver.save_screenshot(str(target / f"{name}{suffix}.png"))
                    checked(driver)
            finally:
                driver.quit()
    assert all((target / f"{name}{suffix}.png").stat().st_size > 10_000
               for name in ("home", "region", "actor") for suffix in ("", "-phone"))
