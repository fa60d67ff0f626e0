"""Graph measures as Spark DataFrame jobs: connected components, PageRank, label propagation.

GraphFrames would give these, but its JVM package comes only from Maven, which
threadline cannot fetch (no registry it installs from ships a GraphFrames jar
for Spark 4); so they are written here, on plain DataFrames, each a handful of
joins and aggregations per round:

- :func:`connected_components`: the alternating large-star / small-star rounds
  of Kiveris et al. (2014), O(log² n) rounds; components numbered as the
  embedded engine numbers them (by size, largest first, then smallest member);
- :func:`pagerank`: power iteration with damping 0.85, an undirected tie
  counting both ways and the rank of vertices without ties spread evenly, as
  igraph's PRPACK computes it (the two agree to the tolerance asked for);
- :func:`label_propagation`: synchronous rounds in which every vertex takes the
  label most common among its neighbours and itself (ties: the smallest).

What does not distribute (exact betweenness, Borgatti's key-player sets) runs on
the driver with igraph, on the subgraph that needs it: :func:`driver_measures`
collects one component and refuses one larger than ``max_vertices``.

Vertices are a DataFrame with a column ``id`` (long); edges one with ``src`` and
``dst`` (longs, either direction, duplicates and self-loops ignored).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from threadline.analyze.keyplayers import kpp_neg
from threadline.analyze.measures import betweenness
from threadline.spark.session import SparkEngineError

#: PageRank's damping factor (igraph's and networkx's default).
DAMPING = 0.85
#: The most vertices :func:`driver_measures` collects to the driver.
DRIVER_MAX_VERTICES = 200_000


def _freeze(df: Any, *, reliable: bool) -> Any:
    """Cut a round's lineage so the plan does not grow with every round."""
    return df.checkpoint(eager=True) if reliable else df.localCheckpoint(eager=True)


def simple_edges(edges: Any) -> Any:
    """Each undirected tie once, as (src, dst) with src < dst; self-loops dropped."""
    from pyspark.sql import functions as F

    return (
        edges.select(
            F.least("src", "dst").alias("src"),
            F.greatest("src", "dst").alias("dst"),
        )
        .where(F.col("src") != F.col("dst"))
        .distinct()
    )


def _both_ways(edges: Any) -> Any:
    return edges.unionByName(edges.selectExpr("dst as src", "src as dst"))


def _large_star(edges: Any) -> Any:
    """Each vertex's larger neighbours attach to the smallest of its neighbourhood."""
    from pyspark.sql import functions as F

    both = _both_ways(edges)
    low = both.groupBy("src").agg(F.least(F.min("dst"), F.col("src")).alias("m"))
    return (
        both.join(low, "src")
        .where(F.col("dst") > F.col("src"))
        .select(F.col("dst").alias("src"), F.col("m").alias("dst"))
        .select(F.least("src", "dst").alias("src"), F.greatest("src", "dst").alias("dst"))
        .where(F.col("src") != F.col("dst"))
        .distinct()
    )


def _small_star(edges: Any) -> Any:
    """Each vertex and its smaller neighbours attach to the smallest of them."""
    from pyspark.sql import functions as F

    low = edges.groupBy("dst").agg(F.min("src").alias("m"))  # src < dst
    moved = edges.join(low, "dst").select(
        F.least("src", "m").alias("src"), F.greatest("src", "m").alias("dst")
    )
    return (
        moved.unionByName(low.select(F.col("m").alias("src"), F.col("dst")))
        .where(F.col("src") != F.col("dst"))
        .distinct()
    )


