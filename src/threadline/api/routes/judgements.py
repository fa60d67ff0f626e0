"""Identity judgements: same / not same / unsure (a merge), split, undo, and the history."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from threadline.api import identity
from threadline.api.access import Author, author, writer
from threadline.api.deps import PagingDep, WorkbenchDep, entity_index
from threadline.api.models import JudgementIn, JudgementResult, Page, SplitIn, UndoIn
from threadline.api.views import names_in
from threadline.model.identity import Judgement

router = APIRouter(tags=["judgements"])
AuthorDep = Annotated[Author, Depends(author)]


@router.get("/judgements", response_model=Page[dict[str, Any]], summary="Judgement history")
def list_judgements(wb: WorkbenchDep, page: PagingDep) -> dict[str, Any]:
    """Every judgement, newest first (append-only: an undo is a new row), with its
    status on the latest run and the entities that hold each side today."""
    found = identity.history(wb)[::-1]
    chosen = found[page.offset : page.offset + page.limit]
    return page.page(chosen, len(found))


def _result(
    wb: Any, stored: list[Judgement], by: Author | None = None, names: list[str] | None = None
) -> dict[str, Any]:
    if by is not None and by.enabled and names:
        with writer(wb) as ws:
            for j in stored:
                by.basis(ws, "judgement", j.id, entities=[], names=names)
    wb.refresh()
    first = stored[0] if stored else None
    judgement = identity.judgement_dict(first) if first is not None else {}
    touched = identity.entities_after(wb, stored)
    return {"judgement": judgement, "entities": touched, "generation": wb.generation}


@router.post(
    "/judgements",
    response_model=JudgementResult,
    status_code=201,
    summary="Judge two entities the same, not the same, or unsure",
    responses={404: {"description": "No entity with one of the ids."}},
)
def judge(wb: WorkbenchDep, body: JudgementIn, by: AuthorDep) -> dict[str, Any]:
    """``same`` merges the two identities, ``not_same`` keeps them apart on every
    re-run, ``unsure`` records the doubt. Stored append-only with the analyst and
    time; the network is re-resolved at once."""
    snap = wb.snapshot
    entity_index(snap, body.a)
    entity_index(snap, body.b)
    names = names_in(wb, body.reason) if by.enabled else []
    outcome = identity.judge(
        wb, body.a, body.b, body.verdict, by.name(body.analyst), body.reason, by=by
    )
    return _result(wb, outcome, by, names)


@router.post(
    "/entities/{entity_id}/split",
    response_model=JudgementResult,
    status_code=201,
    summary="Split names off an entity",
    responses={404: {"description": "No entity with this id."}},
)
def split(
    wb: WorkbenchDep,
    entity_id: Annotated[str, Path(max_length=200)],
    body: SplitIn,
    by: AuthorDep,
) -> dict[str, Any]:
    """The mentions carrying ``names`` become another identity: stored as
    not-same judgements between the parts, so re-runs keep them apart."""
    entity_index(wb.snapshot, entity_id)
    names = names_in(wb, body.reason) if by.enabled else []
    outcome = identity.split(wb, entity_id, body.names, by.name(body.analyst), body.reason, by=by)
    return _result(wb, outcome, by, names)


@router.post(
    "/judgements/undo",
    response_model=JudgementResult,
    status_code=201,
    summary="Undo a judgement (default: the last)",
)
def undo(wb: WorkbenchDep, body: UndoIn, by: AuthorDep) -> dict[str, Any]:
    """Appends an undo row that withdraws the judgement; the network is re-resolved."""
    outcome = identity.undo(
        wb, int(body.judgement) if body.judgement else None, by.name(body.analyst), by=by
    )
    return _result(wb, outcome)
