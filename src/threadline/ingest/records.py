"""Person records from a plain CSV file with a small column map.

``name=full_name,dob=birth_date,doc=passport`` says which column holds which
field (:data:`~threadline.model.person_record.RECORD_FIELDS`); a field left out
is read from a column of its own name when there is one. Each row becomes a
:class:`~threadline.model.person_record.PersonRecord` and a PERSON mention of the
file (plus one per alias), so records resolve with the names found in text.

The file is stored as a document like any other: its text is the file's content
as decoded, untouched, and each mention's span is the name's cell in it, so the
quote of a record's evidence is the name exactly as the file writes it (the row
is in the evidence too). Rows count the header as row 1, as a spreadsheet shows
them.

A bad row (missing name, impossible date, a value of the wrong type, an id seen
before) is reported with the file and row and left out; the other rows are
imported, all in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from threadline.errors import InputError
from threadline.ingest.readers import ReadError, decode_bytes
from threadline.model import Document, Mention, content_id
from threadline.model.person_record import RECORD_FIELDS, PersonRecord
from threadline.model.vocabulary import RECORDS_KIND
from threadline.store import Workspace

#: Alias cells may hold several names, separated by one of these.
ALIAS_SEPARATORS = re.compile(r"\s*[;|]\s*")
#: Record files over this many bytes are refused.
MAX_RECORD_BYTES = 1024 * 1024 * 1024
_EARLIEST_BIRTH = dt.date(1900, 1, 1)
_DATE_FORMATS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("y", "m", "d")),
    (re.compile(r"(\d{4})(\d{2})(\d{2})"), ("y", "m", "d")),
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"), ("d", "m", "y")),
    (re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"), ("y", "m", "d")),
)
_PHONE = re.compile(r"\+?[\d\s().-]+")
_DOC = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./-]*")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


@dataclass(frozen=True)
class ColumnMap:
    """Which column(s) of the file hold each record field; ``alias`` may name several."""

    columns: dict[str, tuple[str, ...]]

    def get(self, fieldname: str) -> tuple[str, ...]:
        return self.columns.get(fieldname, ())


def parse_column_map(specs: Iterable[str]) -> ColumnMap:
    """``["name=full_name,dob=birth_date", "alias=aka"]`` -> a :class:`ColumnMap`.

    >>> parse_column_map(["name=full_name,alias=aka1", "alias=aka2"]).columns
    {'name': ('full_name',), 'alias': ('aka1', 'aka2')}

    Raises ``ValueError`` naming a part that is not ``FIELD=COLUMN`` or a field
    threadline does not know.
    """
    columns: dict[str, tuple[str, ...]] = {}
    for spec in specs:
        for part in filter(None, (p.strip() for p in spec.split(","))):
            fieldname, sep, column = (s.strip() for s in part.partition("="))
            if not sep or not fieldname or not column:
                raise ValueError(f"'{part}' is not FIELD=COLUMN (e.g. name=full_name)")
            if fieldname not in RECORD_FIELDS:
                raise ValueError(
                    f"unknown field '{fieldname}' in '{part}': use {', '.join(RECORD_FIELDS)}"
                )
            if fieldname != "alias" and fieldname in columns:
                raise ValueError(f"field '{fieldname}' is mapped twice")
            columns[fieldname] = (*columns.get(fieldname, ()), column)
    return ColumnMap(columns)


@dataclass(frozen=True)
class RowProblem:
    """A row left out of the import, and why."""

    path: str
    row: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}, row {self.row}: {self.reason}"


@dataclass
class RecordFile:
    """A record file as read: its text, the good rows as records and mentions, the bad rows."""

    path: str
    sha256: str
    text: str
    encoding: str
    records: list[PersonRecord] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def document_id(self) -> str:
        return f"d{self.sha256[:12]}"


# -- values ---------------------------------------------------------------------


def parse_birth_date(value: str, *, today: dt.date | None = None) -> str:
    """A date of birth as ISO ``YYYY-MM-DD`` (or ``YYYY`` when only the year is given).

    Accepts ``1989-09-15``, ``19890915``, ``15/09/1989``, ``15.09.1989`` and
    ``1989``. Raises ``ValueError`` for what is not a date, an impossible one
    (30 February, month 13) and one outside 1900 to today.

    >>> parse_birth_date("15/09/1989")
    '1989-09-15'
    """
    today = today or dt.date.today()
    v = value.strip()
    if re.fullmatch(r"\d{4}", v):
        if not _EARLIEST_BIRTH.year <= int(v) <= today.year:
            raise ValueError(f"date of birth '{value}' is outside 1900 to {today.year}")
        return v
    for pattern, order in _DATE_FORMATS:
        m = pattern.fullmatch(v)
        if m is None:
            continue
        parts = dict(zip(order, (int(g) for g in m.groups()), strict=True))
        try:
            date = dt.date(parts["y"], parts["m"], parts["d"])
        except ValueError:
            raise ValueError(f"date of birth '{value}' is impossible") from None
        if not _EARLIEST_BIRTH <= date <= today:
            raise ValueError(f"date of birth '{value}' is outside 1900 to today")
        return date.isoformat()
    raise ValueError(f"date of birth '{value}' is not a date (use YYYY-MM-DD)")


def _check_name(value: str, what: str) -> str:
    if not any(c.isalpha() for c in value):
        raise ValueError(f"{what} '{value}' has no letters")
    if sum(c.isdigit() for c in value) > 1:
        raise ValueError(f"{what} '{value}' holds digits, not a name")
    return value


def _check_phone(value: str) -> str:
    digits = sum(c.isdigit() for c in value)
    if not _PHONE.fullmatch(value) or not 6 <= digits <= 15:
        raise ValueError(f"phone '{value}' is not a phone number")
    return value


def _check_doc(value: str) -> str:
    if not _DOC.fullmatch(value):
        raise ValueError(f"document number '{value}' has characters no document number has")
    number = re.sub(r"[^A-Za-z0-9]", "", value).upper()
    if len(number) < 4:
        raise ValueError(f"document number '{value}' is too short")
    return number


# -- CSV with offsets -------------------------------------------------------------


def _rows(
    text: str, dialect: type[csv.Dialect] | csv.Dialect
) -> Iterator[tuple[list[str], int, int]]:
    """``(cells, start, end)`` per CSV record; ``start:end`` is its text, line break excluded."""
    consumed = 0

    def feed() -> Iterator[str]:
        nonlocal consumed
        for m in _LINE.finditer(text):
            line = m.group()
            consumed += len(line)
            yield line

    reader = csv.reader(feed(), dialect)
    while True:
        start = consumed
        try:
            cells = next(reader)
        except StopIteration:
            return
        end = consumed
        while end > start and text[end - 1] in "\r\n":
            end -= 1
        yield cells, start, end


def _cell_spans(raw: str, delimiter: str, quote: str = '"') -> list[tuple[int, int]]:
    """Where each cell's content sits in one CSV record's text (quotes excluded)."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(raw)
    while True:
        if i < n and raw[i] == quote:
            j = i + 1
            while j < n:
                if raw[j] == quote:
                    if j + 1 < n and raw[j + 1] == quote:
                        j += 2
                        continue
                    break
                j += 1
            spans.append((i + 1, j))
            k = raw.find(delimiter, j)
        else:
            k = raw.find(delimiter, i)
            spans.append((i, n if k == -1 else k))
        if k == -1:
            return spans
        i = k + 1


