"""The store interface that the embedded SQLite store and the Neo4j store both implement.

A store holds one dataset. Writes go through :meth:`Store.apply`, one transaction per call,
and every call that changes something increases :meth:`Store.version` by one, so the version
is a cache key for anything computed from the data.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import networkx as nx

from ecograph.graph import graph_from_fields
from ecograph.i18n import DEFAULT, Message, in_words
from ecograph.model import NATIONAL, TABLES, Actor, Collaboration, Dataset, Indicator, Record, Region, fold, shown
from ecograph.stores.history import Entry, Origin, encode

MEASURE_FIELDS = ("degree", "weighted_degree", "betweenness", "betweenness_se", "closeness", "pagerank", "core",
                  "community", "constraint", "effective_size")
"""The per-actor measures a store keeps next to the actors (see :meth:`Store.save_measures`)."""
# Inserts go parents first; deletes children first.
WRITE_ORDER = ("regions", "indicators", "actors", "collaborations")
Progress = Callable[[int], None]


def quoted(value: object) -> str:
    """A record's id or code as a message quotes it (control characters escaped, very long ones cut short)."""
    return shown(value, 200)


class StoreError(Exception):
    """A store problem a person can act on; the message says what to do.

    Raised with a message key of the ``store`` catalog and its values (``StoreError("store.no_actor",
    id="x")``): ``str(error)`` is the Spanish message, :meth:`text` says it in any language.
    """

    def __init__(self, key: str, /, **values: object) -> None:
        self.message = Message(key, **values)
        super().__init__(self.message.text())

    @property
    def key(self) -> str:
        return self.message.key

    @property
    def values(self) -> dict[str, object]:
        return self.message.values

    def text(self, lang: str = DEFAULT) -> str:
        """The message in ``lang``."""
        return self.message.text(lang)


class StoreUnavailable(StoreError):
    """The store cannot be reached (server down, wrong address or credentials)."""


class NotFound(StoreError):
    """The record asked for does not exist."""


class Conflict(StoreError):
    """The write refers to a record that does not exist, or would break one that does."""


class Listing:
    """Records named in a message: the first ``limit`` of them, then how many more."""

    def __init__(self, items: list[Message | str], limit: int = 10) -> None:
        self.items, self.limit = items, limit

    def text(self, lang: str = DEFAULT) -> str:
        more = len(self.items) - self.limit
        return ", ".join(str(in_words(item, lang)) for item in self.items[:self.limit]) + (
            f" (+{more})" if more > 0 else "")


class OutOfScope(StoreError):
    """A write limited to some regions (an editor's) would change records outside them; nothing was written.

    ``items`` are the refused records as messages, ``refused`` the same in Spanish.
    """

    def __init__(self, refused: list[Message | str]) -> None:
        self.items = list(refused)
        self.refused = [str(item) for item in self.items]
        super().__init__("store.out_of_scope", records=Listing(self.items))


MayWrite = Callable[[str | None], bool]
"""Whether a writer limited to some regions may write records of a region (None: national or international)."""


def refused_changes(changes: Changes, old_actors: dict[str, Actor], old_ties: dict[str, Collaboration],
                    homes_after: dict[str, str | None], may_write: MayWrite) -> list[Message]:
    """Every record of ``changes`` that a writer limited by ``may_write`` may not change.

    Both the old and the new state of a record must lie in writable regions: an actor's old and new
    region; a tie's old and new ends (a tie belongs to the regions of both its ends, so it may be
    written when either end is writable); an indicator's region. The regions table itself is never
    writable by a limited writer. ``old_actors`` and ``old_ties`` hold the stored state of the records
    concerned (and of every tie end), ``homes_after`` each concerned actor's region after the change.
    """
    refused: list[Message] = []
    if changes.upserts["regions"] or changes.deletes["regions"]:
        refused.append(Message("store.refused.regions"))
    for indicator in changes.upserts["indicators"]:
        if not may_write(None if indicator.region == NATIONAL else indicator.region):  # type: ignore[attr-defined]
            refused.append(Message("store.refused.indicator", indicator=indicator.key))
    for key in changes.deletes["indicators"]:
        region = key.split("|")[0]
        if not may_write(None if region == NATIONAL else region):
            refused.append(Message("store.refused.indicator", indicator=key))
    def where(region: str | None) -> str:
        return region or NATIONAL

    for actor in changes.upserts["actors"]:
        before = old_actors.get(actor.key)
        if not may_write(actor.region) or (before is not None and not may_write(before.region)):  # type: ignore[attr-defined]
            regions = dict.fromkeys([where(actor.region), *([where(before.region)] if before else [])])  # type: ignore[attr-defined]
            refused.append(Message("store.refused.actor", id=actor.key, regions=", ".join(regions)))
    refused += [Message("store.refused.actor", id=key, regions=where(old_actors[key].region))
                for key in changes.deletes["actors"] if key in old_actors and not may_write(old_actors[key].region)]
    old_homes = {key: actor.region for key, actor in old_actors.items()}

    def touches(tie: Collaboration, homes: dict[str, str | None]) -> bool:
        return any(may_write(homes.get(end)) for end in (tie.source, tie.target))

    for tie in changes.upserts["collaborations"]:
        before = old_ties.get(tie.key)
        if not touches(tie, homes_after) or (before is not None and not touches(before, old_homes)):  # type: ignore[arg-type]
            refused.append(Message("store.refused.collaboration", id=tie.key, source=tie.source,  # type: ignore[attr-defined]
                                   target=tie.target))  # type: ignore[attr-defined]
    refused += [Message("store.refused.collaboration", id=key, source=old_ties[key].source, target=old_ties[key].target)
                for key in changes.deletes["collaborations"]
                if key in old_ties and not touches(old_ties[key], old_homes)]
    return refused


