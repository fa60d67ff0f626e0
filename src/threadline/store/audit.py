"""The audit log's tables: ``audit_log`` (the records) and ``audit_heads`` (one row per
committed append: its last number and hash). Their SQL, and nothing else:
:mod:`threadline.security.audit` builds and chains the records and checks the chain.

Both tables are append-only for the application: it only inserts and selects (see
:func:`threadline.store.postgres.grant_app_role`).

>>> import tempfile
>>> from threadline.store import open_workspace
>>> ws = open_workspace(tempfile.mkdtemp() + "/ws", create=True)
>>> position(ws)
(None, None, None)
>>> row = AuditRow(1, "2026-01-01T00:00:00", "ana", "police", "search", "x", "{}", "0", "h1")
>>> append(ws, [row])
>>> head(ws), [r.seq for r in page(ws, AuditFilter(), limit=10, offset=0)]
((1, 'h1'), [1])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from threadline.store.dialect import Params, row_marks
from threadline.store.workspace import Workspace

#: ``pg_advisory_xact_lock`` key that orders the audit log's writers in server mode.
AUDIT_LOCK = 0x7468617564  # "thaud"
_COLS = "seq, logged_at, actor, agency, action, target, detail, prev_hash, hash"


class AuditRow(NamedTuple):
    """One record as stored (``detail`` is its canonical JSON text)."""

    seq: int
    logged_at: str
    actor: str
    agency: str | None
    action: str
    target: str | None
    detail: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditFilter:
    """Which records to read: each field given must match (``action`` ending in ``*`` is a
    prefix); ``since`` and ``until`` bound the time, both included."""

    actor: str | None = None
    agency: str | None = None
    action: str | None = None
    target: str | None = None
    since: str | None = None
    until: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The ``WHERE`` clause (empty when nothing is filtered) and its parameters."""
        where: list[str] = []
        p = Params()
        for column, value in (("actor", self.actor), ("agency", self.agency),
                              ("target", self.target)):  # fmt: skip
            if value is not None:
                where.append(f"{column} = {p(value)}")
        if self.action:
            if self.action.endswith("*"):
                where.append(
                    f"substr(action, 1, {p(len(self.action) - 1)}) = {p(self.action[:-1])}"
                )
            else:
                where.append(f"action = {p(self.action)}")
        if self.since:
            where.append(f"logged_at >= {p(self.since)}")
        if self.until:
            where.append(f"logged_at <= {p(self.until)}")
        return (" WHERE " + " AND ".join(where)) if where else "", p.values


def _row(r: tuple[Any, ...]) -> AuditRow:
    return AuditRow(int(r[0]), str(r[1]), str(r[2]), r[3], str(r[4]), r[5], str(r[6]),
                    str(r[7]), str(r[8]))  # fmt: skip


def lock_writers(ws: Workspace) -> None:
    """In server mode, wait for the other writers of the log until this transaction ends
    (a transaction-level advisory lock); an embedded workspace has one writer anyway."""
    if ws.backend == "postgresql":
        ws.con.execute("SELECT pg_advisory_xact_lock($1)", [AUDIT_LOCK])


def position(ws: Workspace) -> tuple[int | None, str | None, int | None]:
    """Where the log stands: the head's number and hash, and the highest number in the log
    (each None when there is none)."""
    top = "(SELECT max(seq) FROM audit_heads)"
    row = ws.con.execute(
        f"SELECT {top}, (SELECT hash FROM audit_heads WHERE seq = {top}), "
        "(SELECT max(seq) FROM audit_log)"
    ).fetchone()
    if row is None:
        return None, None, None
    return (
        None if row[0] is None else int(row[0]),
        None if row[1] is None else str(row[1]),
        None if row[2] is None else int(row[2]),
    )


def append(ws: Workspace, rows: list[AuditRow]) -> None:
    """Write ``rows`` (numbered and chained by the caller) and a head row for the last one,
    in one transaction."""
    if not rows:
        return
    with ws.transaction():
        for start in range(0, len(rows), 200):
            part = rows[start : start + 200]
            marks = row_marks(len(part), 9)
            ws.con.execute(
                f"INSERT INTO audit_log ({_COLS}) VALUES {marks}", [v for r in part for v in r]
            )
        last = rows[-1]
        ws.con.execute("INSERT INTO audit_heads (seq, hash) VALUES ($1, $2)", [last.seq, last.hash])


def head(ws: Workspace) -> tuple[int, str] | None:
    """The head's number and hash, or None when no append was ever committed."""
    row = ws.con.execute(
        # not ORDER BY seq DESC LIMIT 1: DuckDB 2.0 answers that with no row after rows
        # were deleted in the same session
        "SELECT seq, hash FROM audit_heads WHERE seq = (SELECT max(seq) FROM audit_heads)"
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def all_rows(ws: Workspace) -> list[AuditRow]:
    """Every record, in number order (as stored: for checking the chain)."""
    rows = ws.con.execute(f"SELECT {_COLS} FROM audit_log ORDER BY seq, logged_at").fetchall()
    return [_row(r) for r in rows]


def count(ws: Workspace, which: AuditFilter) -> int:
    clause, params = which.where()
    row = ws.con.execute(f"SELECT count(*) FROM audit_log{clause}", params).fetchone()
    return int(row[0]) if row else 0


def page(
    ws: Workspace, which: AuditFilter, *, limit: int, offset: int, total: int | None = None
) -> list[AuditRow]:
    """The matching records newest first, ``limit`` of them after skipping ``offset``.

    Read in ascending order and turned around here: DuckDB 2.0 can answer ``ORDER BY seq
    DESC LIMIT`` wrongly after rows were deleted in the same session, and counted from
    the oldest record a page stays put while records are appended. ``total`` is the
    number of matching records, when the caller has just counted them."""
    if limit <= 0:
        return []
    total = count(ws, which) if total is None else total
    last = total - max(offset, 0)  # the page ends here, counted from the oldest (exclusive)
    first = max(last - limit, 0)
    if last <= 0:
        return []
    clause, params = which.where()
    p = Params(params)
    rows = ws.con.execute(
        f"SELECT {_COLS} FROM audit_log{clause} ORDER BY seq "
        f"LIMIT {p(last - first)} OFFSET {p(first)}",
        p.values,
    ).fetchall()
    return [_row(r) for r in reversed(rows)]
