"""The survey's records in the Neo4j store's database.

The graph model::

    (:Campaign {id, name, regions, opens, closes, illustrative, created, published_version})
    (:Invitation {key, campaign, actor, token_hash, created, revoked, sent})-[:IN]->(:Campaign)
    (:Answer {key, campaign, actor, section, payload, saved})-[:IN]->(:Campaign)
    (:Decision {key, campaign, item, action, merge_into, decided})-[:IN]->(:Campaign)

``key`` joins the record's identity (``campaign|actor``, ``campaign|actor|section``, ``campaign|item``) and is
unique, like campaign ids and token hashes (constraints created idempotently). Payloads are JSON text,
dates and times ISO 8601 text; empty fields are not stored. Every save is one write transaction (retried by
the driver on transient errors), committed when it returns; every query is parameterized.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ecograph.stores.base import Conflict, NotFound, quoted
from ecograph.survey.model import Campaign, Decision, Invitation, SectionAnswer, now
from ecograph.survey.store import SurveyStore

if TYPE_CHECKING:
    import neo4j

SCHEMA = (
    "CREATE CONSTRAINT survey_campaign_id IF NOT EXISTS FOR (c:Campaign) REQUIRE c.id IS UNIQUE",
    "CREATE CONSTRAINT survey_invitation_key IF NOT EXISTS FOR (i:Invitation) REQUIRE i.key IS UNIQUE",
    "CREATE CONSTRAINT survey_invitation_token IF NOT EXISTS FOR (i:Invitation) REQUIRE i.token_hash IS UNIQUE",
    "CREATE CONSTRAINT survey_answer_key IF NOT EXISTS FOR (a:Answer) REQUIRE a.key IS UNIQUE",
    "CREATE CONSTRAINT survey_decision_key IF NOT EXISTS FOR (d:Decision) REQUIRE d.key IS UNIQUE",
    "CREATE INDEX survey_invitation_campaign IF NOT EXISTS FOR (i:Invitation) ON (i.campaign)",
    "CREATE INDEX survey_answer_campaign IF NOT EXISTS FOR (a:Answer) ON (a.campaign)",
    "CREATE INDEX survey_decision_campaign IF NOT EXISTS FOR (d:Decision) ON (d.campaign)",
)
CAMPAIGN = "MATCH (c:Campaign {id: $campaign}) "
CREATE_CAMPAIGN = """
OPTIONAL MATCH (old:Campaign {id: $row.id})
WITH old WHERE old IS NULL
CREATE (c:Campaign) SET c = $row
RETURN count(c) AS written
"""
ADD_INVITATIONS = CAMPAIGN + """
UNWIND $rows AS row
MERGE (i:Invitation {key: row.key})
ON CREATE SET i.campaign = row.campaign, i.actor = row.actor, i.created = row.created
SET i.token_hash = row.token_hash, i.sent = row.sent
REMOVE i.revoked
MERGE (i)-[:IN]->(c)
RETURN count(i) AS written
"""
REVOKE = """
MATCH (i:Invitation {key: $key})
SET i.revoked = coalesce(i.revoked, $now)
RETURN properties(i) AS p
"""
SAVE_ANSWER = CAMPAIGN + """
MERGE (a:Answer {key: $row.key})
SET a = $row
MERGE (a)-[:IN]->(c)
RETURN count(a) AS written
"""
SAVE_DECISION = CAMPAIGN + """
MERGE (d:Decision {key: $row.key})
SET d = $row
MERGE (d)-[:IN]->(c)
RETURN count(d) AS written
"""
MARK_PUBLISHED = CAMPAIGN + "SET c.published_version = $version RETURN count(c) AS written"


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _props(data: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in data.items() if value is not None}


def _campaign(props: dict[str, Any]) -> Campaign:
    return Campaign(**props)


def _invitation(props: dict[str, Any]) -> Invitation:
    return Invitation(**{name: value for name, value in props.items() if name != "key"})


class Neo4jSurvey(SurveyStore):
    """``store.survey`` of a :class:`ecograph.stores.neo4j.Neo4jStore` (same driver, same database)."""

    def __init__(self, store: Any) -> None:  # a Neo4jStore (not imported: it imports this module)
        self.store = store
        for statement in SCHEMA:
            store._run(statement)

    def _write(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """One write transaction; its rows."""
        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            return tx.run(query, params).data()

        with self.store._errors("store.nothing_written"), \
                self.store.driver.session(database=self.store.database) as session:
            return session.execute_write(work)

    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        return self.store._run(query, **params)

    # -- campaigns ----------------------------------------------------------------------------------
    def create_campaign(self, campaign: Campaign) -> Campaign:
        row = _props(campaign.model_dump(mode="json"))
        try:
            written = self._write(CREATE_CAMPAIGN, row=row)[0]["written"]
        except Conflict:  # two creating at once: the constraint refused the second
            written = 0
        if not written:
            raise Conflict("survey.store.campaign_exists", id=quoted(campaign.id))
        return campaign

    def campaigns(self) -> list[Campaign]:
        rows = self._read("MATCH (c:Campaign) RETURN properties(c) AS p ORDER BY c.id")
        return [_campaign(row["p"]) for row in rows]

    def campaign(self, id: str) -> Campaign:
        rows = self._read("MATCH (c:Campaign {id: $id}) RETURN properties(c) AS p", id=id)
        if not rows:
            raise NotFound("survey.store.no_campaign", id=quoted(id))
        return _campaign(rows[0]["p"])

    def _check(self, written: int, campaign: str) -> None:
        if not written:
            raise NotFound("survey.store.no_campaign", id=quoted(campaign))

    def mark_published(self, campaign: str, version: int) -> Campaign:
        self._check(self._write(MARK_PUBLISHED, campaign=campaign, version=version)[0]["written"], campaign)
        return self.campaign(campaign)

    # -- invitations --------------------------------------------------------------------------------
    def add_invitations(self, campaign: str, items: list[tuple[str, str]], sent: datetime | None = None) -> None:
        rows = []
        for actor, token_hash in items:
            invitation = Invitation(campaign=campaign, actor=actor, token_hash=token_hash, sent=sent)
            rows.append({**invitation.model_dump(mode="json"), "key": f"{campaign}|{invitation.actor}"})
        if not rows:
            self.campaign(campaign)
            return
        try:
            written = self._write(ADD_INVITATIONS, campaign=campaign, rows=rows)
        except Conflict as error:
            raise Conflict("survey.store.token_taken", reason=error) from None
        self._check(written[0]["written"] if written else 0, campaign)

    def invitations(self, campaign: str) -> list[Invitation]:
        rows = self._read("MATCH (i:Invitation {campaign: $campaign}) RETURN properties(i) AS p ORDER BY i.actor",
                          campaign=campaign)
        return [_invitation(row["p"]) for row in rows]

    def invitation(self, token_hash: str) -> Invitation | None:
        rows = self._read("MATCH (i:Invitation {token_hash: $hash}) RETURN properties(i) AS p", hash=token_hash)
        return _invitation(rows[0]["p"]) if rows else None

    def revoke(self, campaign: str, actor: str) -> Invitation:
        rows = self._write(REVOKE, key=f"{campaign}|{actor}", now=_time(now()))
        if not rows:
            raise NotFound("survey.store.no_invitation", campaign=quoted(campaign), actor=quoted(actor))
        return _invitation(rows[0]["p"])

    # -- answers and decisions ----------------------------------------------------------------------
    def save_section(self, answer: SectionAnswer) -> None:
        row = {"key": f"{answer.campaign}|{answer.actor}|{answer.section}", "campaign": answer.campaign,
               "actor": answer.actor, "section": answer.section,
               "payload": json.dumps(answer.payload, ensure_ascii=False), "saved": _time(answer.saved)}
        self._check(self._write(SAVE_ANSWER, campaign=answer.campaign, row=row)[0]["written"], answer.campaign)

    def answers(self, campaign: str, actor: str | None = None) -> list[SectionAnswer]:
        rows = self._read("MATCH (a:Answer {campaign: $campaign}) WHERE $actor IS NULL OR a.actor = $actor "
                          "RETURN properties(a) AS p ORDER BY a.actor, a.section", campaign=campaign, actor=actor)
        return [SectionAnswer.model_construct(
            campaign=p["campaign"], actor=p["actor"], section=p["section"], payload=json.loads(p["payload"]),
            saved=datetime.fromisoformat(p["saved"])) for p in (row["p"] for row in rows)]

    def save_decision(self, decision: Decision) -> None:
        row = _props({**decision.model_dump(mode="json"), "key": f"{decision.campaign}|{decision.item}"})
        self._check(self._write(SAVE_DECISION, campaign=decision.campaign, row=row)[0]["written"], decision.campaign)

    def decisions(self, campaign: str) -> list[Decision]:
        rows = self._read("MATCH (d:Decision {campaign: $campaign}) RETURN properties(d) AS p ORDER BY d.item",
                          campaign=campaign)
        return [Decision(**{name: value for name, value in row["p"].items() if name != "key"}) for row in rows]