def from_store(table: str, data: dict[str, object]) -> Record:
    """A record read back from a store, built without validating it again.

    Every record is validated before it is written, and validation is nine tenths of the cost of
    reading a large region (12 s for 7,000 actors and 26,000 ties), so reads trust the store. Values
    are brought to the model's types where a store keeps them otherwise (SQLite's 0/1 booleans);
    fields the store left out (Neo4j keeps no nulls) take their defaults.
    """
    fields = FIELDS[table]
    known = {name: value for name, value in data.items() if name in fields}
    if "illustrative" in known:
        known["illustrative"] = bool(known["illustrative"])
    return TABLES[table].model_construct(**known)


FIELDS = {table: frozenset(model.model_fields) for table, model in TABLES.items()}


def fields_from_store(table: str, data: dict[str, Any]) -> dict[str, Any]:
    """What ``from_store(table, data).model_dump()`` gives, without building the record: every field of the table's
    model in its order, ``data``'s value or else the field's default (a fresh one: a default list is not shared).

    >>> fields_from_store("regions", {"code": "06", "name": "Cajamarca", "degree": 4})["capital"] is None
    True
    """
    found = {name: (data[name] if name in data else info.get_default(call_default_factory=True))
             for name, info in TABLES[table].model_fields.items()}
    if "illustrative" in found:
        found["illustrative"] = bool(found["illustrative"])
    return {name: list(value) if isinstance(value, list) else value for name, value in found.items()}


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


def diff(stored: Callable[[str], Iterable[tuple[str, Any]]], form: Callable[[str, Record], Any], incoming: Dataset,
         replace: bool) -> tuple[Changes, LoadSummary]:
    """The changes that bring a store's records to ``incoming``.

    ``stored(table)`` yields each stored record of a table as its key and its stored form, in any order, and
    ``form(table, record)`` gives a record's stored form to compare it with (see :meth:`Store.stored_rows`).
    Records are added or updated; with ``replace``, records absent from ``incoming`` are removed too, so the store
    ends up equal to it. Without it, nothing is ever removed. Upserts keep ``incoming``'s order (by key).

    Cost: one pass over the stored records, streamed, and a dict of the incoming keys; memory O(incoming keys)
    beyond the two sides themselves.
    """
    changes, summary = Changes(), LoadSummary()
    for table in TABLES:
        rows = iter(stored(table))
        first = next(rows, None)
        if first is None:  # an empty table: everything is added, nothing to compare
            changes.upserts[table] = incoming.table(table)
            summary.added[table] = len(changes.upserts[table])
            continue
        new = {record.key: record for record in incoming.table(table)}
        gone, updated = [], 0
        for key, row in chain([first], rows):
            record = new.get(key)
            if record is None:
                gone.append(key)
            elif form(table, record) == row:
                del new[key]
                summary.unchanged[table] += 1
            else:
                updated += 1
        changes.upserts[table] = list(new.values())
        summary.updated[table], summary.added[table] = updated, len(new) - updated
        if replace:
            changes.deletes[table] = sorted(gone)
            summary.removed[table] = len(gone)
    return changes, summary


