"""Call detail records: millions of calls read, checked and aggregated in DuckDB.

Needs: a mapping with ``calls`` (caller, callee, start, optional duration and
subscriber names) and a CSV/TSV, JSON lines, JSON or XLSX file.
Produces: a :class:`CallReading` whose accepted calls (numbers normalised, start
as a timestamp, duration in seconds) go into the workspace's ``calls`` table,
the refused rows with their reasons, and the names the file itself gives for
numbers; then :func:`rebuild_call_ties` turns the calls between numbers that
have an owner into ``communicated_with`` tie assertions with the call count,
first and last contact and total duration.

The engine is a private, in-process DuckDB with a memory limit that spills to a
temporary folder, so memory stays flat whatever the size of the file. A clean
UTF-8 CSV is read by DuckDB's own parser (the fast path); anything it refuses
(a ragged row, a broken quote, a stray encoding) is read again row by row by
:mod:`threadline.ingest.tabular`, which names each bad row. Both paths number
rows the same way, and all checks (phone numbers, times, durations) are SQL
written once (:mod:`threadline.ingest.values`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from threadline.errors import InputError, InvalidValueError
from threadline.extras import require
from threadline.ingest.mapped import PhoneOwner
from threadline.ingest.mapping import Mapping, check_columns
from threadline.ingest.report import RowRuns
from threadline.ingest.tabular import Row, RowProblem, open_table
from threadline.ingest.values import (
    clean_name,
    duration_sql,
    format_for_shape,
    phone_steps,
    shape_sql,
    time_fast_sql,
    time_parse_sql,
    time_text_sql,
    year_checked_sql,
)
from threadline.model import Assertion, Evidence, Mention, content_id
from threadline.store import Workspace
from threadline.store import mapped as store

EXTRACTOR = "calls"
#: Confidence of a tie read from call records between numbers with known owners.
CALL_CONFIDENCE = 0.9
#: Memory the call engine may use before it spills to disk.
ENGINE_MEMORY = "768MB"
#: Rows sent to DuckDB at once by the row-by-row path.
CHUNK = 50_000
#: Layouts of time in one file settled one by one; more, and every format is tried per row.
MAX_SHAPES = 200
#: Rows from the start of a file (and one in 997 after) read to learn its layouts of time.
SAMPLE_ROWS = 20_000
#: Refused rows kept with their reason (the count of the rest is kept).
MAX_PROBLEMS = 100_000
_FIELDS = ("caller", "callee", "start", "duration", "caller_name", "callee_name")


@dataclass
class CallReading:
    """A call record file as read: the engine holding the checked calls, counts,
    refused rows, and the subscriber names the file gives."""

    path: str
    engine: CallEngine
    rows_read: int = 0
    accepted: int = 0
    refused: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    names: list[tuple[str, str, int, str | None]] = field(default_factory=list)
    fast_path: bool = False

    @property
    def tmpdir(self) -> str:
        return self.engine.tmpdir

    def close(self) -> None:
        self.engine.close()

    def accepted_runs(self) -> RowRuns:
        """The accepted rows as runs of consecutive row numbers (for the report)."""
        runs = RowRuns()
        for sheet, first, last in self.engine.rows(ACCEPTED_RUNS_SQL):
            runs.add_run(sheet, int(first), int(last))
        return runs


class CallEngine:
    """The stage's own engine: a private, in-process DuckDB with a memory limit that
    spills to a temporary folder. Every statement the stage runs on it is built by a
    pure function of this module (``*_sql``) and runs here; it never touches the
    workspace, which the store loads from the Parquet file the engine writes."""

    def __init__(self, threads: int | None = None) -> None:
        self.tmpdir = tempfile.mkdtemp(prefix="threadline-calls-")
        self._duckdb = duckdb.connect(":memory:")
        for statement, params in settings_sql(self.tmpdir, threads):
            self.run(statement, params)

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run a statement that returns nothing the stage reads."""
        self._duckdb.execute(sql, list(params))

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._duckdb.execute(sql, list(params)).fetchall()

    def load(self, table: str, data: Any) -> None:
        """Append an Arrow table to ``table`` (its columns in order)."""
        self._duckdb.register("tl_chunk", data)
        try:
            self.run(f"INSERT INTO {table} SELECT * FROM tl_chunk")
        finally:
            self._duckdb.unregister("tl_chunk")

    def close(self) -> None:
        with contextlib.suppress(duckdb.Error):
            self._duckdb.close()
        shutil.rmtree(self.tmpdir, ignore_errors=True)


