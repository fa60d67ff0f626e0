"""Record linkage on Spark: Splink's Spark backend behind the same interface.

:class:`SparkRecordLinker` is a :class:`~threadline.resolve.linkage.RecordLinker`
whose every setting (comparisons, blocking, priors, training, the veto, the
threshold, connected components of the links) is the DuckDB linker's: only the
database Splink writes its SQL for changes. On the same records below
:data:`~threadline.resolve.linkage.TRAIN_MIN_RECORDS` (built-in parameters) both
give the same clusters and the same match weights; above it both train, and
their random samples for ``u`` differ, so weights can differ in the last digits
(``benchmarks/spark_resolve.py`` measures how far the clusters agree).

Splink's similarity functions (Jaro-Winkler, Damerau-Levenshtein ...) are Scala
functions in a jar inside Splink's wheel; the session factory puts it on the
classpath, and the DuckDB spelling of Jaro-Winkler, which the custom comparison
levels use, is registered as a name for the same function.
"""

from __future__ import annotations

import tempfile
from typing import Any

from threadline.resolve.linkage import SplinkRecordLinker
from threadline.spark.session import SparkSettings, spark_session, under_spark_submit

#: Spark names for the similarity functions of Splink's jar, under the names
#: DuckDB gives them (the custom comparison levels are written in DuckDB's SQL).
DUCKDB_NAMES = {"jaro_winkler_similarity": "uk.gov.moj.dash.linkage.JaroWinklerSimilarity"}


class SparkRecordLinker(SplinkRecordLinker):
    """Splink on a Spark session (local mode on one machine, or a cluster).

    ``session``: the session to use (default: :func:`spark_session` with
    ``settings``); ``partitions``: how many partitions Splink repartitions the
    blocked pairs into (default: half the default parallelism, Splink's own
    choice). Other options are :class:`SplinkRecordLinker`'s (``threads`` and
    ``memory_limit`` are DuckDB's and are ignored here).

    >>> SparkRecordLinker.backend
    'spark'
    """

    backend = "spark"

    def __init__(
        self,
        *,
        session: Any = None,
        settings: SparkSettings | None = None,
        partitions: int | None = None,
        seed: int = 42,
        pair_budget: int | None = None,
        u_pairs: float = 1e6,
        em_pairs: float = 2e6,
        temp_dir: str | None = None,
    ) -> None:
        super().__init__(
            seed=seed,
            pair_budget=pair_budget,
            u_pairs=u_pairs,
            em_pairs=em_pairs,
            temp_dir=temp_dir,
        )
        self.session = session
        self.settings = settings
        self.partitions = partitions
        self._views: set[str] = set()
        self._checkpoints: str | None = None

    def _db_api(self) -> Any:
        from pyspark.sql.types import DoubleType
        from splink import SparkAPI

        spark = self.session or spark_session(self.settings)
        self._views = _temp_views(spark)
        for name, java_class in DUCKDB_NAMES.items():
            spark.udf.registerJavaFunction(name, java_class, DoubleType())
        # Splink writes intermediate tables as Parquet under the checkpoint folder: on one
        # machine a temporary one, removed afterwards; on a cluster the cluster's (shared)
        self._checkpoints = spark.sparkContext.getCheckpointDir()
        if not under_spark_submit():
            spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="ckpt-", dir=self._spill))
        return SparkAPI(
            spark_session=spark,
            break_lineage_method="parquet",
            num_partitions_on_repartition=self.partitions,
        )

    def _close(self, db_api: Any) -> None:
        """Drop the views this run registered (the input table, Splink's intermediates)."""
        spark = db_api.spark
        for name in _temp_views(spark) - self._views:
            spark.catalog.dropTempView(name)
        if self._checkpoints and not under_spark_submit():
            spark.sparkContext.setCheckpointDir(self._checkpoints)


def _temp_views(spark: Any) -> set[str]:
    return {t.name for t in spark.catalog.listTables() if t.isTemporary}
