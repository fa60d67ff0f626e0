"""Time and peak memory of `threadline run` on the five seed articles.

Runs the real command in a fresh process (cold start included: Python, spaCy
model load) a few times, each on a new workspace, and reports wall-clock time
and the peak resident memory of the child process.

    python benchmarks/bench_run_seeds.py [--repeat 3] [--seeds ../shared/corpus/seeds]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_once(seeds: Path) -> tuple[float, float]:
    """One cold `threadline run`; returns (seconds, peak RSS in MiB)."""
    tmp = Path(tempfile.mkdtemp(prefix="tl-bench-"))
    try:
        exe = Path(sys.executable).with_name("threadline")
        cmd = [str(exe), "run", str(seeds), "-o", str(tmp / "out"), "--workspace", str(tmp / "ws")]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return elapsed, max(peak, before) / 1024.0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "corpus" / "seeds")
    args = parser.parse_args()
    times, peaks = [], []
    for _ in range(args.repeat):
        t, m = run_once(args.seeds)
        times.append(t)
        peaks.append(m)
    chars = sum(p.stat().st_size for p in args.seeds.glob("*.txt"))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"input: {args.seeds} ({chars:,} bytes)")
    print(
        f"threadline run, {args.repeat} cold runs: median {statistics.median(times):.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}); peak RSS {max(peaks):.0f} MiB"
    )


if __name__ == "__main__":
    main()
