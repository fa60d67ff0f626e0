"""Adapters between the API and identity work: judgements (merge, split, undo) and
watchlist hits. The one module of the API that calls ``threadline.resolve`` for them.

Reading judgements needs only the store; recording them goes through the
orchestrator (``threadline.pipeline.judgements``: record, then re-run), or, when
access control is on, through the caller's view (``threadline.api.view_judgements``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from threadline.api import view_judgements
from threadline.api.access import Author, ViewWorkbench, is_view
from threadline.model.identity import Judgement, JudgementSide
from threadline.pipeline import judgements as actions
from threadline.resolve import judgements as library
from threadline.store.judgements import load_judgements
from threadline.store.watchlists import hits_by_entity

if TYPE_CHECKING:
    from threadline.api.state import Workbench


def features() -> dict[str, bool]:
    """Which parts this installation has (the page adapts to them): all of them."""
    return {
        "judgements": True,
        "analysis": True,
        "triage": True,
        "contagion": True,
        "notes": True,
        "watchlists": True,
    }


def watchlist_hits(wb: Workbench) -> dict[str, list[dict[str, Any]]]:
    """The watchlist hits by entity id, as the JSON export shows them (read once per
    snapshot; the entity page's profile takes them from here)."""
    key = ("watchlist_hits", wb.snapshot.token)
    hits = wb.cache.get(key)
    if hits is None:
        with wb.database() as ws:
            hits = hits_by_entity(ws)
        wb.cache[key] = hits
    return dict(hits)


def _side(side: JudgementSide | None) -> dict[str, Any] | None:
    if side is None:
        return None
    return {"entity": side.entity, "name": side.name, "mentions": len(side.mentions)}


def judgement_dict(j: Judgement) -> dict[str, Any]:
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
    with wb.database() as ws:
        return list(library.history_rows(ws))


def judgements_for(wb: Workbench) -> dict[str, list[dict[str, Any]]]:
    """The judgements in force by the entity they touch, each with a line of ``text``
    (computed once per snapshot; the entity page's profile takes them from here)."""
    key = ("judgements", wb.snapshot.token)
    by_entity = wb.cache.get(key)
    if by_entity is None:
        by_entity = _by_entity(wb)
        wb.cache[key] = by_entity
    return dict(by_entity)


def _by_entity(wb: Workbench) -> dict[str, list[dict[str, Any]]]:
    with wb.database() as ws:
        if not load_judgements(ws):
            return {}
        found: dict[str, list[dict[str, Any]]] = library.judgements_by_entity(ws, ws.entities())
    for items in found.values():
        for item in items:
            sign = {"same": "=", "not_same": "≠", "unsure": "?"}.get(item["verdict"], "?")
            item["text"] = (
                f"#{item['id']} {sign} '{item['other']['name']}' "
                f"({item['user']}, {str(item['created_at'])[:16].replace('T', ' ')})"
            )
    return found


def _view(wb: Workbench, by: Author | None) -> ViewWorkbench | None:
    """The caller's view when they write through it (access control on), else None."""
    if by is not None and is_view(wb):
        assert isinstance(wb, ViewWorkbench)
        return wb
    return None


def judge(
    wb: Workbench,
    a: str,
    b: str,
    verdict: str,
    analyst: str,
    reason: str,
    by: Author | None = None,
) -> list[Judgement]:
    """Record same / not same / unsure on entities ``a`` and ``b`` and re-resolve."""
    view = _view(wb, by)
    if view is not None and by is not None:
        return view_judgements.judge(view, a, b, verdict, by, reason)
    with wb.database() as ws:
        if verdict == "same":
            return actions.merge(ws, a, b, user=analyst, reason=reason)
        return actions.judge(ws, a, b, verdict, user=analyst, reason=reason)


def split(
    wb: Workbench,
    entity: str,
    names: list[str],
    analyst: str,
    reason: str,
    by: Author | None = None,
) -> list[Judgement]:
    view = _view(wb, by)
    if view is not None and by is not None:
        return view_judgements.split(view, entity, names, by, reason)
    with wb.database() as ws:
        return actions.split(ws, entity, names, user=analyst, reason=reason)


def undo(
    wb: Workbench, judgement: int | None, analyst: str, by: Author | None = None
) -> list[Judgement]:
    view = _view(wb, by)
    if view is not None and by is not None:
        return view_judgements.undo(view, judgement, by)
    with wb.database() as ws:
        return actions.undo(ws, judgement, user=analyst)


def entities_after(wb: Workbench, stored: Sequence[Judgement]) -> list[str]:
    """Ids of the entities that now hold the mentions the judgements were about."""
    snap = wb.snapshot
    found: set[str] = set()
    for j in stored:
        for side in (j.left, j.right):
            for m in side.mentions if side is not None else ():
                i = snap.mention_entity.get(m)
                if i is not None:
                    found.add(snap.entity_ids[i])
    return sorted(found)
