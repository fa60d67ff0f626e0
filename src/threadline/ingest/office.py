"""Word documents (DOCX): paragraphs and tables in reading order (the one module that
imports python-docx).

The stored text is built from the document: page headers first, then the
body's paragraphs and tables in their order, then page footers. Paragraphs are
separated by a blank line, a table row is one line with its cells separated by
tabs. Headers and footers are ``boilerplate`` segments (a letterhead or
"CONFIDENTIAL - page 2" is not the document's statement); paragraphs in Word's
"Title" style are the ``title``, those in a "Heading" or "Subtitle" style
``heading`` segments, tables ``body``; the rest is segmented like any text.

The archive is checked for zip bombs (:func:`threadline.ingest.archives.check_zip`)
before python-docx unpacks anything. Text boxes, footnotes and review comments
are not read. The file's creation date is not its publication date and is not
used.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from threadline.ingest.archives import check_zip
from threadline.ingest.metadata import DocumentMeta, merge_meta, meta_from_text
from threadline.ingest.segments import segment_parts, segment_title
from threadline.ingest.text import ReadError, ReadResult

__all__ = ["read_docx"]

_HEADING_STYLE = re.compile(r"(?i)heading\s*\d|subtitle")


def read_docx(data: bytes, *, path: Path) -> ReadResult:
    """Text, segments and metadata of a ``.docx`` file.

    Raises :class:`ReadError` for a file that is not a zip archive or not a
    Word document, an archive refused as a zip bomb, or a document without text.
    """
    check_zip(data, path=path, what="DOCX file").close()
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ReadError(path, "cannot read DOCX: python-docx is not installed") from exc
    try:
        document = docx.Document(io.BytesIO(data))
        body = list(_blocks(document.iter_inner_content()))
        heads, feet = _page_furniture(document)
        props = document.core_properties
        meta = DocumentMeta(title=props.title or None, author=props.author or None)
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types on a damaged file
        raise ReadError(
            path, f"not a readable Word document ({type(exc).__name__}: {exc})"
        ) from exc

    parts: list[str] = []
    fixed: list[tuple[int, int, str]] = []
    pos = 0
    for text, kind in (
        [(t, "boilerplate") for t in heads] + body + [(t, "boilerplate") for t in feet]
    ):
        if parts:
            parts.append("\n\n")
            pos += 2
        if kind is not None:
            fixed.append((pos, pos + len(text), kind))
        parts.append(text)
        pos += len(text)
    text = "".join(parts)
    if not text.strip():
        raise ReadError(path, "no text found in the Word document")
    segments = segment_parts(text, fixed)
    own = meta_from_text(text, title=segment_title(text, segments))
    return ReadResult(
        text=text,
        kind="docx",
        encoding="docx",
        metadata=merge_meta(meta, own),
        segments=segments,
    )


def _blocks(items: Iterable[Any]) -> Iterable[tuple[str, str | None]]:
    """``(text, kind)`` per non-empty paragraph or table; ``kind`` is ``body`` for a
    table, from the paragraph style (``title``/``heading``), or ``None`` for text
    to segment."""
    for item in items:
        if hasattr(item, "rows"):
            rows = [_row_text(row) for row in item.rows]
            table = "\n".join(r for r in rows if r.strip())
            if table.strip():
                yield table, "body"  # rows of data: never a title, heading or caption
            continue
        text = item.text
        if not text.strip():
            continue
        style = getattr(getattr(item, "style", None), "name", None) or ""
        if style.lower() == "title":
            yield text, "title"
        elif _HEADING_STYLE.match(style):
            yield text, "heading"
        else:
            yield text, None


def _row_text(row: Any) -> str:
    """One table row as a line: cells separated by tabs, a merged cell written once."""
    cells: list[str] = []
    last = None
    for cell in row.cells:
        if cell._tc is last:  # a cell spanning several grid columns comes back once per column
            continue
        last = cell._tc
        cells.append(" ".join(cell.text.split()))
    return "\t".join(cells)


def _page_furniture(document: Any) -> tuple[list[str], list[str]]:
    """The distinct texts of the page headers and of the page footers, in section order."""
    heads: list[str] = []
    feet: list[str] = []
    for section in document.sections:
        for attr, out in (
            ("first_page_header", heads),
            ("header", heads),
            ("even_page_header", heads),
            ("first_page_footer", feet),
            ("footer", feet),
            ("even_page_footer", feet),
        ):
            part = getattr(section, attr)
            if part.is_linked_to_previous:
                continue
            text = "\n".join(t for t, _ in _blocks(part.iter_inner_content()))
            if text.strip() and text not in out:
                out.append(text)
    return heads, feet
