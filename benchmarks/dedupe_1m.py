"""De-duplicate synthetic person records with threadline's record linkage (DuckDB backend).

Generates ``--records`` people records with known truth
(:mod:`synthetic_people`, seeded), then, timed: reads the CSV with threadline's
record reader (column map, checks), links the records with Splink on DuckDB
(training, blocking, scoring, clustering at ``--threshold``) and the
shared-document rule. Reports wall time per phase, peak resident memory of the
process, and pairwise precision / recall / F1 of the clusters and of the links
against the generator's truth.

    python benchmarks/dedupe_1m.py --records 1000000 --threads 2 --memory-limit 6GB

Generation runs in a child process, so the peak memory is that of reading and
linking alone.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def score_clusters(clusters: dict[str, str], truth: dict[str, str]) -> dict[str, float]:
    """Pairwise precision / recall / F1 of a clustering, counted without listing pairs."""
    predicted = sum(_pairs(n) for n in Counter(clusters.values()).values())
    actual = sum(_pairs(n) for n in Counter(truth[r] for r in clusters).values())
    both: dict[str, Counter[str]] = defaultdict(Counter)
    for r, c in clusters.items():
        both[c][truth[r]] += 1
    tp = sum(_pairs(n) for counts in both.values() for n in counts.values())
    return _prf(tp, predicted, actual)


def score_links(links: list[tuple[str, str]], truth: dict[str, str], ids: list[str]) -> dict:
    actual = sum(_pairs(n) for n in Counter(truth[r] for r in ids).values())
    tp = sum(truth[a] == truth[b] for a, b in links)
    return _prf(tp, len(links), actual)


def _prf(tp: int, predicted: int, actual: int) -> dict[str, float]:
    p = tp / predicted if predicted else 1.0
    r = tp / actual if actual else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "pairs": predicted}


def peak_rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=float, default=None, help="default: threadline's")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-limit", default="6GB")
    parser.add_argument("--workdir", type=Path, default=Path("bench-data"))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    from threadline.ingest.records import parse_column_map, read_records
    from threadline.resolve.linkage import DEFAULT_THRESHOLD, DuckDBRecordLinker
    from threadline.resolve.records import link_records

    sys.path.insert(0, str(HERE))
    from synthetic_people import COLUMN_MAP

    threshold = args.threshold if args.threshold is not None else DEFAULT_THRESHOLD
    args.workdir.mkdir(parents=True, exist_ok=True)
    data = args.workdir / f"people_{args.records}_{args.seed}.csv"
    truth_file = args.workdir / f"people_{args.records}_{args.seed}_truth.csv"
    t = time.perf_counter()
    if not (data.exists() and truth_file.exists()):
        subprocess.run(
            [
                sys.executable,
                str(HERE / "synthetic_people.py"),
                "--records",
                str(args.records),
                "--seed",
                str(args.seed),
                "-o",
                str(data),
                "--truth",
                str(truth_file),
            ],
            check=True,
        )
    generated = time.perf_counter() - t

    times: dict[str, float] = {}
    t0 = time.perf_counter()
    file = read_records(data, parse_column_map([COLUMN_MAP]))
    records = file.records
    del file
    times["read"] = time.perf_counter() - t0
    t = time.perf_counter()
    linker = DuckDBRecordLinker(threads=args.threads, memory_limit=args.memory_limit)
    result = link_records(records, linker, threshold=threshold, near=False)
    times["link"] = time.perf_counter() - t
    times["total"] = time.perf_counter() - t0

    with truth_file.open(encoding="utf-8") as fh:
        by_source = {row["id"]: row["person"] for row in csv.DictReader(fh)}
    truth = {r.id: by_source[r.source_id] for r in records}
    clusters = result.clusters
    figures = {
        "records": len(records),
        "skipped_rows": args.records - len(records),
        "people": len(set(truth.values())),
        "threshold": threshold,
        "trained": result.trained,
        "identities": len(set(clusters.values())),
        "links": len(result.links),
        "shared_document_links": sum(lk.rule != "splink" for lk in result.links),
        "seconds": {k: round(v, 1) for k, v in times.items()},
        "generate_seconds": round(generated, 1),
        "peak_rss_gib": round(peak_rss_gib(), 2),
        "clusters": score_clusters(clusters, truth),
        "links_score": score_links([(lk.a, lk.b) for lk in result.links], truth, list(truth)),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "threads": args.threads,
        "memory_limit": args.memory_limit,
    }
    if args.json:
        print(json.dumps(figures, indent=1))
    else:
        for k, v in figures.items():
            print(f"{k:22} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