def _sniff(text: str, delimiter: str | None) -> csv.Dialect | type[csv.Dialect]:
    if delimiter:
        if len(delimiter) != 1:
            raise ValueError(f"delimiter '{delimiter}' is not one character")

        class Given(csv.excel):
            pass

        Given.delimiter = delimiter
        return Given
    try:
        return csv.Sniffer().sniff(text[:65536], delimiters=",;\t|")
    except csv.Error:
        return csv.excel


# -- reading ----------------------------------------------------------------------


def read_record_file(
    path: str | Path,
    columns: ColumnMap,
    *,
    data: bytes | None = None,
    delimiter: str | None = None,
    today: dt.date | None = None,
) -> RecordFile:
    """Read and check a CSV of person records; bad rows go to ``problems``.

    Raises :class:`~threadline.errors.InputError` when the whole file is unusable:
    unreadable, not text, no header, a mapped column the header lacks, no name
    column.
    """
    path = Path(path)
    try:
        raw = path.read_bytes() if data is None else data
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    if len(raw) > MAX_RECORD_BYTES:
        raise InputError(str(path), "file too large for a record file (over 1 GB)")
    try:
        text, encoding = decode_bytes(raw, path=path)
    except ReadError as exc:
        raise InputError(str(path), exc.reason) from exc
    out = RecordFile(str(path), hashlib.sha256(raw).hexdigest(), text, encoding)
    try:
        dialect = _sniff(text, delimiter)
    except ValueError as exc:
        raise InputError(str(path), str(exc)) from exc
    rows = _rows(text, dialect)
    header_row = next(rows, None)
    if header_row is None or not any(c.strip() for c in header_row[0]):
        raise InputError(str(path), "no header row: the first row must name the columns")
    header = [c.strip() for c in header_row[0]]
    index = _column_index(str(path), header, columns)
    seen_ids: dict[str, int] = {}
    delim = str(dialect.delimiter)
    for number, (cells, start, end) in enumerate(rows, start=2):
        if not any(c.strip() for c in cells):
            continue  # a blank line
        try:
            if len(cells) != len(header):
                raise ValueError(f"has {len(cells)} cells, the header has {len(header)}")
            record, mentions = _record(out, number, cells, (start, end), index, delim, today)
        except ValueError as exc:
            out.problems.append(RowProblem(str(path), number, str(exc)))
            continue
        if record.source_id in seen_ids:
            out.problems.append(
                RowProblem(
                    str(path),
                    number,
                    f"duplicate id '{record.source_id}' (first at row {seen_ids[record.source_id]})",
                )
            )
            continue
        seen_ids[record.source_id] = number
        out.records.append(record)
        out.mentions.extend(mentions)
    return out


