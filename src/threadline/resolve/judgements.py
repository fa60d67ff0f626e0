"""Analyst judgements: record, undo and list them; apply them on every run.

The analyst says two entities are the same person, not the same, or is unsure
(:func:`judged_pairs`); or splits one entity into parts by names, mentions or
documents (:func:`split_pairs`). :func:`record` appends every verdict with who and
when; :func:`withdraw` appends an undo row, so the history is complete. Nothing
here runs another stage: the actions that record *and* re-run resolve and analyze
in the same transaction (``judge``, ``merge``, ``split``, ``undo``) are in
:mod:`threadline.pipeline.judgements`.

On every run the resolve stage asks :func:`plan_for_workspace` for the active
judgements as must-link and cannot-link pairs of mention ids (the pure core is
:mod:`threadline.resolve.judgement_plan`). Judgements that contradict each other
(A = B, B = C, yet A ≠ C) are never silently applied: all of them are held back
and reported, naming the entities and the judgements to undo. Recording a
judgement that would create a contradiction is refused unless ``force`` is given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from threadline.errors import (
    InvalidValueError,
    JudgementConflictError,
    JudgementError,
    NotFoundError,
)
from threadline.model import Entity, Mention
from threadline.model.identity import UNDO, VERDICTS, Judgement, JudgementSide
from threadline.resolve.judgement_plan import (
    STATUSES,
    Contradiction,
    JudgementPlan,
    find_entity,
    names_index,
    plan_judgements,
    side_of,
    split_sides,
    undo_hint,
    undone_by,
)
from threadline.store import Workspace
from threadline.store.judgements import NewJudgement, append_judgements, load_judgements

__all__ = [
    "STATUSES",
    "Contradiction",
    "JudgementPlan",
    "find_entity",
    "history_rows",
    "judged_pairs",
    "judgements_by_entity",
    "plan_for_workspace",
    "record",
    "refuse_contradiction",
    "side_of",
    "split_pairs",
    "verdict_of",
    "withdraw",
]


def plan_for_workspace(ws: Workspace, mentions: Sequence[Mention] | None = None) -> JudgementPlan:
    """The plan of the workspace's judgements against its current mentions."""
    ms = list(mentions) if mentions is not None else ws.mentions()
    return plan_judgements(load_judgements(ws), {m.id for m in ms}, names_index(ms))


def verdict_of(verdict: str) -> str:
    """``verdict`` as stored (``not-same`` is ``not_same``); raises
    :class:`InvalidValueError` for one outside the vocabulary."""
    verdict = verdict.replace("-", "_")
    if verdict not in VERDICTS:
        raise InvalidValueError("verdict", f"'{verdict}' is not one of {', '.join(VERDICTS)}")
    return verdict


def judged_pairs(
    entities: Sequence[Entity], a: str, b: str, verdict: str
) -> list[tuple[JudgementSide, JudgementSide]]:
    """The sides a ``verdict`` on entities ``a`` and ``b`` is about, checked: one
    check for the CLI and the API, in the workspace or a user's view
    (:mod:`threadline.usecases.judgements`).

    Raises :class:`JudgementError` when both name one entity, or when ``same`` joins
    entities of two schemata.
    """
    ea, eb = find_entity(entities, a), find_entity(entities, b)
    if ea.id == eb.id:
        raise JudgementError(
            f"'{a}' and '{b}' are one entity already ({ea.name}, {ea.id}); see "
            "'threadline explain' for why, or 'threadline split' to part it"
        )
    if verdict == "same" and ea.schema != eb.schema:
        raise JudgementError(f"'{ea.name}' is a {ea.schema} and '{eb.name}' a {eb.schema}")
    return [(side_of(ea), side_of(eb))]


def split_pairs(
    ws: Workspace,
    entity: str,
    names: Sequence[str] = (),
    *,
    parts: Sequence[Sequence[str]] = (),
    mentions: Sequence[Sequence[str]] = (),
    documents: Sequence[Sequence[str]] = (),
) -> list[tuple[JudgementSide, JudgementSide]]:
    """The pairs of sides a split of ``entity`` judges not the same: every pair of parts.

    ``names`` is one part by its names (the rest of the entity is the other);
    ``parts`` several parts by names, ``mentions`` by mention ids, ``documents``
    by document ids. See :func:`~threadline.resolve.judgement_plan.split_sides`.
    """
    target = find_entity(ws.entities(), entity)
    by_name = [list(names)] if names else [list(p) for p in parts]
    sides = split_sides(
        target,
        {m.id: m for m in ws.mentions()},
        names=by_name,
        mention_groups=mentions,
        documents=documents,
    )
    return [(x, y) for i, x in enumerate(sides) for y in sides[i + 1 :]]


# -- recording ----------------------------------------------------------------------


def record(
    ws: Workspace,
    verdict: str,
    pairs: Sequence[tuple[JudgementSide, JudgementSide]],
    *,
    user: str,
    origin: str,
    reason: str = "",
    force: bool = False,
) -> list[Judgement]:
    """Append one judgement per pair of sides (one batch), unless it contradicts others.

    Raises :class:`JudgementConflictError` when the new judgements would contradict
    active ones, naming them; with ``force`` they are stored anyway and the
    contradiction is reported (and the judgements held back) on every run.
    """
    if not pairs:
        raise JudgementError("nothing to judge")
    if not force:
        refuse_contradiction(ws, verdict, pairs, user=user, origin=origin)
    rows = [NewJudgement(verdict, x, y) for x, y in pairs]
    return append_judgements(ws, rows, user=user, origin=origin, reason=reason)


