"""The shapes the API reads and writes, with descriptions and examples for its OpenAPI document.

Records (regions, indicators, actors, collaborations) are the core's own models. Request bodies
are stricter than spreadsheets: controlled values in their canonical English spelling only.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ecograph.model import (  # the field patterns are the model's, so the API and spreadsheets agree
    ACTOR_ID,
    ACTOR_TYPES,
    CAPABILITIES,
    PARTIAL_DATE,
    REGION_CODE,
    SCOPES,
    SECTORS,
    STATUSES,
    TARGET_GROUPS,
    TEXT,
    TIE_ID,
    TIE_TYPES,
    WEBSITE,
    Actor,
    Collaboration,
    Indicator,
)

SectorName = Literal[SECTORS]  # type: ignore[valid-type]
ActorTypeName = Literal[ACTOR_TYPES]  # type: ignore[valid-type]
ScopeName = Literal[SCOPES]  # type: ignore[valid-type]
CapabilityName = Literal[CAPABILITIES]  # type: ignore[valid-type]
TargetGroupName = Literal[TARGET_GROUPS]  # type: ignore[valid-type]
TieTypeName = Literal[TIE_TYPES]  # type: ignore[valid-type]
StatusName = Literal[STATUSES]  # type: ignore[valid-type]

PATTERN_HINTS = {
    ACTOR_ID: "use lower-case letters, digits and single dashes, e.g. universidad-nacional-de-cajamarca",
    TIE_ID: "use lower-case letters, digits, - and _",
    REGION_CODE: "use the two-digit INEI code, e.g. 06 for Cajamarca",
    PARTIAL_DATE: "write it as YYYY, YYYY-MM or YYYY-MM-DD",
    TEXT: "remove the control characters (text may hold tabs and line breaks, nothing else below space)",
    WEBSITE: "write the full address, starting with https://",
}
VersionField = Field(description="the dataset version this answer was computed from; it grows with every change",
                     examples=[12])


# -- errors ------------------------------------------------------------------------------------
class FieldError(BaseModel):
    field: str | None = Field(description="where: query.NAME, path.NAME, header.NAME or body.PATH (dotted); "
                                          "null when the problem is not in one field",
                              examples=["query.per_page"])
    message: str = Field(examples=["Input should be less than or equal to 500"])


class Problem(BaseModel):
    """Every error, whatever its status (an RFC 9457 problem document, as ``application/problem+json``)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "type": "about:blank", "title": "Not Found", "status": 404, "detail": "no actor 'unknown-actor'",
        "instance": "/api/v1/actors/unknown-actor", "errors": []}]})

    type: str = Field(default="about:blank", description="always about:blank: the status says what kind of error")
    title: str = Field(description="the HTTP status phrase", examples=["Unprocessable Content"])
    status: int = Field(description="the HTTP status code", examples=[422])
    detail: str = Field(description="what went wrong, and what to do about it")
    instance: str | None = Field(default=None, description="the path of the request")
    errors: list[FieldError] = Field(default_factory=list, description="one entry per invalid field, if any")


class DatasetProblem(BaseModel):
    """One problem of an imported dataset, exactly as ``ecograph validate`` reports it."""

    file: str = Field(examples=["actors.csv"])
    row: int | str = Field(description="spreadsheet row (the header is row 1); 0 for the whole file; in a GraphML "
                           "or GEXF file, the id of the node or edge", examples=[3])
    column: str = Field(examples=["sector"])
    message: str = Field(examples=["unknown sector 'privada'; use one of academia, public, private, "
                                   "civil_society, international"])
    text: str = Field(description="file:row:column: message, one line of `ecograph validate`",
                      examples=["actors.csv:3:sector: unknown sector 'privada'; use one of academia, public, "
                                "private, civil_society, international"])


class ImportProblem(Problem):
    """A rejected import: the problem document plus every problem found in the dataset."""

    problems: list[DatasetProblem] = Field(default_factory=list)


# -- meta ---------------------------------------------------------------------------------------
class Health(BaseModel):
    status: Literal["ok", "unavailable"] = Field(examples=["ok"])
    store: str = Field(description="the kind of store: sqlite or neo4j", examples=["sqlite"])
    dataset_version: int | None = Field(default=None, description="null when the store cannot be reached")
    detail: str | None = Field(default=None, description="why the store cannot be reached")


