"""Record files as rows: CSV/TSV, JSON, JSON lines and XLSX workbooks, streamed.

:func:`open_table` reads what is needed to check a mapping against the file
(its format, encoding and header) and :meth:`Table.rows` then yields one
:class:`Row` at a time, or a :class:`RowProblem` for a row that cannot be read,
so a file of any size is read in flat memory.

Row numbers are what an analyst sees: for CSV and TSV the record number with
the header as row 1 (blank lines are not rows; a quoted cell may span lines);
for JSON lines the line number; for a JSON array the element number; for a
workbook the sheet's row number. Every problem names the file (and sheet) and
the row, and the rows around it are still read.

What each reader tolerates, and says so:

- a byte-order mark (UTF-8, UTF-16, UTF-32); a file in Windows-1252 or another
  detected encoding; a UTF-8 file with a few lines in Windows-1252 (each such
  row is warned about);
- NUL bytes in a line (the row is refused), a file mostly made of them
  (refused as binary), ragged rows (refused, unless the extra cells are empty),
  a quote never closed (refused with the lines it swallowed), cells over
  128 Ki characters;
- workbooks: checked for zip bombs and XML entity declarations before
  anything is unpacked; formulas are never evaluated (their last saved value is
  read).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from threadline.errors import InputError, ReadError
from threadline.ingest.archives import check_zip
from threadline.ingest.text import decode_bytes

#: Text files up to this size keep their decoded text, so evidence quotes the row.
KEEP_TEXT_BYTES = 8 * 1024 * 1024
#: JSON arrays and workbooks are read whole; larger ones are refused (use JSON lines or CSV).
MAX_WHOLE_BYTES = 256 * 1024 * 1024
#: Longest cell of a CSV/TSV file, in characters (a longer one is a malformed row).
MAX_CELL = 128 * 1024
#: JSON lines read to learn the keys before checking a mapping.
JSON_HEADER_SAMPLE = 1000
_SAMPLE = 65536
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ASCII_COMPATIBLE = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "iso8859-1", "ascii")


@dataclass(frozen=True)
class Row:
    """One row: its number, its cells by column (``""`` when empty), its sheet, and
    where its text sits in the stored text (``None`` when no text is kept)."""

    number: int
    cells: dict[str, str]
    sheet: str | None = None
    span: tuple[int, int] | None = None
    text: str | None = None
    #: where each cell's value sits in the stored text (inside its quotes), in column
    #: order; only when the table was opened with ``cell_spans``
    spans: tuple[tuple[int, int], ...] | None = None

    def where(self, column: str) -> str:
        """ "row 4, column 'name'": how a problem with one cell names it."""
        return f"row {self.number}, column '{column}'"


@dataclass(frozen=True)
class RowProblem:
    """A row that could not be read (``error``: left out) or was read with a caveat
    (``warning``: kept). ``row`` is None for a problem with the whole file or sheet."""

    path: str
    row: int | None
    reason: str
    sheet: str | None = None
    level: str = "error"

    def __str__(self) -> str:
        where = self.path
        if self.sheet:
            where += f", sheet '{self.sheet}'"
        if self.row is not None:
            where += f", row {self.row}"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Sheet:
    name: str | None
    header: list[str]


@dataclass
class Table:
    """A record file opened for reading: format, encoding, sheets with their headers.

    ``text`` is the decoded text of a small CSV/TSV/JSON-lines file once
    :meth:`rows` has run (``None`` otherwise); row spans point into it.
    """

    path: str
    format: str
    sheets: list[Sheet]
    encoding: str | None = None
    delimiter: str | None = None
    text: str | None = None
    problems: list[RowProblem] = field(default_factory=list)
    _source: Any = None

    def rows(self, sheet: str | None = None) -> Iterator[Row | RowProblem]:
        """The rows of ``sheet`` (the only one for non-workbooks), one at a time."""
        if self.format == "xlsx":
            yield from self._source.rows(sheet)
        else:
            yield from self._source.rows()
            self.text = getattr(self._source, "text", None)

    def close(self) -> None:
        if hasattr(self._source, "close"):
            self._source.close()


def open_table(
    path: str | Path,
    fmt: str,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    records: str | None = None,
    header_row: int = 1,
    keep_text: int = KEEP_TEXT_BYTES,
    cell_spans: bool = False,
) -> Table:
    """Open ``path`` as ``fmt`` (csv, tsv, json, jsonl, xlsx) and read its header(s).

    For CSV and TSV, ``header_row=0`` reads a file without a header: its columns
    are named ``"0"``, ``"1"``, ... (as many as the first row has cells) and every
    row is data; ``cell_spans`` gives each row the offsets of its cells in the
    kept text (:attr:`Row.spans`).

    Raises :class:`~threadline.errors.InputError` naming the file when it cannot
    be read at all: missing, empty, binary, a zip bomb, no header.
    """
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise InputError(str(p), f"cannot read: {exc.strerror or exc}") from exc
    if not p.is_file():
        raise InputError(str(p), "not a file")
    if size == 0:
        raise InputError(str(p), "empty file")
    if fmt in ("csv", "tsv"):
        source = _DelimitedSource(
            p, size, fmt, delimiter, encoding, header_row, keep_text, cell_spans=cell_spans
        )
        return Table(str(p), fmt, [Sheet(None, source.header)], source.encoding, source.delimiter,
                     problems=source.problems, _source=source)  # fmt: skip
    if fmt == "jsonl":
        jl = _JsonLinesSource(p, size, keep_text)
        return Table(str(p), fmt, [Sheet(None, jl.header)], "utf-8", problems=jl.problems,
                     _source=jl)  # fmt: skip
    if fmt == "json":
        js = _JsonSource(p, size, records)
        return Table(str(p), fmt, [Sheet(None, js.header)], "utf-8", _source=js)
    if fmt == "xlsx":
        wb = _WorkbookSource(p, size, sheet, header_row)
        return Table(str(p), fmt, wb.sheets, problems=wb.problems, _source=wb)
    raise InputError(str(p), f"unknown record format '{fmt}'")


def text_table(
    text: str,
    *,
    path: str,
    delimiter: str | None = None,
    header: bool = True,
    cell_spans: bool = True,
) -> Table:
    """A CSV text already decoded (a stored document's text) as a table, read by the
    same reader as a CSV file: row spans and cell spans point into ``text``.

    ``path`` names the file in problems; without ``header`` the columns are
    ``"0"``, ``"1"``, ...
    """
    if not text.strip():
        raise InputError(path, "empty file (no text, only blank lines)")
    source = _DelimitedSource(
        Path(path), len(text), "csv", delimiter, "utf-8", 1 if header else 0, len(text) + 1,
        cell_spans=cell_spans, text=text,
    )  # fmt: skip
    return Table(path, "csv", [Sheet(None, source.header)], "utf-8", source.delimiter,
                 problems=source.problems, _source=source)  # fmt: skip


def cell_spans(text: str, start: int, delimiter: str) -> tuple[tuple[int, int], ...]:
    """Where each cell of one CSV row (``text``, which starts at offset ``start`` of
    the whole text) has its value: inside the quotes when quoted.

    >>> cell_spans('a;"b;c";d', 10, ";")
    ((10, 11), (13, 16), (18, 19))
    """
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while True:
        if i < n and text[i] == '"':
            j = i + 1
            while j < n:
                if text[j] == '"':
                    if j + 1 < n and text[j + 1] == '"':
                        j += 2
                        continue
                    break
                j += 1
            spans.append((start + i + 1, start + j))
            i = text.find(delimiter, j)  # stray characters after a closing quote
            i = n if i < 0 else i
        else:
            j = text.find(delimiter, i)
            j = n if j < 0 else j
            spans.append((start + i, start + j))
            i = j
        if i < n:
            i += 1  # past the delimiter
            continue
        return tuple(spans)


# -- CSV and TSV ------------------------------------------------------------------------


def _sniff_encoding(sample: bytes, path: Path) -> str:
    for bom, codec in _BOMS:
        if sample.startswith(bom):
            if codec == "utf-32" and sample.startswith(codecs.BOM_UTF16_LE) and len(sample) % 4:
                return "utf-16"
            return codec
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    if controls > 0.05 * len(sample):
        raise InputError(str(path), "binary file, not text (NUL or control bytes throughout)")
    cut = (sample[: sample.rfind(b"\n") + 1] or sample).replace(b"\x00", b"")
    utf8 = other = 0  # lines beyond ASCII that are, and are not, UTF-8
    for line in cut.splitlines():
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            other += 1
    if utf8 or not other:
        return "utf-8"  # a UTF-8 file (lines in another encoding are read one by one)
    try:
        _, found = decode_bytes(cut, path=path)
    except ReadError as exc:
        raise InputError(str(path), exc.reason) from exc
    return "utf-8" if found == "ascii" else found


def sniff_delimiter(line: str) -> str:
    """The most frequent of comma, semicolon, tab and bar outside quotes (comma if none)."""
    counts = dict.fromkeys(",;\t|", 0)
    quoted = False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif not quoted and c in counts:
            counts[c] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


class _Lines:
    """Decoded lines of a text file (or of a text), with their numbers, offsets and
    what was wrong with them (NUL bytes, bytes not in the file's encoding).

    Lines handed back with :meth:`read_again` are read again before the next new
    line (a quote never closed swallowed them: they are rows of their own).
    """

    def __init__(self, path: Path, encoding: str, keep: bool, text: str | None = None) -> None:
        self.path = path
        self.encoding = encoding
        self.keep = keep
        self.source_text = text
        self.parts: list[str] = []
        self.offset = 0  # characters fed so far
        self.line = 0  # number of the last line fed
        self.nul: set[int] = set()
        self.mixed: set[int] = set()
        self.undecodable: set[int] = set()
        self.pending: list[str] = []  # lines of the record being read
        self._again: list[tuple[int, str]] = []
        self._numbered: Iterator[tuple[int, str]] | None = None

    def read_again(self, first: int, offset: int, lines: list[str]) -> None:
        """Feed ``lines`` (numbered from ``first``, starting at character ``offset``)
        again before any new line."""
        self._again = [(first + i, line) for i, line in enumerate(lines)] + self._again
        self.offset = offset

    def __iter__(self) -> Iterator[str]:
        if self._numbered is None:
            self._numbered = self._read()
        while True:
            if self._again:
                self.line, line = self._again.pop(0)
                yield self._fed(line, again=True)
                continue
            got = next(self._numbered, None)
            if got is None:
                return
            self.line, line = got
            yield self._fed(line)

    def _read(self) -> Iterator[tuple[int, str]]:
        if self.source_text is not None:
            yield from self._checked(io.StringIO(self.source_text, newline=""))
            return
        with open(self.path, "rb") as fh:
            if self.encoding in _ASCII_COMPATIBLE:
                yield from self._ascii_lines(fh)
            else:
                text = io.TextIOWrapper(fh, encoding=self.encoding, errors="replace", newline="")
                yield from self._checked(text)

    def _checked(self, text: Iterable[str]) -> Iterator[tuple[int, str]]:
        for number, line in enumerate(text, start=1):
            if "\x00" in line:
                self.nul.add(number)
                if self.source_text is None:  # a given text keeps its offsets
                    line = line.replace("\x00", "")
            if "\ufffd" in line and self.source_text is None:
                self.undecodable.add(number)
            yield number, line

    def _ascii_lines(self, fh: BinaryIO) -> Iterator[tuple[int, str]]:
        codec = self.encoding
        for number, raw in enumerate(fh, start=1):
            if b"\x00" in raw:
                self.nul.add(number)
                raw = raw.replace(b"\x00", b"")
            try:
                line = raw.decode("utf-8-sig" if number == 1 and codec == "utf-8-sig" else codec)
            except UnicodeDecodeError:
                if codec in ("utf-8", "utf-8-sig"):
                    self.mixed.add(number)
                    line = raw.decode("cp1252", errors="replace")
                else:
                    self.undecodable.add(number)
                    line = raw.decode(codec, errors="replace")
            yield number, line

    def _fed(self, line: str, *, again: bool = False) -> str:
        self.offset += len(line)
        self.pending.append(line)
        if self.keep and not again:
            self.parts.append(line)
        return line


class _DelimitedSource:
    def __init__(
        self,
        path: Path,
        size: int,
        fmt: str,
        delimiter: str | None,
        encoding: str | None,
        header_row: int,
        keep_text: int,
        *,
        cell_spans: bool = False,
        text: str | None = None,
    ) -> None:
        self.path = path
        self.problems: list[RowProblem] = []
        self.source_text = text
        if text is None:
            with open(path, "rb") as fh:
                sample = fh.read(_SAMPLE)
            self.encoding = encoding or _sniff_encoding(sample, path)
        else:
            self.encoding = "utf-8"
        self.keep = size <= keep_text
        self.cell_spans = cell_spans and self.keep
        self.text: str | None = None
        self.header_row = header_row
        first = self._first_lines(sample) if text is None else text[:_SAMPLE]
        if not first.strip():
            raise InputError(
                str(path), "empty file (no text, only blank lines or a byte-order mark)"
            )
        self.delimiter = delimiter or (
            "\t" if fmt == "tsv" else sniff_delimiter(first.splitlines()[0])
        )
        self.header = self._read_header()

    def _first_lines(self, sample: bytes) -> str:
        for bom, codec in _BOMS:
            if sample.startswith(bom) and codec == self.encoding:
                sample = sample[len(bom) :]
                break
        try:
            return sample.decode(self.encoding.replace("-sig", ""), errors="replace").lstrip(
                "\ufeff"
            )
        except LookupError:  # pragma: no cover - codecs were checked
            raise InputError(str(self.path), f"unknown encoding '{self.encoding}'") from None

    def _reader(self, lines: _Lines) -> Iterator[list[str]]:
        return csv.reader(lines, delimiter=self.delimiter, quotechar='"', doublequote=True)

    def _lines(self, *, keep: bool) -> _Lines:
        return _Lines(self.path, self.encoding, keep, self.source_text)

    def _read_header(self) -> list[str]:
        lines = self._lines(keep=False)
        reader = self._reader(lines)
        cells: list[str] | None = None
        before = csv.field_size_limit(MAX_CELL)
        seen = 0
        try:
            for record in reader:
                if not record or not any(c.strip() for c in record):
                    continue
                seen += 1
                if self.header_row == 0:  # no header: the columns are numbered
                    return [str(i) for i in range(len(record))]
                if seen == self.header_row:
                    cells = record
                    break
        except csv.Error as exc:
            raise InputError(str(self.path), f"cannot read the header: {exc}") from exc
        finally:
            csv.field_size_limit(before)
        if cells is None:
            raise InputError(
                str(self.path), f"no header: the file has fewer than {self.header_row} row(s)"
            )
        return _clean_header(cells, str(self.path), None, self.problems)

    def rows(self) -> Iterator[Row | RowProblem]:
        # the csv module's cell limit is process-wide and libraries raise it: hold it at
        # ours while reading, so a quote never closed cannot swallow a whole file
        before = csv.field_size_limit(MAX_CELL)
        try:
            yield from self._rows()
        finally:
            csv.field_size_limit(before)

    def _rows(self) -> Iterator[Row | RowProblem]:
        path = str(self.path)
        lines = self._lines(keep=self.keep)
        reader = self._reader(lines)
        header = self.header
        number = 0
        start_line, start_offset = 1, 0
        while True:
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                number += 1
                first_line, span_start, pending = start_line, start_offset, list(lines.pending)
                lines.pending.clear()
                start_line, start_offset = lines.line + 1, lines.offset
                if len(pending) > 1:  # the lines it swallowed are rows of their own
                    start_line, start_offset = self._again(lines, first_line, span_start, pending)
                    reader = self._reader(lines)
                if number > self.header_row:
                    yield RowProblem(path, number, f"malformed CSV ({exc}); an unclosed quote?")
                continue
            first_line, span_start, pending = start_line, start_offset, lines.pending
            start_line, start_offset = lines.line + 1, lines.offset
            if not record or (len(record) == 1 and not record[0].strip() and len(pending) == 1):
                pending.clear()
                continue  # a blank line is not a row
            number += 1
            if self._unclosed(record, pending):
                # a quote never closed swallowed the lines after it: this row is named and
                # left out, the lines it swallowed are read again as rows of their own
                last_line = lines.line
                start_line, start_offset = self._again(lines, first_line, span_start, pending)
                reader = self._reader(lines)
                if number > self.header_row:
                    yield RowProblem(
                        path,
                        number,
                        f"a quote opened in this row is never closed (it ran to line "
                        f"{last_line}): the row is left out, the lines after it are read again",
                    )
                continue
            last = pending[-1] if pending else ""
            span_end = lines.offset - (len(last) - len(last.rstrip("\r\n")))
            problems = self._check(
                record, pending, range(first_line, lines.line + 1), lines, number
            )
            raw = "".join(pending)[: span_end - span_start] if self.keep else None
            pending.clear()
            if number <= self.header_row:
                continue
            yield from problems
            if any(p.level == "error" for p in problems):
                continue
            cells = dict(zip(header, record, strict=False))
            spans = None
            if self.cell_spans and raw is not None:
                spans = cell_spans(raw, span_start, self.delimiter)
            yield Row(
                number, cells, None, (span_start, span_end) if self.keep else None, raw, spans
            )
        if self.keep:
            self.text = "".join(lines.parts)

    def _unclosed(self, record: list[str], pending: list[str]) -> bool:
        """Whether a record over several lines is a quote never closed (an odd number
        of quotes, or not the header's number of cells) rather than a quoted cell
        that holds line breaks."""
        if len(pending) < 2:
            return False
        width = len(self.header)
        cells = len(record)
        if cells > width and not any(c.strip() for c in record[width:]):
            cells = width
        return cells != width or sum(line.count('"') for line in pending) % 2 == 1

    @staticmethod
    def _again(lines: _Lines, first: int, offset: int, pending: list[str]) -> tuple[int, int]:
        """Hand the lines of ``pending`` after its first back to ``lines``; the line and
        offset the next record starts at."""
        rest, start = pending[1:], offset + len(pending[0])
        lines.pending.clear()  # ``pending`` may be this very list
        lines.read_again(first + 1, start, rest)
        return first + 1, start

    def _check(
        self, record: list[str], pending: list[str], span: range, lines: _Lines, number: int
    ) -> list[RowProblem]:
        path, width = str(self.path), len(self.header)
        if lines.nul and any(n in lines.nul for n in span):
            return [RowProblem(path, number, "contains NUL bytes (binary or damaged data)")]
        if lines.undecodable and any(n in lines.undecodable for n in span):
            why = f"has bytes that are not {self.encoding} text"
            return [RowProblem(path, number, why + " (set source.encoding in the mapping?)")]
        if len(record) > width and not any(c.strip() for c in record[width:]):
            del record[width:]  # trailing empty cells (a delimiter at the end of the line)
        if len(record) != width:
            why = "a broken line?" if len(record) < width else "an unquoted delimiter in a cell?"
            return [
                RowProblem(path, number, f"has {len(record)} cells, the header has {width} ({why})")
            ]
        if lines.mixed and any(n in lines.mixed for n in span):
            why = "is not UTF-8 like the rest of the file: read as Windows-1252"
            return [RowProblem(path, number, why, level="warning")]
        return []


def unnamed_column(name: str, index: int) -> bool:
    """Whether ``name`` is what the reader calls the column at ``index`` (from 0)
    when its header cell is empty."""
    return name == f"column {index + 1}"


def _clean_header(
    cells: list[str], path: str, sheet: str | None, problems: list[RowProblem]
) -> list[str]:
    header: list[str] = []
    for i, cell in enumerate(cells, start=1):
        name = " ".join(str(cell).replace("\x00", "").split()) or f"column {i}"
        if name in header:
            problems.append(
                RowProblem(
                    path,
                    None,
                    f"column '{name}' appears twice: the first is read",
                    sheet,
                    "warning",
                )
            )
            name = f"{name} ({i})"
        header.append(name)
    return header


# -- JSON and JSON lines --------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    """A JSON or workbook value as the text of a cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))  # phone numbers typed into number cells
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(_cell_text(v) for v in value if not isinstance(v, dict | list))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def flatten(obj: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """A JSON object as cells; nested objects give dotted columns (``caller.number``).

    >>> flatten({"a": {"b": 1}, "c": [1, 2]})
    {'a.b': '1', 'c': '1; 2'}
    """
    out: dict[str, str] = {}
    for k, v in obj.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and v:
            out.update(flatten(v, key + "."))
        else:
            out[key] = _cell_text(v)
    return out


class _JsonLinesSource:
    def __init__(self, path: Path, size: int, keep_text: int) -> None:
        self.path = path
        self.keep = size <= keep_text
        self.text: str | None = None
        self.problems: list[RowProblem] = []
        with open(path, "rb") as fh:
            sample = fh.read(_SAMPLE)
        if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise InputError(str(path), "JSON lines must be UTF-8 (this file is UTF-16)")
        keys: dict[str, None] = {}
        for n, item in enumerate(self._objects()):
            if isinstance(item, Row):
                keys.update(dict.fromkeys(item.cells))
            if n >= JSON_HEADER_SAMPLE:
                break
        if not keys:
            raise InputError(str(path), "no JSON object on any line: not JSON lines")
        self.header = list(keys)

    def _objects(self) -> Iterator[Row | RowProblem]:
        path = str(self.path)
        offset = 0
        parts: list[str] = []
        with open(self.path, "rb") as fh:
            for number, raw in enumerate(fh, start=1):
                if number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    line = raw.decode("utf-8", errors="replace")
                    yield RowProblem(path, number, f"not UTF-8 ({exc.reason} at byte {exc.start})")
                    offset = self._advance(parts, line, offset)
                    continue
                start = offset
                offset = self._advance(parts, line, offset)
                body = line.strip()
                if not body:
                    continue
                if "\x00" in body:
                    yield RowProblem(path, number, "contains NUL bytes (binary or damaged data)")
                    continue
                try:
                    obj = json.loads(body)
                except (json.JSONDecodeError, RecursionError) as exc:
                    why = getattr(exc, "msg", "nested too deeply")
                    yield RowProblem(path, number, f"not JSON ({why})")
                    continue
                if not isinstance(obj, dict):
                    yield RowProblem(path, number, f"a JSON {type(obj).__name__}, not an object")
                    continue
                end = start + len(line.rstrip("\r\n"))
                if self.keep:
                    yield Row(number, flatten(obj), None, (start, end), line.rstrip("\r\n"))
                else:
                    yield Row(number, flatten(obj))
        if self.keep:
            self.text = "".join(parts)

    def _advance(self, parts: list[str], line: str, offset: int) -> int:
        if self.keep:
            parts.append(line)
        return offset + len(line)

    def rows(self) -> Iterator[Row | RowProblem]:
        yield from self._objects()


class _JsonSource:
    def __init__(self, path: Path, size: int, records: str | None) -> None:
        if size > MAX_WHOLE_BYTES:
            raise InputError(
                str(path),
                f"a JSON file over {MAX_WHOLE_BYTES // 2**20} MB is read whole: "
                "convert it to JSON lines (one object per line), which is streamed",
            )
        self.path = path
        raw = path.read_bytes()
        try:
            doc = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise InputError(str(path), f"not UTF-8 ({exc.reason} at byte {exc.start})") from exc
        except json.JSONDecodeError as exc:
            raise InputError(str(path), f"not JSON: {exc.msg} at line {exc.lineno}") from exc
        except RecursionError as exc:
            raise InputError(str(path), "not JSON: nested too deeply") from exc
        items = doc
        for part in (records or "").split(".") if records else []:
            if not isinstance(items, dict) or part not in items:
                raise InputError(str(path), f"no '{records}' in the JSON (source.records)")
            items = items[part]
        if isinstance(items, dict) and records is None:
            lists = [k for k, v in items.items() if isinstance(v, list)]
            if len(lists) == 1:
                items = items[lists[0]]
        if not isinstance(items, list):
            raise InputError(
                str(path), "no list of records: set source.records to the key that holds it"
            )
        self.items = items
        keys: dict[str, None] = {}
        for item in items:
            if isinstance(item, dict):
                keys.update(dict.fromkeys(flatten(item)))
        if not keys:
            raise InputError(str(path), "the list holds no JSON objects")
        self.header = list(keys)

    def rows(self) -> Iterator[Row | RowProblem]:
        for number, item in enumerate(self.items, start=1):
            if not isinstance(item, dict):
                yield RowProblem(
                    str(self.path), number, f"a JSON {type(item).__name__}, not an object"
                )
                continue
            yield Row(number, flatten(item))


# -- workbooks ----------------------------------------------------------------------------


def check_workbook(data: bytes, *, path: str | Path) -> None:
    """Refuse a workbook that is a zip bomb or whose XML declares entities (an XML
    bomb); an office file never needs a DTD. Raises :class:`InputError`."""
    try:
        archive = check_zip(data, path=path, what="XLSX workbook")
    except ReadError as exc:
        raise InputError(str(path), exc.reason) from exc
    with archive:
        for info in archive.infolist():
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                with archive.open(info) as fh:
                    head = fh.read(4096)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                raise InputError(
                    str(path), f"damaged workbook part '{info.filename}': {exc}"
                ) from exc
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise InputError(
                    str(path),
                    f"refused: workbook part '{info.filename[:80]}' declares XML entities "
                    "(a possible XML bomb); not read",
                )


class _WorkbookSource:
    def __init__(self, path: Path, size: int, sheet: str | None, header_row: int) -> None:
        if size > MAX_WHOLE_BYTES:
            raise InputError(
                str(path), f"workbook over {MAX_WHOLE_BYTES // 2**20} MB: export it to CSV"
            )
        import openpyxl

        self.path = path
        self.problems: list[RowProblem] = []
        data = path.read_bytes()
        check_workbook(data, path=path)
        try:
            self.book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a damaged file
            raise InputError(
                str(path), f"not a readable XLSX workbook ({type(exc).__name__}: {exc})"
            ) from exc
        names = list(self.book.sheetnames)
        if sheet is not None and sheet not in names:
            raise InputError(
                str(path), f"no sheet '{sheet}' (source.sheet); the sheets are: {', '.join(names)}"
            )
        self.header_row = header_row
        self.sheets: list[Sheet] = []
        for name in [sheet] if sheet else names:
            ws = self.book[name]
            header = None
            for values in ws.iter_rows(min_row=header_row, max_row=header_row, values_only=True):
                header = [_cell_text(v) for v in values]
            while header and not header[-1]:
                header.pop()
            if not header:
                self.problems.append(
                    RowProblem(str(path), None, "empty sheet: skipped", name, "warning")
                )
                continue
            self.sheets.append(Sheet(name, _clean_header(header, str(path), name, self.problems)))
        if not self.sheets:
            raise InputError(str(path), "no sheet has a header row")

    def rows(self, sheet: str | None) -> Iterator[Row | RowProblem]:
        target = next((s for s in self.sheets if s.name == sheet), self.sheets[0])
        ws = self.book[target.name]
        width = len(target.header)
        for number, values in enumerate(
            ws.iter_rows(min_row=self.header_row + 1, values_only=True), start=self.header_row + 1
        ):
            cells = [_cell_text(v) for v in values]
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                extra = sum(1 for c in cells[width:] if c.strip())
                yield RowProblem(
                    str(self.path), number, f"{extra} filled cell(s) right of the header's last column (ignored)",
                    target.name, "warning",
                )  # fmt: skip
            row = dict(zip(target.header, cells, strict=False))
            for name in target.header[len(cells) :]:
                row[name] = ""
            yield Row(number, row, target.name)

    def close(self) -> None:
        self.book.close()
