"""The analysis results the pages show: the engine's reports turned into the small frozen records below.

The templates know only these records, so a change in the engine's shape is absorbed here. The
reports themselves come from :class:`ecograph.service.Service`, computed once per dataset version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ecograph.analysis import RegionReport
from ecograph.analysis.models import ActorMeasures, WhatIf
from ecograph.model import SECTORS

TOP = 5
"""How many hubs (most partners) and brokers (highest betweenness) a region's dashboard names."""
OPPORTUNITIES = 10
"""How many bridging opportunities a dashboard lists and draws."""
SIZE_MEASURES = ("degree", "weighted_degree", "betweenness", "closeness", "pagerank", "core", "effective_size",
                 "constraint")
WHAT_IF_FIGURES = ("components", "fragmentation", "ei_index", "reach_share")
COMPARISON_FIGURES = ("density", "fragmentation", "sector_coverage", "cross_sector_share", "national_ties",
                      "gaps_high", "gaps_medium", "gaps_low")
SEVERITY_ORDER = ("high", "medium", "low")


@dataclass(frozen=True)
class Sentence:
    """A text in both languages, like a gap's explanation or an opportunity's reason."""

    es: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.es if lang == "es" else self.en


@dataclass(frozen=True)
class Gap:
    severity: str
    text: Sentence


@dataclass(frozen=True)
class Opportunity:
    """A tie worth creating between two actors, and why."""

    source: str
    target: str
    reason: Sentence


@dataclass(frozen=True)
class Mixing:
    """Ties between each pair of sectors (rows and columns in ``sectors`` order), and the count chance predicts."""

    sectors: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    expected: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class Convening:
    actors: list[str]
    reach_share: float
    steps: int


@dataclass(frozen=True)
class RegionInsights:
    """What the engine found in a region's graph; actors are named by id."""

    measures: Mapping[str, Mapping[str, float]]  # actor → measure → value
    roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # actor → its roles (hub, broker ...)
    key_actors: list[str] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    opportunities: list[Opportunity] = field(default_factory=list)
    convening: Convening | None = None
    mixing: Mixing | None = None


@dataclass(frozen=True)
class Change:
    """One figure of the region before and after a change (``what`` is a figure label code)."""

    what: str
    before: float | None
    after: float | None


def region_insights(found: RegionReport) -> RegionInsights:
    """The dashboard's findings in a region's (or the country's) report."""
    local = [row for row in found.measures if row.local]
    hubs = _top(local, "degree")
    brokers = _top(local, "betweenness")
    fragmenters = found.convening.fragmenters
    roles = {row.id: tuple(role for role, yes in (
        ("hub", row.id in hubs), ("broker", row.id in brokers), ("fragmenter", row.id in fragmenters),
        ("convener", row.id in found.convening.actors), (_brokerage_role(row), True)) if yes and role)
        for row in found.measures}
    by_betweenness = sorted(local, key=lambda row: (-row.betweenness, -row.degree, row.id))
    key = [row.id for row in by_betweenness if row.id in hubs or row.id in brokers or row.id in fragmenters]
    mixing = found.structure.mixing
    return RegionInsights(
        measures={row.id: _measures(row) for row in found.measures}, roles=roles, key_actors=key,
        gaps=[Gap(gap.severity, Sentence(gap.text_es, gap.text_en))
              for gap in sorted(found.gaps, key=lambda gap: SEVERITY_ORDER.index(gap.severity))],
        opportunities=[Opportunity(tie.source, tie.target, Sentence(tie.text_es, tie.text_en))
                       for tie in found.opportunities[:OPPORTUNITIES]],
        convening=Convening(found.convening.actors, found.convening.reach_share, found.convening.steps),
        mixing=Mixing(SECTORS, tuple(tuple(int(mixing[s][t]["observed"]) for t in SECTORS) for s in SECTORS),
                      tuple(tuple(mixing[s][t]["expected"] for t in SECTORS) for s in SECTORS)))


def what_if(result: WhatIf) -> list[Change]:
    """The region's main figures before and after a what-if change."""
    return [Change(name, getattr(result.before, name), getattr(result.after, name)) for name in WHAT_IF_FIGURES]


def suggestions(found: RegionReport, actor: str) -> list[Opportunity]:
    """The ties a report recommends for an actor."""
    return [Opportunity(tie.source, tie.target, Sentence(tie.text_es, tie.text_en))
            for tie in found.opportunities if actor in (tie.source, tie.target)]


def _measures(row: ActorMeasures) -> dict[str, float]:
    values = {name: getattr(row, name) for name in SIZE_MEASURES}
    return {name: float(value) for name, value in values.items() if value is not None}


def _top(rows: list[ActorMeasures], measure: str) -> set[str]:
    ranked = sorted(rows, key=lambda row: (-getattr(row, measure), row.id))
    return {row.id for row in ranked[:TOP] if getattr(row, measure) > 0}


def _brokerage_role(row: ActorMeasures) -> str | None:
    """The Gould & Fernandez role an actor plays most, if it brokers at all."""
    role, count = max(row.brokerage.items(), key=lambda item: (item[1], item[0]), default=(None, 0))
    return role if count else None
