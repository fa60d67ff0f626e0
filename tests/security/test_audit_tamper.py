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


def test_reading_the_log_pages_newest_first_after_deletes_in_the_same_session(
    logged: str,
) -> None:
    """An auditor's pages stay right after records were deleted in the session that reads
    (DuckDB 2.0 may answer ``ORDER BY seq DESC LIMIT`` wrongly then), filtered or not."""
    with open_workspace(logged) as ws:
        record(ws, actor="user2", agency="intel", action="entity.view", target="e1")
        ws.con.execute("DELETE FROM audit_log WHERE seq IN (3, 8)")
        pages = [[r["seq"] for r in read(ws, limit=3, offset=k)[0]] for k in (0, 3, 6)]
        assert pages == [[9, 7, 6], [5, 4, 2], [1]]
        assert read(ws, limit=3)[1] == 7
        searches, total = read(ws, action="sea*", limit=2, offset=1)
        assert [r["seq"] for r in searches] == [6, 5] and total == 6
        assert [r["seq"] for r in read(ws, actor="user2")[0]] == [9, 2]
        assert read(ws, limit=5, offset=7) == ([], 7)


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
        ws.con.execute("DELETE FROM audit_heads")
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
        access.auditor.record(who, "search", f"q{k}", now=k % 2 == 0)
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


# -- anchors: signed checkpoints outside the database (issue 24) -----------------------------


@pytest.fixture
def anchored(ws_location: str, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any]:
    """A log of eight searches written with anchoring on (a file and a key outside the
    database), on each backend."""
    from threadline.security.audit import ANCHOR_FILE_ENV, ANCHOR_KEY_ENV

    anchors = tmp_path / "anchors.jsonl"
    monkeypatch.setenv(ANCHOR_FILE_ENV, str(anchors))
    monkeypatch.setenv(ANCHOR_KEY_ENV, "a key the database never sees")
    with open_workspace(ws_location, create=True) as ws:
        for k in range(1, 9):
            record(ws, actor=f"user{k}", agency="police", action="search", target=f"q{k}")
    return ws_location, anchors


def _append(ws: Any, seq: int, actor: str, prev: str | None = None) -> str:
    """Append a record straight into the database with a correct hash (an insider)."""
    from threadline.security.audit import _fields, record_hash

    row = ws.con.execute(
        "SELECT hash, logged_at FROM audit_log WHERE seq = $1", [seq - 1]
    ).fetchone()
    before = prev if prev is not None else (str(row[0]) if row else "0" * 64)
    at = str(row[1]) if row else "2026-01-01T00:00:00.000000+00:00"
    fields = _fields(seq, at, actor, "police", "search", "forged", "{}")
    digest = record_hash(before, fields)
    ws.con.execute(
        "INSERT INTO audit_log (seq, logged_at, actor, agency, action, target, detail, prev_hash, "
        "hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        [seq, at, actor, "police", "search", "forged", "{}", before, digest],
    )
    ws.con.execute("INSERT INTO audit_heads (seq, hash) VALUES ($1, $2)", [seq, digest])
    return digest


def _rechain(ws: Any, keep: list[int]) -> None:
    """Rewrite the chain from the records ``keep`` with recomputed hashes and numbers."""
    from threadline.security.audit import GENESIS, _fields, record_hash

    rows = ws.con.execute(
        "SELECT seq, logged_at, actor, agency, action, target, detail FROM audit_log ORDER BY seq"
    ).fetchall()
    ws.con.execute("DELETE FROM audit_log")
    prev, seq = GENESIS, 0
    for r in rows:
        if int(r[0]) not in keep:
            continue
        seq += 1
        digest = record_hash(prev, _fields(seq, r[1], r[2], r[3], r[4], r[5], r[6]))
        ws.con.execute(
            "INSERT INTO audit_log (seq, logged_at, actor, agency, action, target, detail, "
            "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            [seq, r[1], r[2], r[3], r[4], r[5], r[6], prev, digest],
        )
        prev = digest
    ws.con.execute("DELETE FROM audit_heads")
    ws.con.execute("INSERT INTO audit_heads (seq, hash) VALUES ($1, $2)", [seq, prev])


def _tamper_last_and_head(ws: Any) -> None:
    ws.con.execute("DELETE FROM audit_log WHERE seq = 8")
    row = ws.con.execute("SELECT hash FROM audit_log WHERE seq = 7").fetchone()
    ws.con.execute("DELETE FROM audit_heads WHERE seq >= 7")
    ws.con.execute("INSERT INTO audit_heads (seq, hash) VALUES (7, $1)", [row[0]])


TAMPERS = {
    "last row removed and the head moved back": _tamper_last_and_head,
    "forged append with a correct hash": lambda ws: _append(ws, 9, "nobody"),
    "a row removed and the rest re-chained": lambda ws: _rechain(ws, [1, 2, 3, 5, 6, 7, 8]),
    "the whole chain rewritten": lambda ws: (
        ws.con.execute("UPDATE audit_log SET target = 'x'"),
        _rechain(ws, list(range(1, 9))),
    ),
    "everything truncated": lambda ws: (
        ws.con.execute("DELETE FROM audit_log"),
        ws.con.execute("DELETE FROM audit_heads"),
    ),
}