# -- the engine's statements (pure: text in, SQL out) ---------------------------------------

#: The accepted rows as runs of consecutive row numbers, per sheet.
ACCEPTED_RUNS_SQL = """SELECT sheet, min(row_), max(row_) FROM (
       SELECT sheet, row_, row_ - row_number() OVER (PARTITION BY sheet ORDER BY row_) AS g
       FROM checked WHERE reason IS NULL)
   GROUP BY sheet, g ORDER BY sheet NULLS FIRST, 2"""

#: The rows of the row-by-row path, as they are staged before the checks.
STAGING_SQL = (
    "CREATE TABLE staging (row_ BIGINT, sheet VARCHAR, caller VARCHAR, "
    "callee VARCHAR, start VARCHAR, duration VARCHAR, caller_name VARCHAR, "
    "callee_name VARCHAR)"
)

#: Rows read and rows accepted.
COUNTS_SQL = "SELECT count(*), count(*) FILTER (WHERE reason IS NULL) FROM checked"

#: The refused rows with their reason, at most :data:`MAX_PROBLEMS`.
PROBLEMS_SQL = (
    "SELECT row_, sheet, reason FROM checked WHERE reason IS NOT NULL "
    f"ORDER BY sheet, row_ LIMIT {MAX_PROBLEMS}"
)


def settings_sql(tmpdir: str, threads: int | None) -> list[tuple[str, list[Any]]]:
    """The engine's settings: memory cap, where it spills, row order kept, threads."""
    out: list[tuple[str, list[Any]]] = [
        (f"SET memory_limit = '{ENGINE_MEMORY}'", []),
        ("SET temp_directory = ?", [tmpdir]),
        ("SET preserve_insertion_order = true", []),
    ]
    if threads:
        out.append((f"SET threads = {int(threads)}", []))
    return out


def _document_literal(document: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_-]+", document):
        raise InvalidValueError("document", f"{document!r} is not a document id")
    return f"'{document}'"


def _path_literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def accepted_calls_sql(document: str) -> str:
    """The accepted calls of ``document`` in the columns of the workspace's ``calls``."""
    return (
        f"SELECT {_document_literal(document)} AS document, row_, sheet, caller, callee, "
        "start_, duration FROM checked WHERE reason IS NULL"
    )


def export_sql(document: str, target: Path) -> str:
    """Write :func:`accepted_calls_sql` to a Parquet file."""
    return f"COPY ({accepted_calls_sql(document)}) TO {_path_literal(target)} (FORMAT parquet)"


def names_sql(side: str) -> str:
    """The names the file gives for the numbers of ``side`` (caller or callee), with the
    first row that gives each."""
    if side not in ("caller", "callee"):
        raise InvalidValueError("side", f"{side!r} is not caller or callee")
    return f"""SELECT {side}, trim({side}_name), min(row_), min(sheet) FROM checked
        WHERE reason IS NULL AND coalesce(trim({side}_name), '') <> ''
        GROUP BY 1, 2 ORDER BY 3"""


