"""What access control costs the workbench: per-user views against an all-seeing user.

1. Builds (once, then reused) the synthetic workspace of ``api_load.py`` (default
   20,000 entities, 200,000 ties, 400 documents), analyses it, and makes it a
   three-agency case: each document gets an owning agency (police, intelligence
   service, prison service), a level (OPEN, RESTRICTED, SECRET) and sometimes a
   compartment (HUMINT), all drawn from a seeded generator; police share with the
   intelligence service up to RESTRICTED, the intelligence service with police up
   to OPEN, the prison service with police up to RESTRICTED; all three share
   everything with a joint analysis centre.
2. Measures the same requests for: *no access control* (on DuckDB only: the same
   data before any agency or user was added, the single-user embedded mode; the
   server mode always asks who is calling); *all-seeing*, an analyst of the joint
   centre cleared for SECRET, HUMINT and CROWN (logged in and audited, but reading
   the shared workbench: they see every source); *cleared-for-part*, a police
   analyst cleared for RESTRICTED (their own per-user view, about two thirds of the
   sources); and *all-but-one-source*, a joint-centre analyst without CROWN, which
   one source carries (a per-user view of nearly everything: the mechanism's own
   cost with as much data as the all-seeing user).
3. Times the one-off build of the cleared-for-part view in this process (reading
   the shared workspace, as the server does), then starts ``threadline serve`` and
   times the first burst of requests that makes the server build each view.
4. The request mix: the entity page, search (prefixes, full names, a letter
   dropped), the two-hop neighbourhood (cap 500) and the graph overview (100-300
   nodes, laid out), about entities and names the cleared-for-part analyst may
   see. Under load: concurrent keep-alive clients, rounds that rotate the users'
   order (ABCD, BCDA, ...) so a burst of load from other processes hits all;
   latencies pooled over the rounds, and the median of the rounds' p95. Then one
   request at a time, the users taking turns request by request: each request's
   cost without queueing, with the machine's noise shared alike.

Runs on a DuckDB folder (default) or on PostgreSQL (``--backend postgresql``: a
copy of the folder in a private server like the tests', or ``--url``). Figures,
not pass/fail:

    python benchmarks/access_overhead.py [--entities 20000 --ties 200000]
        [--backend duckdb|postgresql] [--rounds 8] [--append-docs]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
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
PASSWORD = "benchmark password, not a secret"
AGENCIES = {"police": 0.5, "intel": 0.3, "prison": 0.2}
LEVELS = {"OPEN": 0.4, "RESTRICTED": 0.4, "SECRET": 0.2}
#: owner -> partner -> highest level shared
SHARES = {
    ("police", "intel"): "RESTRICTED",
    ("intel", "police"): "OPEN",
    ("prison", "police"): "RESTRICTED",
}
ALL_SEEING = "joint-analyst"
PART = "police-analyst"
ALL_BUT_ONE = "joint-reader"
#: user -> (agency, clearance, compartments)
USERS = {
    ALL_SEEING: ("joint", "SECRET", ("HUMINT", "CROWN")),
    PART: ("police", "RESTRICTED", ()),
    ALL_BUT_ONE: ("joint", "SECRET", ("HUMINT",)),
}
#: Changes when the case (agencies, classification, users) changes: the cache is redone.
CASE_VERSION = 2
ENDPOINTS = ("entity", "search", "neighbourhood", "graph")


# -- the case ------------------------------------------------------------------------------


def prepare(folder: Path, *, entities: int, ties: int, seed: int = 5) -> dict[str, Any]:
    """The synthetic workspace, analysed (cached in ``folder``-base) and classified across
    three agencies (cached in ``folder``)."""
    marker = folder / "access.json"
    if marker.exists():
        info = json.loads(marker.read_text(encoding="utf-8"))
        if info.get("case") == CASE_VERSION and (info["entities"], info["ties"]) == (
            entities,
            ties,
        ):
            return dict(info)
    from threadline.analyze.stage import analyze_workspace
    from threadline.security.classification import classify, share
    from threadline.security.users import add_agency, add_user
    from threadline.store import open_workspace

    base = folder.with_name(folder.name + "-base")
    analysed = base / "analysed.json"
    if analysed.exists() and json.loads(analysed.read_text())["ties"] == ties:
        info = json.loads(analysed.read_text())
    else:
        shutil.rmtree(base, ignore_errors=True)
        info = api_load.build_workspace(base, entities=entities, ties=ties)
        with open_workspace(base) as ws:
            started = time.perf_counter()
            analyze_workspace(ws)
            info["analyse_seconds"] = round(time.perf_counter() - started, 1)
        analysed.write_text(json.dumps(info), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(base, folder)
    rng = random.Random(seed)
    split: dict[str, int] = {}
    with open_workspace(folder) as ws:
        started = time.perf_counter()
        add_agency(ws, "police", "Harbour Police")
        add_agency(ws, "intel", "Intelligence service")
        add_agency(ws, "prison", "Prison service")
        add_agency(ws, "joint", "Joint analysis centre")
        docs = ws.documents()
        for doc in docs:
            agency = rng.choices(list(AGENCIES), weights=list(AGENCIES.values()))[0]
            level = rng.choices(list(LEVELS), weights=list(LEVELS.values()))[0]
            comps = ["HUMINT"] if agency == "intel" and rng.random() < 0.25 else []
            if doc.id == docs[-1].id:  # one source only the all-seeing user may read
                agency, level, comps = "intel", "SECRET", ["HUMINT", "CROWN"]
            classify(ws, doc.id, agency=agency, level=level, compartments=comps)
            key = f"{agency} {level}{''.join(' ' + c for c in comps)}"
            split[key] = split.get(key, 0) + 1
        for (owner, partner), level in SHARES.items():
            share(ws, owner, partner, max_level=level)
        for owner in AGENCIES:
            share(ws, owner, "joint", max_level="SECRET", compartments=["HUMINT", "CROWN"])
        for name, (agency, clearance, comps) in USERS.items():
            add_user(ws, name, agency=agency, role="analyst", password=PASSWORD,
                     clearance=clearance, compartments=set(comps))  # fmt: skip
        info["classify_seconds"] = round(time.perf_counter() - started, 1)
    info["split"] = dict(sorted(split.items()))
    info["case"] = CASE_VERSION
    marker.write_text(json.dumps(info), encoding="utf-8")
    return dict(info)


def tokens(location: str) -> dict[str, str]:
    from threadline.security.users import issue
    from threadline.store import open_workspace

    with open_workspace(location) as ws:
        return {u: issue(ws, u, kind="token", ttl=timedelta(hours=6))[0] for u in USERS}


def view_build(location: str) -> dict[str, Any]:
    """Build the analyst's view here, as the server will (timed); its entity ids and names."""
    from threadline.api.access import Access
    from threadline.api.state import Workbench
    from threadline.pipeline.views import build_view
    from threadline.security.users import get_user
    from threadline.store import open_workspace

    home = Workbench(location)
    try:
        access = Access(home)
        with home.database() as ws:
            who = get_user(ws, PART).principal()
        scope = access.scope(who)
        target = Path(tempfile.mkdtemp(prefix="threadline-bench-view-")) / "ws"
        started = time.perf_counter()
        with home.database() as ws:
            counts = build_view(ws, scope, target, default_agency=access.default_agency)
        seconds = time.perf_counter() - started
        with open_workspace(target) as view:
            names = dict(view.con.execute("SELECT id, name FROM entities ORDER BY id").fetchall())
        shutil.rmtree(target.parent, ignore_errors=True)
        with home.database() as ws:
            total = ws.counts()
    finally:
        home.close()
    return {
        "seconds": seconds,
        "documents": (len(scope.documents), total["documents"]),
        "entities": (counts["entities"], total["entities"]),
        "ties": (counts["ties"], total["ties"]),
        "names": names,
    }


