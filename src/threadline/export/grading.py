"""Source grades in the export: on documents, next to every quote, in every confidence.

An analyst's grade of a document (or of its outlet) multiplies the confidence of
each piece of evidence that document supplies; tie and claim confidences are
recombined from the graded evidence (1 − Π(1 − cᵢ)). Ungraded documents are
marked "ungraded" and keep their extraction confidence: ungraded is not trusted.
"""

from __future__ import annotations

from typing import Any

from threadline.model.grading import describe
from threadline.store.grades import Grade


def apply_grades(export: dict[str, Any], grades: dict[str, Grade]) -> dict[str, Any]:
    """Annotate ``export`` in place with the grades in force and return it."""
    for d in export["documents"]:
        g = grades.get(d["id"])
        d["grade"] = (
            {
                "scheme": g.scheme,
                "code": g.code,
                "weight": g.weight,
                "description": describe(g.scheme, g.source_grade, g.information_grade),
                "by": g.user,
                **({"handling": g.handling} if g.handling else {}),
            }
            if g
            else "ungraded"
        )
    weight = {doc: g.weight for doc, g in grades.items()}

    def grade_evidence(evidence: list[dict[str, Any]]) -> float:
        miss = 1.0
        for ev in evidence:
            g = grades.get(ev["document"])
            ev["grade"] = g.code if g else "ungraded"
            if g:
                ev["confidence"] = round(ev["confidence"] * weight[ev["document"]], 3)
            miss *= 1.0 - ev["confidence"]
        return round(1.0 - miss, 3)

    for e in export["entities"]:
        for ev in e["evidence"]:
            g = grades.get(ev["document"])
            ev["grade"] = g.code if g else "ungraded"
    for t in export["ties"]:
        if any(ev["document"] in weight for ev in t["evidence"]):
            t["confidence"] = grade_evidence(t["evidence"])
        else:
            grade_evidence(t["evidence"])
    for c in export["claims"]:
        grade_evidence(c["evidence"])
        c["confidence"] = c["evidence"][0]["confidence"] if c["evidence"] else None
    return export
