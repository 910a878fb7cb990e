"""The server store: a Neo4j 5 database through the official Python driver.

The graph model::

    (:Region {code, name, capital, population, latitude, longitude, source, since})
    (:Indicator {id, region, indicator, period, area, value, unit, source, since})-[:OF]->(:Region)
    (:Actor {id, name, acronym, sector, type, region, scope, capabilities, target_groups, website,
             description, source, illustrative, since})-[:LOCATED_IN]->(:Region)
    (:Actor)-[:COLLABORATES_WITH {id, type, weight, start, end, status, program, evidence,
                                  illustrative, since}]->(:Actor)
    (:Meta {key: 'version', value}), (:Meta {key: 'staged'}) while a bulk write is not tidied
    (:History {version, time, source, who, body})      one per dataset version (ecograph.stores.history)
    (:Recommendations {version, body})                 each analysed version's recommendations

Lists are list properties; empty (None) fields are not stored at all and read back as None.
Ties keep the direction given in the data. Country-wide indicators (region ``PE``) have no
``OF`` relationship, as there is no region node for them. Every region, indicator, actor and tie
carries ``since``, the dataset version that wrote it (absent on records written before ecograph kept it).

Writes. Every :meth:`Neo4jStore.apply` first bumps the version in a transaction ("the version
transaction") that stays open until the end: its MERGE locks the Meta node, so writers queue up like
SQLite's, and readers keep seeing the last committed version until it commits. The reference checks
SQLite's foreign keys make (ties need both actors, an actor's region must exist, a deleted actor must
have no ties left, a deleted region no actors) are done in Cypher; anything failing rolls it all back.

- A small change (at most :attr:`Neo4jStore.bulk_above` records) is written inside the version
  transaction itself, in place, with batched ``UNWIND $rows`` statements.
- A large one takes the bulk path: records are written as new copies (``CREATE``) in transactions of
  :data:`BATCH` rows each, carrying ``since`` = the new version; the copy they replace, and each record
  deleted, gets ``until`` = the new version; a replaced actor's ties are copied onto its new copy. Readers
  only see records with ``since <= v < until`` for the committed version ``v`` (absent ``since`` and
  ``until`` count as minus and plus infinity), so all of that stays invisible until the version
  transaction commits the new version with its history entry: the switch, one small transaction. A
  ``(:Meta {key: 'staged'})`` node, committed before the first batch, says a bulk write may have left
  records to tidy: after the switch the replaced copies are deleted and ``LOCATED_IN`` and ``OF`` are
  linked for the new ones, in batches. When the load fails, or the server or the client dies, the new
  version is never committed: its copies stay invisible, and the next write (under the Meta lock, before
  writing anything) deletes them and clears the ``until`` marks, or finishes the tidying of a switch that
  did commit.

Because of the copies, ids are kept unique by the writers (one writer at a time, under the Meta lock)
rather than by constraints; they are indexed. A read asks for the committed version first and runs
again when another version was committed meanwhile, so tidying behind a read never shows it half a
load. Labels, relationship types and property names are fixed in this module; every value is a parameter.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from typing import Any

from ecograph.i18n import DEFAULT, Texts
from ecograph.model import TABLES, Actor, Collaboration, Indicator, Record, Region
from ecograph.stores.base import (
    MEASURE_FIELDS,
    WRITE_ORDER,
    Changes,
    Conflict,
    Progress,
    Store,
    StoreError,
    StoreUnavailable,
    fields_from_store,
    from_store,
    quoted,
)
from ecograph.stores.history import Entry, Origin
from ecograph.stores.survey_neo4j import Neo4jSurvey

try:
    import neo4j
    from neo4j import GraphDatabase
    from neo4j.exceptions import (
        AuthError,
        ConstraintError,
        DriverError,
        IncompleteCommit,
        Neo4jError,
        ServiceUnavailable,
        SessionExpired,
    )
except ImportError as missing:  # pragma: no cover - the driver is a dependency
    raise StoreError("store.neo4j.no_driver") from missing

# The driver logs connection failures itself; without a handler Python prints them to stderr
# next to our one-line message. Applications that configure logging still get them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

MIN_VERSION = (5, 0)
BATCH = 5_000
"""Rows per ``UNWIND`` statement, and per transaction on the bulk path (bench/bench_neo4j_load.py)."""
BULK_ABOVE = 10_000
"""Changes above this many records take the bulk path. The one-transaction path took about 17 KB of server heap per
record (600,000 records needed a 10 GB heap): 10,000 records fit well in the default 1 GB."""
WRITERS = 2
"""Bulk batches written at once (see :meth:`Neo4jStore._create_copies`): on two cores, 100,000 actors' ties went in
1.3-1.6 times as fast with two as with one, and no faster with three."""
RETRY_S = 15.0
"""How long a bulk batch is retried on a transient error (a deadlock with another batch or with an analysis saving
measures)."""

SCHEMA = (
    "CREATE CONSTRAINT meta_key IF NOT EXISTS FOR (m:Meta) REQUIRE m.key IS UNIQUE",
    # Ids are unique among the records a reader sees, not among all nodes: a bulk write keeps the old copy
    # and the new one side by side until its switch (module docstring). Stores made before that had
    # uniqueness constraints on them, which are dropped.
    "DROP CONSTRAINT actor_id IF EXISTS",
    "DROP CONSTRAINT region_code IF EXISTS",
    "DROP CONSTRAINT indicator_id IF EXISTS",
    "DROP CONSTRAINT collaboration_id IF EXISTS",
    "DROP INDEX collaboration_id IF EXISTS",
    "CREATE INDEX actor_key IF NOT EXISTS FOR (a:Actor) ON (a.id)",
    "CREATE INDEX region_key IF NOT EXISTS FOR (r:Region) ON (r.code)",
    "CREATE INDEX indicator_key IF NOT EXISTS FOR (i:Indicator) ON (i.id)",
    "CREATE INDEX collaboration_key IF NOT EXISTS FOR ()-[r:COLLABORATES_WITH]-() ON (r.id)",
    "CREATE INDEX actor_until IF NOT EXISTS FOR (a:Actor) ON (a.until)",
    "CREATE INDEX region_until IF NOT EXISTS FOR (r:Region) ON (r.until)",
    "CREATE INDEX indicator_until IF NOT EXISTS FOR (i:Indicator) ON (i.until)",
    "CREATE INDEX collaboration_until IF NOT EXISTS FOR ()-[r:COLLABORATES_WITH]-() ON (r.until)",
    "CREATE INDEX actor_sector IF NOT EXISTS FOR (a:Actor) ON (a.sector)",
    "CREATE INDEX actor_region IF NOT EXISTS FOR (a:Actor) ON (a.region)",
    "CREATE INDEX indicator_region IF NOT EXISTS FOR (i:Indicator) ON (i.region)",
    "CREATE CONSTRAINT analysis_id IF NOT EXISTS FOR (n:Analysis) REQUIRE n.id IS UNIQUE",
    "CREATE INDEX analysis_version IF NOT EXISTS FOR (n:Analysis) ON (n.version)",
    # Without it two processes claiming at once could MERGE two job nodes.
    "CREATE CONSTRAINT analysis_job_key IF NOT EXISTS FOR (j:AnalysisJob) REQUIRE j.key IS UNIQUE",
    "CREATE CONSTRAINT history_version IF NOT EXISTS FOR (h:History) REQUIRE h.version IS UNIQUE",
    "CREATE CONSTRAINT recommendations_version IF NOT EXISTS FOR (r:Recommendations) REQUIRE r.version IS UNIQUE",
)


def _seen(var: str) -> str:
    """The condition for record ``var`` to be part of committed version ``$v`` (see the module docstring)."""
    return f"({var}.since IS NULL OR {var}.since <= $v) AND ({var}.until IS NULL OR {var}.until > $v)"


# -- writes (all take $rows or $keys; nothing else is ever put into the text) -------------------
# A record is found by its key with an index seek hint (USING INDEX SEEK): statistics taken while a table was small
# led the planner to scan the whole index once per key instead (removing 10,000 actors' ties took 120 s, not 1 s).
TIE_BY_KEY = "MATCH ()-[r:COLLABORATES_WITH {id: key}]->() USING INDEX SEEK r:COLLABORATES_WITH(id)"
BUMP = ("MERGE (m:Meta {key: 'version'}) ON CREATE SET m.value = 0 "
        "SET m.value = m.value + 1 RETURN m.value AS version")
LOCK = "MATCH (m:Meta {key: 'version'}) SET m.value = m.value RETURN m.value AS version"
# Looked up outside the version transaction: a write query's lookup in a unique index locks the entry, and
# the bulk path creates the node from another transaction.
UNTIDY = "OPTIONAL MATCH (s:Meta {key: 'staged'}) RETURN s IS NOT NULL AS untidy"
STAGED = "MERGE (:Meta {key: 'staged'})"
TIDIED = "MATCH (s:Meta {key: 'staged'}) DELETE s"

# The small path: in place, inside the version transaction.
DELETE_TIES = f"UNWIND $keys AS key {TIE_BY_KEY} DELETE r"
ACTORS_WITH_TIES = ("UNWIND $keys AS key MATCH (a:Actor {id: key})-[r:COLLABORATES_WITH]-(other:Actor) "
                    "USING INDEX SEEK a:Actor(id) "
                    "RETURN key, r.id AS tie LIMIT 1")
DELETE_ACTORS = "UNWIND $keys AS key MATCH (a:Actor {id: key}) USING INDEX SEEK a:Actor(id) DETACH DELETE a"
DELETE_INDICATORS = ("UNWIND $keys AS key MATCH (i:Indicator {id: key}) USING INDEX SEEK i:Indicator(id) "
                     "DETACH DELETE i")
REGIONS_WITH_ACTORS = ("UNWIND $keys AS key MATCH (r:Region {code: key})<-[:LOCATED_IN]-(a:Actor) "
                       "USING INDEX SEEK r:Region(code) "
                       "RETURN key, a.id AS actor LIMIT 1")
DELETE_REGIONS = "UNWIND $keys AS key MATCH (r:Region {code: key}) USING INDEX SEEK r:Region(code) DETACH DELETE r"

UPSERT_REGIONS = """
UNWIND $rows AS row
MERGE (r:Region {code: row.code})
SET r = row
WITH r
MATCH (i:Indicator {region: r.code})
MERGE (i)-[:OF]->(r)
"""
UPSERT_INDICATORS = """
UNWIND $rows AS row
MERGE (i:Indicator {id: row.id})
SET i = row
WITH i, row
MATCH (r:Region {code: row.region})
MERGE (i)-[:OF]->(r)
"""
MISSING_REGIONS = """
UNWIND $rows AS row
WITH row WHERE row.region IS NOT NULL AND NOT EXISTS { MATCH (r:Region {code: row.region}) WHERE r.until IS NULL }
RETURN row.id AS key, row.region AS missing LIMIT 1
"""
UPSERT_ACTORS = """
UNWIND $rows AS row
MERGE (a:Actor {id: row.id})
SET a = row
WITH a, row
OPTIONAL MATCH (a)-[old:LOCATED_IN]->(was:Region)
WHERE row.region IS NULL OR was.code <> row.region
DELETE old
WITH DISTINCT a, row
MATCH (home:Region {code: row.region})
MERGE (a)-[:LOCATED_IN]->(home)
"""
MISSING_ACTORS = """
UNWIND $rows AS row
OPTIONAL MATCH (s:Actor {id: row.source}) USING INDEX SEEK s:Actor(id) WHERE s.until IS NULL
OPTIONAL MATCH (t:Actor {id: row.target}) USING INDEX SEEK t:Actor(id) WHERE t.until IS NULL
WITH row, s, t WHERE s IS NULL OR t IS NULL
RETURN row.id AS key, CASE WHEN s IS NULL THEN row.source ELSE row.target END AS missing LIMIT 1
"""
UPSERT_TIES = """
UNWIND $rows AS row
OPTIONAL MATCH (s0:Actor)-[old:COLLABORATES_WITH {id: row.id}]->(t0:Actor) USING INDEX SEEK old:COLLABORATES_WITH(id)
WHERE s0.id <> row.source OR t0.id <> row.target
DELETE old
WITH DISTINCT row
MATCH (s:Actor {id: row.source}) USING INDEX SEEK s:Actor(id)
MATCH (t:Actor {id: row.target}) USING INDEX SEEK t:Actor(id)
MERGE (s)-[r:COLLABORATES_WITH {id: row.id}]->(t)
SET r = row.props
RETURN count(r) AS written
"""

# The bulk path: new copies, each statement in a transaction of its own. A record's committed copy is the one
# without ``until`` and with ``since`` below the new version $w (the tidying before the write leaves no other).
COMMITTED = "{var}.until IS NULL AND ({var}.since IS NULL OR {var}.since < $w)"
NODE_KEYS = {"regions": ("Region", "code"), "indicators": ("Indicator", "id"), "actors": ("Actor", "id")}
# Marks the committed copy of each key (a record deleted, or replaced by a new copy) as gone in $w.
BULK_MARK = {table: f"UNWIND $keys AS key MATCH (n:{label} {{{key}: key}}) USING INDEX SEEK n:{label}({key}) WHERE "
             + COMMITTED.format(var="n") + " SET n.until = $w" for table, (label, key) in NODE_KEYS.items()}
BULK_MARK["collaborations"] = (f"UNWIND $keys AS key {TIE_BY_KEY} WHERE "
                               + COMMITTED.format(var="r") + " SET r.until = $w")
HELD = {"regions": "MATCH (n:Region) RETURN count(n) AS n", "indicators": "MATCH (n:Indicator) RETURN count(n) AS n",
        "actors": "MATCH (n:Actor) RETURN count(n) AS n",
        "collaborations": "MATCH ()-[r:COLLABORATES_WITH]->() RETURN count(r) AS n"}
# The index hints: with every actor marked, the planner otherwise starts from the until index and compares
# each marked actor with each key.
BULK_ACTORS_WITH_TIES = ("UNWIND $keys AS key MATCH (a:Actor {id: key})-[r:COLLABORATES_WITH]-() "
                         "USING INDEX SEEK a:Actor(id) WHERE a.until = $w AND r.until IS NULL "
                         "RETURN key, r.id AS tie LIMIT 1")
BULK_REGIONS_WITH_ACTORS = ("UNWIND $keys AS key MATCH (a:Actor {region: key}) USING INDEX SEEK a:Actor(region) "
                            "WHERE a.until IS NULL "
                            "RETURN key, a.id AS actor LIMIT 1")
# Bulk rows go as one list per field (see _columns); the field names come from the model.
STORED = {table: tuple(model.model_fields) for table, model in TABLES.items()}
STORED["indicators"] = ("id", *STORED["indicators"])
STORED["collaborations"] = tuple(name for name in STORED["collaborations"] if name not in ("source", "target"))


def _as_map(table: str) -> str:
    """Row ``i`` of the field lists ``$c`` as a Cypher map (a null field is then not stored), with ``since``."""
    return "{" + ", ".join(f"{name}: $c.{name}[i]" for name in STORED[table]) + ", since: $w}"


BULK_CREATE_NODES = {table: f"""
UNWIND range(0, size($c.{key}) - 1) AS i
CREATE (n:{label}) SET n = {_as_map(table)}
RETURN collect(elementId(n)) AS created
""" for table, (label, key) in NODE_KEYS.items()}
# A tie's ends by their element ids (see Neo4jStore._ends): a direct look-up, where by id it is an index seek.
BULK_CREATE_TIES = f"""
UNWIND range(0, size($c.id) - 1) AS i
MATCH (s) WHERE elementId(s) = $source[i]
MATCH (t) WHERE elementId(t) = $target[i]
CREATE (s)-[r:COLLABORATES_WITH]->(t) SET r = {_as_map("collaborations")}
RETURN count(r) AS written
"""
ELEMENT_IDS = ("UNWIND $keys AS key MATCH (a:Actor {id: key}) USING INDEX SEEK a:Actor(id) WHERE a.until IS NULL "
               "RETURN key, elementId(a) AS element")
MISSING_HOMES = """
UNWIND $codes AS code
WITH code WHERE NOT EXISTS { MATCH (r:Region {code: code}) WHERE r.until IS NULL }
RETURN code LIMIT 1
"""
# A replaced actor's ties that this write leaves as they are: copied between the new copies of their ends.
BULK_MOVE_TIES = f"""
UNWIND $keys AS key
MATCH (old:Actor {{id: key}})-[r:COLLABORATES_WITH]-() USING INDEX SEEK old:Actor(id)
WHERE old.until = $w AND {COMMITTED.format(var="r")}
WITH DISTINCT r
WITH r, startNode(r).id AS source, endNode(r).id AS target
MATCH (s:Actor {{id: source}}) USING INDEX SEEK s:Actor(id) WHERE s.until IS NULL
MATCH (t:Actor {{id: target}}) USING INDEX SEEK t:Actor(id) WHERE t.until IS NULL
CREATE (s)-[copy:COLLABORATES_WITH]->(t) SET copy = properties(r), copy.since = $w
SET r.until = $w
"""
# Tidying, for committed version $v (each statement commits every BATCH rows). ABANDONED: the copies and marks of a
# write that never committed. TIDY: the copies a committed write replaced, the links of its new ones. Written with
# the subquery's scope clause, ``CALL (n) { ... }`` (Neo4j 5.23+, where the older ``CALL { WITH n ... }`` is
# deprecated); older servers get the older form (:func:`for_server`).
ABANDONED = (
    *(f"MATCH ()-[r:COLLABORATES_WITH]->() WHERE r.{prop} > $v CALL (r) {{ {what} }} IN TRANSACTIONS OF "
      f"{BATCH} ROWS" for prop, what in (("since", "DELETE r"), ("until", "REMOVE r.until"))),
    *(f"MATCH (n:{label}) WHERE n.{prop} > $v CALL (n) {{ {what} }} IN TRANSACTIONS OF {BATCH} ROWS"
      for label in ("Actor", "Indicator", "Region")
      for prop, what in (("since", "DETACH DELETE n"), ("until", "REMOVE n.until"))),
)
TIDY = (
    f"MATCH ()-[r:COLLABORATES_WITH]->() WHERE r.until <= $v CALL (r) {{ DELETE r }} "
    f"IN TRANSACTIONS OF {BATCH} ROWS",
    *(f"MATCH (n:{label}) WHERE n.until <= $v CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF {BATCH} ROWS"
      for label in ("Actor", "Indicator", "Region")),
    f"""MATCH (a:Actor) WHERE a.region IS NOT NULL AND NOT EXISTS {{ MATCH (a)-[:LOCATED_IN]->() }}
