"""The survey's records in the SQLite store's file: four ``survey_*`` tables, created idempotently.

The connection is the store's (WAL journal, autocommit mode): every save runs in its own
``BEGIN IMMEDIATE`` … ``COMMIT``, so it is durable when it returns. Lists and payloads are JSON text,
times ISO 8601 text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import apsw

from ecograph.stores.base import Conflict, NotFound, quoted
from ecograph.survey.model import Campaign, Decision, Invitation, SectionAnswer, now
from ecograph.survey.store import SurveyStore

SCHEMA = """
CREATE TABLE IF NOT EXISTS survey_campaigns (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, regions TEXT NOT NULL, opens TEXT NOT NULL, closes TEXT NOT NULL,
    illustrative INTEGER NOT NULL, created TEXT NOT NULL, published_version INTEGER);
CREATE TABLE IF NOT EXISTS survey_invitations (
    campaign TEXT NOT NULL REFERENCES survey_campaigns(id), actor TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL, revoked TEXT, sent TEXT, PRIMARY KEY (campaign, actor));
CREATE TABLE IF NOT EXISTS survey_answers (
    campaign TEXT NOT NULL REFERENCES survey_campaigns(id), actor TEXT NOT NULL, section TEXT NOT NULL,
    payload TEXT NOT NULL, saved TEXT NOT NULL, PRIMARY KEY (campaign, actor, section));
CREATE TABLE IF NOT EXISTS survey_decisions (
    campaign TEXT NOT NULL REFERENCES survey_campaigns(id), item TEXT NOT NULL, action TEXT NOT NULL,
    merge_into TEXT, decided TEXT NOT NULL, PRIMARY KEY (campaign, item));
