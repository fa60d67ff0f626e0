"""Results of the Spark-vs-embedded benchmarks, cached per stage, engine and size.

Each benchmark (``spark_extract.py``, ``spark_resolve.py``, ``spark_graph.py``)
measures one cell at a time (an engine at a size) and stores it in
``benchmarks/results/spark_<stage>.json`` at once, so a run stopped midway
keeps what it measured and the next run does only the missing cells. Every
cell records the machine's load average (``uptime``) when it started and ended:
the machine is shared, and load skews wall times.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
        f"Python {platform.python_version()}"
    )


def load() -> str:
    """The 1, 5 and 15 minute load averages, as ``uptime`` prints them."""
    out = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout
    return out.split("load average:")[-1].strip()


def results_file(stage: str) -> Path:
    return RESULTS / f"spark_{stage}.json"


def read(stage: str) -> dict[str, Any]:
    path = results_file(stage)
    if path.exists():
        return dict(json.loads(path.read_text(encoding="utf-8")))
    return {"stage": stage, "cells": {}}


def measure_cell(
    stage: str,
    engine: str,
    size: int,
    run: Callable[[], dict[str, Any]],
    *,
    command: str,
    force: bool = False,
) -> dict[str, Any]:
    """Run ``run`` for the cell (engine, size) unless it is cached; store its figures."""
    data = read(stage)
    key = f"{engine}/{size}"
    if key in data["cells"] and not force:
        print(f"{stage} {key}: cached {data['cells'][key].get('seconds')} s", flush=True)
        return dict(data["cells"][key])
    before = load()
    started = time.perf_counter()
    figures = run()
    figures.setdefault("seconds", round(time.perf_counter() - started, 2))
    figures.update(
        engine=engine,
        size=size,
        load_before=before,
        load_after=load(),
        machine=machine(),
        command=command,
        measured=time.strftime("%Y-%m-%d %H:%M"),
    )
    data = read(stage)  # another run may have added cells meanwhile
    data["cells"][key] = figures
    RESULTS.mkdir(parents=True, exist_ok=True)
    results_file(stage).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", "utf-8")
    print(f"{stage} {key}: {figures.get('seconds')} s  (load {before})", flush=True)
    return figures
