"""Adapters between the API and the analyst's corrections (issue 18): record, undo, list.

Recording calls :mod:`threadline.pipeline.judgements`, which re-runs resolve and
analyze in the same transaction; the route then refreshes the workbench so every
answer after it (graph, measures, cells, exports) reads the corrected network.
Through a user's view (access control on), the correction is tried on the view
(it names only what the user sees, and is checked against the corrections the view
applies), then stored in the shared workspace, owned by the user's agency; the
views are built again, each applying the corrections of the agencies it trusts.
"""

from __future__ import annotations

from typing import Any

from threadline.api.access import Author, ViewWorkbench, is_view, require_own, writer
from threadline.errors import NotFoundError
from threadline.model.corrections import Correction
from threadline.pipeline.judgements import correct
from threadline.pipeline.reruns import rerun
from threadline.resolve import corrections as lib
from threadline.store.corrections import append_corrections, correction_ids


def record(
    wb: Any, request: lib.CorrectionRequest, analyst: str, reason: str, by: Author
) -> Correction:
    """Store the correction and re-run the pipeline behind it (not the snapshot)."""
    if by.enabled and is_view(wb):
        return _through_view(wb, request, by, reason)
    with writer(wb) as ws, ws.transaction():
        stored = correct(ws, request, user=analyst, reason=reason)
        by.own(ws, "correction", stored.id)
    return stored


class _TrialOnly(Exception):
    """Raised to roll a trial on the view's own workspace back."""


def _through_view(
    wb: ViewWorkbench, request: lib.CorrectionRequest, by: Author, reason: str
) -> Correction:
    user = by.principal.name
    tried: list[Any] = []
    with wb.database() as view:
        try:
            with view.transaction():
                new = lib.prepare(view, request)  # only what this user sees
                lib.check(view, new, user)  # against the corrections this view applies
                tried.append(new)
                raise _TrialOnly
        except _TrialOnly:
            pass
    with writer(wb) as ws, ws.transaction():
        [stored] = append_corrections(ws, tried, user=user, reason=reason)
        by.own(ws, "correction", stored.id)
        rerun(ws, "correction")
    return stored


def undo(wb: Any, correction_id: int, analyst: str, reason: str, by: Author) -> Correction:
    """Withdraw a correction (through a view: only one of the agency's own it sees)."""
    with writer(wb) as ws:
        if correction_id not in correction_ids(ws):
            raise NotFoundError(
                f"correction {correction_id} does not exist; see GET /api/corrections"
            )
        if by.enabled and is_view(wb):
            require_own(by, ws, "correction", correction_id, "correction")
            with wb.database() as view:
                if correction_id not in correction_ids(view):
                    raise NotFoundError(f"correction {correction_id} is not in your view")
        with ws.transaction():
            stored = lib.withdraw_correction(
                ws, correction_id, user=by.name(analyst), reason=reason
            )
            by.own(ws, "correction", stored.id)
            rerun(ws, "correction")
    return stored


def rows(wb: Any) -> list[dict[str, Any]]:
    """Every correction the workbench (or the user's view) applies, oldest first,
    with its status on the latest run (cached per snapshot)."""
    key = ("corrections", wb.snapshot.token)
    found: list[dict[str, Any]] | None = wb.cache.get(key)
    if found is None:
        with wb.database() as ws:
            found = lib.correction_rows(ws)
        wb.cache[key] = found
    return found


def row(wb: Any, correction_id: int) -> dict[str, Any]:
    """One correction as JSON, read after the snapshot was refreshed."""
    for r in rows(wb):
        if r["id"] == correction_id:
            return {**r, "generation": wb.generation}
    raise NotFoundError(f"correction {correction_id} is not in your view")
