"""The workbench under load on its two storage backends: DuckDB (a folder) and PostgreSQL.

The same synthetic workspace as ``api_load.py`` (built there, reused when cached)
is copied table by table into a PostgreSQL database, then ``threadline serve``
runs on each in turn, with the same single all-seeing user (an admin cleared
for every level, so both servers go through the same login and audit path: the
server mode always asks who is calling) and the same request mix from
``clients`` concurrent keep-alive connections: the entity page (its ties'
evidence is read from the database), search and the two-hop neighbourhood
(both from memory). Reports p50 / p95 / p99 per backend and the machine's load.

Uses a PostgreSQL server given with ``--url`` (an empty database), or starts a
private one like the tests do (``tests/pg.py``). Figures, not pass/fail:

    python benchmarks/backend_load.py [--entities 20000 --ties 200000] [--append-docs]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import api_load  # noqa: E402

TMP = Path(os.environ.get("TMPDIR", "/tmp"))
# one user sends thousands of requests a minute here: the server's rate limit per user
# (security/ratelimit.py) would refuse them; this measures the server, not the limit
os.environ.setdefault("THREADLINE_RATE_USER", "off")
USER = "bench-admin"
PASSWORD = "benchmark password, not a secret"


def copy_to_server(folder: Path, url: str) -> dict[str, Any]:
    """Copy every table of the folder workspace into the (new) server workspace ``url``."""
    import duckdb

    from threadline.store import open_workspace

    started = time.perf_counter()
    open_workspace(url, create=True).close()  # the schema
    src = duckdb.connect(str(folder / "threadline.duckdb"), read_only=True)
    ws = open_workspace(url)
    raw = ws.con.raw  # type: ignore[attr-defined]
    rows_copied: dict[str, int] = {}
    tables = [
        r[0]
        for r in src.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
    ]
    for table in tables:
        if not ws.has_table(table) or table == "meta":
            continue
        cols = [
            r[0]
            for r in src.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position",
                [table],
            ).fetchall()
        ]
        names = ", ".join(cols)
        cursor = src.execute(f"SELECT {names} FROM {table}")
        count = 0
        raw.execute(f"DELETE FROM {table}")  # rows a migration seeded: the copy replaces them
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            while batch := cursor.fetchmany(20_000):
                for row in batch:
                    copy.write_row(row)
                count += len(batch)
        rows_copied[table] = count
    ws.close()
    src.close()
    return {"rows": rows_copied, "seconds": round(time.perf_counter() - started, 1)}


def add_bench_user(location: str) -> str:
    """An admin of the only agency cleared for the highest level; returns an API token."""
    from threadline.security.classification import level_names
    from threadline.security.users import add_agency, add_user, issue, users
    from threadline.store import open_workspace

    with open_workspace(location) as ws:
        if not any(u.name == USER for u in users(ws)):
            add_agency(ws, "bench", "Benchmark agency")
            add_user(ws, USER, agency="bench", role="admin", password=PASSWORD,
                     clearance=level_names(ws)[-1])  # fmt: skip
        token, _ = issue(ws, USER, kind="token")
    return token


def serve(location: str, log: Path) -> tuple[subprocess.Popen[bytes], int, float]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    exe = Path(sys.executable).with_name("threadline")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(exe), "serve", "-w", location, "--port", str(port), "--require-login"],
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, port, time.perf_counter() - started
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"serve exited: {log.read_text(errors='replace')}") from None
            time.sleep(0.25)
    proc.kill()
    raise RuntimeError("serve did not start in 10 minutes")


async def _get(reader: Any, writer: Any, path: str, token: str) -> None:
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
        f"Authorization: Bearer {token}\r\n\r\n".encode()
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = next(
        (
            int(h.split(b":", 1)[1])
            for h in head.split(b"\r\n")
            if h.lower().startswith(b"content-length:")
        ),
        0,
    )
    body = await reader.readexactly(length)
    if status != 200:
        raise RuntimeError(f"GET {path}: HTTP {status}: {body[:200]!r}")


def load(port: int, token: str, paths: list[str], *, clients: int) -> dict[str, float]:
    per = [paths[k::clients] for k in range(clients)]
    times: list[float] = []

    async def client(mine: list[str]) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for path in mine:
                t0 = time.perf_counter()
                await _get(reader, writer, path, token)
                times.append((time.perf_counter() - t0) * 1000.0)
        finally:
            writer.close()

    async def run() -> float:
        t0 = time.perf_counter()
        await asyncio.gather(*(client(p) for p in per))
        return time.perf_counter() - t0

    wall = asyncio.run(run())
    ordered = sorted(times)

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {
        "requests": len(ordered),
        "p50": pct(0.5),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "rps": len(ordered) / wall,
    }


def queries(folder: Path, people: list[str], seed: int = 13) -> list[str]:
    """Search queries as in api_load.py: prefixes, full names, a letter dropped."""
    import duckdb

    con = duckdb.connect(str(folder / "threadline.duckdb"), read_only=True)
    found = dict(
        con.execute(
            f"SELECT id, name FROM entities WHERE id IN ({','.join('?' * len(people[:200]))})",
            people[:200],
        ).fetchall()
    )
    con.close()
    known = [found[p] for p in people[:200] if p in found]
    rng = random.Random(seed)
    out = []
    for k in range(len(people)):
        given, surname = known[k % len(known)].split(" ", 1)
        pick = k % 3
        if pick == 0:
            q = surname[: rng.randint(3, max(3, len(surname)))]
        elif pick == 1:
            q = f"{given} {surname}"
        else:
            i = rng.randrange(1, len(surname))
            q = surname[:i] + surname[i + 1 :]
        out.append(f"/api/search?q={quote(q)}&limit=20")
    return out


def measure(
    location: str, searches: list[str], args: argparse.Namespace, log: Path
) -> dict[str, Any]:
    token = add_bench_user(location)
    proc, port, ready = serve(location, log)
    try:
        mix = api_load.request_mix(args.entities, args.requests)
        load(port, token, mix["entity"][:50] + mix["neighbourhood"][:20], clients=4)  # warm-up
        before = os.getloadavg()
        figures = {
            "entity": load(port, token, mix["entity"], clients=args.clients),
            "search": load(port, token, searches, clients=args.clients),
            "neighbourhood": load(port, token, mix["neighbourhood"], clients=args.clients),
        }
        after = os.getloadavg()
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return {"ready": ready, "figures": figures, "load": (before[0], after[0])}


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Per endpoint and figure, the median over the rounds."""
    out: dict[str, Any] = {
        "ready": statistics.median(r["ready"] for r in runs),
        "load": (runs[0]["load"][0], runs[-1]["load"][1]),
        "figures": {},
    }
    for name in runs[0]["figures"]:
        out["figures"][name] = {
            key: statistics.median(r["figures"][name][key] for r in runs)
            for key in runs[0]["figures"][name]
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=20_000)
    parser.add_argument("--ties", type=int, default=200_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=1000, help="per endpoint")
    parser.add_argument("--rounds", type=int, default=2, help="alternating runs per backend")
    parser.add_argument("--url", help="an empty PostgreSQL database (default: a private server)")
    parser.add_argument("--append-docs", action="store_true", help="add the figures to docs")
    args = parser.parse_args()

    folder = TMP / f"threadline-bench-backend-{args.entities}-{args.ties}"
    info = api_load.workspace(folder, entities=args.entities, ties=args.ties, rebuild=False)
    print(f"workspace: {info}", flush=True)
    uptime_start = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()

    cluster = None
    url = args.url
    if url is None:
        from tests.pg import PrivateCluster, postgres_bindir

        bindir = postgres_bindir()
        if bindir is None:
            raise SystemExit("PostgreSQL is not installed: make postgresql, or pass --url")
        cluster = PrivateCluster(bindir)
        cluster.start()
        url = cluster.new_database("bench")
    try:
        copied = copy_to_server(folder, url)
        print(f"copied to PostgreSQL in {copied['seconds']} s: {copied['rows']}", flush=True)
        searches = queries(folder, api_load.request_mix(args.entities, args.requests)["people"])
        rounds: dict[str, list[dict[str, Any]]] = {"duckdb": [], "postgresql": []}
        for _ in range(args.rounds):  # alternate, so a burst of load on the machine hits both
            rounds["duckdb"].append(
                measure(str(folder), searches, args, TMP / "bench-backend-duckdb.log")
            )
            rounds["postgresql"].append(measure(url, searches, args, TMP / "bench-backend-pg.log"))
        results = {backend: _median(runs) for backend, runs in rounds.items()}
    finally:
        if cluster is not None:
            cluster.stop()
    uptime_end = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"machine: {machine}\nuptime before: {uptime_start}\nuptime after: {uptime_end}")
    for backend, r in results.items():
        print(
            f"{backend}: ready in {r['ready']:.1f} s; 1-min load {r['load'][0]:.2f} -> {r['load'][1]:.2f}"
        )
        for name, f in r["figures"].items():
            print(
                f"  {name:14} n={int(f['requests']):5}  p50 {f['p50']:6.1f}  p95 {f['p95']:6.1f}  "
                f"p99 {f['p99']:6.1f} ms  {f['rps']:6.0f} req/s"
            )
    if args.append_docs:
        _append_docs(args, info, results, machine, uptime_start, uptime_end)


