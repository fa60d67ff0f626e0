"""Hit/no-hit: watches, alerts, access requests and grants (as Prüm or SIENA do it).

An agency watches an entity it can see. The watch keeps the entity's name
mentions (their ids survive re-runs), so it follows the person through later
resolutions. When the workspace's resolution puts a source of *another* agency
into the watched entity, :func:`scan` raises an alert for the watching agency.
If the watcher may not see that source, the alert says only that agency B holds
a match and how to ask for it: no name, title, date, level or count. The
request goes to B, whose admin can grant it (the matching sources are then
shared with the watcher, each one) or deny it. Every step is audited.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from threadline.errors import InvalidValueError, NotFoundError
from threadline.security import Principal
from threadline.security.audit import record
from threadline.security.classification import classifications, grant, visible_documents
from threadline.security.users import iso, now
from threadline.store import Workspace

STATUSES = ("open", "requested", "granted", "denied")


@dataclass(frozen=True)
class Watch:
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


def _next_id(ws: Workspace, table: str) -> int:
    """A random unused id: a counter would show an agency the gaps other agencies' watches
    and alerts leave in it."""
    import secrets

    while True:
        ident = secrets.randbelow(2**31 - 2) + 1
        if not ws.con.execute(f"SELECT 1 FROM {table} WHERE id = ?", [ident]).fetchone():
            return ident


def _documents_of(ws: Workspace) -> dict[str, str]:
    return {
        str(m): str(d) for m, d in ws.con.execute("SELECT id, document FROM mentions").fetchall()
    }


def _seen(ws: Workspace, who: Principal) -> frozenset[str] | None:
    return visible_documents(ws, who)


def watch_visible(
    w: Watch, who: Principal, visible: frozenset[str] | None, doc_of: dict[str, str]
) -> bool:
    """The derived-work rule for a watch: its agency's, and every mention it keeps lies in a
    source ``who`` may see (``visible`` None: every source)."""
    if who.all_seeing:
        return True
    if w.agency != who.agency:
        return False
    return visible is None or all(doc_of.get(m) in visible for m in w.mentions)


def watches_for(
    ws: Workspace, who: Principal, visible: frozenset[str] | None = None
) -> list[Watch]:
    """The watches ``who`` may see (:func:`watch_visible`)."""
    if who.all_seeing:
        return watches(ws)
    seen = _seen(ws, who) if visible is None else visible
    doc_of = _documents_of(ws)
    return [w for w in watches(ws, agency=who.agency) if watch_visible(w, who, seen, doc_of)]


def add_watch(ws: Workspace, who: Principal, *, label: str, mentions: list[str]) -> Watch:
    """Put an entity (its mentions, as the watcher sees them) on ``who``'s agency's watchlist."""
    if not mentions:
        raise InvalidValueError("entity", "the entity has no name mention to watch")
    moment = iso(now())
    with ws.transaction():
        wid = _next_id(ws, "watches")
        ws.con.execute(
            "INSERT INTO watches (id, agency, label, mentions, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [wid, who.agency, label, json.dumps(sorted(mentions)), who.name, moment],
        )
        record(
            ws,
            actor=who.name,
            agency=who.agency,
            action="watch.add",
            target=str(wid),
            detail={"label": label},
        )
    return Watch(wid, who.agency, label, tuple(sorted(mentions)), who.name, moment)


def watches(ws: Workspace, *, agency: str | None = None) -> list[Watch]:
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


def remove_watch(ws: Workspace, who: Principal, watch_id: int) -> None:
    found = watches_for(ws, who)
    if not any(w.id == watch_id for w in found):
        raise NotFoundError(
            f"watch {watch_id} does not exist; list them with 'threadline watch list'"
        )
    with ws.transaction():
        ws.con.execute("UPDATE watches SET removed_at = ? WHERE id = ?", [iso(now()), watch_id])
        record(ws, actor=who.name, agency=who.agency, action="watch.remove", target=str(watch_id))


def scan(ws: Workspace) -> list[int]:
    """Raise alerts for sources of other agencies that now resolve to a watched entity.

    Idempotent: a (watch, source) pair raises one alert once. Hits from one agency
    gather in that agency's open alert for the watch. Returns the new alert ids.
    """
    active = watches(ws)
    if not active:
        return []
    entity_of = dict(ws.con.execute("SELECT mention, entity FROM entity_mentions").fetchall())
    members: dict[str, list[str]] = defaultdict(list)
    for m, e in entity_of.items():
        members[e].append(m)
    doc_of = dict(ws.con.execute("SELECT id, document FROM mentions").fetchall())
    owner = {d: c.agency for d, c in classifications(ws).items()}
    known = {
        (int(r[0]), str(r[1]))
        for r in ws.con.execute("SELECT watch, document FROM alert_hits").fetchall()
    }
    found: dict[tuple[int, str], list[str]] = defaultdict(list)
    for w in active:
        entities = {entity_of[m] for m in w.mentions if m in entity_of}
        docs = sorted({doc_of[m] for e in entities for m in members[e] if m in doc_of})
        for d in docs:
            holder = owner.get(d)
            if holder and holder != w.agency and (w.id, d) not in known:
                found[(w.id, holder)].append(d)
    if not found:
        return []
    watch_by_id = {w.id: w for w in active}
    created: list[int] = []
    with ws.transaction():
        for (wid, holder), docs in sorted(found.items()):
            row = ws.con.execute(
                "SELECT id FROM alerts WHERE watch = ? AND holder = ? AND status = 'open'",
                [wid, holder],
            ).fetchone()
            if row:
                alert_id = int(row[0])
            else:
                alert_id = _next_id(ws, "alerts")
                ws.con.execute(
                    "INSERT INTO alerts (id, watch, watcher, holder, status, created_at) "
                    "VALUES (?, ?, ?, ?, 'open', ?)",
                    [alert_id, wid, watch_by_id[wid].agency, holder, iso(now())],
                )
                created.append(alert_id)
                # one record for each side, each read by its own agency's auditors only:
                # the holder's names its documents, the watcher's does not
                watcher = watch_by_id[wid].agency
                record(ws, actor="threadline", agency=watcher, action="alert.hit",
                       target=str(alert_id), detail={"watch": wid, "holder": holder})  # fmt: skip
                record(ws, actor="threadline", agency=holder, action="alert.hit",
                       target=str(alert_id), detail={"watcher": watcher, "documents": docs})  # fmt: skip
            for d in docs:
                ws.con.execute(
                    "INSERT INTO alert_hits (alert, watch, document) VALUES (?, ?, ?) "
                    "ON CONFLICT (watch, document) DO NOTHING",
                    [alert_id, wid, d],
                )
    return created


_ALERT_COLS = (
    "a.id, a.watch, a.watcher, a.holder, a.status, a.created_at, a.requested_by, "
    "a.requested_at, a.reason, a.decided_by, a.decided_at, w.label"
)


def _alert_rows(ws: Workspace, where: str, params: list[Any]) -> list[tuple[Any, ...]]:
    return ws.con.execute(
        f"SELECT {_ALERT_COLS} FROM alerts a JOIN watches w ON w.id = a.watch WHERE {where} "
        "ORDER BY a.created_at DESC, a.id DESC",
        params,
    ).fetchall()


def _hits(ws: Workspace, alert_id: int) -> list[str]:
    rows = ws.con.execute(
        "SELECT document FROM alert_hits WHERE alert = ? ORDER BY document", [alert_id]
    ).fetchall()
    return [str(r[0]) for r in rows]


def _titles(ws: Workspace, docs: list[str]) -> dict[str, str | None]:
    if not docs:
        return {}
    marks = ",".join("?" * len(docs))
    rows = ws.con.execute(f"SELECT id, title FROM documents WHERE id IN ({marks})", docs).fetchall()
    return {str(r[0]): r[1] for r in rows}


def alerts_for(
    ws: Workspace, who: Principal, visible: frozenset[str] | None
) -> list[dict[str, Any]]:
    """The alerts ``who`` may read, newest first: hits for their agency's watches that they
    may see (:func:`watch_visible`; details only for sources they may see), and requests
    addressed to their agency when they are cleared for every source that matched (the
    watched entity is then named as those sources name it)."""
    if who.all_seeing:
        rows = _alert_rows(ws, "1 = 1", [])
    else:
        rows = _alert_rows(
            ws,
            "a.watcher = ? OR (a.holder = ? AND a.status <> 'open')",
            [who.agency, who.agency],
        )
    doc_of = _documents_of(ws)
    mine = {w.id: w for w in watches(ws, agency=None if who.all_seeing else who.agency)}
    out = []
    for r in rows:
        (aid, wid, watcher, holder, status, created, req_by, req_at, reason, dec_by, dec_at,
         label) = r  # fmt: skip
        docs = _hits(ws, int(aid))
        as_holder = not who.all_seeing and holder == who.agency and watcher != who.agency
        if as_holder:
            if visible is not None and not set(docs) <= visible:
                continue
            label = _holder_label(ws, int(wid), docs)
        elif not who.all_seeing:
            w = mine.get(int(wid))
            if w is None or not watch_visible(w, who, visible, doc_of):
                continue
        item: dict[str, Any] = {
            "id": int(aid),
            "kind": "request" if as_holder else "hit",
            "watch": int(wid),
            "watch_label": label,
            "watcher": watcher,
            "holder": holder,
            "status": status,
            "created_at": created,
            "requested_by": req_by,
            "requested_at": req_at,
            "reason": reason,
            "decided_by": dec_by,
            "decided_at": dec_at,
        }
        shown = docs if (as_holder or visible is None) else [d for d in docs if d in visible]
        titles = _titles(ws, shown)
        item["documents"] = [{"id": d, "title": titles.get(d)} for d in shown]
        item["text"] = _text(item, as_holder=as_holder, hidden=len(shown) < len(docs))
        out.append(item)
    return out


def _holder_label(ws: Workspace, watch_id: int, docs: list[str]) -> str:
    """The watched entity as the holder's own matching sources name it (its name as the
    watcher sees it may come from sources the holder may not see)."""
    from collections import Counter

    row = ws.con.execute("SELECT mentions FROM watches WHERE id = ?", [watch_id]).fetchone()
    watched = set(json.loads(row[0])) if row else set()
    entity_of = dict(ws.con.execute("SELECT mention, entity FROM entity_mentions").fetchall())
    entities = {entity_of[m] for m in watched if m in entity_of}
    if not docs or not entities:
        return "an entity"
    marks = ",".join("?" * len(docs))
    found: Counter[str] = Counter()
    for mid, text in ws.con.execute(
        f"SELECT id, text FROM mentions WHERE document IN ({marks})", docs
    ).fetchall():
        if entity_of.get(mid) in entities and text:
            found[str(text)] += 1
    return min(found, key=lambda t: (-found[t], -len(t), t)) if found else "an entity"


def _text(item: dict[str, Any], *, as_holder: bool, hidden: bool) -> str:
    aid, label = item["id"], item["watch_label"]
    if as_holder:
        return (
            f"Agency '{item['watcher']}' asks to see your sources that match its watched "
            f"entity '{label}' (alert {aid}, {item['status']}). Grant: 'threadline alerts "
            f"grant {aid}' or POST /api/alerts/{aid}/grant; deny: 'threadline alerts deny {aid}'."
        )
    if not hidden:
        return (
            f"Agency '{item['holder']}' has a source that resolves to your watched entity "
            f"'{label}' (alert {aid}); you can see it."
        )
    state = {
        "open": f"Request access: 'threadline alerts request {aid}' or POST /api/alerts/{aid}/request.",
        "requested": "Access requested; waiting for its decision.",
        "granted": "Access granted.",
        "denied": "Access denied.",
    }[item["status"]]
    return (
        f"Agency '{item['holder']}' holds a match for your watched entity '{label}' "
        f"(alert {aid}). {state}"
    )


def _alert(ws: Workspace, alert_id: int) -> tuple[Any, ...]:
    rows = _alert_rows(ws, "a.id = ?", [alert_id])
    if not rows:
        raise NotFoundError(f"alert {alert_id} does not exist; list yours with 'threadline alerts'")
    return rows[0]


def request_access(ws: Workspace, who: Principal, alert_id: int, *, reason: str = "") -> None:
    """The watching agency asks the holder for the matching sources."""
    row = _alert(ws, alert_id)
    if not who.all_seeing:
        mine = {w.id for w in watches_for(ws, who)}
        if row[2] != who.agency or int(row[1]) not in mine:
            raise NotFoundError(
                f"alert {alert_id} does not exist; list yours with 'threadline alerts'"
            )
    if row[4] != "open":
        raise InvalidValueError("alert", f"alert {alert_id} is {row[4]}, not open")
    with ws.transaction():
        ws.con.execute(
            "UPDATE alerts SET status = 'requested', requested_by = ?, requested_at = ?, "
            "reason = ? WHERE id = ?",
            [who.name, iso(now()), reason[:2000], alert_id],
        )
        record(
            ws,
            actor=who.name,
            agency=who.agency,
            action="alert.request",
            target=str(alert_id),
            detail={"holder": row[3], "reason": reason[:2000]},
        )


def decide(ws: Workspace, who: Principal, alert_id: int, *, allow: bool) -> list[str]:
    """The holder grants (shares each matching source with the watcher) or denies a
    request. Returns the documents shared."""
    row = _alert(ws, alert_id)
    if not who.all_seeing:
        seen = _seen(ws, who) or frozenset()
        # only a user cleared for every matching source learns of the request, and may
        # share them (nobody grants above their own clearance and compartments)
        if row[3] != who.agency or row[4] == "open" or not set(_hits(ws, alert_id)) <= seen:
            raise NotFoundError(
                f"alert {alert_id} does not exist; list yours with 'threadline alerts'"
            )
    if row[4] != "requested":
        raise InvalidValueError("alert", f"alert {alert_id} is {row[4]}: nothing to decide")
    docs = _hits(ws, alert_id) if allow else []
    with ws.transaction():
        for d in docs:
            grant(ws, d, row[2], by=who.name, alert=alert_id)
        ws.con.execute(
            "UPDATE alerts SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
            ["granted" if allow else "denied", who.name, iso(now()), alert_id],
        )
        record(
            ws,
            actor=who.name,
            agency=who.agency,
            action="alert.grant" if allow else "alert.deny",
            target=str(alert_id),
            detail={"watcher": row[2], "documents": docs},
        )
    return docs
