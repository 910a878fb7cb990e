"""What the survey adds to a region's analysis: gaps and opportunities from the institutions' own answers.

They read an :class:`ecograph.survey.maturity.Assessment` (the published answers, see
:func:`ecograph.survey.publish.published_assessment`), never the graph alone: maturity and needs are what
the institutions said. Levels are the stages of UNDP's *Digital Development Compass* (0 basic ...
4 transformational); "low maturity" is level 0-1, a "mature provider" an actor at level 3-4.

* ``low_maturity_capability`` (gap): a capability the region's institutions offer only at level 0-1.
* ``unmet_need`` (gap): a capability some of the region's institutions seek a partner for, and that no mature
  provider of the region offers (high when nobody in the region offers it at all).
* ``meets_need`` (opportunity reason): an institution that needs a capability paired with a mature provider
  of it, of the region or national/international, not yet tied to it.

Their sentences come from the ``survey`` catalog, in Spanish and English.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from ecograph.analysis.gaps import listing, lower_label
from ecograph.analysis.models import Gap, Opportunity
from ecograph.i18n import Texts
from ecograph.survey.maturity import Assessment, Need, Offer
from ecograph.survey.model import LEVEL_NAMES, LOW_MATURITY, MATURE

NAMES_SHOWN = 3
PROVIDERS_PER_NEED = 3


def _names(texts: Texts, names: list[str]) -> str:
    shown, more = names[:NAMES_SHOWN], len(names) - NAMES_SHOWN
    return texts.plural("list.more", more, names=", ".join(shown)) if more > 0 else listing(texts, shown)


def _stage(texts: Texts, level: int) -> str:
    return texts(f"survey.level.{level}.title")


def _both(key: str, count: int | None = None, **values: object) -> tuple[str, str]:
    """The sentence in Spanish and English; values that are callables get the language's texts."""
    said = []
    for lang in ("es", "en"):
        texts = Texts(lang)
        filled = {name: value(texts) if callable(value) else value for name, value in values.items()}
        said.append(texts.plural(key, count, **filled) if count is not None else texts(key, **filled))
    return said[0], said[1]


def low_maturity_capability(assessment: Assessment, region: str) -> list[Gap]:
    """The capabilities the region's own institutions offer only at a low level (0-1), one gap each.

    Parameters
    ----------
    assessment : Assessment
        The published answers (:func:`ecograph.survey.publish.published_assessment`).
    region : str
        The region's code.

    Returns
    -------
    list of Gap
        Kind ``low_maturity_capability``, severity medium; ``value`` the highest level found, ``actors`` who
        offer it, ``subject`` the capability.

    Notes
    -----
    Cost: linear in the offers.

    References
    ----------
    UNDP, *Digital Development Compass*: levels 0 (basic) and 1 (opportunistic) are the low stages.

    Examples
    --------

    >>> offer = Offer(actor="unc", name="UNC", region="06", sector="academia", capability="e_health", level=1)
    >>> [(g.kind, g.subject, g.value) for g in low_maturity_capability(Assessment(offers=[offer]), "06")]
    [('low_maturity_capability', 'e_health', 1.0)]
    """
    by_capability: dict[str, list[Offer]] = defaultdict(list)
    for offer in assessment.offers:
        if offer.region == region:
            by_capability[offer.capability].append(offer)
    gaps = []
    for capability, offers in sorted(by_capability.items()):
        best = max(offer.level for offer in offers)
        if best > LOW_MATURITY:
            continue
        offers = sorted(offers, key=lambda o: (o.name.casefold(), o.actor))
        text_es, text_en = _both("gap.low_maturity_capability", len(offers),
                                 capability=lower_label("capability", capability),
                                 level=best, stage=lambda t, b=best: _stage(t, b),
                                 names=lambda t, o=offers: _names(t, [x.name for x in o]))
        gaps.append(Gap(kind="low_maturity_capability", severity="medium", value=float(best), subject=capability,
                        actors=sorted({o.actor for o in offers}), text_es=text_es, text_en=text_en))
    return gaps


def unmet_need(assessment: Assessment, region: str) -> list[Gap]:
    """The capabilities the region's institutions need that no mature provider (level 3-4) of the region offers.

    Parameters
    ----------
    assessment : Assessment
    region : str

    Returns
    -------
    list of Gap
        Kind ``unmet_need``; ``value`` how many institutions need it, ``actors`` who; severity high when no
        institution of the region offers it at any level, else medium.

    Notes
    -----
    Cost: linear in the offers and needs.

    Examples
    --------

    >>> need = Need(actor="gore", name="GORE", region="06", sector="public", capability="cybersecurity")
    >>> [(g.kind, g.severity, g.actors) for g in unmet_need(Assessment(needs=[need]), "06")]
    [('unmet_need', 'high', ['gore'])]
    """
    needs: dict[str, list[Need]] = defaultdict(list)
    for need in assessment.needs:
        if need.region == region:
            needs[need.capability].append(need)
    offered: dict[str, list[Offer]] = defaultdict(list)
    for offer in assessment.offers:
        if offer.region == region:
            offered[offer.capability].append(offer)
    gaps = []
    for capability, who in sorted(needs.items()):
        needers = {need.actor for need in who}
        if any(offer.mature and offer.actor not in needers for offer in offered[capability]):
            continue
        who = sorted(who, key=lambda n: (n.name.casefold(), n.actor))
        text_es, text_en = _both("gap.unmet_need", len(who),
                                 capability=lower_label("capability", capability),
                                 names=lambda t, w=who: _names(t, [x.name for x in w]), level=MATURE)
        gaps.append(Gap(kind="unmet_need", severity="medium" if offered[capability] else "high",
                        value=float(len(who)), subject=capability, actors=sorted(needers),
                        text_es=text_es, text_en=text_en))
    return gaps