def connected_components(
    vertices: Any, edges: Any, *, max_rounds: int = 64, reliable: bool = False
) -> Any:
    """``(id, root, component)`` for every vertex: ``root`` is the smallest vertex of
    its component, ``component`` the component's number, largest first (ties: by
    smallest member), as :func:`threadline.analyze.measures.components` numbers them.

    ``reliable`` checkpoints each round to the checkpoint folder (survives a lost
    executor on a cluster) instead of keeping it in executor storage.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    current = _freeze(simple_edges(edges), reliable=reliable)
    for _ in range(max_rounds):
        # done once the edges form stars: no centre (src) is anyone's leaf (dst);
        # each star's centre is then the smallest vertex of its component
        centres = current.select("src").distinct()
        leaves = current.select(F.col("dst").alias("src")).distinct()
        if centres.join(leaves, "src").limit(1).count() == 0:
            break
        current = _freeze(_small_star(_large_star(current)), reliable=reliable)
    else:
        raise SparkEngineError(f"connected components did not converge in {max_rounds} rounds")
    # a converged star forest: every edge is (root, member)
    roots = current.select(F.col("dst").alias("id"), F.col("src").alias("root"))
    labelled = (
        vertices.select("id")
        .distinct()
        .join(roots, "id", "left")
        .select("id", F.coalesce("root", "id").alias("root"))
    )
    sizes = labelled.groupBy("root").agg(F.count("*").alias("size"))
    order = Window.orderBy(F.col("size").desc(), F.col("root").asc())
    numbered = sizes.select("root", (F.row_number().over(order) - 1).alias("component"))
    return labelled.join(numbered, "root").select("id", "root", "component")


def pagerank(
    vertices: Any,
    edges: Any,
    *,
    damping: float = DAMPING,
    max_rounds: int = 100,
    tolerance: float = 1e-9,
    check_every: int = 10,
    reliable: bool = False,
) -> Any:
    """``(id, pagerank)`` for every vertex; ranks sum to 1.

    Power iteration until the ranks move less than ``tolerance`` in total (L1)
    over ``check_every`` rounds, or after ``max_rounds`` rounds. A vertex without
    ties spreads its rank over all vertices, as in igraph and networkx.
    """
    from pyspark.sql import functions as F

    ids = vertices.select("id").distinct()
    n = ids.count()
    if n == 0:
        return ids.withColumn("pagerank", F.lit(0.0))
    both = _both_ways(simple_edges(edges))
    degree = both.groupBy("src").agg(F.count("*").alias("deg"))
    links = _freeze(
        both.join(degree, "src").select("src", "dst", (1.0 / F.col("deg")).alias("share")),
        reliable=reliable,
    )
    # Rank lost at tieless vertices is not spread each round: with a uniform
    # teleport, spreading it only rescales the solution (Del Corso, Gulli & Romani
    # 2005), so the ranks are normalised once at the end. Each round then reads the
    # previous one once, and several rounds can be planned as one job.
    ids = _freeze(ids, reliable=reliable)
    ranks = ids.withColumn("pagerank", F.lit(1.0 / n))
    done = 0
    while done < max_rounds:
        previous = ranks
        for _ in range(min(check_every, max_rounds - done)):
            ranks = _pagerank_round(ranks, ids, links, n=n, damping=damping)
            done += 1
        ranks = _freeze(ranks, reliable=reliable)
        moved = (
            ranks.alias("a")
            .join(previous.alias("b"), "id")
            .agg(F.sum(F.abs(F.col("a.pagerank") - F.col("b.pagerank"))))
            .first()
        )
        if moved is not None and moved[0] is not None and moved[0] < tolerance:
            break
    total = ranks.agg(F.sum("pagerank")).first()
    scale = 1.0 / total[0] if total is not None and total[0] else 1.0
    return ranks.select("id", (F.col("pagerank") * F.lit(scale)).alias("pagerank"))


def _pagerank_round(ranks: Any, ids: Any, links: Any, *, n: int, damping: float) -> Any:
    """One power-iteration round: the teleport share plus what each vertex receives
    along its ties."""
    from pyspark.sql import functions as F

    received = (
        links.join(ranks.select(F.col("id").alias("src"), "pagerank"), "src")
        .groupBy("dst")
        .agg(F.sum(F.col("pagerank") * F.col("share")).alias("got"))
        .withColumnRenamed("dst", "id")
    )
    return ids.join(received, "id", "left").select(
        "id",
        (F.lit((1.0 - damping) / n) + F.lit(damping) * F.coalesce("got", F.lit(0.0))).alias(
            "pagerank"
        ),
    )


def label_propagation(
    vertices: Any, edges: Any, *, max_rounds: int = 20, reliable: bool = False
) -> Any:
    """``(id, label)``: synchronous label propagation, labels start as the vertex ids.

    Each round every vertex takes the label most frequent among its neighbours and
    itself, the smallest on a tie; it stops when no label changes, or after
    ``max_rounds`` rounds (synchronous rounds can swing between two states).
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    ids = vertices.select("id").distinct()
    both = _both_ways(simple_edges(edges))
    voters = _freeze(
        both.unionByName(ids.select(F.col("id").alias("src"), F.col("id").alias("dst"))),
        reliable=reliable,
    )
    labels = _freeze(ids.withColumn("label", F.col("id")), reliable=reliable)
    best = Window.partitionBy("dst").orderBy(F.col("votes").desc(), F.col("label").asc())
    for _ in range(max_rounds):
        votes = (
            voters.join(labels.withColumnRenamed("id", "src"), "src")
            .groupBy("dst", "label")
            .agg(F.count("*").alias("votes"))
        )
        new = _freeze(
            votes.withColumn("rank", F.row_number().over(best))
            .where(F.col("rank") == 1)
            .select(F.col("dst").alias("id"), "label"),
            reliable=reliable,
        )
        changed = (
            new.alias("a")
            .join(labels.alias("b"), "id")
            .where(F.col("a.label") != F.col("b.label"))
            .limit(1)
            .count()
        )
        labels = new
        if not changed:
            break
    return labels


