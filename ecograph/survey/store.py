"""The survey's part of a store (``store.survey``): the contract both stores implement (docs/survey.md).

Every save is one committed transaction: when it returns, the record is durable. Reads return records
sorted by their key. Errors are the stores' own (:class:`ecograph.stores.base.NotFound`,
:class:`~ecograph.stores.base.Conflict`), said from the ``survey`` catalog.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from ecograph.survey.model import Campaign, Decision, Invitation, SectionAnswer


class SurveyStore(ABC):
    """Campaigns, their rosters (invitations), the answers and the reviewers' decisions."""

    @abstractmethod
    def create_campaign(self, campaign: Campaign) -> Campaign:
        """Keep a new campaign; Conflict (``survey.store.campaign_exists``) if its id is taken."""

    @abstractmethod
    def campaigns(self) -> list[Campaign]:
        """Every campaign, by id."""

    @abstractmethod
    def campaign(self, id: str) -> Campaign:
        """The campaign ``id``; NotFound (``survey.store.no_campaign``) if none."""

    @abstractmethod
    def add_invitations(self, campaign: str, items: list[tuple[str, str]], sent: datetime | None = None) -> None:
        """Invite each ``(actor, token_hash)`` to ``campaign`` (one transaction).

        An actor already invited gets the new hash (its old link stops working), is no longer revoked, and
        its ``sent`` becomes ``sent``. NotFound if the campaign does not exist; Conflict if a hash is taken.
        """

    @abstractmethod
    def invitations(self, campaign: str) -> list[Invitation]:
        """The campaign's roster, by actor (revoked ones too)."""

    @abstractmethod
    def invitation(self, token_hash: str) -> Invitation | None:
        """The invitation whose link has this token hash, or None."""

    @abstractmethod
    def revoke(self, campaign: str, actor: str) -> Invitation:
        """Revoke the actor's link (its answers stay); NotFound (``survey.store.no_invitation``) if not invited."""

    @abstractmethod
    def save_section(self, answer: SectionAnswer) -> None:
        """Keep the section, replacing the actor's previous save of it; committed when it returns."""

    @abstractmethod
    def answers(self, campaign: str, actor: str | None = None) -> list[SectionAnswer]:
        """The campaign's answers (of one actor), by actor and section."""

    @abstractmethod
    def save_decision(self, decision: Decision) -> None:
        """Keep the decision, replacing an earlier one on the same item."""

    @abstractmethod
    def decisions(self, campaign: str) -> list[Decision]:
        """The campaign's decisions, by item."""

    @abstractmethod
    def mark_published(self, campaign: str, version: int) -> Campaign:
        """Record that publishing the campaign wrote dataset ``version``."""
