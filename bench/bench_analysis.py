"""Analysis benchmark: every measure and the full reports on generated countries, each figure next to
its anchor (igraph's time for the same measure, or the target of the national-scale issue) as a
ratio, and how far each measure is from igraph's values.

    .venv/bin/python bench/bench_analysis.py                 # 10,000 and 100,000 actors
    .venv/bin/python bench/bench_analysis.py --actors 10000 --networkx   # also time networkx's own functions

For each size it loads a generated dataset into a temporary SQLite store; on the largest region's
graph it times each measure against igraph (and with --networkx times the networkx function it
replaces); then the report of every region computed cold, one after another and in one worker process
per core (as the service computes them after a load), the service's whole stored analysis, and the
reports asked for through a new service (read from the stored analysis) and again (from its memory).
Not a test: it prints figures, nothing is asserted. Run it on an otherwise idle machine: on a shared
one every time is inflated.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import igraph
import networkx as nx
import numpy as np

from ecograph.analysis import RegionReport, region_report
from ecograph.analysis import measures as m
from ecograph.analysis.convene import convene
from ecograph.analysis.gaps import find_gaps
from ecograph.analysis.opportunities import opportunities
from ecograph.analysis.paths import path_measures
from ecograph.analysis.structure import structure
from ecograph.generate import generate_dataset
from ecograph.graph import collapse, orient
from ecograph.service import Service
from ecograph.stores import SQLiteStore

TARGETS = {"structure": 3.0, "opportunities": 3.0, "convening set + fragmenters": 3.0,
           "every region's report, cold": 60.0, f"every region's report, cold, {os.cpu_count() or 1} processes": 60.0,
           "every region's report, again": 0.2}
"""Seconds, from the national-scale issue (2 cores, 100,000 actors); Louvain's anchor is igraph: at most 3x."""


SECONDS: dict[str, float] = {}
"""Every timed figure of the current size, by label, for the ratios."""


def timed(label: str, action: Callable[[], object]) -> object:
    start = time.perf_counter()
    result = action()
    SECONDS[label] = time.perf_counter() - start
    anchor = TARGETS.get(label)
    versus = f"   target {anchor:g} s: {SECONDS[label] / anchor:5.2f}x" if anchor else ""
    print(f"  {label:44} {SECONDS[label]:9.2f} s{versus}", flush=True)
    return result


def ratio(label: str, ours: str, *theirs: str) -> None:
    """Our time over igraph's for the same work (the sum of its ``theirs`` timings)."""
    anchor = sum(SECONDS[name] for name in theirs)
    report(label, f"{SECONDS[ours] / anchor:.2f}x igraph ({SECONDS[ours]:.2f} s against {anchor:.2f} s)")


def report(label: str, text: str) -> None:
    print(f"  {label:44} {text}", flush=True)


def relative(ours: np.ndarray, theirs: np.ndarray) -> np.ndarray:
    return np.abs(ours - theirs) / np.maximum(np.abs(theirs), 1e-300)


def time_measures(graph: nx.Graph, directed: nx.DiGraph) -> None:
    timed("degree and weighted degree", lambda: dict(graph.degree(weight="weight")))
    found = timed("betweenness + harmonic closeness (one pass)", lambda: path_measures(graph, m.EXACT_BETWEENNESS_LIMIT,
                                                                                    m.BETWEENNESS_SAMPLES, m.SEED))
    print(f"    ({found.method})")  # type: ignore[attr-defined]
    timed("pagerank (tol 1e-12)", lambda: m.pagerank(graph))
    timed("k-core", lambda: nx.core_number(graph))
    membership, _ = timed("louvain + modularity", lambda: m.communities(graph))  # type: ignore[misc]
    constraint, _ = timed("constraint + effective size", lambda: m.constraint_and_effective_size(graph))  # type: ignore[misc]
    timed("brokerage roles", lambda: m.brokerage(directed))
    figures = timed("structure", lambda: structure(graph))
    timed("gaps", lambda: find_gaps(graph, figures))  # type: ignore[arg-type]
    timed("opportunities", lambda: opportunities(graph, membership, constraint))
    timed("convening set + fragmenters", lambda: convene(graph))


