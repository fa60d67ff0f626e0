"""Network analysis at scale: threadline's measures on synthetic graphs, and beside networkx.

Three benchmarks (figures go to docs/benchmarks.md; nothing here passes or fails):

``scale``
    A seeded planted-partition graph (1,000,000 vertices, 10,000,000 edges,
    communities of 1,000 with 80 % of each vertex's ties inside its own):
    degree, PageRank, k-core, components and harmonic closeness within a hop
    cutoff; Leiden; betweenness sampled from a few hundred pivots. Wall time
    of each, peak memory of the process and its workers.
``networkx``
    The same generator at 50,000 vertices / 250,000 edges: degree, PageRank,
    components, betweenness from the same sampled pivots, and communities
    (networkx Louvain vs our Leiden), side by side; the speed-up overall.
``kpp``
    KPP-Neg (fragmentation), k = 10, on a 10,000-vertex graph.

    python benchmarks/graph_scale.py scale [--nodes 1000000 --edges 10000000]
    python benchmarks/graph_scale.py networkx
    python benchmarks/graph_scale.py kpp
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

import igraph as ig
import numpy as np

from threadline.analyze.cells import leiden_membership
from threadline.analyze.keyplayers import kpp_neg
from threadline.analyze.measures import (
    betweenness,
    components,
    coreness,
    degree,
    harmonic,
    pagerank,
    pivots_for,
)


def planted_partition(
    n: int, m: int, *, community: int = 1000, p_in: float = 0.8, seed: int = 1
) -> np.ndarray:
    """``m`` distinct undirected edges on ``n`` vertices with community structure (seeded).

    Vertex v is in community ``v // community``; each edge starts at a uniform
    vertex and ends, with probability ``p_in``, at a uniform vertex of the same
    community, else anywhere.
    """
    rng = np.random.default_rng(seed)
    draw = int(m * 1.03) + 10
    keys = np.empty(0, dtype=np.int64)
    while len(keys) < m:
        u = rng.integers(0, n, draw)
        inside = rng.random(draw) < p_in
        v = np.where(
            inside,
            (u // community) * community + rng.integers(0, community, draw),
            rng.integers(0, n, draw),
        )
        v = np.minimum(v, n - 1)
        a, b = np.minimum(u, v), np.maximum(u, v)
        keep = a != b
        keys = np.unique(np.concatenate([keys, a[keep] * n + b[keep]]))
    rng.shuffle(keys)
    keys = np.sort(keys[:m])
    return np.stack([keys // n, keys % n], axis=1)


def build(n: int, m: int, seed: int = 1) -> Any:
    edges = planted_partition(n, m, seed=seed)
    return ig.Graph(n=n, edges=edges, directed=False)


def peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024.0


def cpu_seconds() -> float:
    """CPU time of this process and its (finished) workers: robust to a busy machine."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


CPU: dict[str, float] = {}


def timed(label: str, fn: Callable[[], Any], results: dict[str, float]) -> Any:
    """Run ``fn``; record its wall time in ``results`` and its CPU time in ``CPU``."""
    cpu, start = cpu_seconds(), time.perf_counter()
    value = fn()
    results[label] = round(time.perf_counter() - start, 2)
    CPU[label] = round(cpu_seconds() - cpu, 2)
    print(
        f"  {label:28} {results[label]:9.2f} s wall {CPU[label]:9.2f} s CPU"
        f"   peak {peak_mib():8.0f} MiB",
        flush=True,
    )
    return value


def machine() -> str:
    load = os.getloadavg()[0]
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load {load:.1f} at start"
    )


def bench_scale(args: argparse.Namespace) -> dict[str, Any]:
    print(f"scale: {args.nodes:,} vertices, {args.edges:,} edges ({machine()})", flush=True)
    t: dict[str, float] = {}
    g = timed("generate + build graph", lambda: build(args.nodes, args.edges), t)
    parts = set(args.parts.split(","))
    if "measures" in parts:
        timed("degree", lambda: degree(g), t)
        timed("pagerank", lambda: pagerank(g), t)
        timed("k-core", lambda: coreness(g), t)
        timed("components", lambda: components(g), t)
        timed(
            f"harmonic (cutoff {args.cutoff})",
            lambda: harmonic(g, cutoff=args.cutoff, workers=args.workers),
            t,
        )
        group = sum(v for k, v in t.items() if k != "generate + build graph")
        t["group: degree..harmonic"] = round(group, 2)
    if "leiden" in parts:
        timed("leiden", lambda: leiden_membership(g, weights=None), t)
    if "betweenness" in parts:
        pivots = pivots_for(g.vcount(), args.pivots, 7)
        timed(
            f"betweenness ({args.pivots} pivots)",
            lambda: betweenness(g, pivots=pivots, workers=args.workers),
            t,
        )
    return {
        "benchmark": "scale",
        "nodes": args.nodes,
        "edges": args.edges,
        "seconds": t,
        "peak_mib": round(peak_mib()),
    }


