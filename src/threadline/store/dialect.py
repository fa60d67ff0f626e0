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
  columns sort byte-wise (``COLLATE "C"``) unless a collation is written;
- ``INSERT OR REPLACE INTO t ...`` becomes ``INSERT INTO t ... ON CONFLICT
  (primary key) DO UPDATE SET`` every other column, and ``INSERT OR IGNORE``
  becomes ``ON CONFLICT DO NOTHING``; the caller supplies the table's columns
  and primary key (:class:`TableShape`).

Pure functions: no I/O here.

>>> to_postgres("SELECT id FROM t WHERE name = ? AND note LIKE '50%?'", params=True)
"SELECT id FROM t WHERE name = %s AND note LIKE '50%%?'"
>>> to_postgres("CREATE TABLE m (k TEXT PRIMARY KEY, v DOUBLE)", params=False)
'CREATE TABLE m (k TEXT COLLATE "C" PRIMARY KEY, v DOUBLE PRECISION)'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from threadline.errors import WorkspaceError


@dataclass(frozen=True)
class TableShape:
    """A table's columns in order and its primary-key columns."""

    columns: tuple[str, ...]
    primary_key: tuple[str, ...]


#: Looks up a table's shape by name (lower case); None when there is no such table.
ShapeLookup = Callable[[str], TableShape | None]

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
_UPSERT = re.compile(
    r"^\s*INSERT\s+OR\s+(REPLACE|IGNORE)\s+INTO\s+([A-Za-z_][A-Za-z0-9_]*)\s*"
    r"(\(([^()]*)\))?",
    re.IGNORECASE,
)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)


def upsert_target(sql: str) -> tuple[str, list[str] | None] | None:
    """``(table, columns or None)`` of an ``INSERT OR REPLACE/IGNORE``, else None."""
    match = _UPSERT.match(sql)
    if match is None:
        return None
    columns = None
    if match.group(4):
        columns = [c.strip().strip('"').lower() for c in match.group(4).split(",")]
    return match.group(2).lower(), columns


def _split(sql: str) -> list[tuple[bool, str]]:
    """``(is_code, text)`` pieces: quoted strings and identifiers are not code."""
    return [(piece[0] not in "'\"" or len(piece) == 1, piece) for piece in _PIECES.findall(sql)]


def to_postgres(sql: str, *, params: bool, shape: ShapeLookup | None = None) -> str:
    """``sql`` as PostgreSQL runs it (see the module doc); ``params``: it has parameters."""
    pieces = _split(sql)
    if _DDL.match(sql):
        pieces = [(code, _column_types(text) if code else text) for code, text in pieces]
    pieces = [
        (code, _CAST_DOUBLE.sub(r"\1DOUBLE PRECISION", text) if code else text)
        for code, text in pieces
    ]
    joined = "".join(_placeholders(code, text) if params else text for code, text in pieces)
    match = _UPSERT.match(joined)
    if match:
        joined = _upsert(joined, match, shape)
    return joined


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


def _upsert(sql: str, match: re.Match[str], shape: ShapeLookup | None) -> str:
    mode, table = match.group(1).upper(), match.group(2)
    rest = sql[match.end() :].lstrip()
    head = f"INSERT INTO {table}"
    if match.group(3):
        head += f" ({match.group(4)})"
    if mode == "IGNORE":
        clause = " ON CONFLICT DO NOTHING"
    else:
        found = shape(table.lower()) if shape else None
        if found is None or not found.primary_key:
            raise WorkspaceError(
                f"INSERT OR REPLACE INTO {table}: the table has no primary key on this "
                "PostgreSQL workspace (or does not exist)"
            )
        if match.group(4):
            columns = [c.strip().strip('"').lower() for c in match.group(4).split(",")]
        else:
            columns = list(found.columns)
        others = [c for c in columns if c not in found.primary_key]
        keys = ", ".join(found.primary_key)
        if others:
            sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in others)
            clause = f" ON CONFLICT ({keys}) DO UPDATE SET {sets}"
        else:
            clause = f" ON CONFLICT ({keys}) DO NOTHING"
    returning = _RETURNING.search(rest)
    if returning:
        return f"{head} {rest[: returning.start()].rstrip()}{clause} {rest[returning.start() :]}"
    return f"{head} {rest.rstrip().rstrip(';')}{clause}"


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
