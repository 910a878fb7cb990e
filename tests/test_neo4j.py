"""The Neo4j store on its own: errors a person understands, the schema, how records are stored,
the Cypher queries the README offers lab staff, and a server killed in the middle of a load."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from ecograph.generate import generate_dataset
from ecograph.graph import collapse
from ecograph.model import Dataset
from ecograph.readers import read_dataset
from ecograph.settings import Settings
from ecograph.stores import StoreError, StoreUnavailable, open_store
from ecograph.stores.neo4j import Neo4jStore, check_version, parse_version
from tests.conftest import PERU
from tests.neo4j_server import Instance, connect, server_env, wipe

# The queries of the README's "Neo4j" section, verbatim: each is checked against Peru below.
QUERIES = {
    "region_actors_by_sector": """
MATCH (a:Actor)-[:LOCATED_IN]->(:Region {code: $region})
RETURN a.sector AS sector, count(*) AS actors, collect(a.name) AS names
ORDER BY actors DESC, sector""",
    "ties_crossing_sectors": """
MATCH (a:Actor)-[t:COLLABORATES_WITH]->(b:Actor)
WHERE a.sector <> b.sector AND ($region IS NULL OR a.region = $region OR b.region = $region)
WITH CASE WHEN a.sector < b.sector THEN [a.sector, b.sector] ELSE [b.sector, a.sector] END AS sectors, t
RETURN sectors[0] AS sector, sectors[1] AS other_sector, count(t) AS ties
ORDER BY ties DESC, sector, other_sector""",
    "capability_for_group": """
MATCH (a:Actor)
WHERE $capability IN a.capabilities AND $target_group IN a.target_groups
OPTIONAL MATCH (a)-[:LOCATED_IN]->(r:Region)
RETURN a.id AS id, a.name AS name, a.sector AS sector, r.name AS region
ORDER BY a.id""",
    "national_actors_in_region": """
MATCH (n:Actor {scope: 'national'})-[t:COLLABORATES_WITH]-(local:Actor)-[:LOCATED_IN]->(:Region {code: $region})
RETURN n.id AS id, n.name AS name, count(DISTINCT local) AS local_partners, count(t) AS ties,
       collect(DISTINCT t.type) AS tie_types
ORDER BY local_partners DESC, id""",
    "shortest_path": """
