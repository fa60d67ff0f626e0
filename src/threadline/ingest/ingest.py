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
from typing import Any

from threadline.ingest.metadata import DocumentMeta, clean_meta, merge_meta
from threadline.ingest.readers import DEFAULT_MAX_BYTES, ReadError, read_document
from threadline.ingest.readers import SUPPORTED_SUFFIXES as _READERS
from threadline.ingest.segments import Segment
from threadline.model import Document
from threadline.model.language import detect_language
from threadline.store import Workspace

SUPPORTED_SUFFIXES = tuple(_READERS)
#: Files over this many bytes are skipped (looked up at call time, so it can be lowered).
MAX_BYTES = DEFAULT_MAX_BYTES
#: Files a folder walk passes over silently (sidecars are read with their file).
_SIDECAR_SUFFIX = ".meta.json"


@dataclass
class Skipped:
    """A file that was not ingested, and why."""

    path: str
    reason: str


@dataclass
class FileWarning:
    """A file that was ingested, but not all of it could be read (a PDF's scanned pages)."""

    path: str
    message: str


@dataclass
class IngestReport:
    """What one ingest call did: added documents, duplicates, skipped files, and
    warnings about files added only in part."""

    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[FileWarning] = field(default_factory=list)


def iter_files(
    paths: Iterable[str | os.PathLike[str]], *, exclude: Iterable[str | os.PathLike[str]] = ()
) -> Iterator[Path]:
    """Every file under ``paths``, each once.

    Folders are walked in sorted order; hidden files and folders, ``.meta.json``
    sidecars and the folders in ``exclude`` (the workspace itself, when it sits
    inside a folder being ingested) are passed over.
    """
    seen: set[str] = set()
    skip_dirs = {os.path.abspath(e) for e in exclude}

    def once(path: Path) -> bool:
        key = os.path.abspath(path)
        if key in seen:
            return False
        seen.add(key)
        return True

    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(
                    d
                    for d in dirs
                    if not d.startswith(".") and os.path.abspath(Path(root) / d) not in skip_dirs
                )
                for name in sorted(files):
                    if name.startswith(".") or name.endswith(_SIDECAR_SUFFIX):
                        continue
                    if once(Path(root) / name):
                        yield Path(root) / name
        elif once(path):
            yield path


def _megabytes(n: int) -> str:
    return f"{n / 2**20:.1f}".removesuffix(".0") + " MB" if n >= 2**20 / 10 else f"{n} bytes"


def _why_unreadable(path: Path, limit: int) -> str | None:
    """Why ``path`` cannot be ingested before reading it, or ``None`` when it can be read.

    Checked first so that a named pipe or device is never opened (reading one
    would block or never end) and a huge file is never loaded into memory.
    """
    if path.is_symlink() and not path.exists():
        return f"broken symbolic link (points to '{os.readlink(path)}')"
    if not path.exists():
        return "no such file or folder"
    if not path.is_file():
        return "not a regular file (a pipe, socket or device)"
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        what = f"file type '{suffix}'" if suffix else "file without an extension"
        return f"unsupported {what} (supported: {', '.join(SUPPORTED_SUFFIXES)})"
    size = path.stat().st_size
    if size > limit:
        return f"file too large: {_megabytes(size)}, over the {_megabytes(limit)} limit"
    return None


def _segment_row(seg: Segment) -> dict[str, Any]:
    """A segment as stored with its document; ``page`` only for paged sources."""
    row: dict[str, Any] = {"start": seg.start, "end": seg.end, "kind": seg.kind}
    if seg.page is not None:
        row["page"] = seg.page
    return row


def ingest_paths(
    ws: Workspace,
    paths: Iterable[str | os.PathLike[str]],
    *,
    given: DocumentMeta | None = None,
    progress: Callable[[Path], None] | None = None,
    max_bytes: int | None = None,
) -> IngestReport:
    """Ingest files and folders; metadata ``given`` at ingest wins over the file's own.

    ``max_bytes`` defaults to :data:`MAX_BYTES`. A file that cannot be ingested
    is listed in the report's ``skipped`` with its path and reason; the others
    are still ingested. Each document is written in its own transaction.
    """
    limit = MAX_BYTES if max_bytes is None else max_bytes
    report = IngestReport()
    for path in iter_files(paths, exclude=[ws.root] if ws.root else []):
        if progress:
            progress(path)
        try:
            why = _why_unreadable(path, limit)
            if why is None:
                data = path.read_bytes()
        except PermissionError:
            why = "permission denied"
        except OSError as exc:
            why = f"cannot read: {exc.strerror or exc}"
        if why is not None:
            report.skipped.append(Skipped(str(path), why))
            continue
        sha = ws.put_blob_hash(data)
        existing = ws.has_document(sha)
        if existing:
            report.duplicates.append(existing)
            continue
        try:
            result = read_document(path, data=data, max_bytes=limit)
        except ReadError as exc:
            report.skipped.append(Skipped(str(path), exc.reason))
            continue
        meta = clean_meta(merge_meta(given, result.metadata))
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
            segments=[_segment_row(s) for s in result.segments],
            language=detect_language(result.text),
        )
        with ws.transaction():
            ws.add_document(doc)
        report.added.append(doc.id)
        report.warnings.extend(FileWarning(str(path), w) for w in result.warnings)
    return report
