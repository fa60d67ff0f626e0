"""The store owns the workspace (issue 20): every statement against the workspace
database runs in ``threadline/store/``, behind methods named for what they do.

A module outside ``store/`` touches the workspace connection when it reads the
connection attribute of a workspace or a view (``ws.con``, ``view._con``, also through
``getattr``) or calls its private bulk insert (``ws._insert_many``); a raw ``execute``
on the workspace needs one of those first. Read from the syntax tree (no import runs,
no text search: a comment or a string saying ``ws.con`` is not a touch).

Every module has moved (the list of files still to move emptied with issue 20 and
is gone), so no module outside ``store/`` is exempt. SQL a stage builds for its own
engine (the call-record aggregation on its own DuckDB connection, Spark) is not the
workspace connection and is not counted."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "threadline"
STORE = SRC / "store"

#: The workspace's connection and its private writer: only store/ may name them.
PRIVATE = frozenset({"con", "_con", "_insert_many"})


def touches(source: str) -> list[int]:
    """The lines where this source touches a workspace connection."""
    lines: list[int] = []
    for node in ast.walk(ast.parse(source)):
        attribute = isinstance(node, ast.Attribute) and node.attr in PRIVATE
        by_name = (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "setattr", "hasattr"}
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in PRIVATE
        )
        if attribute or by_name:
            lines.append(getattr(node, "lineno", 0))
    return sorted(lines)


def _outside_store() -> dict[str, list[int]]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        if path.is_relative_to(STORE):
            continue
        lines = touches(path.read_text(encoding="utf-8"))
        if lines:
            found[path.relative_to(SRC).as_posix()] = lines
    return found


FOUND = _outside_store()


def test_only_the_store_touches_the_workspace_connection() -> None:
    new = {f"{name}: lines {lines}" for name, lines in FOUND.items()}
    assert not new, (
        "code outside threadline/store/ touches the workspace connection; put the "
        "statement in a store module behind a function named for what it does:\n"
        + "\n".join(sorted(new))
    )


def test_the_check_sees_a_touch_and_ignores_words() -> None:
    source = (
        "def f(ws, view, rows):\n"
        "    ws.con.execute('DELETE FROM ties')\n"  # 2
        "    # ws.con is private; so is view._con\n"
        "    note = 'ws.con.execute'\n"
        "    view._insert_many('INSERT INTO ties', rows)\n"  # 5
        "    con = getattr(view, '_con')\n"  # 6
        "    return ws.connection, note, con\n"
    )
    assert touches(source) == [2, 5, 6]
    assert touches("def g(ws):\n    return ws.entities()\n") == []
