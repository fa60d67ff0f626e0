"""Call detail records: rows per second through ``ingest-records`` and peak memory.

A seeded generator (DuckDB SQL over ``range(N)``, hash-based so the same seed and
size give the same bytes on any machine) writes N call records to a CSV with
numbers in mixed national and international forms (``0470 12 34 56``,
``+32 470 12 34 56``), times in two layouts and about one row in ten thousand
broken (a word for a number, an impossible date), as real exports have. A
subscriber table attributes some of the numbers to named people.

The timed part is :func:`threadline.ingest.record_files.ingest_record_file` on
the CSV, in a child process (so its peak RSS is the ingest's own): hashing and
storing the file, reading and checking every row (DuckDB's CSV reader, numbers
and times normalised and checked in SQL), copying the accepted calls into the
workspace, and aggregating the calls of attributed numbers into
``communicated_with`` ties (count each way, first and last call, total duration)
— resolve and analyse excluded (``--no-resolve``). A contacts query over a
one-day window is timed after it. The load average is sampled every second
while the child runs (the machine may be shared). The end of the output is a
Markdown block for ``docs/benchmarks.md``.

    python benchmarks/call_records.py [--rows 10000000] [--numbers 200000] [--owned 5000]
        [--seed 6] [--dir /tmp/threadline-cdr-bench] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb


def _number_sql(h: str, n: str) -> str:
    """A number ``n`` written nationally or internationally, as the hash ``h`` decides."""
    digits = (
        f"lpad(CAST({n} // 10000 AS VARCHAR), 2, '0') || ' ' || "
        f"lpad(CAST({n} % 10000 // 100 AS VARCHAR), 2, '0') || ' ' || "
        f"lpad(CAST({n} % 100 AS VARCHAR), 2, '0')"
    )
    return f"CASE WHEN {h} % 3 = 0 THEN '0470 ' || {digits} ELSE '+32 470 ' || {digits} END"


def generate(path: Path, rows: int, numbers: int, seed: int) -> float:
    """Write ``rows`` call records to ``path``; returns the seconds it took."""
    t0 = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    con.execute(
        f"""COPY (
            WITH r AS (
                SELECT i,
                       hash(i * 4 + 0 + {seed} * 1000003) AS h1,
                       hash(i * 4 + 1 + {seed} * 1000003) AS h2,
                       hash(i * 4 + 2 + {seed} * 1000003) AS h3,
                       hash(i * 4 + 3 + {seed} * 1000003) AS h4
                FROM range({rows}) t(i)),
            c AS (
                SELECT i, h1, h2, h3, h4,
                       CAST(h1 % {numbers} AS BIGINT) AS na,
                       CAST((h1 % {numbers} + 1 + h2 % ({numbers} - 1)) % {numbers} AS BIGINT) AS nb,
                       TIMESTAMP '2024-08-01' + to_seconds(CAST(h3 % (120 * 86400) AS BIGINT)) AS t
                FROM r)
            SELECT 'C' || i AS call_id,
                   CASE WHEN h4 % 10007 = 0 THEN 'unknown' ELSE {_number_sql("h1", "na")} END
                       AS calling_number,
                   {_number_sql("h2", "nb")} AS called_number,
                   CASE WHEN h4 % 10009 = 1 THEN '2024-02-30 10:00:00'
                        WHEN h2 % 2 = 0 THEN strftime(t, '%Y-%m-%d %H:%M:%S')
                        ELSE strftime(t, '%d/%m/%Y %H:%M:%S') END AS start_time,
                   CAST(h4 % 3600 AS INTEGER) AS duration_s
            FROM c ORDER BY i
        ) TO '{path}' (HEADER, DELIMITER ',')"""
    )
    con.close()
    return time.perf_counter() - t0


def _national(n: int) -> str:
    return f"0470 {n // 10000:02d} {n % 10000 // 100:02d} {n % 100:02d}"


_SYLLABLES = ("ka", "ri", "mo", "ha", "za", "li", "sa", "du", "ni", "be", "to", "ra", "el", "ou")


def _name(k: int, length: int) -> str:
    """A made-up name for ``k`` (letters only, as a name should be)."""
    parts = []
    for _ in range(length):
        k, r = divmod(k, len(_SYLLABLES))
        parts.append(_SYLLABLES[r])
    return "".join(parts).capitalize()


def write_subscribers(path: Path, owned: int, numbers: int) -> None:
    step = max(1, numbers // owned)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("msisdn,first_name,last_name\n")
        for k in range(owned):
            fh.write(f"{_national(k * step)},{_name(k, 3)},{_name(k * 7919 + 13, 4)}\n")


SUBSCRIBERS = """version: 1
source: {country_code: "+32"}
entities:
  subscriber: {schema: Person, name: [first_name, last_name], phone: msisdn}
"""
CALLS = """version: 1
source: {country_code: "+32"}
calls:
  caller: calling_number
  callee: called_number
  start: start_time
  duration: duration_s
