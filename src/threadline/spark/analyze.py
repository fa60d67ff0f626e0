"""The analyze stage with the Spark engine, over a workspace or a Parquet workspace.

Over a workspace (``threadline analyze --engine spark``): connected components,
PageRank and label propagation run as Spark jobs on the workspace's actor
graph; the measures that do not distribute (exact betweenness, closeness,
Leiden cells, the KPP-Neg key players ...) run on the driver with igraph, as the
embedded engine runs them; the Spark results are joined back by entity and all
are stored in one transaction. Components and PageRank equal the embedded
engine's (tests hold them to it), so the stored network is the same.

Over a Parquet workspace (:func:`analyze_parquet`, for a graph too big for one
machine): the three Spark jobs only, on ``ROOT/entities`` and ``ROOT/ties``;
their measures are written to ``ROOT/metrics``.
"""

from __future__ import annotations

from typing import Any

from threadline.analyze.graph import DEFAULT_KEY_PLAYERS, view_metrics
from threadline.analyze.measures import numbered
from threadline.analyze.network import (
    ACTOR_SCHEMATA,
    MEMBERSHIP_TIES,
    OUTSIDE_ROLES,
    ViewOptions,
    network_view,
)
from threadline.analyze.stage import load_network
from threadline.errors import InputError
from threadline.spark.graph import frames_from_lists, graph_measures
from threadline.spark.session import SparkEngineError, spark_session
from threadline.spark.workspace import spark_frames, table_path
from threadline.store import Workspace

#: The measures the Spark jobs compute (the others run on the driver).
ON_SPARK = ("component", "pagerank", "label_propagation")


def analyze_workspace_spark(
    ws: Workspace,
    *,
    session: Any = None,
    resolution: float = 1.0,
    seed: int = 42,
    options: ViewOptions | None = None,
    key_players: int = DEFAULT_KEY_PLAYERS,
    pagerank_rounds: int = 100,
    tolerance: float = 1e-9,
) -> dict[str, Any]:
    """Compute and store the measures of ``ws``, the distributable ones on Spark.

    Returns the counts :func:`threadline.analyze.stage.analyze_workspace` returns,
    plus ``on_spark`` and ``on_driver``: which measures ran where. A directed view
    keeps the driver's PageRank (the Spark job ranks undirected ties).
    """
    view = network_view(load_network(ws), options)
    metrics = view_metrics(view, resolution=resolution, seed=seed, key_players=key_players)
    g = view.graph
    on_spark: list[str] = []
    if g.vcount():
        spark = session or spark_session()
        vertices, edges = frames_from_lists(spark, range(g.vcount()), g.get_edgelist())
        rows = graph_measures(
            vertices, edges, pagerank_rounds=pagerank_rounds, tolerance=tolerance
        ).collect()
        by_vertex = {int(r["id"]): r for r in rows}
        labels = [int(by_vertex[v]["label"]) for v in range(g.vcount())]
        groups: dict[int, list[int]] = {}
        for v, label in enumerate(labels):
            groups.setdefault(label, []).append(v)
        label_number = numbered(list(groups.values()), g.vcount())
        directed = g.is_directed()
        for v, entity in enumerate(view.ids):
            row = metrics.setdefault(entity, {})
            row["component"] = float(by_vertex[v]["component"])
            if not directed:
                row["pagerank"] = round(float(by_vertex[v]["pagerank"]), 6)
            row["label_propagation"] = float(label_number[v])
        on_spark = [m for m in ON_SPARK if m != "pagerank" or not directed]
    with ws.transaction():
        ws.replace_metrics(metrics)
    measured = sorted({name for row in metrics.values() for name in row})
    return {
        "actors": len(metrics),
        "ties": g.ecount(),
        "communities": len({int(m["community"]) for m in metrics.values() if "community" in m}),
        "components": len({int(m["component"]) for m in metrics.values() if "component" in m}),
        "key_players": sum(int(m.get("key_player", 0)) for m in metrics.values()),
        "engine": "spark",
        "on_spark": on_spark,
        "on_driver": [m for m in measured if m not in on_spark],
    }


