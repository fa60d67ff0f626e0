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
            # tiny data: one shuffle partition and no adaptive re-planning run the
            # many small rounds of the graph jobs several times faster
            shuffle_partitions=1,
            driver_memory="1g",
            scratch=str(tmp_path_factory.mktemp("spark")),
            conf_extra={"spark.sql.adaptive.enabled": "false"},
        )
    )
    yield session
    stop_session()
