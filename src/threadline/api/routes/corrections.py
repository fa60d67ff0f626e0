"""Analyst corrections (issue 18): not an entity, another schema, not this tie, another
tie type or direction, a role, an alias; per document, one mention. Make, undo, list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from threadline.api import corrections
from threadline.api.access import Author, author
from threadline.api.deps import PagingDep, WorkbenchDep
from threadline.api.models import CorrectionIn, CorrectionOut, CorrectionUndoIn, Page
from threadline.resolve.corrections import CorrectionRequest

router = APIRouter(tags=["corrections"])
AuthorDep = Annotated[Author, Depends(author)]

_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No entity, tie, mention or correction with this id (code T400)."},
    409: {
        "description": "It changes nothing, or contradicts or repeats a correction in force "
        "(codes T820, T830; the message names the earlier correction)."
    },
    422: {"description": "A schema, tie type or role outside the vocabulary (code T710)."},
}


@router.post(
    "/corrections",
    response_model=CorrectionOut,
    status_code=201,
    summary="Correct what the machine got wrong",
    responses=_ERRORS,
)
def make(wb: WorkbenchDep, body: CorrectionIn, by: AuthorDep) -> dict[str, Any]:
    """Record a correction, keyed by the text spans it is about (so it survives
    re-extraction and re-resolution), and re-run resolve and analyze: every answer
    after it reads the corrected network. Nothing is written on error."""
    request = CorrectionRequest(
        body.kind,
        entity=body.entity,
        tie=body.tie,
        mention=body.mention,
        schema=body.schema_,
        type=body.type,
        role=body.role,
        name=body.name,
        reverse=body.reverse,
        document=body.document,
    )
    analyst = by.name(body.analyst or by.principal.name)
    stored = corrections.record(wb, request, analyst, body.reason, by)
    wb.refresh()
    return corrections.row(wb, stored.id)


@router.post(
    "/corrections/{correction_id}/undo",
    response_model=CorrectionOut,
    summary="Undo a correction",
    responses=_ERRORS,
)
def undo(
    wb: WorkbenchDep,
    correction_id: Annotated[int, Path(ge=1, le=2_000_000_000)],
    by: AuthorDep,
    body: CorrectionUndoIn | None = None,
) -> dict[str, Any]:
    """Append an undo row withdrawing the correction (nothing is deleted) and re-run:
    the machine's result returns. An undo of an undo, or of what is undone, is 409."""
    body = body or CorrectionUndoIn.model_validate({})
    analyst = body.analyst or by.principal.name
    stored = corrections.undo(wb, correction_id, analyst, body.reason, by)
    wb.refresh()
    return corrections.row(wb, stored.id)


@router.get("/corrections", response_model=Page[CorrectionOut], summary="Correction history")
def list_corrections(
    wb: WorkbenchDep,
    page: PagingDep,
    document: Annotated[
        str | None, Query(max_length=200, description="Only those with a span in this document.")
    ] = None,
    status: Annotated[
        str | None,
        Query(pattern="^(applied|dormant|undone|undo)$", description="Only those of a status."),
    ] = None,
) -> dict[str, Any]:
    """Every correction, newest first (append-only: an undo is a new row), with its
    text spans and its status on the latest run."""
    found = [
        r
        for r in corrections.rows(wb)[::-1]
        if (document is None or any(s["document"] == document for s in r["spans"]))
        and (status is None or r["status"] == status)
    ]
    chosen = found[page.offset : page.offset + page.limit]
    return page.page(chosen, len(found))
