"""Actors: search, one actor with its ego network and recommendations, and writes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from api import graphs
from api.deps import ServiceDep, StoreDep, VersionDep, WriterDep, scope
from api.errors import ApiError, Message
from api.routers.common import READ_ERRORS, WRITE_ERRORS, PageNumber, PerPage, errors, link_header, paginate
from api.schemas import (
    ACTOR_ID,
    ActorBody,
    ActorCreate,
    ActorDetail,
    ActorPage,
    ActorTypeName,
    ActorWritten,
    CapabilityName,
    SectorName,
    TargetGroupName,
)
from ecograph.model import Actor
from ecograph.stores import NotFound, Store
from ecograph.stores.history import Origin

router = APIRouter(tags=["actors"])
ActorId = Annotated[str, Path(description="the actor's id", examples=["unc"], max_length=200)]


@router.get("/actors", response_model=ActorPage, responses=errors(*READ_ERRORS, 404),
            summary="Search and filter actors (paginated)")
def list_actors(
    request: Request, response: Response, store: StoreDep, version: VersionDep,
    q: Annotated[str | None, Query(max_length=200, description="text in the name or acronym; case and accents "
                                   "are ignored (cusco finds Cusco, peru finds Perú)")] = None,
    region: Annotated[str | None, Query(max_length=10, description="home region code", examples=["06"])] = None,
    sector: SectorName | None = None,
    type: ActorTypeName | None = None,
    capability: CapabilityName | None = None,
    target_group: TargetGroupName | None = None,
    page: PageNumber = 1,
    per_page: PerPage = 50,
) -> dict[str, Any]:
    """Actors matching every filter given, sorted by id, ``per_page`` at a time (a Link header points to the
    other pages). A page past the last is a 404."""
    filters = {"region": region, "sector": sector, "type": type, "capability": capability,
               "target_group": target_group}
    found = store.search_actors(q, **filters) if q and q.strip() else store.actors(**filters)
    items, pages = paginate(found, page, per_page)
    response.headers["Link"] = link_header(request, page, pages)
    return {"dataset_version": version, "total": len(found), "page": page, "per_page": per_page, "pages": pages,
            "items": items}


@router.get("/actors/{actor_id}", response_model=ActorDetail, responses=errors(*READ_ERRORS, 404),
            summary="One actor, its ties, its ego network and its recommendations")
def get_actor(actor_id: ActorId, store: StoreDep, service: ServiceDep, version: VersionDep) -> dict[str, Any]:
    """The actor's record, every tie it has, its ego network (the actor, its partners and the ties among
    them, as node-link JSON) and the ties the analysis recommends for it."""
    actor = store.actor(actor_id)
    return {"dataset_version": version, "actor": actor, "collaborations": store.collaborations(actor=actor_id),
            "ego": graphs.ego(service, version, actor_id),
            "recommendations": [graphs.recommendation(item) for item in service.actor_recommendations(version, actor)]}


def _existing(store: Store, actor_id: str) -> Actor | None:
    try:
        return store.actor(actor_id)
    except NotFound:
        return None


@router.post("/actors", status_code=201, response_model=ActorWritten, responses=errors(*WRITE_ERRORS),
             summary="Create an actor")
def create_actor(body: ActorCreate, response: Response, request: Request, store: StoreDep,
                 principal: WriterDep) -> dict[str, Any]:
    """A new actor; 409 if the id is taken, 409 if its region does not exist. Editors may create actors of
    their regions only."""
    actor = Actor.model_validate(body.model_dump())
    if _existing(store, actor.id) is not None:
        raise ApiError(409, Message("api.actor.exists", id=actor.id),
                       errors=[{"field": "body.id", "message": Message("api.field.taken")}])
    version = store.upsert_actor(actor, scope(principal), Origin("api", principal.id))
    response.headers["Location"] = str(request.url_for("get_actor", actor_id=actor.id).path)
    response.headers["X-Dataset-Version"] = str(version)
    return {"dataset_version": version, "actor": actor}


@router.put("/actors/{actor_id}", response_model=ActorWritten,
            responses={201: {"model": ActorWritten, "description": "Created"}, **errors(*WRITE_ERRORS)},
            summary="Replace (or create) an actor")
def put_actor(actor_id: Annotated[str, Path(pattern=ACTOR_ID, max_length=200, examples=["unc"])], body: ActorBody,
              response: Response, store: StoreDep, principal: WriterDep) -> dict[str, Any]:
    """Replace every field of the actor (201 if it did not exist). Editors need both its old and its new
    region among theirs."""
    actor = Actor.model_validate({**body.model_dump(), "id": actor_id})
    old = _existing(store, actor_id)
    version = store.upsert_actor(actor, scope(principal), Origin("api", principal.id))
    response.status_code = 200 if old else 201
    response.headers["X-Dataset-Version"] = str(version)
    return {"dataset_version": version, "actor": actor}


@router.delete("/actors/{actor_id}", status_code=204, response_class=Response,
               responses=errors(400, 401, 403, 404), summary="Delete an actor and its ties")
def delete_actor(actor_id: ActorId, store: StoreDep, principal: WriterDep) -> Response:
    """Delete the actor and every tie it has (one transaction)."""
    version = store.delete_actor(actor_id, scope(principal), Origin("api", principal.id))
    return Response(status_code=204, headers={"X-Dataset-Version": str(version)})
