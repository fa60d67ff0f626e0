"""Adapters between the API and identity work: judgements (merge, split, undo) and
watchlist hits. The one module of the API that calls ``threadline.resolve`` for them.

Reading judgements needs only the store; recording them needs the judgements
library (``threadline.resolve.judgements``). When that library is absent, the
write endpoints answer 501 and ``/api/meta`` says ``judgements: false``, so the
page hides its merge / split / undo buttons.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from threadline.errors import ThreadlineError

if TYPE_CHECKING:
    from threadline.api.state import Workbench


class UnavailableError(ThreadlineError):
    """A feature whose library is not installed in this threadline."""

    code = "T730"


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def features() -> dict[str, bool]:
    """Which optional parts this installation has (the page adapts to them)."""
    judgements = _module("threadline.resolve.judgements")
    return {
        "judgements": judgements is not None
        and all(hasattr(judgements, f) for f in ("judge", "split", "undo")),
        "analysis": _module("threadline.analyze.keyplayers") is not None,
        "triage": _module("threadline.analyze.triage") is not None,
        "contagion": _module("threadline.analyze.contagion") is not None,
        "notes": True,
        "watchlists": _module("threadline.store.watchlists") is not None,
    }


def watchlist_hits(wb: Workbench, i: int) -> list[dict[str, Any]]:
    """The entity's watchlist hits as the JSON export shows them (read once per snapshot)."""
    key = ("watchlist_hits", wb.snapshot.token)
    hits = wb.cache.get(key)
    if hits is None:
        store = _module("threadline.store.watchlists")
        hits = {}
        if store is not None and hasattr(store, "hits_by_entity"):
            with wb.database() as ws:
                hits = store.hits_by_entity(ws)
        wb.cache[key] = hits
    return list(hits.get(wb.snapshot.entity_ids[i], []))


def _side(side: Any) -> dict[str, Any] | None:
    if side is None:
        return None
    return {"entity": side.entity, "name": side.name, "mentions": len(side.mentions)}


def judgement_dict(j: Any) -> dict[str, Any]:
    """A stored judgement (``threadline.model.identity.Judgement``) as JSON."""
    return {
        "id": j.id,
        "batch": j.batch,
        "verdict": j.verdict,
        "origin": j.origin,
        "left": _side(j.left),
        "right": _side(j.right),
        "user": j.user,
        "created_at": j.created_at.isoformat(),
        "reason": j.reason,
        "undoes": j.undoes,
        "text": j.describe(),
    }


def history(wb: Workbench) -> list[dict[str, Any]]:
    """Every judgement, oldest first, with its status on the latest run and the
    entities holding each side today (the judgements library's history)."""
    lib = _module("threadline.resolve.judgements")
    if lib is not None and hasattr(lib, "history_rows"):
        with wb.database() as ws:
            return list(lib.history_rows(ws))
    store = _module("threadline.store.judgements")
    if store is None:
        return []
    with wb.database() as ws:
        return [judgement_dict(j) for j in store.load_judgements(ws)]


def judgements_for(wb: Workbench, i: int) -> list[dict[str, Any]]:
    """The judgements in force that touch entity row ``i`` (computed once per snapshot)."""
    key = ("judgements", wb.snapshot.token)
    by_entity = wb.cache.get(key)
    if by_entity is None:
        by_entity = _by_entity(wb)
        wb.cache[key] = by_entity
    return list(by_entity.get(wb.snapshot.entity_ids[i], []))


def _by_entity(wb: Workbench) -> dict[str, list[dict[str, Any]]]:
    lib = _module("threadline.resolve.judgements")
    store = _module("threadline.store.judgements")
    if lib is None or store is None or not hasattr(lib, "judgements_by_entity"):
        return {}
    with wb.database() as ws:
        if not store.load_judgements(ws):
            return {}
        found: dict[str, list[dict[str, Any]]] = lib.judgements_by_entity(ws, ws.entities())
    for items in found.values():
        for item in items:
            sign = {"same": "=", "not_same": "≠", "unsure": "?"}.get(item["verdict"], "?")
            item["text"] = (
                f"#{item['id']} {sign} '{item['other']['name']}' "
                f"({item['user']}, {str(item['created_at'])[:16].replace('T', ' ')})"
            )
    return found


def _library() -> Any:
    lib = _module("threadline.resolve.judgements")
    if lib is None or not all(hasattr(lib, f) for f in ("judge", "split", "undo")):
        raise UnavailableError(
            "judgements are not available in this threadline (threadline.resolve.judgements "
            "is missing): upgrade threadline"
        )
    return lib


def _in_view(wb: Any, by: Any) -> bool:
    """Whether the caller writes through their own view (access control on)."""
    from threadline.api.access import is_view

    return by is not None and is_view(wb)


def judge(
    wb: Workbench, a: str, b: str, verdict: str, analyst: str, reason: str, by: Any = None
) -> Any:
    """Record same / not same / unsure on entities ``a`` and ``b`` and re-resolve."""
    lib = _library()
    if _in_view(wb, by):
        from threadline.api import view_judgements

        return view_judgements.judge(wb, lib, a, b, verdict, by, reason)  # type: ignore[arg-type]
    with wb.database() as ws:
        if verdict == "same" and hasattr(lib, "merge"):
            return lib.merge(ws, a, b, user=analyst, reason=reason)
        return lib.judge(ws, a, b, verdict, user=analyst, reason=reason)


def split(
    wb: Workbench, entity: str, names: list[str], analyst: str, reason: str, by: Any = None
) -> Any:
    lib = _library()
    if _in_view(wb, by):
        from threadline.api import view_judgements

        return view_judgements.split(wb, lib, entity, names, by, reason)  # type: ignore[arg-type]
    with wb.database() as ws:
        return lib.split(ws, entity, names, user=analyst, reason=reason)


def undo(wb: Workbench, judgement: int | None, analyst: str, by: Any = None) -> Any:
    lib = _library()
    if _in_view(wb, by):
        from threadline.api import view_judgements

        return view_judgements.undo(wb, lib, judgement, by)  # type: ignore[arg-type]
    with wb.database() as ws:
        return lib.undo(ws, judgement, user=analyst)


def entities_after(wb: Workbench, stored: Any) -> list[str]:
    """Ids of the entities that now hold the mentions the judgements were about."""
    snap = wb.snapshot
    found: set[str] = set()
    for j in stored or []:
        for side in (getattr(j, "left", None), getattr(j, "right", None)):
            for m in getattr(side, "mentions", ()) or ():
                i = snap.mention_entity.get(m)
                if i is not None:
                    found.add(snap.entity_ids[i])
    return sorted(found)