def read_calls(
    path: str | Path,
    mapping: Mapping,
    *,
    fast: bool = True,
    threads: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> CallReading:
    """Read and check the calls of ``path``; the caller closes the reading.

    Raises :class:`~threadline.errors.InputError` for a file that cannot be read
    at all (empty, binary, a zip bomb, a mapped column missing from the header).
    """
    assert mapping.calls is not None
    require("pyarrow", "records", "reading call records")
    p = Path(path)
    fmt = mapping.format_for(p)
    src = mapping.source
    table = open_table(
        p,
        fmt,
        delimiter=src.delimiter,
        encoding=src.encoding,
        sheet=src.sheet,
        records=src.records,
        header_row=src.header_row,
        keep_text=0,
    )
    usable = []
    for sheet in table.sheets:
        try:
            check_columns(mapping, sheet.header, path=str(p), sheet=sheet.name)
        except InputError:
            if len(table.sheets) == 1 or src.sheet:
                table.close()
                raise
            table.problems.append(
                RowProblem(
                    str(p),
                    None,
                    "sheet skipped: it lacks the mapped columns",
                    sheet.name,
                    "warning",
                )
            )
            continue
        usable.append(sheet)
    if not usable:
        table.close()
        check_columns(mapping, table.sheets[0].header, path=str(p), sheet=table.sheets[0].name)
    engine = CallEngine(threads)
    reading = CallReading(str(p), engine, problems=list(table.problems))
    try:
        header = usable[0].header
        if fast and fmt in ("csv", "tsv") and _fast_path_fits(p, table, src.header_row):
            reading.fast_path = _read_fast(engine, p, table.delimiter or ",", header, mapping)
        if not reading.fast_path:
            engine.run(STAGING_SQL)
            for sheet in usable:
                _read_rows(engine, table, sheet.name, mapping, reading, progress)
            engine.run(checked_sql(mapping, "staging", _sample_formats(engine, "staging", mapping)))
            engine.run("DROP TABLE staging")
        _collect(reading, mapping)
    except BaseException:
        table.close()
        reading.close()
        raise
    table.close()
    return reading


def _fast_path_fits(path: Path, table: Any, header_row: int) -> bool:
    """DuckDB's reader numbers rows like ours when the header is the first line of a
    UTF-8 file."""
    if header_row != 1 or table.encoding not in ("utf-8", "utf-8-sig"):
        return False
    with open(path, "rb") as fh:
        first = fh.readline().removeprefix(b"\xef\xbb\xbf")
    return bool(first.strip())


def _read_fast(
    engine: CallEngine, path: Path, delimiter: str, header: list[str], mapping: Mapping
) -> bool:
    """Read, normalise and check the whole file in one DuckDB statement (strict CSV);
    False when DuckDB refuses the file, which is then read row by row."""
    source = fast_source_sql(path, delimiter, header, mapping)
    try:
        sample = f"(SELECT * FROM {source} LIMIT {SAMPLE_ROWS})"
        engine.run(checked_sql(mapping, source, _sample_formats(engine, sample, mapping)))
    except duckdb.Error:
        engine.run("DROP TABLE IF EXISTS checked")
        return False
    return True


def fast_source_sql(path: Path, delimiter: str, header: list[str], mapping: Mapping) -> str:
    """The rows of a clean UTF-8 CSV as DuckDB's strict reader gives them, numbered like
    the row-by-row path, in the staged columns."""
    calls = mapping.calls
    assert calls is not None
    spec = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header))) + "}"
    pick = []
    for name in _FIELDS:
        v = getattr(calls, name)
        col = f"c{header.index(v.column)}" if v is not None and v.column in header else "NULL"
        pick.append(f"{col} AS {name}")
    reader = (
        f"read_csv({_path_literal(path)}, header = false, skip = 1, auto_detect = false, "
        f"columns = {spec}, delim = '{delimiter}', quote = '\"', escape = '\"', "
        "strict_mode = true, encoding = 'utf-8')"
    )
    return (
        f"(SELECT row_number() OVER () + 1 AS row_, CAST(NULL AS VARCHAR) AS sheet, "
        f"{', '.join(pick)} FROM {reader})"
    )