class Store(ABC):
    """Where a dataset lives. Subclasses implement the abstract primitives; the rest is shared."""

    url: str
    clock: Callable[[], float] = time.time
    """When a change is made, for its history entry (seconds since 1970); tests set it to build histories."""

    # -- primitives -------------------------------------------------------------------------
    @abstractmethod
    def version(self) -> int:
        """The dataset version: 0 for an empty store, +1 for every change committed."""

    @abstractmethod
    def apply(self, changes: Changes, progress: Progress | None = None, origin: Origin | None = None) -> int:
        """Write all of ``changes`` in one transaction (all or nothing), with their history entry (see
        :meth:`history_entries`; ``origin`` says where they come from, a command-line load by default); return the
        new version."""

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

    # -- the stored analysis (see ecograph.service) -----------------------------------------
    @abstractmethod
    def save_analysis(self, version: int, key: str, body: bytes) -> bool:
        """Keep a result computed from dataset ``version`` under ``key``, dropping results of older versions.

        Writes nothing and returns False when the data has changed since (the result is stale).
        """

    @abstractmethod
    def load_analysis(self, version: int, key: str) -> bytes | None:
        """The result kept under ``key`` for ``version``, or None."""

    @abstractmethod
    def analysis_keys(self, version: int) -> set[str]:
        """The keys of the results kept for ``version``."""

    @abstractmethod
    def save_measures(self, version: int, measures: dict[str, dict[str, float | int | None]]) -> bool:
        """Write each actor's measures (``MEASURE_FIELDS``) where a database user can query them: a table
        joined to ``actors`` by id in SQLite, node properties in Neo4j. False when ``version`` is stale."""

    @abstractmethod
    def claim_analysis(self, version: int, owner: str, stale_after: float) -> bool:
        """Take (or renew) the job of computing ``version``'s analysis for ``owner``.

        True when ``owner`` holds it: nobody held it, it was for an older version, it was ``owner``'s
        already, or its holder has not renewed it for ``stale_after`` seconds (a crashed process).
        """

    # -- history (see ecograph.stores.history) -------------------------------------------------
    @abstractmethod
    def history(self, upto: int | None = None) -> list[Entry]:
        """Every history entry (up to version ``upto``), sorted by version."""

    @abstractmethod
    def history_latest(self) -> int:
        """The version of the last history entry (0 if there is none)."""

    @abstractmethod
    def save_recommendations(self, version: int, body: bytes) -> bool:
        """Keep the recommendations published with ``version``'s analysis, for good (later versions do not drop
        them, unlike the stored analysis). False when ``version`` is no longer the current one."""

    @abstractmethod
    def recommendations(self) -> dict[int, bytes]:
        """The recommendations kept for each version (see :meth:`save_recommendations`)."""

    # -- what a load compares with (see diff) --------------------------------------------------
    def stored_rows(self, table: str) -> Iterable[tuple[str, Any]]:
        """Every record of ``table`` as its key and its stored form (:meth:`stored_form`), in any order.

        Here the records themselves, read whole; a store may yield something cheaper to read and compare (SQLite:
        its rows as tuples, about a tenth of the cost of building records).
        """
        read: dict[str, Callable[[], list[Any]]] = {"regions": self.regions, "indicators": self.indicators,
                                                    "actors": self.actors, "collaborations": self.collaborations}
        return ((record.key, record) for record in read[table]())

    def stored_form(self, table: str, record: Record) -> Any:
        """``record`` as :meth:`stored_rows` yields it, to compare the two (here the record itself)."""
        return record

    def history_entries(self, changes: Changes, origin: Origin | None, version: int, now: float) -> list[Entry]:
        """The entries a write making ``version`` adds, to be written in its transaction: :meth:`history_baseline`,
        then :meth:`history_entry`."""
        return [*self.history_baseline(version, now), self.history_entry(changes, origin, version, now)]

    def history_baseline(self, version: int, now: float) -> list[Entry]:
        """When the store holds data from before it kept history (a file made by an older ecograph), a baseline
        of the data as it is, as version ``version - 1``, read before the write; else nothing."""
        if version > 1 and self.history_latest() != version - 1:
            before = self.dataset()
            return [Entry(version - 1, now, "baseline", "", encode({table: before.table(table) for table in TABLES},
                                                                    {}))]
        return []

    @staticmethod
    def history_entry(changes: Changes, origin: Origin | None, version: int, now: float) -> Entry:
        """The entry of the write itself (``origin``: a command-line load by default). Reads only ``changes``, so it
        can be encoded in another thread while the write goes on."""
        origin = origin or Origin()
        return Entry(version, now, origin.source, origin.who, encode(changes.upserts, changes.deletes))

    # -- the survey (see docs/survey.md) ----------------------------------------------------
    @property
    @abstractmethod
    def survey(self) -> Any:
        """The survey's campaigns, rosters, answers and decisions kept in this store: an
        :class:`ecograph.survey.store.SurveyStore` (not named here, so the stores import no survey module
        at load time)."""

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
            raise NotFound("store.no_region", code=quoted(region))

    def graph(self, region: str | None = None) -> nx.MultiDiGraph:
        """A region's graph: its actors, every tie that touches them, and the partners at the far end.

        Partners from elsewhere keep their own ``region`` attribute, so analysis can tell local
        actors from outside ones. With ``region=None``, the whole country.
        """
        if region is not None:
            self._check_region(region)
        actors, ties = self.graph_fields(region)
        graph = graph_from_fields(actors, ties, region)
        graph.graph["version"] = self.version()
        return graph

    def graph_fields(self, region: str | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The records of :meth:`graph_records` as their fields (``model_dump()``); a store may read them
        straight from its rows."""
        actors, ties = self.graph_records(region)
        return [actor.model_dump() for actor in actors], [tie.model_dump() for tie in ties]

    def search_actors(self, text: str, **filters: str | None) -> list[Actor]:
        """Actors whose name or acronym contains ``text``, ignoring case and accents."""
        needle = fold(text)
        return [a for a in self.actors(**filters) if needle in fold(a.name) or needle in fold(a.acronym or "")]

    def actor(self, actor_id: str) -> Actor:
        found = self.actors(ids=[actor_id])
        if not found:
            raise NotFound("store.no_actor", id=quoted(actor_id))
        return found[0]

    def load(self, dataset: Dataset, replace: bool = False, progress: Progress | None = None,
             may_write: MayWrite | None = None, dry_run: bool = False, origin: Origin | None = None) -> LoadSummary:
        """Bring the store up to ``dataset`` in one transaction: add and update, and with ``replace``
        also remove what ``dataset`` lacks. Loading the same data twice changes nothing.

        This is the one load path of the CLI, the API and the web import: diff, scope check (OutOfScope
        when ``may_write`` refuses a change, see :func:`refused_changes`), then apply, unless ``dry_run``.
        ``origin`` is kept in the history (a command-line load by default).
        """
        changes, summary = diff(self.stored_rows, self.stored_form, dataset, replace)
        if may_write is not None:
            self._check_scope(changes, may_write)
        summary.version = self.apply(changes, progress, origin) if len(changes) and not dry_run else self.version()
        return summary

    def write(self, changes: Changes, may_write: MayWrite | None = None, origin: Origin | None = None) -> int:
        """Apply a few changes (one transaction), refused with OutOfScope when ``may_write`` refuses one; ``origin``
        is kept in the history."""
        if may_write is not None:
            self._check_scope(changes, may_write)
        return self.apply(changes, origin=origin)

    def _check_scope(self, changes: Changes, may_write: MayWrite) -> None:
        """OutOfScope when ``may_write`` refuses a record of ``changes`` (see :func:`refused_changes`), reading the
        stored state of the records concerned and of every tie end."""
        tie_keys = {*(tie.key for tie in changes.upserts["collaborations"]), *changes.deletes["collaborations"]}
        old_ties = {tie.id: tie for tie in self.collaborations(ids=sorted(tie_keys))} if tie_keys else {}
        ends = {end for tie in [*changes.upserts["collaborations"], *old_ties.values()]
                for end in (tie.source, tie.target)}  # type: ignore[attr-defined]
        actor_keys = ends | {actor.key for actor in changes.upserts["actors"]} | set(changes.deletes["actors"])
        old_actors = {actor.id: actor for actor in self.actors(ids=sorted(actor_keys))} if actor_keys else {}
        homes_after = {key: actor.region for key, actor in old_actors.items()}
        homes_after |= {actor.id: actor.region for actor in changes.upserts["actors"]}  # type: ignore[attr-defined]
        refused = refused_changes(changes, old_actors, old_ties, homes_after, may_write)
        if refused:
            raise OutOfScope(refused)

    def upsert_actor(self, actor: Actor, may_write: MayWrite | None = None, origin: Origin | None = None) -> int:
        if actor.region is not None and actor.region not in {r.code for r in self.regions()}:
            raise Conflict("store.actor_region_missing", code=quoted(actor.region))
        return self.write(Changes(upserts={**Changes().upserts, "actors": [actor]}), may_write, origin)

    def delete_actor(self, actor_id: str, may_write: MayWrite | None = None, origin: Origin | None = None) -> int:
        """Delete an actor and all of its ties."""
        self.actor(actor_id)
        ties = [tie.id for tie in self.collaborations(actor=actor_id)]
        return self.write(Changes(deletes={**Changes().deletes, "actors": [actor_id], "collaborations": ties}),
                          may_write, origin)

    def upsert_collaboration(self, tie: Collaboration, may_write: MayWrite | None = None,
                             origin: Origin | None = None) -> int:
        found = {a.id for a in self.actors(ids=[tie.source, tie.target])}
        missing = [end for end in (tie.source, tie.target) if end not in found]
        if missing:
            raise Conflict("store.tie_actor_missing", id=quoted(missing[0]))
        return self.write(Changes(upserts={**Changes().upserts, "collaborations": [tie]}), may_write, origin)

    def delete_collaboration(self, tie_id: str, may_write: MayWrite | None = None, origin: Origin | None = None) -> int:
        if not self.collaborations(ids=[tie_id]):
            raise NotFound("store.no_collaboration", id=quoted(tie_id))
        return self.write(Changes(deletes={**Changes().deletes, "collaborations": [tie_id]}), may_write, origin)
