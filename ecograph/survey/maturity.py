"""Maturity: how far each region's institutions have taken each digital capability, and what they need.

Levels are the five stages of UNDP's *Digital Development Compass* (undp/digital-development-compass):
0 basic, 1 opportunistic, 2 systematic, 3 differentiating, 4 transformational. :func:`maturity` summarises
the self-ratings per region × sector × capability (respondents, median, lowest and highest), with rows for
all sectors together (``sector`` None) and the national rows (region ``PE``) for comparison.
:func:`assessment` is what the analysis reads (:mod:`ecograph.analysis.survey_gaps`): every rating (an
*offer*) and every need, with the summary.

Only the answers of respondents who gave consent count; when answers of several campaigns are given, an
actor's latest save of a section wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from statistics import median

from pydantic import BaseModel, Field

from ecograph.model import NATIONAL, Actor
from ecograph.survey.model import LOW_MATURITY, MATURE, SectionAnswer, answered, parsed


class Cell(BaseModel):
    """The ratings of one capability in one region (``PE``: the whole country) and sector (None: all)."""

    region: str
    sector: str | None
    capability: str
    respondents: int
    median: float
    low: int
    high: int


class Offer(BaseModel):
    """One institution's rating of one capability."""

    actor: str
    name: str
    region: str | None
    sector: str
    capability: str
    level: int

    @property
    def mature(self) -> bool:
        return self.level >= MATURE

    @property
    def low(self) -> bool:
        return self.level <= LOW_MATURITY


class Need(BaseModel):
    """A capability one institution seeks a partner for."""

    actor: str
    name: str
    region: str | None
    sector: str
    capability: str


class Assessment(BaseModel):
    """What the published answers say: every rating and need, and the summary cells."""

    offers: list[Offer] = Field(default_factory=list)
    needs: list[Need] = Field(default_factory=list)
    cells: list[Cell] = Field(default_factory=list)
    respondents: int = Field(default=0, description="institutions whose answers count")

    def region(self, code: str) -> Assessment:
        """The part of a region: its cells and the national ones, its actors' offers and needs, and the offers
        of national and international respondents (who may serve any region)."""
        return Assessment(
            offers=[o for o in self.offers if o.region in (code, None)],
            needs=[n for n in self.needs if n.region == code],
            cells=[c for c in self.cells if c.region in (code, NATIONAL)],
            respondents=len({o.actor for o in self.offers if o.region == code}
                            | {n.actor for n in self.needs if n.region == code}))


def latest(answers: Iterable[SectionAnswer]) -> list[SectionAnswer]:
    """Each actor's latest save of each section (over several campaigns), of consenting respondents only.

    Cost: linear in the answers.
    """
    answers = list(answers)
    kept: dict[tuple[str, str], SectionAnswer] = {}
    for answer in sorted(answers, key=lambda a: a.saved):
        kept[(answer.actor, answer.section)] = answer
    counted = answered(answers)
    return [answer for key, answer in sorted(kept.items()) if answer.actor in counted]


def _cells(offers: list[Offer]) -> list[Cell]:
    groups: dict[tuple[str, str | None, str], list[int]] = {}
    for offer in offers:
        for region in ([offer.region] if offer.region else []) + [NATIONAL]:
            for sector in (offer.sector, None):
                groups.setdefault((region, sector, offer.capability), []).append(offer.level)
    return [Cell(region=region, sector=sector, capability=capability, respondents=len(levels),
                 median=float(median(levels)), low=min(levels), high=max(levels))
            for (region, sector, capability), levels in sorted(groups.items(),
                                                               key=lambda item: (item[0][0], item[0][1] or "",
                                                                                 item[0][2]))]


def assessment(answers: Iterable[SectionAnswer], actors: Iterable[Actor]) -> Assessment:
    """Every rating and need of the consenting respondents among ``actors``, and the cells of :func:`maturity`.

    Parameters
    ----------
    answers : iterable of SectionAnswer
        Answers of one or several campaigns (each actor's latest save of a section wins).
    actors : iterable of Actor
        The actors the answers are about (their region and sector place the ratings); others are ignored.

    Returns
    -------
    Assessment

    Notes
    -----
    Cost: linear in the answers (sorting the cells: O(c log c) for c cells).

    References
    ----------
    UNDP, *Digital Development Compass* (undp/digital-development-compass): five stages, 0 basic to
    4 transformational.

    Examples
    --------

    >>> from ecograph.survey.model import SectionAnswer as A
    >>> unc = Actor(id="unc", name="UNC", sector="academia", type="university", region="06", scope="regional")
    >>> said = [A(campaign="c", actor="unc", section="consent", payload={"accepted": True}),
    ...         A(campaign="c", actor="unc", section="capabilities", payload=[{"capability": "policy", "level": 1}]),
    ...         A(campaign="c", actor="unc", section="needs", payload={"capabilities": ["connectivity"]})]
    >>> found = assessment(said, [unc])
    >>> [(o.capability, o.level) for o in found.offers], [n.capability for n in found.needs], len(found.cells)
    ([('policy', 1)], ['connectivity'], 4)
    """
    known = {actor.id: actor for actor in actors}
    offers: list[Offer] = []
    needs: list[Need] = []
    people: set[str] = set()
    for answer in latest(answers):
        actor = known.get(answer.actor)
        if actor is None:
            continue
        where = {"actor": actor.id, "name": actor.acronym or actor.name, "region": actor.region,
                 "sector": actor.sector}
        if answer.section == "capabilities":
            offers += [Offer(**where, capability=rating.capability, level=rating.level)
                       for rating in parsed("capabilities", answer.payload).items]
            people.add(actor.id)
        elif answer.section == "needs":
            needs += [Need(**where, capability=capability)
                      for capability in parsed("needs", answer.payload).capabilities]
            people.add(actor.id)
    return Assessment(offers=offers, needs=needs, cells=_cells(offers), respondents=len(people))


def maturity(answers: Iterable[SectionAnswer], actors: Iterable[Actor]) -> list[Cell]:
    """Per region × sector × capability: respondents, median level, lowest and highest.

    Parameters
    ----------
    answers : iterable of SectionAnswer
        Answers of one or several campaigns (consenting respondents only count).
    actors : iterable of Actor
        The respondents' records.

    Returns
    -------
    list of Cell
        Sorted by region, sector, capability; rows with ``sector`` None for all sectors together, and region
        ``PE`` for the whole country (national and international respondents count there only).

    Notes
    -----
    Cost: as :func:`assessment`. The median of an even count is the mean of the middle two.

    References
    ----------
    UNDP, *Digital Development Compass* (undp/digital-development-compass): five stages, 0-4.

    Examples
    --------

    >>> from ecograph.survey.model import SectionAnswer as A
    >>> def unit(id, sector, region):
    ...     return Actor(id=id, name=id, sector=sector, type="ngo", region=region, scope="regional")
    >>> def rated(id, level):
    ...     return [A(campaign="c", actor=id, section="consent", payload={"accepted": True}),
    ...             A(campaign="c", actor=id, section="capabilities",
    ...               payload=[{"capability": "e_health", "level": level}])]
    >>> actors = [unit("a", "public", "06"), unit("b", "public", "06"), unit("c", "public", "08")]
    >>> cells = maturity(rated("a", 1) + rated("b", 4) + rated("c", 2), actors)
    >>> [(c.region, c.sector, c.respondents, c.median, c.low, c.high) for c in cells if c.sector]
    [('06', 'public', 2, 2.5, 1, 4), ('08', 'public', 1, 2.0, 2, 2), ('PE', 'public', 3, 2.0, 1, 4)]
    """
    return assessment(answers, actors).cells
