"""Loading benchmark: ties per second and peak memory of a load into each store, each next to its target.

    .venv/bin/python bench/bench_load.py                      # 10,000 and 100,000 actors, SQLite
    .venv/bin/python bench/bench_load.py --actors 100000 --paths dataset files
    .venv/bin/python bench/bench_load.py --store neo4j://127.0.0.1:7687 --actors 10000

Each row is one fresh child process, so its peak resident memory (ru_maxrss) is its own. Two paths:

- ``dataset``: the country is generated in the process (``generate_dataset(actors, seed=1)``, not timed; ``data
  MB`` is the process's resident memory then: the dataset, the modules, and what generating it left allocated),
  loaded into an empty store (timed: ``load s``; ``cpu s`` is the processor time this process spent on it, which
  other work on a shared machine does not stretch), then loaded again (``re-load s``: it reads the store back and
  compares, nothing changes).
- ``files``: what ``ecograph load FOLDER`` does before it computes the analysis: the same country, written as a
  CSV folder beforehand (not timed), read and validated (``read s``, ``data MB`` after it), then loaded. Its
  ties/s count reading and loading.

Throughput is ties per second against the issue's target (200,000 for SQLite, 50,000 for Neo4j), peak memory
against 500 MB; ``×`` columns are the ratios (>= 1 meets a throughput target, <= 1 a memory one).
Not a test: it prints figures, nothing is asserted. A Neo4j store's data is replaced: use a throwaway instance
(NEO4J_USER and NEO4J_PASSWORD come from the environment).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ecograph.generate import generate_dataset
from ecograph.model import Dataset
from ecograph.readers import read_dataset
from ecograph.stores import open_store
from ecograph.writers import export

TARGET_TIES_PER_S = {"sqlite": 200_000, "neo4j": 50_000}
TARGET_PEAK_MB = 500
COLUMNS = [("store", 6), ("path", 7), ("actors", 8), ("ties", 8), ("read s", 6), ("load s", 6), ("cpu s", 6),
           ("ties/s", 8), ("target", 8), ("×", 5), ("re-load s", 9), ("data MB", 7), ("peak MB", 7), ("target", 6),
           ("×", 5)]
"""Each printed column's header and width."""


def resident_mb() -> float:
    """The process's resident memory now (not its peak), in MB."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def run_one(actors: int, location: str, folder: str | None) -> dict[str, float]:
    start = time.perf_counter()
    dataset = read_dataset(folder) if folder else generate_dataset(actors, seed=1)
    read = time.perf_counter() - start if folder else 0.0
    data_mb = resident_mb()
    with open_store(location) as store:
        if store.version():
            store.load(Dataset(), replace=True)  # start from an empty store
        start, cpu = time.perf_counter(), time.process_time()
        store.load(dataset)
        first, cpu = time.perf_counter() - start, time.process_time() - cpu
        start = time.perf_counter()
        summary = store.load(dataset)
        again = time.perf_counter() - start
        assert not summary.changed
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"ties": len(dataset.collaborations), "read_s": read, "load_s": first, "cpu_s": cpu, "reload_s": again,
            "data_mb": data_mb, "peak_mb": peak_mb}


def write_csv(actors: int, folder: str) -> None:
    export(generate_dataset(actors, seed=1), None, Path(folder), "csv")


def child(*args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout or "{}")  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actors", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--store", action="append", help="store location (default: a temporary SQLite file)")
    parser.add_argument("--paths", nargs="+", choices=["dataset", "files"], default=["dataset"])
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child[0] == "csv":
            write_csv(int(args.child[1]), args.child[2])
        else:
            actors, location, *folder = args.child
            print(json.dumps(run_one(int(actors), location, folder[0] if folder else None)))
        return
    with tempfile.TemporaryDirectory() as scratch:
        stores = args.store or [str(Path(scratch) / "bench.db")]
        print(" ".join(f"{name:>{width}}" for name, width in COLUMNS))
        for actors in args.actors:
            folder = str(Path(scratch) / f"country-{actors}")
            if "files" in args.paths:
                child("csv", str(actors), folder)
            for location in stores:
                kind = "neo4j" if "://" in location else "sqlite"
                for path in args.paths:
                    if kind == "sqlite":
                        for suffix in ("", "-wal", "-shm"):
                            Path(location + suffix).unlink(missing_ok=True)
                    r = child(str(actors), location, *([folder] if path == "files" else []))
                    rate, target = r["ties"] / (r["read_s"] + r["load_s"]), TARGET_TIES_PER_S[kind]
                    cells = [kind, path, f"{actors:,}", f"{r['ties']:,.0f}",
                             f"{r['read_s']:.1f}" if path == "files" else "-", f"{r['load_s']:.1f}",
                             f"{r['cpu_s']:.1f}", f"{rate:,.0f}", f"{target:,}", f"{rate / target:.2f}",
                             f"{r['reload_s']:.1f}", f"{r['data_mb']:,.0f}", f"{r['peak_mb']:,.0f}",
                             str(TARGET_PEAK_MB), f"{r['peak_mb'] / TARGET_PEAK_MB:.2f}"]
                    print(" ".join(f"{cell:>{width}}" for cell, (_, width) in zip(cells, COLUMNS, strict=True)),
                          flush=True)


if __name__ == "__main__":
    main()
