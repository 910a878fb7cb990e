"""The analysis results, as pydantic models: what the CLI prints, the API returns and the pages show."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["high", "medium", "low"]


class ActorMeasures(BaseModel):
    id: str
    name: str
    sector: str
    local: bool = Field(description="true for the region's own actors, false for outside partners")
    degree: int
    weighted_degree: float
    betweenness: float
    betweenness_se: float | None = Field(default=None, description="standard error of a sampled betweenness "
                                         "(see betweenness_method); None when exact")
    closeness: float = Field(description="harmonic closeness on distances 1/strength")
    pagerank: float
    core: int = Field(description="k-core number")
    community: int
    constraint: float | None = Field(description="Burt's constraint; None for isolates")
    effective_size: float | None
    brokerage: dict[str, int] = Field(description="Gould & Fernandez roles by sector")


class Gap(BaseModel):
    kind: str = Field(examples=["weak_sector_pair"])
    severity: Severity
    value: float = Field(description="the measured value behind the gap")
    subject: str | None = Field(default=None, description="the sector, sector pair, capability or service")
    actors: list[str] = Field(description="ids of the actors concerned: the actor that would leave "
                              "(single_point_of_failure), the two ends of the tie (bridge), ...")
    isolates: list[str] = Field(default_factory=list, examples=[["cajamarca-agente-telecom"]],
                                description="ids of the actors who would lose their connection to the rest of "
                                "the region if the actor leaves (single_point_of_failure) or the tie ends "
                                "(bridge), every one, sorted; empty for the other kinds")
    text_es: str
    text_en: str


class KeyActor(BaseModel):
    """One of the actors a region cannot do without, and why (:func:`ecograph.analysis.key_actors.key_actors`)."""

    id: str
    roles: list[str] = Field(description="hub, broker, fragmenter, convener, then the Gould & Fernandez role it "
                             "plays most", examples=[["hub", "broker", "liaison"]])
    partners: int = Field(description="its partners, from elsewhere too")
    partner_sectors: list[str] = Field(description="the sectors of its partners")
    sole_link: list[str] = Field(description='pairs of sectors ("academia-private") whose every contact within two '
                                 "steps goes through it, among the region's actors")
    cuts_off: int = Field(description="the actors who would lose their connection to the rest if it left")
    text_es: str = Field(examples=["13 socios en 4 sectores; es el único vínculo entre la academia y el sector "
                                   "privado."])
    text_en: str


class Opportunity(BaseModel):
    source: str
    target: str
    score: float = Field(description="0.4 feasibility + 0.4 impact + 0.2 complementarity, in [0, 1]")
    feasibility: float = Field(description="resource-allocation index of shared partners, scaled to [0, 1]")
    impact: float
    complementarity: float
    shared_partners: list[str]
    reasons: list[str] = Field(description="codes: crosses_sectors, closes_sector_gap, joins_communities, "
                                           "joins_components, relieves_constraint, complementary, national")
    cross_region: bool
    national: bool
    text_es: str
    text_en: str


class ConveningSet(BaseModel):
    actors: list[str]
    steps: int = Field(description="reach within this many steps")
    reached: int
    reach_share: float = Field(description="share of the region's actors reached")
    sectors_covered: list[str]
    fragmenters: list[str] = Field(description="the actors whose loss would fragment the region most")
    fragmentation_without: float = Field(description="Borgatti's fragmentation F once the fragmenters leave")


class Figures(BaseModel):
    components: int
    fragmentation: float
    ei_index: float | None
    reach_share: float


class WhatIf(BaseModel):
    removed: list[str]
    added: list[tuple[str, str]]
    before: Figures
    after: Figures


class Structure(BaseModel):
    region: str | None
    actors: int
    ties: int
    by_sector: dict[str, int]
    by_type: dict[str, int]
    density: float
    components: int
    fragmentation: float = Field(description="share of actors outside the largest component")
    isolates: list[str]
    mixing: dict[str, dict[str, dict[str, float]]] = Field(description="sector × sector: observed and expected")
    ei_index: float | None
    ei_by_sector: dict[str, float | None]
    assortativity: float | None
    triple_linked: list[str] = Field(description="actors tied to academia, public and private sectors")
    outside_ties: int
    national_ties: int
    cross_sector_share: float | None


class Community(BaseModel):
    """A Louvain community of the region, named by its most central actor and its dominant sector
    (:func:`ecograph.analysis.communities.name_communities`)."""

    number: int = Field(description="the community number of the actors' measures (0 is the largest)")
    actors: int = Field(description="how many actors it holds, partners from elsewhere included")
    local: int = Field(description="how many of them are based in the region")
    sectors: dict[str, int] = Field(description="actors per sector")
    sector: str = Field(description="the dominant sector: the one most of its actors belong to")
    share: float = Field(description="the dominant sector's share of its actors, in [0, 1]")
    central: str = Field(description="id of its most central actor (highest PageRank)")
    central_name: str = Field(description="that actor's acronym, else its name")
    ties: int = Field(description="pairs of its actors tied to each other")
    text_es: str = Field(examples=["Comunidad de UNC · 412 actores · 60 % privado"])
    text_en: str = Field(examples=["UNC's community · 412 actors · 60 % private"])


class RegionReport(BaseModel):
    region: str | None
    version: int = Field(description="dataset version the report was computed from")
    filters: dict[str, object]
    betweenness_method: str
    modularity: float
    structure: Structure
    measures: list[ActorMeasures]
    communities: list[Community] = Field(description="the communities of the measures' community numbers, named")
    gaps: list[Gap]
    opportunities: list[Opportunity]
    convening: ConveningSet
    key_actors: list[KeyActor] = Field(description="the actors the region cannot do without, most central first, "
                                       "each with one sentence of why")


class ComparisonRow(BaseModel):
    region: str
    name: str
    actors: int
    ties: int
    density: float
    fragmentation: float
    sector_coverage: float = Field(description="share of the five sectors present")
    cross_sector_share: float | None
    national_ties: int
    gaps_high: int
    gaps_medium: int
    gaps_low: int
    households_with_internet: float | None = Field(description="latest published figure, percent; None if none")
    internet_period: str | None
    score: float = Field(description="ecosystem score, 0-100 (see ecograph.analysis.compare)")
