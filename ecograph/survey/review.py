"""The review queue: what a person decides before a campaign is published.

Three kinds of items, each with a stable id (decisions refer to it, see
:class:`ecograph.survey.model.Decision`):

* ``new:<slug>`` (``new_actor``): an institution a respondent named that is not among the known actors, with
  its likely duplicates among them (name and acronym similarity: "Univ. Nacional de Cajamarca" and "UNC").
  *accept* creates it, *merge* (``merge_into``) points its ties at a known actor, *reject* drops its ties.
* ``profile:<actor>`` (``profile``): a respondent's corrections of its own record (name, acronym, sector,
  type, scope, website; never its private contact). *accept* applies them, *reject* keeps the record.
* ``conflict:<tie id>`` (``conflict``): both ends report the tie but disagree (:mod:`.reconcile`). *accept*
  publishes the version saved last, *reject* publishes neither.

An item without a decision is left out of a publish. Similarity uses :func:`ecograph.model.fold` and
:mod:`difflib` (rapidfuzz is not a dependency).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from typing import Any, Literal

from pydantic import BaseModel, Field

from ecograph.model import Actor, Collaboration, fold
from ecograph.stores.base import Store
from ecograph.survey.model import Campaign, Proposed, SectionAnswer, answered, parsed
from ecograph.survey.reconcile import Reconciled, reconcile

Kind = Literal["new_actor", "profile", "conflict"]
PROFILE_FIELDS = ("name", "acronym", "sector", "type", "scope", "website")
"""What a respondent may correct of its own record (contact fields are private and never published)."""
STOPWORDS = frozenset({"de", "del", "la", "las", "el", "los", "y", "e", "en", "para", "por", "a"})
THRESHOLD = 0.6
"""Candidates at least this similar are listed as likely duplicates."""


class Candidate(BaseModel):
    """A known actor a proposed institution may be."""

    actor: str
    name: str
    acronym: str | None
    score: float = Field(description="similarity, 0-1")


class ReviewItem(BaseModel):
    """One thing to decide."""

    id: str
    kind: Kind
    campaign: str
    respondents: list[str] = Field(description="who said it")
    subject: str = Field(description="the proposed name, the actor corrected, or the tie in conflict")
    proposed: Proposed | None = None
    duplicates: list[Candidate] = Field(default_factory=list)
    changes: dict[str, tuple[Any, Any]] = Field(default_factory=dict, description="field: (stored, proposed)")
    tie: Reconciled | None = None


def _words(text: str) -> list[str]:
    return [word for word in re.split(r"[^a-z0-9]+", fold(text)) if word]


def initials(name: str) -> str:
    """The initials of a name's meaningful words.

    >>> initials("Universidad Nacional de Cajamarca")
    'unc'
    """
    return "".join(word[0] for word in _words(name) if word not in STOPWORDS)


def _abbreviates(short: list[str], long: list[str]) -> bool:
    """Each word of ``short`` begins the word of ``long`` in its place ("univ" of "universidad")."""
    return len(short) == len(long) and all(full.startswith(part) for part, full in zip(short, long, strict=True))


def similarity(name: str, acronym: str | None, actor: Actor) -> float:
    """How likely a named institution is ``actor``, 0-1.

    Parameters
    ----------
    name, acronym : str, str or None
        What the respondent wrote.
    actor : Actor
        A known actor.

    Returns
    -------
    float
        The best of: the name similarity (the mean of the :class:`difflib.SequenceMatcher` ratio of the
        folded names and the share of meaningful words they share, a word matching another it begins or that
        begins it); 0.95 for an acronym equal to the actor's acronym or initials; 0.9 for abbreviated words
        ("Univ. Nacional de Cajamarca" for "Universidad Nacional de Cajamarca").

    Notes
    -----
    Cost: O(n·m) in the names' lengths.

    Examples
    --------

    >>> unc = Actor(id="unc", name="Universidad Nacional de Cajamarca", acronym="UNC", sector="academia",
    ...             type="university", region="06", scope="regional")
    >>> similarity("Univ. Nacional de Cajamarca", None, unc), similarity("UNC", None, unc)
    (0.95, 0.95)
    >>> round(similarity("Cámara de Comercio de Lima", None, unc), 2) < 0.6
    True
    """
    words, theirs = _words(name), _words(actor.name)
    plain = [w for w in words if w not in STOPWORDS]
    full = [w for w in theirs if w not in STOPWORDS]
    same = sum(any(a.startswith(b) or b.startswith(a) for b in full) for a in plain)
    overlap = same / max(len(plain), len(full), 1)
    # Characters alone overrate names that share a place ("Regional de Cajamarca", "Nacional de Cajamarca").
    scores = [(SequenceMatcher(None, " ".join(words), " ".join(theirs)).ratio() + overlap) / 2]
    given = fold(acronym or "").replace("_", "")
    codes = {initials(actor.name), fold(actor.acronym or "").replace("_", "")} - {""}
    if (given and given in codes) or ("".join(words) in codes) or (initials(name) in codes and len(plain) > 1):
        scores.append(0.95)
    if _abbreviates(plain, full):
        scores.append(0.9)
    return round(max(scores), 4)


def likely_duplicates(proposed: Proposed, actors: Iterable[Actor], limit: int = 3,
                      threshold: float = THRESHOLD) -> list[Candidate]:
    """The ``limit`` known actors most similar to ``proposed`` (at least ``threshold``), best first; actors of
    its region (or with none) only, when it names one. Cost: one :func:`similarity` per actor."""
    found = []
    for actor in actors:
        if proposed.region and actor.region not in (proposed.region, None):
            continue
        score = similarity(proposed.name, proposed.acronym, actor)
        if score >= threshold:
            found.append(Candidate(actor=actor.id, name=actor.name, acronym=actor.acronym, score=score))
    return sorted(found, key=lambda c: (-c.score, c.actor))[:limit]


def profile_changes(actor: Actor, payload: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields of its record a respondent's profile changes (a field left empty changes nothing).

    >>> unc = Actor(id="unc", name="UNC", sector="academia", type="university", region="06", scope="regional")
    >>> profile_changes(unc, {"name": "Universidad Nacional de Cajamarca", "sector": "academia",
    ...                       "type": "university", "scope": "regional", "contact_email": "x@unc.edu.pe"})
    {'name': ('UNC', 'Universidad Nacional de Cajamarca')}
    """
    return {name: (getattr(actor, name), payload.get(name)) for name in PROFILE_FIELDS
            if payload.get(name) is not None and payload.get(name) != getattr(actor, name)}