class VersionInfo(BaseModel):
    app: str = Field(description="version of the ecograph package", examples=["0.1.0"])
    api: str = Field(examples=["v1"])
    dataset_version: int = VersionField
    store: str = Field(examples=["sqlite"])
    analysis: bool = Field(description="whether the analysis of this dataset version is computed and stored",
                           examples=[True])


# -- regions ------------------------------------------------------------------------------------
class IndicatorValue(BaseModel):
    value: float = Field(examples=[38.0])
    period: str = Field(examples=["2023"])
    unit: str = Field(examples=["percent"])
    source: str = Field(examples=["INEI, ENAHO"])


class RegionSummary(BaseModel):
    code: str = Field(examples=["06"])
    name: str = Field(examples=["Cajamarca"])
    capital: str | None = None
    population: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    source: str | None = None
    actors: int = Field(description="actors based in the region", examples=[24])
    ties: int = Field(description="collaborations touching the region's actors", examples=[41])
    sectors: dict[str, int] = Field(description="actors based in the region, per sector",
                                    examples=[{"academia": 4, "public": 8, "private": 6, "civil_society": 4,
                                               "international": 2}])
    internet: IndicatorValue | None = Field(default=None, description="latest published share of households "
                                            "with internet access (households_with_internet, total)")
    figures: dict[str, float | None] = Field(default_factory=dict, description="the analysis engine's comparison "
                                             "figures (empty while the engine is not available)")


class RegionList(BaseModel):
    dataset_version: int = VersionField
    regions: list[RegionSummary]


class RegionDetail(BaseModel):
    dataset_version: int = VersionField
    region: RegionSummary
    indicators: list[Indicator]


# -- graphs -------------------------------------------------------------------------------------
class GraphInfo(BaseModel):
    region: str | None = Field(description="region code; null for the whole country", examples=["06"])
    dataset_version: int = VersionField
    nodes: int = Field(examples=[31])
    edges: int = Field(examples=[45])
    layout: str = Field(description="how x and y were computed (seeded, so stable for a dataset version)",
                        examples=["spring"])
    measures: list[str] = Field(default_factory=list, description="names of the per-actor measures",
                                examples=[["degree", "strength"]])
    as_of: str | None = Field(default=None, description="with as_of=: the date the graph is seen as of")
    as_of_rule: dict[str, str] | None = Field(default=None, description="with as_of=: the rule for ties without "
                                              "dates, in Spanish (es) and English (en)")


class GraphNode(BaseModel):
    """An actor, with every attribute, its measures, its community and a layout position."""

    id: str = Field(examples=["unc"])
    name: str = Field(examples=["Universidad Nacional de Cajamarca"])
    acronym: str | None = None
    sector: str = Field(examples=["academia"])
    type: str = Field(examples=["university"])
    region: str | None = Field(examples=["06"])
    scope: str = Field(examples=["regional"])
    capabilities: list[str] = Field(examples=[["research_innovation"]])
    target_groups: list[str] = Field(examples=[["youth"]])
    website: str | None = None
    description: str | None = None
    source: str | None = None
    illustrative: bool = False
    local: bool = Field(description="based in the graph's region (always true for the whole country)")
    community: int | None = Field(description="community number (0 is the largest); null if not computed",
                                  examples=[0])
    measures: dict[str, float | None] = Field(description="per-actor measures", examples=[{"degree": 3.0}])
    x: float = Field(description="layout position, from -1 to 1", examples=[0.25])
    y: float = Field(description="layout position, from -1 to 1", examples=[-0.5])


class GraphEdge(BaseModel):
    """A collaboration with every attribute, or (``recommended``) a tie the analysis suggests creating."""

    id: str = Field(examples=["c01"])
    source: str = Field(examples=["pnud"])
    target: str = Field(examples=["produce"])
    type: str = Field(description=", ".join(TIE_TYPES) + ", or recommended", examples=["joint_project"])
    weight: int | None = Field(default=None, examples=[4])
    start: str | None = None
    end: str | None = None
    status: str | None = Field(default=None, examples=["active"])
    program: str | None = None
    evidence: str | None = None
    illustrative: bool = False
    directed: bool = Field(default=False, description="true for funding and service ties: source gives")
    recommended: bool = Field(default=False, description="true for a suggested tie that does not exist yet")
    reason: str | None = Field(default=None, description="why a recommended tie is suggested")


