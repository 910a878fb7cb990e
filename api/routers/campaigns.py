"""The ecosystem survey over JSON (docs/survey.md): campaigns, rosters and links, progress, review, publish, the
assessment, and the respondent's own answers.

Campaign endpoints need an admin or editor token; an editor runs only the campaigns whose regions are all
its own (creating one included), and a publish writes only in them (``Store.write`` with its scope).

**Links.** Only a hash of each link's token is stored, so a token can be shown only when it is made. Putting
actors on the roster (``POST /campaigns/{id}/roster``) shows none; the links export
(``GET /campaigns/{id}/links.csv`` or ``.xlsx``, for a mail merge) hands out a new link to every active
invitation never handed out before and marks it sent; one sent before is listed with its sent date and no
link, unless asked for again with ``resend=<actor>`` (its old link then stops working). Keep the file: a
second download does not repeat the links.

**Respondents** use ``/survey/{token}`` and ``/survey/{token}/{section}`` with their link's token and no API
token: the link reads and writes only its own actor's answers. A closed campaign (its last day passed, or
published) or a revoked link is a 410; a campaign not open yet a 403.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Annotated, Any, Literal

import openpyxl
from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from api.deps import StoreDep, WriterDep, reject_unknown_query, scope
from api.errors import ApiError, Message
from api.routers.common import DESCRIPTIONS
from api.schemas import ACTOR_ID, REGION_CODE, TEXT, Problem
from api.tokens import Principal
from ecograph.analysis.survey_gaps import survey_gaps
from ecograph.model import NATIONAL, Invalid, shown, slugify
from ecograph.stores import NotFound, Store
from ecograph.survey import links
from ecograph.survey.coverage import Coverage, Share, coverage
from ecograph.survey.model import ACTIONS, SECTIONS, Campaign, Decision, Invitation, SectionAnswer, Tie, now, parsed
from ecograph.survey.publish import Published, publish, published_assessment
from ecograph.survey.review import ReviewItem, review_items
from ecograph.writers import neutralize

router = APIRouter(tags=["survey"])
respondents = APIRouter(prefix="/api/v1", tags=["survey"], dependencies=[Depends(reject_unknown_query)])
"""The respondent's endpoints: no API token (the link's token is the credential), even when reads need one."""

CampaignId = Annotated[str, Path(description="the campaign's id", examples=["cajamarca-2025"], max_length=200)]
Token = Annotated[str, Path(description="the token of the respondent's link", max_length=100)]
SectionName = Literal["profile", "capabilities", "partners", "needs", "consent"]
EXTRA = {410: "The link was revoked or its campaign is closed: no more answers are taken",
         403: DESCRIPTIONS[403] + "; for a respondent, a campaign not open yet"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_STORE = {"Cache-Control": "no-store"}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": Problem, "description": EXTRA.get(status) or DESCRIPTIONS[status]}
            for status in sorted({*statuses, 503})}


# -- schemas ----------------------------------------------------------------------------------------------
class CampaignCreate(BaseModel):
    """A new campaign; its id is made from the name when left out."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "Ecosistema digital de Cajamarca 2025", "regions": ["06"], "opens": "2025-03-01",
        "closes": "2025-04-30"}]})

    id: str | None = Field(default=None, pattern=ACTOR_ID, max_length=60)
    name: str = Field(min_length=1, max_length=200, pattern=TEXT)
    regions: list[Annotated[str, Field(pattern=REGION_CODE)]] = Field(min_length=1, max_length=30)
    opens: date
    closes: date
    illustrative: StrictBool = False

    @field_validator("opens", "closes", mode="before")
    @classmethod
    def _iso_day(cls, value: Any) -> Any:
        if not isinstance(value, str):  # a number would be read as seconds since 1970
            raise Invalid("problem.bad_date", value=shown(value))
        return value


class RosterAdd(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"actors": ["unc", "gore-cajamarca"]}]})

    actors: list[Annotated[str, Field(pattern=ACTOR_ID, max_length=200)]] = Field(min_length=1, max_length=5000)


