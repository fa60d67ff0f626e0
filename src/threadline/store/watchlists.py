"""Watchlists, their entries and screening hits: their SQL.

A list is stored whole under its name; importing a list of the same name again
replaces it. Hits are the screening's account of its last run and are replaced
with it.

>>> import tempfile
>>> from threadline.model.watchlist import ListedName, Watchlist, WatchlistEntry
>>> from threadline.store import open_workspace
>>> ws = open_workspace(tempfile.mkdtemp() + "/ws", create=True)
>>> entry = WatchlistEntry("Test list", "T1", "Person", "Karim Oudra", [ListedName("Karim Oudra")])
>>> replace_watchlist(ws, Watchlist("Test list", "list.csv", "csv", [entry]), sha256="00")
>>> [(w["name"], w["entries"]) for w in watchlists(ws)]
[('Test list', 1)]
>>> watchlist_entries(ws)[0].names[0].name
'Karim Oudra'
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from threadline.model.watchlist import ListedName, Watchlist, WatchlistEntry, WatchlistHit
from threadline.store.times import stamp
from threadline.store.workspace import Workspace


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def replace_watchlist(ws: Workspace, wl: Watchlist, *, sha256: str | None = None) -> None:
    """Store ``wl`` (replacing a list of the same name) in one transaction."""
    with ws.transaction():
        ws.con.execute("DELETE FROM watchlist_entries WHERE list = $1", [wl.name])
        ws.con.execute("DELETE FROM watchlist_hits WHERE list = $1", [wl.name])
        ws.con.execute("DELETE FROM watchlists WHERE name = $1", [wl.name])
        ws.con.execute(
            "INSERT INTO watchlists (name, source, format, sha256, generated, entries, "
            "problems, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            [
                wl.name,
                wl.source,
                wl.format,
                sha256,
                wl.generated,
                len(wl.entries),
                _j(wl.problems),
                stamp(),
            ],
        )
        rows = [
            [
                wl.name,
                e.entry_id,
                e.schema,
                e.name,
                _j([n.to_dict() for n in e.names]),
                _j(e.data),
                e.row,
            ]
            for e in wl.entries
        ]
        ws._insert_many("INSERT INTO watchlist_entries", rows)


def delete_watchlist(ws: Workspace, name: str) -> bool:
    """Remove a list, its entries and its hits; False when no list has that name."""
    with ws.transaction():
        row = ws.con.execute("SELECT count(*) FROM watchlists WHERE name = $1", [name]).fetchone()
        if not row or not row[0]:
            return False
        for table, col in (
            ("watchlist_entries", "list"),
            ("watchlist_hits", "list"),
            ("watchlists", "name"),
        ):
            ws.con.execute(f"DELETE FROM {table} WHERE {col} = $1", [name])
    return True


def watchlists(ws: Workspace) -> list[dict[str, Any]]:
    """The stored lists: name, source, format, entries (persons / organisations), when."""
    rows = ws.con.execute(
        "SELECT w.name, w.source, w.format, w.sha256, w.generated, w.entries, w.problems, "
        "w.imported_at, "
        "(SELECT count(*) FROM watchlist_entries e WHERE e.list = w.name AND e.schema = 'Person'), "
        "(SELECT count(*) FROM watchlist_hits h WHERE h.list = w.name) "
        "FROM watchlists w ORDER BY w.name"
    ).fetchall()
    return [
        {
            "name": r[0],
            "source": r[1],
            "format": r[2],
            "sha256": r[3],
            "generated": r[4],
            "entries": r[5],
            "persons": r[8],
            "organizations": r[5] - r[8],
            "problems": len(json.loads(r[6] or "[]")),
            "imported_at": str(r[7]) if r[7] is not None else None,
            "hits": r[9],
        }
        for r in rows
    ]


def has_watchlists(ws: Workspace) -> bool:
    row = ws.con.execute("SELECT count(*) FROM watchlists").fetchone()
    return bool(row and row[0])


def watchlist_entries(ws: Workspace) -> list[WatchlistEntry]:
    """Every entry of every stored list."""
    rows = ws.con.execute(
        "SELECT list, entry_id, schema, name, names, data, row_ FROM watchlist_entries "
        "ORDER BY list, entry_id"
    ).fetchall()
    return [
        WatchlistEntry(
            list=r[0],
            entry_id=r[1],
            schema=r[2],
            name=r[3],
            names=[ListedName(**n) for n in json.loads(r[4])],
            data=json.loads(r[5] or "{}"),
            row=r[6],
        )
        for r in rows
    ]


def replace_watchlist_hits(ws: Workspace, hits: Iterable[WatchlistHit]) -> None:
    """Replace every stored hit (inside the caller's transaction, or its own)."""
    with ws.transaction():
        ws.con.execute("DELETE FROM watchlist_hits")
        rows = [
            [h.entity, h.list, h.entry_id, h.entry_name, h.matched_name, h.score, h.why]
            for h in hits
        ]
        ws._insert_many("INSERT INTO watchlist_hits", rows)


def watchlist_hits(ws: Workspace) -> list[WatchlistHit]:
    """Every stored hit, best first within each entity."""
    rows = ws.con.execute(
        "SELECT entity, list, entry_id, entry_name, matched_name, score, why "
        "FROM watchlist_hits ORDER BY entity, score DESC, list, entry_id"
    ).fetchall()
    return [WatchlistHit(*r) for r in rows]


def hits_by_entity(ws: Workspace) -> dict[str, list[dict[str, Any]]]:
    """Hits as the JSON export shows them, keyed by entity id."""
    out: dict[str, list[dict[str, Any]]] = {}
    for h in watchlist_hits(ws):
        out.setdefault(h.entity, []).append(h.to_dict())
    return out
