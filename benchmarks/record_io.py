"""What ``records import`` and ``export`` cost on Febrl3 (5,000 person records), for
several source trees side by side, and whether they give the same output.

Febrl3 is written as a CSV (``benchmarks/febrl.py``: Febrl's columns plus
``address``). For each tree and each repetition, interleaved so a busy machine
weighs on each alike:

- the command, as a user runs it (a new process: ``python -c "from
  threadline.cli.app import main; main()" ARGS``): ``records import FILE --map
  id=rec_id,...`` into a new workspace, and ``export -o FILE.json`` of one linked and
  resolved workspace (built once, by the first tree); CPU is user + system of the
  process, from the children's resource usage;
- its work alone: a new process that loads the command line first (start-up, not
  counted, as ``main()`` does), then times ``import_record_file`` or
  ``write_format(build_export(ws), "json", ...)`` with ``time.process_time``.

The medians of ``--repeat`` runs are reported. The trees must agree: the rows each
import stored (every table, without its time columns) and the exported JSON, byte
for byte; a difference is reported and the exit status is 1.

    python benchmarks/record_io.py --src src --src /tmp/before/src [--repeat 5] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import febrl  # noqa: E402 - the benchmark next to this one writes the CSV
from child_cpu import run_counted  # noqa: E402 - next to this one too

COLUMN_MAP = febrl.COLUMN_MAP
CLI = "from threadline.cli.app import main; main()"

#: The work alone, in a process that has loaded the command line first.
WORK = """
import sys, time
from pathlib import Path
import threadline.cli.app as app
if hasattr(app, "collect_less"):
    app.collect_less()  # as main() does before a command runs
from threadline.store import open_workspace
what, ws_path, target = sys.argv[1:4]
if what == "import":
    from threadline.ingest.records import import_record_file, parse_column_map
    columns = parse_column_map([sys.argv[4]])
    with open_workspace(ws_path, create=True) as ws:
        start = time.process_time()
        import_record_file(ws, target, columns)
        spent = time.process_time() - start
else:
    from threadline.export.formats import write_format
    from threadline.export.json_export import build_export
    with open_workspace(ws_path) as ws:
        start = time.process_time()
        write_format(build_export(ws), "json", Path(target))
        spent = time.process_time() - start
print(f"{spent:.4f}")
"""

#: Every table as sorted rows, without the columns that hold a time.
DUMP = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
for (t,) in sorted(con.execute("SELECT table_name FROM information_schema.tables").fetchall()):
    cols = [c for (c,) in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position", [t]).fetchall()]
    kept = [c for c in cols if not (c.endswith("_at") or "time" in c)]
    rows = con.execute(f"SELECT {', '.join(chr(34) + c + chr(34) for c in kept)} FROM {t}")
    print("##", t, kept)
    for line in sorted(map(repr, rows.fetchall())):
        print(line)
"""


def _env(src: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src.resolve())}


def _cpu(args: list[str], src: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    return run_counted(args, _env(src))


def _run(args: list[str], src: Path, ok: tuple[int, ...] = (0, 3)) -> float:
    cpu, done = _cpu(args, src)
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(args[:4])}... failed ({src}):\n{done.stdout}\n{done.stderr}")
    return cpu


def _work(src: Path, *args: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", WORK, *args],
        capture_output=True,
        text=True,
        env=_env(src),
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"work {args[0]} failed ({src}):\n{done.stderr}")
    return float(done.stdout.split()[-1])


def _digest(src: Path, ws: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", DUMP, str(ws / "threadline.duckdb")],
        capture_output=True,
        text=True,
        env=_env(src),
        check=True,
    )
    return hashlib.sha256(done.stdout.encode()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--src", action="append", required=True, help="a source tree (src/)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    opts = parser.parse_args()
    trees = [Path(s) for s in opts.src]
    cli = [sys.executable, "-c", CLI]
    rows, _ = febrl.load("febrl3")
    out: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load": round(os.getloadavg()[0], 1),
        "records": len(rows),
        "trees": {},
        "differences": [],
    }
    with tempfile.TemporaryDirectory(prefix="record-io-") as tmp:
        folder = Path(tmp)
        (csv_path,) = febrl.write_files(rows, folder)
        linked = folder / "linked"
        # the workspace every tree exports: imported, linked and resolved by the first
        _run(
            [*cli, "records", "import", str(csv_path), "--map", COLUMN_MAP, "-w", str(linked)],
            trees[0],
        )
        _run([*cli, "records", "link", "-w", str(linked)], trees[0])
        _run([*cli, "resolve", "-w", str(linked)], trees[0])
        runs: dict[str, dict[str, list[float]]] = {
            str(t): {"import_cpu": [], "import_work": [], "export_cpu": [], "export_work": []}
            for t in trees
        }
        stored: dict[str, str] = {}
        exported: dict[str, str] = {}
        for _ in range(opts.repeat):
            for t in trees:
                r = runs[str(t)]
                ws = folder / "ws"
                shutil.rmtree(ws, ignore_errors=True)
                r["import_cpu"].append(
                    _run(
                        [
                            *cli,
                            "records",
                            "import",
                            str(csv_path),
                            "--map",
                            COLUMN_MAP,
                            "-w",
                            str(ws),
                        ],
                        t,
                    )
                )
                stored.setdefault(str(t), _digest(t, ws))
                shutil.rmtree(ws, ignore_errors=True)
                r["import_work"].append(_work(t, "import", str(ws), str(csv_path), COLUMN_MAP))
                target = folder / "export.json"
                r["export_cpu"].append(
                    _run([*cli, "export", "-o", str(target), "-w", str(linked)], t, (0,))
                )
                exported.setdefault(str(t), hashlib.sha256(target.read_bytes()).hexdigest())
                r["export_work"].append(_work(t, "export", str(linked), str(target)))
        first = str(trees[0])
        for t in map(str, trees[1:]):
            if stored[t] != stored[first]:
                out["differences"].append(f"{t}: the import stored other rows than {first}")
            if exported[t] != exported[first]:
                out["differences"].append(f"{t}: the export differs from {first}'s")
        for t, r in runs.items():
            out["trees"][t] = {k: round(statistics.median(v), 3) for k, v in r.items()}
    if opts.json:
        print(json.dumps(out, indent=1))
    else:
        print(
            f"{out['machine']}, load {out['load']}; Febrl3, {out['records']} records; medians of {opts.repeat}"
        )
        print(
            f"{'tree':40} {'import cmd':>11} {'import work':>12} {'export cmd':>11} {'export work':>12}"
        )
        for t, m in out["trees"].items():
            print(
                f"{t[-40:]:40} {m['import_cpu']:>11} {m['import_work']:>12} "
                f"{m['export_cpu']:>11} {m['export_work']:>12}"
            )
        print(
            "\n".join(out["differences"]) or "same stored rows and the same export from every tree"
        )
    sys.exit(1 if out["differences"] else 0)


if __name__ == "__main__":
    main()