class RosterEntry(BaseModel):
    actor: str
    name: str | None = Field(description="the actor's name (null if it was deleted since)")
    region: str | None
    sector: str | None
    created: datetime
    sent: datetime | None = Field(description="when its current link was handed out; null: never")
    revoked: datetime | None
    sections: list[str] = Field(description="the sections it has saved")
    answered: bool = Field(description="true once it saved its consent")


class Roster(BaseModel):
    campaign: str
    invited: list[str] = Field(default_factory=list, description="actors this request put on the roster")
    roster: list[RosterEntry]


class CampaignDetail(BaseModel):
    campaign: Campaign
    open: bool = Field(description="whether answers are taken today")
    progress: Coverage
    text: str = Field(description="the progress in a sentence", examples=["3 de 4 actores respondieron (75 %)"])


class Progress(BaseModel):
    """A campaign's coverage (see :class:`ecograph.survey.coverage.Coverage`) and its sentence."""

    campaign: str
    total: Share
    by_region: dict[str, Share] = Field(description="by home region; PE for national and international actors")
    by_sector: dict[str, Share]
    missing: list[str] = Field(description="ids of invited actors who have not answered (no consent saved)")
    text: str = Field(examples=["18 de 24 actores respondieron (75 %)"])


class ReviewEntry(ReviewItem):
    decision: Decision | None = None


class Review(BaseModel):
    campaign: str
    items: list[ReviewEntry]
    pending: int = Field(description="items without a decision (left out of a publish)")


class DecisionBody(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "item": "new:univ-nacional-de-cajamarca", "action": "merge", "merge_into": "unc"}]})

    item: str = Field(min_length=1, max_length=300)
    action: Literal[ACTIONS]  # type: ignore[valid-type]
    merge_into: str | None = Field(default=None, pattern=ACTOR_ID, max_length=200)


class AssessmentCell(BaseModel):
    region: str
    sector: str | None
    capability: str
    respondents: int
    median: float
    low: int
    high: int


class AssessmentAnswer(BaseModel):
    region: str | None
    campaigns: list[str] = Field(description="the published campaigns the answers come from")
    respondents: int
    cells: list[AssessmentCell] = Field(description="the region's cells and the national ones (region PE); "
                                        "sector null: all sectors")
    needs: dict[str, int] = Field(description="capability: how many of the region's institutions seek a partner "
                                  "for it")
    gaps: list[dict[str, Any]] = Field(description="the survey's gaps of the region: low_maturity_capability, "
                                       "unmet_need")


class Respondent(BaseModel):
    campaign: str
    name: str
    opens: date
    closes: date
    actor: str
    actor_name: str
    sections: dict[str, datetime | None] = Field(description="each section and when it was last saved")
    answered: bool


class SectionBody(BaseModel):
    section: str
    payload: dict[str, Any] | None = Field(description="the section as saved; null when not saved yet")
    saved: datetime | None


# -- campaigns --------------------------------------------------------------------------------------------
def may_run(principal: Principal, campaign: Campaign) -> bool:
    """Admins run every campaign; an editor those whose regions are all its own."""
    return principal.role == "admin" or all(principal.may_write(region) for region in campaign.regions)


def _campaign(store: Store, principal: Principal, campaign_id: str) -> Campaign:
    campaign = store.survey.campaign(campaign_id)
    if not may_run(principal, campaign):
        raise ApiError(403, Message("survey.api.not_yours", id=campaign_id,
                                    regions=", ".join(campaign.regions)))
    return campaign


@router.post("/campaigns", status_code=201, response_model=Campaign, responses=problems(400, 401, 403, 409, 422),
             summary="Create a survey campaign")
def create_campaign(body: CampaignCreate, request: Request, response: Response, store: StoreDep,
                    principal: WriterDep) -> Campaign:
    """A new campaign over some regions, open from ``opens`` to ``closes`` (both days included). An editor
    creates campaigns of its own regions only."""
    known = {region.code for region in store.regions()}
    for code in body.regions:
        if code not in known:
            raise ApiError(409, Message("store.no_region", code=code),
                           errors=[{"field": "body.regions", "message": Message("store.no_region", code=code)}])
    taken = {campaign.id for campaign in store.survey.campaigns()}
    campaign_id = body.id
    if campaign_id is None:
        base = slugify(body.name)[:50].strip("-") or "campaign"
        campaign_id = next(c for c in (base, *(f"{base}-{n}" for n in range(2, 10_000))) if c not in taken)
    campaign = Campaign(id=campaign_id, name=body.name, regions=body.regions, opens=body.opens, closes=body.closes,
                        illustrative=body.illustrative)
    if not may_run(principal, campaign):
        raise ApiError(403, Message("survey.api.not_yours", id=campaign.id, regions=", ".join(campaign.regions)))
    store.survey.create_campaign(campaign)
    response.headers["Location"] = str(request.url_for("get_campaign", campaign_id=campaign.id).path)
    return campaign


