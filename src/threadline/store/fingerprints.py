"""The statements behind :mod:`threadline.resolve.unchanged`: a digest of every table
of an embedded workspace, and the ``meta`` row that keeps the last one."""

from __future__ import annotations

from typing import Any

from threadline.store.workspace import Workspace


def table_digests(ws: Workspace, skip: frozenset[str], meta_key: str) -> list[list[Any]]:
    """``[table, row count, order-free hash of its rows]`` for every base table of the
    (DuckDB) workspace but ``skip``, by table name; the ``meta`` row ``meta_key`` is
    left out of ``meta``'s digest (it holds the digest itself)."""
    tables = [
        str(r[0])
        for r in ws.con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
            "ORDER BY table_name"
        ).fetchall()
    ]
    out: list[list[Any]] = []
    for table in tables:
        if table in skip:
            continue
        where = " WHERE t.key <> $1" if table == "meta" else ""
        row = ws.con.execute(
            f'SELECT count(*), CAST(sum(hash(t)::HUGEINT) AS VARCHAR) FROM "{table}" t{where}',
            [meta_key] if where else [],
        ).fetchone()
        out.append([table, *(row or ())])
    return out


def delete_meta(ws: Workspace, key: str) -> None:
    """Remove the workspace setting ``key`` (table ``meta``), if set."""
    ws.con.execute("DELETE FROM meta WHERE key = $1", [key])
