"""Server mode: opening PostgreSQL workspaces, several users at once, clear errors."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from threadline.errors import WorkspaceError
from threadline.model import Document
from threadline.store import Workspace, open_workspace
from threadline.store.schema import LATEST_VERSION, SCHEMA_VERSION_KEY


def _doc(text: str, source: str) -> Document:
    sha = Workspace.put_blob_hash(text.encode("utf-8"))
    return Document(id=f"d{sha[:12]}", sha256=sha, source=source, kind="text", text=text)


def test_a_missing_database_is_an_error_naming_the_server_without_the_password(
    pg_cluster: Any,
) -> None:
    url = f"postgresql://postgres:hunter2@127.0.0.1:{pg_cluster.port}/no_such_db"
    with pytest.raises(WorkspaceError) as info:
        open_workspace(url)
    message = str(info.value)
    assert "no_such_db" in message and f"127.0.0.1:{pg_cluster.port}" in message
    assert "hunter2" not in message and "***" in message


def test_an_unreachable_server_is_a_workspace_error(pg_cluster: Any) -> None:
    with pytest.raises(WorkspaceError, match="cannot connect to the PostgreSQL workspace"):
        open_workspace("postgresql://postgres@127.0.0.1:1/threadline?connect_timeout=3")


def test_init_creates_the_database_when_it_is_missing(pg_cluster: Any) -> None:
    url = pg_cluster.url("made_by_init")
    try:
        with open_workspace(url, create=True) as ws:
            assert ws.backend == "postgresql" and ws.schema_version() == LATEST_VERSION
        with open_workspace(url) as ws:
            assert ws.counts()["documents"] == 0
    finally:
        pg_cluster.drop_database(url)


def test_an_empty_database_is_not_a_workspace_until_created(pg_url: str) -> None:
    with pytest.raises(WorkspaceError, match="no workspace at .*threadline init"):
        open_workspace(pg_url)
    with open_workspace(pg_url, create=True) as ws:
        assert ws.schema_version() == LATEST_VERSION


def test_two_processes_opening_a_new_database_at_once_migrate_it_once(pg_url: str) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def opener() -> None:
        try:
            start.wait()
            with open_workspace(pg_url, create=True) as ws:
                assert ws.schema_version() == LATEST_VERSION
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    with open_workspace(pg_url) as ws:
        rows = ws.con.execute("SELECT key, value FROM meta").fetchall()
        assert (SCHEMA_VERSION_KEY, str(LATEST_VERSION)) in rows


def test_two_users_write_at_once_and_see_each_other_after_commit(pg_url: str) -> None:
    a = open_workspace(pg_url, create=True)
    b = open_workspace(pg_url)  # no exclusive lock: a second process opens it too
    try:
        with a.transaction():
            a.add_document(_doc("from ana", "ana/a.txt"))
            assert b.documents() == [], "not visible before the commit"
        with b.transaction():
            b.add_document(_doc("from bo", "bo/b.txt"))
        assert {d.text for d in a.documents()} == {"from ana", "from bo"}
        assert {d.text for d in b.documents()} == {"from ana", "from bo"}
    finally:
        a.close()
        b.close()


def test_a_failed_transaction_leaves_other_sessions_untouched(pg_url: str) -> None:
    with open_workspace(pg_url, create=True) as a, open_workspace(pg_url) as b:
        with pytest.raises(RuntimeError), a.transaction():
            a.add_document(_doc("half", "x/half.txt"))
            raise RuntimeError("crash")
        assert a.documents() == b.documents() == []
        a.add_document(_doc("after", "x/after.txt"))  # the connection is usable again
        assert [d.text for d in b.documents()] == ["after"]


def test_text_sorts_the_same_as_on_duckdb(ws_location: str) -> None:
    names = ["b.txt", "B.txt", "a.txt", "Ä.txt", "_x.txt", "a b.txt", "ab.txt", "Z.txt", "é.txt"]
    with open_workspace(ws_location, create=True) as ws:
        for n in names:
            ws.add_document(_doc(n, f"docs/{n}"))
        got = [d.source for d in ws.documents()]
    assert got == sorted(f"docs/{n}" for n in names), "code-point order on both backends"


def test_a_pool_gives_each_request_its_own_connection(pg_url: str) -> None:
    from threadline.store.postgres import ServerPool

    open_workspace(pg_url, create=True).close()
    pool = ServerPool(pg_url, max_size=4)
    try:
        with pool.connection() as c1, pool.connection() as c2:
            w1 = Workspace.on_server(c1, pg_url, migrate=False)
            w2 = Workspace.on_server(c2, pg_url, migrate=False)
            with w1.transaction():
                w1.add_document(_doc("pooled", "p/a.txt"))
                assert w2.documents() == []
            assert [d.text for d in w2.documents()] == ["pooled"]
    finally:
        pool.close()
