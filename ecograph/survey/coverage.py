"""Coverage: how many of the invited institutions answered, by region and by sector, and who has not."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, Field

from ecograph.i18n import DEFAULT, Texts
from ecograph.model import NATIONAL, Actor
from ecograph.survey.model import Campaign, SectionAnswer, answered


class Share(BaseModel):
    """Answered of rostered, and the rounded percentage.

    >>> Share(answered=3, rostered=4).text("es"), Share(answered=3, rostered=4).text("en")
    ('3 de 4 actores respondieron (75 %)', '3 of 4 actors answered (75 %)')
    """

    answered: int
    rostered: int

    @property
    def percent(self) -> int:
        """Rounded half up; 0 for an empty roster."""
        return (200 * self.answered + self.rostered) // (2 * self.rostered) if self.rostered else 0

    def text(self, lang: str = DEFAULT) -> str:
        return Texts(lang).plural("survey.coverage.share", self.rostered, answered=self.answered,
                                  percent=self.percent)


class Coverage(BaseModel):
    """A campaign's coverage: in all, by home region (``PE`` for national and international actors) and by
    sector, and the invited actors who have not answered (by id)."""

    campaign: str
    total: Share
    by_region: dict[str, Share]
    by_sector: dict[str, Share]
    missing: list[str] = Field(description="ids of invited actors who have not answered (no consent saved)")

    def text(self, lang: str = DEFAULT) -> str:
        return self.total.text(lang)


def _share(actors: list[Actor], done: set[str]) -> Share:
    return Share(answered=sum(actor.id in done for actor in actors), rostered=len(actors))


def coverage(campaign: Campaign | str, roster: Iterable[Actor], answers: Iterable[SectionAnswer]) -> Coverage:
    """Answered / rostered, in all, by region and by sector, and who has not answered.

    Parameters
    ----------
    campaign : Campaign or str
        The campaign (or its id).
    roster : iterable of Actor
        The invited actors (leave revoked invitations out).
    answers : iterable of SectionAnswer
        The campaign's answers; an actor has answered once it saved its consent.

    Returns
    -------
    Coverage
        Totals, by home region (``PE`` for national and international actors) and by sector, and the ids of
        those who have not answered.

    Notes
    -----
    Cost: linear in the roster and the answers. Percentages are rounded half up.

    Examples
    --------

    >>> from ecograph.survey.model import SectionAnswer as A
    >>> def actor(id, sector, region):
    ...     return Actor(id=id, name=id, sector=sector, type="ngo", region=region, scope="regional")
    >>> roster = [actor("a", "public", "06"), actor("b", "public", "06"), actor("c", "academia", "06"),
    ...           actor("d", "academia", "08")]
    >>> said = [A(campaign="c", actor=x, section="consent", payload={"accepted": True}) for x in "abd"]
    >>> found = coverage("c", roster, said)
    >>> found.text("es"), found.by_region["06"].text("en"), found.missing
    ('3 de 4 actores respondieron (75 %)', '2 of 3 actors answered (67 %)', ['c'])
    """
    actors = sorted({actor.id: actor for actor in roster}.values(), key=lambda actor: actor.id)
    done = answered(list(answers))
    regions: dict[str, list[Actor]] = {}
    sectors: dict[str, list[Actor]] = {}
    for actor in actors:
        regions.setdefault(actor.region or NATIONAL, []).append(actor)
        sectors.setdefault(actor.sector, []).append(actor)
    return Coverage(campaign=campaign if isinstance(campaign, str) else campaign.id, total=_share(actors, done),
                    by_region={code: _share(group, done) for code, group in sorted(regions.items())},
                    by_sector={sector: _share(group, done) for sector, group in sorted(sectors.items())},
                    missing=[actor.id for actor in actors if actor.id not in done])
