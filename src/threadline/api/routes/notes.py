"""Analyst notes on entities and ties, and analyst-asserted ties."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from threadline.api.access import Author, after_write, author, require_own, writer
from threadline.api.deps import PagingDep, WorkbenchDep, entity_index
from threadline.api.models import AssertedTie, AssertedTieIn, Note, NoteIn, Page, Retraction
from threadline.api.shapes import asserted, note
from threadline.api.views import names_in
from threadline.store import notes as store

router = APIRouter(tags=["notes"])

NoteId = Annotated[str, Path(max_length=200)]
AuthorDep = Annotated[Author, Depends(author)]


@router.get("/notes", response_model=Page[Note], summary="Analyst notes, newest first")
def list_notes(
    wb: WorkbenchDep,
    page: PagingDep,
    target: Annotated[str | None, Query(max_length=200, description="Only on this id.")] = None,
    retracted: Annotated[bool, Query(description="Include retracted notes.")] = False,
) -> dict[str, Any]:
    with wb.database() as ws:
        if target is not None:
            found = store.notes_for(ws, target, include_retracted=retracted)[::-1]
            total = len(found)
            found = found[page.offset : page.offset + page.limit]
        else:
            found, total = store.list_notes(
                ws, include_retracted=retracted, limit=page.limit, offset=page.offset
            )
    return page.page([note(n) for n in found], total)


@router.post("/notes", response_model=Note, status_code=201, summary="Write a note")
def add_note(wb: WorkbenchDep, body: NoteIn, by: AuthorDep) -> dict[str, Any]:
    """A note by ``analyst`` on an entity or a tie (which must exist)."""
    snap = wb.snapshot
    if body.target_kind == "entity":
        label = snap.name[entity_index(snap, body.target)]
    else:
        k = snap.tie_index.get(body.target)
        if k is None:
            raise HTTPException(404, f"tie '{body.target}' does not exist in this workspace")
        label = (
            f"{snap.name[int(snap.ties.src[k])]} -{snap.ties.type_of(k)}- "
            f"{snap.name[int(snap.ties.dst[k])]}"
        )
    if body.target_kind == "entity":
        named = [snap.entity_ids[entity_index(snap, body.target)]]
    else:
        named = [snap.entity_ids[int(snap.ties.src[k])], snap.entity_ids[int(snap.ties.dst[k])]]
    names = names_in(wb, body.text, label) if by.enabled else []
    with writer(wb) as ws:
        made = store.add_note(
            ws,
            target_kind=body.target_kind,
            target=body.target,
            analyst=by.name(body.analyst),
            text=body.text,
            target_label=label,
        )
        by.own(ws, "note", made.id)
        by.basis(ws, "note", made.id, entities=named, names=names)
    after_write(wb)
    return note(made)


@router.post("/notes/{note_id}/retract", response_model=Note, summary="Retract a note")
def retract_note(
    wb: WorkbenchDep, note_id: NoteId, body: Retraction, by: AuthorDep
) -> dict[str, Any]:
    """Marks the note retracted by ``analyst``; the note itself is kept."""
    with writer(wb) as ws:
        require_own(by, ws, "note", note_id, "note", wb)
        done = store.retract_note(ws, note_id, analyst=by.name(body.analyst))
    after_write(wb)
    return note(done)


@router.get("/asserted-ties", response_model=Page[AssertedTie], summary="Ties asserted by analysts")
def list_asserted(
    wb: WorkbenchDep,
    page: PagingDep,
    retracted: Annotated[bool, Query(description="Include retracted ones.")] = False,
) -> dict[str, Any]:
    with wb.database() as ws:
        found = store.asserted_ties(ws, include_retracted=retracted)
    found.reverse()
    chosen = found[page.offset : page.offset + page.limit]
    return page.page([asserted(a) for a in chosen], len(found))


@router.post("/asserted-ties", response_model=AssertedTie, status_code=201, summary="Assert a tie")
def add_asserted(wb: WorkbenchDep, body: AssertedTieIn, by: AuthorDep) -> dict[str, Any]:
    """A tie the analyst knows of ("I know A and B met"). Its evidence is the
    analyst and their statement; it is drawn and listed as analyst-asserted, and
    can be hidden with ``asserted=false`` on graph and tie queries."""
    snap = wb.snapshot
    a, b = entity_index(snap, body.source), entity_index(snap, body.target)
    names = names_in(wb, body.statement, body.detail) if by.enabled else []
    with writer(wb) as ws:
        made = store.add_asserted_tie(
            ws,
            type=body.type,
            source=body.source,
            target=body.target,
            analyst=by.name(body.analyst),
            statement=body.statement,
            detail=body.detail,
            confidence=body.confidence,
            source_label=snap.name[a],
            target_label=snap.name[b],
        )
        by.own(ws, "asserted_tie", made.id)
        by.basis(
            ws,
            "asserted_tie",
            made.id,
            entities=[snap.entity_ids[a], snap.entity_ids[b]],
            names=names,
        )
    wb.refresh()
    return asserted(made)


@router.post(
    "/asserted-ties/{tie_id}/retract",
    response_model=AssertedTie,
    summary="Retract an asserted tie",
)
def retract_asserted(
    wb: WorkbenchDep, tie_id: NoteId, body: Retraction, by: AuthorDep
) -> dict[str, Any]:
    with writer(wb) as ws:
        require_own(by, ws, "asserted_tie", tie_id, "asserted tie", wb)
        done = store.retract_asserted_tie(ws, tie_id, analyst=by.name(body.analyst))
    wb.refresh()
    return asserted(done)
