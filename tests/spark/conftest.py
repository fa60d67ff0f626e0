"""One Spark session in local mode for every Spark test (it takes ~15 s to start)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from threadline.spark.session import SparkSettings, spark_session, stop_session


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    session = spark_session(
        SparkSettings(
            master="local[2]",
            shuffle_partitions=2,
            driver_memory="1g",
            scratch=str(tmp_path_factory.mktemp("spark")),
        )
    )
    yield session
    stop_session()
