"""Ingest: files and folders into the workspace (content-addressed, idempotent).

The names below load with :mod:`threadline.ingest.ingest` when first used, so a
command that reads only record files (``records import``, ``ingest-records``) does
not load the document readers (PDF, mail, office, archives) it never calls.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from threadline.ingest.ingest import IngestReport, Skipped, ingest_paths, iter_files

__all__ = ["IngestReport", "Skipped", "ingest_paths", "iter_files"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        # lazy: the document readers load when a document is ingested (see above)
        return getattr(importlib.import_module("threadline.ingest.ingest"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
