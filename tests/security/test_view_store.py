"""A view's private workspace writes its rows in bulk (through Arrow) and stores exactly
what the store's own row-by-row path stores."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from threadline.store import open_workspace
from threadline.store.times import stamp
from threadline.store.views import ViewStore, open_view

NOW = datetime(2016, 3, 22, 7, 58, 0)
ROWS: dict[str, tuple[str, list[list[Any]]]] = {
    "ties": ("INSERT INTO ties", [
        ["t1", "family", "e1", "e2", "", 0.9, False, True, '[{"document": "d1"}]'],
        ["t2", "associate", "e2", "e3", None, 1, None, False, "[]"],  # an int for a DOUBLE
    ]),
    "metrics": ("INSERT INTO metrics", [["e1", "degree", 2.0], ["e1", "pagerank", 0.125]]),
    "documents": ("INSERT INTO documents", [
        ["d1", "ab" * 32, "a/report.txt", "ab" * 32, "text", "utf-8", "Report", "2016-03-22",
         None, None, None, "Éric et Saïd — « quote »", "[]", stamp(NOW), "fr"],
    ]),
    "judgements": ("INSERT INTO judgements", [
        [1, 1, "same", "api", "e1", "Tarik", "e2", "Tarek", "ana", stamp(NOW), None, None],
    ]),
    # a TIMESTAMP given as text: Arrow refuses it, the row goes the store's usual way
    "calls": ("INSERT INTO calls", [["d1", 4, None, "+3361", "+3362", "2016-03-22 08:00:00", 61]]),
    "claims": ("INSERT INTO claims (id, document, subject, quantity, value, value_text, "
               "qualifier, unit, evidence, attributed_to, value_high)", [
        ["c1", "d1", "dead", "dead", 31.0, "31", "", "", "{}", "", None],
    ]),
}  # fmt: skip


@pytest.mark.parametrize("table", list(ROWS))
def test_bulk_rows_equal_the_row_by_row_path(
    tmp_path: Path, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from threadline.store import Workspace

    statement, rows = ROWS[table]
    row_by_row: list[str] = []
    usual = Workspace._insert_many

    def counted(self: Workspace, *args: Any, **kw: Any) -> None:
        row_by_row.append(type(self).__name__)
        usual(self, *args, **kw)

    monkeypatch.setattr(Workspace, "_insert_many", counted)
    stored = []
    for where in ("plain", "view"):
        ws = (
            open_workspace(tmp_path / where, create=True)
            if where == "plain"
            else open_view(tmp_path / where)
        )
        with ws.transaction():
            ws._insert_many(statement, [list(r) for r in rows])
        stored.append(ws.con.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall())
        assert isinstance(ws, ViewStore) == (where == "view")
        ws.close()
    assert stored[0] == stored[1]
    assert len(stored[1]) == len(rows)
    # the view took the bulk path, except for the row Arrow cannot type
    assert row_by_row == (["Workspace", "ViewStore"] if table == "calls" else ["Workspace"])