CALL (a) {{ MATCH (r:Region {{code: a.region}}) CREATE (a)-[:LOCATED_IN]->(r) }} IN TRANSACTIONS OF {BATCH} ROWS""",
    f"""MATCH (i:Indicator) WHERE NOT EXISTS {{ MATCH (i)-[:OF]->() }}
CALL (i) {{ MATCH (r:Region {{code: i.region}}) CREATE (i)-[:OF]->(r) }} IN TRANSACTIONS OF {BATCH} ROWS""",
    TIDIED,
)

# -- history (one node per version, written in the version's own transaction) ------------------------
SAVE_HISTORY = "UNWIND $rows AS row CREATE (h:History) SET h = row"
SAVE_RECOMMENDATIONS = """
MATCH (m:Meta {key: 'version'}) WHERE m.value = $version
MERGE (r:Recommendations {version: $version})
SET r.body = $body
RETURN count(r) AS written
"""

# -- the stored analysis (each statement runs only while the dataset is still at $version) ----------
CURRENT = "MATCH (m:Meta {key: 'version'}) WHERE m.value = $version "
SAVE_ANALYSIS = CURRENT + """
OPTIONAL MATCH (old:Analysis) WHERE old.version < $version
DETACH DELETE old
WITH DISTINCT m
MERGE (n:Analysis {id: $id})
SET n.version = $version, n.key = $key, n.body = $body
RETURN count(n) AS written
"""
SAVE_MEASURES = CURRENT + f"""
UNWIND $rows AS row
MATCH (a:Actor {{id: row.id}}) USING INDEX SEEK a:Actor(id) WHERE {_seen("a")}
SET a += row.measures, a.analysis_version = $version
RETURN count(a) AS written
"""
CLAIM = """
MERGE (job:AnalysisJob {key: 'current'})
ON CREATE SET job.version = -1, job.owner = '', job.renewed = 0.0
WITH job, job.version < $version OR job.owner = $owner OR $now - job.renewed > $stale_after AS free
FOREACH (_ IN CASE WHEN free THEN [1] ELSE [] END |
    SET job.version = $version, job.owner = $owner, job.renewed = $now)
