"""One JSON error shape for every error: an RFC 9457 problem document (see :class:`api.schemas.Problem`).

Store errors map to statuses here (unreachable → 503, missing → 404, conflicting → 409), so the
routes just let them propagate.

Every sentence of a problem document (its ``detail`` and each ``errors[].message``) comes from the
``api`` message catalog (the stores' own from the ``store`` one), in the language of the request's
``Accept-Language`` header, Spanish unless English is preferred; the answer says which in
``Content-Language``. Routes raise :class:`ApiError` with a :class:`~ecograph.stores.base.Message` (a key
and its values), which is put into words only here, once the language is known.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

import apsw
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ecograph.i18n import DEFAULT, Message, Texts, in_words
from ecograph.model import ACTOR_ID, PARTIAL_DATE, REGION_CODE, TEXT, TIE_ID, WEBSITE, shown
from ecograph.service import AnalysisPending
from ecograph.stores import Conflict, NotFound, OutOfScope, StoreError, StoreUnavailable
from visuals.i18n import from_accept_language

__all__ = ["PROBLEM_JSON", "ApiError", "Counted", "Message", "NotModified", "field_errors", "install", "language",
           "problem", "summary"]

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("ecograph.api")

PATTERN_HINTS = {ACTOR_ID: "api.hint.actor_id", TIE_ID: "api.hint.tie_id", REGION_CODE: "api.hint.region_code",
                 PARTIAL_DATE: "api.hint.partial_date", TEXT: "api.hint.text", WEBSITE: "api.hint.website"}
"""How a value of each field pattern is written: message keys of the ``api`` catalog."""

PLAIN = {
    "int_parsing": "api.field.integer", "int_type": "api.field.integer", "int_from_float": "api.field.integer",
    "float_parsing": "api.field.number", "float_type": "api.field.number",
    "bool_parsing": "api.field.boolean", "bool_type": "api.field.boolean", "string_type": "api.field.string",
    "list_type": "api.field.list", "model_type": "api.field.object", "model_attributes_type": "api.field.object",
    "dict_type": "api.field.object",
}
"""Pydantic error types whose message needs no values, and its key."""

LIMITS = {"greater_than_equal": ("api.field.at_least", "ge"), "less_than_equal": ("api.field.at_most", "le"),
          "greater_than": ("api.field.above", "gt"), "less_than": ("api.field.below", "lt")}
COUNTS = {"string_too_short": ("api.field.short_text", "min_length"),
          "string_too_long": ("api.field.long_text", "max_length"),
          "too_short": ("api.field.few_items", "min_length"), "too_long": ("api.field.many_items", "max_length")}

FRAMEWORK_TEXTS = {"There was an error parsing the body": "api.body_unreadable"}
"""Details FastAPI and Starlette write themselves, and the message that says them."""


class Counted:
    """A plural message not yet put into words: said in any language in the form for ``count``."""

    def __init__(self, key: str, count: int, **values: object) -> None:
        self.key, self.count, self.values = key, count, values

    def text(self, lang: str = DEFAULT) -> str:
        return Texts(lang).plural(self.key, self.count, **{name: in_words(value, lang)
                                                           for name, value in self.values.items()})

    def __str__(self) -> str:
        return self.text()


class ApiError(StarletteHTTPException):
    """An error with a status, a detail, and optionally per-field errors and extension members.

    ``detail`` and each error's ``message`` are messages of the ``api`` catalog (a :class:`Message`, or
    anything with a ``text(lang)`` method), said in the request's language when the error is answered;
    ``self.detail`` holds the Spanish text.
    """

    def __init__(self, status: int, detail: Message | Any, errors: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(status, str(detail), headers)
        self.message = detail
        self.errors = errors or []
        self.extra = extra

    def text(self, lang: str = DEFAULT) -> str:
        """The detail in ``lang``."""
        return str(in_words(self.message, lang))


class NotModified(Exception):
    """The client's copy is current (If-None-Match matched): answer 304."""

    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers


