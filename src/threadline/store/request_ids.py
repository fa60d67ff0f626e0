"""The ``request_ids`` table: each user's request ids, with the answer given to each.

:mod:`threadline.api.idempotency` decides when an id is stored and what a retry gets
back; this module holds its SQL.

>>> import tempfile
>>> from threadline.store import open_workspace
>>> ws = open_workspace(tempfile.mkdtemp() + "/ws", create=True)
>>> store_answer(ws, StoredRequest("ana", "k1", "POST", "/api/notes", 200, "{}"), at="2026-01-01")
>>> find(ws, "ana", "k1").status
200
"""

from __future__ import annotations

from typing import NamedTuple

from threadline.store.workspace import Workspace


class StoredRequest(NamedTuple):
    """A request id as stored: the answer is None while it has not been kept."""

    user: str
    request_id: str
    method: str
    path: str
    status: int | None
    response: str | None


def find(ws: Workspace, user: str, request_id: str) -> StoredRequest | None:
    row = ws.con.execute(
        "SELECT method, path, status, response FROM request_ids "
        "WHERE user_name = $1 AND request_id = $2",
        [user, request_id],
    ).fetchone()
    if row is None:
        return None
    status = None if row[2] is None else int(row[2])
    response = None if row[3] is None else str(row[3])
    return StoredRequest(user, request_id, str(row[0]), str(row[1]), status, response)


def wrote_in_transaction(ws: Workspace) -> bool:
    """Whether the transaction under way has written anything (PostgreSQL tells; on an
    embedded workspace every transaction counts as a write)."""
    if ws.backend != "postgresql":
        return True
    row = ws.con.execute("SELECT txid_current_if_assigned()").fetchone()
    return row is not None and row[0] is not None


def claim(ws: Workspace, user: str, request_id: str, method: str, path: str, *, at: str) -> None:
    """Store the id with no answer yet (raises the database's constraint error when the
    user already sent it)."""
    ws.con.execute(
        "INSERT INTO request_ids (user_name, request_id, method, path, created_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        [user, request_id, method, path, at],
    )


def set_answer(ws: Workspace, user: str, request_id: str, status: int, response: str) -> None:
    """Keep the answer of a claimed id."""
    ws.con.execute(
        "UPDATE request_ids SET status = $1, response = $2 WHERE user_name = $3 AND request_id = $4",
        [status, response, user, request_id],
    )


def store_answer(ws: Workspace, request: StoredRequest, *, at: str) -> None:
    """Store an id with its answer, unless the user's id is already there."""
    ws.con.execute(
        "INSERT INTO request_ids (user_name, request_id, method, path, status, response, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_name, request_id) DO NOTHING",
        [*request, at],
    )


def forget_before(ws: Workspace, moment: str) -> None:
    """Drop the ids stored before ``moment``."""
    ws.con.execute("DELETE FROM request_ids WHERE created_at < $1", [moment])
