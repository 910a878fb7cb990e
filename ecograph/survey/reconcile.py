"""Reconciliation: what two institutions say about the tie between them.

Every respondent lists its partners; a tie between two institutions is then reported from one side or from
both. :func:`reconcile` matches the two sides' reports (PARTNER tool practice, Varda et al., PARTNER CPRM:
a relationship is confirmed when both organisations report it):

* both sides report it, with the same type (and, for funding and service, direction), strength and status:
  **confirmed**;
* only one side reports it: **reported** (``partner_answered`` says whether the other side answered the
  survey at all: a non-respondent's ties, known only from its partners, are kept and flagged);
* both sides report a tie but disagree on type, direction, strength or status: a **conflict**, both versions
  kept (a reviewer decides, see :mod:`ecograph.survey.review`).

Only the answers of respondents who gave consent count. Trust and value (1-4, PARTNER) are averaged over
the sides that rated them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from statistics import fmean
from typing import Literal

from pydantic import BaseModel, Field

from ecograph.model import DIRECTED_TIE_TYPES, Collaboration
from ecograph.survey.model import Proposed, SectionAnswer, Tie, answered, parsed

State = Literal["confirmed", "reported", "conflict"]


class Version(BaseModel):
    """One side's report of a tie."""

    respondent: str
    saved: datetime
    source: str = Field(description="the giver for funding and service ties; else the tie's first end")
    target: str
    type: str
    status: str
    strength: int
    since: int | None = None
    trust: int | None = None
    value: int | None = None


class Reconciled(BaseModel):
    """A tie as the answers tell it: its ends, its state and every side's version."""

    id: str = Field(description="stable: source--target--type (two types for a conflict over the type)")
    source: str
    target: str
    type: str
    state: State
    partner_answered: bool = Field(description="false when only one end answered the survey at all")
    versions: list[Version]
    known: str | None = Field(default=None, description="the id of the stored tie it matches, if any")
    proposed: Proposed | None = Field(default=None, description="the new institution at the far end, if any")
    trust: float | None = None
    value: float | None = None

    @property
    def respondents(self) -> list[str]:
        return sorted({version.respondent for version in self.versions})

    @property
    def latest(self) -> Version:
        """The version saved last (the one an accepted conflict publishes)."""
        return max(self.versions, key=lambda version: (version.saved, version.respondent))


def _version(respondent: str, saved: datetime, tie: Tie) -> Version:
    other = tie.other
    if tie.type in DIRECTED_TIE_TYPES:
        source, target = (respondent, other) if tie.direction == "gives" else (other, respondent)
    else:
        source, target = sorted((respondent, other))
    return Version(respondent=respondent, saved=saved, source=source, target=target, type=tie.type,
                   status=tie.status, strength=tie.strength, since=tie.since, trust=tie.trust, value=tie.value)


def _same(one: Version, other: Version) -> bool:
    return (one.strength, one.status) == (other.strength, other.status)


def _mean(values: Iterable[int | None]) -> float | None:
    present = [value for value in values if value is not None]
    return round(fmean(present), 2) if present else None


def reports(answers: list[SectionAnswer]) -> dict[frozenset[str], dict[str, list[tuple[Version, Proposed | None]]]]:
    """Every consenting respondent's partner reports, by pair of ends and then by respondent."""
    counted = answered(answers)
    found: dict[frozenset[str], dict[str, list[tuple[Version, Proposed | None]]]] = defaultdict(dict)
    for answer in answers:
        if answer.section != "partners" or answer.actor not in counted:
            continue
        for tie in parsed("partners", answer.payload).items:
            if tie.other == answer.actor:
                continue
            found[frozenset((answer.actor, tie.other))].setdefault(answer.actor, []).append(
                (_version(answer.actor, answer.saved, tie), tie.proposed))
    return found