def bench_networkx(args: argparse.Namespace) -> dict[str, Any]:
    import networkx as nx

    n, m = args.nodes, args.edges
    print(f"networkx: {n:,} vertices, {m:,} edges ({machine()})", flush=True)
    edges = planted_partition(n, m, community=500)
    g = ig.Graph(n=n, edges=edges)
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from(edges.tolist())
    pivots = pivots_for(n, args.pivots, 7)
    ours: dict[str, float] = {}
    theirs: dict[str, float] = {}
    print(" threadline (igraph)")
    timed("degree", lambda: degree(g), ours)
    timed("pagerank", lambda: pagerank(g), ours)
    timed("components", lambda: components(g), ours)
    timed("betweenness (pivots)", lambda: betweenness(g, pivots=pivots), ours)
    timed("communities", lambda: leiden_membership(g, weights=None), ours)
    if args.only == "threadline":
        return {"benchmark": "networkx", "nodes": n, "edges": m, "threadline": ours}
    print(" networkx")
    timed("degree", lambda: dict(G.degree()), theirs)
    timed("pagerank", lambda: nx.pagerank(G), theirs)
    timed("components", lambda: list(nx.connected_components(G)), theirs)
    timed(
        "betweenness (pivots)",
        lambda: nx.betweenness_centrality_subset(G, pivots, list(G), normalized=False),
        theirs,
    )
    timed("communities", lambda: nx.community.louvain_communities(G, seed=7), theirs)
    total_ours, total_theirs = sum(ours.values()), sum(theirs.values())
    print(
        f"  overall: {total_theirs:.1f} s vs {total_ours:.1f} s = {total_theirs / total_ours:.0f}x"
    )
    return {
        "benchmark": "networkx",
        "nodes": n,
        "edges": m,
        "pivots": args.pivots,
        "threadline": ours,
        "networkx": theirs,
        "speedup": round(total_theirs / total_ours, 1),
        "cpu_seconds": dict(CPU),
        "peak_mib": round(peak_mib()),
    }


def bench_kpp(args: argparse.Namespace) -> dict[str, Any]:
    print(f"kpp: {args.nodes:,} vertices, {args.edges:,} edges, k = {args.k} ({machine()})")
    g = ig.Graph(n=args.nodes, edges=planted_partition(args.nodes, args.edges, community=100))
    t: dict[str, float] = {}
    found = timed(f"KPP-Neg k={args.k}", lambda: kpp_neg(g, args.k), t)
    print(f"  F = {found.score:.4f} ({found.method}, {found.evaluations} passes)")
    return {
        "benchmark": "kpp",
        "nodes": args.nodes,
        "edges": args.edges,
        "k": args.k,
        "seconds": t,
        "fragmentation": round(found.score, 4),
        "method": found.method,
        "peak_mib": round(peak_mib()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = parser.add_subparsers(dest="which", required=True)
    s = sub.add_parser("scale")
    s.add_argument("--nodes", type=int, default=1_000_000)
    s.add_argument("--edges", type=int, default=10_000_000)
    s.add_argument("--pivots", type=int, default=256)
    s.add_argument("--cutoff", type=int, default=2)
    s.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    s.add_argument("--parts", default="measures,leiden,betweenness", help="comma-separated")
    x = sub.add_parser("networkx")
    x.add_argument("--nodes", type=int, default=50_000)
    x.add_argument("--edges", type=int, default=250_000)
    x.add_argument("--pivots", type=int, default=256)
    x.add_argument("--only", choices=["both", "threadline"], default="both")
    k = sub.add_parser("kpp")
    k.add_argument("--nodes", type=int, default=10_000)
    k.add_argument("--edges", type=int, default=50_000)
    k.add_argument("--k", type=int, default=10)
    for p in (s, x, k):
        p.add_argument("--json", action="store_true", help="print the figures as JSON at the end")
    args = parser.parse_args()
    run = {"scale": bench_scale, "networkx": bench_networkx, "kpp": bench_kpp}[args.which]
    result = run(args)
    result["machine"] = machine()
    result["command"] = " ".join(["python", "benchmarks/graph_scale.py", *sys.argv[1:]])
    if args.json:
        print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
