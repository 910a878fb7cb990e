"""Analysis benchmark: every measure, and the full report for every region, on generated countries.

    .venv/bin/python bench/bench_analysis.py                 # 10,000 and 100,000 actors
    .venv/bin/python bench/bench_analysis.py --actors 10000

For each size it loads a generated dataset into a temporary SQLite store, times each measure on
the largest region, checks PageRank and betweenness against igraph there, and times the full
report (measures, structure, gaps, opportunities, convening set) for every region. Not a test:
it prints figures.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import igraph
import networkx as nx

from ecograph.analysis import compare_regions
from ecograph.analysis import measures as m
from ecograph.analysis.convene import convene
from ecograph.analysis.gaps import find_gaps
from ecograph.analysis.opportunities import opportunities
from ecograph.analysis.structure import structure
from ecograph.generate import generate_dataset
from ecograph.graph import collapse
from ecograph.stores import SQLiteStore


def timed(label: str, action: Callable[[], object]) -> object:
    start = time.perf_counter()
    result = action()
    print(f"  {label:34} {time.perf_counter() - start:9.2f} s", flush=True)
    return result


def igraph_check(graph: nx.Graph, rank: dict[str, float]) -> None:
    nodes = list(graph)
    index = {n: i for i, n in enumerate(nodes)}
    other = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges()])
    weights = [d["weight"] for _, _, d in graph.edges(data=True)]
    theirs = other.pagerank(weights=weights, damping=0.85)
    worst = max(abs(rank[n] - theirs[index[n]]) / theirs[index[n]] for n in nodes)
    default = nx.pagerank(graph, weight="weight")
    worst_default = max(abs(default[n] - theirs[index[n]]) / theirs[index[n]] for n in nodes)
    print(f"  PageRank vs igraph: worst relative difference {worst:.2e} at tol=1e-10, "
          f"{worst_default:.2e} at networkx's default tol")


def bench(actors: int) -> None:
    with tempfile.TemporaryDirectory() as scratch, SQLiteStore(Path(scratch) / "bench.db") as store:
        store.load(generate_dataset(actors, seed=1))
        sizes = {r.code: len(store.actors(region=r.code)) for r in store.regions()}
        biggest = max(sizes, key=sizes.get)
        graph = collapse(store.graph(biggest))
        print(f"\n{actors:,} actors, {len(sizes)} regions; largest region {biggest}: "
              f"{graph.number_of_nodes():,} actors, {graph.number_of_edges():,} ties")
        timed("degree and weighted degree", lambda: dict(graph.degree(weight="weight")))
        _, method = timed("betweenness", lambda: m.betweenness(graph))  # type: ignore[misc]
        print(f"    ({method})")
        timed("harmonic closeness", lambda: m.harmonic_closeness(graph))
        rank = timed("pagerank (tol 1e-10)", lambda: m.pagerank(graph))
        timed("k-core", lambda: nx.core_number(graph))
        timed("louvain + modularity", lambda: m.communities(graph))
        timed("constraint + effective size", lambda: m.constraint_and_effective_size(graph))
        timed("brokerage roles", lambda: m.brokerage(graph))
        figures = timed("structure", lambda: structure(graph))
        timed("gaps", lambda: find_gaps(graph, figures))  # type: ignore[arg-type]
        timed("opportunities", lambda: opportunities(graph, {}, {}))
        timed("convening set + fragmenters", lambda: convene(graph))
        igraph_check(graph, rank)  # type: ignore[arg-type]
        timed(f"full report, all {len(sizes)} regions", lambda: compare_regions(store))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actors", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    for actors in args.actors:
        bench(actors)


if __name__ == "__main__":
    main()
