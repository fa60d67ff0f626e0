"""The extract stage over worker processes gives exactly what one process gives."""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path

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
