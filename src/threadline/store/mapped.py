"""SQL for records read through mappings (schema version 9): their sources and
versions, every call of a call detail record, and who uses which phone number.

``record_sources`` says which mapping read each record file and which version of
its source path it is (a changed file is a new version; both are kept).
``calls`` holds one row per call (the file's row, numbers normalised, start time
and duration), so any time window can be asked about. ``phone_owners`` holds
each attribution of a number to a person, by a record's row or an analyst's
statement, with the mention that names the person.

Rows of a document that has been retracted are never read (every query joins
``documents``) and are purged by :func:`purge_orphans`. Call writers inside a
transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from threadline.store.dialect import Params
from threadline.store.workspace import Workspace

_TABLES = ("record_sources", "calls", "phone_owners")


@dataclass(frozen=True)
class RecordSource:
    """One record file as read: by which mapping, which version of its path."""

    document: str
    source: str
    format: str
    mapping_name: str | None
    mapping_sha256: str
    mapping: str
    version: int
    previous: str | None
    rows_read: int
    accepted: int
    rejected: int
    warnings: int
    ingested_at: str


@dataclass(frozen=True)
class CallPair:
    """The calls between two numbers (``a < b``) in one record file and time window."""

    document: str
    a: str
    b: str
    calls: int
    a_to_b: int
    first: dt.datetime
    last: dt.datetime
    duration: int
    first_row: int
    sheet: str | None

    @property
    def b_to_a(self) -> int:
        return self.calls - self.a_to_b


@dataclass(frozen=True)
class Owner:
    number: str
    mention: str
    name: str
    document: str
    row: int | None
    sheet: str | None
    origin: str


def add_source(ws: Workspace, s: RecordSource) -> None:
    ws.con.execute(
        "INSERT INTO record_sources (document, source, format, mapping_name, mapping_sha256, "
        "mapping, version, previous, rows_read, accepted, rejected, warnings, ingested_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        [
            s.document,
            s.source,
            s.format,
            s.mapping_name,
            s.mapping_sha256,
            s.mapping,
            s.version,
            s.previous,
            s.rows_read,
            s.accepted,
            s.rejected,
            s.warnings,
            s.ingested_at,
        ],
    )


def sources(ws: Workspace, *, source: str | None = None) -> list[RecordSource]:
    """Record files read through mappings (those of one ``source`` path), oldest first."""
    query = (
        "SELECT r.document, r.source, r.format, r.mapping_name, r.mapping_sha256, r.mapping, "
        "r.version, r.previous, r.rows_read, r.accepted, r.rejected, r.warnings, r.ingested_at "
        "FROM record_sources r JOIN documents d ON d.id = r.document"
    )
    p = Params()
    if source is not None:
        query += f" WHERE r.source = {p(source)}"
    rows = ws.con.execute(query + " ORDER BY r.source, r.version", p.values).fetchall()
    return [RecordSource(*r) for r in rows]


def source_of(ws: Workspace, document: str) -> RecordSource | None:
    found = [s for s in sources(ws) if s.document == document]
    return found[0] if found else None


def delete_rows_of(ws: Workspace, document: str) -> None:
    """Forget what this module stores for ``document`` (its facts are re-read)."""
    for table in _TABLES:
        ws.con.execute(f"DELETE FROM {table} WHERE document = $1", [document])


def purge_orphans(ws: Workspace) -> None:
    """Remove rows of documents that were retracted."""
    for table in _TABLES:
        ws.con.execute(f"DELETE FROM {table} WHERE document NOT IN (SELECT id FROM documents)")


# -- phone owners --------------------------------------------------------------------


def add_owners(ws: Workspace, owners: Iterable[Any]) -> None:
    """Store :class:`~threadline.ingest.mapped.PhoneOwner` rows."""
    rows = [
        [o.number, o.mention, o.name, o.document, o.row, o.sheet, None, None, o.origin]
        for o in owners
    ]
    if rows:
        ws._insert_many(
            "INSERT INTO phone_owners (number, mention, name, document, row_, sheet, "
            "valid_from, valid_to, origin)",
            rows,
        )


def owners(ws: Workspace) -> list[Owner]:
    """Every attribution of a number to a person, from documents still in the workspace."""
    rows = ws.con.execute(
        "SELECT o.number, o.mention, o.name, o.document, o.row_, o.sheet, o.origin "
        "FROM phone_owners o JOIN documents d ON d.id = o.document "
        "ORDER BY o.number, d.ingested_at, o.document, o.row_"
    ).fetchall()
    return [Owner(*r) for r in rows]


# -- calls ----------------------------------------------------------------------------


#: Memory a DuckDB workspace may use while it takes in a file of calls.
CALLS_MEMORY = "768MB"
CALL_COLUMNS = "document, row_, sheet, caller, callee, start_, duration"


def add_calls(ws: Workspace, rows: Sequence[Sequence[Any]]) -> None:
    """Insert calls, each ``(document, row, sheet, caller, callee, start, duration)``."""
    ws._insert_many(f"INSERT INTO calls ({CALL_COLUMNS})", [list(r) for r in rows])


def add_calls_from_parquet(ws: Workspace, path: Path) -> None:
    """Insert the calls of a Parquet file in the columns of :data:`CALL_COLUMNS`. A DuckDB
    workspace reads it itself (multi-threaded, nothing through Python), its memory
    capped at :data:`CALLS_MEMORY` meanwhile; another backend gets its rows in batches."""
    if ws.backend != "duckdb":
        import pyarrow.parquet as pq  # only for a file of calls

        for batch in pq.ParquetFile(path).iter_batches(batch_size=200_000):
            add_calls(ws, [list(r.values()) for r in batch.to_pylist()])
        return
    # back to DuckDB's default after (the workspace sets no limit of its own): setting the
    # limit it reported ("18.8 GiB") again would round it down a little on every file
    ws.con.execute(f"SET memory_limit = '{CALLS_MEMORY}'")
    try:
        ws.con.execute(
            f"INSERT INTO calls ({CALL_COLUMNS}) SELECT * FROM read_parquet($1)", [str(path)]
        )
    finally:
        ws.con.execute("RESET memory_limit")


def delete_assertions_of(ws: Workspace, documents: Iterable[str]) -> None:
    """Delete every assertion drawn from these documents (the call ties of record files,
    before they are drawn again)."""
    for doc in documents:
        ws.con.execute("DELETE FROM assertions WHERE document = $1", [doc])


def call_documents(ws: Workspace) -> list[str]:
    rows = ws.con.execute(
        "SELECT DISTINCT c.document FROM calls c JOIN documents d ON d.id = c.document ORDER BY 1"
    ).fetchall()
    return [r[0] for r in rows]


def call_pairs(
    ws: Workspace,
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    numbers: Sequence[str] | None = None,
    both: bool = False,
) -> list[CallPair]:
    """Calls aggregated per record file and number pair, in ``[start, end)``.

    With ``numbers``, only pairs where one number (``both``: each number) is
    among them. Counts, first and last call, total duration in seconds, the
    number of calls from ``a`` to ``b``, and the first row (the evidence).
    """
    where = ["1 = 1"]
    p = Params()
    if start is not None:
        where.append(f"c.start_ >= {p(start)}")
    if end is not None:
        where.append(f"c.start_ < {p(end)}")
    if numbers is not None:
        wanted = list(dict.fromkeys(numbers))
        if not wanted:
            return []
        joiner = " AND " if both else " OR "
        where.append(f"(c.caller IN ({p.many(wanted)}){joiner}c.callee IN ({p.many(wanted)}))")
    rows = ws.con.execute(
        f"""SELECT c.document, least(c.caller, c.callee) AS a, greatest(c.caller, c.callee) AS b,
               count(*), sum(CASE WHEN c.caller < c.callee THEN 1 ELSE 0 END),
               min(c.start_), max(c.start_), sum(coalesce(c.duration, 0)), min(c.row_),
               min(c.sheet)
            FROM calls c JOIN documents d ON d.id = c.document
            WHERE {" AND ".join(where)}
            GROUP BY 1, 2, 3
            ORDER BY 4 DESC, 2, 3, 1""",
        p.values,
    ).fetchall()
    return [
        CallPair(r[0], r[1], r[2], int(r[3]), int(r[4]), r[5], r[6], int(r[7]), int(r[8]), r[9])
        for r in rows
    ]


def owned_call_pairs(ws: Workspace) -> list[CallPair]:
    """Call pairs (whole files) where both numbers have an owner: the ties to build."""
    rows = ws.con.execute(
        """WITH owned AS (
               SELECT DISTINCT o.number FROM phone_owners o JOIN documents d ON d.id = o.document)
           SELECT c.document, least(c.caller, c.callee), greatest(c.caller, c.callee), count(*),
               sum(CASE WHEN c.caller < c.callee THEN 1 ELSE 0 END), min(c.start_),
               max(c.start_), sum(coalesce(c.duration, 0)), min(c.row_), min(c.sheet)
           FROM calls c JOIN documents d ON d.id = c.document
           WHERE c.caller IN (SELECT number FROM owned) AND c.callee IN (SELECT number FROM owned)
           GROUP BY 1, 2, 3
           ORDER BY 1, 2, 3"""
    ).fetchall()
    return [
        CallPair(r[0], r[1], r[2], int(r[3]), int(r[4]), r[5], r[6], int(r[7]), int(r[8]), r[9])
        for r in rows
    ]


def calls_between(
    ws: Workspace,
    a: str,
    b: str,
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> list[tuple[str, int, str | None, str, str, dt.datetime, int | None]]:
    """Each call between two numbers: ``(document, row, sheet, caller, callee, start, duration)``."""
    p = Params([a, b])
    where = "((c.caller = $1 AND c.callee = $2) OR (c.caller = $2 AND c.callee = $1))"
    if start is not None:
        where += f" AND c.start_ >= {p(start)}"
    if end is not None:
        where += f" AND c.start_ < {p(end)}"
    return ws.con.execute(
        "SELECT c.document, c.row_, c.sheet, c.caller, c.callee, c.start_, c.duration "
        f"FROM calls c JOIN documents d ON d.id = c.document WHERE {where} "
        "ORDER BY c.start_, c.document, c.row_",
        p.values,
    ).fetchall()


def call_count(ws: Workspace, document: str | None = None) -> int:
    query = "SELECT count(*) FROM calls"
    p = Params()
    if document is not None:
        query += f" WHERE document = {p(document)}"
    row = ws.con.execute(query, p.values).fetchone()
    return int(row[0]) if row else 0