MATCH (a:Actor {id: $from}), (b:Actor {id: $to})
MATCH p = shortestPath((a)-[:COLLABORATES_WITH*..8]-(b))
RETURN [n IN nodes(p) | n.name] AS actors, [r IN relationships(p) | r.type] AS ties, length(p) AS steps""",
}


@pytest.fixture(scope="module")
def peru() -> Dataset:
    return read_dataset(PERU)


@pytest.fixture
def neo(peru: Dataset) -> Iterator[Neo4jStore]:
    """The test server's store, emptied."""
    store = connect()
    wipe(store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def loaded(peru: Dataset) -> Iterator[Neo4jStore]:
    """The test server holding Peru (read-only tests share it)."""
    store = connect()
    wipe(store)
    store.load(peru)
    yield store
    wipe(store)
    store.close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- errors -----------------------------------------------------------------------------------------
def test_version_parsing() -> None:
    assert parse_version(["5.26.30"]) == (5, 26, 30)
    assert parse_version("5.0.0-drop03") == (5, 0, 0)
    assert parse_version(["2025.06.1"]) == (2025, 6, 1)
    assert check_version(["5.0.0"], "neo4j://x") == (5, 0, 0)
    with pytest.raises(StoreError, match=r"^Neo4j en neo4j://x tiene la versión 4\.4\.12, pero ecograph necesita "
                                         r"Neo4j 5 o posterior") as old:
        check_version(["4.4.12"], "neo4j://x")
    assert old.value.text("en").startswith("Neo4j at neo4j://x is version 4.4.12, but ecograph needs Neo4j 5")
    with pytest.raises(StoreError, match="no se puede leer la versión de Neo4j") as unreadable:
        parse_version(["dev"])
    assert unreadable.value.text("en") == "cannot read the Neo4j version from 'dev'"


@pytest.mark.neo4j
def test_closed_port_is_reported() -> None:
    uri = f"neo4j://127.0.0.1:{closed_port()}"
    with pytest.raises(StoreUnavailable, match=rf"^no se puede conectar con Neo4j en {uri} .*¿está funcionando el "
                                               r"servidor\? Inicie uno con `make neo4j`") as error:
        Neo4jStore(uri, "neo4j", "whatever")
    assert "\n" not in str(error.value)
    assert re.match(rf"^cannot reach Neo4j at {uri} .*is the server running\? Start one with `make neo4j`",
                    error.value.text("en"))
    with pytest.raises(StoreUnavailable, match="no se puede conectar con Neo4j"):
        Neo4jStore(f"bolt://127.0.0.1:{closed_port()}", "neo4j", "whatever")


@pytest.mark.neo4j
def test_wrong_password_is_reported() -> None:
    uri, user, _ = server_env()
    with pytest.raises(StoreUnavailable, match=rf"^Neo4j en {uri} rechazó al usuario «{user}» con esa contraseña; "
                                               "ponga las credenciales correctas en NEO4J_USER") as error:
        Neo4jStore(uri, user, "not-the-password")
    assert error.value.text("en").startswith(f"Neo4j at {uri} refused user '{user}' with that password; "
                                             "set NEO4J_USER and NEO4J_PASSWORD")


@pytest.mark.neo4j
def test_wrong_database_is_reported() -> None:
    uri, user, password = server_env()
    with pytest.raises(StoreUnavailable, match=rf"^Neo4j en {uri} no tiene la base de datos «nosuchdb»; ponga en "
                                               "NEO4J_DATABASE") as error:
        Neo4jStore(uri, user, password, "nosuchdb")
    assert error.value.text("en").startswith(f"Neo4j at {uri} has no database 'nosuchdb'; set NEO4J_DATABASE")


def test_bad_address_is_reported() -> None:
    with pytest.raises(StoreUnavailable, match=r"dirección de Neo4j no válida «neo4j://127\.0\.0\.1:port»") as error:
        Neo4jStore("neo4j://127.0.0.1:port", "neo4j", "x")
    assert error.value.text("en").startswith("bad Neo4j address 'neo4j://127.0.0.1:port' (")
    assert error.value.text("en").endswith("); write it as neo4j://host:7687")


@pytest.mark.neo4j
def test_cli_prints_one_line_without_traceback(tmp_path: Path) -> None:
    uri, _, password = server_env()
    cases = [({"ECOGRAPH_STORE": f"neo4j://127.0.0.1:{closed_port()}"}, "error: no se puede conectar con Neo4j en"),
             ({"ECOGRAPH_STORE": uri, "NEO4J_USER": "nobody", "NEO4J_PASSWORD": password},
              "error: Neo4j en .* rechazó al usuario «nobody»"),
             ({"ECOGRAPH_STORE": uri, "NEO4J_PASSWORD": password, "NEO4J_DATABASE": "nosuchdb"},
              "error: Neo4j en .* no tiene la base de datos «nosuchdb»")]
    for env, message in cases:
        done = subprocess.run([sys.executable, "-m", "ecograph", "stats"], cwd=tmp_path, capture_output=True,
                              text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env})
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stdout + done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and re.match(message, lines[0]), done.stderr


# -- schema and storage ------------------------------------------------------------------------------
@pytest.mark.neo4j
def test_schema_is_created_once_and_reopening_is_harmless(neo: Neo4jStore) -> None:
    again = connect()  # creating the schema a second time changes nothing
    again.close()
    constraints = {row["name"]: row for row in neo._run("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, "
                                                          "properties RETURN *")}
    # Record ids are indexed, not constrained: a bulk write keeps two copies of a record until its switch.
    assert {"meta_key", "history_version", "analysis_id"} <= set(constraints)
    assert not {"actor_id", "region_code", "indicator_id", "collaboration_id"} & set(constraints)
    indexes = {row["name"]: row for row in neo._run("SHOW INDEXES YIELD name, entityType, properties RETURN *")}
    assert {"actor_key", "region_key", "indicator_key", "collaboration_key", "actor_sector", "actor_region",
            "indicator_region", "actor_until", "collaboration_until"} <= set(indexes)
    assert indexes["collaboration_key"]["entityType"] == "RELATIONSHIP"
    assert indexes["collaboration_key"]["properties"] == ["id"]


@pytest.mark.neo4j
def test_open_store_reads_the_settings() -> None:
    uri, user, password = server_env()
    settings = Settings(ECOGRAPH_STORE=uri, NEO4J_USER=user, NEO4J_PASSWORD=password)
    with open_store(settings=settings) as store:
        assert isinstance(store, Neo4jStore) and store.url == uri
        assert store.server_version >= (5, 0)


