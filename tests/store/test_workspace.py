"""The workspace: schema versions, refusing what it cannot open, transactions, blobs."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from threadline.errors import NotFoundError, WorkspaceError
from threadline.model import Document
from threadline.store import Workspace, open_workspace
from threadline.store.schema import LATEST_VERSION, MIGRATIONS, SCHEMA_VERSION_KEY
from threadline.store.workspace import DB_NAME


def _doc(text: str, source: str = "notes/a.txt") -> Document:
    sha = Workspace.put_blob_hash(text.encode("utf-8"))
    return Document(id=f"d{sha[:12]}", sha256=sha, source=source, kind="text", text=text)


def _set_version(root: Path, version: str) -> None:
    con = duckdb.connect(str(root / DB_NAME))
    con.execute("UPDATE meta SET value = ? WHERE key = ?", [version, SCHEMA_VERSION_KEY])
    con.close()


# ------------------------------------------------------------------ opening


def test_new_workspace_is_at_the_latest_schema_version(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws", create=True) as ws:
        assert ws.schema_version() == LATEST_VERSION
        assert (tmp_path / "ws" / "blobs").is_dir()
    with open_workspace(tmp_path / "ws") as ws:  # reopening migrates nothing
        assert ws.schema_version() == LATEST_VERSION


def test_workspace_at_an_older_schema_version_is_migrated_keeping_its_data(
    tmp_path: Path,
) -> None:
    if LATEST_VERSION < 2:
        pytest.skip("only one schema version so far")
    root = tmp_path / "old-ws"
    root.mkdir()
    con = duckdb.connect(str(root / DB_NAME))
    for statement in MIGRATIONS[0]:
        con.execute(statement)
    con.execute("INSERT INTO meta VALUES (?, '1')", [SCHEMA_VERSION_KEY])
    con.execute(
        "INSERT INTO documents (id, sha256, source, blob, kind, text) VALUES (?,?,?,?,?,?)",
        ["d1", "ab" * 32, "old/a.txt", "ab" * 32, "text", "kept text"],
    )
    con.close()
    with open_workspace(root) as ws:
        assert ws.schema_version() == LATEST_VERSION
        assert [(d.id, d.text) for d in ws.documents()] == [("d1", "kept text")]


def test_workspace_from_a_newer_threadline_is_refused_naming_the_folder(tmp_path: Path) -> None:
    root = tmp_path / "future-ws"
    open_workspace(root, create=True).close()
    _set_version(root, str(LATEST_VERSION + 1))
    with pytest.raises(WorkspaceError) as info:
        open_workspace(root)
    message = str(info.value)
    assert str(root) in message
    assert f"schema version {LATEST_VERSION + 1}" in message and "upgrade threadline" in message
    # refusing it did not keep it locked or change it
    con = duckdb.connect(str(root / DB_NAME))
    row = con.execute("SELECT value FROM meta WHERE key = ?", [SCHEMA_VERSION_KEY]).fetchone()
    con.close()
    assert row == (str(LATEST_VERSION + 1),)


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


def test_an_unreadable_schema_version_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    open_workspace(root, create=True).close()
    _set_version(root, "banana")
    with pytest.raises(WorkspaceError, match="unreadable schema version"):
        open_workspace(root)


# ------------------------------------------------------------------ transactions


def test_transaction_rolls_back_every_write_on_an_error(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws", create=True) as ws:
        with pytest.raises(RuntimeError), ws.transaction():
            ws.add_document(_doc("first"))
            ws.add_document(_doc("second", "notes/b.txt"))
            raise RuntimeError("crash midway")
        assert ws.documents() == []
        with ws.transaction():
            ws.add_document(_doc("first"))
        assert [d.text for d in ws.documents()] == ["first"]


def test_transaction_rolls_back_on_ctrl_c(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws", create=True) as ws:
        with pytest.raises(KeyboardInterrupt), ws.transaction():
            ws.add_document(_doc("first"))
            raise KeyboardInterrupt
        assert ws.documents() == []
    with open_workspace(tmp_path / "ws") as ws:
        assert ws.counts()["documents"] == 0


def test_nested_transactions_commit_or_roll_back_as_one(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws", create=True) as ws:
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


def test_blob_is_stored_once_under_its_hash(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws", create=True) as ws:
        sha = ws.put_blob(b"same bytes")
        assert ws.put_blob(b"same bytes") == sha == Workspace.put_blob_hash(b"same bytes")
        assert ws.blob_path(sha).read_bytes() == b"same bytes"
        files = [p for p in (tmp_path / "ws" / "blobs").rglob("*") if p.is_file()]
        assert files == [ws.blob_path(sha)]


def test_blob_is_kept_while_a_document_uses_it_and_removed_after(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws", create=True) as ws:
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


def test_document_is_found_by_id_hash_prefix_or_file_name(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws", create=True) as ws:
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
