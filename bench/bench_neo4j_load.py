"""Neo4j loading benchmark: ties per second of a first load into an empty database, against the target.

    NEO4J_INSTANCE=bench scripts/neo4j start       # the default heap (1g), as issue #14 asks
    .venv/bin/python bench/bench_neo4j_load.py --store neo4j://127.0.0.1:7687 [--actors 10000 100000]

NEO4J_USER and NEO4J_PASSWORD come from the environment. For each size the generated country
(``generate_dataset(actors, seed=1)``, not timed) is loaded into the emptied store (timed: diff, history entry
and the bulk write with its switch and tidying), then removed again with ``replace`` (timed: the bulk path's
deletes). The re-load that reads the store back is bench/bench_load.py's. Each figure is printed next to its
anchor: ties per second against the 50,000 ties/s target, as a ratio (>= 1 meets it).
Not a test: it prints figures, nothing is asserted. The store's data is replaced: use a throwaway instance.
"""

from __future__ import annotations

import argparse
import os
import time

from ecograph.generate import generate_dataset
from ecograph.model import Dataset
from ecograph.stores.neo4j import Neo4jStore

TARGET_TIES_PER_S = 50_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actors", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--store", default=os.environ.get("NEO4J_URI", "neo4j://127.0.0.1:7687"))
    args = parser.parse_args()
    print(f"{'actors':>8} {'ties':>8} {'load s':>7} {'ties/s':>8} {'target':>8} {'ratio':>6} {'remove s':>8}")
    with Neo4jStore(args.store, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")) as store:
        for actors in args.actors:
            dataset = generate_dataset(actors, seed=1)
            store.load(Dataset(), replace=True)  # start from an empty store
            start = time.perf_counter()
            store.load(dataset)
            first = time.perf_counter() - start
            start = time.perf_counter()
            store.load(Dataset(), replace=True)
            removed = time.perf_counter() - start
            ties = len(dataset.collaborations)
            rate = ties / first
            print(f"{actors:8,} {ties:8,} {first:7.1f} {rate:8,.0f} {TARGET_TIES_PER_S:8,} "
                  f"{rate / TARGET_TIES_PER_S:6.2f} {removed:8.1f}", flush=True)


if __name__ == "__main__":
    main()
