"""Collaborations: list and filter, one tie, and writes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from api.deps import StoreDep, VersionDep, WriterDep, scope
from api.errors import ApiError, Message
from api.routers.common import READ_ERRORS, WRITE_ERRORS, PageNumber, PerPage, errors, link_header, paginate
from api.schemas import (
    TIE_ID,
    CollaborationBody,
    CollaborationCreate,
    CollaborationPage,
    CollaborationWritten,
    StatusName,
    TieTypeName,
)
from ecograph.model import Collaboration
from ecograph.stores import NotFound, Store, quoted
from ecograph.stores.history import Origin

router = APIRouter(tags=["collaborations"])
TieId = Annotated[str, Path(description="the collaboration's id", examples=["c01"], max_length=300)]


@router.get("/collaborations", response_model=CollaborationPage, responses=errors(*READ_ERRORS, 404),
            summary="List and filter collaborations (paginated)")
def list_collaborations(
    request: Request, response: Response, store: StoreDep, version: VersionDep,
    actor: Annotated[str | None, Query(max_length=200, description="ties of this actor (either end)")] = None,
    region: Annotated[str | None, Query(max_length=10, description="ties touching this region's actors")] = None,
    type: TieTypeName | None = None,
    status: StatusName | None = None,
    page: PageNumber = 1,
    per_page: PerPage = 50,
) -> dict[str, Any]:
    """Ties matching every filter given, sorted by id, ``per_page`` at a time."""
    found = [tie for tie in store.collaborations(actor=actor, region=region)
             if (type is None or tie.type == type) and (status is None or tie.status == status)]
    items, pages = paginate(found, page, per_page)
    response.headers["Link"] = link_header(request, page, pages)
    return {"dataset_version": version, "total": len(found), "page": page, "per_page": per_page, "pages": pages,
            "items": items}


def _find(store: Store, tie_id: str) -> Collaboration | None:
    found = store.collaborations(ids=[tie_id])
    return found[0] if found else None


@router.get("/collaborations/{tie_id}", response_model=Collaboration, responses=errors(*READ_ERRORS, 404),
            summary="One collaboration")
def get_collaboration(tie_id: TieId, store: StoreDep, version: VersionDep) -> Collaboration:
    """The collaboration's record."""
    tie = _find(store, tie_id)
    if tie is None:
        raise NotFound("store.no_collaboration", id=quoted(tie_id))
    return tie


@router.post("/collaborations", status_code=201, response_model=CollaborationWritten,
             responses=errors(*WRITE_ERRORS), summary="Create a collaboration")
def create_collaboration(body: CollaborationCreate, request: Request, response: Response, store: StoreDep,
                         principal: WriterDep) -> dict[str, Any]:
    """A new tie between two existing actors (409 if one is missing, or if the id is taken). The id defaults to
    source--target--type."""
    tie = Collaboration.model_validate(body.model_dump(exclude_none=False) | {"id": body.id or ""})
    if _find(store, tie.id) is not None:
        raise ApiError(409, Message("api.collaboration.exists", id=tie.id),
                       errors=[{"field": "body.id", "message": Message("api.field.taken")}])
    version = store.upsert_collaboration(tie, scope(principal), Origin("api", principal.id))
    response.headers["Location"] = str(request.url_for("get_collaboration", tie_id=tie.id).path)
    response.headers["X-Dataset-Version"] = str(version)
    return {"dataset_version": version, "collaboration": tie}


@router.put("/collaborations/{tie_id}", response_model=CollaborationWritten,
            responses={201: {"model": CollaborationWritten, "description": "Created"}, **errors(*WRITE_ERRORS)},
            summary="Replace (or create) a collaboration")
def put_collaboration(tie_id: Annotated[str, Path(pattern=TIE_ID, max_length=300, examples=["c01"])],
                      body: CollaborationBody, response: Response, store: StoreDep,
                      principal: WriterDep) -> dict[str, Any]:
    """Replace every field of the tie (201 if it did not exist)."""
    tie = Collaboration.model_validate({**body.model_dump(), "id": tie_id})
    old = _find(store, tie_id)
    version = store.upsert_collaboration(tie, scope(principal), Origin("api", principal.id))
    response.status_code = 200 if old else 201
    response.headers["X-Dataset-Version"] = str(version)
    return {"dataset_version": version, "collaboration": tie}


@router.delete("/collaborations/{tie_id}", status_code=204, response_class=Response,
               responses=errors(400, 401, 403, 404), summary="Delete a collaboration")
def delete_collaboration(tie_id: TieId, store: StoreDep, principal: WriterDep) -> Response:
    """Delete the tie. Editors may delete ties touching their regions."""
    old = _find(store, tie_id)
    if old is None:
        raise NotFound("store.no_collaboration", id=quoted(tie_id))
    version = store.delete_collaboration(tie_id, scope(principal), Origin("api", principal.id))
    return Response(status_code=204, headers={"X-Dataset-Version": str(version)})