def _sample_formats(engine: CallEngine, source: str, mapping: Mapping) -> list[str]:
    """The layouts of time a file uses, learnt from its first rows (and one in 997 after,
    when they are staged): tried first on every row, before every other format."""
    calls = mapping.calls
    assert calls is not None
    if calls.start.format is not None:
        return []
    samples = engine.rows(shapes_sql(source))
    order = mapping.source.date_order
    found = (format_for_shape(list(dict.fromkeys(r[1:])), date_order=order) for r in samples)
    return [f for f in found if f and f != "epoch"][:MAX_SHAPES]


def shapes_sql(source: str) -> str:
    """The layouts of the start times of ``source`` (first rows, and one in 997 after),
    each with examples."""
    return f"""SELECT {shape_sql("start")} AS s, first(start), min(start), max(start)
        FROM {source}
        WHERE start IS NOT NULL AND (row_ <= {SAMPLE_ROWS} OR row_ % 997 = 0)
        GROUP BY s LIMIT {MAX_SHAPES + 1}"""


def _read_rows(
    engine: CallEngine,
    table: Any,
    sheet: str | None,
    mapping: Mapping,
    reading: CallReading,
    progress: Callable[[int], None] | None,
) -> None:
    import pyarrow as pa

    calls = mapping.calls
    assert calls is not None
    specs = [getattr(calls, name) for name in _FIELDS]
    cols: list[list[Any]] = [[] for _ in range(2 + len(specs))]

    def flush() -> None:
        if not cols[0]:
            return
        names = ["row_", "sheet", *_FIELDS]
        chunk = pa.table(
            {
                n: pa.array(c, type=pa.int64() if n == "row_" else pa.string())
                for n, c in zip(names, cols, strict=True)
            }
        )
        engine.load("staging", chunk)
        for c in cols:
            c.clear()
        if progress:
            progress(reading.rows_read)

    for item in table.rows(sheet):
        if isinstance(item, RowProblem):
            if item.level == "error":
                reading.rows_read += 1
            _keep(reading, item)
            continue
        assert isinstance(item, Row)
        reading.rows_read += 1
        cols[0].append(item.number)
        cols[1].append(item.sheet)
        for i, v in enumerate(specs, start=2):
            cols[i].append(item.cells.get(v.column or "") if v is not None else None)
        if len(cols[0]) >= CHUNK:
            flush()
    flush()


def _keep(reading: CallReading, problem: RowProblem) -> None:
    if len(reading.problems) < MAX_PROBLEMS:
        reading.problems.append(problem)


