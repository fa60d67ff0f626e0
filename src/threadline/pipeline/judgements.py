"""Analyst judgements and corrections, followed by what they change downstream.

Each action records (``threadline.resolve.judgements``,
``threadline.resolve.corrections``: those only check and append) and then re-runs
what a judgement or a correction changes (:data:`~threadline.pipeline.reruns.AFTER`),
in one transaction (joining the caller's), so the result shows at once and a
refused change leaves nothing behind. The CLI, the API and a user's view call these.
"""

from __future__ import annotations

from collections.abc import Sequence

from threadline.model.corrections import Correction
from threadline.model.identity import Judgement, JudgementSide
from threadline.pipeline.reruns import rerun
from threadline.resolve.corrections import (
    CorrectionRequest,
    record_correction,
    withdraw_correction,
)
from threadline.resolve.judgements import judged_pairs, record, split_pairs, verdict_of, withdraw
from threadline.security.visibility import set_owner
from threadline.store import Workspace

__all__ = ["correct", "judge", "merge", "record_checked", "split", "undo", "undo_correction"]


def judge(
    ws: Workspace,
    a: str,
    b: str,
    verdict: str,
    *,
    user: str,
    reason: str = "",
    force: bool = False,
    origin: str = "judge",
) -> list[Judgement]:
    """Record ``verdict`` (same, not_same or unsure) on entities ``a`` and ``b``, then
    re-run resolve and analyze.

    ``a`` and ``b`` are ids, unique id prefixes or exact names. Returns the stored
    judgement (a list, like the other actions). Raises :class:`JudgementError`
    when both name one entity, :class:`JudgementConflictError` when the verdict
    contradicts active judgements (unless ``force``).
    """
    verdict = verdict_of(verdict)
    pairs = judged_pairs(ws.entities(), a, b, verdict)
    with ws.transaction():
        stored = record(ws, verdict, pairs, user=user, origin=origin, reason=reason, force=force)
        rerun(ws, "judgement")
    return stored


def record_checked(
    ws: Workspace,
    verdict: str,
    pairs: Sequence[tuple[JudgementSide, JudgementSide]],
    *,
    user: str,
    origin: str,
    reason: str = "",
    owner: str | None = None,
) -> list[Judgement]:
    """Record judgements already checked elsewhere (in the user's view:
    :mod:`threadline.usecases.judgements`), owned by the agency ``owner`` when given,
    then re-run; one transaction. A contradiction with judgements the user may not see
    is not theirs to resolve: it is stored and reported like one recorded with force."""
    with ws.transaction():
        stored = record(ws, verdict, pairs, user=user, origin=origin, reason=reason, force=True)
        if owner is not None:
            for j in stored:
                set_owner(ws, "judgement", j.id, owner)
        rerun(ws, "judgement")
    return stored


def merge(
    ws: Workspace, a: str, b: str, *, user: str, reason: str = "", force: bool = False
) -> list[Judgement]:
    """Judge entities ``a`` and ``b`` one person: they stay one on every re-run."""
    return judge(ws, a, b, "same", user=user, reason=reason, force=force, origin="merge")


def split(
    ws: Workspace,
    entity: str,
    names: Sequence[str] = (),
    *,
    user: str,
    parts: Sequence[Sequence[str]] = (),
    mentions: Sequence[Sequence[str]] = (),
    documents: Sequence[Sequence[str]] = (),
    reason: str = "",
    force: bool = False,
) -> list[Judgement]:
    """Split ``entity`` into people held to be different (each pair of parts judged not
    the same, one batch, undone together), then re-run; see
    :func:`~threadline.resolve.judgements.split_pairs` for the parts."""
    pairs = split_pairs(ws, entity, names, parts=parts, mentions=mentions, documents=documents)
    with ws.transaction():
        stored = record(
            ws, "not_same", pairs, user=user, origin="split", reason=reason, force=force
        )
        rerun(ws, "judgement")
    return stored


def undo(
    ws: Workspace, judgement_id: int | None = None, *, user: str, reason: str = ""
) -> list[Judgement]:
    """Withdraw a judgement (default: the latest in force; a split as a whole), then
    re-run; see :func:`~threadline.resolve.judgements.withdraw`."""
    with ws.transaction():
        stored = withdraw(ws, judgement_id, user=user, reason=reason)
        rerun(ws, "judgement")
    return stored


def correct(
    ws: Workspace, request: CorrectionRequest, *, user: str, reason: str = ""
) -> Correction:
    """Record the correction ``request``, then re-run resolve and analyze (one
    transaction); raises as :func:`~threadline.resolve.corrections.record_correction`."""
    with ws.transaction():
        stored = record_correction(ws, request, user=user, reason=reason)
        rerun(ws, "correction")
    return stored


def undo_correction(
    ws: Workspace, correction_id: int, *, user: str, reason: str = ""
) -> Correction:
    """Withdraw a correction, then re-run resolve and analyze (one transaction)."""
    with ws.transaction():
        stored = withdraw_correction(ws, correction_id, user=user, reason=reason)
        rerun(ws, "correction")
    return stored
