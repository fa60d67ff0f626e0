"""Identity judgements made through a user's view: they belong to the user's agency.

The sides of a judgement are the mentions the analyst *sees* (the view's
entities), so a judgement never names a hidden mention. Contradictions are
checked against the judgements of that view only (another agency's judgements
are not the analyst's to see). The judgement is stored in the shared workspace,
owned by the agency, and applies to the views that see that agency's work (its
own, and partners it shares judgements with).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from threadline.api.access import Author, ViewWorkbench, writer
from threadline.errors import NotFoundError
from threadline.model.identity import Judgement
from threadline.pipeline.reruns import rerun
from threadline.resolve import judgements as lib
from threadline.resolve.judgement_plan import split_sides
from threadline.security.visibility import set_owner
from threadline.store.lookups import judgement_ids
from threadline.store.views import owners


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
    def sides(view: Any) -> Any:
        # the same check as the CLI's `threadline judge`, on the entities the user sees
        pairs = lib.judged_pairs(view.entities(), a, b, verdict)
        lib.record(view, verdict, pairs, user=by.principal.name, origin="judge", reason=reason)
        return pairs

    pairs = _trial(wb, sides)
    origin = "merge" if verdict == "same" else "judge"
    return _store(
        wb,
        by,
        lambda ws: lib.record(
            ws, verdict, pairs, user=by.principal.name, origin=origin, reason=reason, force=True
        ),
    )


def split(
    wb: ViewWorkbench, entity: str, names: list[str], by: Author, reason: str
) -> list[Judgement]:
    def sides(view: Any) -> Any:
        target = lib.find_entity(view.entities(), entity)
        parts = split_sides(target, {m.id: m for m in view.mentions()}, names=[list(names)])
        pairs = [(x, y) for i, x in enumerate(parts) for y in parts[i + 1 :]]
        lib.record(view, "not_same", pairs, user=by.principal.name, origin="split", reason=reason)
        return pairs

    pairs = _trial(wb, sides)
    return _store(
        wb,
        by,
        lambda ws: lib.record(
            ws, "not_same", pairs, user=by.principal.name, origin="split", reason=reason,
            force=True,
        ),
    )  # fmt: skip


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
