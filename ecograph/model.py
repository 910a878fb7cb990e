"""The data model: regions, indicators, actors and the collaborations between them.

Every record is a pydantic model. Field validators accept the spellings people type in
spreadsheets (Spanish or English values, surrounding spaces, ``;``-separated lists) and
reject everything else with :class:`Invalid`: a message of the ``validation`` catalog that names the
fix, because those messages are what ``ecograph validate`` shows, in Spanish or English.

The field patterns (:data:`ACTOR_ID`, :data:`PARTIAL_DATE` ...) are defined here once; the API's
request schemas use the same ones.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable
from datetime import date
from difflib import get_close_matches
from functools import lru_cache
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ecograph.i18n import DEFAULT, Texts

SECTORS = ("academia", "public", "private", "civil_society", "international")
SCOPES = ("local", "regional", "national", "international")
ACTOR_TYPES = (
    "university", "institute", "research_center", "school",
    "ministry", "agency", "regional_government", "municipality", "program", "innovation_lab",
    "company", "startup", "chamber", "telecom", "financial", "business_association",
    "ngo", "community_org", "foundation", "network",
    "un_agency", "donor", "development_bank", "embassy",
    "innovation_center", "incubator", "media",
)
CAPABILITIES = (
    "connectivity", "digital_skills", "e_government", "digital_payments", "e_commerce",
    "entrepreneurship", "research_innovation", "data_statistics",
    "financing", "policy", "cybersecurity", "e_learning", "e_health", "digital_agriculture",
)
TARGET_GROUPS = ("women", "migrants", "youth", "indigenous", "rural", "msme")
TIE_TYPES = (
    "agreement", "joint_project", "funding", "training", "data_sharing", "network_membership", "service",
)
DIRECTED_TIE_TYPES = frozenset({"funding", "service"})
STATUSES = ("active", "planned", "ended")
CONFIRMATIONS = ("confirmed", "reported")
"""How a tie a survey wrote is known: both of its ends reported it, or one did (see docs/survey.md)."""
AREAS = ("total", "urban", "rural")
NATIONAL = "PE"
"""Region code of country-wide figures in indicators (INEI's "Total Perú")."""

# Spanish spellings accepted for controlled values, mapped to their canonical English value.
SPANISH_VALUES: dict[str, dict[str, str]] = {
    "sector": {"publico": "public", "privado": "private", "sociedad_civil": "civil_society",
               "internacional": "international", "cooperacion_internacional": "international"},
    "scope": {"regional": "regional", "nacional": "national", "internacional": "international"},
    "status": {"activo": "active", "activa": "active", "planificado": "planned", "planificada": "planned",
               "previsto": "planned", "terminado": "ended", "terminada": "ended", "finalizado": "ended",
               "finalizada": "ended"},
    "tie_type": {"convenio": "agreement", "acuerdo": "agreement", "proyecto_conjunto": "joint_project",
                           "financiamiento": "funding", "capacitacion": "training",
                           "intercambio_de_datos": "data_sharing", "membresia_en_red": "network_membership",
                           "red": "network_membership", "servicio": "service"},
    "area": {"urbano": "urban", "urbana": "urban"},
    "confirmation": {"confirmado": "confirmed", "confirmada": "confirmed", "reportado": "reported",
                     "reportada": "reported"},
    "capability": {"conectividad": "connectivity", "habilidades_digitales": "digital_skills",
                   "gobierno_digital": "e_government", "pagos_digitales": "digital_payments",
                   "comercio_electronico": "e_commerce", "emprendimiento": "entrepreneurship",
                   "investigacion_e_innovacion": "research_innovation", "datos_y_estadisticas": "data_statistics",
                   "financiamiento": "financing", "politicas": "policy", "ciberseguridad": "cybersecurity",
                   "educacion_virtual": "e_learning", "salud_digital": "e_health",
                   "agricultura_digital": "digital_agriculture"},
    "target_group": {"mujeres": "women", "migrantes": "migrants", "jovenes": "youth", "indigenas": "indigenous",
                     "mype": "msme", "mipyme": "msme"},
    "actor_type": {"universidad": "university", "instituto": "institute", "ministerio": "ministry",
                   "gobierno_regional": "regional_government", "municipalidad": "municipality",
                   "programa": "program", "empresa": "company", "camara": "chamber", "ong": "ngo",
                   "organizacion_comunitaria": "community_org", "agencia_onu": "un_agency",
                   "cooperante": "donor"},
}
TRUE_WORDS = frozenset({"true", "1", "yes", "si", "y", "s", "x", "verdadero"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "", "falso"})

ACTOR_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
TIE_ID = r"^[a-z0-9][a-z0-9_-]*$"
REGION_CODE = r"^\d{2}[a-z]?$"
PARTIAL_DATE = r"^(?:1[89]|2[0-9])\d{2}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?$"
"""YYYY, YYYY-MM or YYYY-MM-DD, years 1800 to 2999 (:func:`partial_date` also refuses days a month lacks)."""
CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
TEXT = rf"^[^{CONTROL_CHARACTERS}]*$"
"""Text without control characters (tab and line breaks allowed): spreadsheets and XML exports cannot hold them."""
WEBSITE = rf"^https?://[^\s{CONTROL_CHARACTERS}]+$"
SNAKE = r"^[a-z][a-z0-9_]*$"
_MATCH = {pattern: re.compile(pattern).match for pattern in (ACTOR_ID, TIE_ID, REGION_CODE, PARTIAL_DATE, WEBSITE,
                                                             SNAKE)}
"""Each pattern compiled once: the validators run per cell, and ``re.match`` looks a pattern up in its cache each
time (a tenth of the time it took to validate 592,690 rows)."""


class Invalid(ValueError):
    """A value the model refuses, as a message of the ``validation`` catalog: its key and values, and the
    field it belongs to when a check of the whole record raises it."""

    def __init__(self, key: str, field: str | None = None, **values: str | int) -> None:
        super().__init__(key)
        self.key, self.field, self.values = key, field, values

    def text(self, lang: str = DEFAULT) -> str:
        return Texts(lang)(self.key, **self.values)

    def __str__(self) -> str:
        # pydantic and the API read "field: message" to place a problem found by a whole-record check.
        return f"{self.field}: {self.text()}" if self.field else self.text()


def shown(value: Any, limit: int = 80) -> str:
    """A value as a message quotes it: control characters and line breaks escaped, long text cut short.

    >>> shown("a\\nb"), shown("x" * 100)[-3:]
    ('a\\\\nb', 'xx…')
    """
    text = re.sub(r"[\x00-\x1f\x7f]", lambda found: repr(found.group())[1:-1], str(value))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def region_code(value: Any) -> str:
    """A region code as written, with the leading zero spreadsheets drop from ``06`` put back.

    >>> region_code(6), region_code(" 15a ")
    ('06', '15a')
    """
    text = str(value if value is not None else "").strip()
    return "0" + text if text.isdigit() and len(text) == 1 else text


def closest_region(code: str, known: Iterable[str]) -> str | None:
    """The known region code that ``code`` most likely means (``6`` → ``06``), or None.

    >>> closest_region("6", ["06", "08"]), closest_region("15A", ["15a", "16"]), closest_region("99", ["06"])
    ('06', '15a', None)
    """
    codes = sorted(known)
    normal = region_code(code)
    return normal if normal in codes else next(iter(get_close_matches(normal, codes, n=1)), None)


def fold(text: str) -> str:
    """Lower-case ``text``, drop accents and turn spaces and dashes into ``_``.

    >>> fold("  Sociedad Civil ")
    'sociedad_civil'
    """
    plain = unicodedata.normalize("NFKD", text.strip()).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-/]+", "_", plain.lower())


