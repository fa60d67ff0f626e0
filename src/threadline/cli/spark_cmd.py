"""``--engine spark`` for the stages, and ``threadline spark``: Parquet workspaces on Spark.

``extract --engine spark`` and ``analyze --engine spark`` run here
(:func:`extract_on_spark`, :func:`analyze_on_spark`). The ``spark`` group works
on Parquet workspaces in any path Spark reads, for data that outgrows one
machine: ``spark export`` / ``spark import`` move a workspace to and from
Parquet, ``spark extract`` and ``spark analyze`` run the stages on one. Under
``spark-submit`` the cluster's session is used (docs/scaling.md). The library
does the work (:mod:`threadline.spark`); this module parses, prints and exits.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from threadline.cli.base import (
    DEFAULT_WS,
    EXIT_SKIPPED,
    JsonOpt,
    WorkspaceOpt,
    _emit,
    _errors,
    _open,
    app,
    console,
    err,
)
from threadline.cli.help import Group as HelpGroup
from threadline.errors import InputError

spark_app = typer.Typer(
    cls=HelpGroup,
    name="spark",
    help="Parquet workspaces on Apache Spark: export, import, extract, analyze (docs/scaling.md).",
    no_args_is_help=True,
)
app.add_typer(spark_app, name="spark")

RootArg = Annotated[
    str,
    typer.Argument(
        help="Parquet workspace: a folder, or any path Spark reads (s3a://bucket/case, ...)."
    ),
]


def _session() -> Any:
    # lazy: pyspark loads only when a Spark command runs
    from threadline.spark.session import SparkSettings, spark_session

    return spark_session(SparkSettings.from_env())


def _say(message: str) -> None:
    err.print(message, markup=False, highlight=False, soft_wrap=True)


def _report_failed(failed: dict[str, str]) -> None:
    for doc, why in sorted(failed.items()):
        err.print(f"skipped {doc}: {why}", markup=False, highlight=False, soft_wrap=True)


def extract_on_spark(workspace: str, *, force: bool, as_json: bool) -> None:
    """``threadline extract --engine spark``: the results land in the workspace."""
    # lazy: pyspark loads only when a Spark command runs
    from threadline.spark.extract import extract_workspace_spark

    with _errors(), _open(workspace) as ws:
        result = extract_workspace_spark(ws, force=force, session=_session(), progress=_say)
    counts = result.counts()
    _emit(counts) if as_json else console.print(f"extracted on Spark: {counts}")
    _report_failed(result.failed)
    if result.failed:
        raise typer.Exit(EXIT_SKIPPED)


def analyze_on_spark(workspace: str, *, as_json: bool, **options: Any) -> None:
    """``threadline analyze --engine spark``: which measure ran where is printed."""
    # lazy: pyspark loads only when a Spark command runs
    from threadline.spark.analyze import analyze_workspace_spark

    with _errors(), _open(workspace) as ws:
        counts = analyze_workspace_spark(ws, session=_session(), **options)
    if as_json:
        _emit(counts)
        return
    console.print(
        f"analyzed: {{'actors': {counts['actors']}, 'ties': {counts['ties']}, "
        f"'communities': {counts['communities']}, 'components': {counts['components']}, "
        f"'key_players': {counts['key_players']}}}",
        highlight=False,
    )
    console.print(f"on Spark: {', '.join(counts['on_spark'])}", highlight=False)
    console.print(
        f"on the driver (igraph; these do not distribute): {', '.join(counts['on_driver'])}",
        highlight=False,
        soft_wrap=True,
    )


@spark_app.command("export")
def export_cmd(
    root: RootArg, workspace: WorkspaceOpt = DEFAULT_WS, as_json: JsonOpt = False
) -> None:
    """Write the workspace's tables as Parquet under ROOT (one folder per table).

    A local folder needs no Spark; any other path is written through Spark.
    """
    # lazy: pyspark loads only when a Spark command runs
    from threadline.spark.workspace import export_parquet, is_local

    with _errors(), _open(workspace) as ws:
        counts = export_parquet(ws, root, session=None if is_local(root) else _session())
    _emit(counts) if as_json else console.print(f"exported to {root}: {counts}", highlight=False)


@spark_app.command("import")
def import_cmd(
    root: RootArg, workspace: WorkspaceOpt = DEFAULT_WS, as_json: JsonOpt = False
) -> None:
    """Read the Parquet workspace at ROOT into the workspace, in one transaction.

    Documents it lacks are added; extraction, entities, ties and metrics found
    under ROOT replace the workspace's.
    """
    # lazy: pyspark loads only when a Spark command runs
    from threadline.extract.pipeline import EXTRACTOR
    from threadline.spark.workspace import import_parquet, is_local

    with _errors(), _open(workspace, create=True) as ws:
        counts = import_parquet(
            ws, root, extractor=EXTRACTOR, session=None if is_local(root) else _session()
        )
    _emit(counts) if as_json else console.print(f"imported from {root}: {counts}", highlight=False)


@spark_app.command("extract")
def extract_cmd(
    root: RootArg,
    partitions: Annotated[
        int | None,
        typer.Option(min=1, help="Partitions to spread the documents over (default: 2 per core)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Extract ROOT/documents on Spark into ROOT/mentions, ROOT/assertions, ROOT/claims.

    A document that fails is named (exit 3) and the others are kept; ROOT/extraction
    holds one row per document with its time and error.
    """
    # lazy: pyspark loads only when a Spark command runs (and the vocabulary with it)
    from pyspark.sql import functions as F

    from threadline.model.vocabulary import NON_PROSE_KINDS
    from threadline.spark.extract import extract_to_parquet
    from threadline.spark.workspace import spark_frames, table_path

    with _errors():
        spark = _session()
        frames = spark_frames(root, session=spark, names=["documents"])
        if "documents" not in frames:
            raise InputError(table_path(root, "documents"), "no documents table")
        docs = frames["documents"].where(~F.col("kind").isin(*sorted(NON_PROSE_KINDS)))
        result = extract_to_parquet(docs, root, partitions=partitions)
    counts = result.counts()
    _emit(counts) if as_json else console.print(f"extracted on Spark: {counts}", highlight=False)
    _report_failed(result.failed)
    if result.failed:
        raise typer.Exit(EXIT_SKIPPED)


@spark_app.command("analyze")
def analyze_cmd(
    root: RootArg,
    pagerank_rounds: Annotated[
        int, typer.Option("--pagerank-rounds", min=1, help="Most PageRank rounds.")
    ] = 100,
    as_json: JsonOpt = False,
) -> None:
    """Components, PageRank and label propagation of ROOT's actor graph, into ROOT/metrics.

    Needs ROOT/entities and ROOT/ties (a resolved workspace, 'spark export').
    Exact betweenness and key players do not distribute: 'threadline analyze'
    computes them on one machine.
    """
    # lazy: pyspark loads only when a Spark command runs
    from threadline.spark.analyze import analyze_parquet

    with _errors():
        counts = analyze_parquet(root, session=_session(), pagerank_rounds=pagerank_rounds)
    _emit(counts) if as_json else console.print(f"analyzed on Spark: {counts}", highlight=False)
