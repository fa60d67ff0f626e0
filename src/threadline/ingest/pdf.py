"""PDF documents: the text layer, page by page (the one module that imports pypdf).

The stored text is what pypdf extracts from each page's text layer, pages
joined by a blank line; every segment carries the page it is on, so a quote
can be cited as "page 3". Running heads and feet (a line repeated at the top or
bottom of most pages, "Page 3 of 7", a bare page number) are ``boilerplate``
segments: they stay in the text, where the offsets need them, but are not read
as the document's statements.

A PDF without a text layer (a scan, a photographed page) is refused with a
reason that says what to do: run OCR (``ocrmypdf in.pdf out.pdf``) and ingest
the result. A PDF's creation date is not taken as its publication date (it is
when the file was made); the date is read from the text, as for plain text.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from threadline.ingest.metadata import DocumentMeta, merge_meta, meta_from_text
from threadline.ingest.segments import segment_parts, segment_title, split_pages
from threadline.ingest.text import ReadError, ReadResult

__all__ = ["MAX_PAGES", "NO_TEXT_LAYER", "read_pdf"]

log = logging.getLogger(__name__)

#: A PDF with more pages than this is refused (a book-length scan is not a source document).
MAX_PAGES = 5000
#: The reason given for a PDF whose pages hold no text.
NO_TEXT_LAYER = (
    "no text layer (scanned PDF?): run OCR first (e.g. 'ocrmypdf in.pdf out.pdf') "
    "and ingest the result"
)
_PAGE_BREAK = "\n\n"
_EDGE_LINES = 2  # running heads/feet are looked for in this many lines at each end of a page
_PAGE_NUMBER = re.compile(
    r"(?i)[-–—\s]*(?:(?:page|p\.|pag\.?|pagina|seite|blz\.?)\s*)?\d{1,4}"
    r"(?:\s*(?:/|of|sur|van|von|de)\s*\d{1,4})?[-–—\s]*"
)
_JUNK_TITLE = re.compile(
    r"(?i)^(?:microsoft\s+(?:word|powerpoint|excel)\s+-\s|untitled\b|document\d*$)|"
    r"\.(?:docx?|pdf|rtf|odt|txt|indd|qxd|html?)$"
)


def read_pdf(data: bytes, *, path: Path) -> ReadResult:
    """Text, page spans, segments and metadata of a PDF's text layer.

    Raises :class:`ReadError` for a file pypdf cannot open, an encrypted PDF
    that needs a password, one over :data:`MAX_PAGES` pages, or one whose pages
    hold no text at all (:data:`NO_TEXT_LAYER`).
    """
    try:
        from pypdf import PdfReader
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ReadError(path, "cannot read PDF: pypdf is not installed") from exc
    with _quiet_pypdf():
        return _read(PdfReader, data, path)


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs every repair of a damaged file as a warning; the reader's outcome
    (text, or a ReadError with the reason) is what the caller needs, so keep them quiet."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _read(PdfReader: Any, data: bytes, path: Path) -> ReadResult:  # noqa: N803 - the class
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError(
                path, "encrypted PDF: it needs a password; decrypt it first (e.g. 'qpdf --decrypt')"
            )
        count = len(reader.pages)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on a damaged file
        why = " ".join(str(exc).split())[:200]
        raise ReadError(path, f"not a readable PDF ({type(exc).__name__}: {why})") from exc
    if count > MAX_PAGES:
        raise ReadError(path, f"PDF has {count} pages, over the limit of {MAX_PAGES}")
    pages: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            extracted = page.extract_text() or ""
        except Exception as exc:  # noqa: BLE001 - one bad page must not lose the others
            log.info("%s: page %d has no readable text (%s)", path, number, exc)
            extracted = ""
        pages.append(extracted.replace("\x00", "").rstrip())
    if not any(p.strip() for p in pages):
        raise ReadError(path, NO_TEXT_LAYER)
    empty = [n for n, p in enumerate(pages, start=1) if not p.strip()]
    notes = []
    if empty:
        listed = ", ".join(map(str, empty[:20])) + (", ..." if len(empty) > 20 else "")
        notes.append(
            f"{len(empty)} of {len(pages)} pages have no text layer (scanned?): "
            f"page {listed} not read; run OCR to read them"
        )

    text, spans = _join(pages)
    segments = split_pages(segment_parts(text, _running_lines(text, spans)), spans)
    own = meta_from_text(text, title=segment_title(text, segments))
    return ReadResult(
        text=text,
        kind="pdf",
        encoding="pdf",
        metadata=merge_meta(_info(reader, path), own),
        segments=segments,
        pages=spans,
        warnings=notes,
    )


def _join(pages: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The pages as one text and each page's ``[start, end)`` span (separator included)."""
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for i, page in enumerate(pages):
        starts.append(pos)
        piece = page + (_PAGE_BREAK if i < len(pages) - 1 else "")
        parts.append(piece)
        pos += len(piece)
    ends = starts[1:] + [pos]
    return "".join(parts), list(zip(starts, ends, strict=True))


def _running_lines(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Running heads, feet and page numbers: lines at a page's top or bottom that
    repeat (digits aside) on at least half the pages with text, or are a page number."""
    edges: list[list[tuple[int, int, str]]] = []
    for a, b in spans:
        lines = [
            (a + m.start(), a + m.end(), m.group(1).strip())
            for m in re.finditer(r"([^\n]*)(?:\n|$)", text[a:b])
            if m.group(1).strip()
        ]
        edges.append(lines[:_EDGE_LINES] + lines[_EDGE_LINES:][-_EDGE_LINES:])
    keys: dict[str, int] = {}
    for lines in edges:
        for key in {_line_key(s) for _, _, s in lines}:
            keys[key] = keys.get(key, 0) + 1
    with_text = sum(bool(lines) for lines in edges)
    needed = max(2, math.ceil(with_text / 2))
    out = []
    for lines in edges:
        for a, b, s in lines:
            if (keys[_line_key(s)] >= needed and len(s) < 200) or _PAGE_NUMBER.fullmatch(s):
                out.append((a, b, "boilerplate"))
    return out


def _line_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def _info(reader: object, path: Path) -> DocumentMeta:
    """Title and author from the PDF's document information, when they are real."""
    try:
        info = reader.metadata  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - a broken info dictionary is no reason to fail
        log.info("%s: unreadable PDF document information (%s)", path, exc)
        return DocumentMeta()
    if not info:
        return DocumentMeta()
    title = str(info.get("/Title") or "").strip()
    author = str(info.get("/Author") or "").strip()
    return DocumentMeta(
        title=title if title and not _JUNK_TITLE.search(title) else None,
        author=author or None,
    )
