"""The survey's records (docs/survey.md): campaigns, invitations, the sections a respondent saves, decisions.

Every record is a pydantic model validated with the vocabularies of :mod:`ecograph.model` (sectors, actor
types, capabilities, target groups, tie types, statuses), accepting the same Spanish spellings as the
spreadsheets. A refused value raises :class:`ecograph.model.Invalid`, a message of the catalogs.

Maturity levels are the five stages of UNDP's *Digital Development Compass*
(undp/digital-development-compass): 0 basic, 1 opportunistic, 2 systematic, 3 differentiating,
4 transformational. Trust and value of a partner are rated 1-4 as in the PARTNER tool (Varda et al.,
PARTNER CPRM: trust = reliability, support of the mission, openness; value = power/influence, level of
involvement, resources contributed).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ecograph.model import (
    ACTOR_ID,
    ACTOR_TYPES,
    CAPABILITIES,
    DIRECTED_TIE_TYPES,
    REGION_CODE,
    SCOPES,
    SECTORS,
    STATUSES,
    TARGET_GROUPS,
    TIE_TYPES,
    WEBSITE,
    Invalid,
    blank_to_none,
    choice,
    choices,
    flag,
    region_code,
    shown,
    slugify,
)

LEVELS = (0, 1, 2, 3, 4)
LEVEL_NAMES = ("basic", "opportunistic", "systematic", "differentiating", "transformational")
"""The stages of the Digital Development Compass, by level (catalog keys ``survey.level.<n>.title``)."""
LOW_MATURITY = 1
"""Levels up to this one are "low maturity"."""
MATURE = 3
"""Levels from this one up make a "mature provider"."""
SECTIONS = ("profile", "capabilities", "partners", "needs", "consent")
Section = Literal["profile", "capabilities", "partners", "needs", "consent"]
ACTIONS = ("accept", "merge", "reject")
Action = Literal["accept", "merge", "reject"]
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
PHONE = r"^[0-9+()\-. ]{5,30}$"
TOKEN_HASH = r"^[0-9a-f]{64}$"


def now() -> datetime:
    """The current time, in UTC, to the second (what every record's timestamps hold)."""
    return datetime.now(UTC).replace(microsecond=0)


def _actor_id(value: Any) -> str:
    text = str(value if value is not None else "").strip()
    if not re.match(ACTOR_ID, text):
        raise Invalid("problem.bad_actor_ref", value=shown(text), example=slugify(text)[:60] or "unc")
    return text


class SurveyRecord(BaseModel):
    """Base of the survey's records: unknown fields refused, surrounding spaces dropped, immutable."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


# -- campaigns and invitations ----------------------------------------------------------------------
class Campaign(SurveyRecord):
    """One survey round over some regions, open from ``opens`` to ``closes`` (both days included).

    >>> c = Campaign(id="cajamarca-2025", name="Cajamarca 2025", regions=["6"], opens="2025-03-01",
    ...              closes="2025-04-30")
    >>> c.regions, c.is_open(date(2025, 4, 30)), c.is_open(date(2025, 5, 1))
    (['06'], True, False)
    """

    id: str = Field(description="slug: lower-case letters, digits and single dashes", examples=["cajamarca-2025"])
    name: str = Field(min_length=1, max_length=200, examples=["Encuesta del ecosistema digital de Cajamarca 2025"])
    regions: list[str] = Field(min_length=1, description="region codes the campaign covers", examples=[["06"]])
    opens: date = Field(description="first day answers are taken")
    closes: date = Field(description="last day answers are taken")
    illustrative: bool = Field(default=False, description="true for a demonstration campaign")
    created: datetime = Field(default_factory=now)
    published_version: int | None = Field(default=None, description="dataset version its last publish wrote")

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: Any) -> str:
        text = str(value if value is not None else "").strip()
        if not re.match(ACTOR_ID, text):
            raise Invalid("problem.bad_id", value=shown(text), example=slugify(text)[:60] or "cajamarca-2025")
        return text

    @field_validator("regions", mode="before")
    @classmethod
    def _regions(cls, value: Any) -> list[str]:
        items = value if isinstance(value, list | tuple) else str(value or "").split(";")
        codes = [region_code(item) for item in items if str(item).strip()]
        for code in codes:
            if not re.match(REGION_CODE, code):
                raise Invalid("problem.bad_region_code", value=shown(code))
        return sorted(set(codes))

    @field_validator("illustrative", mode="before")
    @classmethod
    def _illustrative(cls, value: Any) -> bool:
        return flag(value)

    @model_validator(mode="after")
    def _dates(self) -> Campaign:
        if self.closes < self.opens:
            raise Invalid("survey.problem.closes_before_opens", field="closes", opens=self.opens.isoformat(),
                          closes=self.closes.isoformat())
        return self

    def is_open(self, day: date | None = None) -> bool:
        """Whether answers are taken on ``day`` (default: today, UTC)."""
        day = day or now().date()
        return self.opens <= day <= self.closes

    def is_closed(self, day: date | None = None) -> bool:
        """Whether the campaign is over (its last day has passed)."""
        return (day or now().date()) > self.closes


class Invitation(SurveyRecord):
    """One roster entry: an actor invited to a campaign, with the hash of its link's token.

    The token itself is shown once (in the links export) and never stored. ``sent`` is when its current
    token was last handed out; an export gives new links only to invitations never handed out.
    """

    campaign: str
    actor: str
    token_hash: str = Field(pattern=TOKEN_HASH, description="SHA-256 hex of the link's token")
    created: datetime = Field(default_factory=now)
    revoked: datetime | None = None
    sent: datetime | None = Field(default=None, description="when the current token was handed out")

    @field_validator("actor", mode="before")
    @classmethod
    def _actor(cls, value: Any) -> str:
        return _actor_id(value)

    @property
    def active(self) -> bool:
        return self.revoked is None


# -- the sections a respondent saves ----------------------------------------------------------------
class Profile(SurveyRecord):
    """Who the institution is. The contact fields are private: never shown in public pages or exports.

    >>> Profile(name="Universidad Nacional de Cajamarca", sector="academia", type="universidad",
    ...         scope="regional").type
    'university'
    """

    name: str = Field(min_length=1, max_length=300)
    acronym: str | None = Field(default=None, max_length=40)
    sector: str
    type: str
    scope: str
    website: str | None = None
    contact_name: str | None = Field(default=None, max_length=200)
    contact_email: str | None = Field(default=None, max_length=200)
    contact_phone: str | None = Field(default=None, max_length=40)

    PRIVATE: ClassVar[tuple[str, ...]] = ("contact_name", "contact_email", "contact_phone")

    @field_validator("acronym", "website", "contact_name", "contact_email", "contact_phone", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return blank_to_none(value)

    @field_validator("sector", mode="before")
    @classmethod
    def _sector(cls, value: Any) -> str:
        return choice(value, SECTORS, "sector")

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> str:
        return choice(value, ACTOR_TYPES, "actor_type")

    @field_validator("scope", mode="before")
    @classmethod
    def _scope(cls, value: Any) -> str:
        return choice(value, SCOPES, "scope")

    @field_validator("website")
    @classmethod
    def _website(cls, value: str | None) -> str | None:
        if value is not None and not re.match(WEBSITE, value):
            raise Invalid("problem.bad_website", value=shown(value))
        return value

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not re.match(EMAIL, value):
            raise Invalid("survey.problem.bad_email", value=shown(value))
        return value

    @field_validator("contact_phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and not re.match(PHONE, value):
            raise Invalid("survey.problem.bad_phone", value=shown(value))
        return value


class Rating(SurveyRecord):
    """One capability the institution works on, at a maturity level 0-4 (Digital Development Compass).

    >>> Rating(capability="conectividad", level=2, groups="mujeres;rural").groups
    ['rural', 'women']
    """

    capability: str
    level: int = Field(ge=0, le=4, description="0 basic, 1 opportunistic, 2 systematic, 3 differentiating, "
                                               "4 transformational")
    groups: list[str] = Field(default_factory=list, description="target groups served with it")
    evidence: str | None = Field(default=None, description="a web page that shows it")

    @field_validator("capability", mode="before")
    @classmethod
    def _capability(cls, value: Any) -> str:
        return choice(value, CAPABILITIES, "capability")

    @field_validator("groups", mode="before")
    @classmethod
    def _groups(cls, value: Any) -> list[str]:
        return choices(value, TARGET_GROUPS, "target_group")

    @field_validator("evidence", mode="before")
    @classmethod
    def _evidence(cls, value: Any) -> Any:
        value = blank_to_none(value)
        if value is not None and not re.match(WEBSITE, str(value).strip()):
            raise Invalid("problem.bad_website", value=shown(value))
        return value


class Capabilities(SurveyRecord):
    """The ``capabilities`` section: each capability at most once."""

    items: list[Rating] = Field(default_factory=list, max_length=len(CAPABILITIES))

    @model_validator(mode="after")
    def _once(self) -> Capabilities:
        seen = [rating.capability for rating in self.items]
        twice = sorted({name for name in seen if seen.count(name) > 1})
        if twice:
            raise Invalid("survey.problem.capability_twice", field="items", capability=twice[0])
        return self


class Proposed(SurveyRecord):
    """A partner the respondent could not find among the known actors: a new institution for review."""

    name: str = Field(min_length=1, max_length=300)
    acronym: str | None = Field(default=None, max_length=40)
    sector: str
    region: str | None = None

    @field_validator("acronym", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return blank_to_none(value)

    @field_validator("sector", mode="before")
    @classmethod
    def _sector(cls, value: Any) -> str:
        return choice(value, SECTORS, "sector")

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, value: Any) -> str | None:
        value = blank_to_none(value)
        if value is None:
            return None
        code = region_code(value)
        if not re.match(REGION_CODE, code):
            raise Invalid("problem.bad_region_code", value=shown(code))
        return code

    @property
    def key(self) -> str:
        """The review item's subject: ``new:`` and the name's slug (one item per institution named)."""
        return "new:" + slugify(self.name)


class Tie(SurveyRecord):
    """One partner the institution works with, as it reports the tie.

    Exactly one of ``partner`` (a known actor's id) and ``proposed`` (a new institution) is given. For
    ``funding`` and ``service`` ties, ``direction`` says whether the respondent gives (funds, serves) or
    receives; other ties have no direction. ``trust`` and ``value`` are the PARTNER tool's 1-4 ratings.

    >>> Tie(partner="pnud", type="financiamiento", direction="receives", strength=4).type
    'funding'
    """

    partner: str | None = None
    proposed: Proposed | None = None
    type: str
    direction: Literal["gives", "receives"] = "gives"
    since: int | None = Field(default=None, ge=1900, le=2100)
    status: str = "active"
    strength: int = Field(default=3, ge=1, le=5)
    trust: int | None = Field(default=None, ge=1, le=4)
    value: int | None = Field(default=None, ge=1, le=4)

    @field_validator("partner", mode="before")
    @classmethod
    def _partner(cls, value: Any) -> str | None:
        value = blank_to_none(value)
        return None if value is None else _actor_id(value)

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> str:
        return choice(value, TIE_TYPES, "tie_type")

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> str:
        return choice(value or "active", STATUSES, "status")

    @field_validator("since", "trust", "value", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return blank_to_none(value)

    @model_validator(mode="after")
    def _one_partner(self) -> Tie:
        if (self.partner is None) == (self.proposed is None):
            raise Invalid("survey.problem.one_partner", field="partner")
        if self.type not in DIRECTED_TIE_TYPES and self.direction != "gives":
            object.__setattr__(self, "direction", "gives")
        return self

    @property
    def other(self) -> str:
        """The partner's id, or the proposed institution's ``new:`` key."""
        return self.partner if self.partner is not None else self.proposed.key  # type: ignore[union-attr]


class Partners(SurveyRecord):
    """The ``partners`` section."""

    items: list[Tie] = Field(default_factory=list, max_length=500)


class Needs(SurveyRecord):
    """The ``needs`` section: capabilities the institution seeks a partner for."""

    capabilities: list[str] = Field(default_factory=list)

    @field_validator("capabilities", mode="before")
    @classmethod
    def _capabilities(cls, value: Any) -> list[str]:
        return choices(value, CAPABILITIES, "capability")


class Consent(SurveyRecord):
    """The ``consent`` section: a response counts as answered once consent is saved."""

    accepted: bool

    @field_validator("accepted", mode="before")
    @classmethod
    def _accepted(cls, value: Any) -> bool:
        return flag(value)

    @model_validator(mode="after")
    def _given(self) -> Consent:
        if not self.accepted:
            raise Invalid("survey.problem.consent_needed", field="accepted")
        return self


SECTION_MODELS: dict[str, type[SurveyRecord]] = {
    "profile": Profile, "capabilities": Capabilities, "partners": Partners, "needs": Needs, "consent": Consent,
}


def section_payload(section: str, data: Any) -> dict[str, Any]:
    """``data`` validated as ``section`` and brought to its canonical form (a dict, JSON-ready).

    A list is accepted for ``capabilities`` and ``partners`` (their ``items``). Cost: linear in the
    payload's size.

    >>> section_payload("needs", {"capabilities": ["conectividad", "e_health"]})
    {'capabilities': ['connectivity', 'e_health']}
    >>> section_payload("capabilities", [{"capability": "policy", "level": 3}])["items"][0]["level"]
    3
    """
    if section not in SECTION_MODELS:
        raise Invalid("survey.problem.unknown_section", value=shown(section), allowed=", ".join(SECTIONS))
    if section in ("capabilities", "partners") and isinstance(data, list):
        data = {"items": data}
    return SECTION_MODELS[section].model_validate(data).model_dump(mode="json")


def parsed(section: str, payload: dict[str, Any]) -> Any:
    """A stored payload as its section's model (stored payloads were validated once: not again)."""
    return SECTION_MODELS[section].model_validate(payload)


class SectionAnswer(SurveyRecord):
    """One section of one actor's response; the latest save of a section replaces the previous one."""

    campaign: str
    actor: str
    section: Section
    payload: dict[str, Any]
    saved: datetime = Field(default_factory=now)

    @field_validator("actor", mode="before")
    @classmethod
    def _actor(cls, value: Any) -> str:
        return _actor_id(value)

    @model_validator(mode="before")
    @classmethod
    def _payload(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("section") in SECTION_MODELS and "payload" in data:
            data = {**data, "payload": section_payload(data["section"], data["payload"])}
        return data


class Decision(SurveyRecord):
    """A reviewer's decision on a review item (:mod:`ecograph.survey.review`): accept, merge or reject.

    >>> Decision(campaign="c", item="new:unc", action="merge", merge_into="unc").merge_into
    'unc'
    """

    campaign: str
    item: str = Field(min_length=1, max_length=300, description="the review item's id")
    action: Action
    merge_into: str | None = Field(default=None, description="the actor to merge into (action merge)")
    decided: datetime = Field(default_factory=now)

    @field_validator("merge_into", mode="before")
    @classmethod
    def _merge_into(cls, value: Any) -> str | None:
        value = blank_to_none(value)
        return None if value is None else _actor_id(value)

    @model_validator(mode="after")
    def _target(self) -> Decision:
        if (self.action == "merge") != (self.merge_into is not None):
            raise Invalid("survey.problem.merge_into", field="merge_into")
        return self


def answered(answers: list[SectionAnswer]) -> set[str]:
    """The actors whose response counts: those who saved consent.

    >>> answered([SectionAnswer(campaign="c", actor="unc", section="consent", payload={"accepted": True})])
    {'unc'}
    """
    return {answer.actor for answer in answers if answer.section == "consent"}
