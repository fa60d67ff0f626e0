"""Graph analysis at scale: igraph (embedded engine) beside the Spark jobs (local mode).

A seeded random graph of N vertices and 10·N ties (self-loops and repeats
dropped by both sides). One cached cell per engine and size
(``benchmarks/results/spark_graph.json``), each timing connected components,
PageRank and label propagation:

- ``igraph``: ``connected_components``, ``pagerank`` (PRPACK, exact) and
  ``community_label_propagation`` on an in-memory graph;
- ``spark``: ``threadline.spark.graph`` in local mode on two cores, ties read
  from Parquet; PageRank runs ``--pagerank-rounds`` rounds (its largest error
  against igraph's is reported), label propagation at most 10 rounds.

Building the graph (igraph) or writing the Parquet (Spark) is reported apart.

    python benchmarks/spark_graph.py --sizes 10000,100000,1000000

Spark local mode is capped at ``--spark-cap`` vertices (default 100,000: 1M ties).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from spark_cells import measure_cell  # noqa: E402

SIZES = [10_000, 100_000, 1_000_000]


def random_edges(n: int, seed: int) -> Any:
    import numpy as np

    rng = np.random.default_rng(seed)
    return rng.integers(0, n, size=(10 * n, 2), dtype=np.int64)


def igraph_cell(n: int, args: argparse.Namespace) -> dict[str, Any]:
    import igraph as ig

    edges = random_edges(n, args.seed)
    t = time.perf_counter()
    g = ig.Graph(n=n, edges=edges.tolist())
    g.simplify()
    build = time.perf_counter() - t
    times: dict[str, float] = {}
    t = time.perf_counter()
    comps = g.connected_components()
    times["components"] = time.perf_counter() - t
    t = time.perf_counter()
    g.pagerank(directed=True)
    times["pagerank"] = time.perf_counter() - t
    t = time.perf_counter()
    g.community_label_propagation()
    times["label_propagation"] = time.perf_counter() - t
    return {
        "vertices": n,
        "ties": g.ecount(),
        "build_seconds": round(build, 2),
        "seconds": round(sum(times.values()), 2),
        "phases": {k: round(v, 2) for k, v in times.items()},
        "components": len(comps),
    }


def spark_cell(n: int, args: argparse.Namespace) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from threadline.spark.graph import connected_components, label_propagation, pagerank
    from threadline.spark.session import SparkSettings, spark_session

    edges = random_edges(n, args.seed)
    folder = Path(tempfile.mkdtemp(prefix="spark-graph-"))
    t = time.perf_counter()
    pq.write_table(pa.table({"src": edges[:, 0], "dst": edges[:, 1]}), folder / "edges.parquet")
    pq.write_table(pa.table({"id": pa.array(range(n), pa.int64())}), folder / "vertices.parquet")
    write = time.perf_counter() - t
    t = time.perf_counter()
    spark = spark_session(
        SparkSettings(master="local[2]", driver_memory=args.spark_memory, shuffle_partitions=8)
    )
    session_seconds = time.perf_counter() - t
    vertices = spark.read.parquet(str(folder / "vertices.parquet"))
    ties = spark.read.parquet(str(folder / "edges.parquet"))
    times: dict[str, float] = {}
    t = time.perf_counter()
    comps = connected_components(vertices, ties)
    count = comps.select("component").distinct().count()
    times["components"] = time.perf_counter() - t
    t = time.perf_counter()
    ranks = pagerank(vertices, ties, max_rounds=args.pagerank_rounds, tolerance=0.0)
    got = {int(r["id"]): float(r["pagerank"]) for r in ranks.collect()}
    times["pagerank"] = time.perf_counter() - t
    t = time.perf_counter()
    label_propagation(vertices, ties, max_rounds=10).count()
    times["label_propagation"] = time.perf_counter() - t
    figures: dict[str, Any] = {
        "vertices": n,
        "write_seconds": round(write, 2),
        "session_start_seconds": round(session_seconds, 2),
        "seconds": round(sum(times.values()), 2),
        "phases": {k: round(v, 2) for k, v in times.items()},
        "components": count,
        "pagerank_rounds": args.pagerank_rounds,
    }
    import igraph as ig

    g = ig.Graph(n=n, edges=edges.tolist())
    g.simplify()
    expected = g.pagerank(directed=True)
    figures["pagerank_max_error_vs_igraph"] = max(abs(got[v] - expected[v]) for v in range(n))
    figures["ties"] = g.ecount()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--engines", default="igraph,spark")
    parser.add_argument("--spark-cap", type=int, default=100_000)
    parser.add_argument("--pagerank-rounds", type=int, default=30)
    parser.add_argument("--spark-memory", default="6g")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--force", action="store_true", help="measure cached cells again")
    args = parser.parse_args(argv)
    for n in sorted(int(s) for s in args.sizes.split(",")):
        for engine in args.engines.split(","):
            if engine == "spark" and n > args.spark_cap:
                print(f"graph spark/{n}: above the Spark local-mode cap ({args.spark_cap})")
                continue
            run = igraph_cell if engine == "igraph" else spark_cell
            measure_cell(
                "graph",
                engine,
                n,
                lambda r=run, n=n: r(n, args),
                command=f"python benchmarks/spark_graph.py --sizes {n} --engines {engine}",
                force=args.force,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
