#!/usr/bin/env python3
"""The demo's survey: one finished, ILLUSTRATIVE campaign over Cajamarca (06), Cusco (08) and Tacna (23).

Nobody answered this survey: the answers are invented, deterministically (a fixed seed), from the bundled
dataset, so the demo shows every part of the survey on the pages (coverage lines, maturity heatmaps, ties
confirmed by both sides or reported by one, a conflict, a proposed institution that duplicates a known one,
profile corrections) without pretending to be data. The campaign is marked ``illustrative`` and every page
that shows it says so.

    python scripts/build_demo_survey.py build            # data/peru/survey/demo-2025.json from data/peru
    python scripts/build_demo_survey.py load --db ecograph.db    # into a store (skipped if already there)

``load`` goes through the core's API (``store.survey`` and :func:`ecograph.survey.publish.publish`): it creates
the campaign, its roster, the answers (with their dates) and the reviewers' decisions, then publishes the
campaign as one new dataset version. ``make demo`` runs it after ``ecograph load data/peru``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ecograph.i18n import Texts, language_from_environment  # noqa: E402
from ecograph.model import CAPABILITIES, Dataset  # noqa: E402
from ecograph.readers import read_dataset  # noqa: E402
from ecograph.service import Service  # noqa: E402
from ecograph.stores import Conflict, Store, open_store  # noqa: E402
from ecograph.survey import review  # noqa: E402
from ecograph.survey.model import Campaign, Decision, SectionAnswer  # noqa: E402
from ecograph.survey.publish import publish  # noqa: E402

PERU = ROOT / "data" / "peru"
OUT = PERU / "survey" / "demo-2025.json"
SEED = 2025
CAMPAIGN = {"id": "demo-2025", "name": "Encuesta ilustrativa del ecosistema digital 2025",
            "regions": ["06", "08", "23"], "opens": "2025-03-03", "closes": "2025-04-30", "illustrative": True}
ANSWERED = {"06": 18, "08": 20, "23": 13}
"""How many rostered actors of each region answer (Cajamarca: 18 of 24, 75 %)."""
LEANING = {"academia": ("research_innovation", "digital_skills", "e_learning", "data_statistics"),
           "public": ("e_government", "policy", "data_statistics", "connectivity"),
           "private": ("digital_payments", "e_commerce", "connectivity", "financing"),
           "civil_society": ("digital_skills", "entrepreneurship", "e_learning"),
           "international": ("financing", "policy", "entrepreneurship")}
"""What each sector tends to be strong in (a little higher level on average)."""
PROPOSED = {"06": {"name": "Univ. Nacional de Cajamarca", "acronym": None, "sector": "academia", "region": "06"},
            "23": {"name": "Colectivo Tacna Digital", "acronym": "CTD", "sector": "civil_society", "region": "23"}}
"""Institutions a respondent proposes: the first duplicates a known one (merged), the second is new (accepted)."""


def day(offset: int) -> datetime:
    """A moment of the campaign: ``offset`` hours after it opened (Peru's 9 a.m.)."""
    return datetime(2025, 3, 3, 14, 0, tzinfo=UTC) + timedelta(hours=offset)


def level(rng: random.Random, sector: str, capability: str, listed: bool) -> int:
    base = 1 + (capability in LEANING.get(sector, ())) + (listed and rng.random() < 0.5)
    return max(0, min(4, base + rng.choice((-1, 0, 0, 1))))


def build(dataset: Dataset) -> dict[str, Any]:
    """The campaign as JSON: the campaign, its roster, every answer with its date, the decisions."""
    rng = random.Random(SEED)
    actors = {actor.id: actor for actor in dataset.actors}
    roster = sorted((a for a in dataset.actors if a.region in CAMPAIGN["regions"]), key=lambda a: (a.region, a.id))
    respondents: list[str] = []
    for code, count in ANSWERED.items():
        local = [a.id for a in roster if a.region == code]
        respondents += sorted(rng.sample(local, count))
    answering = set(respondents)
    answers: list[dict[str, Any]] = []
    hour = 0

    def said(actor: str, section: str, payload: Any) -> None:
        nonlocal hour
        hour += rng.randint(1, 9)
        answers.append({"actor": actor, "section": section, "payload": payload, "saved": day(hour).isoformat()})

    conflict_done = False
    for actor_id in respondents:
        actor = actors[actor_id]
        profile = {"name": actor.name, "acronym": actor.acronym, "sector": actor.sector, "type": actor.type,
                   "scope": actor.scope, "website": actor.website, "contact_name": "Persona de contacto (ejemplo)",
                   "contact_email": f"encuesta@{actor_id}.example", "contact_phone": None}
        if actor.acronym is None and rng.random() < 0.15:  # a correction for the review queue
            profile["acronym"] = "".join(word[0] for word in actor.name.split() if word[0].isupper())[:8] or None
        said(actor_id, "profile", profile)
        rated = sorted(set(actor.capabilities) | set(rng.sample(CAPABILITIES, 2)), key=CAPABILITIES.index)
        said(actor_id, "capabilities", {"items": [
            {"capability": c, "level": level(rng, actor.sector, c, c in actor.capabilities),
             "groups": sorted(rng.sample(actor.target_groups, min(len(actor.target_groups), 1))), "evidence": None}
            for c in rated]})
        items = []
        for tie in dataset.collaborations:
            if actor_id not in (tie.source, tie.target) or rng.random() < 0.2:
                continue  # people forget a partner now and then
            other = tie.target if tie.source == actor_id else tie.source
            strength = tie.weight
            if not conflict_done and other in answering and actor_id < other and actor.region == "08":
                strength, conflict_done = max(1, tie.weight - 2), True  # the two sides disagree: a conflict
            entry = {"partner": other, "type": tie.type, "since": int(tie.start[:4]) if tie.start else None,
                     "status": tie.status, "strength": strength, "trust": rng.choice((None, 3, 4)),
                     "value": rng.choice((None, 2, 3, 4))}
            if tie.type in ("funding", "service"):
                entry["direction"] = "gives" if tie.source == actor_id else "receives"
            items.append(entry)
        local = [a.id for a in roster if a.region == actor.region and a.id != actor_id]
        for other in rng.sample(local, 1):  # a tie the dataset did not know
            items.append({"partner": other, "type": rng.choice(("training", "joint_project", "data_sharing")),
                          "since": 2023, "status": "active", "strength": rng.randint(2, 4), "trust": None,
                          "value": None})
        if actor.region in PROPOSED and actor_id == next(r for r in respondents if actors[r].region == actor.region):
            items.append({"proposed": PROPOSED[actor.region], "type": "joint_project", "since": 2024,
                          "status": "active", "strength": 3, "trust": None, "value": None})
        said(actor_id, "partners", {"items": items})
        said(actor_id, "needs", {"capabilities": sorted(rng.sample(CAPABILITIES, rng.randint(1, 3)),
                                                        key=CAPABILITIES.index)})
        said(actor_id, "consent", {"accepted": True})
    campaign = Campaign(**CAMPAIGN)
    records = [SectionAnswer(campaign=campaign.id, actor=a["actor"], section=a["section"], payload=a["payload"],
                             saved=a["saved"]) for a in answers]
    decisions = []
    for item in review.items(campaign.id, records, dataset.actors, dataset.collaborations):
        if item.kind == "new_actor" and item.duplicates:
            decisions.append({"item": item.id, "action": "merge", "merge_into": item.duplicates[0].actor})
        else:
            decisions.append({"item": item.id, "action": "accept", "merge_into": None})
    return {"about": "ILLUSTRATIVE: invented answers for the demo, built by scripts/build_demo_survey.py "
                     f"(seed {SEED}) from data/peru; not data.",
            "campaign": CAMPAIGN,
            "roster": [{"actor": a.id, "token_hash": hashlib.sha256(f"illustrative:{a.id}".encode()).hexdigest()}
                       for a in roster],
            "answers": [{**a, "payload": r.payload} for a, r in zip(answers, records, strict=True)],
            "decisions": decisions}


def load(document: dict[str, Any], db: str) -> str:
    """Put the campaign into the store at ``db``, publish it and compute the analysis of the version it makes.

    When the campaign is there already it is published again: ``make demo`` reloads data/peru first, which
    takes the published answers back out of the data.
    """
    with open_store(db) as store:
        campaign = Campaign(**document["campaign"])
        if campaign.id in {c.id for c in store.survey.campaigns()}:
            return republished(store, campaign)
        known = {actor.id for actor in store.actors()}
        store.survey.create_campaign(campaign)
        store.survey.add_invitations(campaign.id, [(r["actor"], r["token_hash"]) for r in document["roster"]
                                                   if r["actor"] in known],
                                     sent=datetime.fromisoformat(f"{campaign.opens.isoformat()}T14:00:00+00:00"))
        for answer in document["answers"]:
            if answer["actor"] in known:
                store.survey.save_section(SectionAnswer(campaign=campaign.id, **answer))
        for decision in document["decisions"]:
            store.survey.save_decision(Decision(campaign=campaign.id, **decision,
                                                decided=datetime.combine(campaign.closes, datetime.min.time(),
                                                                         tzinfo=UTC)))
        done = publish(store, campaign.id)
        Service(lambda: store).refresh()
        return Texts(language_from_environment())("survey.demo.published", campaign=campaign.id,
                                                  answers=len(document["answers"]), actors=len(done.actors),
                                                  ties=len(done.collaborations), version=done.version)


def republished(store: Store, campaign: Campaign) -> str:
    """Publish a campaign that is already in the store again (a no-op, said so, when the data still hold it)."""
    texts = Texts(language_from_environment())
    try:
        done = publish(store, campaign.id)
    except Conflict:
        return texts("survey.demo.current", campaign=campaign.id, version=store.version())
    Service(lambda: store).refresh()
    return texts("survey.demo.republished", campaign=campaign.id, version=done.version)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("build", "load"))
    parser.add_argument("--data", default=str(PERU), help="the dataset folder to build from (build)")
    parser.add_argument("--out", default=str(OUT), help="the campaign file (build writes it, load reads it)")
    parser.add_argument("--db", default="ecograph.db", help="the store to load into (load)")
    args = parser.parse_args()
    if args.step == "build":
        document = build(read_dataset(Path(args.data)))
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        print(f"{args.out}: {len(document['roster'])} invited, {len(document['answers'])} answers, "
              f"{len(document['decisions'])} decisions")
    else:
        print(load(json.loads(Path(args.out).read_text()), args.db))


if __name__ == "__main__":
    main()
