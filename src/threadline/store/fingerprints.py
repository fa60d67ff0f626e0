"""The statements behind :mod:`threadline.resolve.unchanged`: an order-free digest of
every table of a workspace, on either backend, and the ``meta`` row that keeps the
last one.

A table's digest is its row count and the sum of a hash of each row, so the order
rows come back in does not matter. DuckDB hashes a row with ``hash``; PostgreSQL
with the first 64 bits of ``md5`` of the row's text, summed as ``numeric`` (no
overflow). All tables are read by one statement, so on a server every digest
describes the same moment (one snapshot), however many users write meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from threadline.store.workspace import Workspace

#: The alias of a table's whole row in the digest's statement (no column is named so).
_ROW = "fingerprint_row"
#: Each backend's order-free digest of the rows of ``_ROW``, as text. PostgreSQL's text
#: of a row follows the session's settings (TimeZone, DateStyle, extra_float_digits):
#: two clients with other settings take other digests, which costs one more resolve
#: run, never a skipped one.
_ROW_SUM = {
    "duckdb": f"CAST(sum(hash({_ROW})::HUGEINT) AS VARCHAR)",
    "postgresql": (
        f"CAST(sum(('x' || substr(md5(CAST({_ROW} AS TEXT)), 1, 16))::bit(64)::bigint::numeric)"
        " AS TEXT)"
    ),
}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_digests(
    ws: Workspace, skip: frozenset[str], *, left_out: str, apart: Iterable[str] = ()
) -> list[list[Any]]:
    """``[table, row count, order-free hash of its rows]`` for every base table of the
    workspace's schema but ``skip``, by table name.

    In ``meta`` the row ``left_out`` is not digested (it holds the digest itself), and
    each row whose key is in ``apart`` gets its own entry, ``meta.KEY``, instead of
    counting in ``meta``'s.
    """
    tables = [
        str(r[0])
        for r in ws.con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
            "ORDER BY table_name"
        ).fetchall()
    ]
    row_sum = _ROW_SUM[ws.backend]
    apart = sorted(set(apart) - {left_out})
    selects: list[str] = []
    params: list[Any] = []

    def select(label: str, table: str, where: str = "") -> None:
        params.append(label)
        selects.append(
            f"SELECT CAST(${len(params)} AS TEXT) AS name, count(*) AS n, {row_sum} AS digest "
            f"FROM {_quoted(table)} {_ROW}{where}"
        )

    for table in tables:
        if table in skip:
            continue
        if table != "meta":
            select(table, table)
            continue
        keys = [left_out, *apart]
        marks = ", ".join(f"${len(params) + 2 + i}" for i in range(len(keys)))
        select("meta", "meta", f" WHERE {_ROW}.key NOT IN ({marks})")
        params.extend(keys)
        for key in apart:
            select(f"meta.{key}", "meta", f" WHERE {_ROW}.key = ${len(params) + 2}")
            params.append(key)
    if not selects:
        return []
    rows = ws.con.execute(" UNION ALL ".join(selects), params).fetchall()
    return sorted([str(r[0]), int(r[1]), None if r[2] is None else str(r[2])] for r in rows)


def engine_version(ws: Workspace) -> str:
    """The version of the database engine holding the workspace (DuckDB's, or the
    PostgreSQL server's)."""
    row = ws.con.execute("SELECT version()").fetchone()
    return str(row[0]) if row else ""


def delete_meta(ws: Workspace, key: str) -> None:
    """Remove the workspace setting ``key`` (table ``meta``), if set."""
    ws.con.execute("DELETE FROM meta WHERE key = $1", [key])