def _column_index(path: str, header: list[str], columns: ColumnMap) -> dict[str, list[int]]:
    """Field -> column positions; unmapped fields fall back to a column of their own name."""
    lower = {h.casefold(): i for i, h in enumerate(header)}
    index: dict[str, list[int]] = {}
    for fieldname in RECORD_FIELDS:
        wanted = columns.get(fieldname)
        if wanted:
            missing = [c for c in wanted if c.casefold() not in lower]
            if missing:
                raise InputError(
                    path,
                    f"no column '{missing[0]}' (for {fieldname}); the header has: "
                    f"{', '.join(header)}",
                )
            index[fieldname] = [lower[c.casefold()] for c in wanted]
        elif fieldname.casefold() in lower:
            index[fieldname] = [lower[fieldname.casefold()]]
    if "name" not in index and "given" not in index and "family" not in index:
        raise InputError(
            path,
            "no name column: map one with --map name=COLUMN (or given=... and family=...)",
        )
    return index


def _record(
    file: RecordFile,
    row: int,
    cells: list[str],
    span: tuple[int, int],
    index: dict[str, list[int]],
    delimiter: str,
    today: dt.date | None,
) -> tuple[PersonRecord, list[Mention]]:
    """One row as a record and its mentions; ``ValueError`` says what is wrong with it."""

    def value(fieldname: str) -> str | None:
        for i in index.get(fieldname, []):
            v = cells[i].strip()
            if v:
                return v
        return None

    raw = file.text[span[0] : span[1]]
    spans = _cell_spans(raw, delimiter)
    given, family = value("given"), value("family")
    name = value("name") or " ".join(p for p in (given, family) if p)
    if not name:
        raise ValueError("missing name")
    _check_name(name, "name")
    aliases: list[str] = []
    for i in index.get("alias", []):
        for alias in ALIAS_SEPARATORS.split(cells[i].strip()):
            if alias and alias not in aliases and alias != name:
                aliases.append(_check_name(alias, "alias"))
    dob_raw, phone, doc_raw = value("dob"), value("phone"), value("doc")
    dob = parse_birth_date(dob_raw, today=today) if dob_raw else None
    doc = _check_doc(doc_raw) if doc_raw else None
    if phone:
        _check_phone(phone)
    source_id = value("id") or str(row)
    doc_id = file.document_id
    name_column = index["name"][0] if value("name") else None
    mention = _mention(
        doc_id, row, "name", 0, name, span, raw, spans, name_column, {"record": source_id}
    )
    mentions = [mention]
    for n, alias in enumerate(aliases):
        where = next((i for i in index.get("alias", []) if alias in cells[i]), None)
        mentions.append(
            _mention(
                doc_id,
                row,
                "alias",
                n,
                alias,
                span,
                raw,
                spans,
                where,
                {"record": source_id, "alias": True},
            )
        )
    record = PersonRecord(
        id=content_id("r", file.sha256, row),
        document=doc_id,
        row=row,
        source_id=source_id,
        name=name,
        mention=mention.id,
        given=given,
        family=family,
        aliases=tuple(aliases),
        alias_mentions=tuple(m.id for m in mentions[1:]),
        dob=dob,
        nationality=value("nationality"),
        address=value("address"),
        phone=phone,
        doc_number=doc,
    )
    return record, mentions


