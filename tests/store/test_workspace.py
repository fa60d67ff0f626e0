"""The workspace: schema versions, refusing what it cannot open, transactions, blobs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from threadline.errors import NotFoundError, WorkspaceError
from threadline.model import Document
from threadline.store import Workspace, open_workspace
from threadline.store.schema import LATEST_VERSION, SCHEMA_VERSION_KEY
from threadline.store.workspace import DB_NAME, is_server_location


def _doc(text: str, source: str = "notes/a.txt") -> Document:
    sha = Workspace.put_blob_hash(text.encode("utf-8"))
    return Document(id=f"d{sha[:12]}", sha256=sha, source=source, kind="text", text=text)


def _raw(location: str, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """Run ``sql`` on the workspace's database directly, bypassing threadline."""
    if is_server_location(location):
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn:
            cur = conn.execute(sql.replace("?", "%s"), params)
            return cur.fetchall() if cur.description else []
    con = duckdb.connect(str(Path(location) / DB_NAME))
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _set_version(location: str | Path, version: str) -> None:
    _raw(str(location), "UPDATE meta SET value = ? WHERE key = ?", [version, SCHEMA_VERSION_KEY])


# ------------------------------------------------------------------ opening


def test_new_workspace_is_at_the_latest_schema_version(ws_location: str) -> None:
    with open_workspace(ws_location, create=True) as ws:
        assert ws.schema_version() == LATEST_VERSION
        if ws.backend == "duckdb":
            assert (Path(ws_location) / "blobs").is_dir()
        else:
            assert ws.root is None and ws.has_table("blobs")
    with open_workspace(ws_location) as ws:  # reopening migrates nothing
        assert ws.schema_version() == LATEST_VERSION


