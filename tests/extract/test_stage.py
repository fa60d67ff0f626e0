"""The extract stage over worker processes gives exactly what one process gives."""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path

import pytest

from threadline.demo import CASE_DIR
from threadline.extract.stage import auto_processes, extract_many, extract_workspace
from threadline.ingest.ingest import ingest_paths
from threadline.store import open_workspace


def test_worker_processes_give_the_same_extraction_in_the_same_order(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws", create=True) as ws:
        ingest_paths(ws, [CASE_DIR])
        docs = ws.documents()
    assert len(docs) >= 6
    serial = [asdict(r) for r in extract_many(docs, processes=1)]
    parallel = [asdict(r) for r in extract_many(docs, processes=2, min_docs_per_process=1)]
    assert parallel == serial
    assert sum(len(r["mentions"]) for r in serial) > 50


def test_the_stage_with_processes_writes_every_document(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws", create=True) as ws:
        ingest_paths(ws, [CASE_DIR])
        counts = extract_workspace(ws, processes=2)
        again = extract_workspace(ws, processes=2)
        assert counts["documents"] == len(ws.documents())
        assert counts["mentions"] == len(ws.mentions()) > 0
    assert again["documents"] == 0  # nothing left to do


def test_auto_processes_keeps_small_batches_in_one_process() -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert auto_processes(3) == 1
    assert auto_processes(10_000) == cores  # every core once there is enough to share
    assert auto_processes(16) == min(cores or 1, 2)  # at least 8 documents per process


def test_a_document_the_reading_view_cannot_lay_out_is_extracted_and_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from threadline.ingest import reading

    # a line over the view's limit (the limit made small here: a real 5 MB line is
    # refused the same way, tests/ingest/test_reading.py, but takes minutes to parse)
    monkeypatch.setattr(reading, "MAX_LINE", 2_000)
    one_line = ("Karim Haddou met Yassin Benali in Brussels. " * 60).strip()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "long.txt").write_text(one_line, encoding="utf-8")
    with open_workspace(tmp_path / "ws", create=True) as ws:
        ingest_paths(ws, [tmp_path / "docs"])
        with caplog.at_level("WARNING"):
            counts = extract_workspace(ws)
    assert counts["documents"] == 1 and counts["read_as_stored"] == 1
    assert counts["mentions"] > 0  # read as it is, not dropped
    assert "long.txt" in caplog.text
