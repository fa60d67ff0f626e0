"""The ingest stage: files and folders into the workspace, content-addressed.

Each file is read, decoded and segmented (:mod:`threadline.ingest.readers`),
its bytes stored once under their SHA-256, and its document row written in its
own transaction. A bad file is reported with its path and reason and skipped;
the rest are still ingested. Ingesting the same bytes twice stores them once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from threadline.ingest.metadata import DocumentMeta, merge_meta
from threadline.ingest.readers import DEFAULT_MAX_BYTES, ReadError, read_document
from threadline.model import Document
from threadline.store import Workspace

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm")
#: Files a folder walk passes over silently (sidecars are read with their file).
_SIDECAR_SUFFIX = ".meta.json"


@dataclass
class Skipped:
    """A file that was not ingested, and why."""

    path: str
    reason: str


@dataclass
class IngestReport:
    """What one ingest call did: added documents, duplicates, skipped files."""

    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Every file under ``paths`` (folders walked in sorted order; hidden files skipped)."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith(".") or name.endswith(_SIDECAR_SUFFIX):
                        continue
                    yield Path(root) / name
        else:
            yield path


def ingest_paths(
    ws: Workspace,
    paths: Iterable[str | os.PathLike[str]],
    *,
    given: DocumentMeta | None = None,
    progress: Callable[[Path], None] | None = None,
) -> IngestReport:
    """Ingest files and folders; metadata ``given`` at ingest wins over the file's own."""
    report = IngestReport()
    for path in iter_files(paths):
        if progress:
            progress(path)
        if not path.exists():
            report.skipped.append(Skipped(str(path), "no such file or folder"))
            continue
        try:
            if path.stat().st_size > DEFAULT_MAX_BYTES:
                mb = DEFAULT_MAX_BYTES // (1024 * 1024)
                report.skipped.append(Skipped(str(path), f"file larger than {mb} MB"))
                continue
            data = path.read_bytes()
        except OSError as exc:
            report.skipped.append(Skipped(str(path), f"cannot read: {exc.strerror or exc}"))
            continue
        sha = ws.put_blob_hash(data)
        existing = ws.has_document(sha)
        if existing:
            report.duplicates.append(existing)
            continue
        try:
            result = read_document(path, data=data)
        except ReadError as exc:
            report.skipped.append(Skipped(str(path), exc.reason))
            continue
        meta = merge_meta(given, result.metadata)
        ws.put_blob(data)
        doc = Document(
            id=f"d{sha[:12]}",
            sha256=sha,
            source=str(path),
            kind=result.kind,
            text=result.text,
            encoding=result.encoding,
            title=meta.title,
            published=meta.published,
            outlet=meta.outlet,
            author=meta.author,
            url=meta.url,
            segments=[{"start": s.start, "end": s.end, "kind": s.kind} for s in result.segments],
        )
        with ws.transaction():
            ws.add_document(doc)
        report.added.append(doc.id)
    return report