@router.get("/campaigns", response_model=list[Campaign], responses=problems(400, 401, 403),
            summary="The campaigns this token runs")
def list_campaigns(store: StoreDep, principal: WriterDep) -> list[Campaign]:
    """Every campaign for an admin; for an editor, those whose regions are all its own. By id."""
    return [campaign for campaign in store.survey.campaigns() if may_run(principal, campaign)]


def _roster_actors(store: Store, campaign: Campaign) -> tuple[list[Invitation], dict[str, Any]]:
    roster = store.survey.invitations(campaign.id)
    actors = {actor.id: actor for actor in store.actors(ids=[i.actor for i in roster])} if roster else {}
    return roster, actors


def progress_of(store: Store, campaign: Campaign) -> Coverage:
    roster, actors = _roster_actors(store, campaign)
    return coverage(campaign, [actors[i.actor] for i in roster if i.active and i.actor in actors],
                    store.survey.answers(campaign.id))


@router.get("/campaigns/{campaign_id}", response_model=CampaignDetail, responses=problems(400, 401, 403, 404),
            summary="One campaign and its progress")
def get_campaign(campaign_id: CampaignId, request: Request, store: StoreDep, principal: WriterDep) -> dict[str, Any]:
    """The campaign, whether it takes answers today, and its progress (answered over invited)."""
    campaign = _campaign(store, principal, campaign_id)
    found = progress_of(store, campaign)
    return {"campaign": campaign, "open": campaign.is_open() and campaign.published_version is None,
            "progress": found, "text": found.text(_lang(request))}


def _lang(request: Request) -> str:
    from api.errors import language

    return language(request)


def _roster(store: Store, campaign: Campaign, invited: list[str] | None = None) -> dict[str, Any]:
    roster, actors = _roster_actors(store, campaign)
    sections: dict[str, set[str]] = {}
    for answer in store.survey.answers(campaign.id):
        sections.setdefault(answer.actor, set()).add(answer.section)
    entries = []
    for invitation in roster:
        actor = actors.get(invitation.actor)
        saved = sections.get(invitation.actor, set())
        entries.append(RosterEntry(actor=invitation.actor, name=actor.name if actor else None,
                                   region=actor.region if actor else None, sector=actor.sector if actor else None,
                                   created=invitation.created, sent=invitation.sent, revoked=invitation.revoked,
                                   sections=[s for s in SECTIONS if s in saved], answered="consent" in saved))
    return {"campaign": campaign.id, "invited": invited or [], "roster": entries}


@router.get("/campaigns/{campaign_id}/roster", response_model=Roster, responses=problems(400, 401, 403, 404),
            summary="Who is invited, and how far each has answered")
def get_roster(campaign_id: CampaignId, store: StoreDep, principal: WriterDep) -> dict[str, Any]:
    """Every invitation, by actor: when its link was handed out or revoked, the sections saved, answered or not.
    No link and no contact detail appears here."""
    return _roster(store, _campaign(store, principal, campaign_id))


@router.post("/campaigns/{campaign_id}/roster", status_code=201, response_model=Roster,
             responses=problems(400, 401, 403, 404, 409, 422), summary="Invite actors")
def add_roster(campaign_id: CampaignId, body: RosterAdd, store: StoreDep, principal: WriterDep) -> dict[str, Any]:
    """Put actors (of the campaign's regions, or national and international ones) on the roster; those already
    on it stay as they are. No link is shown here: get them from the links export."""
    campaign = _campaign(store, principal, campaign_id)
    try:
        added = links.invite(store, campaign.id, body.actors)
    except Invalid as error:
        raise ApiError(409, error, errors=[{"field": "body.actors", "message": error}]) from None
    return _roster(store, campaign, [invitation.actor for invitation in added])


