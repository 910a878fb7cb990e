"""Regions: the list with their figures, and one region with its indicators."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api import graphs
from api.deps import ServiceDep, VersionDep
from api.routers.common import READ_ERRORS, CodePath, errors, known
from api.schemas import RegionDetail, RegionList

router = APIRouter(tags=["regions"])



@router.get("/regions", response_model=RegionList, responses=errors(*READ_ERRORS),
            summary="Every region, with its counts and comparison figures")
def list_regions(request: Request, service: ServiceDep, version: VersionDep) -> Response:
    """Each region with its actor and tie counts, actors per sector, the latest share of households with
    internet, and the analysis engine's comparison figures (empty while the analysis is computed)."""
    summaries = service.summaries(version)  # its figures come in later in a version: serialised each time, not kept
    return Response(graphs.dumps({"dataset_version": version, "regions": list(summaries.values())}),
                    media_type="application/json", headers=request.state.etag_headers)


@router.get("/regions/{code}", response_model=RegionDetail, responses=errors(*READ_ERRORS, 404),
            summary="One region, with its indicators")
def get_region(code: CodePath, service: ServiceDep, version: VersionDep) -> dict[str, Any]:
    """The region's summary (as in the list) and every indicator published for it."""
    known(service, version, code)
    return {"dataset_version": version, "region": service.summaries(version)[code],
            "indicators": service.store.indicators(code)}
