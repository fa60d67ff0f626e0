"""What access control reads of the workspace to decide what a user sees: which agency
owns each piece of analyst work (``work_owner``, written by
:func:`threadline.store.views.set_owner`), and whether a view holds a piece of work.

>>> import tempfile
>>> from threadline.store import open_workspace
>>> ws = open_workspace(tempfile.mkdtemp() + "/ws", create=True)
>>> owning_agencies(ws), owner_of(ws, "note", "n1")
(set(), None)
"""

from __future__ import annotations

from threadline.store.workspace import Workspace

#: Where each kind of analyst work is kept (a user's view holds only what they see).
WORK_TABLES = {
    "note": "analyst_notes",
    "asserted_tie": "analyst_ties",
    "judgement": "judgements",
    "correction": "corrections",
}


def owning_agencies(ws: Workspace) -> set[str]:
    """The agencies that own some analyst work."""
    return {str(r[0]) for r in ws.con.execute("SELECT DISTINCT agency FROM work_owner").fetchall()}


def owner_of(ws: Workspace, kind: str, ident: str | int) -> str | None:
    """The agency that owns this piece of work, or None when no agency does."""
    row = ws.con.execute(
        "SELECT agency FROM work_owner WHERE kind = $1 AND id = $2", [kind, str(ident)]
    ).fetchone()
    return None if row is None else str(row[0])


def holds_work(ws: Workspace, kind: str, ident: str | int) -> bool:
    """Whether the workspace (a user's view) holds this piece of work; a kind without a
    table of its own (:data:`WORK_TABLES`) counts as held."""
    table = WORK_TABLES.get(kind)
    if table is None:
        return True
    row = ws.con.execute(
        f"SELECT 1 FROM {table} WHERE CAST(id AS TEXT) = $1", [str(ident)]
    ).fetchone()
    return row is not None