def checked_sql(mapping: Mapping, source: str, formats: list[str]) -> str:
    """Normalise and check every staged row in SQL; ``reason`` says why one is refused.

    Successive projections, each step's column read by the next (no expression is
    written twice), over the staged rows with their time's text and layout."""
    calls = mapping.calls
    assert calls is not None
    cc = mapping.source.country_code
    order = mapping.source.date_order
    fmt = calls.start.format
    if fmt is not None:
        start = time_parse_sql(time_text_sql("start", strip_z=False), fmt=fmt, checked=False)
    else:  # the file's own few layouts first, every format only for what they miss
        start = time_fast_sql("start", formats, date_order=order)
    a_strip, a_body, a_check = phone_steps("caller", cc)
    b_strip, b_body, b_check = phone_steps("callee", cc)

    def on(expr: str, column: str, new: str) -> str:
        """``expr`` written for column ``p`` or ``q``, read from ``column`` instead."""
        return re.sub(rf"\b{new}\b", column, expr)

    def shown(col: str) -> str:
        return f"'''' || left(replace({col}, chr(0), ''), 60) || ''''"

    return f"""CREATE TABLE checked AS
            WITH s1 AS (
                SELECT row_, sheet, caller AS caller_raw, callee AS callee_raw,
                       start AS start_raw, duration AS duration_raw, caller_name, callee_name,
                       {a_strip} AS caller_p, {b_strip} AS callee_p,
                       {start} AS start_t, {duration_sql("duration")} AS duration
                FROM {source}),
            s2 AS (
                SELECT *, {on(a_body, "caller_p", "p")} AS caller_q,
                       {on(b_body, "callee_p", "p")} AS callee_q
                FROM s1),
            normalised AS (
                SELECT row_, sheet, caller_raw, callee_raw, start_raw, duration_raw,
                       caller_name, callee_name, {on(a_check, "caller_q", "q")} AS caller,
                       {on(b_check, "callee_q", "q")} AS callee,
                       {year_checked_sql("start_t")} AS start_, duration
                FROM s2)
            SELECT row_, sheet, caller, callee, start_, duration, caller_name, callee_name,
            CASE
                WHEN contains(caller_raw, chr(0)) OR contains(callee_raw, chr(0))
                    OR contains(start_raw, chr(0)) OR contains(duration_raw, chr(0))
                    THEN 'contains NUL bytes (binary or damaged data)'
                WHEN coalesce(trim(caller_raw), '') = '' THEN 'no caller number'
                WHEN caller IS NULL THEN 'caller ' || {shown("caller_raw")} || ' is not a phone number'
                WHEN coalesce(trim(callee_raw), '') = '' THEN 'no callee number'
                WHEN callee IS NULL THEN 'callee ' || {shown("callee_raw")} || ' is not a phone number'
                WHEN coalesce(trim(start_raw), '') = '' THEN 'no start time'
                WHEN start_ IS NULL THEN 'start ' || {shown("start_raw")} ||
                    ' is not a date and time, or an impossible one'
                WHEN coalesce(trim(duration_raw), '') <> '' AND duration IS NULL
                    THEN 'duration ' || {shown("duration_raw")} || ' is not seconds or H:MM:SS'
                WHEN caller = callee THEN 'a call from ' || caller || ' to itself'
            END AS reason
            FROM normalised"""


def _collect(reading: CallReading, mapping: Mapping) -> None:
    engine = reading.engine
    total, accepted = (int(n) for n in engine.rows(COUNTS_SQL)[0])
    if reading.fast_path:
        reading.rows_read = total  # else counted while reading (with the rows it refused)
    reading.accepted = accepted
    reading.refused = reading.rows_read - accepted
    for r, sheet, reason in engine.rows(PROBLEMS_SQL):
        _keep(reading, RowProblem(reading.path, int(r), reason, sheet))
    reading.problems.sort(key=lambda p: (p.sheet or "", p.row or 0))
    calls = mapping.calls
    assert calls is not None
    for side in ("caller", "callee"):
        if getattr(calls, f"{side}_name") is None:
            continue
        for number, name, first, sheet in engine.rows(names_sql(side)):
            reading.names.append((number, name, int(first), sheet))


# -- into the workspace -------------------------------------------------------------------


def subscriber_mentions(
    reading: CallReading, document: str
) -> tuple[list[Mention], list[PhoneOwner], list[RowProblem]]:
    """PERSON mentions (and phone owners) for the subscriber names the file gives, each at
    the first row that names the number's user."""
    mentions: list[Mention] = []
    owners: list[PhoneOwner] = []
    problems: list[RowProblem] = []
    seen: set[tuple[str, str]] = set()
    for number, raw, row, sheet in reading.names:
        try:
            name, warnings = clean_name(raw, what="subscriber name")
        except ValueError as exc:
            problems.append(
                RowProblem(reading.path, row, f"{exc} (not attributed)", sheet, "warning")
            )
            continue
        problems.extend(RowProblem(reading.path, row, w, sheet, "warning") for w in warnings)
        if (number, name) in seen:
            continue
        seen.add((number, name))
        m = Mention(
            id=content_id("m", document, "subscriber", number, name),
            document=document,
            start=0,
            end=0,
            text=name,
            label="PERSON",
            extractor=EXTRACTOR,
            confidence=0.95,
            key=name,
            segment="record",
            attrs={"row": row, "phone": number, **({"sheet": sheet} if sheet else {})},
        )
        mentions.append(m)
        owners.append(PhoneOwner(number, m.id, name, document, row, sheet))
    return mentions, owners, problems


