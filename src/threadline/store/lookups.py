"""Small reads several layers share: ids, titles, and which entity a mention is in
(which document it is in: :func:`threadline.store.views.mention_documents`).

Each reads the workspace (or a user's view of it, which is a workspace too) and
writes nothing.

>>> import tempfile
>>> from threadline.store import open_workspace
>>> ws = open_workspace(tempfile.mkdtemp() + "/ws", create=True)
>>> document_ids(ws), mention_entities(ws), entity_ids(ws)
([], {}, set())
"""

from __future__ import annotations

from collections.abc import Sequence

from threadline.store.dialect import numbered
from threadline.store.workspace import Workspace


def document_ids(ws: Workspace) -> list[str]:
    """Every document id, in no particular order."""
    return [str(r[0]) for r in ws.con.execute("SELECT id FROM documents").fetchall()]


def has_document_id(ws: Workspace, document: str) -> bool:
    """Whether a document of exactly this id exists (no prefix or title matching)."""
    return (
        ws.con.execute("SELECT 1 FROM documents WHERE id = $1", [document]).fetchone() is not None
    )


def document_titles(ws: Workspace, documents: Sequence[str]) -> dict[str, str | None]:
    """The title of each of ``documents`` that exists (None: it has none)."""
    if not documents:
        return {}
    marks = numbered(len(documents))
    rows = ws.con.execute(
        f"SELECT id, title FROM documents WHERE id IN ({marks})", list(documents)
    ).fetchall()
    return {str(r[0]): r[1] for r in rows}


def mention_entities(ws: Workspace) -> dict[str, str]:
    """Mention id -> the entity the last resolution put it in."""
    rows = ws.con.execute("SELECT mention, entity FROM entity_mentions").fetchall()
    return {str(m): str(e) for m, e in rows}


def mention_texts(
    ws: Workspace, documents: Sequence[str] | None = None
) -> list[tuple[str, str | None]]:
    """(mention id, text) of every mention, or of every mention in ``documents``."""
    if documents is None:
        rows = ws.con.execute("SELECT id, text FROM mentions").fetchall()
    elif not documents:
        return []
    else:
        marks = numbered(len(documents))
        rows = ws.con.execute(
            f"SELECT id, text FROM mentions WHERE document IN ({marks})", list(documents)
        ).fetchall()
    return [(str(r[0]), r[1]) for r in rows]


def entity_ids(ws: Workspace) -> set[str]:
    return {str(r[0]) for r in ws.con.execute("SELECT id FROM entities").fetchall()}


def tie_ids(ws: Workspace) -> set[str]:
    return {str(r[0]) for r in ws.con.execute("SELECT id FROM ties").fetchall()}


def judgement_ids(ws: Workspace) -> set[int]:
    """The ids of every judgement (undos included) the workspace holds."""
    return {int(r[0]) for r in ws.con.execute("SELECT id FROM judgements").fetchall()}
