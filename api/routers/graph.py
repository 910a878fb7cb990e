"""Graphs of a region or the whole country, as node-link or Cytoscape.js JSON."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api import graphs
from api.deps import ServiceDep, VersionDep
from api.routers.common import (
    READ_ERRORS,
    CapabilityFilter,
    CodePath,
    SectorFilter,
    StatusFilter,
    errors,
    json_bytes,
    known,
)
from api.schemas import CytoscapeGraph, NodeLinkGraph
from ecograph.model import PARTIAL_DATE
from ecograph.service import Service

router = APIRouter(tags=["graphs"])

GraphFormat = Annotated[Literal["node-link", "cytoscape"], Query(
    description="node-link (networkx) or cytoscape (Cytoscape.js elements)")]
Recommended = Annotated[bool, Query(description="also include the ties the analysis recommends creating "
                                                "(edges with recommended: true)")]
AsOf = Annotated[str | None, Query(pattern=PARTIAL_DATE, description="only the actors and ties in force on this date "
                                   "(YYYY, YYYY-MM or YYYY-MM-DD; a tie without a start date counts from the "
                                   "beginning: the rule is stated in graph.as_of_rule)", examples=["2021"])]
GRAPH_RESPONSES = {200: {"description": "The graph: node-link JSON, or Cytoscape.js JSON with format=cytoscape",
                         "content": {"application/json": {"schema": {"anyOf": [
                             {"$ref": "#/components/schemas/NodeLinkGraph"},
                             {"$ref": "#/components/schemas/CytoscapeGraph"}]}}}}}


def answer(request: Request, service: Service, version: int, region: str | None, format: str,
           sector: list[str], capability: list[str], status: list[str], recommended: bool,
           as_of: str | None = None) -> Response:
    filters = graphs.Filters(frozenset(sector), frozenset(capability), frozenset(status), recommended, as_of)

    def compute() -> bytes:
        document = graphs.payload(service.prepared(version, region), filters)
        return graphs.dumps(graphs.cytoscape(document) if format == "cytoscape" else document)

    return json_bytes(request, service, ("graph-json", service.store.url, version, region, format, filters.key()),
                      compute)


@router.get("/regions/{code}/graph", response_model=None, responses={**GRAPH_RESPONSES,
            **errors(*READ_ERRORS, 404)}, summary="A region's graph")
def region_graph(request: Request, code: CodePath, service: ServiceDep, version: VersionDep,
                 format: GraphFormat = "node-link", sector: SectorFilter = [],  # noqa: B006 - FastAPI copies it
                 capability: CapabilityFilter = [], status: StatusFilter = [],  # noqa: B006
                 recommended: Recommended = False, as_of: AsOf = None) -> Response:
    """The region's actors, every tie touching them and the partners at their far end (``local: false``),
    with every attribute, the per-actor measures, the community and a seeded layout position."""
    known(service, version, code)
    return answer(request, service, version, code, format, sector, capability, status, recommended, as_of)


@router.get("/graph", response_model=None, responses={**GRAPH_RESPONSES, **errors(*READ_ERRORS)},
            summary="The whole country's graph")
def country_graph(request: Request, service: ServiceDep, version: VersionDep,
                  format: GraphFormat = "node-link", sector: SectorFilter = [],  # noqa: B006
                  capability: CapabilityFilter = [], status: StatusFilter = [],  # noqa: B006
                  recommended: Recommended = False, as_of: AsOf = None) -> Response:
    """Every actor and tie, as for a region."""
    return answer(request, service, version, None, format, sector, capability, status, recommended, as_of)


SCHEMAS = (NodeLinkGraph, CytoscapeGraph)  # registered in the OpenAPI document by api.main
