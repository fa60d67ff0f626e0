"""Per-document review latency (issue 18): every action of the workbench's review page,
through the real application, on a 5,000-character article with 40 mentions.

1. Builds (once, then reused) a workspace through the whole pipeline (ingest,
   extract, resolve, analyze): the fictional demo case and one more article written
   for this benchmark (benchmarks/data/review_article.txt: about 4,900 characters,
   invented names, 40 mentions once extracted).
2. Opens the application on a copy with FastAPI's TestClient (in process: the
   request, the route, the correction, the re-resolution it triggers and the JSON
   answer; no network) and times, for ``--rounds`` rounds, each action the review
   page sends: load the review; reject a mention; retype a mention; reject a tie;
   retype a tie; undo (each correction is undone, so every round starts from the
   same network). A write is timed alone ("answer") and with the review read again,
   as the page does after it ("answer + redraw data").
3. Prints median, p95 and max per action in wall-clock milliseconds, the CPU
   milliseconds the process spent on each answer (every thread; on a shared machine
   the wall clock also counts waiting for a core: the load average is printed before
   and after), the total wall and CPU seconds, and the machine.

Figures, not pass/fail (the target is 300 ms for each action):

    python benchmarks/review_latency.py [--rounds 20] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
ARTICLE = REPO / "benchmarks" / "data" / "review_article.txt"
TMP = Path(os.environ.get("TMPDIR", "/tmp")) / "threadline-bench-review"
#: CPU milliseconds of each answer, by action (see :func:`timed`).
CPU: dict[str, list[float]] = {}
ACTIONS = ("load review", "reject mention", "retype mention", "reject tie", "retype tie", "undo")


def build(folder: Path) -> Path:
    """The demo case and the article through the whole pipeline (cached in ``folder``)."""
    from threadline.demo import CASE_DIR
    from threadline.pipeline import run
    from threadline.store import open_workspace

    base = folder / "base"
    marker = folder / "built.json"
    stamp = {"article": ARTICLE.read_text(encoding="utf-8"), "version": 1}
    if marker.exists() and json.loads(marker.read_text(encoding="utf-8")) == stamp:
        return base
    shutil.rmtree(folder, ignore_errors=True)
    corpus = folder / "corpus"
    shutil.copytree(CASE_DIR, corpus)
    shutil.copy(ARTICLE, corpus / ARTICLE.name)
    with open_workspace(base, create=True) as ws:
        run(ws, [corpus], None)
    marker.write_text(json.dumps(stamp), encoding="utf-8")
    return base


def timed(samples: dict[str, list[float]], name: str, call: Any, *, answer: bool = True) -> Any:
    """Run ``call`` (a request), adding its wall-clock milliseconds to ``samples[name]``
    and, for an action's own answer, its CPU milliseconds (this process, every
    thread) to ``CPU[name]``."""
    started, cpu = time.perf_counter(), time.process_time()
    response = call()
    samples[name].append((time.perf_counter() - started) * 1000)
    if answer:
        CPU.setdefault(name, []).append((time.process_time() - cpu) * 1000)
    if response.status_code >= 400:
        raise SystemExit(f"{name}: HTTP {response.status_code} {response.text[:300]}")
    return response.json()


def pick(review: dict[str, Any], k: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The k-th mention an entity holds and the k-th tie a sentence states (wrapping)."""
    held = [m for m in review["mentions"] if m["entity"]]
    stated = [t for t in review["ties"] if not t["inferred"]] or review["ties"]
    return held[k % len(held)], stated[k % len(stated)]


def other_schema(schema: str) -> str:
    return "Organization" if schema == "Person" else "Person"


def other_type(kind: str) -> str:
    return "associate" if kind != "associate" else "communicated_with"


