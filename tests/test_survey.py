"""The survey's computations on hand-computed cases: reconciliation, coverage, maturity, review, publish.

The small test dataset: Cajamarca (06) has gore-cajamarca, unc and camara-cajamarca; Cusco (08)
asoc-mujeres-cusco; pnud (international) and produce (national) have no home region. Stored ties:
gore-cajamarca--unc--agreement, c01 (pnud-produce joint project), produce→camara-cajamarca funding,
pnud--asoc-mujeres-cusco training.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from ecograph.model import Actor, Collaboration
from ecograph.readers import read_dataset
from ecograph.stores import Conflict, OutOfScope, Store
from ecograph.survey import links
from ecograph.survey.coverage import coverage
from ecograph.survey.maturity import assessment, maturity
from ecograph.survey.model import Campaign, Decision, SectionAnswer, section_payload
from ecograph.survey.publish import plan, provenance, publish, published_assessment
from ecograph.survey.reconcile import reconcile
from ecograph.survey.review import items, review_items, similarity
from tests.conftest import MINI

CAMPAIGN = Campaign(id="cajamarca-2025", name="Cajamarca 2025", regions=["06"], opens=date(2025, 3, 1),
                    closes=date(2025, 4, 30), created=datetime(2025, 2, 1, tzinfo=UTC))


def at(day: int) -> datetime:
    return datetime(2025, 3, day, 10, 0, tzinfo=UTC)


def said(actor: str, section: str, payload: Any, day: int = 3, campaign: str = CAMPAIGN.id) -> SectionAnswer:
    return SectionAnswer(campaign=campaign, actor=actor, section=section, payload=payload, saved=at(day))


def consent(actor: str, day: int = 3) -> SectionAnswer:
    return said(actor, "consent", {"accepted": True}, day)


def partners(actor: str, *ties: dict[str, Any], day: int = 3) -> SectionAnswer:
    return said(actor, "partners", list(ties), day)


# -- records ---------------------------------------------------------------------------------------
def test_sections_are_validated_with_the_model_vocabularies() -> None:
    assert section_payload("partners", [{"partner": "unc", "type": "convenio", "status": "activo"}])["items"][0][
        "type"] == "agreement"
    for section, payload in (("capabilities", [{"capability": "teleportation", "level": 2}]),
                             ("capabilities", [{"capability": "policy", "level": 5}]),
                             ("partners", [{"type": "agreement"}]),
                             ("consent", {"accepted": False}),
                             ("profile", {"name": "X", "sector": "public", "type": "agency", "scope": "national",
                                          "contact_email": "not-an-address"})):
        with pytest.raises(ValueError):
            section_payload(section, payload)


# -- reconciliation ----------------------------------------------------------------------------------
def test_both_sides_confirm_one_side_reports_disagreement_conflicts() -> None:
    answers = [
        consent("gore-cajamarca"), consent("unc"), consent("camara-cajamarca"),
        partners("gore-cajamarca", {"partner": "unc", "type": "agreement", "strength": 4},
                 {"partner": "camara-cajamarca", "type": "joint_project", "strength": 3},
                 {"partner": "pnud", "type": "training", "strength": 2}),
        partners("unc", {"partner": "gore-cajamarca", "type": "agreement", "strength": 4}),
        partners("camara-cajamarca", {"partner": "gore-cajamarca", "type": "joint_project", "strength": 5}),
    ]
    found = {tie.id: tie for tie in reconcile(answers, read_dataset(MINI).collaborations)}
    assert {key: (tie.state, tie.partner_answered) for key, tie in found.items()} == {
        "gore-cajamarca--unc--agreement": ("confirmed", True),
        "camara-cajamarca--gore-cajamarca--joint_project": ("conflict", True),
        "gore-cajamarca--pnud--training": ("reported", False),  # pnud never answered: kept, flagged
    }
    conflict = found["camara-cajamarca--gore-cajamarca--joint_project"]
    assert sorted((v.respondent, v.strength) for v in conflict.versions) == [("camara-cajamarca", 5),
                                                                             ("gore-cajamarca", 3)]
    assert found["gore-cajamarca--unc--agreement"].known == "gore-cajamarca--unc--agreement"


def test_a_tie_reported_by_a_respondent_who_did_not_mention_it_back() -> None:
    answers = [consent("gore-cajamarca"), consent("unc"),
               partners("gore-cajamarca", {"partner": "unc", "type": "training"}), partners("unc")]
    [tie] = reconcile(answers)
    assert (tie.state, tie.partner_answered) == ("reported", True)


def test_direction_and_type_disagreements_are_conflicts() -> None:
    answers = [consent("produce"), consent("camara-cajamarca"),
               partners("produce", {"partner": "camara-cajamarca", "type": "funding", "direction": "gives"}),
               partners("camara-cajamarca", {"partner": "produce", "type": "funding", "direction": "receives"},
                        {"partner": "produce", "type": "training"})]
    found = {tie.id: tie.state for tie in reconcile(answers, read_dataset(MINI).collaborations)}
    assert found == {"produce--camara-cajamarca--funding": "confirmed",
                     "camara-cajamarca--produce--training": "reported"}
    opposite = [consent("produce"), consent("camara-cajamarca"),
                partners("produce", {"partner": "camara-cajamarca", "type": "funding", "direction": "gives"}),
                partners("camara-cajamarca", {"partner": "produce", "type": "funding", "direction": "gives"})]
    [tie] = reconcile(opposite)
    assert tie.state == "conflict" and tie.id == "camara-cajamarca--produce--funding--funding"


def test_answers_without_consent_do_not_count() -> None:
    assert reconcile([partners("gore-cajamarca", {"partner": "unc", "type": "agreement"})]) == []


# -- coverage ----------------------------------------------------------------------------------------
def test_coverage_by_region_and_sector() -> None:
    actors = {actor.id: actor for actor in read_dataset(MINI).actors}
    roster = [actors[key] for key in ("gore-cajamarca", "unc", "camara-cajamarca", "pnud")]
    answers = [consent("gore-cajamarca"), consent("unc"), consent("pnud"),
               said("camara-cajamarca", "needs", {"capabilities": ["policy"]})]  # no consent: not answered
    found = coverage(CAMPAIGN, roster, answers)
    assert (found.total.answered, found.total.rostered, found.total.percent) == (3, 4, 75)
    assert found.text("es") == "3 de 4 actores respondieron (75 %)"
    assert found.text("en") == "3 of 4 actors answered (75 %)"
    assert {code: (s.answered, s.rostered) for code, s in found.by_region.items()} == {"06": (2, 3), "PE": (1, 1)}
    assert {code: (s.answered, s.rostered) for code, s in found.by_sector.items()} == {
        "academia": (1, 1), "international": (1, 1), "private": (0, 1), "public": (1, 1)}
    assert found.by_region["06"].text("es") == "2 de 3 actores respondieron (67 %)"
    assert found.missing == ["camara-cajamarca"]
    assert coverage(CAMPAIGN, [], []).total.text("en") == "0 of 0 actors answered (0 %)"


# -- maturity ----------------------------------------------------------------------------------------
def rated(actor: str, *levels: tuple[str, int], day: int = 3) -> list[SectionAnswer]:
    return [consent(actor, day), said(actor, "capabilities", [{"capability": c, "level": n} for c, n in levels], day)]


def test_maturity_median_low_high_and_the_national_row() -> None:
    actors = read_dataset(MINI).actors
    answers = (rated("gore-cajamarca", ("e_government", 3), ("connectivity", 1))
               + rated("unc", ("connectivity", 4)) + rated("camara-cajamarca", ("connectivity", 0))
               + rated("asoc-mujeres-cusco", ("connectivity", 2)) + rated("pnud", ("connectivity", 3)))
    cells = {(c.region, c.sector, c.capability): (c.respondents, c.median, c.low, c.high)
             for c in maturity(answers, actors)}
    assert cells[("06", None, "connectivity")] == (3, 1.0, 0, 4)  # levels 1, 4, 0
    assert cells[("06", "public", "connectivity")] == (1, 1.0, 1, 1)
    assert cells[("06", "public", "e_government")] == (1, 3.0, 3, 3)
    assert cells[("08", None, "connectivity")] == (1, 2.0, 2, 2)
    assert cells[("PE", None, "connectivity")] == (5, 2.0, 0, 4)  # 1, 4, 0, 2 and pnud's 3
    assert ("PE", "international", "connectivity") in cells and (None, "international", "connectivity") not in cells
    assert not any(region == "06" and sector == "international" for region, sector, _ in cells)


def test_the_latest_save_wins_across_campaigns() -> None:
    actors = read_dataset(MINI).actors
    old = rated("unc", ("policy", 1), day=3)
    new = [answer.model_copy(update={"campaign": "later"}) for answer in rated("unc", ("policy", 3), day=9)]
    found = assessment(old + new, actors)
    assert [(o.capability, o.level) for o in found.offers] == [("policy", 3)]


# -- review --------------------------------------------------------------------------------------------
def test_likely_duplicates_by_name_and_acronym() -> None:
    unc = next(actor for actor in read_dataset(MINI).actors if actor.id == "unc")
    assert similarity("Univ. Nacional de Cajamarca", None, unc) >= 0.9
    assert similarity("UNC", None, unc) >= 0.9
    assert similarity("Universidad Nacional de Cajamarca", "UNC", unc) == 1.0
    assert similarity("Asociación de Artesanas de Chota", None, unc) < 0.6


def test_review_items_new_institutions_profiles_conflicts() -> None:
    dataset = read_dataset(MINI)
    answers = [
        consent("gore-cajamarca"), consent("camara-cajamarca"),
        partners("gore-cajamarca", {"proposed": {"name": "Univ. Nacional de Cajamarca", "sector": "academia",
                                                 "region": "06"}, "type": "agreement"},
                 {"partner": "camara-cajamarca", "type": "training", "status": "active"}),
        partners("camara-cajamarca", {"partner": "gore-cajamarca", "type": "training", "status": "planned"}),
        said("gore-cajamarca", "profile", {"name": "Gobierno Regional de Cajamarca", "acronym": "GRC",
                                            "sector": "public", "type": "regional_government", "scope": "regional",
                                            "contact_email": "tic@regioncajamarca.gob.pe"}),
    ]
    found = {item.id: item for item in items(CAMPAIGN.id, answers, dataset.actors, dataset.collaborations)}
    assert sorted(found) == ["conflict:camara-cajamarca--gore-cajamarca--training", "new:univ-nacional-de-cajamarca",
                             "profile:gore-cajamarca"]
    assert [d.actor for d in found["new:univ-nacional-de-cajamarca"].duplicates] == ["unc"]
    assert found["profile:gore-cajamarca"].changes == {"acronym": ("GORE Cajamarca", "GRC")}  # no contact
    assert found["conflict:camara-cajamarca--gore-cajamarca--training"].respondents == ["camara-cajamarca",
                                                                                        "gore-cajamarca"]


# -- publish -------------------------------------------------------------------------------------------------
@pytest.fixture
def surveyed(any_store: Store) -> Store:
    """The small dataset with a campaign over Cajamarca and its answers (no decisions yet)."""
    any_store.load(read_dataset(MINI))
    survey = any_store.survey
    survey.create_campaign(CAMPAIGN)
    links.invite(any_store, CAMPAIGN.id, ["gore-cajamarca", "unc", "camara-cajamarca", "pnud"])
    for answer in [
        *rated("gore-cajamarca", ("e_government", 3), ("connectivity", 1), day=4),
        *rated("unc", ("research_innovation", 4), day=5),
        partners("gore-cajamarca", {"partner": "unc", "type": "agreement", "strength": 5, "since": 2022},
                 {"partner": "pnud", "type": "training", "strength": 2},
                 {"partner": "camara-cajamarca", "type": "joint_project", "strength": 3},
                 {"proposed": {"name": "Univ. Nacional de Cajamarca", "acronym": None, "sector": "academia",
                               "region": "06"}, "type": "joint_project"},
                 {"proposed": {"name": "Red de Telecentros de Chota", "sector": "civil_society", "region": "06"},
                  "type": "service", "direction": "gives"}, day=4),
        partners("unc", {"partner": "gore-cajamarca", "type": "agreement", "strength": 5}, day=5),
        said("unc", "needs", {"capabilities": ["connectivity"]}, day=5),
        consent("camara-cajamarca", day=6),
        partners("camara-cajamarca", {"partner": "gore-cajamarca", "type": "joint_project", "strength": 1}, day=6),
    ]:
        survey.save_section(answer)
    return any_store


def test_publish_applies_the_accepted_answers_as_one_version(surveyed: Store) -> None:
    store, survey = surveyed, surveyed.survey
    before = store.version()
    pending = {item.id for item in review_items(store, CAMPAIGN)}
    assert pending == {"conflict:camara-cajamarca--gore-cajamarca--joint_project", "new:univ-nacional-de-cajamarca",
                       "new:red-de-telecentros-de-chota"}
    survey.save_decision(Decision(campaign=CAMPAIGN.id, item="new:univ-nacional-de-cajamarca", action="merge",
                                  merge_into="unc"))
    survey.save_decision(Decision(campaign=CAMPAIGN.id, item="new:red-de-telecentros-de-chota", action="accept"))
    done = publish(store, CAMPAIGN.id)
    assert done.version == before + 1 == store.version()
    assert survey.campaign(CAMPAIGN.id).published_version == done.version
    assert done.pending == ["conflict:camara-cajamarca--gore-cajamarca--joint_project"]

    gore = store.actor("gore-cajamarca")
    assert gore.capabilities == ["connectivity", "e_government"]  # its own e_government plus connectivity
    assert gore.provenance == "campaign:cajamarca-2025;respondent:gore-cajamarca;2025-03-04"
    new = store.actor("red-de-telecentros-de-chota")
    assert (new.sector, new.type, new.region, new.scope) == ("civil_society", "ngo", "06", "regional")
    assert new.provenance == "campaign:cajamarca-2025;respondent:gore-cajamarca;2025-03-04"

    ties = {tie.id: tie for tie in store.collaborations()}
    agreement = ties["gore-cajamarca--unc--agreement"]  # known tie, confirmed: updated, same id
    assert (agreement.weight, agreement.confirmation, agreement.start) == (5, "confirmed", "2022")
    assert agreement.provenance == "campaign:cajamarca-2025;respondent:gore-cajamarca,unc;2025-03-05"
    training = ties["gore-cajamarca--pnud--training"]  # pnud never answered: reported
    assert (training.confirmation, training.weight) == ("reported", 2)
    merged = ties["gore-cajamarca--unc--joint_project"]  # the proposed "Univ. Nacional" is unc
    assert merged.confirmation == "reported"
    service = ties["gore-cajamarca--red-de-telecentros-de-chota--service"]
    assert (service.source, service.target) == ("gore-cajamarca", "red-de-telecentros-de-chota")
    assert "camara-cajamarca--gore-cajamarca--joint_project" not in ties  # the conflict waits for a decision
    written = [*done.actors, *done.collaborations]
    assert all(record.provenance for record in [*store.actors(ids=done.actors), *store.collaborations(
        ids=done.collaborations)]) and written


def test_an_accepted_conflict_publishes_the_version_saved_last(surveyed: Store) -> None:
    surveyed.survey.save_decision(Decision(campaign=CAMPAIGN.id, action="accept",
                                           item="conflict:camara-cajamarca--gore-cajamarca--joint_project"))
    publish(surveyed, CAMPAIGN)
    [tie] = surveyed.collaborations(ids=["camara-cajamarca--gore-cajamarca--joint_project"])
    assert (tie.weight, tie.confirmation) == (1, "confirmed")  # camara's, saved on the 6th


def test_a_failing_publish_leaves_the_version_unchanged(surveyed: Store) -> None:
    before, dataset = surveyed.version(), surveyed.dataset()
    with pytest.raises(OutOfScope):  # an editor of Cusco: pnud's tie and Cajamarca's actors are not its own
        publish(surveyed, CAMPAIGN, may_write=lambda region: region == "08")
    assert surveyed.version() == before and surveyed.dataset() == dataset
    assert surveyed.survey.campaign(CAMPAIGN.id).published_version is None
    surveyed.survey.save_decision(Decision(campaign=CAMPAIGN.id, item="new:univ-nacional-de-cajamarca",
                                           action="merge", merge_into="ghost"))
    with pytest.raises(Conflict):
        publish(surveyed, CAMPAIGN)
    assert surveyed.version() == before


def test_nothing_to_publish_is_refused(any_store: Store) -> None:
    any_store.load(read_dataset(MINI))
    any_store.survey.create_campaign(CAMPAIGN)
    with pytest.raises(Conflict, match="nada que publicar"):
        publish(any_store, CAMPAIGN)


def test_the_published_assessment(surveyed: Store) -> None:
    assert published_assessment(surveyed).offers == []  # nothing published yet
    publish(surveyed, CAMPAIGN)
    found = published_assessment(surveyed).region("06")
    assert sorted((o.actor, o.capability, o.level) for o in found.offers) == [
        ("gore-cajamarca", "connectivity", 1), ("gore-cajamarca", "e_government", 3),
        ("unc", "research_innovation", 4)]
    assert [(n.actor, n.capability) for n in found.needs] == [("unc", "connectivity")]


def test_provenance_text() -> None:
    assert provenance("c", ["b", "a"], date(2025, 1, 2)) == "campaign:c;respondent:a,b;2025-01-02"


# -- links ---------------------------------------------------------------------------------------------------
def test_links_are_handed_out_once_and_resent_on_demand(any_store: Store) -> None:
    any_store.load(read_dataset(MINI))
    any_store.survey.create_campaign(CAMPAIGN)
    assert [i.actor for i in links.invite(any_store, CAMPAIGN.id, ["unc", "pnud", "unc"])] == ["pnud", "unc"]
    assert links.invite(any_store, CAMPAIGN.id, ["unc"]) == []  # already on the roster
    with pytest.raises(ValueError):
        links.invite(any_store, CAMPAIGN.id, ["asoc-mujeres-cusco"])  # Cusco is outside the campaign
    with pytest.raises(ValueError):
        links.invite(any_store, CAMPAIGN.id, ["ghost"])
    first = {entry.invitation.actor: entry.token for entry in links.issue(any_store, CAMPAIGN.id)}
    assert all(token and token.startswith("sv_") for token in first.values())
    campaign, invitation = links.respondent(any_store, first["unc"])  # type: ignore[misc]
    assert (campaign.id, invitation.actor) == (CAMPAIGN.id, "unc") and invitation.sent is not None
    assert invitation.token_hash == links.token_hash(first["unc"])  # only the hash is kept
    again = {entry.invitation.actor: entry.token for entry in links.issue(any_store, CAMPAIGN.id)}
    assert again == {"pnud": None, "unc": None}  # sent already: no new link
    resent = {e.invitation.actor: e.token for e in links.issue(any_store, CAMPAIGN.id, resend=["unc"])}
    assert resent["pnud"] is None and resent["unc"] not in (None, first["unc"])
    assert links.respondent(any_store, first["unc"]) is None  # the old link stopped working
    assert links.respondent(any_store, "sv_" + "x" * 43) is None and links.respondent(any_store, "nope") is None


def test_actor_model_keeps_provenance() -> None:
    actor = Actor(id="x", name="X", sector="public", type="agency", scope="national", provenance=" ")
    assert actor.provenance is None


# -- the assessment in the analysis ------------------------------------------------------------------------
def test_region_report_adds_the_survey_gaps_and_opportunities() -> None:
    from ecograph.analysis.report import region_report
    from ecograph.graph import build_graph
    from ecograph.survey.maturity import Assessment, Need, Offer

    dataset = read_dataset(MINI)
    graph = build_graph(dataset.actors, dataset.collaborations, "06")
    offer = {"capability": "connectivity", "region": "06"}
    found = Assessment(
        offers=[Offer(actor="gore-cajamarca", name="GORE Cajamarca", sector="public", level=1, **offer),
                Offer(actor="unc", name="UNC", sector="academia", level=0, **offer),
                Offer(actor="pnud", name="PNUD", sector="international", level=4,
                      **{**offer, "region": None})],
        needs=[Need(actor="camara-cajamarca", name="Cámara de Comercio", region="06", sector="private",
                    capability="connectivity")])
    report = region_report(graph, assessment=found)
    gaps = {gap.kind: gap for gap in report.gaps if gap.kind in ("low_maturity_capability", "unmet_need")}
    low, unmet = gaps["low_maturity_capability"], gaps["unmet_need"]
    assert (low.severity, low.value, low.actors) == ("medium", 1.0, ["gore-cajamarca", "unc"])
    assert low.text_es == ("En la región, conectividad solo se ofrece con madurez baja (como máximo 1 · Oportunista), "
                           "por GORE Cajamarca y UNC.")
    assert (unmet.severity, unmet.actors) == ("medium", ["camara-cajamarca"])  # offered, but not maturely
    assert unmet.text_en == ("Cámara de Comercio seeks a partner in connectivity, but no actor of the region offers "
                             "it at maturity 3 or more.")
    [pair] = [o for o in report.opportunities if {o.source, o.target} == {"camara-cajamarca", "pnud"}]
    assert pair.reasons[0] == "meets_need" and "crosses_sectors" in pair.reasons  # merged with the graph's own
    assert pair.text_es == ("Cámara de Comercio busca un socio en conectividad y PNUD la ofrece con madurez "
                            "4 · Transformador: una alianza que atiende esa necesidad.")
    assert region_report(graph).gaps == [g for g in report.gaps if g.kind not in gaps]  # nothing without it


def test_an_illustrative_campaign_leaves_documented_records_as_they_are() -> None:
    """Invented answers never mark a real tie "confirmed" nor add capabilities to a real institution; what they
    add is itself marked illustrative."""
    demo = CAMPAIGN.model_copy(update={"id": "demo", "illustrative": True})
    unc = Actor(id="unc", name="UNC", sector="academia", type="university", region="06", scope="regional")
    gore = Actor(id="gore", name="GORE", sector="public", type="regional_government", region="06", scope="regional",
                 illustrative=True)
    documented = Collaboration(source="gore", target="unc", type="agreement", weight=3)
    said = [SectionAnswer(campaign="demo", actor=actor, section=section, payload=payload)
            for actor in ("unc", "gore") for section, payload in (
                ("consent", {"accepted": True}),
                ("capabilities", [{"capability": "policy", "level": 2}]),
                ("partners", [{"partner": "gore" if actor == "unc" else "unc", "type": "agreement", "strength": 5}]))]
    changes, _ = plan(demo, said, [], [unc, gore], [documented], {"06"})
    assert [actor.id for actor in changes.upserts["actors"]] == ["gore"], "the real UNC is left as documented"
    assert changes.upserts["collaborations"] == [], "the documented tie is not re-marked from invented answers"
    real = CAMPAIGN.model_copy(update={"id": "real"})
    changes, _ = plan(real, [answer.model_copy(update={"campaign": "real"}) for answer in said], [], [unc, gore],
                      [documented], {"06"})
    assert [actor.id for actor in changes.upserts["actors"]] == ["gore", "unc"]
    assert [tie.confirmation for tie in changes.upserts["collaborations"]] == ["confirmed"]
