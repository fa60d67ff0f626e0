"""Many rows into DuckDB in one statement: the rows as columns (NumPy arrays of
plain values, else an Arrow table), then ``INSERT ... SELECT`` that reads them by
their variable name (DuckDB's replacement scan: no ``register``, which an
unfinished result on the connection refuses).

Binding thousands of ``?`` parameters makes DuckDB parse and bind a statement per
chunk; an Arrow table is handed over column by column and inserted in one go (on
5,000 person records, about a tenth of the time). Rows whose values Arrow cannot
type as plain columns (a column mixing text and numbers, a nested value) are
left to the caller's parameter path, so nothing changes for them.

Columns whose values are all of one plain kind (text, integer, number, truth
value; integers and numbers together read as numbers) go as NumPy arrays, which
DuckDB scans without pandas: pyarrow's ``pa.array`` imports pandas on its first
call (0.3 s of CPU, in every command that writes many rows). Any other column
(a date, a text subclass, a value past 64 bits, NaN) sends the rows through Arrow.

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


_PLAIN = (str, int, float, bool)


def _plain_columns(rows: list[list[Any]]) -> dict[str, Any] | None:
    """``rows`` as NumPy arrays of Python values, one per column (``c0``, ``c1``, ...),
    when every column holds one plain kind of value (or none); else ``None``."""
    import numpy as np

    columns: dict[str, Any] = {}
    for i, col in enumerate(zip(*rows, strict=True)):
        kinds = {type(v) for v in col if v is not None}
        if not kinds <= set(_PLAIN) or (len(kinds) > 1 and kinds != {int, float}):
            return None
        if int in kinds and any(type(v) is int and not -(2**63) <= v < 2**63 for v in col):
            return None
        if float in kinds and any(v != v for v in col if type(v) is float):  # NaN
            return None
        if len(kinds) > 1:  # integers among numbers: numbers, as Arrow reads them
            col = tuple(float(v) if type(v) is int else v for v in col)
        values = np.empty(len(col), dtype=object)
        values[:] = col
        columns[f"c{i}"] = values
    return columns


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
    """``statement SELECT * FROM`` the rows as columns ``tail`` (an ``ON CONFLICT``
    clause, say), on a DuckDB connection: NumPy arrays of plain values, else an
    Arrow table.

    Returns ``False`` (nothing written) when ``con`` is not DuckDB's, the rows are
    few, or they are not plain and Arrow cannot type them or pyarrow (the
    ``records`` extra) is not installed: the caller then binds them as parameters.
    """
    if len(rows) < ARROW_MIN_ROWS or not isinstance(con, duckdb.DuckDBPyConnection):
        return False
    chunks = [rows[i : i + ARROW_CHUNK] for i in range(0, len(rows), ARROW_CHUNK)]
    tables = [_plain_columns(chunk) for chunk in chunks]
    if any(t is None for t in tables):
        if not installed("pyarrow"):  # the `records` extra: without it, parameters
            return False
        tables = [_table(chunk) for chunk in chunks]
    if any(t is None for t in tables):
        return False
    for __threadline_rows in tables:  # noqa: B007 - DuckDB reads it by name from this frame
        con.execute(f"{statement} SELECT * FROM __threadline_rows{tail}")
    return True