def reconcile(answers: list[SectionAnswer], known_ties: Iterable[Collaboration] = ()) -> list[Reconciled]:
    """The ties the answers report, each confirmed, reported or in conflict (see the module docstring).

    Parameters
    ----------
    answers : list of SectionAnswer
        One campaign's answers (every section; only ``partners`` and ``consent`` are read).
    known_ties : iterable of Collaboration
        The stored ties, so each reconciled tie names the one it matches (same ends and type, and the same
        direction for funding and service).

    Returns
    -------
    list of Reconciled
        Sorted by id; a tie one respondent lists twice appears once.

    Notes
    -----
    Cost: linear in the number of reports, plus the known ties once.

    References
    ----------
    Varda, D. et al., PARTNER (Program to Analyze, Record, and Track Networks to Enhance Relationships),
    Center on Network Science / PARTNER CPRM: a relationship is confirmed when both organisations report it;
    trust and value are rated 1-4.

    Examples
    --------
    Both sides report the same tie: confirmed.

    >>> from ecograph.survey.model import SectionAnswer as A
    >>> def said(actor, *ties):
    ...     return [A(campaign="c", actor=actor, section="consent", payload={"accepted": True}),
    ...             A(campaign="c", actor=actor, section="partners", payload={"items": list(ties)})]
    >>> tie = {"partner": "unc", "type": "agreement", "strength": 3}
    >>> [(t.id, t.state) for t in reconcile(said("gore", tie) + said("unc", {**tie, "partner": "gore"}))]
    [('gore--unc--agreement', 'confirmed')]

    One side only, the other never answered: reported and flagged.

    >>> found = reconcile(said("gore", tie))
    >>> found[0].state, found[0].partner_answered
    ('reported', False)
    """
    counted = answered(answers)
    stored = {_key(tie.source, tie.target, tie.type): tie.id for tie in known_ties}
    found: list[Reconciled] = []
    for pair, sides in reports(answers).items():
        one, *rest = sorted(pair)
        other = rest[0]
        mine, theirs = list(sides.get(one, [])), list(sides.get(other, []))
        proposed = next((item for _, item in [*mine, *theirs] if item is not None), None)
        # Same type and direction on both sides: confirmed, or a conflict over strength or status.
        for version, _ in list(mine):
            match = next(((v, p) for v, p in theirs if (v.source, v.target, v.type) ==
                          (version.source, version.target, version.type)), None)
            if match is None:
                continue
            mine.remove((version, _))
            theirs.remove(match)
            state: State = "confirmed" if _same(version, match[0]) else "conflict"
            found.append(_tie(version.source, version.target, version.type, state, True, [version, match[0]],
                              stored, proposed))
        # Both sides report a tie, but not of the same type (or direction): a conflict over the type.
        while mine and theirs:
            (version, _), (match, _) = mine.pop(0), theirs.pop(0)
            tie = _tie(version.source, version.target, version.type, "conflict", True, [version, match], stored,
                       proposed)
            found.append(tie.model_copy(update={"id": f"{one}--{other}--{version.type}--{match.type}"}))
        # One side only.
        for respondent, left in ((one, mine), (other, theirs)):
            far = other if respondent == one else one
            for version, _ in left:
                found.append(_tie(version.source, version.target, version.type, "reported", far in counted,
                                  [version], stored, proposed))
    unique: dict[str, Reconciled] = {}
    for tie in found:  # a respondent listing the same tie twice: keep one
        unique.setdefault(tie.id, tie)
    return sorted(unique.values(), key=lambda tie: tie.id)


def _key(source: str, target: str, type: str) -> tuple[str, ...]:
    return (source, target, type) if type in DIRECTED_TIE_TYPES else (*sorted((source, target)), type)


def _tie(source: str, target: str, type: str, state: State, partner_answered: bool, versions: list[Version],
         stored: dict[tuple[str, ...], str], proposed: Proposed | None) -> Reconciled:
    return Reconciled(id=f"{source}--{target}--{type}", source=source, target=target, type=type, state=state,
                      partner_answered=partner_answered, versions=versions,
                      known=stored.get(_key(source, target, type)),
                      proposed=proposed if proposed is not None and proposed.key in (source, target) else None,
                      trust=_mean(v.trust for v in versions), value=_mean(v.value for v in versions))
