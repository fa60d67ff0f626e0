"""Derived work (notes, asserted ties, judgements, watches): what each piece names, and
the names a workspace shows. Their SQL; the rule that reads them is
:mod:`threadline.security.derived`.

Table: ``work_basis`` (kind, id -> the entity ids and name keys a piece of work
names, as JSON lists). It reads ``mentions``, ``entities``, ``analyst_notes`` and ``analyst_ties``, and deletes from
the last two in a user's view.

>>> import tempfile
>>> from threadline.store import open_workspace
>>> ws = open_workspace(tempfile.mkdtemp() + "/ws", create=True)
>>> set_basis(ws, "note", "n1", entities=["e2", "e1"], names=["omar"])
>>> entities, names = bases(ws, "note")["n1"]
>>> sorted(entities), sorted(names)
(['e1', 'e2'], ['omar'])
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from threadline.store.workspace import Workspace

#: The tables of analyst work a view may hold that the rule may drop from it.
_VIEW_WORK = ("analyst_notes", "analyst_ties")


def set_basis(
    ws: Workspace, kind: str, ident: str | int, *, entities: Iterable[str], names: Iterable[str]
) -> None:
    """Store what a piece of work names, replacing what was stored for it."""
    ws.con.execute(
        "INSERT INTO work_basis (kind, id, entities, names) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (kind, id) DO UPDATE SET entities = excluded.entities, "
        "names = excluded.names",
        [kind, str(ident), json.dumps(sorted(set(entities))), json.dumps(sorted(set(names)))],
    )


def bases(ws: Workspace, kind: str) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Work id -> (entity ids, name keys) it names, for each piece of ``kind``."""
    rows = ws.con.execute(
        "SELECT id, entities, names FROM work_basis WHERE kind = ?", [kind]
    ).fetchall()
    return {str(r[0]): (frozenset(json.loads(r[1])), frozenset(json.loads(r[2]))) for r in rows}


def shown_names(ws: Workspace) -> list[str]:
    """Every name the workspace shows, as written: the texts and keys of its mentions,
    and its entities' names, names and aliases (empty ones left out)."""
    out: list[str] = []
    for text, key in ws.con.execute("SELECT text, key FROM mentions").fetchall():
        out.extend(v for v in (text, key) if v)
    for name, names, aliases in ws.con.execute(
        "SELECT name, names, aliases FROM entities"
    ).fetchall():
        values = [name, *json.loads(names or "[]"), *json.loads(aliases or "[]")]
        out.extend(v for v in values if v)
    return out


def note_targets(ws: Workspace) -> list[tuple[str, str, str]]:
    """(note id, target kind, target) of every analyst note the workspace holds."""
    rows = ws.con.execute("SELECT id, target_kind, target FROM analyst_notes").fetchall()
    return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]


def asserted_tie_ends(ws: Workspace) -> list[tuple[str, str, str]]:
    """(id, source entity, target entity) of every asserted tie the workspace holds."""
    rows = ws.con.execute("SELECT id, source, target FROM analyst_ties").fetchall()
    return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]


def drop_view_work(ws: Workspace, *, notes: Sequence[str], ties: Sequence[str]) -> None:
    """Delete these analyst notes and asserted ties (from a user's view, one transaction)."""
    with ws.transaction():
        for table, ids in zip(_VIEW_WORK, (notes, ties), strict=True):
            for i in ids:
                ws.con.execute(f"DELETE FROM {table} WHERE id = ?", [i])
