"""Respondents' links: unguessable tokens of which only a SHA-256 hash is kept.

A link is ``<base>/survey/<token>``; the token is ``sv_`` and 43 URL-safe characters
(``secrets.token_urlsafe(32)``: 256 random bits), shown once, when it is handed out, and never stored.

The roster and the links are two steps. :func:`invite` puts actors on a campaign's roster with a token
nobody is shown. :func:`issue` hands out links (a mail merge file): each invitation never handed out
before gets a new token (the store keeps its hash and the time it was sent); one already sent is listed
without a link, unless it is asked for again (``resend``), which replaces its token so the old link stops
working. Lost the file? ``resend`` those actors.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from ecograph.model import Actor, Invalid
from ecograph.stores.base import NotFound, Store, quoted
from ecograph.survey.model import Campaign, Invitation, now

PREFIX = "sv_"


def new_token() -> str:
    """A new link token: ``sv_`` and 32 random bytes, URL-safe (43 characters). Cost: constant.

    >>> token = new_token()
    >>> token.startswith("sv_"), len(token)
    (True, 46)
    """
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What the store keeps of a token: its SHA-256, in hex. Cost: linear in the token's length.

    >>> token_hash("sv_abc")[:12]
    '4f3c32f962ca'
    """
    return hashlib.sha256(token.encode()).hexdigest()


def link(base: str, token: str) -> str:
    """The respondent's address.

    >>> link("https://ecograph.example.pe/", "sv_abc")
    'https://ecograph.example.pe/survey/sv_abc'
    """
    return f"{base.rstrip('/')}/survey/{token}"


def may_invite(campaign: Campaign, actor: Actor) -> bool:
    """An actor of one of the campaign's regions, or a national or international one (no home region).

    >>> c = Campaign(id="c", name="C", regions=["06"], opens="2025-01-01", closes="2025-01-31")
    >>> may_invite(c, Actor(id="pnud", name="PNUD", sector="international", type="un_agency",
    ...                     scope="international"))
    True
    """
    return actor.region is None or actor.region in campaign.regions


def invite(store: Store, campaign: str, actors: Iterable[str]) -> list[Invitation]:
    """Put ``actors`` on the campaign's roster (those already on it are left as they are).

    Parameters
    ----------
    store : Store
    campaign : str
        The campaign's id (NotFound if none).
    actors : iterable of str
        Actor ids, of the campaign's regions or with no home region.

    Returns
    -------
    list of Invitation
        The new invitations. Each holds the hash of a token nobody is shown: links are handed out by
        :func:`issue`.

    Raises
    ------
    Invalid
        ``survey.links.no_actor`` for an actor the store lacks, ``survey.links.outside`` for one of another
        region.

    Notes
    -----
    Cost: one read of the roster and the actors, one transaction.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ecograph.stores import SQLiteStore
    >>> store = SQLiteStore(pathlib.Path(tempfile.mkdtemp()) / "doc.db")
    >>> _ = store.upsert_actor(Actor(id="pnud", name="PNUD", sector="international", type="un_agency",
    ...                              scope="international"))
    >>> _ = store.survey.create_campaign(Campaign(id="c", name="C", regions=["06"], opens="2025-03-01",
    ...                                           closes="2025-03-31"))
    >>> [i.actor for i in invite(store, "c", ["pnud"])], invite(store, "c", ["pnud"])
    (['pnud'], [])
    >>> [(e.invitation.actor, e.token[:3]) for e in issue(store, "c")], [e.token for e in issue(store, "c")]
    ([('pnud', 'sv_')], [None])
    """
    found = store.survey.campaign(campaign)
    wanted = list(dict.fromkeys(actors))
    known = {actor.id: actor for actor in store.actors(ids=wanted)} if wanted else {}
    for actor_id in wanted:
        if actor_id not in known:
            raise Invalid("survey.links.no_actor", field="actors", actor=quoted(actor_id))
        if not may_invite(found, known[actor_id]):
            raise Invalid("survey.links.outside", field="actors", actor=actor_id,
                          region=known[actor_id].region or "", regions=", ".join(found.regions))
    present = {invitation.actor for invitation in store.survey.invitations(campaign)}
    new = [actor for actor in wanted if actor not in present]
    if new:
        store.survey.add_invitations(campaign, [(actor, token_hash(new_token())) for actor in new])
    return [invitation for invitation in store.survey.invitations(campaign) if invitation.actor in new]


@dataclass(frozen=True)
class Issued:
    """A roster entry in a links export: the actor, and its token when this export handed one out."""

    invitation: Invitation
    actor: Actor | None
    token: str | None

    @property
    def sent(self) -> datetime | None:
        return self.invitation.sent


def issue(store: Store, campaign: str, resend: Iterable[str] = (), tokens: Callable[[], str] = new_token,
          when: datetime | None = None) -> list[Issued]:
    """Hand out links: a new token for every active invitation never sent, and for those in ``resend``.

    Parameters
    ----------
    store : Store
    campaign : str
        The campaign's id.
    resend : iterable of str
        Actors whose link is handed out again (their old link stops working); NotFound if one is not invited.
    tokens : callable
        Makes a token (:func:`new_token`).
    when : datetime, optional
        The ``sent`` time recorded (default: now).

    Returns
    -------
    list of Issued
        The whole roster, by actor, with the token of each link this call handed out (None for revoked
        invitations and those sent before).

    Notes
    -----
    The new hashes and their ``sent`` time are written in one transaction. Cost: one read of the roster and
    its actors, one write. See :func:`invite` for an example.
    """
    store.survey.campaign(campaign)
    roster = store.survey.invitations(campaign)
    again = set(resend)
    unknown = sorted(again - {invitation.actor for invitation in roster})
    if unknown:
        raise NotFound("survey.store.no_invitation", campaign=quoted(campaign), actor=quoted(unknown[0]))
    fresh = {invitation.actor: tokens() for invitation in roster
             if invitation.active and (invitation.sent is None or invitation.actor in again)}
    when = when or now()
    if fresh:
        store.survey.add_invitations(campaign, [(actor, token_hash(token)) for actor, token in fresh.items()],
                                     sent=when)
        roster = store.survey.invitations(campaign)
    actors = {actor.id: actor for actor in store.actors(ids=[i.actor for i in roster])} if roster else {}
    return [Issued(invitation, actors.get(invitation.actor), fresh.get(invitation.actor)) for invitation in roster]


def respondent(store: Store, token: str) -> tuple[Campaign, Invitation] | None:
    """The campaign and invitation of a link token, or None for a token no invitation has. Cost: two lookups."""
    if not token.startswith(PREFIX) or len(token) > 100 or not token.isascii():
        return None
    invitation = store.survey.invitation(token_hash(token))
    if invitation is None:
        return None
    return store.survey.campaign(invitation.campaign), invitation
