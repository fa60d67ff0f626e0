"""Snapshot rows shaped as the API's response bodies (plain dicts the models validate)."""

from __future__ import annotations

from typing import Any

import numpy as np
import orjson
from fastapi.responses import Response

from threadline.api.snapshot import Snapshot, ordinal_date
from threadline.model import Evidence
from threadline.model.vocabulary import TIE_TYPES
from threadline.store.notes import AssertedTie, Note

#: Quotes shown per name or tie before "n more".
QUOTES_SHOWN = 20


def entity_ref(snap: Snapshot, i: int) -> dict[str, Any]:
    """An entity in brief (:class:`~threadline.api.models.EntityRef`), from the snapshot's
    precomputed rows (a copy: callers may extend it)."""
    return dict(snap.refs[i])


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


def graph_node(
    snap: Snapshot,
    i: int,
    *,
    depth: int | None = None,
    position: tuple[float, float] | None = None,
) -> dict[str, Any]:
    node = {**snap.refs[i], "measures": snap.node_measures[i], "depth": depth, "date": None}
    if node["schema"] == "Event":
        node["date"] = snap.event_dates.get(node["id"])
    node["x"], node["y"] = position if position is not None else (None, None)
    return node


def graph_edges(snap: Snapshot, rows: list[int]) -> list[dict[str, Any]]:
    """Tie rows as graph edges, column by column (fast for thousands of edges)."""
    if not rows:
        return []
    ties = snap.ties
    ks = np.asarray(rows, dtype=np.int64)
    ids = snap.entity_ids
    kinds = [ties.types[c] for c in ties.type_code[ks].tolist()]
    directed = {t: bool(TIE_TYPES[t].directed) if t in TIE_TYPES else False for t in set(kinds)}
    seen = [ordinal_date(v) for v in ties.first_seen[ks].tolist()]
    columns = zip(
        rows,
        ties.src[ks].tolist(),
        ties.dst[ks].tolist(),
        kinds,
        np.round(ties.confidence[ks].astype(np.float64), 3).tolist(),
        ties.hedged[ks].tolist(),
        ties.inferred[ks].tolist(),
        ties.asserted[ks].tolist(),
        seen,
        strict=True,
    )
    return [
        {
            "id": ties.ids[k],
            "source": ids[a],
            "target": ids[b],
            "type": kind,
            "detail": ties.detail[k],
            "directed": directed[kind],
            "confidence": conf,
            "hedged": hedged,
            "inferred": inferred,
            "asserted": asserted,
            "first_seen": first,
        }
        for k, a, b, kind, conf, hedged, inferred, asserted, first in columns
    ]


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


def fast_json(payload: Any, *, status_code: int = 200) -> Response:
    """A JSON response serialised by orjson, skipping FastAPI's second validation pass.

    For the endpoints that must answer in milliseconds under load (search, entity,
    graph views); their payloads are built to the declared response models, and
    the tests validate them against those models.
    """
    return Response(
        orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS),
        status_code=status_code,
        media_type="application/json",
    )
