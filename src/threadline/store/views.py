"""The statements a user's view is built with (``threadline.security.visibility``).

A view is a private embedded workspace (:class:`ViewStore`, whose bulk writes go
through Arrow) filled with copies of the shared workspace's rows that the user may
see; what decides *which* rows is in ``security``, the reading and writing is here:
whole tables in a fixed order, the few columns a filter needs, and who owns each
piece of analyst work (``work_owner``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any, cast

from threadline.errors import InvalidValueError
from threadline.extras import installed
from threadline.store.workspace import Workspace, open_workspace

__all__ = [
    "ViewStore",
    "column_position",
    "correction_documents",
    "has_rows",
    "judgement_sides",
    "mention_documents",
    "open_view",
    "owners",
    "put_rows",
    "record_ids",
    "replace_notes",
    "set_owner",
    "table_rows",
    "tie_count",
    "tie_ends",
]

#: Tables whose presence the view builder checks before it derives (a network the
#: resolver built, one the analysis measured).
_PROBED = frozenset({"merge_steps", "assertions", "metrics"})


def _rows(ws: Workspace, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    return list(ws.con.execute(sql, params or []).fetchall())


def table_rows(ws: Workspace, table: str, order: str = "1, 2") -> list[tuple[Any, ...]]:
    """Every row of ``table`` in a fixed order (by its first columns, or ``order``: one
    of "1, 2" and "id"): a view must not depend on the order a backend happens to
    return rows in (PostgreSQL's follows updates; a hidden row's presence must not
    reorder the visible ones)."""
    if order not in ("1, 2", "id"):
        raise InvalidValueError("order", f"{order!r} is not '1, 2' or 'id'")
    return _rows(ws, f"SELECT * FROM {_table(ws, table)} ORDER BY {order}")


def put_rows(view: Workspace, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Append ``rows`` (whole rows, as :func:`table_rows` reads them) to ``table``."""
    if rows:
        view._insert_many(f"INSERT INTO {_table(view, table)}", [list(r) for r in rows])


def has_rows(ws: Workspace, table: str) -> bool:
    """Whether ``table`` (merge_steps, assertions or metrics) holds a row."""
    if table not in _PROBED:
        raise InvalidValueError("table", f"{table!r} is not one of {sorted(_PROBED)}")
    return bool(_rows(ws, f"SELECT 1 FROM {table} LIMIT 1"))


def record_ids(ws: Workspace) -> set[str]:
    return {str(r[0]) for r in _rows(ws, "SELECT id FROM records")}


def mention_documents(ws: Workspace) -> dict[str, str]:
    """The document of each mention."""
    return {str(m): str(d) for m, d in _rows(ws, "SELECT id, document FROM mentions")}


def judgement_sides(ws: Workspace) -> dict[int, set[str]]:
    """The mentions each judgement names (both sides)."""
    sides: dict[int, set[str]] = defaultdict(set)
    for jid, mention in _rows(ws, "SELECT judgement, mention FROM judgement_mentions"):
        sides[int(jid)].add(str(mention))
    return sides


def correction_documents(ws: Workspace) -> dict[int, set[str]]:
    """The documents the text spans of each correction lie in."""
    docs: dict[int, set[str]] = defaultdict(set)
    for cid, doc in _rows(ws, "SELECT correction, document FROM correction_spans"):
        docs[int(cid)].add(str(doc))
    return docs


def tie_count(ws: Workspace) -> int:
    row = ws.con.execute("SELECT count(*) FROM ties").fetchone()
    return int(row[0]) if row else 0


def tie_ends(ws: Workspace) -> list[tuple[str, str]]:
    return [(str(s), str(t)) for s, t in _rows(ws, "SELECT source, target FROM ties")]


def replace_notes(view: Workspace, rows: list[tuple[Any, ...]]) -> None:
    """Put ``rows`` (whole rows of ``analyst_notes``) in place of a view's notes."""
    with view.transaction():
        view.con.execute("DELETE FROM analyst_notes")
        put_rows(view, "analyst_notes", rows)


def owners(ws: Workspace, kind: str, default: str) -> dict[str, str]:
    """Owning agency of each piece of analyst work of ``kind`` (default: the default agency)."""
    found = _rows(ws, "SELECT id, agency FROM work_owner WHERE kind = $1", [kind])
    return defaultdict(lambda: default, {str(i): str(a) for i, a in found})


def set_owner(ws: Workspace, kind: str, ident: str | int, agency: str) -> None:
    """Record that ``agency`` owns the piece of analyst work ``kind`` ``ident``."""
    ws.con.execute(
        "INSERT INTO work_owner (kind, id, agency) VALUES ($1, $2, $3) "
        "ON CONFLICT (kind, id) DO UPDATE SET agency = excluded.agency",
        [kind, str(ident), agency],
    )