class NodeLinkGraph(BaseModel):
    """networkx node-link JSON (``nx.node_link_graph(data, edges="edges")`` reads it back)."""

    directed: bool = True
    multigraph: bool = True
    graph: GraphInfo
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class CytoscapePosition(BaseModel):
    x: float
    y: float


class CytoscapeNode(BaseModel):
    data: GraphNode
    position: CytoscapePosition = Field(description="the layout position in pixels (x and y times 500)")


class CytoscapeEdge(BaseModel):
    data: GraphEdge


class CytoscapeElements(BaseModel):
    nodes: list[CytoscapeNode]
    edges: list[CytoscapeEdge]


class CytoscapeGraph(BaseModel):
    """Cytoscape.js JSON: ``cy.json(data)`` or ``cytoscape({elements: data.elements})``."""

    data: GraphInfo
    directed: bool = True
    multigraph: bool = True
    elements: CytoscapeElements


# -- actors and collaborations ------------------------------------------------------------------
class Page(BaseModel):
    dataset_version: int = VersionField
    total: int = Field(description="matches across all pages", examples=[132])
    page: int = Field(examples=[1])
    per_page: int = Field(examples=[50])
    pages: int = Field(description="number of pages", examples=[3])


class ActorPage(Page):
    items: list[Actor]


class CollaborationPage(Page):
    items: list[Collaboration]


class Recommendation(BaseModel):
    """A tie worth creating, from the analysis engine."""

    source: str = Field(examples=["unc"])
    target: str = Field(examples=["camara-cajamarca"])
    score: float | None = Field(default=None, examples=[0.8])
    reason: str | None = Field(default=None, examples=["bridges academia and the private sector"])
    details: dict[str, Any] = Field(default_factory=dict, description="whatever else the engine says about it")


class ActorDetail(BaseModel):
    dataset_version: int = VersionField
    actor: Actor
    collaborations: list[Collaboration] = Field(description="every tie of the actor")
    ego: NodeLinkGraph = Field(description="the actor, its partners and the ties among them")
    recommendations: list[Recommendation] = Field(description="ties the analysis suggests for this actor "
                                                  "(empty while the engine is not available)")


class ActorBody(BaseModel):
    """An actor's fields (``PUT /actors/{id}`` takes the id from the path)."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [{
        "name": "Universidad Nacional de Cajamarca", "acronym": "UNC", "sector": "academia", "type": "university",
        "region": "06", "scope": "regional", "capabilities": ["research_innovation"], "target_groups": ["youth"],
        "website": "https://www.unc.edu.pe", "description": None, "source": None, "illustrative": False}]})

    name: str = Field(min_length=1, max_length=500, pattern=TEXT)
    acronym: str | None = Field(default=None, max_length=100, pattern=TEXT)
    sector: SectorName
    type: ActorTypeName
    region: str | None = Field(default=None, pattern=REGION_CODE,
                               description="home region code; null for national and international actors")
    scope: ScopeName
    capabilities: list[CapabilityName] = Field(default_factory=list, max_length=len(CAPABILITIES))
    target_groups: list[TargetGroupName] = Field(default_factory=list, max_length=len(TARGET_GROUPS))
    website: str | None = Field(default=None, max_length=2000, pattern=WEBSITE,
                                description="full address, starting with https://")
    description: str | None = Field(default=None, max_length=10000, pattern=TEXT)
    source: str | None = Field(default=None, max_length=2000, pattern=TEXT)
    illustrative: bool = False


class ActorCreate(ActorBody):
    """A new actor (``POST /actors``): its fields and its id."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [{
        "id": "unc", "name": "Universidad Nacional de Cajamarca", "acronym": "UNC", "sector": "academia",
        "type": "university", "region": "06", "scope": "regional", "capabilities": ["research_innovation"]}]})

    id: str = Field(pattern=ACTOR_ID, max_length=200, description="lower-case letters, digits and dashes")


