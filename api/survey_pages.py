"""The ecosystem survey on the web: the respondent's form, the lab's campaign pages and the assessment.

* ``/survey/{token}``: the form an institution fills, one page per section (profile, digital capabilities,
  partners, needs, consent) and a receipt of what was recorded. The link is the respondent's only
  credential: it reads and writes its own actor's answers and nothing else. Plain HTML forms, POST then
  redirect, so it works with JavaScript off, on a 390-px phone and on slow 3G (no map, no vis-network: a
  page is a few KB); ``survey.js`` only filters the partner list as one types. A section is "guardado"
  once the store has committed it (the page reads it back). Every form carries a CSRF token derived from
  the link (HMAC-SHA256 with a secret of the tokens file), checked on POST. A closed or revoked link gets
  a clear page (410).
* ``/campaigns``: the lab's pages behind an admin or editor session (the ``/login`` form, also when reads are
  public): create a campaign, its roster, its links (CSV, xlsx and a printable sheet with a QR code per
  actor), progress, the review queue, publish. Their forms carry a CSRF token derived from the session.
* ``/assessment``: the maturity of capabilities by sector and region from published campaigns, a region
  against the national picture, as CSV and xlsx too.

Link tokens are never stored (only their SHA-256 hash is, as ``docs/survey.md`` says): the campaign pages
derive each one again from a secret of the tokens file, the campaign, the actor and a counter, so the lab
can print the sheet today and download the CSV tomorrow and both hold the same links.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Annotated, Any

import segno
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from openpyxl import Workbook
from starlette.datastructures import FormData

from api.deps import ServiceDep, SettingsDep, principal_of, scope
from api.sessions import COOKIE, SignInNeeded, page_reader, session_principal
from api.settings import ApiSettings
from api.tokens import Principal, TokenStore
from ecograph.i18n import in_words
from ecograph.model import (
    ACTOR_TYPES,
    CAPABILITIES,
    SCOPES,
    SECTORS,
    STATUSES,
    TARGET_GROUPS,
    TIE_TYPES,
    WEBSITE,
    Actor,
    slugify,
)
from ecograph.service import Service
from ecograph.stores import NotFound, Store, StoreError
from ecograph.survey import coverage, links, maturity, publish, review
from ecograph.survey import model as survey_model
from ecograph.survey.model import Campaign, Decision, SectionAnswer
from visuals.i18n import choose
from visuals.render import render

__all__ = ["router"]

SECTIONS = ("profile", "capabilities", "partners", "needs", "consent")
LEVELS = (0, 1, 2, 3, 4)
STRENGTHS = (1, 2, 3, 4, 5)
RATINGS = (1, 2, 3, 4)
PERU = timezone(timedelta(hours=-5))  # Peru keeps no daylight saving time
SHOWN_PARTNERS = 150
EMAIL = re.compile(survey_model.EMAIL)
PHONE = re.compile(survey_model.PHONE)
NO_STORE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}

router = APIRouter(include_in_schema=False)
"""Everything below; ``api.main`` includes this one router."""
respondent_router = APIRouter(include_in_schema=False)
"""The respondent's pages: no session, the link is the credential."""
admin_router = APIRouter(include_in_schema=False, prefix="/campaigns")
assessment_router = APIRouter(include_in_schema=False, dependencies=[Depends(page_reader)])


def today() -> date:
    """Today in Peru (campaign dates are Peruvian days, inclusive)."""
    return datetime.now(PERU).date()


def _secret(settings: ApiSettings, purpose: str) -> bytes:
    return TokenStore(settings.tokens).secret(purpose)


def _mac(key: bytes, text: str) -> str:
    return base64.urlsafe_b64encode(hmac.new(key, text.encode(), hashlib.sha256).digest()).decode().rstrip("=")


token_hash = links.token_hash

def link_token(settings: ApiSettings, campaign: str, actor: str, issue: int = 0) -> str:
    """The link token of ``actor`` in ``campaign`` (its ``issue``-th link), derived, never stored."""
    return links.PREFIX + _mac(_secret(settings, "survey-links"), f"{campaign}|{actor}|{issue}")


def form_token(settings: ApiSettings, hashed: str) -> str:
    """The CSRF token of a respondent's link: the same for every form of that link, unguessable without it."""
    return _mac(_secret(settings, "survey-forms"), hashed)


def admin_form_token(settings: ApiSettings, principal: Principal) -> str:
    """The CSRF token of the campaign pages' forms for a signed-in token."""
    return _mac(_secret(settings, "survey-admin-forms"), principal.id)


def _check(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected, given or "")


def _no_store(response: Response) -> Response:
    response.headers.update(NO_STORE)
    return response


def _redirect(url: str) -> Response:
    return _no_store(RedirectResponse(url, status_code=303))


