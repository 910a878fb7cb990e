"""The server store: a Neo4j 5 database through the official Python driver.

The graph model::

    (:Region {code, name, capital, population, latitude, longitude, source})
    (:Indicator {id, region, indicator, period, area, value, unit, source})-[:OF]->(:Region)
    (:Actor {id, name, acronym, sector, type, region, scope, capabilities, target_groups, website,
             description, source, illustrative})-[:LOCATED_IN]->(:Region)
    (:Actor)-[:COLLABORATES_WITH {id, type, weight, start, end, status, program, evidence,
                                  illustrative}]->(:Actor)
    (:Meta {key: 'version', value})
    (:History {version, time, source, who, body})      one per dataset version (ecograph.stores.history)
    (:Recommendations {version, body})                 each analysed version's recommendations

Lists are list properties; empty (None) fields are not stored at all and read back as None.
Ties keep the direction given in the data. Country-wide indicators (region ``PE``) have no
``OF`` relationship, as there is no region node for them.

Every :meth:`Neo4jStore.apply` is ONE explicit transaction: batched ``UNWIND $rows`` writes, the
reference checks SQLite's foreign keys make (ties need both actors, an actor's region must
exist, a deleted actor must have no ties left, a deleted region no actors) done in Cypher inside
that transaction, and the version bump. Anything failing rolls the whole of it back. Labels,
relationship types and property names are fixed in this module; every value is a parameter.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from ecograph.i18n import DEFAULT, Texts
from ecograph.model import Actor, Collaboration, Indicator, Record, Region
from ecograph.stores.base import (
    MEASURE_FIELDS,
    WRITE_ORDER,
    Changes,
    Conflict,
    Progress,
    Store,
    StoreError,
    StoreUnavailable,
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
"""Rows per ``UNWIND`` statement (bench/bench_load.py: 5,000 was a little faster than 10,000 and 20,000)."""

SCHEMA = (
    "CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (a:Actor) REQUIRE a.id IS UNIQUE",
    "CREATE CONSTRAINT region_code IF NOT EXISTS FOR (r:Region) REQUIRE r.code IS UNIQUE",
    "CREATE CONSTRAINT indicator_id IF NOT EXISTS FOR (i:Indicator) REQUIRE i.id IS UNIQUE",
    "CREATE CONSTRAINT meta_key IF NOT EXISTS FOR (m:Meta) REQUIRE m.key IS UNIQUE",
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
# Relationship property uniqueness needs Neo4j 5.7+; an index does the lookups otherwise.
TIE_CONSTRAINT = ("CREATE CONSTRAINT collaboration_id IF NOT EXISTS "
                  "FOR ()-[r:COLLABORATES_WITH]-() REQUIRE r.id IS UNIQUE")
TIE_INDEX = "CREATE INDEX collaboration_id IF NOT EXISTS FOR ()-[r:COLLABORATES_WITH]-() ON (r.id)"

# -- writes (all take $rows or $keys; nothing else is ever put into the text) -------------------
BUMP = ("MERGE (m:Meta {key: 'version'}) ON CREATE SET m.value = 0 "
        "SET m.value = m.value + 1 RETURN m.value AS version")

DELETE_TIES = "UNWIND $keys AS key MATCH ()-[r:COLLABORATES_WITH {id: key}]->() DELETE r"
ACTORS_WITH_TIES = ("UNWIND $keys AS key MATCH (a:Actor {id: key})-[r:COLLABORATES_WITH]-(other:Actor) "
                    "RETURN key, r.id AS tie LIMIT 1")
DELETE_ACTORS = "UNWIND $keys AS key MATCH (a:Actor {id: key}) DETACH DELETE a"
DELETE_INDICATORS = "UNWIND $keys AS key MATCH (i:Indicator {id: key}) DETACH DELETE i"
REGIONS_WITH_ACTORS = ("UNWIND $keys AS key MATCH (r:Region {code: key})<-[:LOCATED_IN]-(a:Actor) "
                       "RETURN key, a.id AS actor LIMIT 1")
DELETE_REGIONS = "UNWIND $keys AS key MATCH (r:Region {code: key}) DETACH DELETE r"

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
WITH row WHERE row.region IS NOT NULL AND NOT EXISTS { MATCH (:Region {code: row.region}) }
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
OPTIONAL MATCH (s:Actor {id: row.source})
OPTIONAL MATCH (t:Actor {id: row.target})
WITH row, s, t WHERE s IS NULL OR t IS NULL
RETURN row.id AS key, CASE WHEN s IS NULL THEN row.source ELSE row.target END AS missing LIMIT 1
"""
UPSERT_TIES = """
UNWIND $rows AS row
OPTIONAL MATCH (s0:Actor)-[old:COLLABORATES_WITH {id: row.id}]->(t0:Actor)
WHERE s0.id <> row.source OR t0.id <> row.target
DELETE old
WITH DISTINCT row
MATCH (s:Actor {id: row.source})
MATCH (t:Actor {id: row.target})
MERGE (s)-[r:COLLABORATES_WITH {id: row.id}]->(t)
SET r = row.props
RETURN count(r) AS written
"""

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
SAVE_MEASURES = CURRENT + """
UNWIND $rows AS row
MATCH (a:Actor {id: row.id})
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
MATCH (a:Actor {{region: $region}})
OPTIONAL MATCH (a)-[r:COLLABORATES_WITH]-(b:Actor)
WITH collect(DISTINCT a) + collect(DISTINCT b) AS people, collect(DISTINCT r) AS ties
RETURN [n IN people | properties(n)] AS actors, [r IN ties | {TIE_FIELDS}] AS ties
"""


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


