"""Load benchmark of the HTTP API: requests per second and p50/p99 latency of the graph and analysis endpoints
for a region of about 1,000 actors, under concurrent load on loopback, with a cold and a warm cache.

    .venv/bin/python bench/bench_api.py [--actors 4000] [--region 01] [--seconds 10] [--concurrency 16]
                                        [--rate 200] [--connections 64] [--workers 1]

It generates a synthetic country (``ecograph generate``'s generator; with 4,000 actors, region 01 has
997 of them, 1,413 with their partners elsewhere), loads it into a fresh SQLite store (or the store given
with ``--store``, which it replaces), starts ``ecograph serve`` in its own process on a free port of
127.0.0.1 and drives it with its own asyncio load generator (httpx, one connection per client):

* cold: right after a write (a new dataset version, so nothing is cached), ``--concurrency`` identical
  requests at once; they all wait for the one computation, so their latency is the cold cost;
* warm (this and the next phases accept gzip and read the answers as sent, on keep-alive connections of
  their own, lighter than httpx): once the server has analysed the rest of the new version in the background
  (``/api/v1/version`` says so), ``--concurrency`` clients requesting in a loop for ``--seconds`` seconds;
* warm 304: the same with ``If-None-Match``, as a polling dashboard would;
* warm at a fixed rate: open loop, a request every ``1/--rate`` seconds for ``--seconds`` seconds on
  ``--connections`` keep-alive connections, whether or not the earlier ones have been answered (a closed loop
  slows down with the server, so it cannot say what the latency is at a given load); each latency counts from
  the moment its request was due, so queueing shows.

``--workers N`` runs ``ecograph serve --workers N``. The last table puts each figure next to its target, as a
ratio: p99 under :data:`TARGET_P99_MS` at :data:`TARGET_RATE` requests per second (issue #14); a ratio of 1 or
more meets a throughput target, one under 1 meets a latency target. It also gives the CPU time the server (all
its worker processes, read from /proc) and the load generator spent per answered request in that phase: a
figure other work on the machine changes little, unlike the latencies. Each phase is bounded in time. The load
generator runs on the same machine and shares its cores with the server, so the figures are a lower bound of
what the server alone can do.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.schemas import ActorBody  # noqa: E402
from api.tokens import TokenStore  # noqa: E402
from ecograph.generate import generate_dataset  # noqa: E402
from ecograph.stores import open_store  # noqa: E402

TARGET_RATE = 200.0
"""Requests per second the warm graph and analysis endpoints must take (issue #14)."""
TARGET_P99_MS = 50.0
"""Their p99 latency at that rate, in milliseconds."""
ENDPOINTS = {
    "graph (node-link)": "/api/v1/regions/{region}/graph",
    "graph (cytoscape)": "/api/v1/regions/{region}/graph?format=cytoscape",
    "analysis": "/api/v1/regions/{region}/analysis",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def summary(latencies: list[float], seconds: float) -> dict[str, float]:
    return {"requests": len(latencies), "rps": round(len(latencies) / seconds, 1),
            "p50_ms": round(1000 * percentile(latencies, 0.50), 1),
            "p99_ms": round(1000 * percentile(latencies, 0.99), 1),
            "mean_ms": round(1000 * statistics.fmean(latencies), 1)}


async def burst(client: httpx.AsyncClient, url: str, count: int) -> list[float]:
    async def one() -> float:
        start = time.perf_counter()
        response = await client.get(url)
        response.raise_for_status()
        return time.perf_counter() - start

    return list(await asyncio.gather(*(one() for _ in range(count))))


class Connection:
    """One keep-alive HTTP/1.1 connection that sends GETs accepting gzip, as browsers do, and reads each answer as
    sent, without inflating it (a client inflates on its own machine). The warm phases use it rather than httpx,
    whose own CPU per request was several times the server's: on shared cores it measured itself."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str) -> None:
        self.reader, self.writer, self.host = reader, writer, host

    @classmethod
    async def open(cls, base: str) -> Connection:
        host, _, port = base.removeprefix("http://").partition(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        return cls(reader, writer, f"{host}:{port}")

    async def get(self, path: str, headers: dict[str, str] | None = None) -> int:
        """The status of ``GET path``, its body read whole (answers here carry Content-Length)."""
        lines = [f"GET {path} HTTP/1.1", f"Host: {self.host}", "Accept-Encoding: gzip",
                 *(f"{name}: {value}" for name, value in (headers or {}).items())]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length:
            await self.reader.readexactly(length)
        return int(head.split(b" ", 2)[1])

    def close(self) -> None:
        self.writer.close()


async def load(base: str, url: str, clients: int, seconds: float, headers: dict[str, str] | None = None,
               expect: int = 200) -> tuple[list[float], float]:
    """Closed loop: ``clients`` connections, each sending its next request when the last is answered."""
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def worker() -> None:
        connection = await Connection.open(base)
        try:
            while time.perf_counter() < stop:
                start = time.perf_counter()
                status = await connection.get(url, headers)
                if status != expect:
                    raise RuntimeError(f"{url}: {status}")
                latencies.append(time.perf_counter() - start)
        finally:
            connection.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, time.perf_counter() - began


def server_cpu(pid: int) -> float:
    """CPU seconds used so far by process ``pid`` and its descendants (the workers), from /proc (Linux)."""
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # ended meanwhile
                continue
            parents[int(entry.name)] = int(fields[1])
            used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    family, grown = {pid}, True
    while grown:
        more = {child for child, parent in parents.items() if parent in family} - family
        family |= more
        grown = bool(more)
    return sum(used.get(member, 0.0) for member in family)


async def paced(base: str, url: str, rate: float, seconds: float, connections: int) -> dict[str, float]:
    """Open loop: a request due every ``1/rate`` s for ``seconds`` s, each sent when due on an idle one of
    ``connections`` keep-alive connections (waiting for one if all are busy, as a crowd of browsers would queue);
    latencies from the moment each was due. The achieved rate counts the answers until the last one came."""
    idle: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(connections):
        idle.put_nowait(await Connection.open(base))
    latencies: list[float] = []
    failures = 0
    began = time.perf_counter()
    server_before, client_before = server_cpu(SERVER["pid"]), time.process_time()

    async def one(due: float) -> None:
        nonlocal failures
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        connection = await idle.get()
        try:
            ok = await connection.get(url) == 200
        except (OSError, asyncio.IncompleteReadError):
            connection.close()
            connection, ok = await Connection.open(base), False
        idle.put_nowait(connection)
        if ok:
            latencies.append(time.perf_counter() - due)
        else:
            failures += 1

    await asyncio.gather(*(one(began + i / rate) for i in range(round(rate * seconds))))
    took = time.perf_counter() - began
    answered = max(1, len(latencies))
    result = {**summary(latencies, took), "offered_rps": rate, "failed": failures,
              "server_cpu_ms": round(1000 * (server_cpu(SERVER["pid"]) - server_before) / answered, 2),
              "client_cpu_ms": round(1000 * (time.process_time() - client_before) / answered, 2)}
    while not idle.empty():
        idle.get_nowait().close()
    return result


async def run(base: str, token: str, region: str, actor: str, clients: int, seconds: float,
              rate: float, connections: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=600, limits=limits) as client:
        for bump, (name, template) in enumerate(ENDPOINTS.items()):
            url = template.format(region=region)
            # A write makes a new dataset version: nothing computed for the old one applies any more.
            changed = await client.put(f"/api/v1/actors/{actor}", headers={"Authorization": f"Bearer {token}"},
                                       json={**ACTOR_BODY, "description": f"benchmark change {bump}"})
            changed.raise_for_status()
            cold = await burst(client, url, clients)
            # The server goes on analysing the rest of the new version in the background (every region, the
            # country): warm figures are taken once it is done, as in a server between writes.
            deadline = time.perf_counter() + 900
            while not (await client.get("/api/v1/version")).json()["analysis"]:
                if time.perf_counter() > deadline:
                    raise RuntimeError("the new version's analysis did not finish in 900 s")
                await asyncio.sleep(0.5)
            warm, took = await load(base, url, clients, seconds)
            sent = await client.get(url, headers={"Accept-Encoding": "gzip"})
            revalidated, took304 = await load(base, url, clients, seconds, {"If-None-Match": sent.headers["etag"]},
                                              expect=304)
            at_rate = await paced(base, url, rate, seconds, connections)
            results[name] = {"url": url, "bytes": len(sent.content), "wire_bytes": int(sent.headers["content-length"]),
                             "cold": {"p50_ms": round(1000 * percentile(cold, 0.5), 1),
                                      "max_ms": round(1000 * max(cold), 1), "requests": len(cold)},
                             "warm": summary(warm, took), "warm_304": summary(revalidated, took304),
                             "warm_at_rate": at_rate}
            print(f"{name}: cold {results[name]['cold']}, warm {results[name]['warm']}, "
                  f"304 {results[name]['warm_304']}, at {rate:g} req/s {at_rate}", file=sys.stderr)
    return results


ACTOR_BODY: dict[str, Any] = {}
SERVER = {"pid": 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=4000, help="actors in the synthetic country")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--region", default="01", help="the region to load-test (01 is the largest)")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each warm phase")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients")
    parser.add_argument("--rate", type=float, default=TARGET_RATE, help="offered requests per second of the "
                        "fixed-rate phase")
    parser.add_argument("--connections", type=int, default=64, help="keep-alive connections of the fixed-rate "
                        "phase")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes (ecograph serve --workers)")
    parser.add_argument("--store", help="store to use (replaced!); default: a new SQLite file")
    parser.add_argument("--out", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ecograph-bench-api-"))
    location = args.store or str(workdir / "bench.db")
    dataset = generate_dataset(args.actors, args.seed)
    with open_store(location) as store:
        store.load(dataset, replace=True)
        graph = store.graph(args.region)
        local = sum(1 for _, home in graph.nodes(data="region") if home == args.region)
        print(f"region {args.region}: {local} actors, {graph.number_of_nodes()} with partners, "
              f"{graph.number_of_edges()} ties", file=sys.stderr)
    actor = next(a for a in dataset.actors if a.region == args.region)
    ACTOR_BODY.update(actor.model_dump(include=set(ActorBody.model_fields)))  # what PUT /actors/{id} takes
    tokens = workdir / "tokens.db"
    token = TokenStore(tokens).create("admin", name="benchmark")[0]

    port = free_port()
    env = {**os.environ, "ECOGRAPH_TOKENS": str(tokens)}
    server = subprocess.Popen(
        [sys.executable, "-c", "import typer; from api.cli import serve; typer.run(serve)", "--port", str(port),
         "--store", location, "--workers", str(args.workers), "--log-level", "warning"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    SERVER["pid"] = server.pid
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        results = asyncio.run(run(base, token, args.region, actor.id, args.concurrency, args.seconds, args.rate,
                                  args.connections))
    finally:
        server.terminate()
        server.wait(timeout=30)
    report = {"actors": args.actors, "region": args.region, "region_actors": local,
              "graph_nodes": graph.number_of_nodes(), "graph_edges": graph.number_of_edges(),
              "concurrency": args.concurrency, "seconds": args.seconds, "rate": args.rate, "workers": args.workers,
              "cpus": os.cpu_count(), "results": results}
    print(f"\n{local}-actor region ({graph.number_of_nodes()} nodes with partners, {graph.number_of_edges()} ties), "
          f"{args.workers} server worker(s), {args.concurrency} concurrent clients, {args.seconds:g} s per warm phase, "
          f"{os.cpu_count()} CPUs shared by the server and this load generator\n")
    print("| endpoint | bytes | cold p50 ms | warm req/s | warm p50 ms | warm p99 ms | 304 req/s | 304 p50 ms "
          "| 304 p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, found in results.items():
        warm, revalidated = found["warm"], found["warm_304"]
        print(f"| {name} | {found['bytes']} | {found['cold']['p50_ms']} | {warm['rps']} | {warm['p50_ms']} | "
              f"{warm['p99_ms']} | {revalidated['rps']} | {revalidated['p50_ms']} | {revalidated['p99_ms']} |")
    print(f"\nAt a fixed offered rate of {args.rate:g} req/s (open loop), against the targets: {TARGET_RATE:g} req/s "
          f"taken, p99 under {TARGET_P99_MS:g} ms\n")
    print("| endpoint | wire bytes | req/s taken | / target | p50 ms | p99 ms | / target | failed | server CPU ms "
          "per request | load generator CPU ms per request |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, found in results.items():
        paced_run = found["warm_at_rate"]
        print(f"| {name} | {found['wire_bytes']} | {paced_run['rps']} | {paced_run['rps'] / TARGET_RATE:.2f} | "
              f"{paced_run['p50_ms']} | {paced_run['p99_ms']} | {paced_run['p99_ms'] / TARGET_P99_MS:.2f} | "
              f"{paced_run['failed']} | {paced_run['server_cpu_ms']} | {paced_run['client_cpu_ms']} |")
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
