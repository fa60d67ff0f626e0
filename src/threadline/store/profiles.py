"""The rows an entity profile is made of, read for a few entities only: the entities,
their mentions, the documents those lie in, the ties around them (without their
quotes), their measures and the claims about them.

The entity page of the API reads one entity's profile through these
(:func:`threadline.export.profile.entity_profile`), so it costs a few indexed
reads, not the whole workspace; the JSON export reads every row at once through
the :class:`~threadline.store.workspace.Workspace` methods instead.

>>> import tempfile
>>> from threadline.store import open_workspace
>>> ws = open_workspace(tempfile.mkdtemp() + "/ws", create=True)
>>> entities_by_id(ws, ["e1"]), ties_around(ws, ["e1"]), claims_about(ws, ["e1"])
([], [], [])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from threadline.model import Claim, Document, Entity, Mention
from threadline.store.dialect import numbered
from threadline.store.workspace import (
    _DOC_COLS,
    CLAIM_COLUMNS,
    ENTITY_COLUMNS,
    MENTION_COLUMNS,
    Workspace,
    _mention,
    claim_row,
    entity_row,
)


class TieEnds(NamedTuple):
    """A tie without its evidence: what a profile counts and lists."""

    id: str
    type: str
    source: str
    target: str


def _wanted(ids: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def entities_by_id(ws: Workspace, ids: Sequence[str]) -> list[Entity]:
    """The entities ``ids`` that exist (by id), each with its mention ids."""
    wanted = _wanted(ids)
    if not wanted:
        return []
    marks = numbered(len(wanted))
    rows = ws.con.execute(
        f"SELECT {ENTITY_COLUMNS} FROM entities WHERE id IN ({marks}) ORDER BY id", wanted
    ).fetchall()
    members: dict[str, list[str]] = {}
    for m, e in ws.con.execute(
        f"SELECT mention, entity FROM entity_mentions WHERE entity IN ({marks}) ORDER BY mention",
        wanted,
    ).fetchall():
        members.setdefault(e, []).append(m)
    return [entity_row(r, members.get(r[0], [])) for r in rows]


def entity_heads(ws: Workspace, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """``{id: (name, schema)}`` of the entities ``ids`` that exist."""
    wanted = _wanted(ids)
    if not wanted:
        return {}
    rows = ws.con.execute(
        f"SELECT id, name, schema FROM entities WHERE id IN ({numbered(len(wanted))})", wanted
    ).fetchall()
    return {str(r[0]): (str(r[1]), str(r[2])) for r in rows}


def mentions_of(ws: Workspace, entity_ids: Sequence[str]) -> list[Mention]:
    """The mentions the entities ``entity_ids`` hold, by document and position."""
    wanted = _wanted(entity_ids)
    if not wanted:
        return []
    columns = ", ".join(f"m.{c.strip()}" for c in MENTION_COLUMNS.split(","))
    rows = ws.con.execute(
        f"SELECT {columns} FROM mentions m JOIN entity_mentions em ON em.mention = m.id "
        f"WHERE em.entity IN ({numbered(len(wanted))}) ORDER BY m.document, m.start_, m.id",
        wanted,
    ).fetchall()
    return [_mention(r) for r in rows]


def documents_by_id(ws: Workspace, ids: Sequence[str]) -> list[Document]:
    """The documents ``ids`` that exist (exact ids), with their text."""
    wanted = _wanted(ids)
    if not wanted:
        return []
    rows = ws.con.execute(
        f"SELECT {_DOC_COLS} FROM documents WHERE id IN ({numbered(len(wanted))})", wanted
    ).fetchall()
    return [ws._doc(r) for r in rows]


def ties_around(ws: Workspace, entity_ids: Sequence[str]) -> list[TieEnds]:
    """The extracted ties with an end among ``entity_ids``, by id."""
    wanted = _wanted(entity_ids)
    if not wanted:
        return []
    n = len(wanted)
    rows = ws.con.execute(
        "SELECT id, type, source, target FROM ties "
        f"WHERE source IN ({numbered(n)}) OR target IN ({numbered(n, n + 1)}) ORDER BY id",
        wanted + wanted,
    ).fetchall()
    return [TieEnds(str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]


def metrics_of(ws: Workspace, entity_ids: Sequence[str]) -> dict[str, dict[str, float]]:
    """The stored measures of the entities ``entity_ids``."""
    wanted = _wanted(entity_ids)
    out: dict[str, dict[str, float]] = {}
    if not wanted:
        return out
    for e, name, v in ws.con.execute(
        f"SELECT entity, name, value FROM metrics WHERE entity IN ({numbered(len(wanted))})",
        wanted,
    ).fetchall():
        out.setdefault(e, {})[name] = v
    return out


def claims_about(ws: Workspace, entity_ids: Sequence[str]) -> list[tuple[str, Claim]]:
    """``(entity id, claim)`` for each claim whose subject is a mention of one of
    ``entity_ids``, by document and id (the order of :meth:`Workspace.claims`)."""
    wanted = _wanted(entity_ids)
    if not wanted:
        return []
    columns = ", ".join(f"c.{c.strip()}" for c in CLAIM_COLUMNS.split(","))
    rows = ws.con.execute(
        f"SELECT em.entity, {columns} FROM claims c "
        "JOIN entity_mentions em ON em.mention = c.subject "
        f"WHERE em.entity IN ({numbered(len(wanted))}) ORDER BY c.document, c.id",
        wanted,
    ).fetchall()
    return [(str(r[0]), claim_row(r[1:])) for r in rows]
