"""A workspace on Parquet files, in any path Spark reads.

Layout: one folder per table under the root, as Spark writes them::

    ROOT/documents/  ROOT/mentions/  ROOT/assertions/  ROOT/claims/
    ROOT/entities/   ROOT/ties/      ROOT/metrics/

each holding Parquet files of the schema in :mod:`threadline.spark.tables`.
A local root (a folder, or ``file://``) is written and read with Arrow, no
Spark needed; any other (``s3a://bucket/case``, ``abfss://...``, ``gs://...``,
``hdfs://...``) through the Spark session, which must have the file system's
connector and credentials (docs/scaling.md).

:func:`export_parquet` writes a workspace out; :func:`import_parquet` reads one
back into a local workspace (one transaction: on failure the workspace is left
as it was); :func:`spark_frames` gives the tables as Spark DataFrames for the
Spark jobs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from threadline.errors import InputError
from threadline.spark import tables as t
from threadline.spark.session import spark_session
from threadline.store import Workspace

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def is_local(root: str | os.PathLike[str]) -> bool:
    """True for a path on this machine (a plain path or ``file://``)."""
    text = os.fspath(root)
    return not _SCHEME.match(text) or text.startswith("file://")


def _local(root: str | os.PathLike[str]) -> Path:
    text = os.fspath(root)
    return Path(text[len("file://") :] if text.startswith("file://") else text)


def table_path(root: str | os.PathLike[str], name: str) -> str:
    return f"{os.fspath(root).rstrip('/')}/{name}"


def write_table(
    root: str | os.PathLike[str], name: str, rows: list[dict[str, Any]], *, session: Any = None
) -> None:
    """Write (replace) one table of the Parquet workspace at ``root``."""
    table = t.arrow_table(name, rows)
    if is_local(root):
        import pyarrow.parquet as pq

        folder = _local(root) / name
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.parquet"):
            old.unlink()
        pq.write_table(table, folder / "part-00000.parquet")
        return

    spark = session or spark_session()
    spark.createDataFrame(table).write.mode("overwrite").parquet(table_path(root, name))


def read_table(
    root: str | os.PathLike[str], name: str, *, session: Any = None
) -> list[dict[str, Any]]:
    """The rows of one table of the Parquet workspace at ``root`` ([] when absent)."""
    if is_local(root):
        import pyarrow.parquet as pq

        folder = _local(root) / name
        if not folder.exists():
            return []
        try:
            table = pq.read_table(folder, schema=t.arrow_schemas()[name])
        except Exception as exc:  # pyarrow's errors name no file: say which table
            raise InputError(str(folder), f"not a '{name}' table of Parquet files: {exc}") from exc
        return list(table.to_pylist())
    frames = spark_frames(root, session=session, names=[name])
    return [row.asDict(recursive=True) for row in frames[name].collect()] if frames else []


def export_parquet(
    ws: Workspace, root: str | os.PathLike[str], *, session: Any = None
) -> dict[str, int]:
    """Write every table of ``ws`` under ``root``; returns rows written per table."""
    rows = {
        "documents": [t.document_row(d) for d in ws.documents()],
        "mentions": [t.mention_row(m) for m in ws.mentions()],
        "assertions": [t.assertion_row(a) for a in ws.assertions()],
        "claims": [t.claim_row(c) for c in ws.claims()],
        "entities": [t.entity_row(e) for e in ws.entities()],
        "ties": [t.tie_row(x) for x in ws.ties()],
        "metrics": t.metric_rows(ws.metrics()),
    }
    for name in t.TABLES:
        write_table(root, name, rows[name], session=session)
    return {name: len(r) for name, r in rows.items()}


def import_parquet(
    ws: Workspace,
    root: str | os.PathLike[str],
    *,
    extractor: str,
    session: Any = None,
    tables: Iterable[str] = t.TABLES,
) -> dict[str, int]:
    """Read the Parquet workspace at ``root`` into ``ws`` in one transaction.

    Documents the workspace lacks are added; each document's mentions,
    assertions and claims replace what ``ws`` held for it (stored as extracted
    by ``extractor``); entities and ties, and metrics, replace the workspace's
    when the Parquet workspace has them. Returns rows read per table.
    """
    wanted = set(tables)
    got = {name: read_table(root, name, session=session) for name in t.TABLES if name in wanted}
    counts = {name: len(rows) for name, rows in got.items()}
    with ws.transaction():
        known = {d.id for d in ws.documents()}
        for row in got.get("documents", []):
            doc = t.document_from_row(row)
            if doc.id not in known and not ws.has_document(doc.sha256):
                ws.add_document(doc)
                known.add(doc.id)
        load_extraction(
            ws,
            got.get("mentions", []),
            got.get("assertions", []),
            got.get("claims", []),
            extractor=extractor,
            known=known,
        )
        if got.get("entities"):
            ws.replace_resolution(
                [t.entity_from_row(r) for r in got["entities"]],
                [t.tie_from_row(r) for r in got.get("ties", [])],
            )
        if got.get("metrics"):
            ws.replace_metrics(t.metrics_from_rows(got["metrics"]))
    return counts


def load_extraction(
    ws: Workspace,
    mentions: list[dict[str, Any]],
    assertions: list[dict[str, Any]],
    claims: list[dict[str, Any]],
    *,
    extractor: str,
    known: set[str],
    documents: Iterable[str] = (),
) -> int:
    """Replace the extraction of every document named in the rows (and of
    ``documents``, which may have yielded nothing); call inside a transaction.

    A row of a document the workspace does not hold is an error naming it.
    Returns the number of documents replaced.
    """
    by_doc: dict[str, tuple[list[Any], list[Any], list[Any]]] = {d: ([], [], []) for d in documents}
    for kind, rows, convert in (
        (0, mentions, t.mention_from_row),
        (1, assertions, t.assertion_from_row),
        (2, claims, t.claim_from_row),
    ):
        for row in rows:
            doc = row["document"]
            if doc not in known:
                raise InputError(doc, "extraction rows for a document the workspace does not hold")
            by_doc.setdefault(doc, ([], [], []))[kind].append(convert(row))
    for doc, (ms, as_, cs) in by_doc.items():
        ws.replace_extraction(doc, extractor, ms, as_, cs)
    return len(by_doc)


def spark_frames(
    root: str | os.PathLike[str], *, session: Any = None, names: Iterable[str] = t.TABLES
) -> dict[str, Any]:
    """The tables present under ``root`` as Spark DataFrames (absent tables are left out)."""
    spark = session or spark_session()
    out: dict[str, Any] = {}
    for name in names:
        path = table_path(root, name)
        if is_local(root) and not (_local(root) / name).exists():
            continue
        try:
            out[name] = spark.read.parquet(path)
        except Exception as exc:  # absent on object storage: Spark's "path does not exist"
            if "PATH_NOT_FOUND" in str(exc) or "does not exist" in str(exc):
                continue
            raise
    return out