def refuse_contradiction(
    ws: Workspace,
    verdict: str,
    pairs: Sequence[tuple[JudgementSide, JudgementSide]],
    *,
    user: str,
    origin: str,
) -> None:
    """Raise :class:`JudgementConflictError` when judging ``pairs`` would contradict the
    active judgements of ``ws``, naming them; writes nothing. Checked against the
    workspace the judge sees: a user's view holds only the judgements they may see
    (:mod:`threadline.usecases.judgements`), so the refusal never names another's."""
    mentions = ws.mentions()
    existing = load_judgements(ws)
    next_id = max((j.id for j in existing), default=0) + 1
    now = datetime.now(UTC).replace(tzinfo=None)
    trial = [
        Judgement(next_id + i, next_id, verdict, origin, x, y, user, now)
        for i, (x, y) in enumerate(pairs)
    ]
    plan = plan_judgements([*existing, *trial], {m.id for m in mentions}, names_index(mentions))
    new_ids = {t.id for t in trial}
    clash = [c for c in plan.contradictions if new_ids & set(c.judgements)]
    if clash:
        older = [i for i in clash[0].judgements if i not in new_ids]
        raise JudgementConflictError(
            f"{clash[0].summary} (the new judgement is #{min(new_ids)}). Nothing was "
            f"recorded: undo the judgement you no longer hold first ({undo_hint(older)}), "
            "or pass --force to record it anyway and have the contradiction reported"
        )


def withdraw(
    ws: Workspace, judgement_id: int | None = None, *, user: str, reason: str = ""
) -> list[Judgement]:
    """Append ``undo`` rows withdrawing a judgement and the rest of its batch (all the
    pairs of one split); ``None`` withdraws the latest judgement still in force.

    Each undo row carries the sides of the judgement it withdraws, so the history
    reads on its own. Nothing is deleted.
    """
    history = load_judgements(ws)
    undone = undone_by(history)
    if judgement_id is None:
        live = [j for j in history if j.verdict != UNDO and j.id not in undone]
        if not live:
            raise NotFoundError("there is no judgement in force to undo")
        judgement_id = live[-1].id
    target = next((j for j in history if j.id == judgement_id), None)
    if target is None:
        raise NotFoundError(f"judgement {judgement_id} does not exist; see 'threadline judgements'")
    if target.verdict == UNDO:
        raise JudgementError(
            f"judgement {judgement_id} is itself an undo (of #{target.undoes}); to restore "
            f"#{target.undoes}, record it again"
        )
    if judgement_id in undone:
        raise JudgementError(
            f"judgement {judgement_id} was already undone by #{undone[judgement_id]}"
        )
    batch = [
        j for j in history if j.batch == target.batch and j.verdict != UNDO and j.id not in undone
    ]
    rows = [NewJudgement(UNDO, j.left, j.right, undoes=j.id) for j in batch]
    return append_judgements(ws, rows, user=user, origin="undo", reason=reason)


# -- reading --------------------------------------------------------------------------


def history_rows(ws: Workspace, entities: Sequence[Entity] | None = None) -> list[dict[str, Any]]:
    """Every judgement ever recorded, oldest first, with what became of it on the latest run.

    Each row: ``id``, ``batch``, ``verdict``, ``origin``, ``left``/``right`` (``name``,
    ``entity`` judged, ``mentions``, ``now``: the entities holding those mentions
    today), ``user``, ``created_at`` (UTC, ISO 8601), ``reason``, ``undoes``,
    ``status`` and ``note``.
    """
    history = load_judgements(ws)
    if not history:
        return []
    ents = list(entities) if entities is not None else ws.entities()
    mentions = ws.mentions()
    plan = plan_judgements(history, {m.id for m in mentions}, names_index(mentions))
    holder = {m: e for e in ents for m in e.mentions}
    rows: list[dict[str, Any]] = []
    for j in history:
        row: dict[str, Any] = {
            "id": j.id,
            "batch": j.batch,
            "verdict": j.verdict,
            "origin": j.origin,
            "user": j.user,
            "created_at": j.created_at.isoformat() + "Z",
            "reason": j.reason,
            "undoes": j.undoes,
            "status": plan.status.get(j.id, ""),
            "note": plan.notes.get(j.id, ""),
        }
        for key, side, idx in (("left", j.left, 0), ("right", j.right, 1)):
            if side is None:
                continue
            of = j.undoes if j.verdict == UNDO and j.undoes is not None else j.id
            now_ids = plan.sides.get(of, (frozenset(), frozenset()))[idx]
            now = {holder[m].id: holder[m].name for m in now_ids if m in holder}
            row[key] = {
                "name": side.name,
                "entity": side.entity,
                "mentions": sorted(side.mentions),
                "now": [{"id": i, "name": n} for i, n in sorted(now.items())],
            }
        rows.append(row)
    return rows


def judgements_by_entity(
    ws: Workspace, entities: Sequence[Entity]
) -> dict[str, list[dict[str, Any]]]:
    """The active judgements touching each entity, for the JSON export.

    ``{entity_id: [{"id", "verdict", "other", "user", "created_at", "reason",
    "status"}]}``; ``other`` names the other side (as judged) and the entities
    that hold it today.
    """
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in history_rows(ws, entities):
        if row["status"] in ("undo", "undone"):
            continue
        for mine, other in (("left", "right"), ("right", "left")):
            for holder in row[mine]["now"]:
                item = {
                    "id": row["id"],
                    "verdict": row["verdict"],
                    "other": {"name": row[other]["name"], "now": row[other]["now"]},
                    "user": row["user"],
                    "created_at": row["created_at"],
                    "reason": row["reason"],
                    "status": row["status"],
                }
                if item not in out[holder["id"]]:
                    out[holder["id"]].append(item)
    return dict(out)
