"""Whole-pipeline workflows that the CLI, the demo and the API share.

``run`` = ingest -> extract -> resolve -> analyze, then the outputs: the HTML
report and every export format written to one folder. ``engine="spark"`` runs
extract and analyze on Apache Spark (resolve stays embedded); the entities, ties
and claims are the embedded engine's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from threadline.analyze.stage import analyze_workspace
from threadline.errors import ExportError, PipelineError
from threadline.export.formats import OUTPUT_FILES, write_format
from threadline.export.json_export import build_export
from threadline.extract.stage import extract_workspace
from threadline.ingest import IngestReport, ingest_paths
from threadline.ingest.edgelist import import_edge_list
from threadline.ingest.metadata import DocumentMeta
from threadline.pipeline.reruns import rerun
from threadline.resolve.stage import resolve_workspace
from threadline.store import Workspace


@dataclass
class RunSummary:
    ingest: IngestReport
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)


StageProgress = Callable[[str, int, int], None]
#: Where extract and analyze run: in this process, or on Apache Spark.
Engine = Literal["embedded", "spark"]


def process(
    ws: Workspace,
    *,
    progress: StageProgress | None = None,
    processes: int = 1,
    engine: Engine = "embedded",
    session: Any = None,
) -> dict[str, dict[str, Any]]:
    """Run extract, resolve and analyze on whatever the workspace holds.

    ``processes`` worker processes share the extraction (0: chosen from the cores).
    ``engine="spark"`` extracts and analyzes on Spark (``session``, default: one
    from the environment, see docs/scaling.md); documents Spark could not extract
    are named under ``stages["extract"]["failed_documents"]``.
    """
    if engine not in ("embedded", "spark"):
        raise PipelineError(f"unknown engine '{engine}': choose embedded or spark")
    if engine == "spark":
        return _process_on_spark(ws, progress=progress, session=session)
    stages: dict[str, dict[str, Any]] = {}
    stages["extract"] = extract_workspace(
        ws,
        processes=processes,
        progress=(lambda i, n: progress("extract", i, n)) if progress else None,
    )
    if progress:
        progress("resolve", 0, 1)
    stages["resolve"] = resolve_workspace(ws)
    if progress:
        progress("analyze", 0, 1)
    stages["analyze"] = analyze_workspace(ws)
    return stages


def _process_on_spark(
    ws: Workspace, *, progress: StageProgress | None, session: Any
) -> dict[str, dict[str, Any]]:
    # lazy: pyspark (an optional extra) loads only for the Spark engine
    from threadline.spark.analyze import analyze_workspace_spark
    from threadline.spark.extract import extract_workspace_spark
    from threadline.spark.session import SparkSettings, spark_session

    spark = session or spark_session(SparkSettings.from_env())
    if progress:
        progress("extract", 0, 1)
    extracted = extract_workspace_spark(ws, session=spark)
    stages: dict[str, dict[str, Any]] = {
        "extract": {**extracted.counts(), "failed_documents": dict(extracted.failed)}
    }
    if progress:
        progress("resolve", 0, 1)
    stages["resolve"] = resolve_workspace(ws)
    if progress:
        progress("analyze", 0, 1)
    stages["analyze"] = analyze_workspace_spark(ws, session=spark)
    return stages


def run(
    ws: Workspace,
    paths: Iterable[str | os.PathLike[str]],
    out_dir: Path | None,
    *,
    given: DocumentMeta | None = None,
    progress: StageProgress | None = None,
    title: str = "threadline report",
    processes: int = 1,
    engine: Engine = "embedded",
    session: Any = None,
) -> RunSummary:
    """Ingest ``paths``, run every stage (on ``engine``), and write the outputs to
    ``out_dir``."""
    report = ingest_paths(ws, paths, given=given)
    summary = RunSummary(ingest=report)
    summary.stages = process(
        ws, progress=progress, processes=processes, engine=engine, session=session
    )
    if out_dir is not None:
        summary.outputs = write_outputs(ws, out_dir, title=title)
    return summary


def write_outputs(
    ws: Workspace, out_dir: Path, *, title: str = "threadline report"
) -> dict[str, str]:
    """Write the report and every export format into ``out_dir``; return their paths."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(
            f"cannot write the outputs to '{out_dir}': {exc.strerror or exc}; pass -o FOLDER"
        ) from exc
    export = build_export(ws)
    written: dict[str, str] = {}
    for fmt in ("json", "ftm", "graphml", "gexf", "csv", "report"):
        target = out_dir / OUTPUT_FILES[fmt]
        write_format(export, fmt, target, title=title)
        written[fmt] = str(target)
    return written


def retract(ws: Workspace, ref: str) -> dict[str, Any]:
    """Remove a document and everything that only it supported; say what went.

    The deletion and the rebuilt entities, ties and measures land in one
    transaction: a failure midway leaves the workspace as it was. The stored
    copy of the file is then removed too, unless another document shares it
    (copies are content-addressed). The result names the document, the
    entities and ties removed, and whether the copy was removed
    (``blob_removed``).
    """
    doc = ws.document(ref)
    before_e = {e.id: e.name for e in ws.entities()}
    before_t = {t.id: (t.type, t.source, t.target) for t in ws.ties()}
    with ws.transaction():
        ws.delete_document(doc.id)
        rerun(ws, "retraction")
    blob_removed = ws.delete_blob(doc.sha256)
    after_e = {e.id for e in ws.entities()}
    after_t = {t.id for t in ws.ties()}
    gone_e = sorted((eid, name) for eid, name in before_e.items() if eid not in after_e)
    gone_t = sorted((tid, *v) for tid, v in before_t.items() if tid not in after_t)
    return {
        "document": {"id": doc.id, "source": doc.source, "title": doc.title},
        "blob_removed": blob_removed,
        "entities_removed": [{"id": i, "name": n} for i, n in gone_e],
        "ties_removed": [
            {
                "id": t[0],
                "type": t[1],
                "source": before_e.get(t[2], t[2]),
                "target": before_e.get(t[3], t[3]),
            }
            for t in gone_t
        ],
    }


def import_graph(
    ws: Workspace,
    path: str | os.PathLike[str],
    options: Any = None,
    *,
    published: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
) -> dict[str, Any]:
    """Import an edge list as a graph-only source, then resolve and analyze, atomically.

    ``options`` is an :class:`~threadline.ingest.edgelist.EdgeListOptions`.
    Returns what the import read (rows, edges, nodes, skipped rows) and the
    counts of the resolve and analyze stages.
    """
    with ws.transaction():
        imported = import_edge_list(
            ws, path, options, published=published, title=title, outlet=outlet
        )
        imported.update(rerun(ws, "edge_list"))
    return imported