def _props(record: Record) -> dict[str, Any]:
    """A record as node properties: no None values (Neo4j does not store nulls)."""
    data = record.model_dump()
    if isinstance(record, Indicator):
        data["id"] = record.id
    return {name: value for name, value in data.items() if value is not None}


def _tie_row(tie: Collaboration) -> dict[str, Any]:
    props = _props(tie)
    return {"id": tie.id, "source": props.pop("source"), "target": props.pop("target"), "props": props}


def _record(table: str, props: dict[str, Any]) -> Record:
    """A record from a node's properties (what the analysis writes next to them, its measures, is left out)."""
    return from_store(table, props)


def _tie(row: dict[str, Any]) -> Collaboration:
    tie = {**row["props"], "source": row["source"], "target": row["target"]}
    return from_store("collaborations", tie)  # type: ignore[return-value]


class Neo4jStore(Store):
    """A dataset in a Neo4j 5 database (``neo4j://``, ``bolt://``, ``neo4j+s://`` ...)."""

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
        try:
            self._run(TIE_CONSTRAINT)
        except StoreError:
            self._run(TIE_INDEX)

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
        with self._errors("store.nothing_written"), self.driver.session(database=self.database) as session:
            tx = session.begin_transaction()
            try:
                # The version first: its MERGE locks the Meta node, so writers queue up like SQLite's.
                version = int(tx.run(BUMP).single(strict=True)["version"])
                entries = self.history_entries(changes, origin, version, self.clock())
                self._deletes(tx, changes, progress)
                self._upserts(tx, changes, progress)
                tx.run(SAVE_HISTORY, rows=[{"version": e.version, "time": e.time, "source": e.source, "who": e.who,
                                            "body": e.body} for e in entries]).consume()
                tx.commit()
            except IncompleteCommit as error:
                raise StoreUnavailable("store.neo4j.lost_commit", uri=self.url, reason=_first_line(error)) from None
            finally:
                if not tx.closed():  # the connection may be gone: the server then rolls back on its own
                    with suppress(Neo4jError, DriverError):
                        tx.rollback()
        return version

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
                            raise Conflict("store.neo4j.actor_has_ties", id=quoted(row["key"]), tie=quoted(row["tie"]))
                        raise Conflict("store.neo4j.region_has_actors", code=quoted(row["key"]),
                                       actor=quoted(row["actor"]))
                tx.run(delete, keys=batch).consume()
                if progress:
                    progress(len(batch))

    def _upserts(self, tx: neo4j.Transaction, changes: Changes, progress: Progress | None) -> None:
        for table in WRITE_ORDER:
            records = changes.upserts[table]
            for batch in _batches(records):
                if table == "collaborations":
                    rows = [_tie_row(tie) for tie in batch]  # type: ignore[arg-type]
                    written = tx.run(UPSERT_TIES, rows=rows).single(strict=True)["written"]
                    if written != len(rows):  # some end is missing: find which, for the message
                        self._refuse(tx, MISSING_ACTORS, rows, "store.neo4j.missing_actor")
                else:
                    rows = [_props(record) for record in batch]
                    if table == "actors":
                        self._refuse(tx, MISSING_REGIONS, rows, "store.neo4j.missing_region")
                    query = {"regions": UPSERT_REGIONS, "indicators": UPSERT_INDICATORS, "actors": UPSERT_ACTORS}
                    tx.run(query[table], rows=rows).consume()
                if progress:
                    progress(len(batch))

    @staticmethod
    def _refuse(tx: neo4j.Transaction, check: str, rows: list[dict[str, Any]], key: str) -> None:
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
        return all(self._write(SAVE_MEASURES, version=version, rows=batch) > 0 for batch in _batches(rows))

    def claim_analysis(self, version: int, owner: str, stale_after: float) -> bool:
        with self._errors(), self.driver.session(database=self.database) as session:
            return bool(session.execute_write(lambda tx: tx.run(
                CLAIM, version=version, owner=owner, now=time.time(), stale_after=stale_after).single(
                strict=True)["free"]))

    # -- reads ----------------------------------------------------------------------------------
    def regions(self) -> list[Region]:
        rows = self._run("MATCH (r:Region) RETURN properties(r) AS p ORDER BY r.code")
        return [_record("regions", row["p"]) for row in rows]  # type: ignore[misc]

    def indicators(self, region: str | None = None) -> list[Indicator]:
        rows = self._run("MATCH (i:Indicator) WHERE $region IS NULL OR i.region = $region "
                         "RETURN properties(i) AS p ORDER BY i.id", region=region)
        return [_record("indicators", row["p"]) for row in rows]  # type: ignore[misc]

    def actors(self, region: str | None = None, sector: str | None = None, type: str | None = None,
               capability: str | None = None, target_group: str | None = None,
               ids: list[str] | None = None) -> list[Actor]:
        # Start from an index when a filter has one; the WHERE clause always applies every filter.
        if ids is not None:
            start = "UNWIND $ids AS key MATCH (a:Actor {id: key}) WITH DISTINCT a"
        elif region is not None:
            start = "MATCH (a:Actor {region: $region})"
        elif sector is not None:
            start = "MATCH (a:Actor {sector: $sector})"
        else:
            start = "MATCH (a:Actor)"
        query = (f"{start} WHERE ($region IS NULL OR a.region = $region) AND ($sector IS NULL OR a.sector = $sector) "
                 "AND ($type IS NULL OR a.type = $type) AND ($capability IS NULL OR $capability IN a.capabilities) "
                 "AND ($target_group IS NULL OR $target_group IN a.target_groups) "
                 "RETURN properties(a) AS p ORDER BY a.id")
        rows = self._run(query, region=region, sector=sector, type=type, capability=capability,
                         target_group=target_group, ids=ids)
        return [_record("actors", row["p"]) for row in rows]  # type: ignore[misc]

    def collaborations(self, actor: str | None = None, region: str | None = None,
                       ids: list[str] | None = None) -> list[Collaboration]:
        if actor is not None:
            start = "MATCH (:Actor {id: $actor})-[r:COLLABORATES_WITH]-(:Actor) WITH DISTINCT r"
        elif region is not None:
            start = "MATCH (:Actor {region: $region})-[r:COLLABORATES_WITH]-(:Actor) WITH DISTINCT r"
        elif ids is not None:
            start = "UNWIND $ids AS key MATCH ()-[r:COLLABORATES_WITH {id: key}]->() WITH DISTINCT r"
        else:
            start = "MATCH ()-[r:COLLABORATES_WITH]->()"
        query = (f"{start} WITH r, startNode(r) AS s, endNode(r) AS t "
                 "WHERE ($actor IS NULL OR s.id = $actor OR t.id = $actor) "
                 "AND ($region IS NULL OR s.region = $region OR t.region = $region) "
                 "AND ($ids IS NULL OR r.id IN $ids) "
                 "RETURN properties(r) AS props, s.id AS source, t.id AS target ORDER BY r.id")
        return [_tie(row) for row in self._run(query, actor=actor, region=region, ids=ids)]

    def graph_records(self, region: str | None) -> tuple[list[Actor], list[Collaboration]]:
        if region is None:
            return self.actors(), self.collaborations()
        row = self._run(REGION_GRAPH, region=region)[0]
        actors = {props["id"]: props for props in row["actors"]}
        ties = sorted((_tie(tie) for tie in row["ties"]), key=lambda tie: tie.id)
        return [_record("actors", actors[key]) for key in sorted(actors)], ties  # type: ignore[misc]


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
