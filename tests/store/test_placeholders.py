"""Statements written once: numbered placeholders run as they stand on both backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from threadline.store import Workspace, open_workspace
from threadline.store.dialect import Params, row_marks


@pytest.fixture
def ws(ws_location: str) -> Iterator[Workspace]:
    workspace = open_workspace(ws_location, create=True)
    yield workspace
    workspace.close()


def test_numbered_placeholders_bind_the_same_on_both_backends(ws: Workspace) -> None:
    # a literal % and ? stay as written: nothing rewrites the statement
    row = ws.con.execute("SELECT $1 || '50%?', $2 + 1, $1", ["x", 41]).fetchone()
    assert row == ("x50%?", 42, "x")
    # a parameter the statement gives no type is cast in the statement
    [(missing,)] = ws.con.execute("SELECT CAST($1 AS TEXT) IS NULL", [None]).fetchall()
    assert missing is True


def test_rows_built_in_pieces_and_upserted_read_back(ws: Workspace) -> None:
    rows = [["k1", "a"], ["k2", "b"], ["k1", "ignored: the first row of a key counts"]]
    ws.upsert_many("meta", ["key", "value"], ["key"], rows)
    ws.upsert_many("meta", ["key", "value"], ["key"], [["k2", "b2"]])
    p = Params()
    query = f"SELECT key, value FROM meta WHERE key IN ({p.many(['k1', 'k2'])}) ORDER BY key"
    assert ws.con.execute(query, p.values).fetchall() == [("k1", "a"), ("k2", "b2")]
    with ws.transaction():
        ws.con.execute(
            f"INSERT INTO meta (key, value) VALUES {row_marks(2, 2)}", ["k3", "c", "k4", None]
        )
    assert ws.meta("k3") == "c" and ws.meta("k4") is None
