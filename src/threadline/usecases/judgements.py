"""Judge in the user's view: one function for the command line and the API.

A judgement made by a user of a workspace shared by agencies is about the entities
*they* see, and is checked against the judgements *they* see: their view
(:func:`threadline.pipeline.views.user_view` on the command line, the API's view
workbench). So it names no hidden mention, and a refusal never names or quotes a
judgement of an agency whose work the user is not shown. Once checked it is stored in
the shared workspace, owned by the user's agency, and resolve and analyze run again
(:func:`threadline.pipeline.judgements.record_checked`). A contradiction with a
judgement the user cannot see is stored, held back and reported to those who see
both, as one recorded with ``force``.

Both interfaces hand in two openers (a callable returning a context manager of a
workspace): ``view`` for the check and ``shared`` for the write, opened one after the
other (the API's view and shared workspace each have a lock of their own). On a
one-analyst workspace both are the workspace itself, and this is
:func:`threadline.pipeline.judgements.judge`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager

from threadline.model.identity import Judgement, JudgementSide
from threadline.pipeline.judgements import record_checked
from threadline.resolve.judgements import (
    judged_pairs,
    refuse_contradiction,
    split_pairs,
    verdict_of,
)
from threadline.store import Workspace

__all__ = ["Opener", "judge_in_view", "split_in_view"]

#: Opens a workspace for the length of a ``with`` block.
Opener = Callable[[], AbstractContextManager[Workspace]]
Pairs = list[tuple[JudgementSide, JudgementSide]]


def judge_in_view(
    shared: Opener,
    view: Opener,
    a: str,
    b: str,
    verdict: str,
    *,
    user: str,
    agency: str | None,
    reason: str = "",
    force: bool = False,
    origin: str | None = None,
) -> list[Judgement]:
    """Record ``verdict`` (same, not_same, unsure) on the entities ``a`` and ``b`` of the
    user's view, then re-run; the judgement belongs to ``agency`` (None: no agencies).

    ``a`` and ``b`` are ids, unique id prefixes or exact names *in the view*. Raises
    :class:`~threadline.errors.NotFoundError` for an entity the view does not hold,
    :class:`~threadline.errors.JudgementError` when both name one entity, and
    :class:`~threadline.errors.JudgementConflictError` when the verdict contradicts
    judgements the user sees (unless ``force``). ``origin`` defaults to ``merge`` for
    ``same``, else ``judge``.
    """
    verdict = verdict_of(verdict)
    origin = origin or ("merge" if verdict == "same" else "judge")
    with view() as seen:
        pairs = judged_pairs(seen.entities(), a, b, verdict)
        if not force:
            refuse_contradiction(seen, verdict, pairs, user=user, origin=origin)
    return _store(shared, verdict, pairs, user, agency, origin, reason)


def split_in_view(
    shared: Opener,
    view: Opener,
    entity: str,
    *,
    user: str,
    agency: str | None,
    names: Sequence[str] = (),
    parts: Sequence[Sequence[str]] = (),
    mentions: Sequence[Sequence[str]] = (),
    documents: Sequence[Sequence[str]] = (),
    reason: str = "",
    force: bool = False,
) -> list[Judgement]:
    """Split an entity of the user's view into parts held to be different (see
    :func:`~threadline.resolve.judgements.split_pairs`), checked as :func:`judge_in_view`."""
    with view() as seen:
        pairs = split_pairs(
            seen, entity, names, parts=parts, mentions=mentions, documents=documents
        )
        if not force:
            refuse_contradiction(seen, "not_same", pairs, user=user, origin="split")
    return _store(shared, "not_same", pairs, user, agency, "split", reason)


def _store(
    shared: Opener,
    verdict: str,
    pairs: Pairs,
    user: str,
    agency: str | None,
    origin: str,
    reason: str,
) -> list[Judgement]:
    with shared() as ws:
        return record_checked(
            ws, verdict, pairs, user=user, origin=origin, reason=reason, owner=agency
        )
