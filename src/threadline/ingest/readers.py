"""File readers of the ingest stage: a file on disk -> text, metadata and segments.

The evidence rule of threadline decides what "the text" is. For plain text and
Markdown it is the file's content exactly as decoded -- line endings, Unicode
form and white space untouched (only a UTF-8 byte-order mark is dropped, and
the encoding is then recorded as ``utf-8-sig``) -- so anyone can check a quoted
span against the original file. For HTML it is the extracted main text, without
navigation, footers and reader comments (comments are returned apart, never in
the stored text). For PDF, DOCX and e-mail it is the text extracted from the
file (see :mod:`threadline.ingest.pdf`, :mod:`threadline.ingest.office` and
:mod:`threadline.ingest.mail`), stored with the document so every quote is a
slice of it.

These functions are pure: they read, decode and describe. Hashing, storage and
the mapping of :class:`ReadError` to the project's error hierarchy are the
caller's.
"""

from __future__ import annotations

from pathlib import Path

from threadline.errors import ReadError  # defined in errors.py; imported from here too
from threadline.ingest.mail import read_eml
from threadline.ingest.metadata import (
    DocumentMeta,
    clean_meta,
    load_sidecar,
    merge_meta,
    meta_from_text,
)
from threadline.ingest.office import read_docx
from threadline.ingest.pdf import read_pdf
from threadline.ingest.segments import segment_text, segment_title
from threadline.ingest.text import Communication as Communication
from threadline.ingest.text import ReadResult as ReadResult
from threadline.ingest.text import _declared, decode_bytes, extract_html

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "Communication",
    "ReadError",
    "ReadResult",
    "decode_bytes",
    "extract_html",
    "read_document",
]

#: File suffix -> document ``kind``. The ingest folder walk accepts exactly these.
SUPPORTED_SUFFIXES = {
    ".txt": "text",
    ".md": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".eml": "email",
}
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


# --------------------------------------------------------------------- files


def read_document(
    path: Path,
    *,
    given: DocumentMeta | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    data: bytes | None = None,
) -> ReadResult:
    """Read one file of a type in :data:`SUPPORTED_SUFFIXES`.

    Metadata is merged with ``given`` (stated at ingest) first, then the sidecar
    ``FILE.meta.json``, then what the file states, and cleaned to one line per
    value (:func:`~threadline.ingest.metadata.clean_meta`). ``data``, when the
    caller has already read the file's bytes (to hash them), is used instead of
    reading it again. Raises :class:`ReadError` for an unsupported type, a
    missing or unreadable file, one over ``max_bytes``, or content that cannot
    be read (undecodable text, a PDF without a text layer, an archive bomb...).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    kind = SUPPORTED_SUFFIXES.get(suffix)
    if kind is None:
        what = f"file type '{suffix}'" if suffix else "file without an extension"
        raise ReadError(path, f"unsupported {what} (supported: {', '.join(SUPPORTED_SUFFIXES)})")
    try:
        size = len(data) if data is not None else path.stat().st_size
        if data is None and not path.is_file():
            raise ReadError(path, "not a regular file")
        if size > max_bytes:
            raise ReadError(
                path,
                f"file too large: {size / 2**20:.1f} MB, over the {max_bytes / 2**20:g} MB limit",
            )
        if data is None:
            data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ReadError(path, "no such file") from exc
    except PermissionError as exc:
        raise ReadError(path, "permission denied") from exc
    except OSError as exc:
        raise ReadError(path, f"cannot read: {exc.strerror or exc}") from exc
    sidecar = load_sidecar(path)
    if not data:
        raise ReadError(path, "empty file")
    if kind == "pdf":
        result = read_pdf(data, path=path)
    elif kind == "docx":
        result = read_docx(data, path=path)
    elif kind == "email":
        result = read_eml(data, path=path)
    else:
        result = _read_text(data, path=path, kind=kind)
    result.metadata = clean_meta(merge_meta(given, sidecar, result.metadata))
    return result


def _read_text(data: bytes, *, path: Path, kind: str) -> ReadResult:
    """A plain text, Markdown or HTML file."""
    comments: list[str] = []
    if kind == "html":
        html, encoding = decode_bytes(data, path=path, declared=_declared(data))
        text, comments, page = extract_html(html)
        if not text.strip():
            raise ReadError(path, "no text found in the HTML page")
    else:
        text, encoding = decode_bytes(data, path=path)
        page = None
    segments = segment_text(text)
    own = meta_from_text(text, title=segment_title(text, segments))
    return ReadResult(
        text=text,
        kind=kind,
        encoding=encoding,
        metadata=merge_meta(page, own),
        segments=segments,
        comments=comments,
    )
