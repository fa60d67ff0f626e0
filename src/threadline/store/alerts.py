"""Hit/no-hit watches, alerts and their hits: their SQL (the rules are
:mod:`threadline.security.alerts`).

Tables: ``watches`` (an agency's watched entity, kept as its mention ids in JSON),
``alerts`` (one per watch, holding agency and round: open -> requested -> granted or
denied) and ``alert_hits`` (watch, document: each source raises an alert once).
Ids are random (a counter would show an agency the gaps other agencies' watches and
alerts leave in it); times are ISO text the caller gives.

>>> import tempfile
>>> from threadline.store import open_workspace
>>> ws = open_workspace(tempfile.mkdtemp() + "/ws", create=True)
>>> wid = new_watch_id(ws)
>>> add_watch(ws, Watch(wid, "police", "a person", ("m2", "m1"), "ana", "2026-01-01"))
>>> [(w.label, w.mentions) for w in stored_watches(ws)]
[('a person', ('m1', 'm2'))]
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from threadline.store.workspace import Workspace


@dataclass(frozen=True)
class Watch:
    """An agency's watched entity, kept as its name mentions."""

    id: int
    agency: str
    label: str
    mentions: tuple[str, ...]
    created_by: str | None
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "agency": self.agency,
            "label": self.label,
            "mentions": len(self.mentions),
            "created_by": self.created_by,
            "created_at": self.created_at,
        }


class StoredAlert(NamedTuple):
    """An alert with the label of its watch."""

    id: int
    watch: int
    watcher: str
    holder: str
    status: str
    created_at: str
    requested_by: str | None
    requested_at: str | None
    reason: str | None
    decided_by: str | None
    decided_at: str | None
    watch_label: str


def _free_id(ws: Workspace, table: str) -> int:
    while True:
        ident = secrets.randbelow(2**31 - 2) + 1
        if not ws.con.execute(f"SELECT 1 FROM {table} WHERE id = ?", [ident]).fetchone():
            return ident


def new_watch_id(ws: Workspace) -> int:
    """A random id no watch has."""
    return _free_id(ws, "watches")


def new_alert_id(ws: Workspace) -> int:
    """A random id no alert has."""
    return _free_id(ws, "alerts")


# -- watches ----------------------------------------------------------------------------


def add_watch(ws: Workspace, w: Watch) -> None:
    ws.con.execute(
        "INSERT INTO watches (id, agency, label, mentions, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [w.id, w.agency, w.label, json.dumps(sorted(w.mentions)), w.created_by, w.created_at],
    )


def stored_watches(ws: Workspace, *, agency: str | None = None) -> list[Watch]:
    """The watches not removed (of ``agency``, or every agency's), oldest first."""
    sql = (
        "SELECT id, agency, label, mentions, created_by, created_at FROM watches "
        "WHERE removed_at IS NULL"
    )
    params: list[Any] = []
    if agency is not None:
        sql += " AND agency = ?"
        params.append(agency)
    rows = ws.con.execute(sql + " ORDER BY created_at, id", params).fetchall()
    return [Watch(r[0], r[1], r[2], tuple(json.loads(r[3])), r[4], r[5]) for r in rows]


def remove_watch(ws: Workspace, watch_id: int, *, removed_at: str) -> None:
    """Mark a watch removed (it stays, for the alerts it raised)."""
    ws.con.execute("UPDATE watches SET removed_at = ? WHERE id = ?", [removed_at, watch_id])


def watched_mentions(ws: Workspace, watch_id: int) -> set[str]:
    """The mention ids a watch keeps (removed or not); empty for an unknown watch."""
    row = ws.con.execute("SELECT mentions FROM watches WHERE id = ?", [watch_id]).fetchone()
    return set(json.loads(row[0])) if row else set()


# -- alerts -----------------------------------------------------------------------------


def alert_hit_pairs(ws: Workspace) -> set[tuple[int, str]]:
    """(watch, document) of every hit an alert was raised for."""
    rows = ws.con.execute("SELECT watch, document FROM alert_hits").fetchall()
    return {(int(r[0]), str(r[1])) for r in rows}


def open_alert(ws: Workspace, watch: int, holder: str) -> int | None:
    """The id of the open alert of ``watch`` for sources of ``holder``, if any."""
    row = ws.con.execute(
        "SELECT id FROM alerts WHERE watch = ? AND holder = ? AND status = 'open'",
        [watch, holder],
    ).fetchone()
    return int(row[0]) if row else None


def add_alert(
    ws: Workspace, alert_id: int, *, watch: int, watcher: str, holder: str, created_at: str
) -> None:
    """A new open alert."""
    ws.con.execute(
        "INSERT INTO alerts (id, watch, watcher, holder, status, created_at) "
        "VALUES (?, ?, ?, ?, 'open', ?)",
        [alert_id, watch, watcher, holder, created_at],
    )


def add_alert_hit(ws: Workspace, alert_id: int, watch: int, document: str) -> None:
    """Put a source in an alert (nothing when the watch already hit it)."""
    ws.con.execute(
        "INSERT INTO alert_hits (alert, watch, document) VALUES (?, ?, ?) "
        "ON CONFLICT (watch, document) DO NOTHING",
        [alert_id, watch, document],
    )


_ALERT = (
    "SELECT a.id, a.watch, a.watcher, a.holder, a.status, a.created_at, a.requested_by, "
    "a.requested_at, a.reason, a.decided_by, a.decided_at, w.label "
    "FROM alerts a JOIN watches w ON w.id = a.watch"
)
_NEWEST_FIRST = " ORDER BY a.created_at DESC, a.id DESC"


def _alerts(ws: Workspace, where: str, params: Sequence[Any]) -> list[StoredAlert]:
    rows = ws.con.execute(f"{_ALERT}{where}{_NEWEST_FIRST}", list(params)).fetchall()
    return [StoredAlert(*r) for r in rows]


def all_alerts(ws: Workspace) -> list[StoredAlert]:
    """Every alert, newest first."""
    return _alerts(ws, "", [])


def agency_alerts(ws: Workspace, agency: str) -> list[StoredAlert]:
    """The alerts of ``agency``'s watches, and those addressed to it past ``open``
    (a request, granted or denied), newest first."""
    return _alerts(
        ws, " WHERE a.watcher = ? OR (a.holder = ? AND a.status <> 'open')", [agency, agency]
    )


def stored_alert(ws: Workspace, alert_id: int) -> StoredAlert | None:
    found = _alerts(ws, " WHERE a.id = ?", [alert_id])
    return found[0] if found else None


def alert_documents(ws: Workspace, alert_id: int) -> list[str]:
    """The sources an alert holds, by id."""
    rows = ws.con.execute(
        "SELECT document FROM alert_hits WHERE alert = ? ORDER BY document", [alert_id]
    ).fetchall()
    return [str(r[0]) for r in rows]


def mark_requested(ws: Workspace, alert_id: int, *, by: str, at: str, reason: str) -> None:
    ws.con.execute(
        "UPDATE alerts SET status = 'requested', requested_by = ?, requested_at = ?, "
        "reason = ? WHERE id = ?",
        [by, at, reason, alert_id],
    )


def mark_decided(ws: Workspace, alert_id: int, *, granted: bool, by: str, at: str) -> None:
    ws.con.execute(
        "UPDATE alerts SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
        ["granted" if granted else "denied", by, at, alert_id],
    )
