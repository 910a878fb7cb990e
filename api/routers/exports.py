"""Exports: the dataset (csv as a zip, xlsx, json), its graph (graphml, gexf) or the graph as Cytoscape.js JSON
(cytoscape, the document ``/graph?format=cytoscape`` serves), whole or for one region."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api import graphs
from api.deps import ServiceDep, StoreDep, VersionDep
from api.routers.common import READ_ERRORS, errors, known
from ecograph.service import Service
from ecograph.writers import GRAPH_FORMATS, export_bytes

router = APIRouter(tags=["exports"])
MEDIA_TYPES = {
    "csv": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "cytoscape": "application/json",
}
SUFFIXES = {"csv": "zip", "xlsx": "xlsx", "json": "json", "graphml": "graphml", "gexf": "gexf",
            "cytoscape": "cytoscape.json"}


def render(store: StoreDep, service: Service, format: str, region: str | None, version: int) -> bytes:
    if format == "cytoscape":  # the graph endpoint's document, byte for byte
        return graphs.dumps(graphs.cytoscape(graphs.payload(service.prepared(version, region), graphs.Filters())))
    graph = store.graph(region) if format in GRAPH_FORMATS else None
    return export_bytes(store.dataset(region), graph, format)


@router.get("/export", response_class=Response, summary="Download the data",
            responses={200: {"description": "The file, as an attachment",
                             "content": {media: {"schema": {"type": "object", "description": "json: the "
                                                            "dataset (regions, indicators, actors, collaborations); "
                                                            "cytoscape: the graph as Cytoscape.js JSON (see "
                                                            "CytoscapeGraph)"}
                                                 if media == "application/json" else
                                                 {"type": "string", "format": "binary"}}
                                         for media in dict.fromkeys(MEDIA_TYPES.values())}},
                       **errors(*READ_ERRORS, 404)})
def export_data(
    request: Request, store: StoreDep, service: ServiceDep, version: VersionDep,
    format: Annotated[Literal["csv", "xlsx", "json", "graphml", "gexf", "cytoscape"], Query(
        description="csv (a zip of the four tables), xlsx and json hold the whole dataset and import back "
                    "identically; graphml and gexf (GEXF 1.2) hold the graph for network tools (Gephi, yEd, "
                    "networkx) and import back identically too; cytoscape is the graph as Cytoscape.js JSON, the "
                    "same document as /graph?format=cytoscape")] = "csv",
    region: Annotated[str | None, Query(max_length=10, description="only this region's actors, their ties and "
                                        "partners", examples=["06"])] = None,
) -> Response:
    """The stored data as a file, like ``ecograph export``."""
    if region is not None:
        known(service, version, region, "query.region")
    body = service.cache.get(("export", store.url, version, format, region),
                             lambda: render(store, service, format, region, version))
    name = f"ecograph-v{version}{'-' + region if region else ''}.{SUFFIXES[format]}"
    headers = {**getattr(request.state, "etag_headers", {}), "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=MEDIA_TYPES[format], headers=headers)