def request_mix(names: dict[str, str], requests: int, seed: int = 11) -> dict[str, list[str]]:
    """The same requests for both users, about entities the analyst may see."""
    rng = random.Random(seed)
    ids = sorted(names)
    people = [i for i in ids if " " in names[i] and not names[i][-1].isdigit()]
    out: dict[str, list[str]] = {"entity": [], "search": [], "neighbourhood": [], "graph": []}
    for k in range(requests):
        out["entity"].append(f"/api/entities/{rng.choice(ids)}")
        out["neighbourhood"].append(
            f"/api/graph/neighbourhood/{rng.choice(people)}?hops=2&max_nodes=500"
        )
        given, surname = names[rng.choice(people)].split(" ", 1)
        pick = k % 3
        if pick == 0:
            q = surname[: rng.randint(3, max(3, len(surname)))]
        elif pick == 1:
            q = f"{given} {surname}"
        else:
            i = rng.randrange(1, len(surname))
            q = surname[:i] + surname[i + 1 :]  # a letter dropped: the fuzzy path
        out["search"].append(f"/api/search?q={quote(q)}&limit=20")
        out["graph"].append(f"/api/graph?max_nodes={rng.randrange(100, 301, 10)}")
    return out


# -- the server and the load ----------------------------------------------------------------

