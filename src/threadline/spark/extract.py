"""The extract stage on Spark: documents partitioned over executors.

Each partition's documents are extracted by the very function the embedded
engine runs (:func:`threadline.extract.pipeline.extract_document`), so both
engines find the same mentions, ties and claims. The spaCy pipeline is loaded
once per Python worker (:func:`threadline.extract.nlp.load_model` caches it, and
Spark reuses its Python workers between tasks), not once per document.

Results are written as Parquet, as tables of a Parquet workspace
(:mod:`threadline.spark.workspace`): ``ROOT/mentions``, ``ROOT/assertions``,
``ROOT/claims``, plus ``ROOT/extraction`` with one row per document (seconds
spent, and the error when a document failed: the others are kept).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from threadline.extract.nlp import DEFAULT_MODEL, MODELS, load_model
from threadline.extract.pipeline import EXTRACTOR, extract_document
from threadline.model.vocabulary import NON_PROSE_KINDS
from threadline.spark import tables as t
from threadline.spark.session import SparkEngineError, spark_session
from threadline.spark.workspace import is_local, load_extraction, read_table, table_path
from threadline.store import Workspace

#: The per-document outcome table under the root.
OUTCOME_TABLE = "extraction"


@dataclass
class SparkExtraction:
    """What a Spark extraction run did: counts, seconds, and the documents that failed."""

    documents: int = 0
    mentions: int = 0
    assertions: int = 0
    claims: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def counts(self) -> dict[str, Any]:
        out: dict[str, Any] = asdict(self)
        out["failed"] = len(self.failed)
        return out


def _outcome_schema() -> Any:
    import pyarrow as pa

    s = pa.string()
    return pa.schema(
        [
            ("document", s),
            ("mentions", s),
            ("assertions", s),
            ("claims", s),
            ("seconds", pa.float64()),
            ("error", s),
        ]
    )


def _extract_batches(batches: Iterator[Any], *, model: str) -> Iterator[Any]:
    """Runs on the executors: documents in (Arrow batches), one outcome row per document out."""
    import pyarrow as pa

    schema = _outcome_schema()
    for batch in batches:
        out: dict[str, list[Any]] = {name: [] for name in schema.names}
        for row in batch.to_pylist():
            doc = t.document_from_row(row)
            started = time.perf_counter()
            mentions = assertions = claims = "[]"
            error = None
            try:
                result = extract_document(doc, load_model(MODELS.get(doc.language or "", model)))
                mentions = json.dumps([t.mention_row(m) for m in result.mentions])
                assertions = json.dumps([t.assertion_row(a) for a in result.assertions])
                claims = json.dumps([t.claim_row(c) for c in result.claims])
            except Exception as exc:  # one bad document must not fail the job: say which
                error = f"{type(exc).__name__}: {exc}"
            out["document"].append(doc.id)
            out["mentions"].append(mentions)
            out["assertions"].append(assertions)
            out["claims"].append(claims)
            out["seconds"].append(time.perf_counter() - started)
            out["error"].append(error)
        yield pa.RecordBatch.from_pydict(out, schema=schema)


def extract_frame(
    documents: Any, *, model: str = DEFAULT_MODEL, partitions: int | None = None
) -> Any:
    """A DataFrame of one outcome row per document of ``documents`` (a DataFrame of
    the ``documents`` table). Lazy: nothing runs until it is written or collected."""
    from pyspark.sql.pandas.types import from_arrow_schema

    spark = documents.sparkSession
    n = partitions or max(1, int(spark.sparkContext.defaultParallelism) * 2)
    return documents.repartition(n).mapInArrow(
        partial(_extract_batches, model=model), from_arrow_schema(_outcome_schema())
    )


def extract_to_parquet(
    documents: Any,
    root: str,
    *,
    model: str = DEFAULT_MODEL,
    partitions: int | None = None,
) -> SparkExtraction:
    """Extract ``documents`` on Spark and write the results under ``root``.

    The outcome table is written first (the extraction runs once), then the
    mentions, assertions and claims tables are unpacked from it, typed.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema
    from pyspark.sql.types import ArrayType

    started = time.perf_counter()
    spark = documents.sparkSession
    extract_frame(documents, model=model, partitions=partitions).write.mode("overwrite").parquet(
        table_path(root, OUTCOME_TABLE)
    )
    outcomes = spark.read.parquet(table_path(root, OUTCOME_TABLE))
    schemas = t.arrow_schemas()
    written: dict[str, int] = {}
    for name in ("mentions", "assertions", "claims"):
        rows = ArrayType(from_arrow_schema(schemas[name]))
        table = outcomes.select(F.explode(F.from_json(F.col(name), rows)).alias("r")).select("r.*")
        table.write.mode("overwrite").parquet(table_path(root, name))
        written[name] = spark.read.parquet(table_path(root, name)).count()
    failed = {
        r["document"]: r["error"]
        for r in outcomes.where(F.col("error").isNotNull()).select("document", "error").collect()
    }
    return SparkExtraction(
        documents=outcomes.count() - len(failed),
        mentions=written["mentions"],
        assertions=written["assertions"],
        claims=written["claims"],
        failed=failed,
        seconds=time.perf_counter() - started,
    )


def extract_workspace_spark(
    ws: Workspace,
    *,
    force: bool = False,
    model: str = DEFAULT_MODEL,
    output: str | None = None,
    session: Any = None,
    partitions: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> SparkExtraction:
    """The extract stage of ``ws`` on Spark: the documents not yet extracted go to
    the executors, the results are written as Parquet under ``output`` (default:
    the workspace's ``spark/extraction`` folder) and loaded back into ``ws`` in one
    transaction. A document that failed is named in ``failed`` and keeps what it had.
    """
    done = set() if force else ws.extracted_documents(EXTRACTOR)
    todo = [d for d in ws.documents() if d.id not in done and d.kind not in NON_PROSE_KINDS]
    if not todo:
        return SparkExtraction()
    root = output or os.path.join(str(ws.root), "spark", "extraction")
    if not is_local(root):  # the results come back to this machine's workspace
        raise SparkEngineError(
            f"'{root}': a workspace's extraction is kept beside it; for object storage "
            "use 'threadline spark export' and 'threadline spark extract'"
        )
    spark = session or spark_session()
    if progress:
        progress(f"extracting {len(todo)} document(s) on Spark")
    frame = spark.createDataFrame(t.arrow_table("documents", [t.document_row(d) for d in todo]))
    result = extract_to_parquet(frame, root, model=model, partitions=partitions)
    if progress:
        progress("loading the results into the workspace")
    rows = {name: read_table(root, name) for name in ("mentions", "assertions", "claims")}
    ok = [d.id for d in todo if d.id not in result.failed]
    keep = set(ok)
    with ws.transaction():
        load_extraction(
            ws,
            *(
                [r for r in rows[name] if r["document"] in keep]
                for name in ("mentions", "assertions", "claims")
            ),
            extractor=EXTRACTOR,
            known=keep,
            documents=ok,
        )
    return result
