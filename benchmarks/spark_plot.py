"""The time-vs-size plot and the table of the Spark-vs-embedded benchmarks.

Reads ``benchmarks/results/spark_{extract,resolve,graph}.json`` (written by
``spark_extract.py``, ``spark_resolve.py``, ``spark_graph.py``), draws one
panel per stage, one line per engine (log-log), into
``docs/img/spark_scaling.png``, and prints the table in Markdown (with the
load average of each cell) for docs/scaling.md.

    python benchmarks/spark_plot.py
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from spark_cells import read  # noqa: E402

PNG = HERE.parent / "docs" / "img" / "spark_scaling.png"
PANELS = (
    ("extract", "Extraction (news articles)", "documents"),
    ("resolve", "Record linkage (synthetic people)", "records"),
    ("graph", "Components + PageRank", "vertices (10 ties each)"),
)


def series(stage: str) -> dict[str, list[tuple[int, float]]]:
    out: dict[str, list[tuple[int, float]]] = {}
    for cell in read(stage)["cells"].values():
        seconds = float(cell["seconds"])
        if stage == "graph":  # label propagation differs (igraph: to convergence; Spark: 10
            # rounds), so the plot compares the two exact jobs; the table gives all three
            seconds = cell["phases"]["components"] + cell["phases"]["pagerank"]
        out.setdefault(cell["engine"], []).append((int(cell["size"]), seconds))
    return {engine: sorted(points) for engine, points in out.items()}


def plot() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
    for ax, (stage, title, unit) in zip(axes, PANELS, strict=True):
        for engine, points in sorted(series(stage).items()):
            ax.plot(*zip(*points, strict=True), marker="o", label=engine)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(unit)
        ax.set_ylabel("seconds")
        ax.grid(True, which="both", alpha=0.3)
        if ax.lines:
            ax.legend(fontsize=8)
    fig.suptitle("threadline: embedded engine vs Spark local mode, 2 shared cores", fontsize=11)
    fig.tight_layout()
    PNG.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(PNG, dpi=100)


def _extra(stage: str, cell: dict[str, Any]) -> str:
    if stage == "extract":
        return f"{cell['documents_per_second']} docs/s, {cell['words_per_second']} words/s"
    if stage == "resolve":
        text = f"F1 vs truth {cell['clusters_vs_truth']['f1']}"
        if "clusters_vs_duckdb" in cell:
            text += f", clusters vs DuckDB F1 {cell['clusters_vs_duckdb']['f1']}"
        return text
    phases = ", ".join(f"{k} {v} s" for k, v in cell["phases"].items())
    if "pagerank_max_error_vs_igraph" in cell:
        phases += f"; PageRank max error {cell['pagerank_max_error_vs_igraph']:.1e}"
    return phases


def table() -> str:
    lines = [
        "| stage | engine | size | seconds | figures | load avg (1, 5, 15 min) before |",
        "|---|---|---:|---:|---|---|",
    ]
    for stage, _, _ in PANELS:
        cells = sorted(read(stage)["cells"].values(), key=lambda c: (c["size"], c["engine"]))
        for c in cells:
            lines.append(
                f"| {stage} | {c['engine']} | {c['size']:,} | {c['seconds']} | "
                f"{_extra(stage, c)} | {c['load_before']} |"
            )
    return "\n".join(lines)


def main() -> int:
    plot()
    print(table())
    print(f"\nplot: {PNG}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