@pytest.mark.neo4j
def test_records_are_stored_as_the_graph_model_says(loaded: Neo4jStore, peru: Dataset) -> None:
    counts = loaded._run("MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n")
    assert {row["label"]: row["n"] for row in counts} == {
        "Region": len(peru.regions), "Indicator": len(peru.indicators), "Actor": len(peru.actors), "Meta": 1,
        "History": 1}  # the load's history entry (ecograph.stores.history)
    rels = {row["type"]: row["n"] for row in loaded._run("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")}
    assert rels == {"COLLABORATES_WITH": len(peru.collaborations),
                    "LOCATED_IN": sum(a.region is not None for a in peru.actors),
                    "OF": sum(i.region != "PE" for i in peru.indicators)}
    # No null properties: an empty field is simply absent.
    assert loaded._run("MATCH (n) UNWIND keys(n) AS k WITH n, k WHERE n[k] IS NULL RETURN count(*) AS n")[0]["n"] == 0
    homeless = next(a for a in peru.actors if a.region is None and a.acronym is None)
    props = loaded._run("MATCH (a:Actor {id: $id}) RETURN properties(a) AS p", id=homeless.id)[0]["p"]
    assert "region" not in props and "acronym" not in props
    assert isinstance(props["capabilities"], list)
    assert loaded.actor(homeless.id) == homeless
    # Ties keep the direction given in the data.
    tie = next(t for t in peru.collaborations if t.directed)
    ends = loaded._run("MATCH (s)-[r:COLLABORATES_WITH {id: $id}]->(t) RETURN s.id AS s, t.id AS t", id=tie.id)
    assert ends == [{"s": tie.source, "t": tie.target}]


# -- the README's queries -----------------------------------------------------------------------------
@pytest.mark.neo4j
def test_readme_query_region_actors_by_sector(loaded: Neo4jStore, peru: Dataset) -> None:
    rows = loaded._run(QUERIES["region_actors_by_sector"], region="06")
    want = Counter(a.sector for a in peru.actors if a.region == "06")
    assert {row["sector"]: row["actors"] for row in rows} == want and rows
    assert [row["actors"] for row in rows] == sorted(want.values(), reverse=True)


@pytest.mark.neo4j
def test_readme_query_ties_crossing_sectors(loaded: Neo4jStore, peru: Dataset) -> None:
    sector = {a.id: a.sector for a in peru.actors}
    region = {a.id: a.region for a in peru.actors}
    for code in (None, "08"):
        want = Counter(tuple(sorted((sector[t.source], sector[t.target]))) for t in peru.collaborations
                       if sector[t.source] != sector[t.target]
                       and (code is None or code in (region[t.source], region[t.target])))
        rows = loaded._run(QUERIES["ties_crossing_sectors"], region=code)
        assert {(row["sector"], row["other_sector"]): row["ties"] for row in rows} == want and rows


@pytest.mark.neo4j
def test_readme_query_capability_for_group(loaded: Neo4jStore, peru: Dataset) -> None:
    rows = loaded._run(QUERIES["capability_for_group"], capability="digital_skills", target_group="women")
    want = [a.id for a in peru.actors if "digital_skills" in a.capabilities and "women" in a.target_groups]
    assert [row["id"] for row in rows] == want and want
    names = {r.code: r.name for r in peru.regions}
    assert [row["region"] for row in rows] == [names.get(a.region) for a in loaded.actors(ids=want)]


@pytest.mark.neo4j
def test_readme_query_national_actors_in_region(loaded: Neo4jStore, peru: Dataset) -> None:
    actors = {a.id: a for a in peru.actors}
    partners: dict[str, set[str]] = {}
    for t in peru.collaborations:
        for a, b in ((t.source, t.target), (t.target, t.source)):
            if actors[a].scope == "national" and actors[b].region == "06":
                partners.setdefault(a, set()).add(b)
    rows = loaded._run(QUERIES["national_actors_in_region"], region="06")
    assert {row["id"]: row["local_partners"] for row in rows} == {k: len(v) for k, v in partners.items()} and rows


@pytest.mark.neo4j
def test_readme_query_shortest_path(loaded: Neo4jStore, peru: Dataset) -> None:
    simple = collapse(loaded.graph())
    names = {a.id: a.name for a in peru.actors}
    pairs = [("pnud", "gore-cajamarca"), ("acnur", "agcid")]
    giant = sorted(max(nx.connected_components(simple), key=len))
    pairs.append((giant[0], giant[-1]))
    for source, target in pairs:
        rows = loaded._run(QUERIES["shortest_path"], **{"from": source, "to": target})
        steps = nx.shortest_path_length(simple, source, target)
        assert len(rows) == 1 and rows[0]["steps"] == steps
        assert rows[0]["actors"][0] == names[source] and rows[0]["actors"][-1] == names[target]


# -- a server killed in the middle of a load ------------------------------------------------------
KILL_TEST_ACTORS = int(os.environ.get("ECOGRAPH_KILL_TEST_ACTORS", "30000"))
"""The size of the country loaded when the server is killed: 30,000 actors in the suite (about two minutes);
``ECOGRAPH_KILL_TEST_ACTORS=100000`` runs it at national scale (three to six minutes on two shared cores)."""