#: Where a user's requests go: the server's port and the user's token (None: no login).
Target = tuple[int, str | None]


def serve(
    location: str, log: Path, *, login: bool = True
) -> tuple[subprocess.Popen[bytes], int, float]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    exe = Path(sys.executable).with_name("threadline")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(exe), "serve", "-w", location, "--port", str(port)]
        + (["--require-login"] if login else []),
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, port, time.perf_counter() - started
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"serve exited: {log.read_text(errors='replace')}") from None
            time.sleep(0.25)
    proc.kill()
    raise RuntimeError("serve did not start in 15 minutes")


async def _get(reader: Any, writer: Any, path: str, token: str | None) -> None:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n{auth}\r\n".encode()
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


def timed(
    port: int, token: str | None, paths: list[str], *, clients: int
) -> tuple[list[float], float]:
    """``clients`` keep-alive connections share ``paths``: each request's ms, and the wall s."""
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
        await asyncio.gather(*(client(p) for p in per if p))
        return time.perf_counter() - t0

    wall = asyncio.run(run())
    return times, wall


def interleaved(targets: dict[str, Target], paths: list[str]) -> dict[str, list[float]]:
    """One request in flight at a time, the users taking turns request by request (the
    order rotated each time): each user's ms per request, under the same conditions."""
    users = list(targets)
    times: dict[str, list[float]] = {u: [] for u in users}

    async def run() -> None:
        conns = {u: await asyncio.open_connection("127.0.0.1", targets[u][0]) for u in users}
        try:
            for i, path in enumerate(paths):
                for u in users[i % len(users) :] + users[: i % len(users)]:
                    reader, writer = conns[u]
                    t0 = time.perf_counter()
                    await _get(reader, writer, path, targets[u][1])
                    times[u].append((time.perf_counter() - t0) * 1000.0)
        finally:
            for _, writer in conns.values():
                writer.close()

    asyncio.run(run())
    return times