@router.post("/campaigns/{campaign_id}/roster/{actor}/revoke", response_model=RosterEntry,
             responses=problems(400, 401, 403, 404), summary="Revoke an actor's link")
def revoke(campaign_id: CampaignId, actor: Annotated[str, Path(max_length=200)], store: StoreDep,
           principal: WriterDep) -> RosterEntry:
    """The link stops working at once (410); the answers already saved stay. Putting the actor on the roster
    again and exporting the links gives it a new one."""
    campaign = _campaign(store, principal, campaign_id)
    store.survey.revoke(campaign.id, actor)
    return next(entry for entry in _roster(store, campaign)["roster"] if entry.actor == actor)


LINK_COLUMNS = ("actor", "name", "acronym", "region", "sector", "link", "sent")


def _links(request: Request, store: Store, campaign: Campaign, resend: list[str]) -> list[list[str]]:
    base = str(request.base_url)
    rows = []
    for entry in links.issue(store, campaign.id, resend):
        if not entry.invitation.active:
            continue
        actor = entry.actor
        rows.append([entry.invitation.actor, actor.name if actor else "", (actor.acronym or "") if actor else "",
                     (actor.region or NATIONAL) if actor else "", actor.sector if actor else "",
                     links.link(base, entry.token) if entry.token else "",
                     entry.sent.isoformat() if entry.sent else ""])
    return rows


Resend = Annotated[list[str], Query(max_length=5000, description="actors whose link is handed out again (their "
                                    "old link stops working)")]
LINKS_DOC = {200: {"description": "The roster with the links handed out by this export (a file)"},
             **problems(400, 401, 403, 404)}


@router.get("/campaigns/{campaign_id}/links.csv", response_class=Response, responses=LINKS_DOC,
            summary="The links for a mail merge, as CSV")
def links_csv(campaign_id: CampaignId, request: Request, store: StoreDep, principal: WriterDep,
              resend: Resend = []) -> Response:  # noqa: B006 - FastAPI copies defaults
    """One row per active invitation: ``actor, name, acronym, region, sector, link, sent``. ``link`` is filled
    for invitations never handed out before (and those in ``resend``), empty for those sent before."""
    campaign = _campaign(store, principal, campaign_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LINK_COLUMNS)
    writer.writerows([[neutralize(cell) for cell in row] for row in _links(request, store, campaign, resend)])
    return Response(buffer.getvalue().encode("utf-8-sig"), media_type="text/csv; charset=utf-8", headers={
        **NO_STORE, "Content-Disposition": f'attachment; filename="enlaces-{campaign.id}.csv"'})


@router.get("/campaigns/{campaign_id}/links.xlsx", response_class=Response, responses=LINKS_DOC,
            summary="The links for a mail merge, as xlsx")
