"""300 respondents answer the survey at once: nothing acknowledged is lost, and the latency of a section save.

    .venv/bin/python bench/bench_survey.py [--respondents 300] [--concurrency 300] [--seconds 300]
        [--actors 1000] [--store neo4j://...]

It generates a synthetic country (``ecograph generate``'s generator), loads it into a fresh SQLite store
(or the store given with ``--store``, which it replaces; for Neo4j, ``NEO4J_USER`` and ``NEO4J_PASSWORD``
come from the environment) and computes its analysis once (so the server has nothing to compute in the
background). It makes an admin token (``api.tokens.TokenStore``), starts ``ecograph serve`` in its own
process on a free port of 127.0.0.1 and, through the API as the tests do, creates a campaign over the
largest regions, puts ``--respondents`` of their actors on the roster and takes their links from the links
export.

Then an asyncio load generator (httpx) plays every respondent at once (at most ``--concurrency`` at a
time): each saves its five sections in order (profile, capabilities, partners, needs, consent) with
realistic payloads (a corrected profile with contact details, three rated capabilities, three partners from
the roster and sometimes a proposed new institution, two needs, consent). Every save acknowledged (HTTP
2xx) is recorded with its latency and the payload the server says it stored; every other answer or
transport error is recorded as a failure.

Last, it stops the server, reopens the store directly and checks that every acknowledged save is there
with the same content and time (``store.survey.answers(campaign)``), printing
``acknowledged N, found N, lost 0``, and prints p50, p95, p99 and max of a section save (all, and by
section), saves per second and the totals. It exits non-zero if anything acknowledged is lost.

Bounded: ``--seconds`` limits the whole run (saves not done by then are reported as unfinished); the
server listens on loopback only. Client and server share the machine's cores, so the latencies include
the load generator's own CPU time.

Figures measured on 2026-12-01, 2 cores shared with other work
(1,000 actors, 300 respondents of regions 01 and 02, concurrency 300, 1,500 saves, default ``--seconds 300``).

Neo4j (neo4j://127.0.0.1:42255, instance "dev"): every save acknowledged, none lost::

    saves: 1500 attempted, 1500 acknowledged, 0 failed, 0 unfinished in 44.3 s: 33.9 saves/s
    every section  1500 saves  p50  6986.2 ms  p95 18955.9 ms  p99 26922.0 ms  max 39359.7 ms
    profile         300 saves  p50  9009.9 ms  p95 11335.2 ms  p99 11577.1 ms  max 11598.1 ms
    capabilities    300 saves  p50  8978.6 ms  p95 24665.8 ms  p99 31269.1 ms  max 39359.7 ms
    partners        300 saves  p50  7244.1 ms  p95 19468.5 ms  p99 27119.1 ms  max 30401.1 ms
    needs           300 saves  p50  5088.9 ms  p95 17364.4 ms  p99 21746.8 ms  max 26922.0 ms
    consent         300 saves  p50  3129.0 ms  p95 11886.2 ms  p99 16114.4 ms  max 20734.4 ms
    acknowledged 1500, found 1500, lost 0

SQLite (fresh file), after each request got a connection of its own (api.middleware.StorePerRequest);
the one failure is the client's connection reset under this load, not a refused save::

    saves: 1500 attempted, 1499 acknowledged, 1 failed, 0 unfinished in 32.1 s: 46.7 saves/s
    every section  1499 saves  p50  4274.4 ms  p95 14646.1 ms  p99 20021.4 ms  max 27813.2 ms
    profile         300 saves  p50  8325.0 ms  p95  9398.7 ms  p99  9447.7 ms  max  9549.4 ms
    capabilities    299 saves  p50  9263.7 ms  p95 19796.9 ms  p99 23445.3 ms  max 27813.2 ms
    partners        300 saves  p50  4510.4 ms  p95 14828.2 ms  p99 19009.4 ms  max 20514.5 ms
    needs           300 saves  p50  2091.3 ms  p95  9567.7 ms  p99 13194.2 ms  max 14478.3 ms
    consent         300 saves  p50  1276.2 ms  p95  5949.3 ms  p99  9079.1 ms  max  9895.3 ms
    failures by status: ReadError: 1
    acknowledged 1499, found 1499, lost 0

Before that fix the SQLite server fell over under this load: one connection used by two threads at once
("cannot start a transaction within a transaction"), 503 "database is locked", then a crash (SIGSEGV);
298 of 1,500 saves acknowledged (none of them lost).

Latencies are high because 300 clients and the server share two cores; the p99 is what a respondent on
the slowest phone of a 300-person workshop would wait for "guardado".
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.tokens import TokenStore  # noqa: E402
from ecograph.generate import generate_dataset  # noqa: E402
from ecograph.model import CAPABILITIES, DIRECTED_TIE_TYPES, TARGET_GROUPS, TIE_TYPES, Actor  # noqa: E402
from ecograph.service import Service  # noqa: E402
from ecograph.stores import open_store  # noqa: E402
from ecograph.survey.model import SECTIONS, section_payload  # noqa: E402

API = "/api/v1"
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def serve(location: str, port: int, tokens: Path, log: Path, deadline: float) -> subprocess.Popen[bytes]:
    """``ecograph serve`` on 127.0.0.1:``port`` in its own process, once it answers ``/health``."""
    env = {**os.environ, "ECOGRAPH_TOKENS": str(tokens), "ECOGRAPH_ANALYSIS_WAIT": "0"}
    command = [str(Path(sys.executable).parent / "ecograph"), "serve", "--store", location, "--host", HOST,
               "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    limit = min(deadline, time.monotonic() + 60)
    while time.monotonic() < limit:
        if process.poll() is not None:
            break
        try:
            if httpx.get(f"http://{HOST}:{port}/health", timeout=1, trust_env=False).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    stop(process)
    raise SystemExit(f"the server did not start; see {log}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


# -- the respondents' answers -------------------------------------------------------------------------------
def answers_of(actor: Actor, roster: list[str], rng: random.Random) -> dict[str, Any]:
    """The five sections one respondent saves, as a person would fill the form (Spanish spellings included)."""
    number = actor.id.rsplit("-", 1)[-1]
    capabilities = rng.sample(CAPABILITIES, 3)
    partners: list[dict[str, Any]] = []
    for partner in rng.sample([other for other in roster if other != actor.id], 3):
        kind = rng.choice(TIE_TYPES)
        partners.append({"partner": partner, "type": kind,
                         "direction": rng.choice(("gives", "receives")) if kind in DIRECTED_TIE_TYPES else "gives",
                         "since": rng.randint(2010, 2025), "status": rng.choice(("active", "active", "planned")),
                         "strength": rng.randint(1, 5), "trust": rng.randint(1, 4), "value": rng.randint(1, 4)})
    if rng.random() < 0.3:
        partners.append({"proposed": {"name": f"Cooperativa Digital {number}", "acronym": f"CD{number[-3:]}",
                                      "sector": "sociedad civil", "region": actor.region},
                         "type": "capacitación", "strength": 2})
    return {
        "profile": {"name": f"{actor.name} (corregido)", "acronym": f"A{number}", "sector": actor.sector,
                    "type": actor.type, "scope": actor.scope, "website": f"https://actor-{number}.example.pe",
                    "contact_name": f"Responsable {number}", "contact_email": f"contacto{number}@example.pe",
                    "contact_phone": f"+51 976 {number[-6:]}"},
        "capabilities": [{"capability": name, "level": rng.randint(0, 4),
                          "groups": rng.sample(TARGET_GROUPS, rng.randint(0, 2)),
                          "evidence": f"https://actor-{number}.example.pe/{name}" if rng.random() < 0.5 else None}
                         for name in capabilities],
        "partners": partners,
        "needs": {"capabilities": rng.sample([c for c in CAPABILITIES if c not in capabilities], 2)},
        "consent": {"accepted": True},
    }


@dataclass
class Results:
    acknowledged: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    """(actor, section): the payload and saved time the server acknowledged."""
    latencies: dict[str, list[float]] = field(default_factory=lambda: {section: [] for section in SECTIONS})
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    """(actor, section, status code or error)."""
    mismatched: list[tuple[str, str]] = field(default_factory=list)
    """Acknowledged saves whose echoed payload is not the canonical form of what was sent."""
    details: dict[str, str] = field(default_factory=dict)
    """The first answer (or error) of each failing status."""
    started: int = 0
    finished: int = 0


async def respond(client: httpx.AsyncClient, gate: asyncio.Semaphore, actor: str, token: str,
                  answers: dict[str, Any], results: Results) -> None:
    async with gate:
        results.started += 1
        for section in SECTIONS:
            began = time.perf_counter()
            try:
                response = await client.put(f"{API}/survey/{token}/{section}", json=answers[section])
            except httpx.HTTPError as error:
                results.failures.append((actor, section, type(error).__name__))
                results.details.setdefault(type(error).__name__, repr(error)[:300])
                continue
            took = time.perf_counter() - began
            if not response.is_success:
                results.failures.append((actor, section, str(response.status_code)))
                results.details.setdefault(str(response.status_code), response.text[:300])
                continue
            body = response.json()
            results.latencies[section].append(took)
            results.acknowledged[(actor, section)] = {"payload": body["payload"], "saved": body["saved"]}
            if body["payload"] != section_payload(section, answers[section]):
                results.mismatched.append((actor, section))
        results.finished += 1


async def drive(base: str, tokens: dict[str, str], answers: dict[str, dict[str, Any]], concurrency: int,
                seconds: float, results: Results) -> float:
    """Every respondent at once (``concurrency`` at a time), for at most ``seconds``; the wall time taken."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(120, connect=30), limits=limits,
                                 trust_env=False) as client:
        began = time.perf_counter()
        tasks = [asyncio.create_task(respond(client, gate, actor, token, answers[actor], results))
                 for actor, token in tokens.items()]
        done, pending = await asyncio.wait(tasks, timeout=max(1.0, seconds))
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for task in done:
            if task.exception() is not None:
                raise task.exception()  # type: ignore[misc]
        return time.perf_counter() - began