class CollaborationBody(BaseModel):
    """A collaboration's fields (``PUT /collaborations/{id}`` takes the id from the path)."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [{
        "source": "pnud", "target": "produce", "type": "joint_project", "weight": 4, "start": "2020",
        "end": None, "status": "active", "program": "Innova tu Mercado", "evidence": None, "illustrative": False}]})

    source: str = Field(pattern=ACTOR_ID, max_length=200, description="actor id (the giver, for funding and service)")
    target: str = Field(pattern=ACTOR_ID, max_length=200, description="actor id")
    type: TieTypeName
    weight: int = Field(default=3, ge=1, le=5, description="strength, 1 (weak) to 5 (strong)")
    start: str | None = Field(default=None, pattern=PARTIAL_DATE,
                              description="YYYY, YYYY-MM or YYYY-MM-DD (a real date; not after end)")
    end: str | None = Field(default=None, pattern=PARTIAL_DATE)
    status: StatusName = "active"
    program: str | None = Field(default=None, max_length=500, pattern=TEXT)
    evidence: str | None = Field(default=None, max_length=2000, pattern=TEXT)
    illustrative: bool = False


class CollaborationCreate(CollaborationBody):
    """A new collaboration (``POST /collaborations``); the id defaults to source--target--type."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [{
        "source": "pnud", "target": "produce", "type": "joint_project", "weight": 4, "start": "2020"}]})

    id: str | None = Field(default=None, pattern=TIE_ID, max_length=300)


class ActorWritten(BaseModel):
    dataset_version: int = VersionField
    actor: Actor


class CollaborationWritten(BaseModel):
    dataset_version: int = VersionField
    collaboration: Collaboration


# -- import -------------------------------------------------------------------------------------
class TableCounts(BaseModel):
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0


class ImportReport(BaseModel):
    """An import that passed validation: what it changed (or, with ``dry_run``, would change)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "valid": True, "loaded": True, "dry_run": False, "replace": False, "dataset_version": 13,
        "tables": {"regions": {"added": 0, "updated": 0, "removed": 0, "unchanged": 2},
                   "indicators": {"added": 0, "updated": 0, "removed": 0, "unchanged": 3},
                   "actors": {"added": 1, "updated": 0, "removed": 0, "unchanged": 6},
                   "collaborations": {"added": 2, "updated": 1, "removed": 0, "unchanged": 4}},
        "problems": []}]})

    valid: bool = Field(description="always true here: an invalid dataset is a 422 listing its problems")
    loaded: bool = Field(description="whether anything was written (false for a dry run or when nothing changed)")
    dry_run: bool
    replace: bool
    dataset_version: int = VersionField
    tables: dict[str, TableCounts]
    problems: list[DatasetProblem] = Field(default_factory=list, description="the upload's warnings, if any")
    mapping: list[str] = Field(default_factory=list, description="the FIELD=COLUMN mapping used: given with `map`, "
                               "or remembered for this upload's name and columns", examples=[["sector=Category"]])
    mapping_recalled: bool = Field(default=False, description="whether the mapping was the one remembered")


# -- analysis -----------------------------------------------------------------------------------
from ecograph.analysis.models import (  # noqa: E402 - the engine's own result models
    ComparisonRow,
    ConveningSet,
    Gap,
    Opportunity,
    RegionReport,
    WhatIf,
)


class AnalysisAnswer(RegionReport):
    """The engine's full report of a region: structure, per-actor measures, gaps, opportunities and the
    convening set (``version`` and ``dataset_version`` are the same number)."""

    dataset_version: int = VersionField


class GapsAnswer(BaseModel):
    dataset_version: int = VersionField
    region: str
    filters: dict[str, Any]
    gaps: list[Gap]


class OpportunitiesAnswer(BaseModel):
    dataset_version: int = VersionField
    region: str
    filters: dict[str, Any]
    opportunities: list[Opportunity]


class ConveneAnswer(BaseModel):
    dataset_version: int = VersionField
    region: str
    filters: dict[str, Any]
    convening: ConveningSet


class WhatIfAnswer(WhatIf):
    dataset_version: int = VersionField
    region: str


class CompareAnswer(BaseModel):
    dataset_version: int = VersionField
    regions: list[ComparisonRow] = Field(description="best ecosystem score first")