def graph_measures(
    vertices: Any,
    edges: Any,
    *,
    pagerank_rounds: int = 100,
    tolerance: float = 1e-9,
    label_rounds: int = 20,
    reliable: bool = False,
) -> Any:
    """``(id, component, pagerank, label)`` for every vertex: the three jobs, joined."""
    comps = connected_components(vertices, edges, reliable=reliable).select("id", "component")
    ranks = pagerank(
        vertices, edges, max_rounds=pagerank_rounds, tolerance=tolerance, reliable=reliable
    )
    labels = label_propagation(vertices, edges, max_rounds=label_rounds, reliable=reliable)
    return comps.join(ranks, "id").join(labels, "id")


@dataclass
class DriverMeasures:
    """Exact measures of one component, computed on the driver with igraph."""

    ids: list[int]
    betweenness: list[float]
    key_players: list[int]


def driver_measures(
    edges: Any,
    components: Any,
    *,
    component: int = 0,
    key_players: int = 3,
    max_vertices: int = DRIVER_MAX_VERTICES,
) -> DriverMeasures:
    """Exact betweenness and the KPP-Neg set of one component (default: the largest),
    on the driver: these need the whole subgraph at once and do not distribute.

    Raises :class:`SparkEngineError` when the component has more than
    ``max_vertices`` vertices (exact betweenness is O(n·m)): sample pivots with the
    embedded engine's estimate instead.
    """
    import igraph as ig
    from pyspark.sql import functions as F

    members = components.where(F.col("component") == component).select("id")
    size = members.count()
    if size > max_vertices:
        raise SparkEngineError(
            f"component {component} has {size} vertices, more than the {max_vertices} "
            "the driver takes for exact betweenness and key players"
        )
    ids = sorted(int(r["id"]) for r in members.collect())
    index = {v: i for i, v in enumerate(ids)}
    sub = (
        simple_edges(edges)
        .join(members.withColumnRenamed("id", "src"), "src")
        .join(members.withColumnRenamed("id", "dst"), "dst")
        .select("src", "dst")
        .collect()
    )
    g = ig.Graph(n=len(ids), edges=[(index[int(r["src"])], index[int(r["dst"])]) for r in sub])
    k = key_players if len(ids) - key_players >= 2 else 0
    chosen = kpp_neg(g, k).members if k > 0 else []
    return DriverMeasures(ids, betweenness(g), sorted(ids[v] for v in chosen))


def frames_from_lists(session: Any, ids: Sequence[int], edges: Sequence[tuple[int, int]]) -> Any:
    """Vertex and edge DataFrames from Python lists (tests, the workspace's graph view)."""
    import pyarrow as pa

    vertices = session.createDataFrame(pa.table({"id": pa.array(list(ids), pa.int64())}))
    src = [a for a, _ in edges]
    dst = [b for _, b in edges]
    edge_frame = session.createDataFrame(
        pa.table({"src": pa.array(src, pa.int64()), "dst": pa.array(dst, pa.int64())})
    )
    return vertices, edge_frame
