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

from collections import defaultdict
from typing import Any

from threadline.errors import InvalidValueError, NotFoundError
from threadline.security import Principal
from threadline.security.audit import record
from threadline.security.classification import classifications, grant, visible_documents
from threadline.security.users import iso, now
from threadline.store import Workspace
from threadline.store import alerts as store
from threadline.store.alerts import Watch
from threadline.store.lookups import document_titles, mention_entities, mention_texts
from threadline.store.views import mention_documents

STATUSES = ("open", "requested", "granted", "denied")


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
    doc_of = mention_documents(ws)
    return [w for w in watches(ws, agency=who.agency) if watch_visible(w, who, seen, doc_of)]


def add_watch(ws: Workspace, who: Principal, *, label: str, mentions: list[str]) -> Watch:
    """Put an entity (its mentions, as the watcher sees them) on ``who``'s agency's watchlist."""
    if not mentions:
        raise InvalidValueError("entity", "the entity has no name mention to watch")
    moment = iso(now())
    with ws.transaction():
        wid = store.new_watch_id(ws)
        kept = tuple(sorted(mentions))
        store.add_watch(ws, Watch(wid, who.agency, label, kept, who.name, moment))
        record(
            ws,
            actor=who.name,
            agency=who.agency,
            action="watch.add",
            target=str(wid),
            detail={"label": label},
        )
    return Watch(wid, who.agency, label, kept, who.name, moment)


def watches(ws: Workspace, *, agency: str | None = None) -> list[Watch]:
    """The watches not removed (of ``agency``, or every agency's), oldest first."""
    return store.stored_watches(ws, agency=agency)


def remove_watch(ws: Workspace, who: Principal, watch_id: int) -> None:
    found = watches_for(ws, who)
    if not any(w.id == watch_id for w in found):
        raise NotFoundError(
            f"watch {watch_id} does not exist; list them with 'threadline watch list'"
        )
    with ws.transaction():
        store.remove_watch(ws, watch_id, removed_at=iso(now()))
        record(ws, actor=who.name, agency=who.agency, action="watch.remove", target=str(watch_id))


def scan(ws: Workspace) -> list[int]:
    """Raise alerts for sources of other agencies that now resolve to a watched entity.

    Idempotent: a (watch, source) pair raises one alert once. Hits from one agency
    gather in that agency's open alert for the watch. Returns the new alert ids.
    """
    active = watches(ws)
    if not active:
        return []
    entity_of = mention_entities(ws)
    members: dict[str, list[str]] = defaultdict(list)
    for m, e in entity_of.items():
        members[e].append(m)
    doc_of = mention_documents(ws)
    owner = {d: c.agency for d, c in classifications(ws).items()}
    known = store.alert_hit_pairs(ws)
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
            alert_id = store.open_alert(ws, wid, holder)
            if alert_id is None:
                alert_id = store.new_alert_id(ws)
                watcher = watch_by_id[wid].agency
                store.add_alert(
                    ws, alert_id, watch=wid, watcher=watcher, holder=holder, created_at=iso(now())
                )
                created.append(alert_id)
                # one record for each side, each read by its own agency's auditors only:
                # the holder's names its documents, the watcher's does not
                record(ws, actor="threadline", agency=watcher, action="alert.hit",
                       target=str(alert_id), detail={"watch": wid, "holder": holder})  # fmt: skip
                record(ws, actor="threadline", agency=holder, action="alert.hit",
                       target=str(alert_id), detail={"watcher": watcher, "documents": docs})  # fmt: skip
            for d in docs:
                store.add_alert_hit(ws, alert_id, wid, d)
    return created


def alerts_for(
    ws: Workspace, who: Principal, visible: frozenset[str] | None
) -> list[dict[str, Any]]:
    """The alerts ``who`` may read, newest first: hits for their agency's watches that they
    may see (:func:`watch_visible`; details only for sources they may see), and requests
    addressed to their agency when they are cleared for every source that matched (the
    watched entity is then named as those sources name it)."""
    rows = store.all_alerts(ws) if who.all_seeing else store.agency_alerts(ws, who.agency)
    doc_of = mention_documents(ws)
    mine = {w.id: w for w in watches(ws, agency=None if who.all_seeing else who.agency)}
    out = []
    for r in rows:
        (aid, wid, watcher, holder, status, created, req_by, req_at, reason, dec_by, dec_at,
         label) = r  # fmt: skip
        docs = store.alert_documents(ws, int(aid))
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
        titles = document_titles(ws, shown)
        item["documents"] = [{"id": d, "title": titles.get(d)} for d in shown]
        item["text"] = _text(item, as_holder=as_holder, hidden=len(shown) < len(docs))
        out.append(item)
    return out


def _holder_label(ws: Workspace, watch_id: int, docs: list[str]) -> str:
    """The watched entity as the holder's own matching sources name it (its name as the
    watcher sees it may come from sources the holder may not see)."""
    from collections import Counter

    watched = store.watched_mentions(ws, watch_id)
    entity_of = mention_entities(ws)
    entities = {entity_of[m] for m in watched if m in entity_of}
    if not docs or not entities:
        return "an entity"
    found: Counter[str] = Counter()
    for mid, text in mention_texts(ws, docs):
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


def _alert(ws: Workspace, alert_id: int) -> store.StoredAlert:
    row = store.stored_alert(ws, alert_id)
    if row is None:
        raise NotFoundError(f"alert {alert_id} does not exist; list yours with 'threadline alerts'")
    return row


def request_access(ws: Workspace, who: Principal, alert_id: int, *, reason: str = "") -> None:
    """The watching agency asks the holder for the matching sources."""
    row = _alert(ws, alert_id)
    if not who.all_seeing:
        mine = {w.id for w in watches_for(ws, who)}
        if row.watcher != who.agency or int(row.watch) not in mine:
            raise NotFoundError(
                f"alert {alert_id} does not exist; list yours with 'threadline alerts'"
            )
    if row.status != "open":
        raise InvalidValueError("alert", f"alert {alert_id} is {row.status}, not open")
    with ws.transaction():
        store.mark_requested(ws, alert_id, by=who.name, at=iso(now()), reason=reason[:2000])
        record(
            ws,
            actor=who.name,
            agency=who.agency,
            action="alert.request",
            target=str(alert_id),
            detail={"holder": row.holder, "reason": reason[:2000]},
        )


def decide(ws: Workspace, who: Principal, alert_id: int, *, allow: bool) -> list[str]:
    """The holder grants (shares each matching source with the watcher) or denies a
    request. Returns the documents shared."""
    row = _alert(ws, alert_id)
    if not who.all_seeing:
        seen = _seen(ws, who) or frozenset()
        # only a user cleared for every matching source learns of the request, and may
        # share them (nobody grants above their own clearance and compartments)
        if (
            row.holder != who.agency
            or row.status == "open"
            or not set(store.alert_documents(ws, alert_id)) <= seen
        ):
            raise NotFoundError(
                f"alert {alert_id} does not exist; list yours with 'threadline alerts'"
            )
    if row.status != "requested":
        raise InvalidValueError("alert", f"alert {alert_id} is {row.status}: nothing to decide")
    docs = store.alert_documents(ws, alert_id) if allow else []
    with ws.transaction():
        for d in docs:
            grant(ws, d, row.watcher, by=who.name, alert=alert_id)
        store.mark_decided(ws, alert_id, granted=allow, by=who.name, at=iso(now()))
        record(
            ws,
            actor=who.name,
            agency=who.agency,
            action="alert.grant" if allow else "alert.deny",
            target=str(alert_id),
            detail={"watcher": row.watcher, "documents": docs},
        )
    return docs