def language(request: Request | None) -> str:
    """The language of the answer to ``request``: its Accept-Language header's, Spanish by default."""
    if request is None:
        return DEFAULT
    return from_accept_language(request.headers.get("accept-language", ""))


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
    """The HTTP status phrase (the problem's ``title``, as RFC 9457 has it; not translated)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(request: Request | None, status: int, detail: Message | Any, errors: list[dict[str, Any]] | None = None,
            headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    """The problem document, its detail and error messages said in the request's language (see :func:`language`)."""
    lang = language(request)
    said = [{**item, "message": in_words(item.get("message"), lang)} for item in errors or []]
    body = {"type": "about:blank", "title": title(status), "status": status, "detail": in_words(detail, lang),
            "instance": request.url.path if request is not None else None, "errors": said, **extra}
    response = JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)
    response.headers["Content-Language"] = lang
    response.headers.append("Vary", "Accept-Language")
    return response


def _choices(expected: str) -> str:
    """Pydantic's "'a', 'b' or 'c'" as "a, b, c" (its "or" is English)."""
    found = re.findall(r"'([^']*)'", expected)
    return ", ".join(found) if found else expected


def _message(item: dict[str, Any]) -> tuple[str | None, Any]:
    """The field a pydantic error names (when a whole-record check names it) and its message."""
    kind, ctx = item.get("type"), item.get("ctx") or {}
    error = ctx.get("error")
    if kind == "value_error" and callable(getattr(error, "text", None)):  # the model's own checks (model.Invalid)
        return getattr(error, "field", None), error
    if kind == "missing":
        return None, Message("api.field.missing")
    if kind == "extra_forbidden":
        return None, Message("api.field.extra")
    if kind == "string_pattern_mismatch":
        hint = Message(PATTERN_HINTS.get(ctx.get("pattern"), "api.hint.other"))
        return None, Message("api.field.pattern", value=shown(item.get("input")), hint=hint)
    if kind == "json_invalid":
        return None, Message("api.field.json", reason=ctx.get("error", item.get("msg", "")))
    if kind in ("literal_error", "enum"):
        return None, Message("api.field.choice", value=shown(item.get("input")),
                             allowed=_choices(str(ctx.get("expected", ""))))
    if kind in PLAIN:
        return None, Message(PLAIN[kind])
    if kind == "value_error" and "Expected UploadFile" in str(item.get("msg", "")):  # a form field that is no file
        return None, Message("api.field.file")
    if kind in LIMITS and LIMITS[kind][1] in ctx:
        key, name = LIMITS[kind]
        return None, Message(key, limit=ctx[name])
    if kind in COUNTS and isinstance(ctx.get(COUNTS[kind][1]), int):
        key, name = COUNTS[kind]
        return None, Counted(key, ctx[name])
    message = re.sub(r"^(Value|Assertion) error, ", "", str(item.get("msg", "invalid value")))
    # Model-level validators of other models name their field as "field: message".
    if match := re.match(r"^([a-z_]+): (.*)$", message):
        return match.group(1), match.group(2)
    return None, message  # a pydantic message this catalog does not have (in English)


def field_errors(items: list[Any], prefix: str | None = None) -> list[dict[str, Any]]:
    """Pydantic's error list as [{field, message}]: the field a dotted path, the message (from the ``api`` catalog, or
    the model's own check) without jargon, to be said in the request's language by :func:`problem`."""
    found = []
    for item in items:
        loc = [str(part) for part in item.get("loc", ())]
        named, message = _message(item)
        if named and (not loc or loc[-1] in ("body", "__root__")):
            loc = [*loc, named]
        if prefix:
            loc = [prefix, *loc]
        found.append({"field": ".".join(loc) or None, "message": message})
    return found


