"""History and time: the dataset versions and any past one as a file, what changed in a region between two dates or
versions, the follow-up of recommended partnerships, and a region as of a year (the region page's slider)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.deps import ServiceDep, StoreDep, VersionDep
from api.routers.common import READ_ERRORS, CodePath, errors, json_bytes, known
from ecograph.analysis import Options
from ecograph.history.changes import RegionChanges, changes
from ecograph.history.follow_up import FollowUp, follow_up
from ecograph.history.timeline import RULE, as_of, years
from ecograph.history.versions import dataset_at, region_dataset, versions
from ecograph.i18n import Texts
from ecograph.model import PARTIAL_DATE
from ecograph.writers import export_bytes
from visuals.insights import region_insights

router = APIRouter(tags=["history"])
HISTORY_ERRORS = errors(*READ_ERRORS, 404)
SIDE = rf"^(v\d{{1,9}}|{PARTIAL_DATE.strip('^$')})$"
SIDE_HELP = ("vN: dataset version N as of the day it was made; or a date YYYY, YYYY-MM, YYYY-MM-DD: the current data "
             "as of that date")
FromSide = Annotated[str, Query(alias="from", pattern=SIDE, description=SIDE_HELP, examples=["2022", "v3"])]
ToSide = Annotated[str, Query(alias="to", pattern=SIDE, description=SIDE_HELP, examples=["2025", "v9"])]
MEDIA_TYPES = {"csv": "application/zip", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "json": "application/json"}


class VersionAnswer(BaseModel):
    """One dataset version: when, where from, who, and its records added, updated and removed per table."""

    version: int
    time: str = Field(description="when it was made, ISO 8601 in UTC", examples=["2026-03-01T14:05:09+00:00"])
    source: str = Field(description="load (command line), import (API or web upload), api (a write), survey (a "
                        "published campaign), baseline (the data a store held before it kept history)")
    who: str = Field(description="the token id that made it, or cli")
    added: dict[str, int]
    updated: dict[str, int]
    removed: dict[str, int]


class HistoryAnswer(BaseModel):
    dataset_version: int
    versions: list[VersionAnswer]


class TimelineGap(BaseModel):
    severity: str
    text_es: str
    text_en: str


class TimelineActor(BaseModel):
    id: str
    name: str
    roles: list[str] = Field(description="hub, broker, fragmenter, convener and the brokerage role")
    measures: dict[str, float]


class TimelineAnswer(BaseModel):
    """A region as of a year: what its map, key actors and gaps show then (the region page's slider)."""

    dataset_version: int
    region: str
    years: list[int] = Field(description="the years its ties name, first to last: the slider's stops")
    as_of: str | None = Field(description="the date asked for (None: only the years are given)")
    rule_es: str = Field(description="the as-of rule (undated ties), in Spanish")
    rule_en: str
    nodes: list[str] = Field(description="the actors present on that date")
    pairs: list[tuple[str, str]] = Field(description="the pairs of actors with a tie in force, each sorted")
    key_actors: list[TimelineActor]
    gaps: list[TimelineGap]


@router.get("/history", response_model=HistoryAnswer, summary="Dataset versions", responses=errors(*READ_ERRORS))
def history(request: Request, store: StoreDep, service: ServiceDep, version: VersionDep) -> Response:
    """Every dataset version the store's history holds, oldest first: when it was made, its source, who made it (a
    token id, or cli) and the records it added, updated and removed per table. Any of them downloads with
    /history/{version}/export."""
    def build() -> bytes:
        found = [VersionAnswer(version=done.version, time=done.when, source=done.source, who=done.who,
                               added=done.added, updated=done.updated, removed=done.removed)
                 for done in versions(store)]
        return HistoryAnswer(dataset_version=version, versions=found).model_dump_json().encode()

    return json_bytes(request, service, ("history", store.url, version), build)


@router.get("/history/{number}/export", response_class=Response, summary="Download a past version",
            responses={200: {"description": "The file, as an attachment",
                             "content": {media: {"schema": {"type": "object", "description": "the dataset "
                                                            "(regions, indicators, actors, collaborations)"}
                                                 if media == "application/json" else
                                                 {"type": "string", "format": "binary"}}
                                         for media in MEDIA_TYPES.values()}}, **HISTORY_ERRORS})
def export_version(
    request: Request, store: StoreDep, service: ServiceDep, version: VersionDep,
    number: Annotated[int, Path(ge=1, description="the dataset version (see /history)", examples=[1])],
    format: Annotated[Literal["csv", "xlsx", "json"], Query(
        description="csv (a zip of the four tables), xlsx or json")] = "csv",
    region: Annotated[str | None, Query(max_length=10, description="only this region's actors, their ties and "
                                        "partners", examples=["06"])] = None,
) -> Response:
    """Dataset version ``number`` exactly as it was: the same bytes as its export while it was current."""
    def build() -> bytes:
        return export_bytes(region_dataset(dataset_at(store, number), region), None, format)

    body = service.cache.get(("history-export", store.url, number, format, region), build)
    name = f"ecograph-v{number}{'-' + region if region else ''}.{'zip' if format == 'csv' else format}"
    headers = {**getattr(request.state, "etag_headers", {}), "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=MEDIA_TYPES[format], headers=headers)


@router.get("/regions/{code}/changes", response_model=RegionChanges, summary="What changed in a region",
            responses=HISTORY_ERRORS)
def region_changes(request: Request, code: CodePath, store: StoreDep, service: ServiceDep, version: VersionDep,
                   start: FromSide, end: ToSide) -> Response:
    """New and ended ties, actors that joined or left, who became central or lost partners, gaps opened and closed
    and the ecosystem score's change between two dates or versions, each as a sentence in Spanish and English (like
    `ecograph changes`). Both sides follow the as-of rule stated in the answer."""
    known(service, version, code)
    return json_bytes(request, service, ("changes", store.url, version, code, start, end), lambda: changes(
        store, code, start, end).model_dump_json().encode())


Since = Annotated[int | None, Query(ge=1, description="the version whose recommendations to follow (default: the "
                                    "oldest kept)")]
At = Annotated[int | None, Query(ge=1, description="the later version (default: the current one)")]


def _followed(request: Request, store: StoreDep, service: ServiceDep, version: int, code: str | None, since: int | None,
              at: int | None) -> Response:
    return json_bytes(request, service, ("follow-up", store.url, version, code, since, at), lambda: follow_up(
        store, since, at, code).model_dump_json().encode())


@router.get("/follow-up", response_model=FollowUp, summary="Recommendation follow-up", responses=HISTORY_ERRORS)
def all_follow_up(request: Request, store: StoreDep, service: ServiceDep, version: VersionDep, since: Since = None,
                  at: At = None) -> Response:
    """Which partnerships a version's analysis recommended exist at a later version (and after how many days), which
    were not taken up, and the hit rate of every region (like `ecograph follow-up`)."""
    return _followed(request, store, service, version, None, since, at)


@router.get("/regions/{code}/follow-up", response_model=FollowUp, summary="Recommendation follow-up of a region",
            responses=HISTORY_ERRORS)
def region_follow_up(request: Request, code: CodePath, store: StoreDep, service: ServiceDep, version: VersionDep,
                     since: Since = None, at: At = None) -> Response:
    """The follow-up of one region's recommended partnerships: taken up or not, after how long, and the hit rate."""
    known(service, version, code)
    return _followed(request, store, service, version, code, since, at)


@router.get("/regions/{code}/timeline", response_model=TimelineAnswer, summary="A region as of a year",
            responses=HISTORY_ERRORS)
def timeline(request: Request, code: CodePath, store: StoreDep, service: ServiceDep, version: VersionDep,
             as_of_date: Annotated[str | None, Query(
                 alias="as_of", pattern=PARTIAL_DATE, description="the date (YYYY, YYYY-MM or YYYY-MM-DD)",
                 examples=["2021"])] = None) -> Response:
    """The years the region's ties name and, with ``as_of``, the actors and tie pairs in force then, its key actors
    and its gaps: what the region page's year slider draws. The as-of rule is stated in the answer."""
    known(service, version, code)

    def build() -> bytes:
        graph = service.graph(version, code)
        rule = Texts("es")(RULE), Texts("en")(RULE)
        found: dict[str, object] = {"nodes": [], "pairs": [], "key_actors": [], "gaps": []}
        if as_of_date is not None:
            then = as_of(graph, as_of_date)
            seen = region_insights(service.report(version, code, Options(as_of=as_of_date)))
            found = {"nodes": list(then), "pairs": sorted({(min(u, v), max(u, v)) for u, v in then.edges()}),
                     "key_actors": [TimelineActor(id=node, name=then.nodes[node]["name"], roles=list(seen.roles.get(
                         node, ())), measures=dict(seen.measures.get(node, {}))) for node in seen.key_actors],
                     "gaps": [TimelineGap(severity=gap.severity, text_es=gap.text("es"), text_en=gap.text("en"))
                              for gap in seen.gaps]}
        return TimelineAnswer(dataset_version=version, region=code, years=years(graph), as_of=as_of_date,
                              rule_es=rule[0], rule_en=rule[1], **found).model_dump_json().encode()  # type: ignore[arg-type]

    return json_bytes(request, service, ("timeline", store.url, version, code, as_of_date), build)