def store_calls(ws: Workspace, reading: CallReading, document: str) -> int:
    """Copy the accepted calls into the workspace (call inside its transaction).

    The engine writes them to a Parquet file (multi-threaded, nothing through Python)
    that the store loads: a DuckDB workspace reads it itself, another backend in
    batches (:func:`threadline.store.mapped.add_calls_from_parquet`)."""
    target = Path(reading.tmpdir) / "calls.parquet"
    reading.engine.run(export_sql(document, target))
    try:
        store.add_calls_from_parquet(ws, target)
    finally:
        target.unlink(missing_ok=True)
    return reading.accepted


def format_duration(seconds: int) -> str:
    """``3723`` -> ``'1h 02m 03s'``.

    >>> format_duration(75)
    '1m 15s'
    """
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    if h:
        return f"{h}h {m:02d}m {s:02d}s"
    return f"{m}m {s:02d}s" if m else f"{s}s"


def rebuild_call_ties(ws: Workspace) -> int:
    """Replace every tie assertion drawn from call records: one per record file and
    pair of owned numbers (and pair of owners). Returns how many were made.

    The evidence is the pair's first call (file, sheet, row) with the facts the
    file states: number of calls each way, first and last call, total duration.
    """
    store.delete_assertions_of(ws, store.call_documents(ws))
    by_number: dict[str, list[store.Owner]] = {}
    for o in store.owners(ws):
        by_number.setdefault(o.number, []).append(o)
    rows: list[Assertion] = []
    for pair in store.owned_call_pairs(ws):
        for oa in _distinct(by_number.get(pair.a, [])):
            for ob in _distinct(by_number.get(pair.b, [])):
                if oa.mention == ob.mention or oa.name.casefold() == ob.name.casefold():
                    continue
                rows.append(_call_assertion(pair, oa, ob))
    ws.add_assertions(rows)
    return len(rows)


def _distinct(owners: list[Any]) -> list[Any]:
    """One owner per name (the first attribution is the evidence)."""
    seen: set[str] = set()
    out = []
    for o in owners:
        if o.name.casefold() not in seen:
            seen.add(o.name.casefold())
            out.append(o)
    return out


def _call_assertion(pair: Any, oa: Any, ob: Any) -> Assertion:
    first: dt.datetime = pair.first
    last: dt.datetime = pair.last
    detail = (
        f"{pair.calls} call{'s' if pair.calls != 1 else ''} ({pair.a_to_b} from {oa.name}, "
        f"{pair.b_to_a} from {ob.name}), {first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M}, "
        f"{format_duration(pair.duration)} in total"
    )
    facts = (
        ("calls", pair.calls),
        ("calls_a_to_b", pair.a_to_b),
        ("calls_b_to_a", pair.b_to_a),
        ("first_contact", first.isoformat()),
        ("last_contact", last.isoformat()),
        ("duration_seconds", pair.duration),
        ("number_a", pair.a),
        ("number_b", pair.b),
    )
    evidence = Evidence(
        pair.document,
        0,
        0,
        "",
        EXTRACTOR,
        CALL_CONFIDENCE,
        row=pair.first_row,
        sheet=pair.sheet,
        facts=facts,
    )
    return Assertion(
        content_id("a", "calls", pair.document, pair.a, pair.b, oa.mention, ob.mention),
        pair.document,
        "tie",
        "communicated_with",
        oa.mention,
        ob.mention,
        detail,
        evidence,
    )
