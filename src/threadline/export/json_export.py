"""The analysis JSON export (``threadline_export: 1``) that tests and tools read.

Format: ../shared/DESIGN.md, "The analysis JSON export". Fields may be added
(optional) without changing the version; removing or renaming one bumps it.
"""

from __future__ import annotations

from typing import Any

from threadline.analyze.network import tie_volume
from threadline.export.conflicts import find_conflicts
from threadline.export.grading import apply_grades
from threadline.export.profile import Sources, claim_value, entity_profiles
from threadline.export.record_facts import record_properties
from threadline.export.record_links import record_fields
from threadline.resolve.corrections import correction_rows
from threadline.store import Workspace
from threadline.store.grades import current_grades

EXPORT_VERSION = 1


def build_export(ws: Workspace, *, include_text: bool = True) -> dict[str, Any]:
    """Everything the workspace knows, as one JSON-able dict. Its entities are the
    entity profiles (:mod:`threadline.export.profile`, as the API's entity page)."""
    ties, mentions, claims = ws.ties(), ws.mentions(), ws.claims()
    src = Sources.everything(ws, ties=ties, mentions=mentions, claims=claims)
    docs = list(src.documents.values())
    entity_of = {mid: e.id for e in src.entities for mid in e.mentions}
    from_records = record_fields(ws, entity_of)
    from_mapped = record_properties(mentions, entity_of)
    out_docs = []
    for d in docs:
        item: dict[str, Any] = {
            "id": d.id,
            "title": d.title,
            "source": d.source,
            "sha256": d.sha256,
            "published": d.published,
        }
        for k in ("outlet", "author", "url"):
            if getattr(d, k):
                item[k] = getattr(d, k)
        item["kind"] = d.kind
        if d.language:
            item["language"] = d.language
        if include_text:
            item["text"] = d.text
        out_docs.append(item)
    out_entities = []
    for p in entity_profiles(src):
        item = export_entity(p)
        item.update(from_records.get(p["id"], {}))
        item.update(from_mapped.get(p["id"], {}))
        out_entities.append(item)
    out_ties = []
    for t in ties:
        item = {
            "id": t.id,
            "type": t.type,
            "detail": t.detail,
            "source": t.source,
            "target": t.target,
            "confidence": t.confidence,
            "evidence": [ev.to_dict() for ev in t.evidence],
        }
        if t.hedged:
            item["hedged"] = True
        if t.inferred:
            item["inferred"] = True
        volume = tie_volume(t.evidence)
        if volume:
            item["volume"] = volume
        out_ties.append(item)
    out_claims = []
    for c in claims:
        subject = entity_of.get(c.subject)
        if subject is None:
            continue
        item = {
            "id": c.id,
            "subject": subject,
            "quantity": c.quantity,
            "value": claim_value(c),
            "qualifier": c.qualifier,
            "unit": c.unit,
            "value_text": c.value_text,
            **({"attributed_to": c.attributed_to} if c.attributed_to else {}),
            **({"value_high": c.value_high} if c.value_high is not None else {}),
            "evidence": [c.evidence.to_dict()],
        }
        if c.evidence.hedged:
            item["hedged"] = True
        out_claims.append(item)
    graded = apply_grades(
        {
            "threadline_export": EXPORT_VERSION,
            "documents": out_docs,
            "entities": out_entities,
            "ties": out_ties,
            "claims": out_claims,
        },
        current_grades(ws),
    )
    graded["conflicts"] = find_conflicts(out_claims, {d["id"]: d for d in out_docs})
    graded["corrections"] = corrections_in_force(ws)
    return graded


def export_entity(p: dict[str, Any]) -> dict[str, Any]:
    """An entity of the export, from its profile (:func:`entity_profiles`)."""
    item: dict[str, Any] = {
        "id": p["id"],
        "schema": p["schema"],
        "name": p["name"],
        "names": p["names"],
        "aliases": p["aliases"],
        "roles": p["roles"],
        **({"role": p["role"]} if p["role"] else {}),
        "evidence": [{**s, "confidence": round(s["confidence"], 3)} for s in p["spans"]],
        "documents": sorted(d["id"] for d in p["documents"]),
        "metrics": p["metrics"],
    }
    if p["schema"] == "Event":
        item["places"] = p["places"]
        item["date"] = p["date"]
    if p["judgements"]:
        item["judgements"] = p["judgements"]
    if p["watchlist_hits"]:
        item["watchlist_hits"] = p["watchlist_hits"]
    return item


def corrections_in_force(ws: Workspace) -> list[dict[str, Any]]:
    """The analyst's corrections in force (neither undone nor undo rows), oldest first:
    the objects of ``threadline corrections --json`` (kind, status ``applied`` or
    ``dormant``, user, created_at, reason, spans with document/start/end/text, …)."""
    return [
        {k: v for k, v in row.items() if k not in ("undoes", "undone_by")}
        for row in correction_rows(ws)
        if row["status"] in ("applied", "dormant")
    ]