def _append_docs(
    args: argparse.Namespace,
    info: dict[str, Any],
    results: dict[str, Any],
    machine: str,
    uptime_start: str,
    uptime_end: str,
) -> None:
    rows = []
    for name in ("entity", "search", "neighbourhood"):
        d, p = results["duckdb"]["figures"][name], results["postgresql"]["figures"][name]
        change = (p["p95"] / d["p95"] - 1) * 100 if d["p95"] else 0.0
        rows.append(
            f"| {name} | {d['p50']:.1f} / {d['p95']:.1f} / {d['p99']:.1f} | "
            f"{p['p50']:.1f} / {p['p95']:.1f} / {p['p99']:.1f} | {change:+.0f} % |"
        )
    text = f"""
## Workbench on PostgreSQL against DuckDB (issue 9)

`python benchmarks/backend_load.py --entities {args.entities} --ties {args.ties}
--clients {args.clients} --requests {args.requests} --rounds {args.rounds}`: the synthetic workspace of
`api_load.py` ({info["entities"]:,} entities, {info["ties"]:,} ties, {info["documents"]:,}
documents) served from a DuckDB folder and from a copy in PostgreSQL (a private
local server), the same all-seeing admin logged in with a token on both,
{args.clients} concurrent keep-alive clients, {args.requests} requests per endpoint,
{args.rounds} alternating rounds per backend (medians shown).
Latencies in ms, p50 / p95 / p99 (machine: {machine}; `uptime` before: `{uptime_start}`;
after: `{uptime_end}`; other sessions shared the two cores).

| endpoint | DuckDB | PostgreSQL | p95 change |
|---|---|---|---|
{chr(10).join(rows)}

Server start (reading the network into memory): DuckDB {results["duckdb"]["ready"]:.1f} s,
PostgreSQL {results["postgresql"]["ready"]:.1f} s. Search and the neighbourhood are
answered from the in-memory snapshot on both; the entity page reads its ties'
evidence from the database (a pooled connection per request on PostgreSQL).
"""
    with (REPO / "docs" / "benchmarks.md").open("a", encoding="utf-8") as fh:
        fh.write(text)


if __name__ == "__main__":
    main()
