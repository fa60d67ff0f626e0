"""The store's SQL, written once, run on DuckDB and on PostgreSQL.

The store writes standard SQL both backends run as it stands: numbered
placeholders (``$1``), built by :func:`numbered`, :func:`row_marks` and
:class:`Params` when a statement is put together in pieces; upserts as
``INSERT ... ON CONFLICT``; the types of :mod:`threadline.store.schema`.

Legacy: statements still written with ``?`` (code moving into ``store/``, issue
20) are rewritten for PostgreSQL by :func:`to_postgres`, which goes once they are
converted:

- ``?`` placeholders become ``%s`` (and a literal ``%`` becomes ``%%``) when
  the statement has parameters; a ``?`` inside a quoted string stays;
- in ``CREATE``/``ALTER`` statements the types: ``DOUBLE`` is ``DOUBLE
  PRECISION``, ``BLOB`` is ``BYTEA``, ``JSON`` is kept as ``TEXT``, and ``TEXT``
  columns sort byte-wise (``COLLATE "C"``) unless a collation is written.

Pure functions: no I/O here.

>>> to_postgres("SELECT id FROM t WHERE name = ? AND note LIKE '50%?'", params=True)
"SELECT id FROM t WHERE name = %s AND note LIKE '50%%?'"
>>> to_postgres("CREATE TABLE m (k TEXT PRIMARY KEY, v DOUBLE)", params=False)
'CREATE TABLE m (k TEXT COLLATE "C" PRIMARY KEY, v DOUBLE PRECISION)'
"""

from __future__ import annotations

import re
from typing import Any

_PIECES = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|[^'\"]+|['\"]")
_DDL = re.compile(r"^\s*(CREATE|ALTER)\b", re.IGNORECASE)
#: A column definition: what opens it, the column's name, its type's first word.
_COLUMN = re.compile(
    r"(?P<lead>(?:^|[(,]|\bADD\s+COLUMN(?:\s+IF\s+NOT\s+EXISTS)?)\s*)"
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*|\"[^\"]+\")\s+(?P<type>[A-Za-z]+)\b(?!\s*\[)",
    re.IGNORECASE,
)
_COLUMN_TYPES = {
    "double": "DOUBLE PRECISION",
    "blob": "BYTEA",
    "json": 'TEXT COLLATE "C"',
    "text": 'TEXT COLLATE "C"',
    "varchar": 'VARCHAR COLLATE "C"',
}
_CAST_DOUBLE = re.compile(r"(\bAS\s+|::\s*)DOUBLE\b(?!\s+PRECISION)", re.IGNORECASE)


def _split(sql: str) -> list[tuple[bool, str]]:
    """``(is_code, text)`` pieces: quoted strings and identifiers are not code."""
    return [(piece[0] not in "'\"" or len(piece) == 1, piece) for piece in _PIECES.findall(sql)]


def to_postgres(sql: str, *, params: bool) -> str:
    """``sql`` as PostgreSQL runs it (see the module doc); ``params``: it has parameters."""
    pieces = _split(sql)
    if _DDL.match(sql):
        pieces = [(code, _column_types(text) if code else text) for code, text in pieces]
    pieces = [
        (code, _CAST_DOUBLE.sub(r"\1DOUBLE PRECISION", text) if code else text)
        for code, text in pieces
    ]
    return "".join(_placeholders(code, text) if params else text for code, text in pieces)


def _column_types(text: str) -> str:
    def retype(m: re.Match[str]) -> str:
        found = _COLUMN_TYPES.get(m.group("type").lower())
        if found is None or (found.startswith("DOUBLE") and _precision(m, text)):
            return m.group(0)
        if text[m.end() :].lstrip().upper().startswith("COLLATE"):  # written for both already
            return m.group(0)
        return f"{m.group('lead')}{m.group('name')} {found}"

    return _COLUMN.sub(retype, text)


def _precision(m: re.Match[str], text: str) -> bool:
    return text[m.end() :].lstrip().upper().startswith("PRECISION")


def _placeholders(code: bool, text: str) -> str:
    text = text.replace("%", "%%")
    return text.replace("?", "%s") if code else text


# -- numbered placeholders: statements written once for both backends ---------------------


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
