"""The one place that starts Spark: a session with settings that suit one small machine.

In local mode (tests, ``--engine spark`` on a laptop) the driver and its
executors share one JVM; :class:`SparkSettings` keeps it modest: few shuffle
partitions (the default 200 turns a small job into 200 tiny tasks), a bounded
driver memory, no web UI, scratch space in a temporary folder. Under
``spark-submit`` (a cluster) the session the launcher configured is used as it
is: master, memory and executors are the cluster's business (see
docs/scaling.md).

>>> settings = SparkSettings(master="local[2]", shuffle_partitions=4)
>>> settings.conf()["spark.sql.shuffle.partitions"]
'4'
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# defined in threadline.errors (one tree); imported from here too
from threadline.errors import SparkEngineError as SparkEngineError

#: The oldest Java that Spark 4 runs on.
MIN_JAVA = 17


@dataclass(frozen=True)
class SparkSettings:
    """How to start a session when none is running.

    ``master`` is Spark's (``local[*]``: every core of this machine;
    ``local[2]``; ``spark://host:7077``; ``yarn``; ``k8s://...``);
    ``shuffle_partitions`` the partitions of every shuffle (a few per core);
    ``driver_memory`` the JVM heap of the driver (in local mode: of everything);
    ``scratch`` where Spark spills and checkpoints (default: a temporary folder);
    ``conf`` any other Spark setting, as ``spark-submit --conf`` takes them.
    """

    master: str = "local[*]"
    app_name: str = "threadline"
    shuffle_partitions: int = 4
    driver_memory: str = "2g"
    scratch: str | None = None
    conf_extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> SparkSettings:
        """Settings from ``THREADLINE_SPARK_MASTER``, ``THREADLINE_SPARK_DRIVER_MEMORY``
        and ``THREADLINE_SPARK_PARTITIONS`` where set (the CLI's ``--engine spark``)."""
        env = os.environ
        default = cls()
        return cls(
            master=env.get("THREADLINE_SPARK_MASTER", default.master),
            driver_memory=env.get("THREADLINE_SPARK_DRIVER_MEMORY", default.driver_memory),
            shuffle_partitions=int(
                env.get("THREADLINE_SPARK_PARTITIONS", default.shuffle_partitions)
            ),
        )

    def conf(self) -> dict[str, str]:
        """The Spark settings this factory sets, as ``--conf`` key/value pairs."""
        out = {
            "spark.sql.shuffle.partitions": str(self.shuffle_partitions),
            "spark.default.parallelism": str(self.shuffle_partitions),
            "spark.driver.memory": self.driver_memory,
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.execution.arrow.pyspark.enabled": "true",
            "spark.sql.adaptive.enabled": "true",
            # constraint inference fails on unions of checkpointed plans (the graph
            # rounds) with "key not found", and adds nothing to threadline's plans
            "spark.sql.constraintPropagation.enabled": "false",
            # one machine: the driver answers on the loopback interface only
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            # Splink's string similarity functions (Jaro-Winkler ...) ship in its wheel
            "spark.jars": splink_jar(),
        }
        out.update(self.conf_extra)
        return out


def java_version(java: str | None = None) -> int | None:
    """The major version of the Java that Spark would start (``None``: no Java)."""
    home = os.environ.get("JAVA_HOME")
    exe = java or (os.path.join(home, "bin", "java") if home else shutil.which("java"))
    if not exe or not os.path.exists(exe):
        return None
    try:
        out = subprocess.run(
            [exe, "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not found:
        return None
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major  # "1.8" is Java 8


def splink_jar() -> str:
    """The path of the Spark similarity functions jar that Splink's wheel ships."""
    try:
        from splink.backends.spark import similarity_jar_location
    except ImportError as exc:  # pragma: no cover - splink is a core dependency
        raise SparkEngineError("Splink is not installed: pip install 'threadline[spark]'") from exc
    return str(similarity_jar_location())


def _check_requirements() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkEngineError(
            "the Spark engine needs pyspark: pip install 'threadline[spark]' (make install does)"
        ) from None
    version = java_version()
    if version is None:
        raise SparkEngineError(
            f"the Spark engine needs Java {MIN_JAVA} or later and none was found "
            "(JAVA_HOME or java on the PATH); on Debian: apt-get install openjdk-17-jre-headless"
        )
    if version < MIN_JAVA:
        raise SparkEngineError(
            f"the Spark engine needs Java {MIN_JAVA} or later; found Java {version} "
            "(set JAVA_HOME to a newer one)"
        )


def under_spark_submit() -> bool:
    """True when this process was launched by ``spark-submit`` (or ``pyspark``)."""
    return "PYSPARK_GATEWAY_PORT" in os.environ


def spark_session(settings: SparkSettings | None = None) -> Any:
    """The running Spark session, or a new one started with ``settings``.

    Raises :class:`SparkEngineError` naming what to install when pyspark or a
    recent enough Java is missing.
    """
    _check_requirements()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    s = settings or SparkSettings()
    # Python workers must import threadline: they run this very interpreter
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(s.app_name)
    if not under_spark_submit():
        scratch = s.scratch or tempfile.mkdtemp(prefix="threadline-spark-")
        os.environ["SPARK_LOCAL_DIRS"] = scratch  # spill and shuffle files
        builder = builder.master(s.master)
        for key, value in s.conf().items():
            builder = builder.config(key, value)
    else:  # the cluster's settings stand; only what threadline itself needs is added
        builder = builder.config("spark.jars", splink_jar())
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: say so without a Java stack
        raise SparkEngineError(f"Spark did not start: {str(exc).splitlines()[0]}") from exc
    session.sparkContext.setLogLevel("ERROR")
    if not under_spark_submit():  # on a cluster: set a shared folder (docs/scaling.md)
        checkpoints = os.environ.get("SPARK_LOCAL_DIRS") or tempfile.gettempdir()
        session.sparkContext.setCheckpointDir(os.path.join(checkpoints, "checkpoints"))
    return session


def stop_session() -> None:
    """Stop the running session, if any (the next call to :func:`spark_session` starts anew)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return
    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()