# -- set-up through the API ------------------------------------------------------------------------------------
def open_campaign(base: str, admin: str, campaign: str, regions: list[str], roster: list[str]) -> dict[str, str]:
    """Create the campaign, put ``roster`` on it and take the links export: each actor's link token."""
    headers = {"Authorization": f"Bearer {admin}"}
    today = datetime.now(UTC).date()
    with httpx.Client(base_url=base, headers=headers, timeout=300, trust_env=False) as client:
        made = client.post(f"{API}/campaigns", json={
            "id": campaign, "name": f"Benchmark del ecosistema digital {campaign}", "regions": regions,
            "opens": (today - timedelta(days=1)).isoformat(), "closes": (today + timedelta(days=30)).isoformat()})
        if made.status_code != 201:
            raise SystemExit(f"creating the campaign: {made.status_code} {made.text[:300]}")
        added = client.post(f"{API}/campaigns/{campaign}/roster", json={"actors": roster})
        if added.status_code != 201:
            raise SystemExit(f"the roster: {added.status_code} {added.text[:300]}")
        exported = client.get(f"{API}/campaigns/{campaign}/links.csv")
        if exported.status_code != 200:
            raise SystemExit(f"the links export: {exported.status_code} {exported.text[:300]}")
    rows = csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")))
    return {row["actor"]: row["link"].rsplit("/survey/", 1)[1] for row in rows if row["link"]}


