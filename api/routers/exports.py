"""Exports: the dataset (csv as a zip, xlsx, json) or its graph (graphml, gexf), whole or for one region."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.deps import ServiceDep, StoreDep, VersionDep
from api.routers.common import READ_ERRORS, errors, known
from ecograph.writers import DATASET_FORMATS, export

router = APIRouter(tags=["exports"])
MEDIA_TYPES = {
    "csv": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
}
SUFFIXES = {"csv": "zip", "xlsx": "xlsx", "json": "json", "graphml": "graphml", "gexf": "gexf"}


def render(store: StoreDep, format: str, region: str | None, version: int) -> bytes:
    dataset = store.dataset(region)
    graph = store.graph(region) if format not in DATASET_FORMATS else None
    with tempfile.TemporaryDirectory(prefix="ecograph-export-") as folder:
        target = Path(folder) / ("dataset" if format == "csv" else f"dataset.{format}")
        written = export(dataset, graph, target, format)
        if format != "csv":
            return target.read_bytes()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in written:
                archive.write(path, path.name)
        return buffer.getvalue()


@router.get("/export", response_class=Response, summary="Download the data",
            responses={200: {"description": "The file, as an attachment",
                             "content": {media: {"schema": {"type": "object", "description": "the dataset: "
                                                            "regions, indicators, actors and collaborations"}
                                                 if media == "application/json" else
                                                 {"type": "string", "format": "binary"}}
                                         for media in dict.fromkeys(MEDIA_TYPES.values())}},
                       **errors(*READ_ERRORS, 404)})
def export_data(
    request: Request, store: StoreDep, service: ServiceDep, version: VersionDep,
    format: Annotated[Literal["csv", "xlsx", "json", "graphml", "gexf"], Query(
        description="csv (a zip of the four tables), xlsx and json hold the whole dataset and import back "
                    "identically; graphml and gexf hold the graph for network tools")] = "csv",
    region: Annotated[str | None, Query(max_length=10, description="only this region's actors, their ties and "
                                        "partners", examples=["06"])] = None,
) -> Response:
    """The stored data as a file, like ``ecograph export``."""
    if region is not None:
        known(service, version, region, "query.region")
    body = service.cache.get(("export", store.url, version, format, region),
                             lambda: render(store, format, region, version))
    name = f"ecograph-v{version}{'-' + region if region else ''}.{SUFFIXES[format]}"
    headers = {**getattr(request.state, "etag_headers", {}), "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=MEDIA_TYPES[format], headers=headers)
