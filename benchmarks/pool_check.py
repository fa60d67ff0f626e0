"""What the server pays for surviving a database restart (issue 24): the liveness check of
each pooled connection when it is lent, and the time back after a restart.

Starts a private PostgreSQL server like the tests do (``tests/pg.py``), then

1. borrows a connection ``--borrows`` times from :class:`ServerPool` (which checks each
   connection when lending it) and from a bare psycopg pool without the check, running
   one small query each time: the cost per borrow of the check;
2. stops the database for ``--outage`` seconds and starts it again, and measures how long
   after it is back the pool lends a working connection again (the pool reconnects with
   a growing back-off; ServerPool replaces it as soon as the database answers).

Figures, not pass/fail:

    python benchmarks/pool_check.py [--borrows 5000] [--outage 8]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def borrow_times(borrow: Any, n: int) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        with borrow() as con:
            con.execute("SELECT 1").fetchone()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--borrows", type=int, default=5000)
    parser.add_argument("--outage", type=float, default=8.0)
    args = parser.parse_args()

    import psycopg
    from psycopg_pool import ConnectionPool
    from tests.pg import PrivateCluster, postgres_bindir

    from threadline.store.postgres import ServerPool

    bindir = postgres_bindir()
    if bindir is None:
        sys.exit("PostgreSQL is not installed (initdb/pg_ctl): run 'make postgresql'")
    cluster = PrivateCluster(bindir)
    cluster.start()
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    try:
        url = cluster.new_database("bench")
        checked = ServerPool(url, max_size=4)
        bare: ConnectionPool[Any] = ConnectionPool(
            url, min_size=1, max_size=4, kwargs={"autocommit": True}, open=True
        )
        bare.wait()
        rows = {}
        for name, borrow in (("checked", checked.connection), ("bare", bare.connection)):
            borrow_times(borrow, 200)  # warm
            times = borrow_times(borrow, args.borrows)
            rows[name] = (statistics.median(times), sorted(times)[int(0.99 * len(times))])
        bare.close()

        cluster.stop_server()
        time.sleep(args.outage)
        cluster.start_server()
        back = time.monotonic()
        while True:
            try:
                with checked.connection() as con:
                    con.execute("SELECT 1").fetchone()
                break
            except (psycopg.Error, Exception):
                time.sleep(0.02)
        recovered = time.monotonic() - back
        checked.close()
    finally:
        cluster.stop()
    print(f"machine: {platform.machine()}, Python {platform.python_version()}; {load}")
    print("| pool | borrow + SELECT 1, p50 ms | p99 ms |")
    print("|---|---|---|")
    for name, (p50, p99) in rows.items():
        print(f"| {name} | {p50:.3f} | {p99:.3f} |")
    print(f"after a {args.outage:.0f} s outage: a working connection {recovered:.2f} s after "
          "the database was back")  # fmt: skip


if __name__ == "__main__":
    main()
