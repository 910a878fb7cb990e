"""Synthetic ecosystems of any size, with the schema and the rough shape of the real one.

Used for benchmarks and tests. Regions get heavy-tailed sizes; inside a region, actors join by
preferential attachment (Barabási & Albert 1999), so degrees are heavy-tailed and ties are
dense within regions; a few ties go to national actors and to other regions. The same
``(actors, seed)`` always gives the same dataset.
"""

from __future__ import annotations

import random
from collections import Counter

from ecograph.model import CAPABILITIES, TARGET_GROUPS, Actor, Collaboration, Dataset, Region

TYPES_BY_SECTOR = {
    "academia": ("university", "institute", "research_center"),
    "public": ("regional_government", "municipality", "program", "agency"),
    "private": ("company", "startup", "chamber", "telecom", "financial"),
    "civil_society": ("ngo", "community_org", "foundation"),
    "international": ("un_agency", "donor"),
}
SECTOR_SHARES = {"academia": 0.15, "public": 0.25, "private": 0.35, "civil_society": 0.2, "international": 0.05}
TIE_TYPES = ("agreement", "joint_project", "training", "data_sharing", "network_membership", "funding", "service")
NATIONAL_SHARE = 0.01
OUTSIDE_TIE_SHARE = 0.08


def generate_dataset(actors: int, seed: int = 0, ties_per_actor: float = 5.0) -> Dataset:
    """A synthetic dataset of ``actors`` actors with about ``ties_per_actor`` ties each.

    Cost: O(actors * ties_per_actor) time and memory.

    >>> data = generate_dataset(50, seed=1)
    >>> len(data.actors), len(data.regions) > 1
    (50, True)
    """
    rng = random.Random(seed)
    n_regions = max(1, min(26, actors // 20))
    regions = [Region(code=f"{i:02d}", name=f"Región sintética {i:02d}", population=rng.randint(100_000, 2_000_000))
               for i in range(1, n_regions + 1)]
    region_weights = [1 / rank for rank in range(1, n_regions + 1)]  # Zipf: a few big regions
    n_national = max(1, round(actors * NATIONAL_SHARE))
    members: dict[str | None, list[str]] = {None: []}
    records: list[Actor] = []
    sectors, shares = zip(*SECTOR_SHARES.items(), strict=True)
    for number in range(1, actors + 1):
        national = number <= n_national
        region = None if national else rng.choices(regions, region_weights)[0].code
        sector = rng.choices(sectors, shares)[0]
        actor_id = f"actor-{number:06d}"
        records.append(Actor.model_construct(
            id=actor_id, name=f"Actor {number} ({sector})", acronym=None, sector=sector,
            type=rng.choice(TYPES_BY_SECTOR[sector]), region=region,
            scope="national" if national else rng.choice(("local", "regional")),
            capabilities=sorted(rng.sample(CAPABILITIES, rng.randint(1, 3))),
            target_groups=sorted(rng.sample(TARGET_GROUPS, rng.randint(0, 2))),
            website=None, description=None, source=None, illustrative=True))
        members.setdefault(region, []).append(actor_id)
    ties = _attach(rng, members, ties_per_actor)
    return Dataset(regions=regions, actors=records, collaborations=ties)


COUNTRY_PER_REGION_ACTOR = 20_000 / 5_116
"""generate_dataset gives its largest region about this share of the country's actors (Zipf over 26 regions)."""


def generate_region(actors: int, seed: int = 0) -> tuple[Dataset, str]:
    """The largest region of a generated country sized so that region has about ``actors`` actors, with the
    national actors and every tie among them, and its code: a large region without the rest of the country.

    Cost: that of :func:`generate_dataset` for about 3.9 times ``actors``.

    >>> data, code = generate_region(200, seed=1)
    >>> code, [region.code for region in data.regions], {actor.region for actor in data.actors} == {code, None}
    ('01', ['01'], True)
    """
    country = generate_dataset(round(actors * COUNTRY_PER_REGION_ACTOR), seed)
    code = Counter(actor.region for actor in country.actors if actor.region).most_common(1)[0][0]
    kept = [actor for actor in country.actors if actor.region in (code, None)]
    ids = {actor.id for actor in kept}
    ties = [tie for tie in country.collaborations if tie.source in ids and tie.target in ids]
    regions = [region for region in country.regions if region.code == code]
    return Dataset.model_construct(regions=regions, indicators=[], actors=kept, collaborations=ties), code


def _attach(rng: random.Random, members: dict[str | None, list[str]], ties_per_actor: float) -> list[Collaboration]:
    """Preferential attachment inside each region, plus ties to national actors and other regions."""
    pairs: set[tuple[str, str]] = set()
    everyone = [actor for group in members.values() for actor in group]
    national = members[None] or everyone
    per_new_actor = max(1, round(ties_per_actor))
    for region, group in members.items():
        if region is None:
            continue
        endpoints: list[str] = []  # each actor appears once per tie it has: sampling is degree-proportional
        for index, actor in enumerate(group):
            if index == 0:
                endpoints.append(actor)
                continue
            for _ in range(min(per_new_actor, index)):
                draw = rng.random()
                if draw < OUTSIDE_TIE_SHARE / 2:
                    partner = rng.choice(national)
                elif draw < OUTSIDE_TIE_SHARE:
                    partner = rng.choice(everyone)
                else:
                    partner = rng.choice(endpoints)
                pair = (min(actor, partner), max(actor, partner))
                if partner != actor and pair not in pairs:
                    pairs.add(pair)
                    endpoints += [actor, partner]
            endpoints.append(actor)
    ties = []
    for number, (source, target) in enumerate(sorted(pairs), start=1):
        tie_type = rng.choice(TIE_TYPES)
        ties.append(Collaboration.model_construct(
            id=f"tie-{number:07d}", source=source, target=target, type=tie_type, weight=rng.randint(1, 5),
            start=str(rng.randint(2015, 2025)), end=None, status=rng.choices(("active", "planned", "ended"),
                                                                             (0.8, 0.1, 0.1))[0],
            program=None, evidence=None, illustrative=True))
    return ties