def links_xlsx(campaign_id: CampaignId, request: Request, store: StoreDep, principal: WriterDep,
               resend: Resend = []) -> Response:  # noqa: B006
    """As ``links.csv``, in a workbook (one sheet, ``links``)."""
    campaign = _campaign(store, principal, campaign_id)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "links"
    sheet.append(LINK_COLUMNS)
    for row in _links(request, store, campaign, resend):
        sheet.append([neutralize(cell) for cell in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Response(buffer.getvalue(), media_type=XLSX, headers={
        **NO_STORE, "Content-Disposition": f'attachment; filename="enlaces-{campaign.id}.xlsx"'})


@router.get("/campaigns/{campaign_id}/progress", response_model=Progress, responses=problems(400, 401, 403, 404),
            summary="Who has answered, by region and sector")
def progress(campaign_id: CampaignId, request: Request, store: StoreDep, principal: WriterDep) -> dict[str, Any]:
    """Answered over invited (revoked invitations left out), in all, by home region (PE: national and
    international actors) and by sector, the sentence, and who has not answered."""
    found = progress_of(store, _campaign(store, principal, campaign_id))
    return {**found.model_dump(), "text": found.text(_lang(request))}


@router.get("/campaigns/{campaign_id}/review", response_model=Review, responses=problems(400, 401, 403, 404),
            summary="What to decide before publishing")
def review(campaign_id: CampaignId, store: StoreDep, principal: WriterDep) -> dict[str, Any]:
    """Proposed new institutions with their likely duplicates, profile corrections and conflicting ties, each with
    its decision if any."""
    campaign = _campaign(store, principal, campaign_id)
    decided = {decision.item: decision for decision in store.survey.decisions(campaign.id)}
    entries = [ReviewEntry(**item.model_dump(), decision=decided.get(item.id))
               for item in review_items(store, campaign)]
    return {"campaign": campaign.id, "items": entries, "pending": sum(entry.decision is None for entry in entries)}


@router.post("/campaigns/{campaign_id}/decisions", status_code=201, response_model=Decision,
             responses=problems(400, 401, 403, 404, 409, 422), summary="Decide on a review item")
def decide(campaign_id: CampaignId, body: DecisionBody, store: StoreDep, principal: WriterDep) -> Decision:
    """``accept``, ``reject``, or (for a proposed institution) ``merge`` into a known actor; a later decision
    on the same item replaces the earlier one."""
    campaign = _campaign(store, principal, campaign_id)
    items = {item.id: item for item in review_items(store, campaign)}
    item = items.get(body.item)
    if item is None:
        raise ApiError(404, Message("survey.api.no_item", item=body.item, campaign=campaign.id),
                       errors=[{"field": "body.item", "message": Message("survey.api.no_item_field")}])
    if body.action == "merge" and item.kind != "new_actor":
        raise ApiError(409, Message("survey.api.merge_new_only"),
                       errors=[{"field": "body.action", "message": Message("survey.api.merge_new_only")}])
    if body.merge_into is not None:
        try:
            store.actor(body.merge_into)
        except NotFound as error:
            raise ApiError(409, error, errors=[{"field": "body.merge_into", "message": error}]) from None
    decision = Decision(campaign=campaign.id, item=body.item, action=body.action, merge_into=body.merge_into)
    store.survey.save_decision(decision)
    return decision


@router.post("/campaigns/{campaign_id}/publish", response_model=Published,
             responses=problems(400, 401, 403, 404, 409), summary="Publish the accepted answers")
def publish_campaign(campaign_id: CampaignId, response: Response, store: StoreDep,
                     principal: WriterDep) -> Published:
    """The accepted answers as ONE new dataset version, every actor and tie written with its provenance; all or
    nothing (403 and nothing written if an editor's publish would touch records outside its regions). Items
    without a decision are left out and listed in ``pending``."""
    campaign = _campaign(store, principal, campaign_id)
    done = publish(store, campaign, scope(principal), principal.id)
    response.headers["X-Dataset-Version"] = str(done.version)
    return done


@router.get("/assessment", response_model=AssessmentAnswer, responses=problems(400, 401, 404, 422),
            summary="The digital-capability assessment of published campaigns")
def assessment(store: StoreDep, region: Annotated[str | None, Query(
        pattern=REGION_CODE, description="a region code; the national picture when left out",
        examples=["06"])] = None) -> dict[str, Any]:
    """Maturity of each capability (UNDP Digital Development Compass levels 0-4: respondents, median, lowest
    and highest) by sector, for the region and the whole country, what its institutions need, and the survey's
    gaps. Only published campaigns count; no contact detail or free text ever appears here."""
    if region is not None:
        store._check_region(region)
    found = published_assessment(store)
    part = found.region(region) if region is not None else found
    cells = [cell for cell in part.cells if region is not None or cell.region == NATIONAL]
    needs: dict[str, int] = {}
    for need in part.needs:
        needs[need.capability] = needs.get(need.capability, 0) + 1
    return {"region": region, "respondents": part.respondents if region else found.respondents,
            "campaigns": [c.id for c in store.survey.campaigns() if c.published_version is not None],
            "cells": [cell.model_dump() for cell in cells], "needs": dict(sorted(needs.items())),
            "gaps": [gap.model_dump() for gap in survey_gaps(found, region)]}


# -- the respondent -----------------------------------------------------------------------------------------
def _respondent(store: Store, token: str) -> tuple[Campaign, Invitation]:
    found = links.respondent(store, token)
    if found is None:
        raise ApiError(404, Message("survey.api.unknown_link"))
    campaign, invitation = found
    if not invitation.active:
        raise ApiError(410, Message("survey.api.revoked", campaign=campaign.name))
    if campaign.published_version is not None or campaign.is_closed():
        raise ApiError(410, Message("survey.api.closed", campaign=campaign.name, closes=campaign.closes.isoformat()))
    if not campaign.is_open():
        raise ApiError(403, Message("survey.api.not_open", campaign=campaign.name, opens=campaign.opens.isoformat()))
    return campaign, invitation


@respondents.get("/survey/{token}", response_model=Respondent, responses=problems(400, 403, 404, 410),
                 summary="The respondent's campaign and the sections it has saved")
def survey_status(token: Token, store: StoreDep) -> Response:
    """The campaign the link belongs to, the respondent's actor, and when each section was last saved. The link
    is the credential: no API token is needed (or read)."""
    campaign, invitation = _respondent(store, token)
    saved = {answer.section: answer.saved for answer in store.survey.answers(campaign.id, actor=invitation.actor)}
    actor = store.actor(invitation.actor)
    body = Respondent(campaign=campaign.id, name=campaign.name, opens=campaign.opens, closes=campaign.closes,
                      actor=actor.id, actor_name=actor.name, sections={s: saved.get(s) for s in SECTIONS},
                      answered="consent" in saved)
    return Response(body.model_dump_json(), media_type="application/json", headers=NO_STORE)


@respondents.get("/survey/{token}/{section}", response_model=SectionBody, responses=problems(400, 403, 404, 410),
                 summary="One section of the respondent's own answers")
def get_section(token: Token, section: SectionName, store: StoreDep) -> Response:
    """The section as the respondent last saved it (``payload`` null if not yet): its own answers only."""
    campaign, invitation = _respondent(store, token)
    found = [a for a in store.survey.answers(campaign.id, actor=invitation.actor) if a.section == section]
    body = SectionBody(section=section, payload=found[0].payload if found else None,
                       saved=found[0].saved if found else None)
    return Response(body.model_dump_json(), media_type="application/json", headers=NO_STORE)


@respondents.put("/survey/{token}/{section}", response_model=SectionBody,
                 responses=problems(400, 403, 404, 410, 413, 422), summary="Save one section of the answers")
def put_section(token: Token, section: SectionName, store: StoreDep, payload: Annotated[Any, Body(
        description="the section: profile {name, acronym, sector, type, scope, website, contact_name, "
                    "contact_email, contact_phone}; capabilities [{capability, level 0-4, groups, evidence}]; "
                    "partners [{partner | proposed {name, acronym, sector, region}, type, direction, since, "
                    "status, strength 1-5, trust 1-4, value 1-4}]; needs {capabilities}; consent {accepted: true}",
        examples=[{"capabilities": ["connectivity", "e_health"]}])]) -> Response:
    """Validate and save the section, replacing the previous save of it; durable when this answers. Partners
    must be known actors (``partner``) or new institutions (``proposed``), never the respondent itself."""
    campaign, invitation = _respondent(store, token)
    answer = SectionAnswer(campaign=campaign.id, actor=invitation.actor, section=section, payload=payload,
                           saved=now())
    if section == "partners":
        _check_partners(store, invitation.actor, parsed("partners", answer.payload).items)
    store.survey.save_section(answer)
    body = SectionBody(section=section, payload=answer.payload, saved=answer.saved)
    return Response(body.model_dump_json(), media_type="application/json", headers=NO_STORE)


def _check_partners(store: Store, actor: str, ties: list[Tie]) -> None:
    wanted = sorted({tie.partner for tie in ties if tie.partner is not None})
    known = {found.id for found in store.actors(ids=wanted)} if wanted else set()
    wrong = [(n, tie.partner) for n, tie in enumerate(ties) if tie.partner is not None
             and (tie.partner not in known or tie.partner == actor)]
    if wrong:
        raise ApiError(422, Message("survey.api.unknown_partner", actor=wrong[0][1]), errors=[
            {"field": f"body.items.{n}.partner", "message": Message("survey.api.unknown_partner", actor=partner)}
            for n, partner in wrong])