def _mention(
    doc_id: str,
    row: int,
    kind: str,
    n: int,
    name: str,
    span: tuple[int, int],
    raw: str,
    spans: list[tuple[int, int]],
    column: int | None,
    attrs: dict[str, object],
) -> Mention:
    """A PERSON mention whose span is ``name`` in its cell, or the whole row when the
    name is not written there as one piece (given and family in two columns)."""
    start, end = span
    if column is not None and column < len(spans):
        cs, ce = spans[column]
        at = raw.find(name, cs, ce)
        if at != -1:
            start, end = span[0] + at, span[0] + at + len(name)
    return Mention(
        id=content_id("m", doc_id, "record", row, kind, n),
        document=doc_id,
        start=start,
        end=end,
        text=name,
        label="PERSON",
        extractor="records",
        confidence=1.0,
        key=name,
        segment="record",
        attrs={**attrs, "row": row},
    )


# -- importing --------------------------------------------------------------------


@dataclass
class RecordImport:
    """What one import did: the document, how many records, which rows were left out."""

    document: str
    path: str
    records: int
    problems: list[RowProblem] = field(default_factory=list)
    already_imported: bool = False


def import_record_file(
    ws: Workspace,
    path: str | Path,
    columns: ColumnMap,
    *,
    delimiter: str | None = None,
    today: dt.date | None = None,
) -> RecordImport:
    """Read a record file and store it, its good rows and their mentions in one transaction.

    The file is stored once under its SHA-256: importing the same bytes again adds
    nothing (``already_imported``). Bad rows are returned in ``problems``.
    """
    from threadline.store import records as record_store

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    file = read_record_file(path, columns, data=data, delimiter=delimiter, today=today)
    existing = ws.has_document(file.sha256)
    if existing:
        return RecordImport(existing, file.path, 0, file.problems, already_imported=True)
    doc = Document(
        id=file.document_id,
        sha256=file.sha256,
        source=str(path),
        kind=RECORDS_KIND,
        text=file.text,
        encoding=file.encoding,
        title=Path(path).name,
    )
    ws.put_blob(data)  # content-addressed: a copy without its row is harmless
    with ws.transaction():
        ws.add_document(doc)
        record_store.add_records(ws, file.records, file.mentions)
    return RecordImport(doc.id, file.path, len(file.records), file.problems)
