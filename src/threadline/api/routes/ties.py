"""One tie with all its evidence and notes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from threadline.api.deps import WorkbenchDep, tie_row
from threadline.api.models import Tie
from threadline.api.shapes import note, tie

router = APIRouter(tags=["ties"])

#: Quotes returned for one tie.
TIE_QUOTES = 200


@router.get(
    "/ties/{tie_id}",
    response_model=Tie,
    summary="One tie with every quote",
    responses={404: {"description": "No tie with this id."}},
)
def get_tie(wb: WorkbenchDep, tie_id: Annotated[str, Path(max_length=200)]) -> dict[str, Any]:
    """The tie, its two ends, each piece of evidence (document, span, quote; or the
    analyst and their statement for an asserted tie) and the analysts' notes."""
    snap = wb.snapshot
    k = tie_row(snap, tie_id)
    with wb.database() as ws:
        evidence_of = ws.tie_evidence([tie_id]) if not snap.ties.asserted[k] else {}
    item = tie(snap, k, evidence_of=evidence_of, limit=TIE_QUOTES)
    item["notes"] = [note(n) for n in wb.notes.get(tie_id, [])]
    return item
