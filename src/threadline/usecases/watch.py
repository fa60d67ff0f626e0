"""Watching an entity (hit/no-hit): the watches a user may see, and watching an entity
as the user sees it. ``threadline watch list|add`` and ``GET|POST /api/watches`` call
these; the user's view is applied here, not by each interface.

A user's view is the set of documents they may see (``visible``; None: every
document). Interfaces that know it already (the API keeps each user's scope) pass it;
otherwise it is read from the workspace for the user
(:func:`threadline.security.classification.visible_documents`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from threadline.errors import NotFoundError
from threadline.security import Principal
from threadline.security import alerts as hits
from threadline.security.classification import visible_documents
from threadline.store import Workspace
from threadline.store.views import mention_documents

__all__ = ["UNREAD", "watch_entity", "watched"]

#: ``visible`` not given: read the user's view from the workspace.
UNREAD: Any = object()


def _view(ws: Workspace, who: Principal, visible: frozenset[str] | None) -> frozenset[str] | None:
    if who.all_seeing:
        return None
    return visible_documents(ws, who) if visible is UNREAD else visible


def watched(
    ws: Workspace, who: Principal, visible: frozenset[str] | None = UNREAD
) -> list[dict[str, Any]]:
    """The watches ``who`` may see, oldest first: their agency's whose every kept mention
    lies in a source they see (every watch for an all-seeing user); see
    :func:`threadline.security.alerts.watches_for`."""
    return [w.to_dict() for w in hits.watches_for(ws, who, _view(ws, who, visible))]


def watch_entity(
    ws: Workspace,
    who: Principal,
    *,
    label: str,
    mentions: Sequence[str],
    visible: frozenset[str] | None = UNREAD,
) -> dict[str, Any]:
    """Put the entity named ``label`` that holds ``mentions`` on ``who``'s agency's
    watchlist, keeping only the mentions in sources ``who`` may see, and raise the
    alerts it matches at once. Raises :class:`~threadline.errors.NotFoundError` when
    none of the mentions lies in such a source."""
    seen = _view(ws, who, visible)
    doc_of = mention_documents(ws) if seen is not None else {}
    mine = [m for m in mentions if seen is None or doc_of.get(m) in seen]
    if not mine:
        raise NotFoundError(f"entity '{label}' is not in any source {who.name} may see")
    made = hits.add_watch(ws, who, label=label, mentions=mine)
    hits.scan(ws)
    return made.to_dict()