def test_workspace_from_before_the_schema_baseline_is_refused_naming_its_version_and_the_rebuild(
    ws_location: str,
) -> None:
    # what a development build before 0.1.0 left: its own history, version 13
    if not is_server_location(ws_location):
        Path(ws_location).mkdir()
    _raw(ws_location, "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    _raw(ws_location, "INSERT INTO meta VALUES ('schema_version', '13')")
    _raw(ws_location, "CREATE TABLE documents (id TEXT PRIMARY KEY, text TEXT)")
    _raw(ws_location, "INSERT INTO documents VALUES ('d1', 'kept text')")
    with pytest.raises(WorkspaceError) as info:
        open_workspace(ws_location)
    message = str(info.value)
    assert ws_location in message and "schema version 13" in message
    assert "threadline run FILES... --workspace NEW" in message
    # refused, not changed (and not left locked)
    assert _raw(ws_location, "SELECT key, value FROM meta") == [("schema_version", "13")]
    assert _raw(ws_location, "SELECT id, text FROM documents") == [("d1", "kept text")]


def test_workspace_from_a_newer_threadline_is_refused_naming_the_folder(
    ws_location: str,
) -> None:
    open_workspace(ws_location, create=True).close()
    _set_version(ws_location, str(LATEST_VERSION + 1))
    with pytest.raises(WorkspaceError) as info:
        open_workspace(ws_location)
    message = str(info.value)
    assert ws_location in message
    assert f"schema version {LATEST_VERSION + 1}" in message and "upgrade threadline" in message
    # refusing it did not keep it locked or change it
    row = _raw(ws_location, "SELECT value FROM meta WHERE key = ?", [SCHEMA_VERSION_KEY])
    assert row == [(str(LATEST_VERSION + 1),)]


def test_missing_workspace_without_create_is_an_error_naming_the_path(tmp_path: Path) -> None:
    root = tmp_path / "nowhere"
    with pytest.raises(WorkspaceError) as info:
        open_workspace(root)
    assert str(root) in str(info.value) and "threadline init" in str(info.value)
    assert not root.exists(), "a failed open creates nothing"


def test_a_file_given_as_workspace_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a workspace", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="is a file, not a workspace folder"):
        open_workspace(path, create=True)
    assert path.read_text(encoding="utf-8") == "not a workspace"


def test_a_damaged_database_is_refused_with_a_workspace_error(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    (root / DB_NAME).write_bytes(b"this is not a DuckDB database at all\n" * 200)
    with pytest.raises(WorkspaceError) as info:
        open_workspace(root)
    assert str(root) in str(info.value)


def test_an_unreadable_schema_version_is_refused(ws_location: str) -> None:
    open_workspace(ws_location, create=True).close()
    _set_version(ws_location, "banana")
    with pytest.raises(WorkspaceError, match="unreadable schema version"):
        open_workspace(ws_location)


# ------------------------------------------------------------------ transactions


def test_transaction_rolls_back_every_write_on_an_error(ws_location: str) -> None:
    with open_workspace(ws_location, create=True) as ws:
        with pytest.raises(RuntimeError), ws.transaction():
            ws.add_document(_doc("first"))
            ws.add_document(_doc("second", "notes/b.txt"))
            raise RuntimeError("crash midway")
        assert ws.documents() == []
        with ws.transaction():
            ws.add_document(_doc("first"))
        assert [d.text for d in ws.documents()] == ["first"]


def test_transaction_rolls_back_on_ctrl_c(ws_location: str) -> None:
    with open_workspace(ws_location, create=True) as ws:
        with pytest.raises(KeyboardInterrupt), ws.transaction():
            ws.add_document(_doc("first"))
            raise KeyboardInterrupt
        assert ws.documents() == []
    with open_workspace(ws_location) as ws:
        assert ws.counts()["documents"] == 0


def test_nested_transactions_commit_or_roll_back_as_one(ws_location: str) -> None:
    with open_workspace(ws_location, create=True) as ws:
        with pytest.raises(RuntimeError), ws.transaction():
            with ws.transaction():
                ws.add_document(_doc("inner"))
            ws.add_document(_doc("outer", "notes/b.txt"))
            raise RuntimeError("after the inner one finished")
        assert ws.documents() == [], "the inner transaction did not commit on its own"
        with ws.transaction():
            with ws.transaction():
                ws.add_document(_doc("inner"))
            ws.add_document(_doc("outer", "notes/b.txt"))
        assert {d.text for d in ws.documents()} == {"inner", "outer"}


# ------------------------------------------------------------------ blobs and documents


def test_blob_is_stored_once_under_its_hash(ws_location: str) -> None:
    with open_workspace(ws_location, create=True) as ws:
        sha = ws.put_blob(b"same bytes")
        assert ws.put_blob(b"same bytes") == sha == Workspace.put_blob_hash(b"same bytes")
        assert ws.blob_path(sha).read_bytes() == b"same bytes"
        assert ws.read_blob(sha) == b"same bytes"
        if ws.backend == "duckdb":
            files = [p for p in (Path(ws_location) / "blobs").rglob("*") if p.is_file()]
            assert files == [ws.blob_path(sha)]
        else:
            assert ws.con.execute("SELECT sha256 FROM blobs").fetchall() == [(sha,)]
        with pytest.raises(NotFoundError, match="no stored file"):
            ws.read_blob("0" * 64)


def test_blob_is_kept_while_a_document_uses_it_and_removed_after(ws_location: str) -> None:
    with open_workspace(ws_location, create=True) as ws:
        doc = _doc("kept text")
        ws.put_blob(doc.text.encode("utf-8"))
        ws.add_document(doc)
        assert not ws.delete_blob(doc.sha256)
        assert ws.blob_path(doc.sha256).exists()
        ws.delete_document(doc.id)
        assert ws.delete_blob(doc.sha256)
        assert not ws.blob_path(doc.sha256).exists()
        assert not ws.blob_path(doc.sha256).parent.exists(), "empty fan-out folder removed"
        assert not ws.delete_blob(doc.sha256), "removing twice is harmless"
        with pytest.raises(NotFoundError):
            ws.read_blob(doc.sha256)


def test_document_is_found_by_id_hash_prefix_or_file_name(ws_location: str) -> None:
    with open_workspace(ws_location, create=True) as ws:
        a, b = _doc("alpha", "corpus/a.txt"), _doc("beta", "corpus/b.txt")
        ws.add_document(a)
        ws.add_document(b)
        for ref in (a.id, a.sha256, a.sha256[:10], "corpus/a.txt", "a.txt"):
            assert ws.document(ref).id == a.id
        with pytest.raises(NotFoundError, match="'zzz' matches no document"):
            ws.document("zzz")
        with pytest.raises(NotFoundError, match="matches 2 documents"):
            ws.document("d")


def test_a_workspace_locked_by_another_process_is_refused(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = tmp_path / "ws"
    open_workspace(root, create=True).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('held', flush=True); "
            "sys.stdin.read()",
            str(root / DB_NAME),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(WorkspaceError) as info:
            open_workspace(root)
        assert str(root) in str(info.value) and "another threadline" in str(info.value)
    finally:
        holder.communicate("", timeout=30)
    with open_workspace(root) as ws:  # usable again once the other process is gone
        assert ws.schema_version() == LATEST_VERSION