def test_anchors_raise_no_alarm_on_a_growing_log(anchored: tuple[str, Any]) -> None:
    location, anchors = anchored
    with open_workspace(location) as ws:
        for k in range(20):  # the log keeps growing while it is checked
            record(ws, actor="ana", agency="police", action="search", target=f"more {k}")
            with ws.transaction():  # also inside a caller's transaction
                record(ws, actor="ana", agency="police", action="entity.view", target="e1")
            assert verify(ws).ok, verify(ws).problems
    assert len(anchors.read_text().splitlines()) == 48
    code, out = _verify(location)
    assert code == 0, out


@pytest.mark.parametrize("case", sorted(TAMPERS))
def test_anchors_catch_what_the_chain_alone_cannot(
    anchored: tuple[str, Any], case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each of these leaves a chain that verifies on its own; the anchors catch it, on a
    log that keeps growing afterwards."""
    from threadline.security.audit import ANCHOR_FILE_ENV

    location, anchors = anchored
    with open_workspace(location) as ws:
        TAMPERS[case](ws)
    with monkeypatch.context() as m:
        m.delenv(ANCHOR_FILE_ENV)
        with open_workspace(location) as ws:
            assert verify(ws).ok, case  # the chain alone sees nothing
    with open_workspace(location) as ws:
        record(ws, actor="ana", agency="police", action="search", target="after")
        problems = verify(ws).problems
    assert problems, case
    assert {p["problem"] for p in problems} & {"removed", "rewritten", "unanchored"}, problems
    code, _ = _verify(location)
    assert code == 1


def test_a_forged_anchor_is_named(anchored: tuple[str, Any]) -> None:
    location, anchors = anchored
    lines = anchors.read_text().splitlines()
    anchors.write_text("\n".join([*lines, lines[-1].replace('"to": 8', '"to": 9')]) + "\n")
    with open_workspace(location) as ws:
        problems = verify(ws).problems
    assert [p["problem"] for p in problems] == ["anchor"]


# -- the 13 tamper cases of issue 24, each on a log that keeps growing ------------------------


def _swap(ws: Any, columns: str, a: int, b: int) -> None:
    """Swap ``columns`` (comma separated) between records ``a`` and ``b``."""
    names = [c.strip() for c in columns.split(",")]
    first = ws.con.execute(f"SELECT {columns} FROM audit_log WHERE seq = $1", [a]).fetchone()
    second = ws.con.execute(f"SELECT {columns} FROM audit_log WHERE seq = $1", [b]).fetchone()
    sets = ", ".join(f"{n} = ${k}" for k, n in enumerate(names, 1))
    where = f"WHERE seq = ${len(names) + 1}"
    ws.con.execute(f"UPDATE audit_log SET {sets} {where}", [*second, a])
    ws.con.execute(f"UPDATE audit_log SET {sets} {where}", [*first, b])


def _swap_numbers(ws: Any) -> None:
    ws.con.execute("UPDATE audit_log SET seq = 100 WHERE seq = 2")
    ws.con.execute("UPDATE audit_log SET seq = 2 WHERE seq = 6")
    ws.con.execute("UPDATE audit_log SET seq = 6 WHERE seq = 100")


ALL_TAMPERS = {
    "a row edited": lambda ws: ws.con.execute(
        "UPDATE audit_log SET target = 'nothing to see' WHERE seq = 4"
    ),
    "one byte changed": lambda ws: ws.con.execute(
        "UPDATE audit_log SET actor = 'user7' WHERE seq = 6"  # was user6: one byte
    ),
    "a row back-dated": lambda ws: ws.con.execute(
        "UPDATE audit_log SET logged_at = '2020-01-01T00:00:00.000000+00:00' WHERE seq = 5"
    ),
    "a middle row deleted": lambda ws: ws.con.execute("DELETE FROM audit_log WHERE seq = 4"),
    "the last row deleted": lambda ws: ws.con.execute("DELETE FROM audit_log WHERE seq = 8"),
    "the head row deleted": lambda ws: ws.con.execute("DELETE FROM audit_heads"),
    "numbers swapped": _swap_numbers,
    "contents swapped": lambda ws: _swap(ws, "actor, target", 3, 7),
    **TAMPERS,
}


def test_the_issue_lists_thirteen_cases() -> None:
    assert len(ALL_TAMPERS) == 13


@pytest.mark.parametrize("case", sorted(ALL_TAMPERS))
def test_every_tamper_case_is_caught_while_the_log_grows(
    anchored: tuple[str, Any], case: str
) -> None:
    """Each case is reported by ``audit verify`` right after it, and still after the
    server has gone on appending (searches, views) between checks: the records written
    after the tamper do not hide it, and raise no alarm of their own."""
    location, _ = anchored
    with open_workspace(location) as ws:
        ALL_TAMPERS[case](ws)
        first = verify(ws).problems
        later: list[list[dict[str, Any]]] = []
        for k in range(5):
            record(ws, actor="ana", agency="police", action="search", target=f"after {k}")
            later.append(verify(ws).problems)
    # a forged append carries a time of the forger's choosing; one written "now" gets the
    # grace a genuine record has for its checkpoint (5 s), until the next append is anchored
    assert first or case == "forged append with a correct hash", case
    assert all(later), (case, later)
    assert all(p["seq"] <= 9 for p in later[-1]), (case, later[-1])  # the new records are clean
    code, out = _verify(location)
    assert code == 1, out


def test_a_growing_untouched_log_raises_no_alarm_on_either_backend(
    anchored: tuple[str, Any],
) -> None:
    location, _ = anchored
    with open_workspace(location) as ws:
        for k in range(30):
            record(ws, actor="ana", agency="police", action="search", target=f"k{k}")
            assert verify(ws).ok, verify(ws).problems
    assert _verify(location)[0] == 0
