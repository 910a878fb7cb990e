"""What the routers share: parameters, the region check, documented error responses, JSON answers as stored bytes,
pagination. Routers import this module and no other router."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Path, Query, Request
from fastapi.responses import Response

from api.errors import ApiError, Message
from api.schemas import CapabilityName, Problem, SectorName, StatusName
from api.stored import replayable, stored
from ecograph.model import Region, shown
from ecograph.service import Service

T = TypeVar("T")

DESCRIPTIONS = {
    400: "Malformed request: an unknown query parameter, a body that is not JSON, an unsupported upload",
    401: "No token, or an unknown or revoked one (writes, and reads when the service needs tokens for reads)",
    403: "The token may not do this: a reader writing, or an editor outside its regions",
    404: "No such region, actor or collaboration",
    409: "The write conflicts with the stored data (an id that exists, a tie to a missing actor)",
    413: "The body or upload is larger than the service accepts",
    422: "A value is invalid; errors lists each field and why",
    503: "The data store cannot be reached; the service keeps running, try again shortly",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses for these error statuses (plus 503), all the problem document."""
    return {status: {"model": Problem, "description": DESCRIPTIONS[status]} for status in sorted({*statuses, 503})}


READ_ERRORS = (400, 401, 422)


def json_bytes(request: Request, service: Service, key: tuple[Hashable, ...], build: Callable[[], bytes]) -> Response:
    """The JSON ``build()`` serialises, once per ``key`` (which holds the dataset version), as stored bytes
    (:func:`api.stored.stored`: gzip-compressed once for a client that accepts it), with the conditional-request
    headers set by :func:`api.deps.conditional`; the answer depends on its address and the version only, so
    :class:`api.stored.Replay` answers the next request for that address from memory.

    Cost when warm: a cache look-up; then, replayed, not even that.
    """
    body, compressed = stored(request, service, key, build)
    headers = dict(getattr(request.state, "etag_headers", {}))
    if compressed:
        headers |= {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
    replayable(request)
    return Response(body, media_type="application/json", headers=headers)


def paginate(items: Sequence[T], page: int, per_page: int) -> tuple[list[T], int]:
    pages = max(1, math.ceil(len(items) / per_page))
    if page > pages:
        raise ApiError(404, Message("api.page.past_last", page=page, pages=pages),
                       errors=[{"field": "query.page", "message": Message("api.page.last", pages=pages)}])
    start = (page - 1) * per_page
    return list(items[start:start + per_page]), pages


def link_header(request: Request, page: int, pages: int) -> str:
    links = []
    for rel, number in (("first", 1), ("prev", page - 1), ("next", page + 1), ("last", pages)):
        if 1 <= number <= pages:
            links.append(f'<{request.url.include_query_params(page=number)}>; rel="{rel}"')
    return ", ".join(links)


CodePath = Annotated[str, Path(description="INEI region code, e.g. 06 (Cajamarca); 15a/15b for Lima",
                               examples=["06"], max_length=10)]
SectorFilter = Annotated[list[SectorName], Query(
    description="keep only actors of these sectors (repeat the parameter for several)")]
CapabilityFilter = Annotated[list[CapabilityName], Query(
    description="keep only actors with at least one of these capabilities (repeat for several)")]
StatusFilter = Annotated[list[StatusName], Query(description="keep only ties of these statuses (repeat for several)")]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000, description="page number, from 1")]
PerPage = Annotated[int, Query(ge=1, le=500, description="items per page")]
WRITE_ERRORS = (400, 401, 403, 409, 413, 422)


def known(service: Service, version: int, code: str, field: str = "path.code") -> Region:
    """The region with this code; 404 if there is none. Cheap: reads the region list only."""
    region = service.region(version, code)
    if region is None:
        raise ApiError(404, Message("api.region.unknown", code=shown(code)),
                       errors=[{"field": field, "message": Message("api.region.unknown_field")}])
    return region
