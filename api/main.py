"""The web service: :func:`create_app` builds the FastAPI app that ``ecograph serve`` runs.

Extend it like any FastAPI app (``app.include_router(...)``, ``app.mount(...)``); the web pages
are added that way. Routes under ``/api/v1`` reject unknown query parameters, answer errors as
problem documents and, for reads, support ETag / If-None-Match.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import fastapi_offline
from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

from api import errors, survey_pages
from api.deps import StoreProvider, bearer, public_read, reject_unknown_query
from api.middleware import BodyLimit, NoSniff, StorePerRequest
from api.pages import assets_router, error_page, install_sign_in, mount_static, sign_in_router
from api.pages import router as pages_router
from api.routers import actors, analysis, campaigns, collaborations, exports, graph, history, imports, meta, regions
from api.schemas import CytoscapeGraph, NodeLinkGraph
from api.sessions import document_reader
from api.settings import APP_VERSION, ApiSettings
from api.stored import GZIP_LEVEL, GZIP_MINIMUM, Replay
from api.tokens import Principal
from ecograph.service import Service
from ecograph.stores import Store
from visuals.assets import asset
from visuals.render import compile_templates

PREFIX = "/api/v1"
DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"
"""Swagger UI (Apache-2.0) and ReDoc (MIT), as the fastapi-offline package (MIT) ships them: /docs and /redoc load
nothing from outside the app (their licenses: docs/web.md, "API documentation")."""
DOCS_ASSETS_URL = "/docs-assets"
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
"""The one address ReDoc's script loads from outside (the Redocly logo under its menu, which it always draws)."""
DESCRIPTION = """
The digital ecosystems of Peru's regions as a network of actors (universities, ministries, companies,
NGOs, international agencies ...) and their collaborations, with the analysis of each region's
structure, gaps and opportunities.

* **Versions.** Every change to the data increases the *dataset version*. Every read answer carries it
  (`dataset_version`, and the `X-Dataset-Version` header) and an `ETag`: send it back in
  `If-None-Match` to get `304 Not Modified` while nothing changed. Analyses are computed once per
  dataset version and stored; while a new version is being analysed, analysis answers are
  `202 Accepted` with `Retry-After` (ask again then).
* **Tokens.** Reads are public unless the service is configured otherwise; writes need
  `Authorization: Bearer <token>`, from `ecograph token create --role admin|editor [--region CODE ...]`.
  An editor writes only in its regions.
* **Errors** are all one shape, an RFC 9457 problem document (`application/problem+json`):
  `status`, `title`, `detail` and `errors` (`field`, `message`) for each invalid field.
* **Unknown query parameters** are refused (400), so a typo never silently changes an answer.
"""
TAGS = [
    {"name": "regions", "description": "Regions with their figures"},
    {"name": "graphs", "description": "Networks of actors and ties, ready to draw"},
    {"name": "analysis", "description": "Structure, gaps, opportunities and convening sets"},
    {"name": "actors", "description": "Organisations of the ecosystems"},
    {"name": "collaborations", "description": "Ties between actors"},
    {"name": "exports", "description": "The data as files"},
    {"name": "import", "description": "Loading datasets"},
    {"name": "meta", "description": "Health and versions"},
    {"name": "history", "description": "Dataset versions, regions as of a date, changes and recommendation follow-up"},
]
API_ROUTERS = (regions.router, graph.router, analysis.router, actors.router, collaborations.router, exports.router,
               imports.router, meta.router, campaigns.router, history.router)


