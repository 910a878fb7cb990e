"""The synthetic generator is deterministic and has the shape benchmarks rely on."""

from __future__ import annotations

from collections import Counter

from ecograph.generate import generate_dataset
from ecograph.graph import build_graph, collapse
from ecograph.model import Dataset


def test_same_seed_same_dataset_other_seed_other_dataset() -> None:
    assert generate_dataset(500, seed=3) == generate_dataset(500, seed=3)
    assert generate_dataset(500, seed=3) != generate_dataset(500, seed=4)


def test_generated_records_are_valid_models() -> None:
    dataset = generate_dataset(400, seed=1)
    assert Dataset.model_validate(dataset.model_dump()) == dataset


def test_shape_heavy_tailed_and_dense_within_regions() -> None:
    dataset = generate_dataset(2000, seed=1)
    assert len(dataset.actors) == 2000
    assert 4 <= len(dataset.collaborations) / 2000 <= 6
    home = {a.id: a.region for a in dataset.actors}
    within = sum(home[t.source] == home[t.target] for t in dataset.collaborations)
    assert within / len(dataset.collaborations) > 0.8
    degrees = sorted((d for _, d in collapse(build_graph(dataset.actors, dataset.collaborations)).degree()),
                     reverse=True)
    assert degrees[0] > 5 * (sum(degrees) / len(degrees)), "a few hubs"
    assert len(Counter(a.sector for a in dataset.actors)) == 5
