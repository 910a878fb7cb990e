"""The one service under the CLI, the API and the pages: graphs, analyses, comparison and what derives from them.

Every result is keyed by (store, dataset version, region, options). The default analysis of every
region, of the whole country, the comparison and the region summaries are computed **once per dataset
version** by :meth:`Service.refresh` and written to the store (``save_analysis``; per-actor measures
also as actor properties, see :meth:`ecograph.stores.base.Store.save_measures`). Any process over the
same store then serves them without recomputing: a restarted server, a second worker, a second server.

Who computes: the CLI after a load (with a progress bar), and in a web app a background thread
(:meth:`Service.start`) that notices a new version, claims the job in the store (one process at a time;
a crashed holder is replaced after :data:`STALE_AFTER` seconds) and computes the regions asked for
first. A request for a result not yet ready waits at most ``wait`` seconds, then gets
:class:`AnalysisPending` (the API answers 202 with ``Retry-After``; pages show a notice).

Results with non-default options (filters) are computed on demand and kept in memory only.
"""

from __future__ import annotations

import json
import logging
import math
import multiprocessing
import os
import socket
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from typing import Any

import networkx as nx
from pydantic import BaseModel, TypeAdapter

from ecograph.analysis import Options, RegionReport, region_report
from ecograph.analysis import what_if as engine_what_if
from ecograph.analysis.models import ComparisonRow, Opportunity, WhatIf
from ecograph.analysis.opportunities import opportunities
from ecograph.analysis.report import comparison_row, latest, ranked, subset
from ecograph.cache import ComputeCache
from ecograph.graph import collapse
from ecograph.history.follow_up import published
from ecograph.layout import layout
from ecograph.model import NATIONAL, SECTORS, Actor, Region
from ecograph.stores import Store, open_store
from ecograph.stores.base import MEASURE_FIELDS
from ecograph.survey.maturity import Assessment
from ecograph.survey.publish import published_assessment

log = logging.getLogger("ecograph.service")

FORMAT = 5
"""The shape of what the service stores. Raise it whenever what a report holds changes: the stored parts'
names carry it, so a store analysed by an older ecograph is analysed again instead of served stale."""
COUNTRY = f"country@{FORMAT}"
COMPARISON = f"comparison@{FORMAT}"
SUMMARIES = f"summaries@{FORMAT}"
COMPLETE = f"complete@{FORMAT}"
POOL_AFTER = 2.0
"""Seconds one part of the analysis may take before :meth:`Service.refresh` computes the rest in worker processes
(starting them costs about a second each: more than a small dataset's whole analysis)."""
STALE_AFTER = 120.0
"""Seconds after which another process takes over a job whose holder stopped renewing it."""
POLL = 1.0
ACTOR_RECOMMENDATIONS = 10
DEFAULT = Options()
Progress = Callable[[int, int], None]


def region_key(code: str | None) -> str:
    return COUNTRY if code is None else f"region:{code}@{FORMAT}"


class AnalysisPending(Exception):
    """The analysis of this dataset version is still being computed; ``ready`` of ``total`` parts are done."""

    def __init__(self, version: int, ready: int, total: int, retry_after: int = 5) -> None:
        super().__init__(f"analysis of version {version} in progress: {ready} of {total} parts ready")
        self.version, self.ready, self.total, self.retry_after = version, ready, total, retry_after


@dataclass(frozen=True)
class Analysed:
    """A region's default report and the positions to draw its graph, as stored."""

    report: RegionReport
    positions: dict[str, tuple[float, float]]
    layout: str


@dataclass(frozen=True)
class Prepared:
    """A graph with what is computed once for it: layout, measures, communities and recommended ties."""

    graph: nx.MultiDiGraph
    version: int
    positions: dict[str, tuple[float, float]]
    layout: str
    report: RegionReport

    @property
    def measures(self) -> dict[str, dict[str, float | None]]:
        return {row.id: {name: getattr(row, name) for name in MAP_MEASURES} for row in self.report.measures}

    @property
    def communities(self) -> dict[str, int]:
        return {row.id: row.community for row in self.report.measures}


