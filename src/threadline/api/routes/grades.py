"""Source grades (NATO/Admiralty, UK 5x5x5): read the grade in force, grade a source."""

from __future__ import annotations

import getpass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from threadline.api.access import Author, author, writer
from threadline.api.deps import WorkbenchDep
from threadline.errors import NotFoundError
from threadline.model.grading import GradeError, describe, grade_weight, validate
from threadline.store.grades import Grade, add_grade, current_grades

router = APIRouter(tags=["grades"])


class GradeIn(BaseModel):
    target: str = Field(
        max_length=500,
        description="Document id or hash prefix; an outlet name when target_kind is 'outlet'.",
    )
    target_kind: str = Field("document", pattern="^(document|outlet)$")
    scheme: str = Field("admiralty", pattern="^(admiralty|5x5x5)$")
    source: str = Field(min_length=1, max_length=1, description="A-F (admiralty) or A-E.")
    information: str = Field(min_length=1, max_length=1, description="1-6 or 1-5.")
    handling: str | None = Field(None, max_length=1)
    user: str | None = Field(None, max_length=200)
    reason: str | None = Field(None, max_length=2000)


def _row(doc_id: str, title: str | None, g: Grade | None) -> dict[str, Any]:
    return {
        "document": doc_id,
        "title": title,
        "grade": g.code if g else None,
        "scheme": g.scheme if g else None,
        "weight": g.weight if g else None,
        "description": describe(g.scheme, g.source_grade, g.information_grade) if g else "ungraded",
    }


@router.get("/grades", summary="The grade in force for every document ('ungraded' if none)")
def list_grades(wb: WorkbenchDep) -> list[dict[str, Any]]:
    with wb.database() as ws:
        current = current_grades(ws)
        return [_row(d.id, d.title, current.get(d.id)) for d in ws.documents()]


@router.post("/grades", status_code=201, summary="Grade a document or an outlet")
def post_grade(
    wb: WorkbenchDep, body: GradeIn, by: Annotated[Author, Depends(author)]
) -> dict[str, Any]:
    source = body.source.upper()
    try:
        validate(body.scheme, source, body.information, body.handling)
    except GradeError as exc:
        raise HTTPException(422, exc.message) from exc
    with wb.database() as seen:  # the caller's view: only documents they may see
        ref = body.target
        if body.target_kind == "document":
            try:
                ref = seen.document(body.target).id
            except NotFoundError as exc:
                raise HTTPException(404, exc.message) from exc
    with writer(wb) as ws:
        g = add_grade(
            ws,
            Grade(
                "",
                ref,
                body.target_kind,
                body.scheme,
                source,
                body.information,
                body.handling,
                grade_weight(body.scheme, source, body.information),
                by.name(body.user or getpass.getuser()),
                body.reason,
            ),
        )
        by.own(ws, "grade", g.id)
    wb.refresh()
    return {
        "id": g.id,
        "target": ref,
        "target_kind": body.target_kind,
        "grade": g.code,
        "weight": g.weight,
        "description": describe(body.scheme, source, body.information),
    }