def slugify(text: str) -> str:
    """A stable actor id from a name.

    >>> slugify("Universidad Nacional de Cajamarca")
    'universidad-nacional-de-cajamarca'
    """
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


@lru_cache(maxsize=1024)
def spelled(value: str, what: str) -> str:
    """``value`` folded (see :func:`fold`), and then its canonical value if it is a Spanish spelling of a ``what``.

    Cached: a dataset spells its vocabularies in a few ways, over and over (a quarter of the time it takes to
    validate 500,000 ties was folding the same few words).

    >>> spelled(" Sociedad Civil", "sector"), spelled("Sí", "flag")
    ('civil_society', 'si')
    """
    text = fold(value)
    return SPANISH_VALUES.get(what, {}).get(text, text)


def choice(value: Any, allowed: tuple[str, ...], what: str) -> str:
    """Return ``value`` as one of ``allowed``, accepting Spanish spellings; else explain the fix.

    ``what`` names the kind of value (``sector``, ``actor_type``, ``tie_type`` ...): its Spanish
    spellings, and its message ``problem.unknown.<what>``.
    """
    text = spelled(str(value), what) if value is not None else ""
    if text not in allowed:
        raise Invalid(f"problem.unknown.{what}", value=shown(str(value).strip()), allowed=", ".join(allowed))
    return allowed[allowed.index(text)]  # the vocabulary's own string, one object shared by every record