@pytest.mark.slow
@pytest.mark.neo4j
def test_killing_the_server_mid_load_keeps_the_old_data_whole(mini: Dataset) -> None:
    """``KILL_TEST_ACTORS`` actors (at 100,000, about 600,000 records) on the bulk path with a 512 MB heap; the kill
    comes after the regions, all actors and the first 10,000 ties were committed in batches. Time goes to making the
    dataset (while the server starts), two server starts and the tidying of the next write."""
    server_env()  # skip (or fail under CI) like the other server tests when there is no Neo4j
    instance = Instance("killtest")
    instance.stop(wipe=True)  # leftovers of an aborted run
    made: dict[str, Dataset] = {}
    maker = threading.Thread(target=lambda: made.update(big=generate_dataset(KILL_TEST_ACTORS, seed=3)))
    maker.start()  # while the server starts
    instance.start()
    try:
        with instance.store() as store:
            store.load(mini)
        maker.join()
        written: list[int] = []
        outcome: dict[str, BaseException | None] = {}

        def load() -> None:
            try:
                with instance.store() as store:
                    store.load(made["big"], progress=written.append)
                outcome["error"] = None
            except BaseException as error:  # handed to the test thread
                outcome["error"] = error

        worker = threading.Thread(target=load, daemon=True)
        worker.start()
        deadline = time.monotonic() + 300
        while sum(written) < KILL_TEST_ACTORS + 10_000 and worker.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert worker.is_alive(), f"the load ended before the kill: {outcome}"
        instance.kill()
        worker.join(60)
        assert not worker.is_alive(), "the load hung after the server died"
        assert isinstance(outcome["error"], StoreUnavailable), outcome
        said, spanish = outcome["error"].text("en"), str(outcome["error"])
        assert "nothing was written" in said or "may or may not" in said
        assert "no se escribió nada" in spanish or "puede que se haya escrito o no" in spanish
        instance.start()
        with instance.store() as store:
            # The committed batches are still there, but no reader sees them: the new version never committed.
            staged = store._run("MATCH (a:Actor) WHERE a.since > 1 RETURN count(a) AS n")[0]["n"]
            assert staged == len(made["big"].actors)  # actors come before ties, and all were committed
            assert store.version() == 1
            assert store.dataset() == mini
            assert [entry.version for entry in store.history()] == [1]
            # The next write removes them first.
            moved = mini.actors[0].model_copy(update={"name": "Después del corte"})
            assert store.upsert_actor(moved) == 2
            assert store._run("MATCH (a:Actor) RETURN count(a) AS n")[0]["n"] == len(mini.actors)
            assert store._run("MATCH ()-[r]->() WHERE r.since > 2 OR r.until IS NOT NULL "
                              "RETURN count(r) AS n")[0]["n"] == 0
            assert store.actor(moved.id) == moved
    finally:
        instance.stop(wipe=True)


# The client's side: a load whose process is killed after some batches were committed.
CLIENT = """
import sys
from ecograph.generate import generate_dataset
from ecograph.stores.neo4j import Neo4jStore
big = generate_dataset(10_000, seed=3)
with Neo4jStore(*sys.argv[1:]) as store:
    store.load(big, progress=lambda rows: print(rows, flush=True))
"""


@pytest.mark.slow
@pytest.mark.neo4j
def test_killing_the_client_mid_load_keeps_the_old_data_whole(neo: Neo4jStore, mini: Dataset) -> None:
    """About 20 s: 10,000 actors, the client killed after 20,000 records were committed."""
    neo.load(mini)
    client = subprocess.Popen([sys.executable, "-c", CLIENT, *server_env()], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parent.parent)
    assert client.stdout is not None
    rows = 0
    for line in client.stdout:
        rows += int(line)
        if rows >= 20_000:
            break
    client.kill()
    client.wait(30)
    assert rows >= 20_000, "the client ended before the kill"
    # Its version transaction died with its connection: readers see version 1 alone.
    assert neo._run("MATCH (a:Actor) WHERE a.since > 1 RETURN count(a) AS n")[0]["n"] == 10_000
    assert neo.version() == 1 and neo.dataset() == mini
    assert neo.load(mini).version == 1  # nothing to write: no write, no tidying needed for readers
    assert neo.delete_collaboration(mini.collaborations[0].id) == 2
    assert neo._run("MATCH (a:Actor) RETURN count(a) AS n")[0]["n"] == len(mini.actors)
    assert neo._run("MATCH ()-[r:COLLABORATES_WITH]->() RETURN count(r) AS n")[0]["n"] == 3
