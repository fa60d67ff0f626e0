"""Many rows into DuckDB in one statement: the rows as an Arrow table, then
``INSERT ... SELECT`` that reads it by its variable name (DuckDB's replacement
scan: no ``register``, which an unfinished result on the connection refuses).

Binding thousands of ``?`` parameters makes DuckDB parse and bind a statement per
chunk; an Arrow table is handed over column by column and inserted in one go (on
5,000 person records, about a tenth of the time). Rows whose values Arrow cannot
type as plain columns (a column mixing text and numbers, a nested value) are
left to the caller's parameter path, so nothing changes for them.

An upsert (:meth:`Workspace.upsert_many`) hands over rows with one row per key
(the first), as one ``INSERT ... ON CONFLICT`` may change a row only once.
"""

from __future__ import annotations

from typing import Any

import duckdb

from threadline.extras import installed

#: Rows per statement: large enough that a statement's fixed cost vanishes.
ARROW_CHUNK = 50_000
#: Fewer rows than this go through parameters: building a table costs more.
ARROW_MIN_ROWS = 32


def _table(rows: list[list[Any]]) -> Any | None:
    """``rows`` as an Arrow table of flat columns, or ``None`` when Arrow cannot
    type a column (mixed kinds of value, numbers out of range, nested values)."""
    import pyarrow as pa

    try:
        columns = [pa.array(list(col)) for col in zip(*rows, strict=True)]
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return None
    if any(pa.types.is_nested(c.type) for c in columns):
        return None
    return pa.table(columns, names=[f"c{i}" for i in range(len(columns))])


def insert_arrow(con: Any, statement: str, rows: list[list[Any]], tail: str = "") -> bool:
    """``statement SELECT * FROM`` the rows as Arrow tables ``tail`` (an ``ON CONFLICT``
    clause, say), on a DuckDB connection.

    Returns ``False`` (nothing written) when ``con`` is not DuckDB's, the rows are
    few, Arrow cannot type them or pyarrow (the ``records`` extra) is not installed:
    the caller then binds them as parameters.
    """
    if len(rows) < ARROW_MIN_ROWS or not isinstance(con, duckdb.DuckDBPyConnection):
        return False
    if not installed("pyarrow"):  # the `records` extra: without it, parameters
        return False
    tables = [_table(rows[i : i + ARROW_CHUNK]) for i in range(0, len(rows), ARROW_CHUNK)]
    if any(t is None for t in tables):
        return False
    for __threadline_rows in tables:  # noqa: B007 - DuckDB reads it by name from this frame
        con.execute(f"{statement} SELECT * FROM __threadline_rows{tail}")
    return True