MAP_MEASURES = ("degree", "weighted_degree", "betweenness", "closeness", "pagerank", "core", "constraint",
                "effective_size")


def _pack(document: Any) -> bytes:
    return zlib.compress(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode(), 6)


def _unpack(body: bytes) -> bytes:
    return zlib.decompress(body)


class Service:
    """Graphs and analyses of one store, computed once per dataset version (see the module docstring).

    ``stores`` returns the store for the calling thread (SQLite connections are per thread).
    """

    def __init__(self, stores: Callable[[], Store], cache_entries: int = 512, wait: float = 3.0,
                 owner: str | None = None, derivers: Mapping[str, Deriver] | None = None,
                 workers: int | None = None, pool_after: float = POOL_AFTER) -> None:
        self.stores = stores
        self.derivers = dict(derivers if derivers is not None else installed_derivers())
        self.workers = workers or os.cpu_count() or 1
        self.pool_after = pool_after if derivers is None else math.inf  # workers find only the installed derivers
        self.cache = ComputeCache(cache_entries)
        self.wait = wait
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._wanted: list[str | None] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- data ---------------------------------------------------------------------------------
    @property
    def store(self) -> Store:
        return self.stores()

    def version(self) -> int:
        return self.store.version()

    def regions(self, version: int) -> list[Region]:
        store = self.store
        return self.cache.get(("regions", store.url, version), store.regions)

    def region(self, version: int, code: str) -> Region | None:
        """The region with this code, or None (cheap: no graph is read)."""
        return next((region for region in self.regions(version) if region.code == code), None)

    def graph(self, version: int, region: str | None) -> nx.MultiDiGraph:
        """The region's graph (None: the country) as of ``version``; do not modify it."""
        store = self.store
        return self.cache.get(("graph", store.url, version, region), lambda: store.graph(region))

    # -- analyses -------------------------------------------------------------------------------
    def analysed(self, version: int, region: str | None) -> Analysed:
        """The stored default report and layout of a region (None: the country); AnalysisPending if not yet."""
        store = self.store
        return self.cache.get(("analysed", store.url, version, region),
                              lambda: self._stored(version, region_key(region), _analysed, wanted=region))

    def report(self, version: int, region: str | None, options: Options = DEFAULT) -> RegionReport:
        """The report of a region (None: the country). Default options: the stored one; others: computed."""
        if options == DEFAULT:
            return self.analysed(version, region).report
        store = self.store
        return self.cache.get(("report", store.url, version, region, options),
                              lambda: region_report(self.graph(version, region), options))

    def prepared(self, version: int, region: str | None) -> Prepared:
        found = self.analysed(version, region)
        return Prepared(self.graph(version, region), version, found.positions, found.layout, found.report)

    def comparison(self, version: int, codes: tuple[str, ...] = (), options: Options = DEFAULT) -> list[ComparisonRow]:
        """Comparison rows of the regions (all, or ``codes``), best ecosystem score first."""
        if options == DEFAULT:
            store = self.store
            rows = self.cache.get(("comparison", store.url, version), lambda: self._stored(
                version, COMPARISON, ROWS.validate_json))
        else:
            rows = self.cache.get(("comparison", self.store.url, version, options),
                                  lambda: self._compare(version, options))
        return [row for row in rows if not codes or row.region in codes]

    def summaries(self, version: int) -> dict[str, dict[str, Any]]:
        """Every region's summary by code: its record, actor and tie counts, actors per sector, the latest
        internet figure and its comparison figures (empty until the comparison is ready)."""
        store = self.store
        try:
            return self.cache.get(("summaries", store.url, version),
                                  lambda: self._stored(version, SUMMARIES, json.loads, block=False))
        except AnalysisPending:
            return self.cache.get(("summaries-counts", store.url, version), lambda: self._summaries(version, {}))

    def what_if(self, version: int, region: str, options: Options, remove: tuple[str, ...],
                add: tuple[tuple[str, str], ...]) -> WhatIf:
        """The region's main figures before and after removing actors and adding ties (KeyError: unknown actor)."""
        store = self.store
        return self.cache.get(("what-if", store.url, version, region, options, remove, add), lambda: engine_what_if(
            collapse(subset(self.graph(version, region), options)), remove, add, options.k))

    def actor_recommendations(self, version: int, actor: Actor) -> list[Opportunity]:
        """The ties recommended for ``actor`` from its home region's analysis (the country's for a national or
        international actor), best first."""
        store = self.store

        def compute() -> list[Opportunity]:
            found = self.report(version, actor.region)
            simple = collapse(self.graph(version, actor.region))
            if actor.id not in simple:
                return []
            membership = {row.id: row.community for row in found.measures}
            constraint = {row.id: row.constraint for row in found.measures}
            gap_pairs = {frozenset(gap.subject.split("-")) for gap in found.gaps
                         if gap.kind == "weak_sector_pair" and gap.subject}
            return opportunities(simple, membership, constraint, gap_pairs, top=ACTOR_RECOMMENDATIONS,
                                 actor=actor.id)

        return self.cache.get(("actor-recommendations", store.url, version, actor.id), compute)

    def progress(self, version: int) -> tuple[int, int]:
        """How many of the stored parts of ``version``'s analysis are ready, and how many there are."""
        keys = {region_key(region.code) for region in self.regions(version)} | {COUNTRY, COMPARISON, SUMMARIES}
        return len(keys & self.store.analysis_keys(version)), len(keys)

    # -- computing and storing -------------------------------------------------------------------
    def refresh(self, progress: Progress | None = None, claim: Callable[[], bool] | None = None) -> bool:
        """Compute and store every part of the current version's analysis that is not stored yet.

        ``progress(done, total)`` is called after each part; ``claim()`` before each (renewing the job),
        stopping when it returns False. Returns True once everything is stored, False if the data
        changed meanwhile (nothing stale is kept) or the claim was lost.

        Once a part has taken more than ``pool_after`` seconds, the rest are computed by ``workers``
        processes, each over its own connection to the store (:func:`_compute_elsewhere`); small datasets
        never pay for starting them. Each part is computed the same way wherever it runs.
        """
        store = self.store
        version = store.version()
        if version == 0 or COMPLETE in store.analysis_keys(version):
            return True
        codes = [region.code for region in self.regions(version)]
        surveyed = published_assessment(store)
        survey = surveyed if surveyed.respondents else None
        reports: dict[str | None, RegionReport] = {}
        # the country, the largest part, right after the first: computed last, it kept one worker busy alone
        todo: list[str | None] = [*codes[:1], None, *codes[1:]]
        total = len(todo) + 3
        done = 0
        pool: ProcessPoolExecutor | None = None
        running: dict[Future[RegionReport | None], str | None] = {}
        try:
            while todo or running:
                while todo and len(running) < (self.workers if pool else 1):
                    region = self._next(todo)
                    if claim is not None and not claim():
                        return False
                    if pool is None:
                        started = time.perf_counter()
                        running[_done(self._compute_part(store, version, region, survey))] = region
                        if time.perf_counter() - started > self.pool_after and self.workers > 1 and todo:
                            pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
                    else:
                        running[pool.submit(_compute_elsewhere, store.url, version, region, survey)] = region
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in sorted(finished, key=lambda f: str(running[f])):
                    report = future.result()
                    if report is None:
                        return False
                    reports[running.pop(future)] = report
                    done += 1
                    if progress:
                        progress(done, total)
        finally:
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
        regions = self.regions(version)
        internet = latest(store.indicators())
        rows = ranked([comparison_row(region, reports[region.code], internet.get(region.code)) for region in regions])
        summaries = self._summaries(version, {row.region: row for row in rows})
        measures = _actor_measures(reports)
        for key, body in ((COMPARISON, _pack([row.model_dump(mode="json") for row in rows])),
                          (SUMMARIES, _pack(summaries))):
            if not store.save_analysis(version, key, body):
                return False
            done += 1
            if progress:
                progress(done, total)
        if not store.save_recommendations(version, published(reports)):  # kept for good (recommendation follow-up)
            return False
        if not store.save_measures(version, measures) or not store.save_analysis(version, COMPLETE, b""):
            return False
        if progress:
            progress(total, total)
        return True

    def _next(self, todo: list[str | None]) -> str | None:
        with self._lock:
            while self._wanted:
                wanted = self._wanted.pop(0)
                if wanted in todo:
                    todo.remove(wanted)
                    return wanted
        return todo.pop(0)

    def _compute_part(self, store: Store, version: int, region: str | None,
                      survey: Assessment | None = None) -> RegionReport | None:
        """A region's report and layout, and its derived parts: read from the store if kept, else computed and
        kept; None if the data changed meanwhile. ``survey``: the published survey answers, whose maturity
        and needs add gaps and opportunities."""
        key = region_key(region)
        kept = store.analysis_keys(version)
        missing = [name for name in self.derivers if region is not None and f"{name}:{key}" not in kept]
        body = store.load_analysis(version, key) if key in kept else None
        found = _analysed(_unpack(body)) if body is not None else None
        if found is not None and not missing:
            return found.report
        graph = store.graph(region)
        if graph.graph["version"] != version:
            return None
        started = time.perf_counter()
        if found is None:
            report = region_report(graph, DEFAULT, survey)
            positions, method = layout(graph)
            found = Analysed(report, positions, method)
            document = {"report": report.model_dump(mode="json"), "layout": method,
                        "positions": {node: list(xy) for node, xy in positions.items()}}
            if not store.save_analysis(version, key, _pack(document)):
                return None
        for name in missing:
            if not store.save_analysis(version, f"{name}:{key}", _pack(self.derivers[name](graph, found))):
                return None
        log.info("analysed %s of version %s in %.1f s", key, version, time.perf_counter() - started)
        return found.report

    def part(self, version: int, region: str, name: str) -> Any:
        """A part derived from a region's analysis by the deriver ``name`` (see :data:`DERIVERS`), as stored."""
        key = f"{name}:{region_key(region)}"
        store = self.store
        return self.cache.get(("part", store.url, version, key),
                              lambda: self._stored(version, key, json.loads, wanted=region))

    def _compare(self, version: int, options: Options) -> list[ComparisonRow]:
        internet = latest(self.store.indicators())
        return ranked([comparison_row(region, self.report(version, region.code, options), internet.get(region.code))
                       for region in self.regions(version)])

    def _summaries(self, version: int, rows: dict[str, ComparisonRow]) -> dict[str, dict[str, Any]]:
        store = self.store
        country = self.graph(version, None)
        sectors: Counter[tuple[str, str]] = Counter()
        for _, data in country.nodes(data=True):
            if data.get("region"):
                sectors[(data["region"], data["sector"])] += 1
        ties: Counter[str] = Counter()
        for source, target in country.edges():
            for home in {country.nodes[source].get("region"), country.nodes[target].get("region")} - {None}:
                ties[home] += 1
        internet = latest(store.indicators())
        found = {}
        for region in self.regions(version):
            counts = {sector: sectors[(region.code, sector)] for sector in SECTORS}
            figure = internet.get(region.code)
            row = rows.get(region.code)
            found[region.code] = {
                **region.model_dump(), "actors": sum(counts.values()), "ties": ties[region.code], "sectors": counts,
                "internet": {"value": figure.value, "period": figure.period, "unit": figure.unit,
                             "source": figure.source} if figure else None,
                "figures": {name: getattr(row, name) for name in SUMMARY_FIGURES} if row else {}}
        return found

    def national_internet(self, version: int) -> Any:
        """The latest country-wide internet figure (an Indicator), or None."""
        store = self.store
        return self.cache.get(("national-internet", store.url, version),
                              lambda: latest(store.indicators(NATIONAL)).get(NATIONAL))

    # -- waiting for stored results --------------------------------------------------------------
    def _stored(self, version: int, key: str, decode: Callable[[bytes], Any], wanted: str | None = None,
                block: bool = True) -> Any:
        """The stored part ``key`` of ``version``, decoded; waits up to ``wait`` seconds while it is computed,
        then raises AnalysisPending."""
        store = self.store
        deadline = time.monotonic() + (self.wait if block else 0.0)
        asked = False
        while True:
            body = store.load_analysis(version, key)
            if body is not None:
                return decode(_unpack(body))
            if not asked:
                self._ask(wanted, first=key.endswith(region_key(wanted)))
                asked = True
            if time.monotonic() >= deadline:
                ready, total = self.progress(version)
                raise AnalysisPending(version, ready, total)
            time.sleep(0.05)

    def _ask(self, region: str | None, first: bool) -> None:
        """Make sure the background job runs, computing ``region`` (None: the country) next if ``first``."""
        with self._lock:
            if first and region not in self._wanted:
                self._wanted.append(region)
        self.start()
        self._wake.set()

    # -- the background job ------------------------------------------------------------------------
    def start(self) -> None:
        """Run the background job (idempotent): keep the stored analysis up to date with the data."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="ecograph-analysis", daemon=True)
            self._thread.start()

    def changed(self) -> None:
        """Tell the background job that this process changed the data (it also polls every second)."""
        if self._thread is not None:
            self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._catch_up()
            except Exception:  # the store may be down for a while; the job tries again
                log.exception("background analysis failed; retrying")
            self._wake.wait(POLL)
            self._wake.clear()

    def _catch_up(self) -> None:
        """Compute the current version's analysis if it is missing and no other process is computing it."""
        store = self.store
        version = store.version()

        def claim() -> bool:
            return store.claim_analysis(version, self.owner, STALE_AFTER)

        if version and COMPLETE not in store.analysis_keys(version) and claim():
            self.refresh(claim=claim)


