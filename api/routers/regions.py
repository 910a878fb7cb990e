"""Regions: the list with their figures, and one region with its indicators."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from api import analysis, graphs
from api.cache import ComputeCache
from api.deps import CacheDep, StoreDep, VersionDep
from api.errors import ApiError
from api.routers.common import READ_ERRORS, errors, json_bytes
from api.schemas import RegionDetail, RegionList
from ecograph.model import SECTORS, Indicator
from ecograph.stores import Store

router = APIRouter(tags=["regions"])
INTERNET = "households_with_internet"
CodePath = Annotated[str, Path(description="INEI region code, e.g. 06 (Cajamarca); 15a/15b for Lima",
                               examples=["06"], max_length=10)]


def latest(indicators: list[Indicator], name: str = INTERNET) -> dict[str, Indicator]:
    """The most recent published (non-empty) total figure of ``name`` per region."""
    found: dict[str, Indicator] = {}
    for item in sorted(indicators, key=lambda i: i.period):
        if item.indicator == name and item.area == "total" and item.value is not None:
            found[item.region] = item
    return found


def summaries(cache: ComputeCache, store: Store, version: int) -> dict[str, dict[str, Any]]:
    """Every region's summary (counts, internet access, comparison figures) by code, once per version."""

    def compute() -> dict[str, dict[str, Any]]:
        country = graphs.graph(cache, store, version, None)
        sectors: Counter[tuple[str, str]] = Counter()
        for _, data in country.nodes(data=True):
            if data.get("region"):
                sectors[(data["region"], data["sector"])] += 1
        ties: Counter[str] = Counter()
        for source, target in country.edges():
            for home in {country.nodes[source].get("region"), country.nodes[target].get("region")} - {None}:
                ties[home] += 1
        internet = latest(store.indicators())
        figures = analysis.comparison_figures(cache, store, version)
        found = {}
        for region in store.regions():
            counts = {sector: sectors[(region.code, sector)] for sector in SECTORS}
            figure = internet.get(region.code)
            found[region.code] = {
                **region.model_dump(), "actors": sum(counts.values()), "ties": ties[region.code], "sectors": counts,
                "internet": {"value": figure.value, "period": figure.period, "unit": figure.unit,
                             "source": figure.source} if figure else None,
                "figures": figures.get(region.code, {})}
        return found

    return cache.get(("regions", store.url, version), compute)


def known(cache: ComputeCache, store: Store, version: int, code: str, field: str = "path.code") -> dict[str, Any]:
    """The region's summary; 404 if there is no such region."""
    found = summaries(cache, store, version)
    if code not in found:
        raise ApiError(404, f"no region {code!r}; GET /api/v1/regions lists the codes",
                       errors=[{"field": field, "message": "unknown region code"}])
    return found[code]


@router.get("/regions", response_model=RegionList, responses=errors(*READ_ERRORS),
            summary="Every region, with its counts and comparison figures")
def list_regions(request: Request, store: StoreDep, cache: CacheDep, version: VersionDep) -> Response:
    """Each region with its actor and tie counts, actors per sector, the latest share of households with
    internet, and the analysis engine's comparison figures."""
    body = cache.get(("regions-json", store.url, version), lambda: graphs.dumps(
        {"dataset_version": version, "regions": list(summaries(cache, store, version).values())}))
    return json_bytes(body, request)


@router.get("/regions/{code}", response_model=RegionDetail, responses=errors(*READ_ERRORS, 404),
            summary="One region, with its indicators")
def get_region(code: CodePath, store: StoreDep, cache: CacheDep, version: VersionDep) -> dict[str, Any]:
    """The region's summary (as in the list) and every indicator published for it."""
    region = known(cache, store, version, code)
    return {"dataset_version": version, "region": region, "indicators": store.indicators(code)}