def time_networkx(graph: nx.Graph) -> None:
    """The networkx functions the engine replaced or tuned, on the same graph."""
    for _, _, data in graph.edges(data=True):
        data["length"] = 60 // data["weight"]
    sources = random.Random(m.SEED).sample(sorted(graph), m.BETWEENNESS_SAMPLES)
    timed(f"nx betweenness_centrality k={m.BETWEENNESS_SAMPLES}",
          lambda: nx.betweenness_centrality(graph, k=m.BETWEENNESS_SAMPLES, weight="length", seed=m.SEED))
    timed(f"nx harmonic_centrality, {m.BETWEENNESS_SAMPLES} sources",
          lambda: nx.harmonic_centrality(graph, sources=sources, distance="length"))
    timed("nx pagerank (default tol 1e-6)", lambda: nx.pagerank(graph, weight="weight"))
    timed("nx constraint (all nodes: sparse path)", lambda: nx.constraint(graph, weight="weight"))
    some = sorted(graph)[:200]
    timed("nx constraint, 200 nodes (per-node path)", lambda: nx.constraint(graph, nodes=some, weight="weight"))
    timed("nx effective_size (all nodes: sparse path)", lambda: nx.effective_size(graph, weight="weight"))


def compare_igraph(graph: nx.Graph, exact_paths: bool, path_reference: bool) -> None:
    """Every measure igraph also has, ours against igraph's, on the same graph; betweenness, closeness and
    networkx's effective size only with ``path_reference`` (they take tens of minutes on the largest region of
    100,000 actors)."""
    nodes = list(graph)
    index = {n: i for i, n in enumerate(nodes)}
    other = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges()])
    other.es["weight"] = [d["weight"] for _, _, d in graph.edges(data=True)]
    other.es["distance"] = [1 / w for w in other.es["weight"]]
    n = len(nodes)
    if path_reference:
        between = np.array(timed("igraph betweenness (exact)", lambda: other.betweenness(weights="distance")))
        between /= (n - 1) * (n - 2) / 2
        harmonic = np.array(timed("igraph harmonic closeness (exact)",
                                  lambda: other.harmonic_centrality(weights="distance", normalized=True)))
        top = np.argsort(-between)[:100]
        sampled = path_measures(graph, m.EXACT_BETWEENNESS_LIMIT, m.BETWEENNESS_SAMPLES, m.SEED)
        ours_b = np.array([sampled.betweenness[x] for x in nodes])
        ours_c = np.array([sampled.closeness[x] for x in nodes])
        if sampled.betweenness_se is not None:
            error = np.array([sampled.betweenness_se[x] for x in nodes])
            within = np.mean(np.abs(ours_b[top] - between[top]) <= 2 * error[top])
            off = relative(ours_b[top], between[top])
            report(f"betweenness {sampled.method}", f"top-100 actors: median relative error {np.median(off):.1%}, "
                   f"max {off.max():.1%}, {within:.0%} within 2 stated standard errors")
            report("  same actor ranked first?", str(int(np.argmax(ours_b)) == int(np.argmax(between))))
            report(f"harmonic closeness {sampled.method}", f"all actors: median relative error "
                   f"{np.median(relative(ours_c, harmonic)):.2%}, max {relative(ours_c, harmonic).max():.2%}")
        if exact_paths:
            exact = timed("ours: betweenness + closeness, exact", lambda: path_measures(graph, limit=n))
            ours_b = np.array([exact.betweenness[x] for x in nodes])  # type: ignore[attr-defined]
            ours_c = np.array([exact.closeness[x] for x in nodes])  # type: ignore[attr-defined]
            report("betweenness exact vs igraph", f"max abs difference {np.abs(ours_b - between).max():.1e}")
            report("harmonic closeness exact vs igraph",
                   f"max relative difference {relative(ours_c, harmonic).max():.1e}")
    rank = np.array(list(m.pagerank(graph).values()))
    default = np.array(list(nx.pagerank(graph, weight="weight").values()))
    theirs = np.array(timed("igraph pagerank", lambda: other.pagerank(weights="weight", damping=0.85)))
    report("pagerank vs igraph", f"max relative difference {relative(rank, theirs).max():.1e} at tol 1e-12, "
           f"{relative(default, theirs).max():.1e} at networkx's default tol")
    constraint, effective = m.constraint_and_effective_size(graph)
    ours = np.array([constraint[x] if constraint[x] is not None else np.nan for x in nodes])
    theirs = np.array(timed("igraph constraint", lambda: other.constraint(weights="weight")))
    report("constraint vs igraph", f"max abs difference {np.nanmax(np.abs(ours - theirs)):.1e}")
    if path_reference:  # networkx's effective size of every actor takes tens of minutes at 100,000 actors too
        some = sorted(graph, key=lambda x: -graph.degree(x))[:300]
        slow = nx.effective_size(graph, nodes=some, weight="weight")
        fast = nx.effective_size(graph, weight="weight")
        report("effective size vs nx per-node path (300 hubs)",
               f"max abs difference {max(abs(effective[x] - slow[x]) for x in some):.1e}; networkx's own sparse "  # type: ignore[operator]
               f"path differs from it by up to {max(abs(fast[x] - slow[x]) for x in some):.2f}")
    core = nx.core_number(graph)
    coreness = timed("igraph coreness", other.coreness)
    report("k-core vs igraph coreness", f"{sum(core[x] != c for x, c in zip(nodes, coreness, strict=True))} "  # type: ignore[call-overload]
           "actors differ")
    membership, modularity = m.communities(graph)
    theirs_q = timed("igraph multilevel", lambda: other.community_multilevel(weights="weight")).modularity  # type: ignore[attr-defined]
    report("louvain modularity vs igraph multilevel", f"{modularity:.4f} vs {theirs_q:.4f} "
           f"({max(membership.values()) + 1} communities)")


