"""The stored analysis at work: pages served by a restarted server without recomputing anything.

    .venv/bin/python bench/bench_service.py [--actors 20000] [--visits 20] [--store neo4j://...]

It generates a synthetic country (``ecograph generate``'s generator), loads it into a fresh SQLite
store (or the store given with ``--store``, which it replaces) and computes its analysis once, as
``ecograph load`` does (timed: that is the cost a load pays). Then, as after a restart, it starts
``ecograph serve`` in a new process on a free port of 127.0.0.1 and measures:

* the first request for every region page (each one cold in that process: the region's graph is read
  from the store, its stored analysis and layout are decoded, the page is rendered);
* ``--visits`` later visits to the largest region's page (warm);
* a second server over the same store: its first answer for the largest region's analysis. Neither
  server recomputes anything: ``/api/v1/version`` says the analysis of the version is stored, and the
  background job only computes a version whose analysis is not.

Latency is measured by the client on loopback, so it includes a little HTTP overhead on top of the
server's own time.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ecograph.generate import generate_dataset  # noqa: E402
from ecograph.service import Service  # noqa: E402
from ecograph.stores import open_store  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(store: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ECOGRAPH_ANALYSIS_WAIT": "0"}
    command = [str(Path(sys.executable).parent / "ecograph"), "serve", "--store", store, "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the server did not start; see {log}")


def timed_get(client: httpx.Client, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    status = client.get(path).status_code
    return time.perf_counter() - started, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actors", type=int, default=20_000)
    parser.add_argument("--visits", type=int, default=20)
    parser.add_argument("--store", help="a store to replace (default: a fresh SQLite file)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ecograph-bench-service-"))
    location = args.store or str(work / "country.db")

    dataset = generate_dataset(args.actors, 0, 5.0)
    sizes = Counter(actor.region for actor in dataset.actors if actor.region)
    largest = sizes.most_common(1)[0][0]
    print(f"country: {len(dataset.actors):,} actors, {len(dataset.collaborations):,} ties, {len(sizes)} regions; "
          f"largest region {largest} with {sizes[largest]:,} actors")
    with open_store(location) as store:
        current = store.dataset()
        if current.actors or current.regions:
            store.load(dataset, replace=True)
        else:
            store.load(dataset)
        started = time.perf_counter()
        assert Service(lambda: store).refresh()
        print(f"analysis of every region and the country, computed once and stored: "
              f"{time.perf_counter() - started:.1f} s")

    first = serve(location, free_port(), work / "server-1.log")
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{first.args[-1]}", timeout=120) as client:
            cold = {code: timed_get(client, f"/regions/{code}") for code in sorted(sizes)}
            statuses = {status for _, status in cold.values()}
            worst = max(cold, key=lambda code: cold[code][0])
            median = statistics.median(t for t, _ in cold.values())
            print(f"restarted server, first request per region page: median {median:.3f} s, "
                  f"slowest {cold[worst][0]:.3f} s (region {worst}), largest region {cold[largest][0]:.3f} s; "
                  f"statuses {sorted(statuses)}")
            warm = sorted(timed_get(client, f"/regions/{largest}")[0] for _ in range(args.visits))
            print(f"later visits to the largest region's page ({args.visits}): median {statistics.median(warm):.4f} s, "
                  f"slowest {warm[-1]:.4f} s")
        second = serve(location, free_port(), work / "server-2.log")
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{second.args[-1]}", timeout=120) as client:
                stored = client.get("/api/v1/version").json()["analysis"]
                took, status = timed_get(client, f"/api/v1/regions/{largest}/analysis")
                print(f"second server (analysis stored: {stored}), first analysis of region {largest}: {took:.3f} s, "
                      f"status {status}")
        finally:
            second.terminate()
            second.wait(10)
    finally:
        first.terminate()
        first.wait(10)


if __name__ == "__main__":
    main()
