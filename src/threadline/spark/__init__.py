"""The Spark engine: the same stages as the embedded engine, on Apache Spark.

The embedded engine (DuckDB + igraph, one process) is the default and the fast
path on one machine. Work that outgrows one machine runs here, on Spark:

- :mod:`~threadline.spark.session`: the session factory (local mode for tests
  and one machine; ``spark-submit`` on a cluster);
- :mod:`~threadline.spark.extract`: documents partitioned over executors, the
  spaCy pipeline loaded once per executor, results written as Parquet;
- :mod:`~threadline.spark.linkage`: Splink's Spark backend behind the
  :class:`~threadline.resolve.linkage.RecordLinker` interface, same settings;
- :mod:`~threadline.spark.graph`: connected components, PageRank and label
  propagation as DataFrame jobs;
- :mod:`~threadline.spark.workspace`: a workspace as Parquet files in any path
  Spark reads (local disk, ``s3a://``, ``abfss://``, ``gs://``, ``hdfs://``).

Nothing here is imported by the embedded engine: ``pyspark`` is an optional
dependency (``pip install 'threadline[spark]'``).
"""
