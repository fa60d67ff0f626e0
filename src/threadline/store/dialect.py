"""The store's SQL, written once, run on DuckDB and on PostgreSQL.

The store writes standard SQL both backends run as it stands: numbered
placeholders (``$1``), built by :func:`numbered`, :func:`row_marks` and
:class:`Params` when a statement is put together in pieces; upserts as
``INSERT ... ON CONFLICT``; the types of :mod:`threadline.store.schema`
(``DOUBLE PRECISION``, ``TEXT COLLATE "C"``...). Nothing rewrites a statement at
run time: what is written here is what each server parses.

Pure functions: no I/O here.
"""

from __future__ import annotations

from typing import Any


def numbered(count: int, start: int = 1) -> str:
    """``$start, ..., $(start + count - 1)``: placeholders both backends bind as they stand.

    >>> numbered(3)
    '$1, $2, $3'
    """
    return ", ".join(f"${k}" for k in range(start, start + count))


def row_marks(rows: int, width: int) -> str:
    """Placeholders for ``rows`` rows of ``width`` values: ``($1, $2), ($3, $4)``.

    >>> row_marks(2, 2)
    '($1, $2), ($3, $4)'
    """
    return ", ".join(f"({numbered(width, 1 + r * width)})" for r in range(rows))


class Params:
    """The values of a statement built in pieces; calling it with a value returns that
    value's placeholder.

    >>> p = Params()
    >>> f"a = {p('x')} AND b IN ({p.many([1, 2])})", p.values
    ('a = $1 AND b IN ($2, $3)', ['x', 1, 2])
    """

    def __init__(self, values: list[Any] | None = None) -> None:
        self.values: list[Any] = list(values or [])

    def __call__(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}"

    def many(self, values: list[Any]) -> str:
        return ", ".join(self(v) for v in values)
