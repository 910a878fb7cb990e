"""What the routers share: documented error responses, JSON responses of cached bytes, pagination."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import Response

from api.errors import ApiError, Message
from api.schemas import Problem

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


def json_bytes(body: bytes, request: Request, status_code: int = 200) -> Response:
    """Pre-serialised JSON, with the conditional-request headers set by :func:`api.deps.conditional`."""
    return Response(body, status_code=status_code, media_type="application/json",
                    headers=getattr(request.state, "etag_headers", None))


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