def summary(errors: list[dict[str, Any]], lang: str = DEFAULT) -> str:
    """The detail of an invalid request in ``lang``: its first problem, and how many more there are."""
    first = errors[0]
    said = in_words(first["message"], lang)
    problem_text = f"{first['field']}: {said}" if first["field"] else str(said)
    if len(errors) > 1:
        return Counted("api.invalid_more", len(errors) - 1, problem=problem_text).text(lang)
    return Message("api.invalid", problem=problem_text).text(lang)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem document."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Any:
        page = getattr(request.app.state, "error_page", None)
        if page is not None and not request.url.path.startswith("/api/") and request.url.path != "/health":
            answer = await page(request, error)  # the web pages may answer their own errors in HTML
            if answer is not None:
                return answer
        headers = getattr(error, "headers", None)
        detail: Any = error.detail if isinstance(error.detail, str) else title(error.status_code)
        if isinstance(error, ApiError):
            detail = error.message
        elif detail in FRAMEWORK_TEXTS:
            detail = Message(FRAMEWORK_TEXTS[detail])
        elif error.status_code == 404 and detail == "Not Found":
            detail = Message("api.no_such_address", path=shown(request.url.path, 200))
        if error.status_code == 405:
            allowed = allowed_methods(request)
            headers = {**(headers or {}), "Allow": ", ".join(allowed)}
            if detail == "Method Not Allowed":
                detail = Message("api.method_not_allowed", method=request.method, path=shown(request.url.path, 200),
                                 allowed=", ".join(allowed))
        return problem(request, error.status_code, detail, getattr(error, "errors", None),
                       headers=headers, **getattr(error, "extra", {}))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = field_errors(list(error.errors()))
        status = 422
        # A body that is not JSON at all is a malformed request, not an invalid one.
        if any(item.get("type") == "json_invalid" for item in error.errors()):
            status = 400
        return problem(request, status, summary(errors, language(request)) if errors
                       else Message("api.invalid_request"), errors)

    @app.exception_handler(ValidationError)
    async def invalid_record(request: Request, error: ValidationError) -> JSONResponse:
        errors = field_errors(list(error.errors()), prefix="body")
        return problem(request, 422, summary(errors, language(request)) if errors
                       else Message("api.invalid_record"), errors)

    @app.exception_handler(NotModified)
    async def not_modified(request: Request, error: NotModified) -> JSONResponse:
        from starlette.responses import Response

        return Response(status_code=304, headers=error.headers)  # type: ignore[return-value]

    @app.exception_handler(StoreUnavailable)
    async def store_down(request: Request, error: StoreUnavailable) -> JSONResponse:
        request.app.state.stores.reset()
        log.warning("store unavailable: %s", error)
        return problem(request, 503, Message("api.store.unreachable", reason=error), headers={"Retry-After": "5"})

    @app.exception_handler(apsw.Error)
    async def sqlite_error(request: Request, error: apsw.Error) -> JSONResponse:
        request.app.state.stores.reset()
        log.warning("store error: %s", error)
        return problem(request, 503, Message("api.store.failed", reason=str(error)), headers={"Retry-After": "5"})

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> JSONResponse:
        return problem(request, 404, error)

    @app.exception_handler(OutOfScope)
    async def out_of_scope(request: Request, error: OutOfScope) -> JSONResponse:
        return problem(request, 403, Message("api.out_of_scope", reason=error),
                       errors=[{"field": None, "message": item} for item in error.items[:100]])

    @app.exception_handler(AnalysisPending)
    async def pending(request: Request, error: AnalysisPending) -> JSONResponse:
        return problem(request, 202, Message("api.analysis_pending", version=error.version, ready=error.ready,
                                             total=error.total),
                       headers={"Retry-After": str(error.retry_after)}, ready=error.ready, total=error.total)

    @app.exception_handler(Conflict)
    async def conflict(request: Request, error: Conflict) -> JSONResponse:
        return problem(request, 409, error)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, error: StoreError) -> JSONResponse:
        return problem(request, 503, Message("api.store.unusable", reason=error), headers={"Retry-After": "5"})

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
            return problem(request, 503, Message("api.store.driver_unreachable", kind=type(error).__name__),
                           headers={"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def crash(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem(request, 500, Message("api.crash"))