SUMMARY_FIGURES = ("score", "density", "fragmentation", "sector_coverage", "cross_sector_share", "national_ties",
                   "gaps_high", "gaps_medium", "gaps_low")


Deriver = Callable[[nx.MultiDiGraph, Analysed], Any]
"""Computes a JSON-able part from a region's graph and its analysis (a page's map, say), stored with it."""
DERIVERS = "ecograph.derived"
"""The entry-point group where installed packages offer derivers (``api`` offers the region pages' maps).

The core finds them at run time, so it never imports the layers above it."""


def _done(report: RegionReport | None) -> Future[RegionReport | None]:
    future: Future[RegionReport | None] = Future()
    future.set_result(report)
    return future


@cache
def _worker_service(location: str) -> tuple[Service, Store]:
    store = open_store(location)
    return Service(lambda: store), store


def _compute_elsewhere(location: str, version: int, region: str | None,
                       survey: Assessment | None) -> RegionReport | None:
    """:meth:`Service._compute_part` in a worker process of :meth:`Service.refresh`, over its own store connection
    (opened once per process from the location and the same settings)."""
    service, store = _worker_service(location)
    return service._compute_part(store, version, region, survey)


def installed_derivers() -> dict[str, Deriver]:
    return {point.name: point.load() for point in entry_points(group=DERIVERS)}


class StoredAnalysis(BaseModel):
    """How a region's analysis is kept: read back by pydantic straight from the JSON bytes (no Python dicts in
    between: a third of the time for a 7,000-actor region)."""

    report: RegionReport
    layout: str
    positions: dict[str, tuple[float, float]]


ROWS = TypeAdapter(list[ComparisonRow])


def _analysed(raw: bytes) -> Analysed:
    stored = StoredAnalysis.model_validate_json(raw)
    return Analysed(stored.report, stored.positions, stored.layout)


def _actor_measures(reports: dict[str | None, RegionReport]) -> dict[str, dict[str, float | int | None]]:
    """Each actor's measures from its home region's report; national and international actors' from the
    country's."""
    found: dict[str, dict[str, float | int | None]] = {}
    for row in reports[None].measures:
        found[row.id] = {name: getattr(row, name) for name in MEASURE_FIELDS}
    for region, report in reports.items():
        if region is not None:
            for row in report.measures:
                if row.local:
                    found[row.id] = {name: getattr(row, name) for name in MEASURE_FIELDS}
    return found
