"""A region's full report and the comparison across regions.

Nothing here is cached: :class:`ecograph.service.Service` computes each report once per dataset
version and keeps it in the store.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

import networkx as nx

from ecograph.analysis.communities import name_communities
from ecograph.analysis.convene import convene
from ecograph.analysis.gaps import SEVERITY_ORDER, find_gaps
from ecograph.analysis.key_actors import key_actors
from ecograph.analysis.measures import (
    BETWEENNESS_SAMPLES,
    EXACT_BETWEENNESS_LIMIT,
    SEED,
    brokerage,
    communities,
    constraint_and_effective_size,
    pagerank,
)
from ecograph.analysis.models import ActorMeasures, ComparisonRow, Opportunity, RegionReport, Structure
from ecograph.analysis.opportunities import opportunities
from ecograph.analysis.paths import path_measures
from ecograph.analysis.structure import local_actors, structure
from ecograph.analysis.survey_gaps import meets_need, survey_gaps
from ecograph.graph import collapse, orient
from ecograph.history.timeline import RULE, as_of
from ecograph.i18n import both
from ecograph.model import SECTORS, Indicator, Region
from ecograph.survey.maturity import Assessment

INTERNET = "households_with_internet"


@dataclass(frozen=True)
class Options:
    """What to analyze and how: filters on actors and ties, and the size of the lists."""

    sectors: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    as_of: str | None = None
    top: int = 20
    k: int = 5
    steps: int = 1


def subset(graph: nx.MultiDiGraph, options: Options) -> nx.MultiDiGraph:
    """The actors and ties that pass the filters: sectors, capabilities (any of), tie status, and ties
    that overlap the period [since, until] (partial dates compare by their shared precision); with ``as_of``,
    first only what is in force on that date (:func:`ecograph.history.timeline.as_of`, its rule for undated ties).

    Without a filter on actors or ties, the graph itself (or its as-of graph), not a copy: callers read it
    only. Copying a 36,000-actor region's multigraph took about 10 s."""
    if options.as_of:
        graph = as_of(graph, options.as_of)
    if not (options.sectors or options.capabilities or options.statuses or options.since or options.until):
        return graph
    keep = [n for n, d in graph.nodes(data=True)
            if (not options.sectors or d["sector"] in options.sectors)
            and (not options.capabilities or set(options.capabilities) & set(d.get("capabilities", [])))]
    sub = graph.subgraph(keep).copy()

    def drop(data: dict[str, object]) -> bool:
        start, end = data.get("start"), data.get("end")
        return bool((options.statuses and data["status"] not in options.statuses)
                    or (options.until and start and str(start)[:len(options.until)] > options.until)
                    or (options.since and end and str(end) < options.since[:len(str(end))]))

    sub.remove_edges_from([(u, v, key) for u, v, key, data in sub.edges(keys=True, data=True) if drop(data)])
    return sub


def measures(graph: nx.Graph, directed: nx.MultiDiGraph) -> tuple[list[ActorMeasures], str, float]:
    """Every per-actor measure, the betweenness method used, and the modularity."""
    paths = path_measures(graph, EXACT_BETWEENNESS_LIMIT, BETWEENNESS_SAMPLES, SEED)
    between, closeness, error, method = paths.betweenness, paths.closeness, paths.betweenness_se, paths.method
    rank = pagerank(graph)
    core = nx.core_number(graph) if graph.number_of_nodes() else {}
    membership, modularity = communities(graph)
    constraint, effective = constraint_and_effective_size(graph)
    roles = brokerage(orient(directed))
    own = set(local_actors(graph))
    rows = [ActorMeasures(
        id=n, name=graph.nodes[n]["name"], sector=graph.nodes[n]["sector"], local=n in own,
        degree=graph.degree(n), weighted_degree=float(graph.degree(n, weight="weight")),
        betweenness=round(between[n], 6), betweenness_se=None if error is None else round(error[n], 6),
        closeness=round(closeness[n], 6), pagerank=round(rank[n], 8),
        core=core[n], community=membership[n],
        constraint=None if constraint[n] is None else round(constraint[n], 6),
        effective_size=None if effective[n] is None else round(effective[n], 6), brokerage=roles[n])
        for n in sorted(graph)]
    return rows, method, modularity