def verify(location: str, campaign: str, results: Results) -> tuple[int, list[tuple[str, str, str]]]:
    """Reopen the store: how many acknowledged saves are there as acknowledged, and those that are not."""
    with open_store(location) as store:
        stored = {(a.actor, a.section): a for a in store.survey.answers(campaign)}
    lost = []
    for key, acknowledged in sorted(results.acknowledged.items()):
        found = stored.get(key)
        if found is None:
            lost.append((*key, "missing"))
        elif found.payload != acknowledged["payload"]:
            lost.append((*key, "different payload"))
        elif found.saved != datetime.fromisoformat(acknowledged["saved"]):
            lost.append((*key, f"saved {found.saved.isoformat()}, acknowledged {acknowledged['saved']}"))
    return len(results.acknowledged) - len(lost), lost


def figures(name: str, values: list[float]) -> str:
    if not values:
        return f"{name:<13} no acknowledged saves"
    ms = [1000 * value for value in values]
    return (f"{name:<13} {len(ms):>5} saves  p50 {percentile(ms, 0.50):7.1f} ms  p95 {percentile(ms, 0.95):7.1f} ms"
            f"  p99 {percentile(ms, 0.99):7.1f} ms  max {max(ms):7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=300, help="actors on the roster, all answering")
    parser.add_argument("--concurrency", type=int, default=300, help="respondents answering at the same time")
    parser.add_argument("--seconds", type=float, default=300.0, help="limit of the whole run")
    parser.add_argument("--actors", type=int, default=1000, help="actors in the synthetic country")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--store", help="a store to replace (default: a fresh SQLite file)")
    args = parser.parse_args()
    deadline = time.monotonic() + args.seconds
    work = Path(tempfile.mkdtemp(prefix="ecograph-bench-survey-"))
    location = args.store or str(work / "country.db")
    rng = random.Random(args.seed)

    dataset = generate_dataset(args.actors, args.seed)
    by_region: dict[str, list[Actor]] = {}
    for actor in dataset.actors:
        if actor.region:
            by_region.setdefault(actor.region, []).append(actor)
    regions: list[str] = []
    for code in sorted(by_region, key=lambda code: -len(by_region[code])):
        if sum(len(by_region[r]) for r in regions) >= args.respondents:
            break
        regions.append(code)
    candidates = sorted((a for r in regions for a in by_region[r]), key=lambda actor: actor.id)
    if len(candidates) < args.respondents:
        raise SystemExit(f"only {len(candidates)} actors in the regions; generate more with --actors")
    chosen = sorted(rng.sample(candidates, args.respondents), key=lambda actor: actor.id)
    roster = [actor.id for actor in chosen]
    answers = {actor.id: answers_of(actor, roster, rng) for actor in chosen}
    print(f"country: {len(dataset.actors):,} actors, {len(dataset.collaborations):,} ties, {len(by_region)} regions; "
          f"campaign over regions {', '.join(sorted(regions))} ({len(candidates)} actors), {len(roster)} on the roster")

    with open_store(location) as store:
        current = store.dataset()
        store.load(dataset, replace=bool(current.actors or current.regions))
        started = time.perf_counter()
        assert Service(lambda: store).refresh()
        print(f"loaded into {location.split('://')[0] if '://' in location else 'SQLite'}; analysis computed once "
              f"in {time.perf_counter() - started:.1f} s")
    tokens_file = work / "tokens.db"
    admin = TokenStore(tokens_file).create("admin", name="survey benchmark")[0]
    campaign = f"bench-{date.today():%Y%m%d}-{os.getpid()}"

    port = free_port()
    server = serve(location, port, tokens_file, work / "server.log", deadline)
    base = f"http://{HOST}:{port}"
    results = Results()
    try:
        links = open_campaign(base, admin, campaign, sorted(regions), roster)
        if sorted(links) != roster:
            raise SystemExit(f"the links export gave {len(links)} links for {len(roster)} invitations")
        remaining = deadline - time.monotonic()
        print(f"campaign {campaign}: {len(links)} links; {len(links)} respondents saving {len(SECTIONS)} sections "
              f"each, {args.concurrency} at a time, for at most {remaining:.0f} s")
        took = asyncio.run(drive(base, links, answers, args.concurrency, remaining, results))
    finally:
        exited = server.poll()
        stop(server)
    if exited is not None:
        print(f"the server exited during the run (code {exited}); see {work / 'server.log'}")

    found, lost = verify(location, campaign, results)
    expected = len(roster) * len(SECTIONS)
    done = sum(len(values) for values in results.latencies.values())
    unfinished = expected - done - len(results.failures)
    print(f"\n{len(roster)} respondents, concurrency {args.concurrency}, {os.cpu_count()} CPUs, "
          f"store {'neo4j' if '://' in location else 'SQLite'}")
    print(f"saves: {expected} attempted, {done} acknowledged, {len(results.failures)} failed, {unfinished} unfinished "
          f"(respondents started {results.started}, finished {results.finished}) in {took:.1f} s: "
          f"{done / took:.1f} saves/s")
    print(figures("every section", [v for values in results.latencies.values() for v in values]))
    for section in SECTIONS:
        print(figures(section, results.latencies[section]))
    if results.failures:
        print("failures by status: " + ", ".join(f"{status}: {count}" for status, count in
                                                  Counter(status for *_, status in results.failures).most_common()))
        for status, detail in results.details.items():
            print(f"  {status}: {detail}")
        for actor, section, status in results.failures[:10]:
            print(f"  {actor} {section}: {status}")
    if results.mismatched:
        print(f"{len(results.mismatched)} acknowledged payloads differ from what was sent (canonical form)")
    print(f"acknowledged {len(results.acknowledged)}, found {found}, lost {len(lost)}")
    for actor, section, why in lost[:10]:
        print(f"  lost: {actor} {section}: {why}")
    if lost:
        sys.exit(1)


if __name__ == "__main__":
    main()
