"""Record files and phone assignments, followed by what they change downstream.

The ingest functions (``threadline.ingest.record_files``) read and store; with
``resolve`` (the default, as ``--resolve`` on the command line) the network is
resolved and analysed again inside the same transaction (and, for a dry run,
rolled back with it).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from threadline.ingest import record_files
from threadline.ingest.mapping import Mapping
from threadline.ingest.record_files import RecordIngest
from threadline.pipeline.reruns import resolving_after
from threadline.store import Workspace


def ingest_record_file(
    ws: Workspace,
    path: str | os.PathLike[str],
    mapping: Mapping,
    *,
    report: str | os.PathLike[str] | None = None,
    resolve: bool = True,
    dry_run: bool = False,
    fast: bool = True,
    progress: Callable[[int], None] | None = None,
) -> RecordIngest:
    """Read ``path`` through ``mapping`` into ``ws``, then (``resolve``) re-run what a
    record file changes; see :func:`threadline.ingest.record_files.ingest_record_file`."""
    return record_files.ingest_record_file(
        ws,
        path,
        mapping,
        report=report,
        then=resolving_after("record_file") if resolve else None,
        dry_run=dry_run,
        fast=fast,
        progress=progress,
    )


def assign_phone(
    ws: Workspace,
    number: str,
    name: str,
    *,
    analyst: str,
    note: str | None = None,
    country_code: str | None = None,
    resolve: bool = True,
) -> dict[str, Any]:
    """Record that ``analyst`` states ``number`` is used by ``name``, then (``resolve``)
    re-run what it changes; see :func:`threadline.ingest.record_files.assign_phone`."""
    return record_files.assign_phone(
        ws,
        number,
        name,
        analyst=analyst,
        note=note,
        country_code=country_code,
        then=resolving_after("phone_assignment") if resolve else None,
    )
