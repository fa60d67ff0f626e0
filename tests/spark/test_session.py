"""The session factory: small-machine settings, and a clear error when Java is missing."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from threadline.spark import session as spark_session_module
from threadline.spark.session import SparkEngineError, SparkSettings, java_version


def fake_java(tmp_path: Path, banner: str) -> str:
    exe = tmp_path / "java"
    exe.write_text(f"#!/bin/sh\necho '{banner}' >&2\n", encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return str(exe)


@pytest.mark.parametrize(
    ("banner", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15', 17),
        ('openjdk version "21" 2023-09-19', 21),
        ('java version "1.8.0_392"', 8),
    ],
)
def test_java_version_reads_the_major_version(tmp_path: Path, banner: str, major: int) -> None:
    assert java_version(fake_java(tmp_path, banner)) == major


def test_no_java_is_a_clear_error_naming_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spark_session_module, "java_version", lambda java=None: None)
    with pytest.raises(SparkEngineError, match="openjdk-17-jre-headless"):
        spark_session_module._check_requirements()


def test_an_old_java_is_refused_with_its_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spark_session_module, "java_version", lambda java=None: 11)
    with pytest.raises(SparkEngineError, match="found Java 11"):
        spark_session_module._check_requirements()


def test_settings_suit_a_small_machine_and_carry_splinks_jar() -> None:
    conf = SparkSettings(shuffle_partitions=3, driver_memory="3g").conf()
    assert conf["spark.sql.shuffle.partitions"] == "3"
    assert conf["spark.driver.memory"] == "3g"
    assert conf["spark.ui.enabled"] == "false"
    assert conf["spark.jars"].endswith(".jar") and os.path.exists(conf["spark.jars"])


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THREADLINE_SPARK_MASTER", "local[1]")
    monkeypatch.setenv("THREADLINE_SPARK_PARTITIONS", "7")
    got = SparkSettings.from_env()
    assert (got.master, got.shuffle_partitions, got.driver_memory) == ("local[1]", 7, "2g")
