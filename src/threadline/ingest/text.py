"""What every file reader of the ingest stage shares: the result of reading a file
(:class:`ReadResult`), the decoding of bytes to text (:func:`decode_bytes`) and the
extraction of an HTML page's main text (:func:`extract_html`).

The format readers (:mod:`threadline.ingest.pdf`, :mod:`~threadline.ingest.office`,
:mod:`~threadline.ingest.mail`) import these from here, and :mod:`threadline.ingest.readers`
(which picks the reader for a file) imports them: no reader imports the dispatcher.
The evidence rule of threadline decides what "the text" is: see
:mod:`threadline.ingest.readers`.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from threadline.errors import (  # defined in errors.py; imported from here too
    DependencyError,
    ReadError,
)
from threadline.ingest.metadata import (
    DocumentMeta,
    merge_meta,
    meta_from_html,
)
from threadline.ingest.segments import Segment

__all__ = [
    "Communication",
    "ReadError",
    "ReadResult",
    "decode_bytes",
    "extract_html",
]

log = logging.getLogger(__name__)

_CONTROL_SHARE = 0.05  # above this share of C0 control bytes a file is taken as binary


@dataclass(frozen=True)
class Communication:
    """A message from ``sender`` to ``recipients``, as an e-mail's header states it.

    Addresses are written ``Name <address>`` (or the bare address when no name
    is given). ``date`` is the ISO date of the ``Date`` header, if it parses;
    ``start``/``end`` span the header lines in the stored text that state
    sender and recipients (the ``From`` line through the last ``To``/``Cc``
    line), so the span is the communication's evidence.
    """

    sender: str
    recipients: tuple[str, ...]
    date: str | None
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        return {
            "sender": self.sender,
            "recipients": list(self.recipients),
            "date": self.date,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class ReadResult:
    """One document as read: the text to store and what is known about it.

    ``kind`` is one of the values of :data:`SUPPORTED_SUFFIXES`; ``segments``
    tile ``text``; ``comments`` holds reader comments found in an HTML page,
    kept out of ``text``; ``pages`` are the ``[start, end)`` spans of a PDF's
    pages in ``text`` (empty for other kinds); ``communications`` are the
    messages an e-mail's header states; ``warnings`` say what of a file that was
    read could not be (a PDF's scanned pages).
    """

    text: str
    kind: str
    encoding: str
    metadata: DocumentMeta
    segments: list[Segment]
    comments: list[str] = field(default_factory=list)
    pages: list[tuple[int, int]] = field(default_factory=list)
    communications: list[Communication] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ decoding

_BOMS = [  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_CONTROLS = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c")
_CONTROL_CHARS = re.compile("[" + re.escape(_CONTROLS.decode("ascii")) + "]")
_WESTERN_PUNCT = set("’‘“”–—…€«»°·•×„‚‹›")


def _control_share(text: str) -> float:
    """Share of C0 control characters (tabs and line breaks aside) in the first 64 Ki chars."""
    sample = text[:65536]
    return len(_CONTROL_CHARS.findall(sample)) / max(len(sample), 1)


def _western(data: bytes) -> str | None:
    """``data`` as Windows-1252 when that reads like Western European text, else ``None``.

    Accented letters must be a minority and sit inside mostly-ASCII words; a
    symbol glued between letters ("Za¿ó³æ") means another code page.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [c for c in text if c.isalpha()]
    accented = sum(ord(c) > 127 for c in letters)
    if not letters or accented > 0.3 * len(letters):
        return None
    if re.search(r"[^\x00-\x7f\W\d_]{4,}", text):
        return None  # four accented letters in a row: Cyrillic, Greek, Arabic... read as Latin
    for m in re.finditer(r"(?<=[^\W\d_])[^\x00-\x7f](?=[^\W\d_])", text):
        if not m.group().isalpha() and m.group() not in _WESTERN_PUNCT:
            return None
    return text


def _declared(data: bytes) -> str | None:
    """The charset an HTML page declares in its first bytes, as a Python codec name."""
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([\w:.-]+)""", data[:4096], re.IGNORECASE)
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


def decode_bytes(data: bytes, *, path: str | Path, declared: str | None = None) -> tuple[str, str]:
    """Decode a file's bytes; return ``(text, encoding)`` with a Python codec name.

    Order: a byte-order mark (UTF-8/16/32); strict UTF-8; the ``declared``
    charset (e.g. from an HTML ``<meta>``); Windows-1252 when it reads as Western
    text (a superset of Latin-1 for text, so both decode right); else the
    charset-normalizer detector. Raises :class:`ReadError` for an empty file, a
    binary one (NUL bytes or many control bytes) or one no encoding fits.
    """
    if not data:
        raise ReadError(path, "empty file")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                if codec == "utf-32" and data.startswith(codecs.BOM_UTF16_LE):
                    continue  # FF FE 00 00 is also UTF-16 LE text starting with U+0000
                raise ReadError(path, f"has a {codec} byte-order mark but is not {codec}") from exc
            if not text:
                raise ReadError(path, "empty file (only a byte-order mark)")
            if _control_share(text) > _CONTROL_SHARE:
                raise ReadError(path, "binary file, not text")
            return text, codec
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROLS))
    if b"\x00" in data or controls > _CONTROL_SHARE * len(sample):
        raise ReadError(path, "binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared and declared not in ("utf-8", "ascii", "latin-1", "iso8859-1", "cp1252"):
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass  # the page lies about its charset: detect instead
    western = _western(data)
    if western is not None:
        return western, "cp1252"
    try:
        from charset_normalizer import from_bytes
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ReadError(path, "not UTF-8, and charset-normalizer is not installed") from exc
    best = from_bytes(data).best()
    if best is None:
        raise ReadError(path, "cannot decode: not UTF-8 and no known text encoding fits")
    text = str(best)
    if _control_share(text) > _CONTROL_SHARE:
        raise ReadError(path, "binary file, not text")
    return text, codecs.lookup(best.encoding).name


# ---------------------------------------------------------------------- HTML

_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "nav", "footer", "aside", "form"}
_SKIP_TAGS |= {"button", "iframe", "select", "textarea", "head", "object", "canvas"}
_SKIP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog"}
_SKIP_HINT = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|footer|sidebar|share|sharing|social|cookies?|"
    r"consent|related|ads?|advert\w*|promo|newsletter|breadcrumbs?|masthead|site-header|banner|"
    r"subscribe|paywall|most-read|popular)(?:$|[\s_-])",
    re.IGNORECASE,
)
_COMMENT_HINT = re.compile(r"(?:^|[\s_-])(?:comments?|comment-\w+|replies)(?:$|[\s_-])", re.I)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
_VOID |= {"track", "wbr", "param"}
_BLOCKS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "br", "tr", "table", "hr"}
_BLOCKS |= {"blockquote", "pre", "figure", "figcaption", "dd", "dt", "dl", "header", "td", "th"}
_BLOCKS |= {f"h{n}" for n in range(1, 7)}


class _TextParser(HTMLParser):
    """Stdlib fallback extractor: visible text minus chrome; comments kept apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []  # (tag, mode) with mode main/skip/comment
        self.out: dict[str, list[str]] = {"main": [], "comment": []}

    def _mode(self) -> str:
        return self.stack[-1][1] if self.stack else "main"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._break()
        if tag in _VOID:
            return
        a = {k: v or "" for k, v in attrs}
        hint = f"{a.get('class', '')} {a.get('id', '')}"
        mode = self._mode()
        if mode != "skip":
            if tag in _SKIP_TAGS or a.get("role", "") in _SKIP_ROLES:
                mode = "skip"
            elif _COMMENT_HINT.search(hint):
                mode = "comment"
            elif _SKIP_HINT.search(hint):
                mode = "skip"
        self.stack.append((tag, mode))

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._break()
        if any(t == tag for t, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        mode = self._mode()
        if mode != "skip":
            self.out[mode].append(data)

    def _break(self) -> None:
        mode = self._mode()
        if mode != "skip":
            self.out[mode].append("\n")

    def paragraphs(self, mode: str) -> list[str]:
        lines = (" ".join(p.split()) for p in "".join(self.out[mode]).split("\n"))
        return [p for p in lines if p]


def _fallback(html: str) -> tuple[str, list[str]]:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.paragraphs("main")), parser.paragraphs("comment")


def _trafilatura() -> Any:
    """The trafilatura module; a missing install (or its ``lxml.html.clean``, which lxml
    ships apart as ``lxml_html_clean``) is an error, never a silent downgrade."""
    try:
        import lxml.html.clean  # noqa: F401 - trafilatura needs it; say so by name
        import trafilatura
    except ImportError as exc:
        raise DependencyError(
            f"HTML main-text extraction needs trafilatura and lxml_html_clean ({exc}); "
            "reinstall threadline (pip install threadline) to get its dependencies"
        ) from exc
    return trafilatura


def extract_html(html: str) -> tuple[str, list[str], DocumentMeta]:
    """Main text, reader comments and tag metadata of an HTML page (no network).

    trafilatura extracts the main text (comments, navigation, footer left out);
    when it finds nothing, a stdlib parser takes the visible text instead.
    Metadata is what the page's tags state (see :func:`meta_from_html`), then
    trafilatura's title (the headline)/author/site name/URL, then ``<title>``;
    trafilatura's date is not used (it may come from a guess).
    """
    text, comments, found = "", [], DocumentMeta()
    trafilatura = _trafilatura()
    try:
        doc = trafilatura.bare_extraction(
            html, include_comments=True, with_metadata=True, include_tables=True
        )
        if doc is not None:

            def get(key: str) -> Any:
                return doc.get(key) if isinstance(doc, dict) else getattr(doc, key, None)

            text = (get("text") or "").strip()
            comments = [c.strip() for c in (get("comments") or "").split("\n") if c.strip()]
            found = DocumentMeta(
                title=get("title"), author=get("author"), outlet=get("sitename"), url=get("url")
            )
    except Exception as exc:  # noqa: BLE001 - a page trafilatura chokes on still has text
        log.warning("trafilatura failed (%s); using the plain HTML text extractor", exc)
    if not text:
        text, comments = _fallback(html)
    return (
        text,
        comments,
        merge_meta(meta_from_html(html, title_tag=False), found, meta_from_html(html)),
    )
