"""The resolve stage over a workspace: all entities and ties rebuilt in one transaction."""

from __future__ import annotations

from threadline.resolve.correction_plan import plan_corrections
from threadline.resolve.judgements import plan_for_workspace
from threadline.resolve.records import RecordResolution, records_for_resolve
from threadline.resolve.resolver import resolve
from threadline.resolve.roles import assign_roles
from threadline.resolve.unchanged import abandon, begin, remember, stored_counts
from threadline.resolve.watchlist import screen_workspace
from threadline.store import Workspace
from threadline.store.corrections import load_corrections, replace_statuses
from threadline.store.judgements import replace_merge_steps


def resolve_workspace(
    ws: Workspace,
    *,
    force: bool = False,
    linked: RecordResolution | None = None,
) -> dict[str, int]:
    """Rebuild entities and ties from every stored mention and assertion.

    The analyst's active judgements are applied on every run (contradicting ones
    are held back and counted under ``contradictions``); the merge steps that
    explain each entity are stored with it. The analyst's corrections (issue 18)
    are applied here, the one place that builds entities and ties: to the mentions
    and statements before resolution, to roles and aliases after
    (:mod:`threadline.resolve.correction_plan`); ``corrections`` counts those
    applied, ``dormant_corrections`` those whose text yields nothing now.

    When nothing the run depends on has changed since the last run ended
    (:mod:`threadline.resolve.unchanged`), the stored resolution stands and its
    counts are returned; ``force`` rebuilds it all the same. ``linked`` is the
    linkage of the workspace's records when the caller has just made and stored it
    (``records link``): it is used as it is, not read back.
    """
    if force:
        begin(ws)
    elif (same := stored_counts(ws)) is not None:
        return same
    try:
        counts = _rebuild(ws, linked)
    except BaseException:
        abandon(ws)  # what this run saw is no base for the next one's check
        raise
    remember(ws, counts)
    return counts


def _rebuild(ws: Workspace, linked: RecordResolution | None) -> dict[str, int]:
    corrected = plan_corrections(load_corrections(ws), ws.mentions())
    mentions = corrected.mentions
    judged = plan_for_workspace(ws, mentions)
    records = records_for_resolve(ws, mentions, judged_same=judged.same, linked=linked)
    result = resolve(
        mentions,
        corrected.assertions([*ws.assertions(), *records.assertions]),
        ws.claims(),
        same=[*judged.same, *records.same],
        apart=[*judged.apart, *records.apart],
        previous={e.id: e.mentions for e in ws.entities()},
        exclusive=records.exclusive,
        linked_only=records.linked_only,
    )
    # ties the resolver derives from the entities (an event's place) take the rest
    result.ties = corrected.ties(result.ties, result.entity_of)
    roles = corrected.settle(result.entities)  # the analyst's roles and aliases
    assign_roles(result.entities, {m.id: m for m in mentions}, result.ties, fixed=roles)
    with ws.transaction():
        ws.replace_resolution(result.entities, result.ties)
        replace_merge_steps(ws, result.merge_steps)
        replace_statuses(ws, corrected.status, corrected.notes, corrected.touched)
    by_schema: dict[str, int] = {}
    for e in result.entities:
        by_schema[e.schema] = by_schema.get(e.schema, 0) + 1
    counts = {"entities": len(result.entities), "ties": len(result.ties), **by_schema}
    if judged.status:
        counts["judgements"] = len(judged.applied)
        counts["contradictions"] = len(judged.contradictions)
    if corrected.active:
        counts["corrections"] = sum(1 for s in corrected.status.values() if s == "applied")
        counts["dormant_corrections"] = sum(1 for s in corrected.status.values() if s == "dormant")
    counts.update(screen_workspace(ws))  # watchlist screening, when lists are loaded
    return counts
