"""The region page's year slider: how long the map takes to redraw for another year, in headless Chromium.

    .venv/bin/python bench/bench_timeline.py [--regions 06 ...] [--rounds 2]

It loads the bundled Peru data (data/peru) into a fresh SQLite file, computes its analysis as ``ecograph load``
does, starts ``ecograph serve`` on a free port of 127.0.0.1, and opens each region page (default: the three regions
with most actors, and Cajamarca) in headless Chromium. For every year of the slider it moves the slider (an input
event, as a reader's drag) and measures, in the browser (``performance.now()``), the time until the map has been
drawn for that year (``window.ecograph.timeline.drawn``): the request to ``/api/v1/regions/{code}/timeline``, the
server computing that year's report the first time, hiding actors and ties, rewriting the key actors and gaps, and
vis-network's next frame. The first round asks the server for every year (cold: each year's report is computed
then); later rounds find the years the page already has.

The target is 1 s per redraw (issue 11). It prints each region's median and slowest redraw next to it.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_service import free_port, serve  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service as Driver  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from ecograph.readers import read_dataset  # noqa: E402
from ecograph.service import Service  # noqa: E402
from ecograph.stores import SQLiteStore  # noqa: E402

TARGET = 1.0
"""Seconds: the slider must redraw the map for another year within this (issue 11)."""
WAIT = 60
MOVE = """
const year = arguments[0], done = arguments[arguments.length - 1];
const slider = document.getElementById("timeline-year");
const started = performance.now();
slider.value = year;
slider.dispatchEvent(new Event("input"));
(function wait() {
  if (window.ecograph.timeline.drawn === String(year)) { done(performance.now() - started); }
  else { setTimeout(wait, 2); }
}());
"""


def chromium(profile: Path) -> webdriver.Chrome:
    binary, driver = shutil.which("chromium") or shutil.which("chromium-browser"), shutil.which("chromedriver")
    if not (binary and driver):
        raise SystemExit("headless Chromium and chromedriver are needed: run scripts/setup-browser")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900",
                     f"--user-data-dir={profile}", "--disable-extensions", "--no-first-run"):
        options.add_argument(argument)
    browser = webdriver.Chrome(options=options, service=Driver(driver))
    browser.set_script_timeout(WAIT)
    return browser


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regions", nargs="*", help="region codes (default: the three largest and 06)")
    parser.add_argument("--rounds", type=int, default=2, help="passes over every year (the first one is cold)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ecograph-bench-timeline-"))
    location = work / "peru.db"
    dataset = read_dataset(ROOT / "data" / "peru")
    with SQLiteStore(location) as store:
        store.load(dataset)
        assert Service(lambda: store).refresh()
    sizes = Counter(actor.region for actor in dataset.actors if actor.region)
    regions = args.regions or list(dict.fromkeys([*(code for code, _ in sizes.most_common(3)), "06"]))
    server = serve(str(location), free_port(), work / "server.log")
    browser = chromium(work / "profile")
    worst = 0.0
    try:
        base = f"http://127.0.0.1:{server.args[-1]}"
        for code in regions:
            browser.get(f"{base}/regions/{code}")
            WebDriverWait(browser, WAIT).until(lambda b: b.execute_script(
                "return !!(window.ecograph && window.ecograph.ready && window.ecograph.timeline)"))
            stops = [int(option.get_attribute("value")) for option in browser.find_elements(
                "css selector", "#timeline-stops option")]
            for round_ in range(args.rounds):
                took = [browser.execute_async_script(MOVE, year) / 1000 for year in reversed(stops)]
                worst = max(worst, *took)
                print(f"region {code} ({sizes[code]} actors), {'first' if round_ == 0 else 'later'} pass over "
                      f"{len(stops)} years ({stops[0]}-{stops[-1]}): median {statistics.median(took):.3f} s, slowest "
                      f"{max(took):.3f} s (target {TARGET:.1f} s)")
    finally:
        browser.quit()
        server.terminate()
        server.wait(10)
    print(f"slowest redraw for another year: {worst:.3f} s, target {TARGET:.1f} s: "
          f"{'met' if worst < TARGET else 'NOT met'}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