def bench(actors: int, with_networkx: bool, path_reference: bool) -> None:
    SECONDS.clear()
    with tempfile.TemporaryDirectory() as scratch, SQLiteStore(Path(scratch) / "bench.db") as store:
        dataset = generate_dataset(actors, seed=1)
        timed(f"generate and load {actors:,} actors", lambda: store.load(dataset))
        sizes = {r.code: len(store.actors(region=r.code)) for r in store.regions()}
        biggest = max(sizes, key=sizes.get)  # type: ignore[arg-type]
        multi = store.graph(biggest)
        graph = collapse(multi)
        directed = orient(multi)
        print(f"\n{actors:,} actors, {len(dataset.collaborations):,} ties, {len(sizes)} regions; largest region "
              f"{biggest}: {sizes[biggest]:,} own actors, {graph.number_of_nodes():,} with partners, "
              f"{graph.number_of_edges():,} tied pairs", flush=True)
        time_measures(graph, directed)
        if with_networkx:
            time_networkx(graph.copy())
        compare_igraph(graph, exact_paths=graph.number_of_nodes() <= 10_000,
                       path_reference=path_reference or graph.number_of_nodes() <= 10_000)
        ratio("louvain (best of its seeds) against igraph", "louvain + modularity", "igraph multilevel")
        ratio("pagerank against igraph", "pagerank (tol 1e-12)", "igraph pagerank")
        ratio("k-core against igraph", "k-core", "igraph coreness")
        ratio("constraint + effective size against igraph's constraint", "constraint + effective size",
              "igraph constraint")
        if "ours: betweenness + closeness, exact" in SECONDS:
            ratio("exact betweenness + closeness against igraph's two", "ours: betweenness + closeness, exact",
                  "igraph betweenness (exact)", "igraph harmonic closeness (exact)")
        timed("every region's report, cold", lambda: [region_report(store.graph(code)) for code in sizes])
        workers = os.cpu_count() or 1
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            list(pool.map(_report_of, [str(store.path)] * workers, [None] * workers))  # started, as a service's are
            timed(f"every region's report, cold, {workers} processes",
                  lambda: list(pool.map(_report_of, [str(store.path)] * len(sizes), sorted(sizes, key=sizes.get,
                                                                                          reverse=True))))
        timed(f"stored analysis (Service.refresh, {workers} processes)", Service(lambda: store).refresh)
        version = store.version()
        service = Service(lambda: store)  # a new process over the stored analysis
        timed("every region's report, stored, first call", lambda: [service.report(version, code) for code in sizes])
        timed("every region's report, again", lambda: [service.report(version, code) for code in sizes])


def _report_of(path: str, code: str | None) -> RegionReport | None:
    """A region's report in a worker process, read from the store at ``path`` (None: only start the worker)."""
    return None if code is None else region_report(SQLiteStore(path).graph(code))
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actors", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--networkx", action="store_true", help="also time the networkx functions replaced")
    parser.add_argument("--path-reference", action="store_true",
                        help="also above 10,000 nodes, check sampled betweenness and closeness against igraph's exact "
                             "ones (tens of minutes at 100,000 actors)")
    args = parser.parse_args()
    for actors in args.actors:
        bench(actors, args.networkx, args.path_reference)


if __name__ == "__main__":
    main()