# -- the columns of a table, as the database has them -----------------------------------

_NAME = re.compile(r"[a-z_][a-z0-9_]*")


def _table(ws: Workspace, table: str) -> str:
    """``table``, checked to be a table of ``ws`` (its name goes into a statement)."""
    if not _NAME.fullmatch(table) or not ws.has_table(table):
        raise InvalidValueError("table", f"no table {table!r} in the workspace")
    return table


def column_position(ws: Workspace, table: str, column: str) -> int:
    """Position of ``column`` in ``SELECT * FROM table`` on ``ws``, as its database
    reports it (the columns of the statement's result, no parsing of the schema)."""
    found = ws.con.execute(f"SELECT * FROM {_table(ws, table)} LIMIT 0").description
    names = [str(d[0]) for d in found or ()]
    if column not in names:
        raise InvalidValueError("column", f"no column {column!r} in table {table!r}")
    return names.index(column)


# -- the view's own workspace -----------------------------------------------------------

#: DuckDB column types as Arrow types, for :class:`ViewStore`'s bulk writes.
_ARROW_TYPES = {
    "VARCHAR": "string",
    "DOUBLE": "float64",
    "FLOAT": "float32",
    "BIGINT": "int64",
    "INTEGER": "int32",
    "SMALLINT": "int16",
    "BOOLEAN": "bool_",
    "BLOB": "binary",
    "DATE": "date32",
}


class ViewStore(Workspace):
    """A view's private embedded workspace, whose bulk writes go through Arrow.

    Every stage writes rows with ``INSERT INTO t VALUES (?, ...), ...``; DuckDB binds
    such parameters slowly (a view of 200,000 ties spent more than half of its build
    there). Here the rows become one Arrow table that DuckDB reads whole. Statements
    other than a plain ``INSERT INTO``, and rows Arrow cannot type, take the store's
    usual path.
    """

    _shapes: dict[str, list[tuple[str, str]]]

    def _insert_many(self, statement: str, rows: list[list[Any]], chunk: int = 500) -> None:
        words = statement.split(None, 3)
        if not rows or len(words) < 3 or [w.upper() for w in words[:2]] != ["INSERT", "INTO"]:
            super()._insert_many(statement, rows, chunk)
            return
        table, _, listed = words[2].partition("(")
        named = (listed + (words[3] if len(words) > 3 else "")).strip().lstrip("(").rstrip(")")
        shape = self._shape(table)
        if named:
            types = dict(shape)
            columns = [(c.strip(), types.get(c.strip(), "")) for c in named.split(",")]
        else:
            columns = shape
        batch = _arrow(columns, rows)
        if batch is None:
            super()._insert_many(statement, rows, chunk)
            return
        con = cast(Any, self.con)
        con.register("threadline_bulk_rows", batch)
        try:
            names = ", ".join(c for c, _ in columns)
            con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM threadline_bulk_rows")
        finally:
            con.unregister("threadline_bulk_rows")

    def _shape(self, table: str) -> list[tuple[str, str]]:
        if not hasattr(self, "_shapes"):
            self._shapes = {}
        if table not in self._shapes:
            self._shapes[table] = [
                (str(r[0]), str(r[1]))
                for r in self.con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_name = $1 AND table_schema = current_schema() "
                    "ORDER BY ordinal_position",
                    [table],
                ).fetchall()
            ]
        return self._shapes[table]


def _arrow(columns: list[tuple[str, str]], rows: list[list[Any]]) -> Any:
    """``rows`` as an Arrow table with ``columns`` (name, DuckDB type); None if they do
    not fit, or pyarrow (the ``records`` extra) is not installed: the caller then binds
    them one by one."""
    if not installed("pyarrow"):
        return None
    # pyarrow loads only when a view is built (it is large, and most commands never do)
    import pyarrow as pa

    if any(len(r) != len(columns) for r in rows):
        return None
    arrays = {}
    try:
        for k, (name, duck) in enumerate(columns):
            kind = _ARROW_TYPES.get(duck.upper())
            if duck.upper() == "TIMESTAMP":
                wanted = pa.timestamp("us")
            else:
                wanted = getattr(pa, kind)() if kind else None
            arrays[name] = pa.array([r[k] for r in rows], type=wanted)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return None
    return pa.table(arrays)


def open_view(root: Path) -> ViewStore:
    """A new view workspace at ``root`` (the folder and the schema created)."""
    open_workspace(root, create=True).close()
    return ViewStore(root)
