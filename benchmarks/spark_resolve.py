"""Record linkage time against size: Splink on DuckDB beside Splink on Spark (local mode).

One cell per engine and size, cached in ``benchmarks/results/spark_resolve.json``
(see ``spark_cells.py``): the run does only the cells not yet measured, smaller
sizes first, so the curve fills over several runs. Records are the seeded
synthetic people of ``synthetic_people.py`` (truth known); both engines run
threadline's linker with the same settings (``threadline.resolve.linkage``),
and each cell reports the time to link (read and generation excluded), the
pairwise F1 of the clusters against the truth, and for Spark how far its
clusters agree with DuckDB's on the same records (pairwise F1 of one against
the other: 1.0 = the same clusters).

    python benchmarks/spark_resolve.py                          # default sizes
    python benchmarks/spark_resolve.py --engine duckdb --sizes 1000000
    python benchmarks/spark_resolve.py --engine spark --sizes 10000,30000

Spark local mode is capped at ``--spark-cap`` records (default 100,000): on two
cores it spends most of its time on Splink's many small jobs.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from dedupe_1m import peak_rss_gib, score_clusters  # noqa: E402
from spark_cells import measure_cell  # noqa: E402

SIZES = [10_000, 30_000, 100_000, 300_000, 1_000_000]


def data_files(workdir: Path, n: int, seed: int) -> tuple[Path, Path]:
    data = workdir / f"people_{n}_{seed}.csv"
    truth = workdir / f"people_{n}_{seed}_truth.csv"
    if not (data.exists() and truth.exists()):
        workdir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                str(HERE / "synthetic_people.py"),
                "--records",
                str(n),
                "--seed",
                str(seed),
                "-o",
                str(data),
                "--truth",
                str(truth),
            ],
            check=True,
        )
    return data, truth


def link_cell(engine: str, n: int, args: argparse.Namespace) -> dict[str, Any]:
    from synthetic_people import COLUMN_MAP

    from threadline.ingest.records import parse_column_map, read_records
    from threadline.resolve.linkage import DEFAULT_THRESHOLD, DuckDBRecordLinker
    from threadline.resolve.records import link_records

    data, truth_file = data_files(args.workdir, n, args.seed)
    records = read_records(data, parse_column_map([COLUMN_MAP])).records
    if engine == "spark":
        from threadline.spark.linkage import SparkRecordLinker
        from threadline.spark.session import SparkSettings, spark_session

        started = time.perf_counter()
        session = spark_session(
            SparkSettings(master="local[2]", driver_memory=args.spark_memory, shuffle_partitions=4)
        )
        session_seconds = time.perf_counter() - started
        linker: Any = SparkRecordLinker(session=session)
    else:
        session_seconds = 0.0
        linker = DuckDBRecordLinker(threads=2, memory_limit=args.memory_limit)
    started = time.perf_counter()
    result = link_records(records, linker, threshold=DEFAULT_THRESHOLD, near=False)
    seconds = time.perf_counter() - started
    with truth_file.open(encoding="utf-8") as fh:
        by_source = {row["id"]: row["person"] for row in csv.DictReader(fh)}
    truth = {r.id: by_source[r.source_id] for r in records}
    clusters_file = args.workdir / f"clusters_{engine}_{n}_{args.seed}.json"
    clusters_file.write_text(json.dumps(result.clusters), encoding="utf-8")
    figures: dict[str, Any] = {
        "records": len(records),
        "seconds": round(seconds, 2),
        "session_start_seconds": round(session_seconds, 2),
        "identities": len(set(result.clusters.values())),
        "links": len(result.links),
        "trained": result.trained,
        "clusters_vs_truth": score_clusters(result.clusters, truth),
        "peak_rss_gib_driver": round(peak_rss_gib(), 2),
    }
    other = args.workdir / f"clusters_duckdb_{n}_{args.seed}.json"
    if engine == "spark" and other.exists():
        duck = json.loads(other.read_text(encoding="utf-8"))
        figures["clusters_vs_duckdb"] = score_clusters(result.clusters, duck)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["duckdb", "spark", "both"], default="both")
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--spark-cap", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--memory-limit", default="6GB", help="DuckDB's")
    parser.add_argument("--spark-memory", default="6g", help="the Spark driver's heap")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/threadline-bench"))
    parser.add_argument("--force", action="store_true", help="measure cached cells again")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    engines = ["duckdb", "spark"] if args.engine == "both" else [args.engine]
    for n in sizes:
        for engine in engines:
            if engine == "spark" and n > args.spark_cap:
                print(f"resolve spark/{n}: above the Spark local-mode cap ({args.spark_cap})")
                continue
            command = f"python benchmarks/spark_resolve.py --engine {engine} --sizes {n}"
            measure_cell(
                "resolve",
                engine,
                n,
                lambda e=engine, n=n: link_cell(e, n, args),
                command=command,
                force=args.force,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
