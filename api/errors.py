"""One JSON error shape for every error: an RFC 9457 problem document (see :class:`api.schemas.Problem`).

Store errors map to statuses here (unreachable → 503, missing → 404, conflicting → 409), so the
routes just let them propagate.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ecograph.service import AnalysisPending
from ecograph.stores import Conflict, NotFound, OutOfScope, StoreError, StoreUnavailable

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("ecograph.api")


class ApiError(StarletteHTTPException):
    """An error with a status, a detail, and optionally per-field errors and extension members."""

    def __init__(self, status: int, detail: str, errors: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(status, detail, headers)
        self.errors = errors or []
        self.extra = extra


class NotModified(Exception):
    """The client's copy is current (If-None-Match matched): answer 304."""

    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers


def allowed_methods(request: Request) -> list[str]:
    """Every method some route takes on the request's path (Starlette's own Allow names only the first route's)."""
    table = getattr(request.app.state, "allowed_methods", None)
    if table is None:
        table = []
        for path, operations in request.app.openapi().get("paths", {}).items():
            pattern = re.compile("^" + re.sub(r"\\{[^}/]+\\}", "[^/]+", re.escape(path)) + "$")
            table.append((pattern, {method.upper() for method in operations}))
        request.app.state.allowed_methods = table
    return sorted(set().union(*(methods for pattern, methods in table if pattern.match(request.url.path))))


def title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(request: Request | None, status: int, detail: str, errors: list[dict[str, Any]] | None = None,
            headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title(status), "status": status, "detail": detail,
            "instance": request.url.path if request is not None else None, "errors": errors or [], **extra}
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def field_errors(items: list[Any], prefix: str | None = None) -> list[dict[str, Any]]:
    """Pydantic's error list as [{field, message}]: the field a dotted path, the message without jargon."""
    found = []
    for item in items:
        loc = [str(part) for part in item.get("loc", ())]
        message = re.sub(r"^(Value|Assertion) error, ", "", str(item.get("msg", "invalid value")))
        # Model-level validators of the core models name their field as "field: message".
        if (match := re.match(r"^([a-z_]+): (.*)$", message)) and (not loc or loc[-1] in ("body", "__root__")):
            loc, message = [*loc, match.group(1)], match.group(2)
        if prefix:
            loc = [prefix, *loc]
        if item.get("type") == "missing":
            message = "required; fill it in"
        elif item.get("type") == "extra_forbidden":
            message = "unknown field; remove it"
        elif item.get("type") == "string_pattern_mismatch":
            from api.schemas import PATTERN_HINTS

            hint = PATTERN_HINTS.get(item.get("ctx", {}).get("pattern"), "it does not have the expected form")
            message = f"{item.get('input')!r} is not valid: {hint}"
        elif item.get("type") == "json_invalid":
            message = f"not valid JSON: {item.get('ctx', {}).get('error', message)}"
        found.append({"field": ".".join(loc) or None, "message": message})
    return found


def summary(errors: list[dict[str, Any]]) -> str:
    first = errors[0]
    where = f"{first['field']}: " if first["field"] else ""
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"invalid request: {where}{first['message']}{more}"


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem document."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Any:
        page = getattr(request.app.state, "error_page", None)
        if page is not None and not request.url.path.startswith("/api/") and request.url.path != "/health":
            return await page(request, error)  # the web pages answer their own errors in HTML
        detail = error.detail if isinstance(error.detail, str) else title(error.status_code)
        if error.status_code == 404 and detail == "Not Found":
            detail = f"no such address {request.url.path!r}; see /docs for the API"
        headers = getattr(error, "headers", None)
        if error.status_code == 405:
            allowed = allowed_methods(request)
            headers = {**(headers or {}), "Allow": ", ".join(allowed)}
            if detail == "Method Not Allowed":
                detail = f"{request.method} is not allowed on {request.url.path}; it takes {', '.join(allowed)}"
        return problem(request, error.status_code, detail, getattr(error, "errors", None),
                       headers=headers, **getattr(error, "extra", {}))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = field_errors(list(error.errors()))
        status = 422
        # A body that is not JSON at all is a malformed request, not an invalid one.
        if any(item.get("type") == "json_invalid" for item in error.errors()):
            status = 400
        return problem(request, status, summary(errors) if errors else "invalid request", errors)

    @app.exception_handler(ValidationError)
    async def invalid_record(request: Request, error: ValidationError) -> JSONResponse:
        errors = field_errors(list(error.errors()), prefix="body")
        return problem(request, 422, summary(errors) if errors else "invalid record", errors)

    @app.exception_handler(NotModified)
    async def not_modified(request: Request, error: NotModified) -> JSONResponse:
        from starlette.responses import Response

        return Response(status_code=304, headers=error.headers)  # type: ignore[return-value]

    @app.exception_handler(StoreUnavailable)
    async def store_down(request: Request, error: StoreUnavailable) -> JSONResponse:
        request.app.state.stores.reset()
        log.warning("store unavailable: %s", error)
        return problem(request, 503, f"the data store cannot be reached: {error}. The service keeps running; "
                       "try again shortly.", headers={"Retry-After": "5"})

    @app.exception_handler(sqlite3.Error)
    async def sqlite_error(request: Request, error: sqlite3.Error) -> JSONResponse:
        request.app.state.stores.reset()
        log.warning("store error: %s", error)
        return problem(request, 503, f"the data store failed ({error}). The service keeps running; "
                       "try again shortly.", headers={"Retry-After": "5"})

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> JSONResponse:
        return problem(request, 404, str(error))

    @app.exception_handler(OutOfScope)
    async def out_of_scope(request: Request, error: OutOfScope) -> JSONResponse:
        return problem(request, 403, f"this editor token may write only in its regions; {error}",
                       errors=[{"field": None, "message": item} for item in error.refused[:100]])

    @app.exception_handler(AnalysisPending)
    async def pending(request: Request, error: AnalysisPending) -> JSONResponse:
        return problem(request, 202, f"the analysis of dataset version {error.version} is being computed "
                       f"({error.ready} of {error.total} parts ready); ask again in a few seconds",
                       headers={"Retry-After": str(error.retry_after)}, ready=error.ready, total=error.total)

    @app.exception_handler(Conflict)
    async def conflict(request: Request, error: Conflict) -> JSONResponse:
        return problem(request, 409, str(error))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, error: StoreError) -> JSONResponse:
        return problem(request, 503, f"the data store is not usable: {error}", headers={"Retry-After": "5"})

    try:  # the Neo4j driver's own errors, should the store let one through
        from neo4j.exceptions import DriverError, ServiceUnavailable, SessionExpired
    except ImportError:  # pragma: no cover - the driver is a dependency
        pass
    else:
        @app.exception_handler(ServiceUnavailable)
        @app.exception_handler(SessionExpired)
        @app.exception_handler(DriverError)
        async def neo4j_down(request: Request, error: Exception) -> JSONResponse:
            log.warning("neo4j unavailable: %s", error)
            return problem(request, 503, f"the data store cannot be reached ({type(error).__name__}). The "
                           "service keeps running; try again shortly.", headers={"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def crash(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem(request, 500, "an unexpected error; it has been logged")