def measure(workspace: Path, rounds: int) -> dict[str, Any]:
    from fastapi.testclient import TestClient

    from threadline.api import create_app

    answer: dict[str, list[float]] = {a: [] for a in ACTIONS}
    redraw: dict[str, list[float]] = {a: [] for a in ACTIONS if a != "load review"}
    cpu_started = time.process_time()
    wall_started = time.perf_counter()
    with TestClient(create_app(workspace)) as client:
        docs = client.get("/api/documents", params={"limit": 500}).json()["items"]
        [doc] = [d for d in docs if (d["source"] or "").endswith(ARTICLE.name)]
        url = f"/api/documents/{doc['id']}/review"
        first = client.get(url).json()
        sizes = {
            "characters": len(first["text"]),
            "mentions": len(first["mentions"]),
            "ties": len(first["ties"]),
        }

        def write(name: str, body: dict[str, Any]) -> None:
            made = timed(answer, name, lambda: client.post("/api/corrections", json=body))
            timed(redraw, name, lambda: client.get(url), answer=False)
            redraw[name][-1] += answer[name][-1]
            timed(answer, "undo", lambda: client.post(f"/api/corrections/{made['id']}/undo"))
            timed(redraw, "undo", lambda: client.get(url), answer=False)
            redraw["undo"][-1] += answer["undo"][-1]

        for k in range(rounds):
            review = timed(answer, "load review", lambda: client.get(url))
            mention, tie = pick(review, k)
            write("reject mention", {"kind": "reject_mention", "mention": mention["id"]})
            write(
                "retype mention",
                {
                    "kind": "set_mention_schema",
                    "mention": mention["id"],
                    "schema": other_schema(mention["schema"]),
                },
            )
            write("reject tie", {"kind": "reject_tie", "tie": tie["id"]})
            review = client.get(url).json()
            _, tie = pick(review, k)
            write(
                "retype tie",
                {"kind": "retype_tie", "tie": tie["id"], "type": other_type(tie["type"])},
            )
    answer_cpu = {a: CPU[a] for a in ACTIONS}
    return {
        "sizes": sizes,
        "rounds": rounds,
        "answer": {a: summary(v) for a, v in answer.items()},
        "answer_and_redraw": {a: summary(v) for a, v in redraw.items()},
        "answer_cpu": {a: summary(v) for a, v in answer_cpu.items()},
        "load_average": os.getloadavg(),
        "wall_seconds": round(time.perf_counter() - wall_started, 2),
        "cpu_seconds": round(time.process_time() - cpu_started, 2),
    }


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(values),
        "median_ms": round(statistics.median(values), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(ordered[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--folder", type=Path, default=TMP)
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures here.")
    args = parser.parse_args()
    started_load = [round(x, 1) for x in os.getloadavg()]
    started = time.perf_counter()
    base = build(args.folder)
    built = round(time.perf_counter() - started, 1)
    work = args.folder / "run"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(base, work)
    result = measure(work, args.rounds)
    result["machine"] = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    result["build_seconds"] = built
    s = result["sizes"]
    print(f"article: {s['characters']} characters, {s['mentions']} mentions, {s['ties']} ties")
    print(f"machine: {result['machine']}; {args.rounds} rounds")
    print("load average before / after:", started_load, [round(x, 1) for x in os.getloadavg()])
    print(f"{'action':<16} {'answer: median p95 max':>26} {'CPU: median p95':>18}"
          f" {'+ review read again: median p95':>34}  (ms)")  # fmt: skip
    for a in ACTIONS:
        x, c = result["answer"][a], result["answer_cpu"][a]
        y = result["answer_and_redraw"].get(a)
        right = f"{y['median_ms']:>10} {y['p95_ms']:>8}" if y else ""
        print(
            f"{a:<16} {x['median_ms']:>10} {x['p95_ms']:>7} {x['max_ms']:>7}"
            f" {c['median_ms']:>10} {c['p95_ms']:>7} {right:>34}"
        )
    print(f"wall {result['wall_seconds']} s, CPU {result['cpu_seconds']} s (build {built} s)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
