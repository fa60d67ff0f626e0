"""Audit tamper tests: edit, delete and reorder rows directly in the database;
``threadline audit verify`` names each record."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from threadline.cli.app import app
from threadline.security.audit import read, record, verify
from threadline.store import open_workspace


@pytest.fixture
def logged(ws_location: str) -> str:
    """A log of eight searches, on a fresh workspace of each backend (tests/pg.py)."""
    root = ws_location
    with open_workspace(root, create=True) as ws:
        for k in range(1, 9):
            record(ws, actor=f"user{k}", agency="police", action="search", target=f"q{k}")
        assert verify(ws).ok
    return root


def _verify(root: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, ["audit", "verify", "--workspace", str(root)])
    return r.exit_code, r.output


def test_intact_log_verifies(logged: str) -> None:
    code, out = _verify(logged)
    assert code == 0 and "8 records" in out


def test_edited_record_is_named(logged: str) -> None:
    with open_workspace(logged) as ws:
        ws.con.execute("UPDATE audit_log SET target = 'nothing to see' WHERE seq = 4")
        problems = verify(ws).problems
    assert [(p["seq"], p["problem"]) for p in problems] == [(4, "altered")]
    code, out = _verify(logged)
    assert code == 1 and "record 4 was altered" in out


def test_deleted_records_are_named(logged: str) -> None:
    with open_workspace(logged) as ws:
        ws.con.execute("DELETE FROM audit_log WHERE seq IN (3, 8)")
        problems = verify(ws).problems
    assert ("removed", 3) in [(p["problem"], p["seq"]) for p in problems]
    assert ("removed", 8) in [(p["problem"], p["seq"]) for p in problems]
    code, out = _verify(logged)
    assert code == 1 and "record 3 removed" in out and "records 8-8 removed from the end" in out


def test_reordered_records_are_named(logged: str) -> None:
    with open_workspace(logged) as ws:
        ws.con.execute("UPDATE audit_log SET seq = 100 WHERE seq = 2")
        ws.con.execute("UPDATE audit_log SET seq = 2 WHERE seq = 6")
        ws.con.execute("UPDATE audit_log SET seq = 6 WHERE seq = 100")
        problems = verify(ws).problems
    found = {(p["seq"], p["problem"]) for p in problems}
    assert (2, "moved") in found and (6, "moved") in found
    code, out = _verify(logged)
    assert code == 1 and "record 2 was moved: it was written as record 6" in out


def test_rewritten_chain_is_caught_by_a_head_kept_elsewhere(logged: str) -> None:
    with open_workspace(logged) as ws:
        kept = verify(ws).head[1]
        ws.con.execute("DELETE FROM audit_log")
        ws.con.execute("DELETE FROM audit_head")
        record(ws, actor="forger", agency=None, action="search", target="innocent")
        assert verify(ws).ok  # a consistent new chain...
        assert not verify(ws, expect_head=kept).ok  # ...but not the one kept elsewhere


def test_the_api_offers_no_way_to_change_the_log(shared_api: Any) -> None:
    from threadline.api.access import app_routes

    c, _ = shared_api
    routes = app_routes(c.app)
    audit = [(m, p) for m, p in routes if p.startswith("/api/audit")]
    assert sorted(audit) == [("GET", "/api/audit"), ("GET", "/api/audit/verify")]


def test_concurrent_writers_keep_one_unbroken_chain(api: Any) -> None:
    """Requests append at once while the buffer of reads is written in batches: every
    record lands, once, in one chain (in server mode on several pooled connections)."""
    from concurrent.futures import ThreadPoolExecutor

    from threadline.security import Principal

    c, _ = api
    access = c.app.state.access
    with access.home.database() as ws:
        before = verify(ws).records

    def write(k: int) -> None:
        who = Principal(name=f"user{k % 4}", agency="police", role="analyst")
        access.audit(who, "search", f"q{k}", now=k % 2 == 0)
        if k % 10 == 0:
            access.flush()

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(write, range(80)))
    access.flush()
    with access.home.database() as ws:
        checked = verify(ws)
        targets = [r["target"] for r in read(ws, action="search", limit=500)[0]]
    assert checked.ok, checked.problems
    assert checked.records == before + 80
    assert sorted(t for t in targets if t.startswith("q")) == sorted(f"q{k}" for k in range(80))


def test_a_batch_of_records_is_one_chain_written_in_a_few_statements(logged: str) -> None:
    from threadline.security.audit import record_many

    with open_workspace(logged) as ws:
        statements: list[str] = []
        real = ws.con

        class Spy:
            def execute(self, sql: str, params: Any = None) -> Any:
                statements.append(sql.split()[0])
                return real.execute(sql, params)

            def __getattr__(self, name: str) -> Any:
                return getattr(real, name)

        ws.con = Spy()  # type: ignore[assignment]
        made = record_many(ws, [{"actor": f"a{k}", "agency": "intel", "action": "entity.view",
                                 "target": f"e{k}", "detail": {"k": k}} for k in range(50)])  # fmt: skip
        ws.con = real
        assert [m["seq"] for m in made] == list(range(9, 59))
        assert len(statements) <= 6, statements  # not three per record
        record(ws, actor="after", agency=None, action="search", target="x")
        checked = verify(ws)
        assert checked.ok and checked.records == 59
        items, _ = read(ws, action="entity.view", limit=100)
        assert [i["target"] for i in reversed(items)] == [f"e{k}" for k in range(50)]