RETURN free
"""

# -- reads ------------------------------------------------------------------------------------
TIE_FIELDS = "{props: properties(r), source: startNode(r).id, target: endNode(r).id}"
REGION_GRAPH = f"""
MATCH (a:Actor {{region: $region}}) WHERE {_seen("a")}
OPTIONAL MATCH (a)-[r:COLLABORATES_WITH]-(b:Actor) WHERE {_seen("r")}
WITH collect(DISTINCT a) + collect(DISTINCT b) AS people, collect(DISTINCT r) AS ties
RETURN [n IN people | properties(n)] AS actors, [r IN ties | {TIE_FIELDS}] AS ties
"""


SCOPE_CLAUSE_SINCE = (5, 23)


def for_server(statement: str, version: tuple[int, ...]) -> str:
    """``statement`` in the form a Neo4j server of ``version`` takes: before 5.23, a ``CALL`` subquery imports its
    variable with ``WITH`` rather than a scope clause.

    >>> for_server("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS", (5, 20))
    'MATCH (n) CALL { WITH n DELETE n } IN TRANSACTIONS'
    >>> for_server("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS", (5, 26, 0))
    'MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS'
    """
    if version >= SCOPE_CLAUSE_SINCE:
        return statement
    return re.sub(r"CALL \((\w+)\) \{ ", r"CALL { WITH \1 ", statement)


def parse_version(versions: list[str] | str) -> tuple[int, ...]:
    """The leading numbers of the version ``CALL dbms.components()`` reports.

    >>> parse_version(["5.26.30"]), parse_version("4.4.12-enterprise"), parse_version(["2025.01.0"])
    ((5, 26, 30), (4, 4, 12), (2025, 1, 0))
    """
    text = versions[0] if isinstance(versions, list | tuple) else versions
    match = re.match(r"\s*(\d+(?:\.\d+)*)", str(text or ""))
    if not match:
        raise StoreError("store.neo4j.unreadable_version", text=quoted(text))
    return tuple(int(part) for part in match.group(1).split("."))


def check_version(versions: list[str] | str, uri: str) -> tuple[int, ...]:
    """Refuse servers older than Neo4j 5 with a message that says so."""
    found = parse_version(versions)
    if found[:2] < MIN_VERSION:
        raise StoreError("store.neo4j.too_old", uri=uri, version=".".join(map(str, found)))
    return found


def _props(record: Record, version: int) -> dict[str, Any]:
    """A record as the properties of the node written by ``version``: no None values (Neo4j does not store nulls).

    The record's field dict is read directly: pydantic's ``model_dump`` made the same dict six times slower
    (7.9 s for 492,664 ties).
    """
    data = {name: value for name, value in record.__dict__.items() if value is not None}
    if isinstance(record, Indicator):
        data["id"] = record.id
    data["since"] = version
    return data


def _columns(table: str, records: list[Record]) -> dict[str, list[Any]]:
    """Records as one list per stored field: packing lists of values for the driver takes a third of the time of
    packing one map per record (the field names are not repeated)."""
    return {name: [getattr(record, name) for record in records] for name in STORED[table]}


def _tie_row(tie: Collaboration, version: int) -> dict[str, Any]:
    props = _props(tie, version)
    return {"id": tie.id, "source": props.pop("source"), "target": props.pop("target"), "props": props}


def _record(table: str, props: dict[str, Any]) -> Record:
    """A record from a node's properties (what the analysis writes next to them, its measures, is left out)."""
    return from_store(table, props)


