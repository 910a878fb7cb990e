"""The dataset versions a store keeps (see :mod:`ecograph.stores.history`): listed with what each changed, and any
past version's dataset and region graphs, rebuilt from the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

import networkx as nx

from ecograph.graph import build_graph
from ecograph.model import TABLES, Dataset
from ecograph.stores.base import NotFound, Store, from_store
from ecograph.stores.history import Entry


@dataclass(frozen=True)
class Version:
    """One dataset version: when it was made, where from, by whom, and its records added, updated and removed per
    table (a baseline's records all count as added)."""

    version: int
    time: float
    source: str
    who: str
    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    removed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))

    @property
    def when(self) -> str:
        """The time as ISO 8601 in UTC, to the second."""
        return datetime.fromtimestamp(self.time, UTC).isoformat(timespec="seconds")


def versions(store: Store) -> list[Version]:
    """Every version the store's history holds, oldest first, with its counts of changes.

    A write that names a record already stored with the same fields is not a change, and is not counted. Cost:
    replays the whole history once, O(total size of the changes).
    """
    keys: dict[str, dict[str, dict[str, object]]] = {table: {} for table in TABLES}
    found = []
    for entry in store.history():
        upserts, deletes = entry.changes()
        done = Version(entry.version, entry.time, entry.source, entry.who)
        for table in TABLES:
            rows = keys[table]
            if entry.source == "baseline":
                rows.clear()
            for key in deletes[table]:
                done.removed[table] += rows.pop(key, None) is not None
            for data in upserts[table]:
                key = from_store(table, data).key
                before = rows.get(key)
                done.added[table] += before is None
                done.updated[table] += before is not None and before != data
                rows[key] = data
        found.append(done)
    return found


def replay(entries: list[Entry], version: int) -> Dataset:
    """The dataset as it was at ``version``: the last baseline at or before it, then every later entry up to it.

    ``entries`` are sorted by version. Cost: O(total size of the entries replayed).
    """
    state: dict[str, dict[str, dict[str, Any]]] = {table: {} for table in TABLES}
    start = max((i for i, entry in enumerate(entries) if entry.source == "baseline" and entry.version <= version),
                default=0)
    for entry in entries[start:]:
        if entry.version > version:
            break
        upserts, deletes = entry.changes()
        for table in TABLES:
            rows = state[table]
            for key in deletes[table]:
                rows.pop(key, None)
            for data in upserts[table]:
                record = from_store(table, data)
                rows[record.key] = data
    return Dataset.model_validate({table: [from_store(table, data) for data in rows.values()]
                                   for table, rows in state.items()})


def dataset_at(store: Store, version: int) -> Dataset:
    """The dataset exactly as it was at ``version`` (NotFound: a version the history does not hold).

    Exported, it gives the same bytes as an export made while ``version`` was current. Cost: O(total size of the
    changes up to ``version``).
    """
    entries = store.history(version)
    if not any(entry.version == version for entry in entries):
        raise NotFound("history.no_version", version=version)
    return replay(entries, version)


def version_on(entries: list[Entry], day: str) -> int:
    """The last version made on or before the end of ``day`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, UTC); 0 if none.

    >>> from ecograph.stores.history import Entry
    >>> made = [Entry(1, datetime(2024, 3, 1, tzinfo=UTC).timestamp(), "load", "cli", b""),
    ...         Entry(2, datetime(2025, 1, 9, tzinfo=UTC).timestamp(), "api", "t1", b"")]
    >>> version_on(made, "2024"), version_on(made, "2025-01-08"), version_on(made, "2023")
    (1, 1, 0)
    """
    last = end_of(day)
    return max((entry.version for entry in entries if entry.time < last), default=0)


def end_of(day: str) -> float:
    """The first second after the partial date ``day`` (UTC), as seconds since 1970."""
    parts = [int(part) for part in day.split("-")]
    if len(parts) == 1:
        following = date(parts[0] + 1, 1, 1)
    elif len(parts) == 2:
        following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
    else:
        following = date.fromordinal(date(*parts).toordinal() + 1)
    return datetime.combine(following, time(), UTC).timestamp()


def region_dataset(dataset: Dataset, region: str | None) -> Dataset:
    """A region's part of ``dataset`` as :meth:`Store.dataset` gives it from a store: its actors, every tie that touches
    them, the partners at the far end, their regions and the region's indicators (everything for None). Cost: O(n + m).
    """
    if region is None:
        return dataset
    if region not in {known.code for known in dataset.regions}:
        raise NotFound("store.no_region", code=region)
    homes = {actor.id: actor.region for actor in dataset.actors}
    ties = [tie for tie in dataset.collaborations if region in (homes[tie.source], homes[tie.target])]
    ends = {end for tie in ties for end in (tie.source, tie.target)}
    actors = [actor for actor in dataset.actors if actor.region == region or actor.id in ends]
    used = {region} | {actor.region for actor in actors if actor.region}
    return Dataset(regions=[known for known in dataset.regions if known.code in used],
                   indicators=[found for found in dataset.indicators if found.region == region],
                   actors=actors, collaborations=ties)


def region_graph(dataset: Dataset, region: str | None, version: int) -> nx.MultiDiGraph:
    """A region's graph in ``dataset`` as :meth:`Store.graph` makes it from a store: its actors, every tie that
    touches them and the partners at the far end (the whole country for None). Cost: O(n + m)."""
    part = region_dataset(dataset, region)
    graph = build_graph(part.actors, part.collaborations, region)
    graph.graph["version"] = version
    return graph
