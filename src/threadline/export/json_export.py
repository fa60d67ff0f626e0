"""The analysis JSON export (``threadline_export: 1``) that tests and tools read.

Format: ../shared/DESIGN.md, "The analysis JSON export". Fields may be added
(optional) without changing the version; removing or renaming one bumps it.
"""

from __future__ import annotations

from typing import Any

from threadline.analyze.network import tie_volume
from threadline.export.conflicts import find_conflicts
from threadline.export.grading import apply_grades
from threadline.export.record_facts import record_properties
from threadline.export.record_links import record_fields
from threadline.model import Claim
from threadline.resolve.corrections import correction_rows
from threadline.resolve.judgements import judgements_by_entity
from threadline.store import Workspace
from threadline.store.grades import current_grades
from threadline.store.watchlists import hits_by_entity

EXPORT_VERSION = 1


def build_export(ws: Workspace, *, include_text: bool = True) -> dict[str, Any]:
    """Everything the workspace knows, as one JSON-able dict."""
    docs = ws.documents()
    texts = {d.id: d.text for d in docs}
    mentions = {m.id: m for m in ws.mentions()}
    metrics = ws.metrics()
    entities = ws.entities()
    entity_of = {mid: e.id for e in entities for mid in e.mentions}
    from_records = record_fields(ws, entity_of)
    from_mapped = record_properties(mentions.values(), entity_of)
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
    ties = ws.ties()
    places_of: dict[str, list[str]] = {}
    for t in ties:
        if t.type == "located_in":
            places_of.setdefault(t.source, []).append(t.target)
    dates_of = _event_dates(ws.claims(), entity_of)
    judged = judgements_by_entity(ws, entities)
    listed = hits_by_entity(ws)
    out_entities = []
    for e in entities:
        evidence = []
        for mid in e.mentions:
            m = mentions.get(mid)
            if m is None:
                continue
            evidence.append(
                {
                    "document": m.document,
                    "start": m.start,
                    "end": m.end,
                    "quote": texts[m.document][m.start : m.end],
                    "extractor": m.extractor,
                    "confidence": round(m.confidence, 3),
                    **({"row": m.attrs["row"]} if "row" in m.attrs else {}),
                    **({"sheet": m.attrs["sheet"]} if m.attrs.get("sheet") else {}),
                }
            )
        evidence.sort(key=lambda ev: (ev["document"], ev["start"]))
        item = {
            "id": e.id,
            "schema": e.schema,
            "name": e.name,
            "names": e.names,
            "aliases": e.aliases,
            "roles": e.roles,
            **({"role": e.data["role"]} if e.data.get("role") else {}),
            "evidence": evidence,
            "documents": sorted({ev["document"] for ev in evidence}),
            "metrics": metrics.get(e.id, {}),
        }
        if e.schema == "Event":
            item["places"] = places_of.get(e.id, [])
            item["date"] = dates_of.get(e.id)
        if e.id in judged:
            item["judgements"] = judged[e.id]
        if e.id in listed:
            item["watchlist_hits"] = listed[e.id]
        item.update(from_records.get(e.id, {}))
        item.update(from_mapped.get(e.id, {}))
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
    for c in ws.claims():
        subject = entity_of.get(c.subject)
        if subject is None:
            continue
        item = {
            "id": c.id,
            "subject": subject,
            "quantity": c.quantity,
            "value": _claim_value(c),
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


def corrections_in_force(ws: Workspace) -> list[dict[str, Any]]:
    """The analyst's corrections in force (neither undone nor undo rows), oldest first:
    the objects of ``threadline corrections --json`` (kind, status ``applied`` or
    ``dormant``, user, created_at, reason, spans with document/start/end/text, …)."""
    return [
        {k: v for k, v in row.items() if k not in ("undoes", "undone_by")}
        for row in correction_rows(ws)
        if row["status"] in ("applied", "dormant")
    ]


def _event_dates(claims: list[Claim], entity_of: dict[str, str]) -> dict[str, str]:
    """Each event's date: the one stated most often in running text (captions last)."""
    votes: dict[str, dict[str, float]] = {}
    for c in claims:
        if c.quantity != "date" or c.subject not in entity_of:
            continue
        bucket = votes.setdefault(entity_of[c.subject], {})
        bucket[c.value_text] = bucket.get(c.value_text, 0.0) + c.evidence.confidence
    return {e: max(sorted(v), key=lambda d: v[d]) for e, v in votes.items()}


def _claim_value(c: Claim) -> int | float | str | None:
    if c.qualifier == "vague":
        return None  # "dozens": no number was stated
    if c.unit == "date":
        return c.value_text
    return int(c.value) if float(c.value).is_integer() else c.value
