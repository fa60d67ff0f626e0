"""The REST API and the web workbench under load, on a large synthetic workspace.

1. Builds (once, then reused) a seeded synthetic workspace through the store's
   own API: 100,000 entities (people, groups, places, events) in communities,
   1,000,000 ties of every type with a quote each in synthetic documents,
   names seen in the text, measures stored.
2. Starts ``threadline serve`` on loopback in its own process and measures, with
   20 concurrent clients each running a bounded loop of requests (keep-alive
   HTTP/1.1 over asyncio streams, so the client costs little CPU): the entity
   page, search (prefixes, full names, typos) and the two-hop neighbourhood
   capped at 500 nodes. Reports p50 / p95 / p99 / max and throughput.
3. Opens the workbench in headless Chromium (Debian's ``chromium``) and times
   the graph view of 5,000 nodes and 20,000 edges from data received to first
   render, then frames of zooming.

Figures, not pass/fail:

    python benchmarks/api_load.py [--entities 100000 --ties 1000000] [--append-docs]
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
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
DEFAULT_WS = Path(os.environ.get("TMPDIR", "/tmp")) / "threadline-bench-api"

GIVEN = [
    "Karim",
    "Yusuf",
    "Omar",
    "Lena",
    "Mehdi",
    "Samir",
    "Nabil",
    "Rachid",
    "Hamza",
    "Bilal",
    "Tarik",
    "Anouar",
    "Ilias",
    "Ayoub",
    "Soufiane",
    "Hicham",
    "Reda",
    "Jamal",
    "Walid",
    "Adil",
    "Farid",
    "Hassan",
    "Idris",
    "Jonas",
    "Pieter",
    "Sven",
    "Lotte",
    "Eva",
    "Ines",
    "Sara",
    "Amina",
    "Nadia",
    "Leila",
    "Yasmine",
    "Salma",
    "Houda",
    "Fatima",
    "Malika",
    "Rania",
    "Zineb",
    "Emre",
    "Kerem",
    "Murat",
    "Deniz",
    "Selim",
    "Anton",
    "Milan",
    "Luka",
    "Ivan",
    "Marko",
    "Nikola",
    "Tomas",
    "Lukas",
    "Jan",
    "Bram",
    "Thijs",
    "Ruben",
    "Daan",
    "Noah",
    "Sem",
    "Lars",
    "Finn",
]
SURNAME_PARTS = [
    "al",
    "ben",
    "el",
    "ou",
    "ha",
    "ma",
    "sa",
    "ka",
    "ra",
    "za",
    "ta",
    "na",
    "la",
    "ba",
    "da",
    "fa",
    "ja",
    "ya",
    "me",
    "mo",
    "mu",
    "ri",
    "ro",
    "ru",
    "si",
    "so",
    "su",
    "te",
    "to",
    "ve",
    "vo",
    "wi",
    "de",
    "do",
    "du",
    "ge",
    "go",
    "gu",
    "hi",
    "ho",
    "hu",
    "ki",
    "ko",
    "ku",
    "li",
    "lo",
    "lu",
    "mi",
    "ni",
    "no",
    "nu",
    "pa",
    "pe",
    "pi",
    "po",
    "qa",
    "qi",
]
SURNAME_ENDS = [
    "dad",
    "li",
    "oui",
    "ani",
    "iri",
    "ssi",
    "kaoui",
    "lani",
    "rbi",
    "ouz",
    "ach",
    "ens",
    "ers",
    "ink",
    "aert",
    "mans",
    "sen",
    "ovic",
    "ić",
    "escu",
]
ORG_KINDS = [
    "Brigade",
    "Network",
    "Cell",
    "Circle",
    "Front",
    "Battalion",
    "Group",
    "Movement",
    "Collective",
    "Unit",
]
PLACES = [
    "Molenbeek",
    "Vremmingen",
    "Tessendorp",
    "Lindemark",
    "Haverdal",
    "Noordkust",
    "Harbour",
    "Quay",
    "Market",
    "Square",
]
VERBS = {
    "family": "is the brother of",
    "associate": "is an old friend of",
    "member_of": "is a member of",
    "leader_of": "leads",
    "recruited_by": "was recruited by",
    "communicated_with": "was in touch with",
    "shared_residence": "shared a flat with",
    "travelled_with": "travelled with",
    "participated_in": "took part in",
    "located_in": "was based in",
    "other": "was named alongside",
}
TYPE_WEIGHTS = {
    "associate": 0.25,
    "communicated_with": 0.15,
    "member_of": 0.12,
    "family": 0.08,
    "other": 0.12,
    "travelled_with": 0.06,
    "shared_residence": 0.05,
    "recruited_by": 0.05,
    "leader_of": 0.03,
    "participated_in": 0.05,
    "located_in": 0.04,
}


# -- the synthetic workspace ---------------------------------------------------------


def _names(rng: random.Random, n: int) -> list[str]:
    surnames = sorted(
        {
            (a + b + c).capitalize()
            for a in SURNAME_PARTS
            for b in SURNAME_PARTS[:20]
            for c in SURNAME_ENDS
        }
    )
    seen: set[str] = set()
    out = []
    while len(out) < n:
        name = f"{rng.choice(GIVEN)} {rng.choice(surnames)}"
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def build_workspace(root: Path, *, entities: int, ties: int, seed: int = 7) -> dict[str, Any]:
    """Write the synthetic case into a new workspace at ``root`` (see the module doc)."""
    import numpy as np

    from threadline.model import Document, Entity, Evidence, Mention, Tie
    from threadline.store import open_workspace

    rng = random.Random(seed)
    started = time.perf_counter()
    n_person = int(entities * 0.8)
    n_org = int(entities * 0.12)
    n_place = int(entities * 0.06)
    n_event = entities - n_person - n_org - n_place
    schema = ["Person"] * n_person + ["Organization"] * n_org + ["Address"] * n_place
    schema += ["Event"] * n_event
    names = _names(rng, n_person)
    names += [
        f"{rng.choice(SURNAME_PARTS).capitalize()}{k} {rng.choice(ORG_KINDS)}" for k in range(n_org)
    ]
    names += [f"{rng.choice(PLACES)} {k}" for k in range(n_place)]
    names += [f"{rng.choice(PLACES)} attack {k}" for k in range(n_event)]
    ids = [f"e{k:07d}" for k in range(entities)]

    # communities of about 50; 80 % of ties inside, the rest to hubs (preferential)
    community = np.repeat(np.arange(entities // 50 + 1), 50)[:entities]
    np_rng = np.random.default_rng(seed)
    np_rng.shuffle(community)
    members: dict[int, list[int]] = {}
    for v, c in enumerate(community.tolist()):
        members.setdefault(c, []).append(v)
    weight = np_rng.pareto(1.6, entities) + 1.0
    weight /= weight.sum()
    kinds = list(TYPE_WEIGHTS)
    kind_p = np.array([TYPE_WEIGHTS[k] for k in kinds])
    kind_p /= kind_p.sum()
    src = np_rng.integers(0, entities, ties)
    inside = np_rng.random(ties) < 0.8
    dst = np.where(inside, 0, np_rng.choice(entities, ties, p=weight))
    for k in np.nonzero(inside)[0].tolist():
        group = members[int(community[src[k]])]
        dst[k] = group[rng.randrange(len(group))]
    same = src == dst
    dst[same] = (dst[same] + 1) % entities
    kind_of = np_rng.choice(len(kinds), ties, p=kind_p)
    confidence = np.round(np_rng.uniform(0.3, 0.95, ties), 3)
    inferred = np_rng.random(ties) < 0.1

    # one document per 500 ties; each tie's sentence is its quote
    docs_n = max(1, ties // 500)
    day0 = date(2010, 1, 1)
    ws = open_workspace(root, create=True)
    tie_rows: list[Tie] = []
    mention_count = [0] * entities
    mentions_by_doc: dict[str, list[Mention]] = {}
    entity_mentions: list[list[str]] = [[] for _ in range(entities)]
    with ws.transaction():
        for d in range(docs_n):
            doc_id = f"d{d:05d}"
            parts: list[str] = []
            offset = 0
            found: list[Mention] = []
            for k in range(d * 500, min(ties, (d + 1) * 500)):
                a, b = int(src[k]), int(dst[k])
                kind = kinds[int(kind_of[k])]
                sentence = f"{names[a]} {VERBS[kind]} {names[b]}."
                start = offset
                for v, at in ((a, start), (b, start + len(sentence) - len(names[b]) - 1)):
                    if mention_count[v] < 2:
                        mid = f"m{v:07d}-{mention_count[v]}"
                        found.append(
                            Mention(
                                mid,
                                doc_id,
                                at,
                                at + len(names[v]),
                                names[v],
                                "PERSON",
                                "bench",
                                0.9,
                                names[v],
                            )
                        )
                        entity_mentions[v].append(mid)
                        mention_count[v] += 1
                ev = Evidence(
                    doc_id, start, start + len(sentence), sentence, "bench", float(confidence[k])
                )
                tie_rows.append(
                    Tie(f"t{k:08d}", kind, ids[a], ids[b], "", float(confidence[k]), [ev],
                        inferred=bool(inferred[k]))
                )  # fmt: skip
                parts.append(sentence)
                offset += len(sentence) + 1
            text = " ".join(parts)
            published = (day0 + timedelta(days=rng.randrange(3650))).isoformat()
            ws.add_document(
                Document(doc_id, f"{d:064x}", f"synthetic/{doc_id}.txt", "text", text,
                         title=f"Synthetic report {d}", published=published,
                         segments=[{"kind": "body", "start": 0, "end": len(text)}])
            )  # fmt: skip
            mentions_by_doc[doc_id] = found
        for doc_id, found in mentions_by_doc.items():
            ws.replace_extraction(doc_id, "bench", found, [], [])
        ws.replace_resolution(
            [
                Entity(ids[v], schema[v], names[v], [names[v]], [], entity_mentions[v])
                for v in range(entities)
            ],
            tie_rows,
        )
        degree = np.bincount(np.concatenate([src, dst]), minlength=entities)
        ws.replace_metrics(
            {
                ids[v]: {"degree": float(degree[v]), "community": float(community[v])}
                for v in range(entities)
                if schema[v] in ("Person", "Organization")
            }
        )
    counts = ws.counts()
    ws.close()
    info = {
        "entities": entities,
        "ties": ties,
        "seed": seed,
        "documents": counts["documents"],
        "mentions": counts["mentions"],
        "build_seconds": round(time.perf_counter() - started, 1),
    }
    (root / "bench.json").write_text(json.dumps(info), encoding="utf-8")
    return info


def workspace(root: Path, *, entities: int, ties: int, rebuild: bool) -> dict[str, Any]:
    marker = root / "bench.json"
    if marker.exists() and not rebuild:
        info = json.loads(marker.read_text(encoding="utf-8"))
        if info.get("entities") == entities and info.get("ties") == ties:
            return info
    shutil.rmtree(root, ignore_errors=True)
    return build_workspace(root, entities=entities, ties=ties)


# -- the server and the load ------------------------------------------------------------


def start_server(root: Path) -> tuple[subprocess.Popen[bytes], int, float]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    exe = Path(sys.executable).with_name("threadline")
    started = time.perf_counter()
    log = root.parent / f"{root.name}-serve.log"
    proc = subprocess.Popen(
        [str(exe), "serve", "--workspace", str(root), "--port", str(port)],
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
                why = log.read_text(encoding="utf-8", errors="replace").strip()
                raise RuntimeError(f"threadline serve exited: {why}") from None
            time.sleep(0.25)
    proc.kill()
    raise RuntimeError("threadline serve did not start in 10 minutes")


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> bytes:
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".encode()
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    body = await reader.readexactly(length)
    if status != 200:
        raise RuntimeError(f"GET {path}: HTTP {status}: {body[:200]!r}")
    return body


async def _client(port: int, paths: list[str], out: list[float]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for path in paths:
            t0 = time.perf_counter()
            await _get(reader, writer, path)
            out.append((time.perf_counter() - t0) * 1000.0)
    finally:
        writer.close()


def load(port: int, paths: list[str], *, clients: int) -> dict[str, float]:
    """``clients`` concurrent keep-alive connections share ``paths``; latency figures in ms."""
    per = [paths[k::clients] for k in range(clients)]
    latencies: list[float] = []

    async def run() -> float:
        t0 = time.perf_counter()
        await asyncio.gather(*(_client(port, p, latencies) for p in per))
        return time.perf_counter() - t0

    wall = asyncio.run(run())
    ordered = sorted(latencies)

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {
        "requests": len(ordered),
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
        "rps": len(ordered) / wall,
    }


def request_mix(n_entities: int, requests: int, seed: int = 11) -> dict[str, list[str]]:
    rng = random.Random(seed)
    ids = [f"e{rng.randrange(n_entities):07d}" for _ in range(requests)]
    people = [f"e{rng.randrange(int(n_entities * 0.8)):07d}" for _ in range(requests)]
    return {
        "entity": [f"/api/entities/{i}" for i in ids],
        "neighbourhood": [f"/api/graph/neighbourhood/{i}?hops=2&max_nodes=500" for i in people],
        "people": people,
    }


def search_queries(port: int, people: list[str], seed: int = 13) -> list[str]:
    """Queries an analyst types: surname prefixes, full names, and names with a slip."""
    rng = random.Random(seed)

    async def names() -> list[str]:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        out = []
        for i in people[:200]:
            out.append(json.loads(await _get(reader, writer, f"/api/entities/{i}"))["name"])
        writer.close()
        return out

    known = asyncio.run(names())
    queries = []
    for k in range(len(people)):
        name = known[k % len(known)]
        given, surname = name.split(" ", 1)
        pick = k % 4
        if pick == 0:
            q = surname[: rng.randint(3, max(3, len(surname)))]
        elif pick == 1:
            q = name
        elif pick == 2:
            q = f"{given[:2]} {surname[:4]}"
        else:
            i = rng.randrange(1, len(surname))
            q = surname[:i] + surname[i + 1 :]  # a letter dropped: the fuzzy path
        queries.append(f"/api/search?q={quote(q)}&limit=20")
    return queries


# -- the browser ----------------------------------------------------------------------------


def _thread_time(cdp: Any) -> float:
    """CPU seconds of the page's main thread so far (Chromium's ``ThreadTime``)."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return float(next(m["value"] for m in metrics if m["name"] == "ThreadTime"))