def figures(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {"n": len(ordered), "p50": pct(0.5), "p95": pct(0.95), "p99": pct(0.99),
            "max": ordered[-1]}  # fmt: skip


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


#: The logged-in users measured: label -> user name.
LABELS = {"all-seeing": ALL_SEEING, "cleared-for-part": PART, "all-but-one-source": ALL_BUT_ONE}
#: The same workspace served without access control (no users: the embedded mode).
OPEN = "no access control"


def measure(location: str, mix: dict[str, list[str]], args: argparse.Namespace) -> dict[str, Any]:
    keys = tokens(location)
    servers = []
    try:
        proc, port, ready = serve(location, TMP / f"bench-access-{args.backend}.log")
        servers.append(proc)
        targets: dict[str, Target] = {}
        if args.backend == "duckdb":  # the server mode always asks who is calling
            open_proc, open_port, _ = serve(args.base, TMP / "bench-access-open.log", login=False)
            servers.append(open_proc)
            targets[OPEN] = (open_port, None)
        targets.update({label: (port, keys[name]) for label, name in LABELS.items()})
        rss = {"start": rss_mib(proc.pid)}
        for label in (OPEN, "all-seeing"):  # they read the shared workbench: nothing to build
            if label in targets:
                timed(*targets[label], mix["entity"][:20], clients=4)
        # each analyst's first requests, all at once: they wait for the server to build the view
        first = {}
        for label in ("cleared-for-part", "all-but-one-source"):
            times, wall = timed(*targets[label], mix["entity"][: args.clients],
                                clients=args.clients)  # fmt: skip
            first[label] = {**figures(times), "wall": wall}
            rss[label] = rss_mib(proc.pid)
            print(f"  first {args.clients} requests of {label}: p95 {first[label]['p95']:.0f} ms",
                  flush=True)  # fmt: skip
        for target in targets.values():  # warm all the same way (layouts, caches)
            for name in ENDPOINTS:
                timed(*target, mix[name][:30], clients=4)
        pooled: dict[str, dict[str, list[float]]] = {u: {e: [] for e in ENDPOINTS} for u in targets}
        rounds = []
        order = list(targets)
        for r in range(args.rounds):
            turn = r % len(order)
            for label in order[turn:] + order[:turn]:  # ABCD BCDA ...: no one always first
                load_before = os.getloadavg()[0]
                row: dict[str, Any] = {"round": r + 1, "user": label, "load": load_before}
                for name in ENDPOINTS:
                    times, _ = timed(*targets[label], mix[name], clients=args.clients)
                    pooled[label][name] += times
                    row[name] = figures(times)["p95"]
                rounds.append(row)
                print(f"  round {r + 1} {label:18} load {load_before:4.1f}  "
                      + "  ".join(f"{n} p95 {row[n]:6.1f}" for n in ENDPOINTS), flush=True)  # fmt: skip
        one_at_a_time: dict[str, dict[str, dict[str, float]]] = {u: {} for u in targets}
        if args.sequential:
            for name in ENDPOINTS:
                got = interleaved(targets, mix[name][: args.sequential])
                for u, t in got.items():
                    one_at_a_time[u][name] = figures(t)
                print(f"  one at a time, {name}: "
                      + "  ".join(f"{u} p95 {figures(t)['p95']:.1f}" for u, t in got.items()),
                      flush=True)  # fmt: skip
        rss["end"] = rss_mib(proc.pid)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=60)
    return {
        "ready": ready,
        "first": first,
        "pooled": {u: {e: figures(t) for e, t in by.items()} for u, by in pooled.items()},
        "rounds": rounds,
        "one_at_a_time": one_at_a_time,
        "rss": rss,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=20_000)
    parser.add_argument("--ties", type=int, default=200_000)
    parser.add_argument("--backend", choices=("duckdb", "postgresql"), default="duckdb")
    parser.add_argument("--url", help="an empty PostgreSQL database (default: a private server)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="per endpoint, user and round")
    parser.add_argument("--rounds", type=int, default=8, help="rounds per user, rotated")
    parser.add_argument(
        "--sequential",
        type=int,
        default=400,
        help="then this many requests per endpoint and user, one at a time, users interleaved",
    )
    parser.add_argument("--append-docs", action="store_true", help="add the figures to docs")
    args = parser.parse_args()

    folder = TMP / f"threadline-bench-access-{args.entities}-{args.ties}"
    info = prepare(folder, entities=args.entities, ties=args.ties)
    args.base = str(folder.with_name(folder.name + "-base"))
    print(f"workspace: {json.dumps(info)}", flush=True)
    start = uptime()
    cluster = None
    location = str(folder)
    if args.backend == "postgresql":
        import backend_load

        location = args.url or ""
        if not location:
            from tests.pg import PrivateCluster, postgres_bindir

            bindir = postgres_bindir()
            if bindir is None:
                raise SystemExit("PostgreSQL is not installed: make postgresql, or pass --url")
            cluster = PrivateCluster(bindir)
            cluster.start()
            location = cluster.new_database("access")
        copied = backend_load.copy_to_server(folder, location)
        print(f"copied to PostgreSQL in {copied['seconds']} s", flush=True)
    try:
        built = view_build(location)
        print(
            f"view of {PART}: built in {built['seconds']:.1f} s; documents "
            f"{built['documents'][0]}/{built['documents'][1]}, entities "
            f"{built['entities'][0]}/{built['entities'][1]}, ties {built['ties'][0]}/"
            f"{built['ties'][1]}",
            flush=True,
        )
        mix = request_mix(built.pop("names"), args.requests)
        result = measure(location, mix, args)
    finally:
        if cluster is not None:
            cluster.stop()
    end = uptime()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    report(args, info, built, result, machine, start, end)


def _table(by_user: dict[str, dict[str, Any]], value: Any) -> str:
    """Rows per user, a column per endpoint: ``value(figures)`` and the change of the
    figure against the first user (the baseline)."""
    base = next(iter(by_user))
    head = f"| user | {' | '.join(ENDPOINTS)} |\n|---|{'---|' * len(ENDPOINTS)}\n"
    rows = []
    for user, by in by_user.items():
        cells = []
        for name in ENDPOINTS:
            text, number = value(by[name])
            change = (number / value(by_user[base][name])[1] - 1) * 100
            cells.append(text if user == base else f"{text} ({change:+.0f} %)")
        rows.append(f"| {user} | {' | '.join(cells)} |")
    return head + "\n".join(rows)


def report(args: argparse.Namespace, info: dict[str, Any], built: dict[str, Any],
           result: dict[str, Any], machine: str, start: str, end: str) -> None:  # fmt: skip
    def p50_p95(f: dict[str, float]) -> tuple[str, float]:
        return f"{f['p50']:.1f} / {f['p95']:.1f}", f["p95"]

    def just(value: float) -> tuple[str, float]:
        return f"{value:.1f}", value

    medians = {
        u: {
            name: statistics.median(r[name] for r in result["rounds"] if r["user"] == u)
            for name in ENDPOINTS
        }
        for u in result["pooled"]
    }
    rounds = "\n".join(
        f"| {r['round']} | {r['user']} | {r['load']:.1f} | "
        + " | ".join(f"{r[n]:.1f}" for n in ENDPOINTS)
        + " |"
        for r in result["rounds"]
    )
    first, rss = result["first"], result["rss"]
    base = next(iter(result["pooled"]))
    command = (
        f"python benchmarks/access_overhead.py --entities {args.entities} --ties {args.ties} "
        f"--backend {args.backend} --clients {args.clients} --requests {args.requests} "
        f"--rounds {args.rounds} --sequential {args.sequential}"
    )
    text = f"""
### {args.backend}

`{command}` ({date.today().isoformat()}; {machine}; `uptime` before: `{start}`; after:
`{end}`). Workspace: {info["entities"]:,} entities, {info["ties"]:,} ties,
{info["documents"]:,} documents (built in {info["build_seconds"]} s, analysed in
{info["analyse_seconds"]} s, once). The cleared-for-part analyst's view holds
{built["documents"][0]} of {built["documents"][1]} documents, {built["entities"][0]:,} of
{built["entities"][1]:,} entities and {built["ties"][0]:,} of {built["ties"][1]:,} ties;
building it in this process took {built["seconds"]:.1f} s (once per scope, and again
after a judgement, an asserted tie, a grade or a permission change). The first
{args.clients} requests of each analyst, sent at once to the fresh server, waited for
their view: p95 {first["cleared-for-part"]["p95"] / 1000:.1f} s (cleared for part),
{first["all-but-one-source"]["p95"] / 1000:.1f} s (all but one source). Server ready in
{result["ready"]:.1f} s; resident memory {rss["start"]:,.0f} MiB with the shared workbench,
{rss["cleared-for-part"]:,.0f} MiB with the first view, {rss["all-but-one-source"]:,.0f} MiB
with both, {rss["end"]:,.0f} MiB at the end. Changes are against *{base}*.

Under load: {args.clients} concurrent keep-alive clients, {args.requests} requests per
endpoint, user and round, {args.rounds} rounds with the users' order rotated; p50 / p95
in ms pooled over the rounds:

{_table(result["pooled"], p50_p95)}

The median over the rounds of each round's p95 (ms), less swayed by a round that a
burst of load from other processes hit:

{_table(medians, just)}

One request in flight at a time, the users taking turns request by request
({args.sequential} requests per endpoint and user; p50 / p95 in ms): no queueing, and
a burst of load from other processes hits all alike.

{_table(result["one_at_a_time"], p50_p95)}

p95 of each round (ms), in the order run, with the 1-minute load average at its start:

| round | user | load | {" | ".join(ENDPOINTS)} |
|---|---|---|{"---|" * len(ENDPOINTS)}
{rounds}
"""
    print(text)
    if args.append_docs:
        with (REPO / "docs" / "benchmarks.md").open("a", encoding="utf-8") as fh:
            fh.write(text)
        print("appended to docs/benchmarks.md")


if __name__ == "__main__":
    main()
