"""The survey store contract (docs/survey.md): ``store.survey`` on SQLite and Neo4j keeps and returns the same
campaigns, rosters, answers and decisions the same way.

The Neo4j run needs the server given by NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD; its database is wiped
before each test.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import apsw
import pytest

from ecograph.model import Collaboration
from ecograph.readers import read_dataset
from ecograph.stores import Conflict, NotFound, SQLiteStore, Store
from ecograph.survey.model import Campaign, Decision, SectionAnswer
from tests.conftest import MINI


@pytest.fixture
def any_store(any_store: Store) -> Store:
    """A fresh store of each kind (conftest's) holding the small test dataset."""
    any_store.load(read_dataset(MINI))
    return any_store


def hashed(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


CAMPAIGN = Campaign(id="cajamarca-2025", name="Cajamarca 2025", regions=["06"], opens=date(2025, 3, 1),
                    closes=date(2025, 4, 30), created=datetime(2025, 2, 1, 12, 0, tzinfo=UTC))


def test_campaigns_are_kept_and_read_back(any_store: Store) -> None:
    survey = any_store.survey
    assert survey.campaigns() == []
    survey.create_campaign(CAMPAIGN)
    other = CAMPAIGN.model_copy(update={"id": "cusco-2025", "regions": ["08"], "illustrative": True})
    survey.create_campaign(other)
    assert survey.campaigns() == [CAMPAIGN, other]
    assert survey.campaign("cajamarca-2025") == CAMPAIGN
    with pytest.raises(Conflict):
        survey.create_campaign(CAMPAIGN)
    with pytest.raises(NotFound):
        survey.campaign("ghost")
    published = survey.mark_published("cajamarca-2025", 7)
    assert published.published_version == 7 == survey.campaign("cajamarca-2025").published_version
    with pytest.raises(NotFound):
        survey.mark_published("ghost", 1)


def test_invitations_replace_their_hash_and_revoke(any_store: Store) -> None:
    survey = any_store.survey
    survey.create_campaign(CAMPAIGN)
    survey.add_invitations(CAMPAIGN.id, [("unc", hashed("a")), ("gore-cajamarca", hashed("b"))])
    roster = survey.invitations(CAMPAIGN.id)
    assert [(i.actor, i.token_hash, i.revoked, i.sent) for i in roster] == [
        ("gore-cajamarca", hashed("b"), None, None), ("unc", hashed("a"), None, None)]
    assert survey.invitation(hashed("a")).actor == "unc"  # type: ignore[union-attr]
    assert survey.invitation(hashed("nothing")) is None

    revoked = survey.revoke(CAMPAIGN.id, "unc")
    assert revoked.revoked is not None and not revoked.active
    assert survey.invitation(hashed("a")).revoked == revoked.revoked  # type: ignore[union-attr]
    with pytest.raises(NotFound):
        survey.revoke(CAMPAIGN.id, "pnud")

    sent = datetime(2025, 3, 2, 9, 30, tzinfo=UTC)
    survey.add_invitations(CAMPAIGN.id, [("unc", hashed("c"))], sent=sent)  # a new link: the old one stops
    assert survey.invitation(hashed("a")) is None
    again = survey.invitation(hashed("c"))
    assert again is not None and again.active and again.sent == sent and again.created == roster[1].created
    with pytest.raises(NotFound):
        survey.add_invitations("ghost", [("unc", hashed("d"))])
    with pytest.raises(Conflict):
        survey.add_invitations(CAMPAIGN.id, [("pnud", hashed("b"))])  # another actor's token hash
    assert [i.actor for i in survey.invitations(CAMPAIGN.id)] == ["gore-cajamarca", "unc"]


def test_sections_replace_the_previous_save(any_store: Store) -> None:
    survey = any_store.survey
    survey.create_campaign(CAMPAIGN)
    first = SectionAnswer(campaign=CAMPAIGN.id, actor="unc", section="needs", payload={"capabilities": ["policy"]},
                          saved=datetime(2025, 3, 3, tzinfo=UTC))
    survey.save_section(first)
    later = first.model_copy(update={"payload": {"capabilities": ["connectivity", "policy"]},
                                     "saved": datetime(2025, 3, 4, tzinfo=UTC)})
    survey.save_section(later)
    consent = SectionAnswer(campaign=CAMPAIGN.id, actor="unc", section="consent", payload={"accepted": True})
    survey.save_section(consent)
    other = SectionAnswer(campaign=CAMPAIGN.id, actor="gore-cajamarca", section="profile", payload={
        "name": "Gobierno Regional de Cajamarca — Ñawi", "sector": "public", "type": "regional_government",
        "scope": "regional", "contact_email": "tic@regioncajamarca.gob.pe"})
    survey.save_section(other)
    assert survey.answers(CAMPAIGN.id) == [other, consent, later]
    assert survey.answers(CAMPAIGN.id, actor="unc") == [consent, later]
    assert survey.answers(CAMPAIGN.id, actor="pnud") == []
    with pytest.raises(NotFound):
        survey.save_section(first.model_copy(update={"campaign": "ghost"}))


def test_decisions_replace_earlier_ones(any_store: Store) -> None:
    survey = any_store.survey
    survey.create_campaign(CAMPAIGN)
    survey.save_decision(Decision(campaign=CAMPAIGN.id, item="new:univ-nacional-de-cajamarca", action="accept"))
    merged = Decision(campaign=CAMPAIGN.id, item="new:univ-nacional-de-cajamarca", action="merge", merge_into="unc")
    survey.save_decision(merged)
    rejected = Decision(campaign=CAMPAIGN.id, item="conflict:gore-cajamarca--unc", action="reject")
    survey.save_decision(rejected)
    assert survey.decisions(CAMPAIGN.id) == [rejected, merged]
    with pytest.raises(NotFound):
        survey.save_decision(rejected.model_copy(update={"campaign": "ghost"}))


def test_the_survey_leaves_the_dataset_version_alone(any_store: Store) -> None:
    version = any_store.version()
    any_store.survey.create_campaign(CAMPAIGN)
    any_store.survey.add_invitations(CAMPAIGN.id, [("unc", hashed("a"))])
    assert any_store.version() == version


def test_provenance_and_confirmation_are_stored(any_store: Store) -> None:
    tie = Collaboration(source="unc", target="pnud", type="training", provenance="campaign:c;respondent:unc;2025-03-04",
                        confirmation="confirmado")
    any_store.upsert_collaboration(tie)
    assert any_store.collaborations(ids=[tie.id]) == [tie]
    assert tie.confirmation == "confirmed"
    actor = any_store.actor("unc").model_copy(update={"provenance": "campaign:c;respondent:unc;2025-03-04"})
    any_store.upsert_actor(actor)
    assert any_store.actor("unc") == actor


def test_an_older_sqlite_file_gets_the_new_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with SQLiteStore(path) as store:
        store.load(read_dataset(MINI))
    db = apsw.Connection(str(path))
    for table, column in (("actors", "provenance"), ("collaborations", "provenance"),
                          ("collaborations", "confirmation")):
        db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    db.close()
    with SQLiteStore(path) as store, SQLiteStore(path) as twice:  # opening twice adds nothing twice
        assert store.actor("unc").provenance is None
        store.upsert_actor(store.actor("unc").model_copy(update={"provenance": "campaign:c"}))
        assert twice.actor("unc").provenance == "campaign:c"
        store.survey.create_campaign(CAMPAIGN)
        assert twice.survey.campaigns() == [CAMPAIGN]
