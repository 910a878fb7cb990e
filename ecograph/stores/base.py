"""The store interface that the embedded SQLite store and the Neo4j store both implement.

A store holds one dataset. Writes go through :meth:`Store.apply`, one transaction per call,
and every call that changes something increases :meth:`Store.version` by one, so the version
is a cache key for anything computed from the data.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx

from ecograph.graph import build_graph
from ecograph.model import TABLES, Actor, Collaboration, Dataset, Indicator, Record, Region, fold

# Inserts go parents first; deletes children first.
WRITE_ORDER = ("regions", "indicators", "actors", "collaborations")
Progress = Callable[[int], None]


class StoreError(Exception):
    """A store problem a person can act on; the message says what to do."""


class StoreUnavailable(StoreError):
    """The store cannot be reached (server down, wrong address or credentials)."""


class NotFound(StoreError):
    """The record asked for does not exist."""


class Conflict(StoreError):
    """The write refers to a record that does not exist, or would break one that does."""


@dataclass
class Changes:
    """Records to write (insert or replace) and keys to delete, per table."""

    upserts: dict[str, list[Record]] = field(default_factory=lambda: {t: [] for t in TABLES})
    deletes: dict[str, list[str]] = field(default_factory=lambda: {t: [] for t in TABLES})

    def __len__(self) -> int:
        return sum(map(len, self.upserts.values())) + sum(map(len, self.deletes.values()))


@dataclass
class LoadSummary:
    """What a load did, per table: added, updated, removed and unchanged record counts."""

    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    removed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    version: int = 0

    @property
    def changed(self) -> bool:
        return any(sum(counts.values()) for counts in (self.added, self.updated, self.removed))


def diff(current: Dataset, incoming: Dataset, replace: bool) -> tuple[Changes, LoadSummary]:
    """The changes that bring ``current`` to ``incoming``.

    Records are added or updated; with ``replace``, records absent from ``incoming`` are removed
    too, so the store ends up equal to it. Without it, nothing is ever removed.
    """
    changes, summary = Changes(), LoadSummary()
    for table in TABLES:
        old = {record.key: record for record in current.table(table)}
        new = {record.key: record for record in incoming.table(table)}
        for key, record in new.items():
            if key not in old:
                summary.added[table] += 1
                changes.upserts[table].append(record)
            elif old[key] != record:
                summary.updated[table] += 1
                changes.upserts[table].append(record)
            else:
                summary.unchanged[table] += 1
        if replace:
            gone = sorted(set(old) - set(new))
            summary.removed[table] = len(gone)
            changes.deletes[table] = gone
    return changes, summary


class Store(ABC):
    """Where a dataset lives. Subclasses implement the abstract primitives; the rest is shared."""

    url: str

    # -- primitives -------------------------------------------------------------------------
    @abstractmethod
    def version(self) -> int:
        """The dataset version: 0 for an empty store, +1 for every change committed."""

    @abstractmethod
    def apply(self, changes: Changes, progress: Progress | None = None) -> int:
        """Write all of ``changes`` in one transaction (all or nothing); return the new version."""

    @abstractmethod
    def regions(self) -> list[Region]: ...

    @abstractmethod
    def indicators(self, region: str | None = None) -> list[Indicator]: ...

    @abstractmethod
    def actors(self, region: str | None = None, sector: str | None = None, type: str | None = None,
               capability: str | None = None, target_group: str | None = None,
               ids: list[str] | None = None) -> list[Actor]:
        """Actors matching every filter given, sorted by id."""

    @abstractmethod
    def collaborations(self, actor: str | None = None, region: str | None = None,
                       ids: list[str] | None = None) -> list[Collaboration]:
        """Ties matching every filter given (of one actor, touching a region's actors, with these ids),
        sorted by id."""

    @abstractmethod
    def graph_records(self, region: str | None) -> tuple[list[Actor], list[Collaboration]]:
        """The actors and ties of :meth:`graph`, in one or two queries."""

    @abstractmethod
    def close(self) -> None: ...

    # -- shared behaviour -------------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def dataset(self, region: str | None = None) -> Dataset:
        """Everything, or one region's part: its actors, their ties and partners, and their regions."""
        if region is None:
            return Dataset(regions=self.regions(), indicators=self.indicators(), actors=self.actors(),
                           collaborations=self.collaborations())
        self._check_region(region)
        actors, ties = self.graph_records(region)
        homes = {region} | {actor.region for actor in actors if actor.region}
        return Dataset(regions=[r for r in self.regions() if r.code in homes], indicators=self.indicators(region),
                       actors=actors, collaborations=ties)

    def _check_region(self, region: str) -> None:
        if region not in {r.code for r in self.regions()}:
            raise NotFound(f"no region {region!r}; see `ecograph stats` for the codes")

    def graph(self, region: str | None = None) -> nx.MultiDiGraph:
        """A region's graph: its actors, every tie that touches them, and the partners at the far end.

        Partners from elsewhere keep their own ``region`` attribute, so analysis can tell local
        actors from outside ones. With ``region=None``, the whole country.
        """
        if region is not None:
            self._check_region(region)
        actors, ties = self.graph_records(region)
        graph = build_graph(actors, ties, region)
        graph.graph["version"] = self.version()
        return graph

    def search_actors(self, text: str, **filters: str | None) -> list[Actor]:
        """Actors whose name or acronym contains ``text``, ignoring case and accents."""
        needle = fold(text)
        return [a for a in self.actors(**filters) if needle in fold(a.name) or needle in fold(a.acronym or "")]

    def actor(self, actor_id: str) -> Actor:
        found = self.actors(ids=[actor_id])
        if not found:
            raise NotFound(f"no actor {actor_id!r}")
        return found[0]

    def load(self, dataset: Dataset, replace: bool = False, progress: Progress | None = None) -> LoadSummary:
        """Bring the store up to ``dataset`` in one transaction: add and update, and with ``replace``
        also remove what ``dataset`` lacks. Loading the same data twice changes nothing."""
        current = self.dataset()
        changes, summary = diff(current, dataset, replace)
        summary.version = self.apply(changes, progress) if len(changes) else self.version()
        return summary

    def upsert_actor(self, actor: Actor) -> int:
        if actor.region is not None and actor.region not in {r.code for r in self.regions()}:
            raise Conflict(f"no region {actor.region!r}; create the region first or correct the code")
        return self.apply(Changes(upserts={**Changes().upserts, "actors": [actor]}))

    def delete_actor(self, actor_id: str) -> int:
        """Delete an actor and all of its ties."""
        self.actor(actor_id)
        ties = [tie.id for tie in self.collaborations(actor=actor_id)]
        return self.apply(Changes(deletes={**Changes().deletes, "actors": [actor_id], "collaborations": ties}))

    def upsert_collaboration(self, tie: Collaboration) -> int:
        found = {a.id for a in self.actors(ids=[tie.source, tie.target])}
        missing = [end for end in (tie.source, tie.target) if end not in found]
        if missing:
            raise Conflict(f"no actor {missing[0]!r}; create it first or correct the id")
        return self.apply(Changes(upserts={**Changes().upserts, "collaborations": [tie]}))

    def delete_collaboration(self, tie_id: str) -> int:
        if not self.collaborations(ids=[tie_id]):
            raise NotFound(f"no collaboration {tie_id!r}")
        return self.apply(Changes(deletes={**Changes().deletes, "collaborations": [tie_id]}))