def create_app(settings: ApiSettings | None = None,
               opener: Callable[[str, ApiSettings], Store] | None = None) -> FastAPI:
    """The app serving the store of ``settings`` (default: from the environment).

    ``opener`` replaces :func:`ecograph.stores.open_store` (tests use it to simulate outages).

    Outside ``/api/``, HTTP errors (404, 405 ...) go first to ``app.state.error_page``
    (:func:`api.pages.error_page`: a browser asking for an address that does not exist gets the
    not-found page); whatever it leaves (None), and the API always, answer problem documents.
    """
    settings = settings or ApiSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        compile_templates()
        if settings.analyse_in_background:
            app.state.service.start()
        yield
        app.state.service.stop()
        app.state.stores.close()

    # When reads need a token, the documentation (it describes the data) is served behind one too, below.
    public_docs = not settings.read_token_required
    app = FastAPI(title="ecograph API", version=APP_VERSION, description=DESCRIPTION, openapi_tags=TAGS,
                  lifespan=lifespan, openapi_url="/openapi.json" if public_docs else None, docs_url=None,
                  redoc_url=None)
    app.state.settings = settings
    app.state.stores = StoreProvider(settings, opener)
    app.state.service = Service(app.state.stores.get, settings.cache_entries, settings.analysis_wait,
                                workers=settings.analysis_workers or None)
    app.state.error_page = error_page
    errors.install(app)

    read = public_read if not settings.read_token_required else session_read
    api = APIRouter(prefix=PREFIX, dependencies=[Depends(reject_unknown_query), Depends(read)])
    for router in API_ROUTERS:
        api.include_router(router)
    api.add_api_route("", index, methods=["GET"], tags=["meta"], summary="What this API offers")
    app.include_router(api)
    app.include_router(meta.health_router)
    app.include_router(campaigns.respondents)  # the survey's respondents: their link is their credential
    app.include_router(pages_router)
    app.include_router(sign_in_router)
    app.include_router(assets_router)
    install_sign_in(app)
    survey_pages.install(app)  # the survey: respondents' form, campaign pages, assessment
    app.include_router(documents_router(app, public_docs))
    app.add_api_route(f"{DOCS_ASSETS_URL}/redoc.standalone.js", redoc_script, methods=["GET"], include_in_schema=False)
    app.mount(DOCS_ASSETS_URL, StaticFiles(directory=DOCS_ASSETS), name="docs-assets")
    mount_static(app)

    app.add_middleware(Replay, stores=app.state.stores, prefix=f"{PREFIX}/", entries=settings.cache_entries,
                       enabled=not settings.read_token_required)
    app.add_middleware(StorePerRequest, stores=app.state.stores)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, upload_limit=settings.max_upload_bytes,
                       upload_paths=(f"{PREFIX}/import",))
    if settings.cors_origin_list:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origin_list,
                           allow_methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
                           allow_headers=["Authorization", "Content-Type", "If-None-Match"],
                           expose_headers=["ETag", "X-Dataset-Version", "Location", "Link", "Retry-After"],
                           allow_credentials=False, max_age=600)
    # Regional offices: pages shrink about 6x. Stored answers come compressed already (api.stored), and pass.
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM, compresslevel=GZIP_LEVEL)
    app.add_middleware(NoSniff)  # last added is outermost: it marks every response, the 413s of BodyLimit too
    app.openapi = lambda: openapi(app)  # type: ignore[method-assign]
    return app


def session_read(principal: Annotated[Principal | None, Depends(document_reader)],
                 _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None) -> Principal | None:
    """Reads need a token of any role (``ECOGRAPH_READ_TOKEN_REQUIRED=true``), sent as a bearer token or held by
    the session of a person signed in to the pages: the pages' download menus and JSON links work for them.
    The session cookie is SameSite=Strict and CORS never allows credentials, so other sites cannot read with it;
    writes still need the bearer token."""
    return principal


def documents_router(app: FastAPI, public: bool) -> APIRouter:
    """``/docs`` (Swagger UI) and ``/redoc``, their scripts, styles and icon served by the app itself; and for a
    service whose reads need a token, ``/openapi.json`` too, all opened by a token or a session."""
    router = APIRouter(include_in_schema=False, dependencies=[] if public else [Depends(document_reader)])
    if not public:
        router.add_api_route("/openapi.json", lambda: JSONResponse(app.openapi()), methods=["GET"])

    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} - Swagger UI",
                                   swagger_js_url=f"{DOCS_ASSETS_URL}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{DOCS_ASSETS_URL}/swagger-ui.css",
                                   swagger_favicon_url=asset("favicon.svg"),
                                   swagger_ui_parameters={"validatorUrl": None})  # no badge from outside

    def redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url="/openapi.json", title=f"{app.title} - ReDoc",
                              redoc_js_url=f"{DOCS_ASSETS_URL}/redoc.standalone.js",
                              redoc_favicon_url=asset("favicon.svg"), with_google_fonts=False)

    router.add_api_route("/docs", swagger, methods=["GET"])
    router.add_api_route("/redoc", redoc, methods=["GET"])
    return router


@cache
def _redoc_script() -> bytes:
    return (DOCS_ASSETS / "redoc.standalone.js").read_bytes().replace(REDOC_LOGO.encode(), b"data:,")


def redoc_script() -> Response:
    """ReDoc's script with the Redocly logo's outside address emptied (the image fails, and ReDoc then leaves it
    out), so /redoc loads nothing from elsewhere; read once."""
    return Response(_redoc_script(), media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})


def index() -> dict[str, Any]:
    """Where to start: the documentation and the main collections."""
    return {"docs": "/docs", "openapi": "/openapi.json", "version": f"{PREFIX}/version",
            "regions": f"{PREFIX}/regions", "graph": f"{PREFIX}/graph", "actors": f"{PREFIX}/actors",
            "collaborations": f"{PREFIX}/collaborations", "export": f"{PREFIX}/export", "health": "/health"}


def openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with error responses as application/problem+json and the graph schemas."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes,
                           tags=app.openapi_tags)
    components = document.setdefault("components", {}).setdefault("schemas", {})
    for model in (NodeLinkGraph, CytoscapeGraph):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode="serialization")
        for name, definition in schema.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components.setdefault(model.__name__, schema)
    for path in document.get("paths", {}).values():
        for operation in path.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if status.isdigit() and int(status) >= 400 and "application/json" in content:
                    content[errors.PROBLEM_JSON] = content.pop("application/json")
                    if content[errors.PROBLEM_JSON].get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
                        # FastAPI's own 422 (an operation that does not list its errors): answered as a problem too
                        content[errors.PROBLEM_JSON]["schema"] = {"$ref": "#/components/schemas/Problem"}
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    app.openapi_schema = document
    return document
