"""Regions: the list with their figures, and one region with its indicators."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from api import graphs
from api.deps import ServiceDep, VersionDep
from api.errors import ApiError, Message
from api.routers.common import READ_ERRORS, errors, json_bytes
from api.schemas import RegionDetail, RegionList
from ecograph.model import Region, shown
from ecograph.service import Service

router = APIRouter(tags=["regions"])
CodePath = Annotated[str, Path(description="INEI region code, e.g. 06 (Cajamarca); 15a/15b for Lima",
                               examples=["06"], max_length=10)]


def known(service: Service, version: int, code: str, field: str = "path.code") -> Region:
    """The region with this code; 404 if there is none. Cheap: reads the region list only."""
    region = service.region(version, code)
    if region is None:
        raise ApiError(404, Message("api.region.unknown", code=shown(code)),
                       errors=[{"field": field, "message": Message("api.region.unknown_field")}])
    return region


@router.get("/regions", response_model=RegionList, responses=errors(*READ_ERRORS),
            summary="Every region, with its counts and comparison figures")
def list_regions(request: Request, service: ServiceDep, version: VersionDep) -> Response:
    """Each region with its actor and tie counts, actors per sector, the latest share of households with
    internet, and the analysis engine's comparison figures (empty while the analysis is computed)."""
    summaries = service.summaries(version)
    body = graphs.dumps({"dataset_version": version, "regions": list(summaries.values())})
    return json_bytes(body, request)


@router.get("/regions/{code}", response_model=RegionDetail, responses=errors(*READ_ERRORS, 404),
            summary="One region, with its indicators")
def get_region(code: CodePath, service: ServiceDep, version: VersionDep) -> dict[str, Any]:
    """The region's summary (as in the list) and every indicator published for it."""
    known(service, version, code)
    return {"dataset_version": version, "region": service.summaries(version)[code],
            "indicators": service.store.indicators(code)}
