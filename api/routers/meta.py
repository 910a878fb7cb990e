"""Health and version."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.deps import StoreDep
from api.errors import language, log
from api.schemas import Health, VersionInfo
from api.settings import APP_VERSION
from ecograph.service import COMPLETE
from ecograph.stores import StoreError

health_router = APIRouter(tags=["meta"])
router = APIRouter(tags=["meta"])


@health_router.get("/health", response_model=Health, summary="Is the service up, and can it reach its store?",
                   responses={503: {"model": Health, "description": "The store cannot be reached"}})
def health(request: Request) -> JSONResponse:
    """200 when the store answers, 503 (same shape, ``status: unavailable``, ``detail`` in the Accept-Language
    language) when it does not.

    Always public, and never cached: load balancers and monitors call it.
    """
    stores = request.app.state.stores
    try:
        version = stores.get().version()
    except Exception as error:
        if isinstance(error, StoreError):
            stores.reset()
        log.warning("health: store unavailable: %s", error)
        lang = language(request)
        detail = error.text(lang) if isinstance(error, StoreError) else f"{type(error).__name__}: {error}"
        body = Health(status="unavailable", store=stores.kind, dataset_version=None, detail=detail)
        return JSONResponse(body.model_dump(), status_code=503, headers={
            "Cache-Control": "no-store", "Retry-After": "5", "Content-Language": lang, "Vary": "Accept-Language"})
    body = Health(status="ok", store=stores.kind, dataset_version=version)
    return JSONResponse(body.model_dump(), headers={"Cache-Control": "no-store"})


@router.get("/version", response_model=VersionInfo, summary="App and dataset version")
def version(request: Request, store: StoreDep) -> VersionInfo:
    """The ecograph version, the API version, the current dataset version (it grows with every change) and
    whether that version's analysis is computed and stored."""
    current = store.version()
    return VersionInfo(app=APP_VERSION, api="v1", dataset_version=current, store=request.app.state.stores.kind,
                       analysis=current == 0 or COMPLETE in store.analysis_keys(current))