def choices(value: Any, allowed: tuple[str, ...], what: str) -> list[str]:
    """A ``;``-separated cell (or a list) as a sorted list of distinct allowed values."""
    items = value if isinstance(value, list | tuple) else str(value or "").split(";")
    return sorted({choice(item, allowed, what) for item in items if str(item).strip()})


def flag(value: Any) -> bool:
    """A yes/no cell as a bool (``sí``, ``true``, ``1``, ``x`` … or ``no``, ``false``, ``0``, empty)."""
    if isinstance(value, bool):
        return value
    text = spelled(str(value if value is not None else ""), "flag")
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise Invalid("problem.not_yes_no", value=shown(value))


def partial_date(value: Any) -> str | None:
    """An ISO date, or just its year or year-month (``2023``, ``2023-05``, ``2023-05-17``)."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    if isinstance(value, date):
        text = value.isoformat()[:10]
    if not _MATCH[PARTIAL_DATE](text):
        raise Invalid("problem.bad_date", value=shown(text))
    year, month, day = ([*map(int, text.split("-")), 1, 1])[:3]
    try:
        date(year, month, day)
    except ValueError:
        raise Invalid("problem.no_such_date", value=text) from None
    return sys.intern(text)  # a few thousand dates shared by half a million ties


def blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and value.strip() == "" else value


_FIELDS_GIVEN: dict[frozenset[str], set[str]] = {}
"""One set of given fields per distinct set (see :meth:`Record._compact`)."""


class Record(BaseModel):
    """Base of all records: strict about unknown fields, lenient about surrounding spaces."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)
    key_field: ClassVar[str]

    @field_validator("*", mode="after")
    @classmethod
    def _printable(cls, value: Any) -> Any:
        # Control characters break xlsx and XML exports (GraphML, GEXF); line breaks and tabs are fine.
        if isinstance(value, str) and (bad := CONTROL.search(value)):
            raise Invalid("problem.control_character", code=f"U+{ord(bad.group()):04X}")
        return value

    @model_validator(mode="after")
    def _compact(self) -> Record:
        # pydantic keeps a set of the fields given with every record (700 bytes for a tie, more than its values);
        # records given the same fields share one, which halves a 500,000-tie dataset. Safe because records are
        # frozen: pydantic only changes the set of a copy (model_copy).
        given = self.__pydantic_fields_set__
        object.__setattr__(self, "__pydantic_fields_set__", _FIELDS_GIVEN.setdefault(frozenset(given), given))
        return self

    @property
    def key(self) -> str:
        return str(getattr(self, self.key_field))