"""


def _peak_rss_kib() -> int:
    """This process's peak resident memory, in KiB.

    Linux keeps ``ru_maxrss`` across ``exec``: a child started by a parent that
    had just generated a large file would report the parent's peak. ``VmHWM``
    belongs to the child's own address space, so it is read first.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def child(workdir: Path) -> None:
    """The timed part, in its own process: prints one JSON line."""
    from threadline.analyze.contacts import contacts
    from threadline.ingest.mapping import parse_mapping
    from threadline.ingest.record_files import ingest_record_file
    from threadline.store import open_workspace

    ws = open_workspace(workdir / "ws", create=True)
    ingest_record_file(ws, workdir / "subscribers.csv", parse_mapping(SUBSCRIBERS, path="s.yaml"))
    base_rss = _peak_rss_kib()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = usage.ru_utime + usage.ru_stime
    t0 = time.perf_counter()
    result = ingest_record_file(ws, workdir / "calls.csv", parse_mapping(CALLS, path="c.yaml"))
    seconds = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_after = usage.ru_utime + usage.ru_stime
    import datetime as dt

    t1 = time.perf_counter()
    found = contacts(ws, start=dt.datetime(2024, 9, 1), end=dt.datetime(2024, 9, 2))
    query = time.perf_counter() - t1
    ws.close()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rows_read": result.rows_read,
                "accepted": result.accepted,
                "refused": result.refused,
                "calls": result.calls,
                "call_ties": result.call_ties,
                "peak_rss_kib": _peak_rss_kib(),
                "rss_before_kib": base_rss,
                "contacts_query_seconds": query,
                "contacts_found": len(found),
                "timings": result.timings,
                "cpu_seconds": cpu_after - cpu_before,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--numbers", type=int, default=200_000, help="distinct phone numbers")
    parser.add_argument("--owned", type=int, default=5_000, help="numbers with a known user")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/threadline-cdr-bench"))
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    work = args.dir
    shutil.rmtree(work / "ws", ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / "calls.csv"
    stamp = work / "calls.stamp"
    wanted = f"{args.rows} {args.numbers} {args.seed}"
    gen_seconds = 0.0
    if not (csv_path.exists() and stamp.exists() and stamp.read_text() == wanted):
        gen_seconds = generate(csv_path, args.rows, args.numbers, args.seed)
        stamp.write_text(wanted)
    write_subscribers(work / "subscribers.csv", args.owned, args.numbers)
    size = csv_path.stat().st_size
    loads: list[float] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            loads.append(os.getloadavg()[0])
            stop.wait(1.0)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    uptime_before = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(work)],
        capture_output=True,
        text=True,
        check=False,
    )
    uptime_after = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    stop.set()
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(proc.returncode)
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    rate = out["rows_read"] / out["seconds"]
    peak_gib = out["peak_rss_kib"] / 2**20
    ws_bytes = sum(f.stat().st_size for f in (work / "ws").rglob("*") if f.is_file())
    print(json.dumps({**out, "rows_per_second": rate, "csv_bytes": size, "generate_seconds": gen_seconds,
                      "workspace_bytes": ws_bytes, "load_samples": loads}, indent=1))  # fmt: skip
    load = f"{min(loads):.2f} / {statistics.mean(loads):.2f} / {max(loads):.2f}" if loads else "n/a"
    print("\n--- for docs/benchmarks.md ---")
    print(
        f"- command: `python benchmarks/call_records.py --rows {args.rows} --numbers {args.numbers} "
        f"--owned {args.owned} --seed {args.seed}`\n"
        f"- machine: {platform.machine()}, {os.cpu_count()} cores (`nproc`), Python "
        f"{platform.python_version()}, DuckDB {duckdb.__version__}; load average (1 min) during "
        f"the run min / mean / max: {load}\n"
        f"  - `uptime` before: {uptime_before}\n  - `uptime` after: {uptime_after}\n"
        f"- input: {out['rows_read']:,} rows, {size / 2**20:,.0f} MiB of CSV "
        f"({out['refused']:,} refused, named in the report), {args.numbers:,} numbers, "
        f"{args.owned:,} attributed by a subscriber table\n"
        f"- ingest + aggregate: **{out['seconds']:.1f} s, {rate:,.0f} rows/s** "
        f"({out['cpu_seconds']:.0f} CPU-seconds: {out['rows_read'] / out['cpu_seconds']:,.0f} "
        f"rows per CPU-second; steps: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in out["timings"].items())
        + "); "
        f"peak RSS **{peak_gib:.2f} GiB**; {out['calls']:,} calls stored, "
        f"{out['call_ties']:,} `communicated_with` ties; workspace {ws_bytes / 2**20:,.0f} MiB\n"
        f"- contacts in a one-day window: {out['contacts_query_seconds']:.2f} s "
        f"({out['contacts_found']:,} pairs)"
    )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
