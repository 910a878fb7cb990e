"""Publishing: a campaign's accepted answers become ONE new dataset version, with their provenance.

:func:`plan` turns the answers and the decisions into one :class:`~ecograph.stores.base.Changes`;
:func:`publish` writes it with :meth:`~ecograph.stores.base.Store.write` (one transaction: all or nothing,
so a refused or failing publish leaves the dataset version as it was) and records the version in the
campaign. What is written:

* every consenting respondent's ratings: the capabilities (and target groups) it rates are added to its
  record's (nothing is removed: the lab's documented ones stay);
* accepted profile corrections (``profile:<actor>`` items);
* accepted new institutions (``new:<slug>``): a new actor with the name, acronym, sector and region given, a
  type guessed from the sector (:data:`DEFAULT_TYPES`) and a scope from the region (regional, else
  national); reviewers correct them afterwards like any actor;
* the reported ties: confirmed and reported ones as they were said, conflicts only when accepted (the
  version saved last), ties to a new institution only when it was accepted or merged into a known actor.
  A tie the store already has (same ends and type) is updated, keeping its id, program, evidence and end.

Every actor and tie written carries ``provenance`` ``campaign:<id>;respondent:<actor>;<date>`` (for a tie both
ends reported, ``respondent:<a>,<b>``; the date is the respondent's latest save), and ties ``confirmation``:
``confirmed`` when both ends reported it (an accepted conflict too), ``reported`` when one did.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from ecograph.model import Actor, Collaboration, slugify
from ecograph.stores.base import Changes, Conflict, MayWrite, Store, quoted
from ecograph.stores.history import CLI, Origin
from ecograph.survey.maturity import Assessment, assessment, latest
from ecograph.survey.model import Campaign, Decision, Proposed, SectionAnswer, answered, parsed
from ecograph.survey.reconcile import Reconciled, reconcile
from ecograph.survey.review import PROFILE_FIELDS, items

DEFAULT_TYPES = {"academia": "university", "public": "agency", "private": "company", "civil_society": "ngo",
                 "international": "donor"}
"""The type a new institution gets from its sector (it has no type until a reviewer says)."""


class Published(BaseModel):
    """What a publish wrote."""

    campaign: str
    version: int = Field(description="the new dataset version")
    actors: list[str] = Field(description="ids of the actors written (new or updated)")
    collaborations: list[str] = Field(description="ids of the ties written (new or updated)")
    pending: list[str] = Field(description="review items left out for want of a decision")


def provenance(campaign: str, respondents: list[str], day: date) -> str:
    """The provenance text of a record a survey wrote.

    >>> provenance("cajamarca-2025", ["unc", "gore-cajamarca"], date(2025, 3, 4))
    'campaign:cajamarca-2025;respondent:gore-cajamarca,unc;2025-03-04'
    """
    return f"campaign:{campaign};respondent:{','.join(sorted(respondents))};{day.isoformat()}"


def _days(answers: list[SectionAnswer]) -> dict[str, date]:
    days: dict[str, date] = {}
    for answer in answers:
        days[answer.actor] = max(days.get(answer.actor, answer.saved.date()), answer.saved.date())
    return days


def _new_actor(proposed: Proposed, known: set[str], regions: set[str], where: str) -> Actor:
    base = slugify(proposed.name)[:60].strip("-") or "actor"
    actor_id = next(c for c in (base, *(f"{base}-{n}" for n in range(2, 10_000))) if c not in known)
    region = proposed.region if proposed.region in regions else None
    return Actor(id=actor_id, name=proposed.name, acronym=proposed.acronym, sector=proposed.sector,
                 type=DEFAULT_TYPES[proposed.sector], region=region, scope="regional" if region else "national",
                 provenance=where)


def plan(campaign: Campaign, answers: list[SectionAnswer], decisions: list[Decision], actors: list[Actor],
         known_ties: list[Collaboration], regions: set[str]) -> tuple[Changes, list[str]]:
    """The changes that publish a campaign, and the review items left out for want of a decision.

    Parameters
    ----------
    campaign : Campaign
    answers : list of SectionAnswer
        The campaign's answers (consenting respondents only count).
    decisions : list of Decision
        The reviewers' decisions.
    actors : list of Actor
        The stored actors.
    known_ties : list of Collaboration
        The stored ties of the respondents (a reported tie that matches one updates it).
    regions : set of str
        The stored region codes (a new institution's region must be one of them).

    Returns
    -------
    (Changes, list of str)
        The upserts (actors, then ties) and the ids of the items without a decision.

    Notes
    -----
    Pure: everything it reads is given. Cost: linear in the answers and the known actors and ties, plus the
    review items' similarity search.

    Examples
    --------
    >>> from ecograph.survey.model import SectionAnswer as A
    >>> c = Campaign(id="c", name="C", regions=["06"], opens="2025-03-01", closes="2025-03-31")
    >>> unc = Actor(id="unc", name="UNC", sector="academia", type="university", region="06", scope="regional")
    >>> said = [A(campaign="c", actor="unc", section="consent", payload={"accepted": True}),
    ...         A(campaign="c", actor="unc", section="capabilities", payload=[{"capability": "policy", "level": 2}])]
    >>> changes, pending = plan(c, said, [], [unc], [], {"06"})
    >>> [(a.id, a.capabilities, a.provenance[:22]) for a in changes.upserts["actors"]], pending
    ([('unc', ['policy'], 'campaign:c;respondent:')], [])
    """
    answers = [answer for answer in answers if answer.actor in answered(answers)]
    chosen = {decision.item: decision for decision in decisions}
    queue = items(campaign.id, answers, actors, known_ties)
    pending = [item.id for item in queue if item.id not in chosen]
    days = _days(answers)
    known = {actor.id: actor for actor in actors}
    stored = {tie.id: tie for tie in known_ties}
    written: dict[str, Actor] = {}

    def current(actor_id: str) -> Actor:
        return written.get(actor_id) or known[actor_id]

    # Respondents' own records: ratings, and accepted profile corrections.
    for answer in latest(answers):
        if answer.actor not in known or documented(campaign, known[answer.actor]):
            continue
        actor, where = current(answer.actor), provenance(campaign.id, [answer.actor], days[answer.actor])
        if answer.section == "capabilities":
            ratings = parsed("capabilities", answer.payload).items
            update = {"capabilities": sorted({*actor.capabilities, *(r.capability for r in ratings)}),
                      "target_groups": sorted({*actor.target_groups, *(g for r in ratings for g in r.groups)})}
        elif answer.section == "profile" and _accepted(chosen, f"profile:{answer.actor}"):
            profile = parsed("profile", answer.payload)
            update = {name: getattr(profile, name) for name in PROFILE_FIELDS if getattr(profile, name) is not None}
        else:
            continue
        changed = actor.model_copy(update=update)
        if changed != actor:
            written[actor.id] = Actor.model_validate({**changed.model_dump(), "provenance": where})

    # New institutions: accepted ones become actors, merged ones point at a known actor.
    resolved: dict[str, str | None] = {}
    for item in queue:
        if item.kind != "new_actor" or item.proposed is None:
            continue
        decision = chosen.get(item.id)
        if decision is None or decision.action == "reject":
            resolved[item.id] = None
        elif decision.action == "merge":
            if decision.merge_into not in known:
                raise Conflict("survey.publish.no_merge_target", item=item.id, actor=quoted(decision.merge_into))
            resolved[item.id] = decision.merge_into
        else:
            day = max(days.get(r, campaign.created.date()) for r in item.respondents)
            new = _new_actor(item.proposed, set(known) | set(written), regions,
                             provenance(campaign.id, item.respondents, day))
            written[new.id] = new
            resolved[item.id] = new.id

    # Ties.
    ties: dict[str, Collaboration] = {}
    for tie in reconcile(answers, known_ties):
        if tie.state == "conflict" and not _accepted(chosen, f"conflict:{tie.id}"):
            continue
        made = _collaboration(campaign, tie, resolved, days, stored)
        if made is not None and made.source != made.target and {made.source, made.target} <= set(known) | set(written):
            ties.setdefault(made.id, made)

    changes = Changes()
    changes.upserts["actors"] = sorted(written.values(), key=lambda a: a.id)
    changes.upserts["collaborations"] = sorted(ties.values(), key=lambda t: t.id)
    return changes, pending


def documented(campaign: Campaign, record: Actor | Collaboration) -> bool:
    """Whether ``record`` is real, documented data that an illustrative campaign's invented answers must leave
    as it is (they would otherwise mark a real tie "confirmed", or add capabilities to a real institution)."""
    return campaign.illustrative and not record.illustrative


def _accepted(chosen: dict[str, Decision], item: str) -> bool:
    return item in chosen and chosen[item].action == "accept"


def _collaboration(campaign: Campaign, tie: Reconciled, resolved: dict[str, str | None], days: dict[str, date],
                   stored: dict[str, Collaboration]) -> Collaboration | None:
    chosen = tie.latest  # the same as every other version but for a conflict, where it is the accepted one
    ends = []
    for end in (chosen.source, chosen.target):
        found = resolved.get(end) if end.startswith("new:") else end
        if found is None:
            return None
        ends.append(found)
    respondents = tie.respondents
    where = provenance(campaign.id, respondents, max(days.get(r, campaign.created.date()) for r in respondents))
    sinces = [version.since for version in tie.versions if version.since]
    values = {"source": ends[0], "target": ends[1], "type": chosen.type, "weight": chosen.strength,
              "status": chosen.status, "start": str(min(sinces)) if sinces else None, "provenance": where,
              "confirmation": "reported" if tie.state == "reported" else "confirmed",
              "illustrative": campaign.illustrative}
    same = (chosen.source, chosen.target, chosen.type) == (tie.source, tie.target, tie.type)
    old = stored.get(tie.known) if tie.known and same else None
    if old is not None and documented(campaign, old):
        return None
    if old is None:
        return Collaboration.model_validate(values)
    start = values["start"] or old.start
    if old.end and start and old.end[:len(start)] < start[:len(old.end)]:  # a start after the known end
        start = old.start
    return Collaboration.model_validate({**old.model_dump(), **values, "source": old.source, "target": old.target,
                                         "start": start, "illustrative": old.illustrative})


def publish(store: Store, campaign: Campaign | str, may_write: MayWrite | None = None, who: str = CLI) -> Published:
    """Write the campaign's accepted answers as one new dataset version (see the module docstring).

    Parameters
    ----------
    store : Store
    campaign : Campaign or str
        The campaign (or its id).
    may_write : callable, optional
        An editor's scope (:func:`api.deps.scope`): the whole publish is refused (``OutOfScope``) if any record
        lies outside its regions.
    who : str, optional
        Who publishes, for the history: a token id, or ``cli``.

    Returns
    -------
    Published
        The new version and what was written; the campaign records the version.

    Raises
    ------
    Conflict
        ``survey.publish.nothing`` when there is nothing to write; a reference the store refuses.

    Notes
    -----
    All or nothing: the changes go through :meth:`Store.write` in one transaction, so a refused or failing
    publish leaves the dataset version as it was. Cost: reads the campaign's answers and decisions, the actors
    and the respondents' ties; one write.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ecograph.stores import SQLiteStore
    >>> from ecograph.survey.model import SectionAnswer as A
    >>> store = SQLiteStore(pathlib.Path(tempfile.mkdtemp()) / "doc.db")
    >>> _ = store.upsert_actor(Actor(id="pnud", name="PNUD", sector="international", type="un_agency",
    ...                              scope="international"))
    >>> _ = store.survey.create_campaign(Campaign(id="c", name="C", regions=["06"], opens="2025-03-01",
    ...                                           closes="2025-03-31"))
    >>> for section, payload in (("consent", {"accepted": True}),
    ...                          ("capabilities", [{"capability": "policy", "level": 3}])):
    ...     store.survey.save_section(A(campaign="c", actor="pnud", section=section, payload=payload))
    >>> done = publish(store, "c")
    >>> done.version, done.actors, store.actor("pnud").capabilities
    (2, ['pnud'], ['policy'])
    """
    found = store.survey.campaign(campaign if isinstance(campaign, str) else campaign.id)
    answers = store.survey.answers(found.id)
    people = sorted({answer.actor for answer in answers})
    known_ties = list({tie.id: tie for actor in people for tie in store.collaborations(actor=actor)}.values())
    changes, pending = plan(found, answers, store.survey.decisions(found.id), store.actors(), known_ties,
                            {region.code for region in store.regions()})
    if not len(changes):
        raise Conflict("survey.publish.nothing", campaign=quoted(found.id))
    version = store.write(changes, may_write, Origin("survey", who))
    store.survey.mark_published(found.id, version)
    return Published(campaign=found.id, version=version,
                     actors=[actor.key for actor in changes.upserts["actors"]],
                     collaborations=[tie.key for tie in changes.upserts["collaborations"]], pending=pending)


def published_answers(store: Store) -> list[SectionAnswer]:
    """The answers of every published campaign (each actor's latest save of each section wins, over campaigns;
    consenting respondents only). Cost: one read of each published campaign's answers."""
    found: list[SectionAnswer] = []
    for campaign in store.survey.campaigns():
        if campaign.published_version is not None:
            found += store.survey.answers(campaign.id)
    return latest(found)


def published_assessment(store: Store) -> Assessment:
    """The :class:`~ecograph.survey.maturity.Assessment` of the published answers (what the analysis and
    ``GET /api/v1/assessment`` read). Cost: :func:`published_answers` and one read of the actors."""
    answers = published_answers(store)
    if not answers:
        return Assessment()
    return assessment(answers, store.actors(ids=sorted({answer.actor for answer in answers})))