def meets_need(assessment: Assessment, region: str, graph: nx.Graph | None = None,
               top: int = 20) -> list[Opportunity]:
    """Pairs of an institution of the region that needs a capability and a mature provider of it.

    Parameters
    ----------
    assessment : Assessment
    region : str
    graph : networkx.Graph, optional
        The region's collapsed graph: pairs already tied are skipped, shared partners make a pair feasible.
    top : int
        At most this many, best first.

    Returns
    -------
    list of Opportunity
        Reasons ``meets_need`` (and ``crosses_sectors``, ``national`` when they apply). Per need, the
        :data:`PROVIDERS_PER_NEED` best providers (level 3-4, of the region or national/international).
        Score as the other opportunities: 0.4 feasibility + 0.4 impact + 0.2 complementarity, with impact =
        the provider's level / 4, feasibility = shared partners / 3 (at most 1), complementarity = 1 across
        sectors, 0.5 within one.

    Notes
    -----
    Cost: O(needs × providers), plus a neighbour lookup per pair.

    Examples
    --------

    >>> need = Need(actor="gore", name="GORE", region="06", sector="public", capability="cybersecurity")
    >>> offer = Offer(actor="pucp", name="PUCP", region=None, sector="academia", capability="cybersecurity",
    ...               level=4)
    >>> [(o.source, o.target, o.score, o.reasons) for o in meets_need(Assessment(offers=[offer], needs=[need]), "06")]
    [('gore', 'pucp', 0.6, ['meets_need', 'crosses_sectors', 'national'])]
    """
    providers: dict[str, list[Offer]] = defaultdict(list)
    for offer in assessment.offers:
        if offer.mature and offer.region in (region, None):
            providers[offer.capability].append(offer)
    found: dict[tuple[str, str], Opportunity] = {}
    for need in sorted(assessment.needs, key=lambda n: (n.actor, n.capability)):
        if need.region != region:
            continue
        best = sorted((o for o in providers[need.capability] if o.actor != need.actor),
                      key=lambda o: (-o.level, o.region is None, o.actor))
        chosen = []
        for offer in best:
            if graph is not None and need.actor in graph and offer.actor in graph and graph.has_edge(need.actor,
                                                                                                     offer.actor):
                continue
            chosen.append(offer)
            if len(chosen) == PROVIDERS_PER_NEED:
                break
        for offer in chosen:
            shared = (sorted(set(graph[need.actor]) & set(graph[offer.actor])) if graph is not None
                      and need.actor in graph and offer.actor in graph else [])
            feasibility = min(1.0, len(shared) / 3)
            impact = offer.level / 4
            complementarity = 1.0 if offer.sector != need.sector else 0.5
            reasons = ["meets_need", *(["crosses_sectors"] if offer.sector != need.sector else []),
                       *(["national"] if offer.region is None else [])]
            text_es, text_en = _both("opportunity.meets_need", needer=need.name, provider=offer.name,
                                     capability=lower_label("capability", need.capability),
                                     level=offer.level, stage=lambda t, n=offer.level: _stage(t, n))
            key = (need.actor, offer.actor)
            if key in found:  # the same pair meets several needs: one opportunity, the first need's sentence
                continue
            found[key] = Opportunity(
                source=need.actor, target=offer.actor,
                score=round(0.4 * feasibility + 0.4 * impact + 0.2 * complementarity, 4),
                feasibility=round(feasibility, 4), impact=impact, complementarity=complementarity,
                shared_partners=shared, reasons=reasons, cross_region=False, national=offer.region is None,
                text_es=text_es, text_en=text_en)
    return sorted(found.values(), key=lambda o: (-o.score, o.source, o.target))[:top]


def survey_gaps(assessment: Assessment, region: str | None) -> list[Gap]:
    """Both survey gap kinds of a region (none for the whole country, ``region`` None)."""
    if region is None:
        return []
    return [*unmet_need(assessment, region), *low_maturity_capability(assessment, region)]


__all__ = ["LEVEL_NAMES", "low_maturity_capability", "meets_need", "survey_gaps", "unmet_need"]