class Region(Record):
    """A regional unit as INEI reports it (a department, Callao, and Lima split in two)."""

    key_field: ClassVar[str] = "code"
    code: str = Field(description="INEI UBIGEO department code, e.g. 06 (Cajamarca); 15a/15b for Lima",
                      examples=["06"])
    name: str = Field(min_length=1, examples=["Cajamarca"])
    capital: str | None = Field(default=None, examples=["Cajamarca"])
    population: int | None = Field(default=None, ge=0, description="2017 census population")
    latitude: float | None = Field(default=None, ge=-90, le=90, allow_inf_nan=False, description="of the capital")
    longitude: float | None = Field(default=None, ge=-180, le=180, allow_inf_nan=False, description="of the capital")
    source: str | None = None

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value: Any) -> str:
        text = region_code(value)
        if not _MATCH[REGION_CODE](text):
            raise Invalid("problem.bad_region_code", value=shown(text))
        return text

    @field_validator("capital", "source", "population", "latitude", "longitude", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return blank_to_none(value)


class Indicator(Record):
    """One official figure for one region and period (long format, so any figure can be added).

    ``value`` may be empty: a figure nobody has published stays missing and is shown as missing.
    """

    key_field: ClassVar[str] = "id"
    region: str = Field(description=f"region code, or {NATIONAL} for the whole country", examples=["08"])
    indicator: str = Field(examples=["households_with_internet"])
    period: str = Field(min_length=1, examples=["2020-Q3"])
    area: str = Field(default="total", description="total, urban or rural")
    value: float | None = Field(default=None, allow_inf_nan=False, examples=[38.0])
    unit: str = Field(default="percent", examples=["percent"])
    source: str = Field(min_length=1, description="who published the figure, and where")

    @property
    def id(self) -> str:
        return f"{self.region}|{self.indicator}|{self.period}|{self.area}"

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, value: Any) -> str:
        return region_code(value)

    @field_validator("indicator", mode="before")
    @classmethod
    def _indicator(cls, value: Any) -> str:
        text = fold(str(value or ""))
        if not _MATCH[SNAKE](text):
            raise Invalid("problem.bad_indicator_name", value=shown(value))
        return text

    @field_validator("area", mode="before")
    @classmethod
    def _area(cls, value: Any) -> str:
        return choice(value or "total", AREAS, "area")

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, value: Any) -> Any:
        return blank_to_none(value)