def _page(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> Response:
    return _no_store(render(request, template, context, status_code=status_code))


# -- the respondent ----------------------------------------------------------------------------------------
@dataclass
class Respondent:
    """Who a link belongs to: its campaign, invitation and actor, and the answers saved so far (by section)."""

    token: str
    campaign: Any
    invitation: Any
    actor: Actor
    answers: dict[str, Any] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"/survey/{self.token}"

    def payload(self, section: str) -> Any:
        answer = self.answers.get(section)
        return answer.payload if answer is not None else None

    def items(self, section: str) -> list[dict[str, Any]]:
        """The entries of a list section (capabilities, partners) as saved; empty if not saved."""
        return list((self.payload(section) or {}).get("items", []))


class Gone(Exception):
    """A link that cannot be used (any more): why, and the status of the page that says so."""

    def __init__(self, reason: str, status: int, campaign: Any = None) -> None:
        super().__init__(reason)
        self.reason, self.status, self.campaign = reason, status, campaign


def link_state(campaign: Any, invitation: Any, day: date | None = None) -> str | None:
    """Why a link cannot be used today (``revoked``, ``not_open``, ``closed``), or None when it can."""
    day = day or today()
    if invitation.revoked is not None:
        return "revoked"
    if campaign.published_version is not None or day > campaign.closes:
        return "closed"
    if day < campaign.opens:
        return "not_open"
    return None


def respondent(service: Service, token: str) -> Respondent:
    """The respondent of a link token, with its own answers only; :class:`Gone` when the link is not usable."""
    store = service.store
    found = links.respondent(store, token)
    if found is None:
        raise Gone("unknown", 404)
    campaign, invitation = found
    state = link_state(campaign, invitation)
    if state is not None:
        raise Gone(state, 403 if state == "not_open" else 410, campaign)
    try:
        actor = store.actor(invitation.actor)
    except NotFound:
        raise Gone("unknown", 404) from None
    answers = {answer.section: answer for answer in store.survey.answers(campaign.id, actor=actor.id)}
    return Respondent(token, campaign, invitation, actor, answers)


def gone_page(request: Request, gone: Gone) -> Response:
    return _page(request, "survey/gone.html", {"reason": gone.reason, "campaign": gone.campaign},
                 status_code=gone.status)


def next_section(section: str) -> str | None:
    index = SECTIONS.index(section)
    return SECTIONS[index + 1] if index + 1 < len(SECTIONS) else None


def _form_context(request: Request, settings: ApiSettings, who: Respondent, section: str | None,
                  **extra: Any) -> dict[str, Any]:
    saved = request.query_params.get("saved")
    answer = who.answers.get(saved) if saved in SECTIONS else None
    return {"who": who, "campaign": who.campaign, "actor": who.actor, "section": section, "sections": SECTIONS,
            "done": {name for name in SECTIONS if name in who.answers}, "base": who.base,
            "csrf": form_token(settings, who.invitation.token_hash),
            "saved": answer, "saved_section": saved,
            "saved_at": answer.saved.astimezone(PERU).strftime("%Y-%m-%d %H:%M") if answer else None,
            "errors": {}, "levels": LEVELS, "strengths": STRENGTHS, "ratings": RATINGS,
            "capabilities": CAPABILITIES, "groups": TARGET_GROUPS, "sectors": SECTORS, "types": ACTOR_TYPES,
            "scopes": SCOPES, "tie_types": TIE_TYPES, "statuses": STATUSES, **extra}


def _respond(request: Request, service: Service, settings: ApiSettings, token: str, section: str | None,
             template: str, status_code: int = 200, **extra: Any) -> Response:
    try:
        who = respondent(service, token)
    except Gone as gone:
        return gone_page(request, gone)
    context = _form_context(request, settings, who, section, **extra)
    if section is not None and "values" not in context:
        context["values"] = SECTION_VALUES[section](who)
    return _page(request, template, context, status_code=status_code)


@respondent_router.get("/survey/{token}")
def survey_start(request: Request, token: str, service: ServiceDep, settings: SettingsDep) -> Response:
    return _respond(request, service, settings, token, None, "survey/start.html")


@respondent_router.get("/survey/{token}/receipt")
def survey_receipt(request: Request, token: str, service: ServiceDep, settings: SettingsDep) -> Response:
    try:
        who = respondent(service, token)
    except Gone as gone:
        return gone_page(request, gone)
    names = _names(service.store, _partner_ids(who.items("partners")))
    return _page(request, "survey/receipt.html", _form_context(request, settings, who, None, names=names))


@respondent_router.get("/survey/{token}/partners")
def survey_partners(request: Request, token: str, service: ServiceDep, settings: SettingsDep, q: str = "",
                    sector: str = "", region: str = "") -> Response:
    try:
        who = respondent(service, token)
    except Gone as gone:
        return gone_page(request, gone)
    store = service.store
    entries = who.items("partners")
    found, more = partner_search(store, who, q, sector, region)
    context = _form_context(request, settings, who, "partners", entries=entries, found=found, more=more,
                            names=_names(store, _partner_ids(entries)), query={"q": q, "sector": sector,
                                                                              "region": region},
                            regions=store.regions())
    return _page(request, "survey/partners.html", context)


@respondent_router.get("/survey/{token}/partners/add")
def survey_partner_form(request: Request, token: str, service: ServiceDep, settings: SettingsDep,
                        partner: str = "", proposed: str = "", edit: str = "") -> Response:
    try:
        who = respondent(service, token)
    except Gone as gone:
        return gone_page(request, gone)
    entries = who.items("partners")
    values: dict[str, Any] = {"types": [], "status": "active", "since": "", "strength": "", "trust": "", "value": ""}
    index = int(edit) if edit.isdigit() and int(edit) < len(entries) else None
    if index is not None:
        entry = entries[index]
        values |= {key: "" if entry.get(key) is None else str(entry.get(key)) for key in
                   ("since", "status", "strength", "trust", "value", "direction")} | {"types": [entry["type"]]}
        partner = entry.get("partner") or ""
        values["proposed"] = entry.get("proposed") or {}
    return _partner_form(request, service, settings, who, partner, bool(proposed) or bool(values.get("proposed")),
                         index, values)


def _partner_form(request: Request, service: Service, settings: ApiSettings, who: Respondent, partner: str,
                  proposed: bool, index: int | None, values: dict[str, Any], errors: Mapping[str, str] | None = None,
                  status_code: int = 200) -> Response:
    store = service.store
    chosen = None
    if partner and not proposed:
        try:
            chosen = store.actor(partner)
        except NotFound:
            return _redirect(f"{who.base}/partners")
    context = _form_context(request, settings, who, "partners", chosen=chosen, proposed=proposed, index=index,
                            values=values, errors=dict(errors or {}), regions=store.regions())
    return _page(request, "survey/partner.html", context, status_code=status_code)


@respondent_router.post("/survey/{token}/partners/add")
async def survey_partner_add(request: Request, token: str, service: ServiceDep, settings: SettingsDep) -> Response:
    form = await request.form()
    try:
        who = respondent(service, token)
    except Gone as gone:
        return gone_page(request, gone)
    if not _check(form_token(settings, who.invitation.token_hash), form.get("csrf")):  # type: ignore[arg-type]
        return forbidden(request)
    store = service.store
    entries = list(who.items("partners"))
    edit = str(form.get("edit") or "")
    index = int(edit) if edit.isdigit() and int(edit) < len(entries) else None
    new, errors = parse_partner(form, store, who.actor.id)
    if errors:
        values = {key: str(form.get(key) or "") for key in ("since", "status", "strength", "trust", "value",
                                                             "direction")}
        values |= {"types": form.getlist("types"), "proposed": {key: str(form.get(f"proposed_{key}") or "") for key
                                                                 in ("name", "acronym", "sector", "region")}}
        return _partner_form(request, service, settings, who, str(form.get("partner") or ""),
                             bool(form.get("proposed")), index, values, errors, status_code=422)
    if index is not None:
        del entries[index]
    keys = {_entry_key(entry) for entry in new}
    entries = [entry for entry in entries if _entry_key(entry) not in keys] + new
    try:
        save(store, who, "partners", entries)
    except ValueError:  # the core's checks refused something the form let through
        return _partner_form(request, service, settings, who, str(form.get("partner") or ""),
                             bool(form.get("proposed")), index, {"types": [], "status": "active", "since": "",
                                                                 "strength": "", "trust": "", "value": ""},
                             {"_": "survey.form.error.invalid"}, status_code=422)
    return _redirect(f"{who.base}/partners?saved=partners")


@respondent_router.post("/survey/{token}/partners/remove")
async def survey_partner_remove(request: Request, token: str, service: ServiceDep,
                                settings: SettingsDep) -> Response:
    form = await request.form()
    try:
        who = respondent(service, token)
    except Gone as gone:
        return gone_page(request, gone)
    if not _check(form_token(settings, who.invitation.token_hash), form.get("csrf")):  # type: ignore[arg-type]
        return forbidden(request)
    entries = list(who.items("partners"))
    index = str(form.get("index") or "")
    if index.isdigit() and int(index) < len(entries):
        del entries[int(index)]
        save(service.store, who, "partners", entries)
    return _redirect(f"{who.base}/partners?saved=partners")


@respondent_router.get("/survey/{token}/{section}")
def survey_section(request: Request, token: str, section: str, service: ServiceDep, settings: SettingsDep) -> Response:
    if section not in SECTIONS or section == "partners":
        if section == "partners":
            return _redirect(f"/survey/{token}/partners")
        return _page(request, "survey/gone.html", {"reason": "unknown", "campaign": None}, status_code=404)
    return _respond(request, service, settings, token, section, f"survey/{section}.html")


@respondent_router.post("/survey/{token}/{section}")
async def survey_save(request: Request, token: str, section: str, service: ServiceDep,
                      settings: SettingsDep) -> Response:
    """Save one section as submitted (the whole section: the latest save replaces the previous one), then go on."""
    form = await request.form()
    if section not in SECTIONS:
        return _page(request, "survey/gone.html", {"reason": "unknown", "campaign": None}, status_code=404)
    try:
        who = respondent(service, token)
    except Gone as gone:
        return gone_page(request, gone)
    if not _check(form_token(settings, who.invitation.token_hash), form.get("csrf")):  # type: ignore[arg-type]
        return forbidden(request)
    if section == "partners":  # confirming the list as it stands (possibly empty)
        save(service.store, who, "partners", list(who.items("partners")))
        return _redirect(f"{who.base}/needs?saved=partners")
    payload, errors, values = PARSERS[section](form)
    if errors:
        context = _form_context(request, settings, who, section, errors=errors, values=values)
        return _page(request, f"survey/{section}.html", context, status_code=422)
    try:
        save(service.store, who, section, payload)
    except ValueError:  # the core's checks refused something the form let through
        context = _form_context(request, settings, who, section, errors={"_": "survey.form.error.invalid"},
                                values=values)
        return _page(request, f"survey/{section}.html", context, status_code=422)
    following = next_section(section)
    return _redirect(f"{who.base}/{following}?saved={section}" if following else f"{who.base}/receipt?saved={section}")


def save(store: Store, who: Respondent, section: str, payload: Any) -> None:
    """Save a section for the link's own actor; durable when this returns (the store has committed it)."""
    if section in ("capabilities", "partners"):
        payload = {"items": payload}
    store.survey.save_section(SectionAnswer(campaign=who.campaign.id, actor=who.actor.id, section=section,
                                            payload=payload))


def forbidden(request: Request) -> Response:
    """A form whose CSRF token is missing or wrong (not sent from this link's own page)."""
    return _page(request, "survey/gone.html", {"reason": "csrf", "campaign": None}, status_code=403)


# -- reading the forms ---------------------------------------------------------------------------------------
def _text(form: FormData, name: str, limit: int = 300) -> str:
    return " ".join(str(form.get(name) or "").split())[:limit]


def _website(text: str) -> str | None:
    """A web address as people type it (``www.unc.edu.pe``) made a full one; None when empty."""
    if not text:
        return None
    if not re.match(r"^https?://", text, re.I) and re.match(r"^[\w.-]+\.[a-z]{2,}(/\S*)?$", text, re.I):
        text = "https://" + text
    return text


def parse_profile(form: FormData) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """The profile section from its form: (payload, errors by field, the values to show again)."""
    values = {name: _text(form, name) for name in ("name", "acronym", "sector", "type", "scope", "website",
                                                    "contact_name", "contact_email", "contact_phone")}
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "survey.form.error.required"
    for name, allowed in (("sector", SECTORS), ("type", ACTOR_TYPES), ("scope", SCOPES)):
        if values[name] not in allowed:
            errors[name] = "survey.form.error.choose"
    website = _website(values["website"])
    if website is not None and not re.match(WEBSITE, website):
        errors["website"] = "survey.form.error.address"
    if values["contact_email"] and not EMAIL.match(values["contact_email"]):
        errors["contact_email"] = "survey.form.error.email"
    if values["contact_phone"] and not PHONE.match(values["contact_phone"]):
        errors["contact_phone"] = "survey.form.error.phone"
    payload = {**{key: value or None for key, value in values.items()}, "website": website}
    return payload, errors, values


def parse_capabilities(form: FormData) -> tuple[list[dict[str, Any]], dict[str, str], dict[str, Any]]:
    """The capabilities section: one entry per capability given a level (0-4); the rest are not worked on."""
    entries, errors = [], {}
    for capability in CAPABILITIES:
        level = str(form.get(f"level-{capability}") or "")
        groups = [group for group in form.getlist(f"groups-{capability}") if group in TARGET_GROUPS]
        evidence = _website(_text(form, f"evidence-{capability}", 500))
        if level not in {str(n) for n in LEVELS}:
            if level or groups or evidence:
                errors[capability] = "survey.form.error.level"
            continue
        if evidence is not None and not re.match(WEBSITE, evidence):
            errors[capability] = "survey.form.error.address"
        entries.append({"capability": capability, "level": int(level), "groups": groups, "evidence": evidence})
    values = {"entries": {entry["capability"]: entry for entry in entries},
              "raw": {capability: {"level": str(form.get(f"level-{capability}") or ""),
                                   "evidence": _text(form, f"evidence-{capability}", 500),
                                   "groups": form.getlist(f"groups-{capability}")} for capability in CAPABILITIES}}
    return entries, errors, values


def parse_needs(form: FormData) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    chosen = [capability for capability in CAPABILITIES if capability in form.getlist("needs")]
    return {"capabilities": chosen}, {}, {"needs": chosen}


def parse_consent(form: FormData) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    if form.get("accepted") != "yes":
        return {}, {"accepted": "survey.form.error.consent"}, {"accepted": False}
    return {"accepted": True}, {}, {"accepted": True}


PARSERS = {"profile": parse_profile, "capabilities": parse_capabilities, "needs": parse_needs,
           "consent": parse_consent}


def _number(text: str, allowed: Iterable[int]) -> int | None:
    return int(text) if text.isdigit() and int(text) in allowed else None


def parse_partner(form: FormData, store: Store, own: str) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """One partner of the form: an entry per tie type ticked, all with the same since, status and ratings."""
    errors: dict[str, str] = {}
    common: dict[str, Any] = {}
    if form.get("proposed"):
        proposed = {"name": _text(form, "proposed_name"), "acronym": _text(form, "proposed_acronym") or None,
                    "sector": _text(form, "proposed_sector"), "region": _text(form, "proposed_region") or None}
        if not proposed["name"]:
            errors["proposed_name"] = "survey.form.error.required"
        if proposed["sector"] not in SECTORS:
            errors["proposed_sector"] = "survey.form.error.choose"
        if proposed["region"] is not None and proposed["region"] not in {r.code for r in store.regions()}:
            errors["proposed_region"] = "survey.form.error.choose"
        common["proposed"] = proposed
    else:
        partner = _text(form, "partner")
        try:
            common["partner"] = store.actor(partner).id if partner and partner != own else None
        except NotFound:
            common["partner"] = None
        if common["partner"] is None:
            errors["partner"] = "survey.form.error.partner"
    types = [kind for kind in TIE_TYPES if kind in form.getlist("types")]
    if not types:
        errors["types"] = "survey.form.error.types"
    since_text = _text(form, "since")
    since = _number(since_text, range(1950, today().year + 1))
    if since_text and since is None:
        errors["since"] = "survey.form.error.year"
    status = _text(form, "status")
    if status not in STATUSES:
        errors["status"] = "survey.form.error.choose"
    strength = _number(_text(form, "strength"), STRENGTHS)
    if strength is None:
        errors["strength"] = "survey.form.error.choose"
    direction = _text(form, "direction")
    common |= {"direction": direction if direction in ("gives", "receives") else "gives", "since": since,
               "status": status, "strength": strength,
               "trust": _number(_text(form, "trust"), RATINGS), "value": _number(_text(form, "value"), RATINGS)}
    return [{"type": kind, **common} for kind in types], errors


def _entry_key(entry: Mapping[str, Any]) -> tuple[str, str]:
    partner = entry.get("partner") or "proposed:" + slugify((entry.get("proposed") or {}).get("name") or "")
    return partner, entry["type"]


def _partner_ids(entries: Iterable[Mapping[str, Any]]) -> list[str]:
    return sorted({entry["partner"] for entry in entries if entry.get("partner")})


def _names(store: Store, ids: Sequence[str]) -> dict[str, Actor]:
    return {actor.id: actor for actor in store.actors(ids=list(ids))} if ids else {}


def partner_search(store: Store, who: Respondent, text: str, sector: str, region: str) -> tuple[list[Actor], int]:
    """Actors a respondent may name as partners: by name or acronym, sector and home region (``PE``: national
    or international), the campaign's regions and national actors first; at most ``SHOWN_PARTNERS``."""
    filters = {"sector": sector if sector in SECTORS else None}
    if region and region != "PE":
        filters["region"] = region
    found = [actor for actor in store.search_actors(text.strip(), **filters) if actor.id != who.actor.id
             and (region != "PE" or actor.region is None)]
    if not (text.strip() or sector or region):
        found = [actor for actor in found if actor.region is None or actor.region in who.campaign.regions]
    found.sort(key=lambda actor: (actor.region not in who.campaign.regions, actor.region is not None,
                                  actor.name.casefold()))
    return found[:SHOWN_PARTNERS], max(0, len(found) - SHOWN_PARTNERS)


# -- what each form shows first -------------------------------------------------------------------------------
def profile_values(who: Respondent) -> dict[str, Any]:
    saved = who.payload("profile")
    if saved:
        return {key: "" if value is None else value for key, value in saved.items()}
    actor = who.actor
    return {"name": actor.name, "acronym": actor.acronym or "", "sector": actor.sector, "type": actor.type,
            "scope": actor.scope, "website": actor.website or "", "contact_name": "", "contact_email": "",
            "contact_phone": ""}


def capability_values(who: Respondent) -> dict[str, Any]:
    saved = who.payload("capabilities")
    entries = {entry["capability"]: entry for entry in who.items("capabilities")}
    raw = {capability: {"level": str(entry["level"]), "evidence": entry.get("evidence") or "",
                        "groups": list(entry.get("groups") or [])} for capability, entry in entries.items()}
    if saved is None:  # first visit: open the capabilities the dataset already credits the actor with
        raw = {capability: {"level": "", "evidence": "", "groups": []} for capability in who.actor.capabilities}
    return {"entries": entries, "raw": raw}


def needs_values(who: Respondent) -> dict[str, Any]:
    saved = who.payload("needs")
    return {"needs": list(saved.get("capabilities", [])) if saved else []}


def consent_values(who: Respondent) -> dict[str, Any]:
    saved = who.payload("consent")
    return {"accepted": bool(saved and saved.get("accepted"))}


SECTION_VALUES = {"profile": profile_values, "capabilities": capability_values, "needs": needs_values,
                  "consent": consent_values, "partners": lambda who: {}}


# -- the lab's campaign pages ---------------------------------------------------------------------------------
def lab_member(request: Request, settings: SettingsDep) -> Principal:
    """An admin or editor, by bearer token or session; otherwise the sign-in form (even when reads are public)."""
    principal = principal_of(request, settings) or session_principal(settings, request.cookies.get(COOKIE))
    if principal is None:
        raise SignInNeeded
    if not principal.writes:
        raise NotLabMember
    return principal


class NotLabMember(Exception):
    """A signed-in reader token on the campaign pages."""


LabMember = Annotated[Principal, Depends(lab_member)]


def may_run(principal: Principal, campaign: Any) -> bool:
    """Admins run every campaign; an editor runs the campaigns whose regions are all its own."""
    return principal.role == "admin" or all(principal.may_write(region) for region in campaign.regions)


def _campaign(service: Service, principal: Principal, campaign_id: str) -> Any:
    try:
        campaign = service.store.survey.campaign(campaign_id)
    except NotFound:
        campaign = None
    if campaign is None or not may_run(principal, campaign):
        raise NoCampaign
    return campaign


class NoCampaign(Exception):
    """No such campaign (or not one this token may run)."""


def _admin_page(request: Request, settings: ApiSettings, principal: Principal, template: str,
                context: dict[str, Any], status_code: int = 200) -> Response:
    base = {"twin": "/api/v1/campaigns", "csrf": admin_form_token(settings, principal), "principal": principal,
            "errors": {}, "notice": request.query_params.get("done")}
    return _page(request, template, base | context, status_code=status_code)


async def _admin_form(request: Request, settings: ApiSettings, principal: Principal) -> FormData:
    form = await request.form()
    if not _check(admin_form_token(settings, principal), form.get("csrf")):  # type: ignore[arg-type]
        raise BadAdminForm
    return form


class BadAdminForm(Exception):
    """A campaign form without this session's CSRF token."""


@admin_router.get("")
def campaigns(request: Request, service: ServiceDep, settings: SettingsDep, principal: LabMember) -> Response:
    store = service.store
    shown = [campaign for campaign in store.survey.campaigns() if may_run(principal, campaign)]
    rates = {campaign.id: campaign_coverage(store, campaign) for campaign in shown}
    return _admin_page(request, settings, principal, "survey/campaigns.html", {
        "campaigns": shown, "rates": rates, "regions": _writable_regions(store, principal), "values": {}})


def _writable_regions(store: Store, principal: Principal) -> list[Any]:
    return [region for region in store.regions() if principal.may_write(region.code)]


@admin_router.post("")
async def campaign_create(request: Request, service: ServiceDep, settings: SettingsDep,
                          principal: LabMember) -> Response:
    form = await _admin_form(request, settings, principal)
    store = service.store
    allowed = {region.code for region in _writable_regions(store, principal)}
    name, regions = _text(form, "name", 200), [code for code in form.getlist("regions") if code in allowed]
    values = {"name": name, "regions": regions, "opens": _text(form, "opens"), "closes": _text(form, "closes")}
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "survey.form.error.required"
    if not regions:
        errors["regions"] = "survey.form.error.choose"
    try:
        opens, closes = date.fromisoformat(values["opens"]), date.fromisoformat(values["closes"])
        if closes < opens:
            errors["closes"] = "survey.admin.error.dates"
    except ValueError:
        errors["closes"] = "survey.admin.error.dates"
    if errors:
        shown = [campaign for campaign in store.survey.campaigns() if may_run(principal, campaign)]
        return _admin_page(request, settings, principal, "survey/campaigns.html", {
            "campaigns": shown, "rates": {c.id: campaign_coverage(store, c) for c in shown},
            "regions": _writable_regions(store, principal), "values": values, "errors": errors}, status_code=422)
    taken = {campaign.id for campaign in store.survey.campaigns()}
    slug = slugify(name)[:50] or "campana"
    campaign_id = next(candidate for candidate in (slug, *(f"{slug}-{n}" for n in range(2, 1000)))
                       if candidate not in taken)
    campaign = Campaign(id=campaign_id, name=name, regions=sorted(regions), opens=opens, closes=closes)
    store.survey.create_campaign(campaign)
    if form.get("invite_all"):
        invite(store, settings, campaign, [a.id for code in campaign.regions for a in store.actors(region=code)])
    return _redirect(f"/campaigns/{campaign.id}?done=created")


MAX_ISSUES = 50
"""How many times one actor's link may be issued again in one campaign (the counter of :func:`link_token`)."""


def issue_number(settings: ApiSettings, invitation: Any) -> int | None:
    """Which derived link an invitation holds (None: its token was made elsewhere, e.g. by the CLI's export)."""
    for n in range(MAX_ISSUES):
        if token_hash(link_token(settings, invitation.campaign, invitation.actor, n)) == invitation.token_hash:
            return n
    return None


def invite(store: Store, settings: ApiSettings, campaign: Any, actors: Iterable[str], again: bool = False) -> int:
    """Put actors on the roster with derived links, marked as handed out (the links are on the campaign page);
    with ``again``, give actors already on it a new link (the old one stops working, a revoked one works
    again). Returns how many links were made."""
    current = {invitation.actor: invitation for invitation in store.survey.invitations(campaign.id)}
    wanted = [actor for actor in dict.fromkeys(actors) if again or actor not in current]
    known = _names(store, wanted)
    new = []
    for actor in wanted:
        if actor not in known or not links.may_invite(campaign, known[actor]):
            continue
        old = current.get(actor)
        n = 0 if old is None else (issue_number(settings, old) or 0) + 1
        if n < MAX_ISSUES:
            new.append((actor, token_hash(link_token(settings, campaign.id, actor, n))))
    if new:
        store.survey.add_invitations(campaign.id, new, sent=datetime.now(UTC))
    return len(new)


@dataclass
class Link:
    """A roster entry as the campaign pages show it: the actor, its link (when it can be derived) and state."""

    actor: Actor
    invitation: Any
    url: str | None
    answered: bool
    sections: int
    contact: str | None = None


def roster_links(request: Request, store: Store, settings: ApiSettings, campaign: Any,
                 active_only: bool = True) -> list[Link]:
    """Every actor on the roster with its link (when this page made it) and how far it got, by region and name."""
    roster = store.survey.invitations(campaign.id)
    actors = _names(store, sorted(invitation.actor for invitation in roster))
    answers: dict[str, set[str]] = defaultdict(set)
    contacts: dict[str, str] = {}
    for answer in store.survey.answers(campaign.id):
        answers[answer.actor].add(answer.section)
        if answer.section == "profile" and answer.payload.get("contact_email"):
            contacts[answer.actor] = answer.payload["contact_email"]
    root = str(request.base_url)
    found = []
    for invitation in roster:
        if invitation.actor not in actors or (active_only and invitation.revoked is not None):
            continue
        n = issue_number(settings, invitation)
        url = None if n is None else links.link(root, link_token(settings, campaign.id, invitation.actor, n))
        found.append(Link(actors[invitation.actor], invitation, url, "consent" in answers[invitation.actor],
                          len(answers[invitation.actor] & set(SECTIONS)), contacts.get(invitation.actor)))
    return sorted(found, key=lambda link: (link.actor.region or "", link.actor.name.casefold()))


def campaign_coverage(store: Store, campaign: Any) -> coverage.Coverage:
    """The campaign's coverage (answered over rostered, by region and sector; who has not answered)."""
    roster = [invitation for invitation in store.survey.invitations(campaign.id) if invitation.revoked is None]
    actors = _names(store, sorted({invitation.actor for invitation in roster}))
    return coverage.coverage(campaign, actors.values(), store.survey.answers(campaign.id))


@admin_router.get("/{campaign_id}")
def campaign_page(request: Request, campaign_id: str, service: ServiceDep, settings: SettingsDep,
                  principal: LabMember) -> Response:
    campaign = _campaign(service, principal, campaign_id)
    return _admin_page(request, settings, principal, "survey/campaign.html",
                       campaign_context(request, service.store, settings, campaign))


def campaign_context(request: Request, store: Store, settings: ApiSettings, campaign: Any) -> dict[str, Any]:
    """What the campaign page shows: progress, who has not answered, links, roster, review and publish."""
    everyone = roster_links(request, store, settings, campaign, active_only=False)
    links = [link for link in everyone if link.invitation.revoked is None]
    invited = {link.actor.id for link in everyone}
    candidates = [actor for code in campaign.regions for actor in store.actors(region=code) if actor.id not in invited]
    names = {region.code: region.name for region in store.regions()}
    return {"campaign": campaign, "links": everyone, "coverage": campaign_coverage(store, campaign),
            "candidates": sorted(candidates, key=lambda actor: actor.name.casefold()),
            "waiting": [link for link in links if not link.answered], "items": review_count(store, campaign),
            "region_names": names, "regions_text": ", ".join(names.get(code, code) for code in campaign.regions),
            "is_open": _is_open(campaign), "error": None}


def _is_open(campaign: Any) -> bool:
    return campaign.published_version is None and campaign.opens <= today() <= campaign.closes


@admin_router.post("/{campaign_id}/roster")
async def campaign_roster(request: Request, campaign_id: str, service: ServiceDep, settings: SettingsDep,
                          principal: LabMember) -> Response:
    form = await _admin_form(request, settings, principal)
    store = service.store
    campaign = _campaign(service, principal, campaign_id)
    allowed = {actor.id for code in campaign.regions for actor in store.actors(region=code)}
    invite(store, settings, campaign, [actor for actor in form.getlist("actors") if actor in allowed])
    return _redirect(f"/campaigns/{campaign.id}?done=invited#roster")


@admin_router.post("/{campaign_id}/revoke")
async def campaign_revoke(request: Request, campaign_id: str, service: ServiceDep, settings: SettingsDep,
                          principal: LabMember) -> Response:
    form = await _admin_form(request, settings, principal)
    campaign = _campaign(service, principal, campaign_id)
    service.store.survey.revoke(campaign.id, _text(form, "actor"))
    return _redirect(f"/campaigns/{campaign.id}?done=revoked#roster")


@admin_router.post("/{campaign_id}/reissue")
async def campaign_reissue(request: Request, campaign_id: str, service: ServiceDep, settings: SettingsDep,
                           principal: LabMember) -> Response:
    """A new link for one actor (lost, made elsewhere, or revoked): the old one stops working."""
    form = await _admin_form(request, settings, principal)
    campaign = _campaign(service, principal, campaign_id)
    invite(service.store, settings, campaign, [_text(form, "actor")], again=True)
    return _redirect(f"/campaigns/{campaign.id}?done=reissued#roster")


LINK_COLUMNS = ("actor", "name", "acronym", "sector", "region", "link", "answered")


def _link_rows(links: Sequence[Link]) -> list[list[Any]]:
    return [[link.actor.id, link.actor.name, link.actor.acronym or "", link.actor.sector, link.actor.region or "",
             link.url or "", "yes" if link.answered else "no"] for link in links]


@admin_router.get("/{campaign_id}/links.csv")
def campaign_links_csv(request: Request, campaign_id: str, service: ServiceDep, settings: SettingsDep,
                       principal: LabMember) -> Response:
    campaign = _campaign(service, principal, campaign_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(LINK_COLUMNS)
    writer.writerows(_link_rows(roster_links(request, service.store, settings, campaign)))
    return _download(out.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8", f"{campaign.id}-enlaces.csv")


@admin_router.get("/{campaign_id}/links.xlsx")
def campaign_links_xlsx(request: Request, campaign_id: str, service: ServiceDep, settings: SettingsDep,
                        principal: LabMember) -> Response:
    campaign = _campaign(service, principal, campaign_id)
    body = workbook({"links": [list(LINK_COLUMNS), *_link_rows(roster_links(request, service.store, settings,
                                                                             campaign))]})
    return _download(body, XLSX, f"{campaign.id}-enlaces.xlsx")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(sheets: Mapping[str, Sequence[Sequence[Any]]]) -> bytes:
    """An .xlsx file with one sheet per entry (the first row of each is its header)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title[:31])
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _download(body: bytes, media_type: str, filename: str) -> Response:
    return _no_store(Response(body, media_type=media_type,
                              headers={"Content-Disposition": f'attachment; filename="{filename}"'}))


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code of ``url`` (segno; no XML declaration, sized by CSS)."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=2, border=2, omitsize=True, dark="#000", light="#fff", svgclass="qr",
                          lineclass=None)
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" ', 1))  # the address is printed beside it


@admin_router.get("/{campaign_id}/sheet")
def campaign_sheet(request: Request, campaign_id: str, service: ServiceDep, settings: SettingsDep,
                   principal: LabMember, region: str = "") -> Response:
    campaign = _campaign(service, principal, campaign_id)
    links = [link for link in roster_links(request, service.store, settings, campaign)
             if link.url and (not region or link.actor.region == region)]
    return _admin_page(request, settings, principal, "survey/sheet.html", {
        "campaign": campaign, "links": links, "codes": {link.actor.id: qr_svg(link.url) for link in links
                                                        if link.url}})


def review_items(store: Store, campaign: Any) -> list[review.ReviewItem]:
    """The campaign's review items (:mod:`ecograph.survey.review`)."""
    return review.review_items(store, campaign)


def review_count(store: Store, campaign: Any) -> int:
    """How many review items still wait for a decision."""
    decided = {decision.item for decision in store.survey.decisions(campaign.id)}
    return sum(item.id not in decided for item in review_items(store, campaign))


@admin_router.get("/{campaign_id}/review")
def campaign_review(request: Request, campaign_id: str, service: ServiceDep, settings: SettingsDep,
                    principal: LabMember) -> Response:
    store = service.store
    campaign = _campaign(service, principal, campaign_id)
    items = review_items(store, campaign)
    decisions = {decision.item: decision for decision in store.survey.decisions(campaign.id)}
    ids = {actor for item in items for actor in _item_actors(item)}
    return _admin_page(request, settings, principal, "survey/review.html", {
        "campaign": campaign, "items": items, "decisions": decisions, "names": _names(store, sorted(ids))})


def _item_actors(item: review.ReviewItem) -> set[str]:
    found = {*item.respondents, *(candidate.actor for candidate in item.duplicates)}
    if item.tie is not None:
        found |= {item.tie.source, item.tie.target}
    if item.kind == "profile":
        found.add(item.subject)
    return found


@admin_router.post("/{campaign_id}/review")
async def campaign_decide(request: Request, campaign_id: str, service: ServiceDep, settings: SettingsDep,
                          principal: LabMember) -> Response:
    form = await _admin_form(request, settings, principal)
    store = service.store
    campaign = _campaign(service, principal, campaign_id)
    item, action, into = _text(form, "item"), _text(form, "action"), _text(form, "merge_into") or None
    known = {entry.id for entry in review_items(store, campaign)}
    if item in known and action in ("accept", "merge", "reject") and (action != "merge" or into):
        store.survey.save_decision(Decision(campaign=campaign.id, item=item, action=action,
                                            merge_into=into if action == "merge" else None))
    return _redirect(f"/campaigns/{campaign.id}/review?done=decided")


@admin_router.post("/{campaign_id}/publish")
async def campaign_publish(request: Request, campaign_id: str, service: ServiceDep, settings: SettingsDep,
                           principal: LabMember) -> Response:
    await _admin_form(request, settings, principal)
    store = service.store
    campaign = _campaign(service, principal, campaign_id)
    if campaign.published_version is None:
        try:
            publish.publish(store, campaign, may_write=scope(principal), who=principal.id)
        except (StoreError, ValueError) as refused:  # nothing to write, out of an editor's regions, ...
            context = campaign_context(request, store, settings, campaign)
            return _admin_page(request, settings, principal, "survey/campaign.html",
                               context | {"error": in_words(refused, choose(request))}, status_code=409)
        service.changed()
    return _redirect(f"/campaigns/{campaign.id}?done=published")


# -- the assessment -------------------------------------------------------------------------------------------
def published_campaigns(store: Store, region: str | None = None) -> list[Any]:
    """Published campaigns (the ones covering ``region``), newest first."""
    found = [campaign for campaign in store.survey.campaigns() if campaign.published_version is not None
             and (region is None or region in campaign.regions)]
    return sorted(found, key=lambda campaign: (campaign.published_version, campaign.id), reverse=True)


@dataclass
class Cell:
    """One cell of a maturity heatmap: the median level (None: nobody answered), how many answered, the spread."""

    median: float | None
    count: int
    low: int | None = None
    high: int | None = None

    @property
    def shade(self) -> str:
        return "none" if self.median is None else str(int(self.median + 0.5))


EMPTY = Cell(None, 0)


def published_cells(store: Store) -> list[maturity.Cell]:
    """The maturity cells of every published campaign (each actor's latest answers; consenting respondents)."""
    answers = publish.published_answers(store)
    if not answers:
        return []
    return maturity.maturity(answers, store.actors(ids=sorted({answer.actor for answer in answers})))


def heatmap(cells: Iterable[maturity.Cell], region: str) -> dict[str, Any]:
    """Capability × sector cells of one region (``PE``: the national picture), and a row for all sectors;
    only the capabilities somebody rated."""
    by = {(cell.capability, cell.sector): Cell(cell.median, cell.respondents, cell.low, cell.high)
          for cell in cells if cell.region == region}
    capabilities = [c for c in CAPABILITIES if (c, None) in by]
    sectors = [s for s in SECTORS if any((c, s) in by for c in capabilities)]
    return {"capabilities": capabilities, "sectors": sectors,
            "cells": {(c, s): by.get((c, s), EMPTY) for c in capabilities for s in sectors},
            "rows": {c: by[c, None] for c in capabilities}}


def assessment_rows(cells: Iterable[maturity.Cell]) -> list[list[Any]]:
    """The long table behind the assessment: region (``PE``: national) × sector (empty: all) × capability."""
    return [[cell.region, cell.sector or "", cell.capability, cell.respondents, cell.median, cell.low, cell.high]
            for cell in cells]


ASSESSMENT_COLUMNS = ("region", "sector", "capability", "respondents", "median_level", "lowest", "highest")


@assessment_router.get("/assessment")
def assessment(request: Request, service: ServiceDep, region: str = "") -> Response:
    store = service.store
    campaigns = published_campaigns(store)
    cells = published_cells(store)
    regions = {r.code: r for r in store.regions()}
    surveyed = sorted({cell.region for cell in cells if cell.region in regions}, key=lambda code: regions[code].name)
    chosen = region if region in surveyed else None
    return render(request, "survey/assessment.html", {
        "twin": "/api/v1/assessment", "version": service.version(), "campaigns": campaigns,
        "national": heatmap(cells, "PE"), "local": heatmap(cells, chosen) if chosen else None, "chosen": chosen,
        "surveyed": surveyed, "regions": regions,
        "by_region": {code: heatmap(cells, code)["rows"] for code in surveyed},
        "illustrative": any(c.illustrative for c in campaigns)})


@assessment_router.get("/assessment.csv")
def assessment_csv(service: ServiceDep) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ASSESSMENT_COLUMNS)
    writer.writerows(assessment_rows(published_cells(service.store)))
    return Response(out.getvalue().encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="evaluacion-madurez.csv"'})


@assessment_router.get("/assessment.xlsx")
def assessment_xlsx(service: ServiceDep) -> Response:
    rows = assessment_rows(published_cells(service.store))
    return Response(workbook({"maturity": [list(ASSESSMENT_COLUMNS), *rows]}), media_type=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="evaluacion-madurez.xlsx"'})


def region_assessment(store: Store, code: str) -> dict[str, Any] | None:
    """What a region page shows of the survey (``_assessment.html``): the coverage of the latest published campaign
    that covered the region, its maturity heatmap, and the ties the survey wrote with their status. None when the
    region was never surveyed."""
    campaigns = published_campaigns(store, code)
    if not campaigns:
        return None
    latest = campaigns[0]
    share = campaign_coverage(store, latest).by_region.get(code) or coverage.Share(answered=0, rostered=0)
    ties = [tie for tie in store.collaborations(region=code) if getattr(tie, "confirmation", None)]
    names = _names(store, sorted({end for tie in ties for end in (tie.source, tie.target)}))
    ties.sort(key=lambda tie: (tie.confirmation != "confirmed", names[tie.source].name.casefold()
                               if tie.source in names else tie.source, tie.target, tie.type))
    return {"campaign": latest, "share": share, "heatmap": heatmap(published_cells(store), code), "ties": ties,
            "tie_names": names, "confirmed": sum(tie.confirmation == "confirmed" for tie in ties)}


# -- error pages of the campaign pages ------------------------------------------------------------------------
def install(app: Any) -> None:
    """Add the survey's pages to ``app``, with the campaign pages' own refusals as pages: a reader token (403), an
    unknown campaign (404), a form without its CSRF token (403)."""
    app.include_router(router)

    @app.exception_handler(NotLabMember)
    async def not_lab_member(request: Request, _: NotLabMember) -> Response:
        return _page(request, "survey/gone.html", {"reason": "not_lab", "campaign": None}, status_code=403)

    @app.exception_handler(NoCampaign)
    async def no_campaign(request: Request, _: NoCampaign) -> Response:
        return _page(request, "survey/gone.html", {"reason": "no_campaign", "campaign": None}, status_code=404)

    @app.exception_handler(BadAdminForm)
    async def bad_form(request: Request, _: BadAdminForm) -> Response:
        return _page(request, "survey/gone.html", {"reason": "csrf", "campaign": None}, status_code=403)


router.include_router(respondent_router)
router.include_router(admin_router)
router.include_router(assessment_router)
