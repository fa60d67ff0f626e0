"""The ``--engine`` option: which engine runs a stage (embedded by default, or Spark)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer


class Engine(StrEnum):
    """``embedded``: DuckDB and igraph in this process; ``spark``: Apache Spark
    (local mode here, or the cluster ``spark-submit`` gives; needs the ``[spark]``
    extra and Java 17)."""

    embedded = "embedded"
    spark = "spark"


EngineOpt = Annotated[
    Engine,
    typer.Option(
        "--engine",
        help="embedded (DuckDB + igraph, this process) or spark (Apache Spark; "
        "see docs/scaling.md).",
        case_sensitive=False,
    ),
]