def region_report(graph: nx.MultiDiGraph, options: Options | None = None,
                  assessment: Assessment | None = None) -> RegionReport:
    """Everything ecograph finds in one region's graph (or the country's).

    The filters of ``options`` are applied (:func:`subset`), the ties collapsed to one weighted edge
    per pair, and then: structure (:mod:`ecograph.analysis.structure`), per-actor measures
    (:mod:`ecograph.analysis.measures`, :mod:`ecograph.analysis.paths`), gaps
    (:mod:`ecograph.analysis.gaps`), bridging opportunities (:mod:`ecograph.analysis.opportunities`)
    the convening set (:mod:`ecograph.analysis.convene`) and the key actors, each with a sentence of why it
    matters (:mod:`ecograph.analysis.key_actors`).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The store's graph (:meth:`ecograph.stores.base.Store.graph`): the region's actors, their ties
        and their partners elsewhere. Its ``version`` attribute is copied into the report.
    options : Options, optional
        Filters and list sizes; the defaults analyse everything.
    assessment : Assessment, optional
        What the published survey answers say (:func:`ecograph.survey.publish.published_assessment`): adds
        the gaps ``low_maturity_capability`` and ``unmet_need`` and the ``meets_need`` opportunities
        (:mod:`ecograph.analysis.survey_gaps`).

    Returns
    -------
    RegionReport

    Examples
    --------
    >>> from ecograph.graph import build_graph
    >>> from ecograph.model import Actor, Collaboration
    >>> actors = [Actor(id=i, name=i.upper(), sector=s, type=t, region="06", scope="regional")
    ...           for i, s, t in (("unc", "academia", "university"), ("gore", "public", "regional_government"))]
    >>> report = region_report(build_graph(actors, [Collaboration(source="unc", target="gore", type="agreement")],
    ...                                    "06"))
    >>> report.structure.actors, report.structure.ties, [row.degree for row in report.measures]
    (2, 1, [1, 1])

    Notes
    -----
    Deterministic: every randomized step is seeded. Cost: dominated by betweenness and closeness
    (exact O(n·m) up to 5,000 actors, else 1,000 sampled sources), Louvain and the opportunity
    candidates; about 25 s for the largest region of a 100,000-actor country (bench/bench_analysis.py).
    The service (:mod:`ecograph.service`) computes each region's report once per dataset version.
    """
    options = options or Options()
    directed = subset(graph, options)
    simple = collapse(directed)
    figures = structure(simple)
    rows, method, modularity = measures(simple, directed)
    gaps = find_gaps(simple, figures)
    if assessment is not None:
        gaps = sorted([*gaps, *survey_gaps(assessment, graph.graph.get("region"))],
                      key=lambda g: (SEVERITY_ORDER[g.severity], g.kind, g.subject or "", g.actors))
    gap_pairs = {frozenset(g.subject.split("-")) for g in gaps if g.kind == "weak_sector_pair" and g.subject}
    membership = {row.id: row.community for row in rows}
    constraint = {row.id: row.constraint for row in rows}
    convening = convene(simple, options.k, options.steps)
    named = name_communities(simple, membership, {row.id: row.pagerank for row in rows}, graph.graph.get("region"))
    return RegionReport(
        region=graph.graph.get("region"), version=graph.graph.get("version") or 0,
        filters={k: v for k, v in asdict(options).items() if v not in ((), None)}
        | ({"as_of_rule": dict(zip(("es", "en"), both(RULE), strict=True))} if options.as_of else {}),
        betweenness_method=method, modularity=round(modularity, 6), structure=Structure(**figures),
        measures=rows, communities=named,
        gaps=gaps, opportunities=with_needs(opportunities(simple, membership, constraint, gap_pairs,
                                                                         top=options.top),
                                                           assessment, graph.graph.get("region"), simple, options.top),
        convening=convening, key_actors=key_actors(simple, rows, convening, gaps))


