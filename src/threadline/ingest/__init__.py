"""Ingest: files and folders into the workspace (content-addressed, idempotent)."""

from threadline.ingest.ingest import IngestReport, Skipped, ingest_paths, iter_files

__all__ = ["IngestReport", "Skipped", "ingest_paths", "iter_files"]