def _tie(row: dict[str, Any]) -> Collaboration:
    tie = {**row["props"], "source": row["source"], "target": row["target"]}
    return from_store("collaborations", tie)  # type: ignore[return-value]


class Neo4jStore(Store):
    """A dataset in a Neo4j 5 database (``neo4j://``, ``bolt://``, ``neo4j+s://`` ...)."""

    bulk_above: int = BULK_ABOVE
    """Changes above this many records take the bulk path (tests lower it to run the bulk path on small data)."""

    def __init__(self, uri: str, user: str = "neo4j", password: str = "", database: str = "neo4j") -> None:
        self.url = uri
        self._survey: Neo4jSurvey | None = None
        self.user = user
        self.database = database or "neo4j"
        try:
            self.driver = GraphDatabase.driver(uri, auth=(user, password), connection_timeout=10,
                                               notifications_min_severity="OFF")
        except (ValueError, DriverError) as error:
            raise StoreUnavailable("store.neo4j.bad_address", uri=quoted(uri), reason=_first_line(error)) from None
        try:
            rows = self._run("CALL dbms.components() YIELD name, versions RETURN name, versions")
            kernel = next((row for row in rows if row["name"] == "Neo4j Kernel"), rows[0] if rows else None)
            self.server_version = check_version(kernel["versions"] if kernel else "", uri)
            self._create_schema()
        except ValueError as error:  # the driver resolves the address only now
            self.driver.close()
            raise StoreUnavailable("store.neo4j.bad_address", uri=quoted(uri), reason=_first_line(error)) from None
        except BaseException:
            self.driver.close()
            raise

    # -- connection and errors ------------------------------------------------------------------
    def _explain(self, error: Exception, doing: str = "") -> StoreError:
        """A one-line error a person can act on, naming the server and the fix; ``doing`` is the key of a
        message added at its end (what became of the change)."""
        where = {"uri": self.url, "then": _Then(doing)}
        if isinstance(error, AuthError):
            return StoreUnavailable("store.neo4j.auth", user=quoted(self.user), **where)
        if isinstance(error, Neo4jError) and error.code == "Neo.ClientError.Database.DatabaseNotFound":
            return StoreUnavailable("store.neo4j.no_database", database=quoted(self.database), **where)
        if isinstance(error, Neo4jError) and error.code == "Neo.ClientError.Database.DatabaseUnavailable":
            return StoreUnavailable("store.neo4j.database_unavailable", database=quoted(self.database), **where)
        if isinstance(error, ServiceUnavailable | SessionExpired):
            return StoreUnavailable("store.neo4j.unreachable", reason=_first_line(error), **where)
        if isinstance(error, Neo4jError) and "MemoryPoolOutOfMemoryError" in (error.code or ""):
            return StoreError("store.neo4j.out_of_memory", reason=_first_line(error), **where)
        if isinstance(error, ConstraintError):
            return Conflict("store.neo4j.not_unique", reason=_first_line(error), then=_Then(doing))
        if isinstance(error, Neo4jError):
            return StoreError("store.neo4j.refused", code=error.code, reason=_first_line(error), **where)
        return StoreError("store.neo4j.failed", reason=_first_line(error), **where)

    @contextmanager
    def _errors(self, doing: str = "") -> Iterator[None]:
        try:
            yield
        except (Neo4jError, DriverError) as error:
            raise self._explain(error, doing) from None

    def _run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """One auto-commit read (or schema) query; its rows as dicts."""
        with self._errors(), self.driver.session(database=self.database) as session:
            return session.run(query, params).data()

    def _create_schema(self) -> None:
        for statement in SCHEMA:
            self._run(statement)

    def close(self) -> None:
        self.driver.close()

    @property
    def survey(self) -> Neo4jSurvey:
        """The survey's records, as nodes of the same database (see :mod:`ecograph.stores.survey_neo4j`)."""
        if self._survey is None:
            self._survey = Neo4jSurvey(self)
        return self._survey

    # -- writes ---------------------------------------------------------------------------------
    def version(self) -> int:
        rows = self._run("OPTIONAL MATCH (m:Meta {key: 'version'}) RETURN coalesce(m.value, 0) AS version")
        return int(rows[0]["version"])

    def apply(self, changes: Changes, progress: Progress | None = None, origin: Origin | None = None) -> int:
        """Write ``changes`` all or nothing (see the module docstring: small ones in one transaction, large ones in
        transactions of :data:`BATCH` rows switched in by one small one); return the new version.

        Cost: small path O(changes) in one transaction. Bulk path: the same rows in transactions of BATCH rows,
        plus the ties of each replaced actor, plus a scan of the actors and indicators to link them to their
        regions; server heap O(WRITERS * BATCH). bench/bench_neo4j_load.py: 100,000 actors (492,664 ties) into an
        empty store in 15.2 s (32,000 ties/s) with the default heap on two cores, once the server's JIT has warmed
        up (26 s on a server just started); the server's Cypher writes are the limit.
        """
        bulk = len(changes) > self.bulk_above
        with self._errors("store.nothing_written"), self.driver.session(database=self.database) as session:
            tx = session.begin_transaction()
            try:
                # The version first: its MERGE locks the Meta node, so writers queue up like SQLite's.
                version = int(tx.run(BUMP).single(strict=True)["version"])
                if self._run(UNTIDY)[0]["untidy"]:
                    self._tidy(version - 1, abandoned=True)
                entries = self.history_entries(changes, origin, version, self.clock())
                if bulk:
                    self._run(STAGED)
                    try:
                        self._stage(changes, version, progress)
                    except (Conflict, Neo4jError):
                        with suppress(StoreError):  # else the next write tidies
                            self._tidy(version - 1, abandoned=True)
                        raise
                else:
                    self._deletes(tx, changes, progress)
                    self._upserts(tx, changes, version, progress)
                tx.run(SAVE_HISTORY, rows=[{"version": e.version, "time": e.time, "source": e.source, "who": e.who,
                                            "body": e.body} for e in entries]).consume()
                tx.commit()
            except IncompleteCommit as error:
                raise StoreUnavailable("store.neo4j.lost_commit", uri=self.url, reason=_first_line(error)) from None
            finally:
                if not tx.closed():  # the connection may be gone: the server then rolls back on its own
                    with suppress(Neo4jError, DriverError):
                        tx.rollback()
        if bulk:
            # The new version is committed whatever happens here; what is left untidy the next write tidies.
            with suppress(StoreError):
                self._locked_tidy()
        return version

    def _locked_tidy(self) -> None:
        """Tidy after a bulk switch, holding the Meta lock (as writers do) so no write starts meanwhile."""
        with self._errors(), self.driver.session(database=self.database) as session, \
                session.begin_transaction() as tx:
            version = int(tx.run(LOCK).single(strict=True)["version"])
            self._tidy(version, abandoned=False)
            tx.rollback()

    def _tidy(self, version: int, abandoned: bool) -> None:
        """Bring the records to committed ``version`` alone, dropping first (``abandoned``) what a write that
        never committed left; the caller holds the Meta lock. Cost: index lookups of the records marked, plus
        (``abandoned``) scans of every label and of the ties, and a scan of the actors and indicators."""
        for statement in (*ABANDONED, *TIDY) if abandoned else TIDY:
            self._run(for_server(statement, self.server_version), v=version)

    def _stage(self, changes: Changes, version: int, progress: Progress | None) -> None:
        """The bulk path: every change as new copies and ``until`` marks, invisible until ``version`` commits."""
        with self.driver.session(database=self.database, max_transaction_retry_time=RETRY_S) as session:
            def run(query: str, **params: Any) -> list[dict[str, Any]]:
                return session.execute_write(lambda tx: tx.run(query, params, w=version).data())

            # An empty table (a first load) has no committed copies to mark, nor ties to move.
            held = {table: session.run(HELD[table]).single(strict=True)["n"] > 0 for table in WRITE_ORDER}
            for table in reversed(WRITE_ORDER):
                for batch in _batches(changes.deletes[table]):
                    run(BULK_MARK[table], keys=batch)
                    check = {"actors": BULK_ACTORS_WITH_TIES, "regions": BULK_REGIONS_WITH_ACTORS}.get(table)
                    found = run(check, keys=batch) if check else []
                    if found and table == "actors":
                        raise Conflict("store.actor_has_ties", id=quoted(found[0]["key"]),
                                       tie=quoted(found[0]["tie"]))
                    if found:
                        raise Conflict("store.region_has_actors", code=quoted(found[0]["key"]),
                                       actor=quoted(found[0]["actor"]))
                    if progress:
                        progress(len(batch))
            created: dict[str, str] = {}  # the element id of each actor's new copy, by key
            for table in WRITE_ORDER:
                records = changes.upserts[table]
                if table == "actors":
                    self._check_homes(session, records)  # type: ignore[arg-type]
                if held[table]:
                    for batch in _batches(records):
                        run(BULK_MARK[table], keys=[record.key for record in batch])
                ends = self._ends(session, records, created) if table == "collaborations" else {}  # type: ignore[arg-type]
                elements = self._create_copies(table, list(_batches(records)), version, progress, ends)
                if table == "actors":
                    created = dict(zip((record.key for record in records), elements, strict=True))
            if held["actors"] and held["collaborations"]:
                for batch in _batches([actor.key for actor in changes.upserts["actors"]]):
                    run(BULK_MOVE_TIES, keys=batch)

    def _create_copies(self, table: str, batches: list[list[Record]], version: int, progress: Progress | None,
                       ends: dict[str, str]) -> list[str]:
        """New copies of ``table``'s records, one transaction per batch, :data:`WRITERS` batches at a time: the
        server's Cypher is the limit and one client keeps one of its cores busy. Ties are created between the
        nodes ``ends`` gives for their ends' keys (:meth:`_ends`). Two batches tying the same actors can deadlock;
        the server then fails one of them and the driver runs it again. The first failure cancels the batches not
        started and is raised. Returns the element ids of the nodes created, in the records' order (none for
        ties)."""
        def create(batch: list[Record]) -> list[str]:
            columns = _columns(table, batch)
            with self.driver.session(database=self.database, max_transaction_retry_time=RETRY_S) as session:
                def write(query: str, field: str, **params: Any) -> Any:
                    return session.execute_write(
                        lambda tx: tx.run(query, params, c=columns, w=version).single(strict=True)[field])

                if table != "collaborations":
                    return write(BULK_CREATE_NODES[table], "created")  # type: ignore[no-any-return]
                elements = {end: [ends[getattr(tie, end)] for tie in batch] for end in ("source", "target")}
                written = write(BULK_CREATE_TIES, "written", **elements)
                if written != len(batch):  # an end vanished meanwhile: say which, as when it was never there
                    self._refuse(session, MISSING_ACTORS, [_tie_row(tie, version) for tie in batch],  # type: ignore[arg-type]
                                 "store.missing_actor")
                return []

        pool = ThreadPoolExecutor(WRITERS, thread_name_prefix="neo4j-bulk")
        created: list[str] = []
        try:
            for batch, done in [(batch, pool.submit(create, batch)) for batch in batches]:
                created += done.result()
                if progress:
                    progress(len(batch))
        finally:
            pool.shutdown(cancel_futures=True)
        return created

    @staticmethod
    def _ends(session: neo4j.Session, ties: list[Collaboration], created: dict[str, str]) -> dict[str, str]:
        """The element id of every end of ``ties``, by actor key: the copies this write created (``created``), and
        the committed copies of the other actors, looked up once each. Refuses the change, naming the first tie,
        when an end is no actor."""
        found = dict(created)
        others = sorted({end for tie in ties for end in (tie.source, tie.target)} - found.keys())
        for batch in _batches(others):
            found.update((row["key"], row["element"]) for row in session.run(ELEMENT_IDS, keys=batch))
        if len(found) < len(created) + len(others):
            tie, missing = next((tie, end) for tie in ties for end in (tie.source, tie.target) if end not in found)
            raise Conflict("store.missing_actor", id=quoted(tie.key), missing=quoted(missing))
        return found

    @staticmethod
    def _check_homes(session: neo4j.Session, actors: list[Actor]) -> None:
        """Refuse the change when an actor's region is not among the new version's regions."""
        homes = sorted({actor.region for actor in actors if actor.region is not None})
        row = session.run(MISSING_HOMES, codes=homes).single()
        if row is not None:
            first = next(actor for actor in actors if actor.region == row["code"])
            raise Conflict("store.missing_region", id=quoted(first.id), missing=quoted(row["code"]))

    def _deletes(self, tx: neo4j.Transaction, changes: Changes, progress: Progress | None) -> None:
        statements = {"collaborations": (None, DELETE_TIES), "actors": (ACTORS_WITH_TIES, DELETE_ACTORS),
                      "indicators": (None, DELETE_INDICATORS), "regions": (REGIONS_WITH_ACTORS, DELETE_REGIONS)}
        for table in reversed(WRITE_ORDER):
            check, delete = statements[table]
            keys = changes.deletes[table]
            for batch in _batches(keys):
                if check:
                    row = tx.run(check, keys=batch).single()
                    if row is not None:
                        if table == "actors":
                            raise Conflict("store.actor_has_ties", id=quoted(row["key"]), tie=quoted(row["tie"]))
                        raise Conflict("store.region_has_actors", code=quoted(row["key"]),
                                       actor=quoted(row["actor"]))
                tx.run(delete, keys=batch).consume()
                if progress:
                    progress(len(batch))

    def _upserts(self, tx: neo4j.Transaction, changes: Changes, version: int, progress: Progress | None) -> None:
        for table in WRITE_ORDER:
            records = changes.upserts[table]
            for batch in _batches(records):
                if table == "collaborations":
                    rows = [_tie_row(tie, version) for tie in batch]  # type: ignore[arg-type]
                    written = tx.run(UPSERT_TIES, rows=rows).single(strict=True)["written"]
                    if written != len(rows):  # some end is missing: find which, for the message
                        self._refuse(tx, MISSING_ACTORS, rows, "store.missing_actor")
                else:
                    rows = [_props(record, version) for record in batch]
                    if table == "actors":
                        self._refuse(tx, MISSING_REGIONS, rows, "store.missing_region")
                    query = {"regions": UPSERT_REGIONS, "indicators": UPSERT_INDICATORS, "actors": UPSERT_ACTORS}
                    tx.run(query[table], rows=rows).consume()
                if progress:
                    progress(len(batch))

    @staticmethod
    def _refuse(tx: neo4j.Transaction | neo4j.Session, check: str, rows: list[dict[str, Any]], key: str) -> None:
        """Refuse the change (``key`` says how) when ``check`` finds a record referring to a missing one."""
        row = tx.run(check, rows=rows).single()
        if row is not None:
            raise Conflict(key, id=quoted(row["key"]), missing=quoted(row["missing"]))

    # -- history --------------------------------------------------------------------------------
    def history(self, upto: int | None = None) -> list[Entry]:
        rows = self._run("MATCH (h:History) WHERE $upto IS NULL OR h.version <= $upto RETURN h.version AS version, "
                         "h.time AS time, h.source AS source, h.who AS who, h.body AS body ORDER BY h.version",
                         upto=upto)
        return [Entry(row["version"], row["time"], row["source"], row["who"], bytes(row["body"])) for row in rows]

    def history_latest(self) -> int:
        return int(self._run("OPTIONAL MATCH (h:History) RETURN coalesce(max(h.version), 0) AS v")[0]["v"])

    def save_recommendations(self, version: int, body: bytes) -> bool:
        return self._write(SAVE_RECOMMENDATIONS, version=version, body=body) > 0

    def recommendations(self) -> dict[int, bytes]:
        rows = self._run("MATCH (r:Recommendations) RETURN r.version AS version, r.body AS body ORDER BY r.version")
        return {row["version"]: bytes(row["body"]) for row in rows}

    # -- the stored analysis ----------------------------------------------------------------------
    def _write(self, query: str, **params: Any) -> int:
        """One write transaction (retried by the driver on transient errors); the ``written`` count."""
        with self._errors(), self.driver.session(database=self.database) as session:
            return int(session.execute_write(lambda tx: tx.run(query, params).single(strict=True)["written"]))

    def save_analysis(self, version: int, key: str, body: bytes) -> bool:
        return self._write(SAVE_ANALYSIS, version=version, id=f"{version}:{key}", key=key, body=body) > 0

    def load_analysis(self, version: int, key: str) -> bytes | None:
        rows = self._run("MATCH (n:Analysis {id: $id}) RETURN n.body AS body", id=f"{version}:{key}")
        return bytes(rows[0]["body"]) if rows else None

    def analysis_keys(self, version: int) -> set[str]:
        return {row["key"] for row in self._run("MATCH (n:Analysis {version: $version}) RETURN n.key AS key",
                                                 version=version)}

    def save_measures(self, version: int, measures: dict[str, dict[str, float | int | None]]) -> bool:
        rows = [{"id": actor, "measures": {name: values.get(name) for name in MEASURE_FIELDS}}
                for actor, values in measures.items()]
        if not rows:
            return self.version() == version
        return all(self._write(SAVE_MEASURES, version=version, v=version, rows=batch) > 0 for batch in _batches(rows))

    def claim_analysis(self, version: int, owner: str, stale_after: float) -> bool:
        with self._errors(), self.driver.session(database=self.database) as session:
            return bool(session.execute_write(lambda tx: tx.run(
                CLAIM, version=version, owner=owner, now=time.time(), stale_after=stale_after).single(
                strict=True)["free"]))

    # -- reads ----------------------------------------------------------------------------------
    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """The rows of a query of the records of the committed version (``$v``, see :func:`_seen`).

        Run again when another version was committed meanwhile: the tidying after a bulk write deletes the
        copies that an older version still shows, and a read that began before the switch must not miss them.
        Cost: the query, plus two index lookups of the version.
        """
        version = self.version()
        while True:
            rows = self._run(query, v=version, **params)
            now = self.version()
            if now == version:
                return rows
            version = now

    def regions(self) -> list[Region]:
        rows = self._read(f"MATCH (r:Region) WHERE {_seen('r')} RETURN properties(r) AS p ORDER BY r.code")
        return [_record("regions", row["p"]) for row in rows]  # type: ignore[misc]

    def indicators(self, region: str | None = None) -> list[Indicator]:
        rows = self._read(f"MATCH (i:Indicator) WHERE ($region IS NULL OR i.region = $region) AND {_seen('i')} "
                          "RETURN properties(i) AS p ORDER BY i.id", region=region)
        return [_record("indicators", row["p"]) for row in rows]  # type: ignore[misc]

    def actors(self, region: str | None = None, sector: str | None = None, type: str | None = None,
               capability: str | None = None, target_group: str | None = None,
               ids: list[str] | None = None) -> list[Actor]:
        # Start from an index when a filter has one; the WHERE clause always applies every filter.
        if ids is not None:
            start = "UNWIND $ids AS key MATCH (a:Actor {id: key}) USING INDEX SEEK a:Actor(id) WITH DISTINCT a"
        elif region is not None:
            start = "MATCH (a:Actor {region: $region})"
        elif sector is not None:
            start = "MATCH (a:Actor {sector: $sector})"
        else:
            start = "MATCH (a:Actor)"
        query = (f"{start} WHERE {_seen('a')} AND ($region IS NULL OR a.region = $region) "
                 "AND ($sector IS NULL OR a.sector = $sector) "
                 "AND ($type IS NULL OR a.type = $type) AND ($capability IS NULL OR $capability IN a.capabilities) "
                 "AND ($target_group IS NULL OR $target_group IN a.target_groups) "
                 "RETURN properties(a) AS p ORDER BY a.id")
        rows = self._read(query, region=region, sector=sector, type=type, capability=capability,
                          target_group=target_group, ids=ids)
        return [_record("actors", row["p"]) for row in rows]  # type: ignore[misc]

    def collaborations(self, actor: str | None = None, region: str | None = None,
                       ids: list[str] | None = None) -> list[Collaboration]:
        # A tie the committed version holds has both its ends in it: only the tie is filtered.
        if actor is not None:
            start = "MATCH (:Actor {id: $actor})-[r:COLLABORATES_WITH]-(:Actor) WITH DISTINCT r"
        elif region is not None:
            start = "MATCH (:Actor {region: $region})-[r:COLLABORATES_WITH]-(:Actor) WITH DISTINCT r"
        elif ids is not None:
            start = f"UNWIND $ids AS key {TIE_BY_KEY} WITH DISTINCT r"
        else:
            start = "MATCH ()-[r:COLLABORATES_WITH]->()"
        query = (f"{start} WITH r, startNode(r) AS s, endNode(r) AS t WHERE {_seen('r')} "
                 "AND ($actor IS NULL OR s.id = $actor OR t.id = $actor) "
                 "AND ($region IS NULL OR s.region = $region OR t.region = $region) "
                 "AND ($ids IS NULL OR r.id IN $ids) "
                 "RETURN properties(r) AS props, s.id AS source, t.id AS target ORDER BY r.id")
        return [_tie(row) for row in self._read(query, actor=actor, region=region, ids=ids)]

    def graph_records(self, region: str | None) -> tuple[list[Actor], list[Collaboration]]:
        if region is None:
            return self.actors(), self.collaborations()
        actors, ties = self._region_graph(region)
        return ([_record("actors", props) for props in actors],  # type: ignore[misc]
                sorted((_tie(tie) for tie in ties), key=lambda tie: tie.id))

    def graph_fields(self, region: str | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """A region's actors and ties as their fields straight from the query's rows, no pydantic records between."""
        if region is None:
            return super().graph_fields(region)
        actors, ties = self._region_graph(region)
        return ([fields_from_store("actors", props) for props in actors],
                [fields_from_store("collaborations", {**tie["props"], "source": tie["source"], "target": tie["target"]})
                 for tie in ties])

    def _region_graph(self, region: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The properties of a region's actors and their partners (each once, by id) and its ties' rows."""
        row = self._read(REGION_GRAPH, region=region)[0]
        actors = {props["id"]: props for props in row["actors"]}
        return [actors[key] for key in sorted(actors)], row["ties"]


def _batches(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start:start + BATCH]


class _Then:
    """What became of the change, said at the end of an error message ("; nothing was written"), or nothing."""

    def __init__(self, key: str = "") -> None:
        self.key = key

    def text(self, lang: str = DEFAULT) -> str:
        return f"; {Texts(lang)(self.key)}" if self.key else ""


def _first_line(error: BaseException) -> str:
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return " ".join(str(message).split())[:300]