"""


def _as_dict(cursor: apsw.Cursor, row: apsw.SQLiteValues) -> dict[str, Any]:
    """A row as a dict of its columns (a cursor's ``row_trace``: the statement is still running)."""
    return dict(zip((name for name, _ in cursor.get_description()), row, strict=True))


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


class SQLiteSurvey(SurveyStore):
    """``store.survey`` of a :class:`ecograph.stores.sqlite.SQLiteStore` (same connection, same file)."""

    def __init__(self, db: apsw.Connection, refusal: Callable[[BaseException], BaseException]) -> None:
        """``refusal`` turns a failed write into what it raises (the store's: a busy file or a full disk as a
        message)."""
        self.db, self.refusal = db, refusal
        try:
            self.db.execute(SCHEMA)
        except apsw.Error as error:
            raise refusal(error) from None

    @contextmanager
    def _transaction(self) -> Iterator[apsw.Cursor]:
        cursor = self.db.cursor()
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except apsw.Error as error:
            raise self.refusal(error) from None
        try:
            yield cursor
            cursor.execute("COMMIT")
        except BaseException as error:
            cursor.execute("ROLLBACK")
            if isinstance(error, apsw.ConstraintError):  # a taken token hash: the caller says so
                raise
            raise self.refusal(error) from None

    def _rows(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        cursor = self.db.cursor()
        cursor.row_trace = _as_dict
        return cursor.execute(sql, params).fetchall()

    def _exists(self, cursor: apsw.Cursor, campaign: str) -> None:
        if cursor.execute("SELECT 1 FROM survey_campaigns WHERE id = ?", [campaign]).fetchone() is None:
            raise NotFound("survey.store.no_campaign", id=quoted(campaign))

    # -- campaigns ----------------------------------------------------------------------------------
    def create_campaign(self, campaign: Campaign) -> Campaign:
        with self._transaction() as cursor:
            if cursor.execute("SELECT 1 FROM survey_campaigns WHERE id = ?", [campaign.id]).fetchone():
                raise Conflict("survey.store.campaign_exists", id=quoted(campaign.id))
            cursor.execute("INSERT INTO survey_campaigns VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
                campaign.id, campaign.name, json.dumps(campaign.regions), campaign.opens.isoformat(),
                campaign.closes.isoformat(), int(campaign.illustrative), _time(campaign.created),
                campaign.published_version])
        return campaign

    @staticmethod
    def _campaign(row: dict[str, Any]) -> Campaign:
        return Campaign(id=row["id"], name=row["name"], regions=json.loads(row["regions"]), opens=row["opens"],
                        closes=row["closes"], illustrative=bool(row["illustrative"]), created=row["created"],
                        published_version=row["published_version"])

    def campaigns(self) -> list[Campaign]:
        return [self._campaign(row) for row in self._rows("SELECT * FROM survey_campaigns ORDER BY id", [])]

    def campaign(self, id: str) -> Campaign:
        rows = self._rows("SELECT * FROM survey_campaigns WHERE id = ?", [id])
        if not rows:
            raise NotFound("survey.store.no_campaign", id=quoted(id))
        return self._campaign(rows[0])

    def mark_published(self, campaign: str, version: int) -> Campaign:
        with self._transaction() as cursor:
            self._exists(cursor, campaign)
            cursor.execute("UPDATE survey_campaigns SET published_version = ? WHERE id = ?", [version, campaign])
        return self.campaign(campaign)

    # -- invitations --------------------------------------------------------------------------------
    def add_invitations(self, campaign: str, items: list[tuple[str, str]], sent: datetime | None = None) -> None:
        rows = [Invitation(campaign=campaign, actor=actor, token_hash=token_hash, sent=sent)
                for actor, token_hash in items]
        try:
            with self._transaction() as cursor:
                self._exists(cursor, campaign)
                cursor.executemany(
                    "INSERT INTO survey_invitations VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT(campaign, actor) DO "
                    "UPDATE SET token_hash = excluded.token_hash, revoked = NULL, sent = excluded.sent",
                    [(row.campaign, row.actor, row.token_hash, _time(row.created), _time(row.sent)) for row in rows])
        except apsw.ConstraintError as error:
            raise Conflict("survey.store.token_taken", reason=str(error)) from None

    def invitations(self, campaign: str) -> list[Invitation]:
        rows = self._rows("SELECT * FROM survey_invitations WHERE campaign = ? ORDER BY actor", [campaign])
        return [Invitation(**row) for row in rows]

    def invitation(self, token_hash: str) -> Invitation | None:
        rows = self._rows("SELECT * FROM survey_invitations WHERE token_hash = ?", [token_hash])
        return Invitation(**rows[0]) if rows else None

    def revoke(self, campaign: str, actor: str) -> Invitation:
        with self._transaction() as cursor:
            cursor.execute("UPDATE survey_invitations SET revoked = coalesce(revoked, ?) "
                           "WHERE campaign = ? AND actor = ?", [_time(now()), campaign, actor])
            if not self.db.changes():
                raise NotFound("survey.store.no_invitation", campaign=quoted(campaign), actor=quoted(actor))
        rows = self._rows("SELECT * FROM survey_invitations WHERE campaign = ? AND actor = ?", [campaign, actor])
        return Invitation(**rows[0])

    # -- answers and decisions ----------------------------------------------------------------------
    def save_section(self, answer: SectionAnswer) -> None:
        with self._transaction() as cursor:
            self._exists(cursor, answer.campaign)
            cursor.execute("INSERT OR REPLACE INTO survey_answers VALUES (?, ?, ?, ?, ?)", [
                answer.campaign, answer.actor, answer.section, json.dumps(answer.payload, ensure_ascii=False),
                _time(answer.saved)])

    def answers(self, campaign: str, actor: str | None = None) -> list[SectionAnswer]:
        rows = self._rows("SELECT * FROM survey_answers WHERE campaign = ? AND (? IS NULL OR actor = ?) "
                          "ORDER BY actor, section", [campaign, actor, actor])
        return [_answer(row, json.loads(row["payload"])) for row in rows]

    def save_decision(self, decision: Decision) -> None:
        with self._transaction() as cursor:
            self._exists(cursor, decision.campaign)
            cursor.execute("INSERT OR REPLACE INTO survey_decisions VALUES (?, ?, ?, ?, ?)", [
                decision.campaign, decision.item, decision.action, decision.merge_into, _time(decision.decided)])

    def decisions(self, campaign: str) -> list[Decision]:
        rows = self._rows("SELECT * FROM survey_decisions WHERE campaign = ? ORDER BY item", [campaign])
        return [Decision(**row) for row in rows]


def _answer(row: dict[str, Any], payload: dict[str, Any]) -> SectionAnswer:
    """A stored answer, without validating its payload again (it was validated before it was written)."""
    return SectionAnswer.model_construct(campaign=row["campaign"], actor=row["actor"], section=row["section"],
                                         payload=payload, saved=datetime.fromisoformat(row["saved"]))