class Actor(Record):
    """An organisation of the digital ecosystem."""

    key_field: ClassVar[str] = "id"
    id: str = Field(description="stable slug, e.g. universidad-nacional-de-cajamarca", examples=["pnud-peru"])
    name: str = Field(min_length=1, examples=["Programa de las Naciones Unidas para el Desarrollo"])
    acronym: str | None = Field(default=None, examples=["PNUD"])
    sector: str = Field(description=", ".join(SECTORS), examples=["international"])
    type: str = Field(description=", ".join(ACTOR_TYPES), examples=["un_agency"])
    region: str | None = Field(default=None, description="home region code; empty for a national or "
                               "international actor with no home region", examples=["06"])
    scope: str = Field(description=", ".join(SCOPES), examples=["national"])
    capabilities: list[str] = Field(default_factory=list, description=", ".join(CAPABILITIES))
    target_groups: list[str] = Field(default_factory=list, description=", ".join(TARGET_GROUPS))
    website: str | None = None
    description: str | None = None
    source: str | None = Field(default=None, description="where the actor is documented")
    illustrative: bool = Field(default=False, description="true for invented example actors")
    provenance: str | None = Field(default=None, description="where the record came from when a survey wrote it: "
                                   "campaign:<id>;respondent:<actor>;<date>", examples=[None])

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: Any) -> str:
        text = str(value if value is not None else "").strip()
        if not _MATCH[ACTOR_ID](text):
            raise Invalid("problem.bad_id", value=shown(text),
                          example=slugify(text)[:60] or "universidad-nacional-de-cajamarca")
        return sys.intern(text)  # the same object as the ends of the actor's ties (see Collaboration._slug)

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

    @field_validator("capabilities", mode="before")
    @classmethod
    def _capabilities(cls, value: Any) -> list[str]:
        return choices(value, CAPABILITIES, "capability")

    @field_validator("target_groups", mode="before")
    @classmethod
    def _target_groups(cls, value: Any) -> list[str]:
        return choices(value, TARGET_GROUPS, "target_group")

    @field_validator("illustrative", mode="before")
    @classmethod
    def _illustrative(cls, value: Any) -> bool:
        return flag(value)

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, value: Any) -> str | None:
        value = blank_to_none(value)
        return None if value is None else region_code(value)

    @field_validator("acronym", "website", "description", "source", "provenance", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return blank_to_none(value)

    @field_validator("website")
    @classmethod
    def _website(cls, value: str | None) -> str | None:
        if value is not None and not _MATCH[WEBSITE](value):
            raise Invalid("problem.bad_website", value=shown(value))
        return value

    @model_validator(mode="after")
    def _home(self) -> Actor:
        if self.region is None and self.scope in ("local", "regional"):
            raise Invalid("problem.needs_region", field="region", scope=self.scope)
        return self


class Collaboration(Record):
    """A documented (or illustrative) tie between two actors.

    Ties are undirected for analysis unless their type is directional (funding, service): then
    ``source`` gives and ``target`` receives.
    """

    key_field: ClassVar[str] = "id"
    id: str = Field(default="", description="stable id; source--target--type when left empty",
                    examples=["pnud-peru--produce--joint_project"])
    source: str = Field(examples=["pnud-peru"])
    target: str = Field(examples=["produce"])
    type: str = Field(description=", ".join(TIE_TYPES), examples=["joint_project"])
    weight: int = Field(default=3, ge=1, le=5, description="strength, 1 (weak) to 5 (strong)")
    start: str | None = Field(default=None, description="YYYY, YYYY-MM or YYYY-MM-DD", examples=["2020"])
    end: str | None = Field(default=None, examples=[None])
    status: str = Field(default="active", description=", ".join(STATUSES))
    program: str | None = Field(default=None, examples=["Innova tu Mercado"])
    evidence: str | None = Field(default=None, description="where the tie is documented")
    illustrative: bool = False
    provenance: str | None = Field(default=None, description="where the record came from when a survey wrote it: "
                                   "campaign:<id>;respondent:<actor>;<date>", examples=[None])
    confirmation: Literal["confirmed", "reported"] | None = Field(
        default=None, description="for a tie a survey wrote: confirmed (both ends reported it) or reported (one did)")

    @property
    def directed(self) -> bool:
        return self.type in DIRECTED_TIE_TYPES

    @field_validator("id", mode="before")
    @classmethod
    def _tie_id(cls, value: Any) -> str:
        text = str(value if value is not None else "").strip()
        if text and not _MATCH[TIE_ID](text):
            raise Invalid("problem.bad_tie_id", value=shown(text))
        return text

    @field_validator("source", "target", mode="before")
    @classmethod
    def _slug(cls, value: Any) -> str:
        text = str(value if value is not None else "").strip()
        if not _MATCH[ACTOR_ID](text):
            raise Invalid("problem.bad_actor_ref", value=shown(text), example=slugify(text)[:60] or "pnud-peru")
        return sys.intern(text)

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> str:
        return choice(value, TIE_TYPES, "tie_type")

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> str:
        return choice(value or "active", STATUSES, "status")

    @field_validator("weight", mode="before")
    @classmethod
    def _weight(cls, value: Any) -> Any:
        value = blank_to_none(value)
        if value is None:
            return 3
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise Invalid("problem.weight_not_number", value=shown(value)) from None
        if not (number.is_integer() and 1 <= number <= 5):
            raise Invalid("problem.weight_out_of_range", value=shown(value))
        return int(number)

    @field_validator("start", "end", mode="before")
    @classmethod
    def _date(cls, value: Any) -> str | None:
        return partial_date(value)

    @field_validator("illustrative", mode="before")
    @classmethod
    def _illustrative(cls, value: Any) -> bool:
        return flag(value)

    @field_validator("program", "evidence", "provenance", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return blank_to_none(value)

    @field_validator("confirmation", mode="before")
    @classmethod
    def _confirmation(cls, value: Any) -> Any:
        value = blank_to_none(value)
        return None if value is None else choice(value, CONFIRMATIONS, "confirmation")

    @model_validator(mode="after")
    def _consistent(self) -> Collaboration:
        if self.source == self.target:
            raise Invalid("problem.self_tie", field="target", actor=self.source)
        shared = min(len(self.start or ""), len(self.end or ""))  # compare "2024-05" with "2024" as years
        if shared and self.end[:shared] < self.start[:shared]:  # type: ignore[index]
            raise Invalid("problem.end_before_start", field="end", end=str(self.end), start=str(self.start))
        if not self.id:
            object.__setattr__(self, "id", f"{self.source}--{self.target}--{self.type}")
        return self


TABLES: dict[str, type[Record]] = {
    "regions": Region, "indicators": Indicator, "actors": Actor, "collaborations": Collaboration,
}


class Dataset(BaseModel):
    """A whole ecosystem: the four tables, kept sorted by key so equal data compares equal."""

    model_config = ConfigDict(frozen=True)
    regions: list[Region] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    collaborations: list[Collaboration] = Field(default_factory=list)

    @model_validator(mode="after")
    def _sorted(self) -> Dataset:
        for table in TABLES:
            records = getattr(self, table)
            object.__setattr__(self, table, sorted(records, key=lambda record: record.key))
        return self

    def table(self, name: str) -> list[Record]:
        return list(getattr(self, name))