def _network_actors(entities: Any, ties: Any) -> Any:
    """The embedded default view's nodes as a DataFrame job: people and organisations
    whose role (``data.role``) is not one of :data:`OUTSIDE_ROLES`, and those a stated
    membership tie binds to an entity outside that set (:func:`stated_members`)."""
    from pyspark.sql import functions as F

    with_role = entities.withColumn("role", F.get_json_object(F.col("data"), "$.role"))
    outside = with_role.where(F.col("role").isin(*sorted(OUTSIDE_ROLES))).select(
        F.col("id").alias("other")
    )
    stated = ties.where(~F.col("inferred") & F.col("type").isin(*sorted(MEMBERSHIP_TIES)))
    ends = stated.select(F.col("source").alias("me"), F.col("target").alias("other")).union(
        stated.select(F.col("target").alias("me"), F.col("source").alias("other"))
    )
    members = ends.join(outside, "other", "left_anti").select(F.col("me").alias("id"))
    kept = with_role.where(F.col("role").isNull() | ~F.col("role").isin(*sorted(OUTSIDE_ROLES)))
    return (
        kept.select("id", "schema")
        .union(with_role.join(members.distinct(), "id", "left_semi").select("id", "schema"))
        .where(F.col("schema").isin(*sorted(ACTOR_SCHEMATA)))
        .select("id")
        .distinct()
    )


def analyze_parquet(
    root: str,
    *,
    session: Any = None,
    pagerank_rounds: int = 100,
    tolerance: float = 1e-9,
    reliable: bool = True,
) -> dict[str, int]:
    """Components, PageRank and label propagation of the Parquet workspace at
    ``root``, written to ``ROOT/metrics`` (long form: entity, measure, value).

    The graph is the embedded engine's default view: actors (people and
    organisations, without those the texts set outside the network unless a stated
    tie puts them inside: :func:`threadline.analyze.network.is_actor`) and their
    stated ties, inferred ties left out.
    """
    from pyspark.sql import functions as F

    spark = session or spark_session()
    # Spark 4's constraint inference fails on these unions of checkpointed rounds
    # ("key not found"); it adds nothing to these plans
    spark.conf.set("spark.sql.constraintPropagation.enabled", "false")
    frames = spark_frames(root, session=spark, names=["entities", "ties"])
    if "entities" not in frames:
        raise InputError(table_path(root, "entities"), "no entities table: run resolve first")
    ties = frames.get("ties")
    if ties is None:
        ties = spark.createDataFrame(
            [], "source string, target string, type string, inferred boolean"
        )
    actors = _network_actors(frames["entities"], ties)
    # vertex ids: a 64-bit hash of the entity id (deterministic, no global numbering);
    # a collision, however unlikely, is refused rather than merging two entities
    index = actors.select(F.col("id").alias("entity")).distinct()
    index = index.withColumn("id", F.xxhash64("entity"))
    if index.select("id").distinct().count() != index.count():
        raise SparkEngineError("two entity ids hash to one vertex id; report this")
    vertex = index.select("id")
    edges = (
        ties.where(~F.col("inferred"))
        .select(F.xxhash64("source").alias("src"), F.xxhash64("target").alias("dst"))
        .join(vertex.withColumnRenamed("id", "src"), "src", "left_semi")
        .join(vertex.withColumnRenamed("id", "dst"), "dst", "left_semi")
    )
    measures = graph_measures(
        index.select("id"),
        edges,
        pagerank_rounds=pagerank_rounds,
        tolerance=tolerance,
        reliable=reliable,
    )
    joined = measures.join(index, "id")
    long = joined.select(
        "entity",
        F.explode(
            F.array(
                F.struct(
                    F.lit("component").alias("measure"),
                    F.col("component").cast("double").alias("value"),
                ),
                F.struct(F.lit("pagerank").alias("measure"), F.col("pagerank").alias("value")),
                F.struct(
                    F.lit("label_propagation").alias("measure"),
                    F.col("label").cast("double").alias("value"),
                ),
            )
        ).alias("m"),
    ).select("entity", "m.measure", "m.value")
    long.write.mode("overwrite").parquet(table_path(root, "metrics"))
    written = spark.read.parquet(table_path(root, "metrics"))
    return {"actors": index.count(), "ties": edges.count(), "metrics": written.count()}