def with_needs(found: list[Opportunity], assessment: Assessment | None, region: str | None, graph: nx.Graph,
               top: int) -> list[Opportunity]:
    """The opportunities with the survey's ``meets_need`` ones added, best first, ``top`` at most."""
    if assessment is None or region is None:
        return found
    merged = {(o.source, o.target): o for o in found}
    for need in meets_need(assessment, region, graph, top):  # a pair found both ways: one, with every reason
        other = merged.get((need.source, need.target)) or merged.pop((need.target, need.source), None)
        if other is not None:
            reasons = list(dict.fromkeys([*need.reasons, *other.reasons]))
            need = need.model_copy(update={"score": max(need.score, other.score), "reasons": reasons})
        merged[(need.source, need.target)] = need
    return sorted(merged.values(), key=lambda o: -o.score)[:top]


def latest(indicators: list[Indicator], name: str = INTERNET) -> dict[str, Indicator]:
    """The most recent published (non-empty) total figure of indicator ``name``, per region code.

    >>> figure = Indicator(region="06", indicator=INTERNET, period="2020", area="total", value=20.5,
    ...                    unit="percent", source="INEI")
    >>> latest([figure])["06"].value
    20.5
    """
    found: dict[str, Indicator] = {}
    for item in sorted(indicators, key=lambda i: i.period):
        if item.indicator == name and item.area == "total" and item.value is not None:
            found[item.region] = item
    return found


def ecosystem_score(coverage: float, fragmentation: float, cross_share: float | None, national_ties: int,
                    high_gaps: int) -> float:
    """The ecosystem score, 0-100, higher is healthier:

    100 × (0.25 sector coverage + 0.25 (1 − fragmentation) + 0.2 cross-sector tie share
    + 0.15 national connection + 0.15 (1 − high gaps / 4)),

    with sector coverage the share of the five sectors present, fragmentation the share of actors
    outside the largest component, national connection = min(1, ties to national or international
    actors / 10) and the last term floored at 0. Every part lies in [0, 1].

    >>> ecosystem_score(1.0, 0.0, 1.0, 10, 0)
    100.0
    """
    return round(100 * (0.25 * coverage + 0.25 * (1 - fragmentation) + 0.2 * (cross_share or 0.0)
                        + 0.15 * min(1.0, national_ties / 10) + 0.15 * max(0.0, 1 - high_gaps / 4)), 1)


def comparison_row(region: Region, report: RegionReport, internet: Indicator | None) -> ComparisonRow:
    """A region's row of the comparison: size, structure, gaps by severity, internet and the ecosystem score."""
    s = report.structure
    severity = Counter(g.severity for g in report.gaps)
    return ComparisonRow(
        region=region.code, name=region.name, actors=s.actors, ties=s.ties, density=round(s.density, 4),
        fragmentation=round(s.fragmentation, 4), sector_coverage=len(s.by_sector) / len(SECTORS),
        cross_sector_share=None if s.cross_sector_share is None else round(s.cross_sector_share, 4),
        national_ties=s.national_ties, gaps_high=severity["high"], gaps_medium=severity["medium"],
        gaps_low=severity["low"], households_with_internet=internet.value if internet else None,
        internet_period=internet.period if internet else None, score=report_score(report))


def report_score(report: RegionReport) -> float:
    """The ecosystem score of a region's report (:func:`ecosystem_score` of its figures)."""
    s = report.structure
    high = sum(1 for gap in report.gaps if gap.severity == "high")
    return ecosystem_score(len(s.by_sector) / len(SECTORS), s.fragmentation, s.cross_sector_share, s.national_ties,
                           high)


def ranked(rows: list[ComparisonRow]) -> list[ComparisonRow]:
    """Comparison rows by ecosystem score, best first (region code breaks ties)."""
    return sorted(rows, key=lambda r: (-r.score, r.region))
