"""The resolve stage over a workspace: all entities and ties rebuilt in one transaction."""

from __future__ import annotations

from threadline.resolve.judgements import plan_for_workspace
from threadline.resolve.records import records_for_resolve
from threadline.resolve.resolver import resolve
from threadline.resolve.roles import assign_roles
from threadline.resolve.watchlist import screen_workspace
from threadline.store import Workspace
from threadline.store.judgements import replace_merge_steps


def resolve_workspace(ws: Workspace) -> dict[str, int]:
    """Rebuild entities and ties from every stored mention and assertion.

    The analyst's active judgements are applied on every run (contradicting ones
    are held back and counted under ``contradictions``); the merge steps that
    explain each entity are stored with it.
    """
    mentions = ws.mentions()
    judged = plan_for_workspace(ws, mentions)
    records = records_for_resolve(ws, mentions, judged_same=judged.same)
    result = resolve(
        mentions,
        [*ws.assertions(), *records.assertions],
        ws.claims(),
        same=[*judged.same, *records.same],
        apart=[*judged.apart, *records.apart],
        previous={e.id: e.mentions for e in ws.entities()},
        exclusive=records.exclusive,
        linked_only=records.linked_only,
    )
    assign_roles(result.entities, {m.id: m for m in mentions}, result.ties)
    with ws.transaction():
        ws.replace_resolution(result.entities, result.ties)
        replace_merge_steps(ws, result.merge_steps)
    by_schema: dict[str, int] = {}
    for e in result.entities:
        by_schema[e.schema] = by_schema.get(e.schema, 0) + 1
    counts = {"entities": len(result.entities), "ties": len(result.ties), **by_schema}
    if judged.status:
        counts["judgements"] = len(judged.applied)
        counts["contradictions"] = len(judged.contradictions)
    counts.update(screen_workspace(ws))  # watchlist screening, when lists are loaded
    return counts