def browser_render(port: int, *, nodes: int, runs: int = 3) -> dict[str, Any]:
    """Time the graph view of ``nodes`` entities and 20,000 ties in Chromium.

    The view is the largest cells until ``nodes`` entities (whole communities, so
    the ties among them are many), drawn by the page's own code
    (``window.threadline.showGraph``). Each run starts from a fresh page. Reports
    the wall time from data received to the first frame, the main thread's CPU
    time over the same call (Chromium's ``ThreadTime``: less sensitive to other
    processes on a busy machine), and the median frame of ten zoom steps.
    """
    import urllib.request

    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        return {"skipped": "chromium is not installed"}
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/cells?limit=500&members=0") as r:
        cells = json.load(r)["items"]
    chosen, total = [], 0
    for c in cells:
        chosen.append(c["id"])
        total += c["size"]
        if total >= nodes:
            break
    params = {"cell": chosen, "max_nodes": nodes, "max_edges": 4 * nodes}
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    results = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=args)
        for k in range(runs):
            page = browser.new_page(viewport={"width": 1500, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/", timeout=600_000)
            page.wait_for_selector("body[data-ready=true]", timeout=600_000)
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")

            t0, cpu0 = time.perf_counter(), _thread_time(cdp)
            render = page.evaluate("p => window.threadline.showGraph(p)", params)
            total_s, cpu = time.perf_counter() - t0, _thread_time(cdp) - cpu0
            frames = page.evaluate(
                """async () => {
                    const cy = window.threadline.cy;
                    const times = [];
                    for (let i = 0; i < 10; i++) {
                        const t = performance.now();
                        await new Promise((done) => {
                            cy.one('render', () => requestAnimationFrame(done));
                            cy.zoom({ level: cy.zoom() * (i % 2 ? 1 / 1.25 : 1.25),
                                      renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
                        });
                        times.push(performance.now() - t);
                    }
                    return times;
                }"""
            )
            results.append(
                {
                    "run": k + 1,
                    "nodes": render["nodes"],
                    "edges": render["edges"],
                    "render_ms": round(render["ms"], 1),
                    "main_thread_cpu_s": round(cpu, 2),
                    "click_to_render_s": round(total_s, 2),
                    "zoom_frame_ms": round(statistics.median(frames), 1),
                    "load_average": round(os.getloadavg()[0], 1),
                }
            )
            if k == runs - 1:
                page.screenshot(
                    path=str(Path(os.environ.get("TMPDIR", "/tmp")) / "api-load-graph.png")
                )
            page.close()
        browser.close()
    return {"runs": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, default=DEFAULT_WS)
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000, help="per endpoint, all clients")
    parser.add_argument("--graph-nodes", type=int, default=5000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium part")
    parser.add_argument("--append-docs", action="store_true", help="add the figures to docs")
    args = parser.parse_args()

    info = workspace(args.workspace, entities=args.entities, ties=args.ties, rebuild=args.rebuild)
    print(f"workspace: {info}", flush=True)
    proc, port, ready = start_server(args.workspace)
    try:
        mix = request_mix(args.entities, args.requests)
        warm = mix["entity"][:50] + mix["neighbourhood"][:20]
        load(port, warm, clients=4)
        load_before = os.getloadavg()[0]
        figures = {
            "entity": load(port, mix["entity"], clients=args.clients),
            "search": load(port, search_queries(port, mix["people"]), clients=args.clients),
            "neighbourhood (2 hops, cap 500)": load(
                port, mix["neighbourhood"], clients=args.clients
            ),
        }
        rss = _rss_mib(proc.pid)
        http_load = (load_before, os.getloadavg()[0])
        render = (
            {"skipped": "--no-browser"}
            if args.no_browser
            else browser_render(port, nodes=args.graph_nodes)
        )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"machine: {machine}; server ready in {ready:.1f} s; server RSS {rss:.0f} MiB")
    for name, f in figures.items():
        print(
            f"{name:32} n={f['requests']:5}  p50 {f['p50']:6.1f}  p95 {f['p95']:6.1f}  "
            f"p99 {f['p99']:6.1f}  max {f['max']:7.1f} ms  {f['rps']:6.0f} req/s"
        )
    print(f"browser: {json.dumps(render)}")
    if args.append_docs:
        _append_docs(args, info, figures, render, ready, rss, machine, http_load)


def _rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return float("nan")


def _append_docs(
    args: Any,
    info: dict[str, Any],
    figures: dict[str, dict[str, float]],
    render: dict[str, Any],
    ready: float,
    rss: float,
    machine: str,
    http_load: tuple[float, float],
) -> None:
    rows = "\n".join(
        f"| {name} | {f['requests']:,} | {f['p50']:.1f} | {f['p95']:.1f} | {f['p99']:.1f} "
        f"| {f['max']:.1f} | {f['rps']:.0f} |"
        for name, f in figures.items()
    )
    runs = render.get("runs", [])
    draw = (
        "\n".join(
            f"| {r['run']} | {r['nodes']:,} | {r['edges']:,} | {r['render_ms']:,.0f} | "
            f"{r['main_thread_cpu_s']:.2f} | {r['zoom_frame_ms']:.0f} | "
            f"{r['click_to_render_s']:.1f} | {r['load_average']} |"
            for r in runs
        )
        or f"| – | {render.get('skipped', 'not run')} | | | | | | |"
    )
    text = f"""
## REST API and workbench under load (issue 7)

```sh
python benchmarks/api_load.py --append-docs
```

{date.today().isoformat()}, {machine}. Synthetic workspace (seed {info["seed"]}):
{info["entities"]:,} entities, {info["ties"]:,} ties, {info["documents"]:,} documents,
{info["mentions"]:,} name mentions (built in {info["build_seconds"]} s, once).
`threadline serve` on loopback, ready in {ready:.1f} s (reads the network into memory),
resident memory {rss:,.0f} MiB. {args.clients} concurrent keep-alive clients, each a
bounded loop; latencies in milliseconds, measured by the client. The machine's load
average went from {http_load[0]:.1f} to {http_load[1]:.1f} during these requests
(other jobs share its 2 cores; the figures move with it).

| endpoint | requests | p50 | p95 | p99 | max | req/s |
|---|---|---|---|---|---|---|
{rows}

Targets: entity and search p95 ≤ 50 ms, neighbourhood p95 ≤ 200 ms.

Graph view in headless Chromium (`--disable-gpu`, canvas renderer): the largest
cells up to {args.graph_nodes:,} entities and the ties among them (capped at
{4 * args.graph_nodes:,}), positions computed on the server, drawn by the page's own
code on a fresh page. *render* is from the data received to the first frame drawn
(wall clock); *main-thread CPU* is Chromium's own CPU time for the whole call
(fetch and JSON parse included), which other processes on the machine do not
inflate; *zoom frame* the median of ten zoom steps; *call to render* adds the
server's query and layout (the first run computes the layout, later runs hit its
cache). *load avg* is the machine's 1-minute load average at that moment.

| run | nodes | edges | render ms | main-thread CPU s | zoom frame ms | call to render s | load avg |
|---|---|---|---|---|---|---|---|
{draw}

Target: render ≤ 3,000 ms.
"""
    with (REPO / "docs" / "benchmarks.md").open("a", encoding="utf-8") as fh:
        fh.write(text)
    print("appended to docs/benchmarks.md")


if __name__ == "__main__":
    main()
