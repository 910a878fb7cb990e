"""Loading benchmark: rows per second and peak memory when loading a generated dataset into each store.

    .venv/bin/python bench/bench_load.py                      # 10,000 and 100,000 actors, SQLite
    .venv/bin/python bench/bench_load.py --store neo4j://127.0.0.1:7687 --actors 10000

Each run is a fresh child process, so its peak resident memory (ru_maxrss) is its own. The
dataset is generated first (not timed), then loaded into an empty store (timed), then loaded
again (the idempotent re-load, timed: it reads the store back and compares).
Not a test: it prints figures, nothing is asserted.
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
from ecograph.stores import open_store


def run_one(actors: int, location: str) -> dict[str, float]:
    dataset = generate_dataset(actors, seed=1)
    rows = len(dataset.regions) + len(dataset.actors) + len(dataset.collaborations)
    with open_store(location) as store:
        if store.version():
            store.load(type(dataset)(), replace=True)  # start from an empty store
        start = time.perf_counter()
        store.load(dataset)
        first = time.perf_counter() - start
        start = time.perf_counter()
        summary = store.load(dataset)
        again = time.perf_counter() - start
        assert not summary.changed
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"actors": actors, "ties": len(dataset.collaborations), "rows": rows, "load_s": first,
            "rows_per_s": rows / first, "reload_s": again, "peak_mb": peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actors", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--store", action="append", help="store location (default: a temporary SQLite file)")
    parser.add_argument("--child", nargs=2, metavar=("ACTORS", "STORE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(int(args.child[0]), args.child[1])))
        return
    with tempfile.TemporaryDirectory() as scratch:
        stores = args.store or [str(Path(scratch) / "bench.db")]
        print(f"{'store':12} {'actors':>8} {'ties':>8} {'load s':>8} {'rows/s':>9} {'re-load s':>9} {'peak MB':>8}")
        for location in stores:
            for actors in args.actors:
                if location.endswith(".db"):
                    Path(location).unlink(missing_ok=True)
                out = subprocess.run([sys.executable, __file__, "--child", str(actors), location],
                                     capture_output=True, text=True, check=True).stdout
                r = json.loads(out)
                kind = "neo4j" if "://" in location else "sqlite"
                print(f"{kind:12} {r['actors']:8,} {r['ties']:8,} {r['load_s']:8.1f} {r['rows_per_s']:9,.0f} "
                      f"{r['reload_s']:9.1f} {r['peak_mb']:8,.0f}", flush=True)


if __name__ == "__main__":
    main()