def items(campaign: str, answers: list[SectionAnswer], actors: Iterable[Actor],
          known_ties: Iterable[Collaboration] = ()) -> list[ReviewItem]:
    """The review items of a campaign's answers (see the module docstring), by id.

    Parameters
    ----------
    campaign : str
        The campaign's id.
    answers : list of SectionAnswer
        Its answers (consenting respondents only count).
    actors : iterable of Actor
        The known actors (duplicates are searched among them; profiles are compared with them).
    known_ties : iterable of Collaboration
        The stored ties (to name the one a reported tie matches).

    Returns
    -------
    list of ReviewItem

    Notes
    -----
    Cost: reconciliation (linear), plus one :func:`similarity` per proposed institution and known actor.

    Examples
    --------

    >>> from ecograph.survey.model import SectionAnswer as A
    >>> unc = Actor(id="unc", name="Universidad Nacional de Cajamarca", acronym="UNC", sector="academia",
    ...             type="university", region="06", scope="regional")
    >>> gore = Actor(id="gore", name="Gobierno Regional", sector="public", type="regional_government",
    ...              region="06", scope="regional")
    >>> said = [A(campaign="c", actor="gore", section="consent", payload={"accepted": True}),
    ...         A(campaign="c", actor="gore", section="partners", payload=[{"type": "agreement", "proposed": {
    ...             "name": "Univ. Nacional de Cajamarca", "sector": "academia", "region": "06"}}])]
    >>> [(i.id, [d.actor for d in i.duplicates]) for i in items("c", said, [unc, gore])]
    [('new:univ-nacional-de-cajamarca', ['unc'])]
    """
    actors = list(actors)
    known = {actor.id: actor for actor in actors}
    counted = answered(answers)
    found: dict[str, ReviewItem] = {}
    for tie in reconcile(answers, known_ties):
        if tie.proposed is not None:
            key = tie.proposed.key
            item = found.get(key) or ReviewItem(id=key, kind="new_actor", campaign=campaign, respondents=[],
                                                subject=tie.proposed.name, proposed=tie.proposed,
                                                duplicates=likely_duplicates(tie.proposed, actors))
            item.respondents = sorted({*item.respondents, *tie.respondents})
            found[key] = item
        elif tie.state == "conflict":
            key = f"conflict:{tie.id}"
            found[key] = ReviewItem(id=key, kind="conflict", campaign=campaign, respondents=tie.respondents,
                                    subject=tie.id, tie=tie)
    for answer in answers:
        if answer.section != "profile" or answer.actor not in counted or answer.actor not in known:
            continue
        changes = profile_changes(known[answer.actor], parsed("profile", answer.payload).model_dump())
        if changes:
            key = f"profile:{answer.actor}"
            found[key] = ReviewItem(id=key, kind="profile", campaign=campaign, respondents=[answer.actor],
                                    subject=answer.actor, changes=changes)
    return sorted(found.values(), key=lambda item: item.id)


def review_items(store: Store, campaign: Campaign | str) -> list[ReviewItem]:
    """The review items of a stored campaign (see :func:`items`). Cost: reads the campaign's answers, the
    actors and the ties of its respondents."""
    campaign_id = campaign if isinstance(campaign, str) else campaign.id
    store.survey.campaign(campaign_id)
    answers = store.survey.answers(campaign_id)
    people = sorted({answer.actor for answer in answers})
    ties = {tie.id: tie for actor in people for tie in store.collaborations(actor=actor)}
    return items(campaign_id, answers, store.actors(), ties.values())
