"""Identity judgements made through a user's view: they belong to the user's agency.

The sides of a judgement are the mentions the analyst *sees* (the view's
entities), so a judgement never names a hidden mention. Contradictions are
checked against the judgements of that view only (another agency's judgements
are not the analyst's to see). The judgement is stored in the shared workspace,
owned by the agency, and applies to the views that see that agency's work (its
own, and partners it shares judgements with). Judging and splitting are the use
cases of :mod:`threadline.usecases.judgements` (``threadline judge --agency`` calls
them too); withdrawing stays here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from threadline.api.access import Author, ViewWorkbench, writer
from threadline.errors import NotFoundError
from threadline.model.identity import Judgement
from threadline.pipeline.reruns import rerun
from threadline.resolve import judgements as lib
from threadline.security.visibility import set_owner
from threadline.store.lookups import judgement_ids
from threadline.store.views import owners
from threadline.usecases.judgements import judge_in_view, split_in_view


class _TrialOnly(Exception):
    """Raised to roll back a trial run on the view's own workspace."""


def _trial(wb: ViewWorkbench, attempt: Callable[[Any], Any]) -> Any:
    """Run ``attempt`` on the view's workspace and roll it back: its checks, not its writes."""
    out: list[Any] = []
    with wb.database() as view:
        try:
            with view.transaction():
                out.append(attempt(view))
                raise _TrialOnly
        except _TrialOnly:
            pass
    return out[0]


def _store(
    wb: ViewWorkbench, by: Author, store: Callable[[Any], list[Judgement]]
) -> list[Judgement]:
    with writer(wb) as ws, ws.transaction():
        stored = store(ws)
        for j in stored:
            set_owner(ws, "judgement", j.id, by.principal.agency)
        rerun(ws, "judgement")
    return stored


def judge(
    wb: ViewWorkbench, a: str, b: str, verdict: str, by: Author, reason: str
) -> list[Judgement]:
    # the command line's `threadline judge --agency` calls the same use case
    return judge_in_view(
        lambda: writer(wb),
        wb.database,
        a,
        b,
        verdict,
        user=by.principal.name,
        agency=by.principal.agency,
        reason=reason,
    )


def split(
    wb: ViewWorkbench, entity: str, names: list[str], by: Author, reason: str
) -> list[Judgement]:
    return split_in_view(
        lambda: writer(wb),
        wb.database,
        entity,
        names=list(names),
        user=by.principal.name,
        agency=by.principal.agency,
        reason=reason,
    )


def undo(wb: ViewWorkbench, judgement: int | None, by: Author) -> list[Judgement]:
    """Withdraw one of the agency's own judgements (default: its latest in force)."""
    with writer(wb) as ws:
        found = owners(ws, "judgement", "").items()
        own = {int(i) for i, agency in found if agency == by.principal.agency}
    with wb.database() as view:  # nobody withdraws what they may not see
        own &= judgement_ids(view)
    if judgement is None:
        planned = _trial(wb, lambda view: lib.withdraw(view, None, user=by.principal.name))
        judgement = planned[0].undoes if planned else None
    if judgement is None or judgement not in own:
        raise NotFoundError(
            f"judgement {judgement} is not one of your agency's; see GET /api/judgements"
        )
    return _store(wb, by, lambda ws: lib.withdraw(ws, judgement, user=by.principal.name))
