"""SQL for source grades: append-only; the newest grade of a target counts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from threadline.store.times import stamp
from threadline.store.workspace import Workspace


@dataclass
class Grade:
    """A grade of one document (``target_kind`` "document") or outlet ("outlet")."""

    id: str
    target: str
    target_kind: str
    scheme: str
    source_grade: str
    information_grade: str
    handling: str | None
    weight: float
    user: str | None
    reason: str | None
    created_at: Any = None

    @property
    def code(self) -> str:
        return f"{self.source_grade}{self.information_grade}"


def add_grade(ws: Workspace, grade: Grade) -> Grade:
    """Store a grade (inside one transaction); an earlier grade stays in the history."""
    if not grade.id:
        raw = f"{grade.target_kind}\x1f{grade.target}\x1f{grade.code}\x1f{grade.user}"
        count = ws.con.execute("SELECT count(*) FROM source_grades").fetchone()
        raw += f"\x1f{count[0] if count else 0}"
        grade.id = "g" + hashlib.sha256(raw.encode()).hexdigest()[:12]
    with ws.transaction():
        ws.con.execute(
            "INSERT INTO source_grades (id, target, target_kind, scheme, source_grade, "
            "information_grade, handling, weight, user_name, reason, created_at) "
            "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
            [
                grade.id,
                grade.target,
                grade.target_kind,
                grade.scheme,
                grade.source_grade,
                grade.information_grade,
                grade.handling,
                grade.weight,
                grade.user,
                grade.reason,
                stamp(),
            ],
        )
    return grade


def grades(ws: Workspace) -> list[Grade]:
    """Every grade ever given, oldest first."""
    rows = ws.con.execute(
        "SELECT id, target, target_kind, scheme, source_grade, information_grade, handling, "
        "weight, user_name, reason, created_at FROM source_grades ORDER BY created_at, id"
    ).fetchall()
    return [Grade(*r) for r in rows]


def current_grades(ws: Workspace) -> dict[str, Grade]:
    """Each document's grade in force: its own newest grade, else its outlet's newest."""
    by_doc: dict[str, Grade] = {}
    by_outlet: dict[str, Grade] = {}
    for g in grades(ws):
        (by_doc if g.target_kind == "document" else by_outlet)[g.target] = g
    out: dict[str, Grade] = {}
    for d in ws.documents():
        found = by_doc.get(d.id) or (by_outlet.get(d.outlet) if d.outlet else None)
        if found is not None:
            out[d.id] = found
    return out
