"""Stored documents: the list, one document with every evidence span marked, and one
document with every mention and tie for the analyst's review."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request

from threadline.api.access import access_of
from threadline.api.deps import PagingDep, SnapshotDep, WorkbenchDep, stored_document
from threadline.api.models import DocumentDetail, DocumentRef, DocumentReview, Page
from threadline.api.review import build_review
from threadline.security.visibility import public_source

router = APIRouter(tags=["documents"])


def _source(request: Request, source: str | None) -> str | None:
    """A document's source; with access control on, a file by its name only."""
    return public_source(source) if access_of(request).enabled else source


@router.get("/documents", response_model=Page[DocumentRef], summary="List stored documents")
def list_documents(snap: SnapshotDep, page: PagingDep, request: Request) -> dict[str, Any]:
    """Documents by publication date (undated last), then title."""
    docs = sorted(
        snap.documents.values(), key=lambda d: (d.published or "9999", d.title or "", d.id)
    )
    chosen = docs[page.offset : page.offset + page.limit]
    items = [
        {
            "id": d.id,
            "title": d.title,
            "published": d.published,
            "outlet": d.outlet,
            "source": _source(request, d.source),
        }
        for d in chosen
    ]
    return page.page(items, len(docs))


@router.get(
    "/documents/{document_id}",
    response_model=DocumentDetail,
    summary="One document, its text and the evidence spans in it",
    responses={404: {"description": "No document with this id."}},
)
def getstored_document(
    snap: SnapshotDep,
    request: Request,
    document_id: Annotated[str, Path(max_length=200)],
    start: Annotated[int | None, Query(ge=0, description="Start of a span to highlight.")] = None,
    end: Annotated[int | None, Query(ge=0, description="End of a span to highlight.")] = None,
) -> dict[str, Any]:
    """The stored text exactly as evidence offsets count it, its segments (body,
    caption, comments, ...), every name span linked to its entity, and the span
    ``start``..``end`` (a quote's) to highlight, checked against the text."""
    doc = stored_document(snap, document_id)
    highlight = None
    if start is not None or end is not None:
        if start is None or end is None or not start < end <= len(doc.text):
            raise HTTPException(
                422,
                f"highlight needs 0 <= start < end <= {len(doc.text)} (the text's length); "
                f"got start={start}, end={end}",
            )
        highlight = {"start": start, "end": end}
    spans = [
        {
            "start": s,
            "end": e,
            "entity": snap.entity_ids[i],
            "name": snap.name[i],
            "schema": snap.schema[i],
        }
        for s, e, i in snap.spans.get(document_id, [])
    ]
    return {
        "id": doc.id,
        "title": doc.title,
        "source": _source(request, doc.source),
        "sha256": doc.sha256,
        "kind": doc.kind,
        "published": doc.published,
        "outlet": doc.outlet,
        "author": doc.author,
        "url": doc.url,
        "language": doc.language,
        "text": doc.text,
        "segments": doc.segments,
        "spans": spans,
        "highlight": highlight,
    }


@router.get(
    "/documents/{document_id}/review",
    response_model=DocumentReview,
    summary="One document with every mention and tie in it, for review",
    responses={404: {"description": "No document with this id."}},
)
def reviewstored_document(
    wb: WorkbenchDep, document_id: Annotated[str, Path(max_length=200)]
) -> dict[str, Any]:
    """The stored text, every mention found in it (id, span, label, the entity that
    holds it) and every tie it states (id, type, both ends with the mentions the
    sentence ties, the sentence's span, inferred and hedged), each with the analyst's
    correction in force. Corrections are made with ``POST /api/corrections``."""
    return build_review(wb, stored_document(wb.snapshot, document_id))
