"""Snapshot rows shaped as the API's response bodies (plain dicts the models validate)."""

from __future__ import annotations

from typing import Any

from threadline.api.snapshot import MentionRef, Snapshot, ordinal_date
from threadline.model import Evidence
from threadline.model.vocabulary import TIE_TYPES
from threadline.store.notes import AssertedTie, Note

#: Quotes shown per name or tie before "n more".
QUOTES_SHOWN = 20


def entity_ref(snap: Snapshot, i: int) -> dict[str, Any]:
    return {
        "id": snap.entity_ids[i],
        "name": snap.name[i],
        "schema": snap.schema[i],
        "links": int(snap.links[i]),
        "cell": snap.community(i),
    }


def _document_fields(snap: Snapshot, doc_id: str) -> dict[str, Any]:
    doc = snap.documents.get(doc_id)
    return {
        "document": doc_id,
        "document_title": doc.title if doc else None,
        "published": doc.published if doc else None,
    }


def evidence(snap: Snapshot, ev: Evidence) -> dict[str, Any]:
    return {
        "kind": "record" if ev.row is not None else "document",
        **_document_fields(snap, ev.document),
        "start": ev.start,
        "end": ev.end,
        "quote": ev.quote,
        "extractor": ev.extractor,
        "confidence": round(ev.confidence, 3),
        "hedged": ev.hedged,
        "row": ev.row,
    }


def mention_evidence(snap: Snapshot, m: MentionRef) -> dict[str, Any]:
    return {
        "kind": "document",
        **_document_fields(snap, m.document),
        "start": m.start,
        "end": m.end,
        "quote": m.text,
        "extractor": m.extractor,
        "confidence": round(m.confidence, 3),
    }


def analyst_evidence(a: AssertedTie) -> dict[str, Any]:
    return {
        "kind": "analyst",
        "quote": a.statement,
        "analyst": a.analyst,
        "created_at": a.created_at,
        "confidence": a.confidence,
        "extractor": "analyst",
    }


def tie(
    snap: Snapshot,
    k: int,
    *,
    evidence_of: dict[str, list[Evidence]] | None = None,
    limit: int = QUOTES_SHOWN,
) -> dict[str, Any]:
    """Tie row ``k`` with its ends; with ``evidence_of`` (tie id -> evidence), its quotes."""
    ties = snap.ties
    tie_id = ties.ids[k]
    kind = ties.type_of(k)
    item: dict[str, Any] = {
        "id": tie_id,
        "type": kind,
        "detail": ties.detail[k],
        "directed": bool(TIE_TYPES[kind].directed) if kind in TIE_TYPES else False,
        "source": entity_ref(snap, int(ties.src[k])),
        "target": entity_ref(snap, int(ties.dst[k])),
        "confidence": round(float(ties.confidence[k]), 3),
        "hedged": bool(ties.hedged[k]),
        "inferred": bool(ties.inferred[k]),
        "asserted": bool(ties.asserted[k]),
        "first_seen": ordinal_date(int(ties.first_seen[k])),
        "evidence": [],
        "evidence_total": 0,
    }
    if bool(ties.asserted[k]):
        a = snap.asserted.get(tie_id)
        if a is not None:
            item["evidence"] = [analyst_evidence(a)]
            item["evidence_total"] = 1
    elif evidence_of is not None:
        found = evidence_of.get(tie_id, [])
        item["evidence"] = [evidence(snap, ev) for ev in found[:limit]]
        item["evidence_total"] = len(found)
    return item


def graph_edge(snap: Snapshot, k: int) -> dict[str, Any]:
    ties = snap.ties
    kind = ties.type_of(k)
    return {
        "id": ties.ids[k],
        "source": snap.entity_ids[int(ties.src[k])],
        "target": snap.entity_ids[int(ties.dst[k])],
        "type": kind,
        "detail": ties.detail[k],
        "directed": bool(TIE_TYPES[kind].directed) if kind in TIE_TYPES else False,
        "confidence": round(float(ties.confidence[k]), 3),
        "hedged": bool(ties.hedged[k]),
        "inferred": bool(ties.inferred[k]),
        "asserted": bool(ties.asserted[k]),
        "first_seen": ordinal_date(int(ties.first_seen[k])),
    }


#: Measures sent with every graph node (for sizing); others come with the entity page.
NODE_MEASURES = ("degree", "betweenness", "pagerank", "eigenvector", "key_player")


def graph_node(
    snap: Snapshot,
    i: int,
    *,
    depth: int | None = None,
    position: tuple[float, float] | None = None,
) -> dict[str, Any]:
    metrics = snap.metrics[i]
    node: dict[str, Any] = {
        "id": snap.entity_ids[i],
        "name": snap.name[i],
        "schema": snap.schema[i],
        "cell": snap.community(i),
        "links": int(snap.links[i]),
        "measures": {k: round(float(metrics[k]), 5) for k in NODE_MEASURES if k in metrics},
        "depth": depth,
        "date": snap.event_dates.get(snap.entity_ids[i]),
    }
    if position is not None:
        node["x"], node["y"] = position
    return node


def note(n: Note) -> dict[str, Any]:
    return {
        "id": n.id,
        "target_kind": n.target_kind,
        "target": n.target,
        "target_label": n.target_label,
        "analyst": n.analyst,
        "text": n.text,
        "created_at": n.created_at,
        "retracted_at": n.retracted_at,
        "retracted_by": n.retracted_by,
    }


def asserted(a: AssertedTie) -> dict[str, Any]:
    return {
        "id": a.id,
        "type": a.type,
        "source": a.source,
        "target": a.target,
        "detail": a.detail,
        "statement": a.statement,
        "analyst": a.analyst,
        "confidence": a.confidence,
        "source_label": a.source_label,
        "target_label": a.target_label,
        "created_at": a.created_at,
        "retracted_at": a.retracted_at,
        "retracted_by": a.retracted_by,
    }


def claim(snap: Snapshot, c: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": c["id"],
        "quantity": c["quantity"],
        "value": c["value"],
        "value_text": c.get("value_text") or "",
        "qualifier": c.get("qualifier") or "",
        "unit": c.get("unit") or "",
        "hedged": bool(c.get("hedged")),
        "attributed_to": c.get("attributed_to") or "",
        "evidence": [evidence(snap, Evidence.from_dict(ev)) for ev in c.get("evidence", [])],
    }
