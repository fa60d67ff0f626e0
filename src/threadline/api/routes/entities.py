"""Entities: lists, the entity page, and an entity's ties with their quotes."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from threadline.api import identity
from threadline.api.deps import (
    PagingDep,
    SchemaDep,
    SnapshotDep,
    TieFilterDep,
    WorkbenchDep,
    entity_index,
)
from threadline.api.graph import tie_mask
from threadline.api.models import EntityDetail, EntityRef, EntityTies, Page
from threadline.api.profiles import entity_profile
from threadline.api.shapes import QUOTES_SHOWN, claim, entity_ref, fast_json, note, tie
from threadline.model.vocabulary import TIE_TYPES

router = APIRouter(tags=["entities"])

EntityId = Annotated[str, Path(max_length=200, description="An entity id (from search or lists).")]
SORTS = ("links", "name", "degree", "betweenness", "pagerank")


@router.get("/entities", response_model=Page[EntityRef], summary="List entities")
async def list_entities(
    snap: SnapshotDep,
    page: PagingDep,
    schemata: SchemaDep,
    sort: Annotated[str, Query(pattern="^(" + "|".join(SORTS) + ")$")] = "links",
) -> dict[str, Any]:
    """Entities of the chosen schemata, best-connected first (or by name or a measure)."""
    pool = [
        i for i in range(len(snap.entity_ids)) if schemata is None or snap.schema[i] in schemata
    ]
    if sort == "name":
        pool.sort(key=lambda i: (snap.name[i].casefold(), i))
    else:
        pool.sort(key=lambda i: (-snap.measure(i, sort), snap.name[i].casefold()))
    chosen = pool[page.offset : page.offset + page.limit]
    return page.page([entity_ref(snap, i) for i in chosen], len(pool))


@router.get(
    "/entities/{entity_id}",
    response_model=EntityDetail,
    summary="One entity: names and where each was seen, roles, events, measures",
    responses={404: {"description": "No entity with this id."}},
)
async def get_entity(wb: WorkbenchDep, entity_id: EntityId) -> Any:
    """Every name and alias with the places it was seen (document spans), roles,
    measures and cell, the documents naming it, tie counts by type, the events it
    took part in, claims about it, watchlist hits, identity judgements and notes.
    Its ties and their quotes come from ``/entities/{id}/ties``."""
    snap = wb.snapshot
    i = entity_index(snap, entity_id)
    judged, listed = identity.judgements_for(wb), identity.watchlist_hits(wb)
    p = entity_profile(snap, i, judged=judged, listed=listed)
    docs = {d["id"]: d for d in p["documents"]}

    def seen(span: dict[str, Any]) -> dict[str, Any]:
        doc = docs.get(span["document"], {})
        return {
            "kind": "document",
            "document": span["document"],
            "document_title": doc.get("title"),
            "published": doc.get("published"),
            "start": span["start"],
            "end": span["end"],
            "quote": span["quote"],
            "extractor": span["extractor"],
            "confidence": round(span["confidence"], 3),
        }

    def spelling(s: dict[str, Any]) -> dict[str, Any]:
        shown = [seen(x) for x in s["seen"][:QUOTES_SHOWN]]
        return {"name": s["name"], "alias": s["alias"], "seen": shown, "seen_total": len(s["seen"])}

    return fast_json(
        {
            "id": p["id"],
            "name": p["name"],
            "schema": p["schema"],
            "names": [spelling(s) for s in p["spellings"] if not s["alias"]],
            "aliases": [spelling(s) for s in p["spellings"] if s["alias"]],
            "roles": p["roles"],
            "role": p["role"],
            "metrics": p["metrics"],
            "cell": p["cell"],
            "links": p["links"],
            "documents": p["documents"],
            "tie_counts": p["tie_counts"],
            "events": p["events"],
            "claims": [claim(snap, c) for c in p["claims"]],
            "watchlist_hits": p["watchlist_hits"],
            "judgements": p["judgements"],
            "notes": [note(n) for n in wb.notes.get(entity_id, [])],
        }
    )


@router.get(
    "/entities/{entity_id}/ties",
    response_model=EntityTies,
    summary="An entity's ties with their quotes",
    responses={404: {"description": "No entity with this id."}},
)
def entity_ties(
    wb: WorkbenchDep, entity_id: EntityId, page: PagingDep, flt: TieFilterDep
) -> dict[str, Any]:
    """The entity's ties that pass the filters, in vocabulary order (family first),
    strongest first within a type, each with up to 20 quotes and a link target
    (document id and span). ``by_type`` counts every page."""
    snap = wb.snapshot
    i = entity_index(snap, entity_id)
    adj = snap.adjacency
    mask = tie_mask(snap, flt)
    rows = sorted({int(k) for k in adj.edge[adj.offset[i] : adj.offset[i + 1]] if mask[k]})
    order = {t: n for n, t in enumerate(TIE_TYPES)}
    ties = snap.ties
    rows.sort(
        key=lambda k: (
            order.get(ties.type_of(k), len(order)),
            bool(ties.inferred[k]),
            -float(ties.confidence[k]),
            ties.ids[k],
        )
    )
    by_type = Counter(ties.type_of(k) for k in rows)
    chosen = rows[page.offset : page.offset + page.limit]
    wanted = [ties.ids[k] for k in chosen if not ties.asserted[k]]
    with wb.database() as ws:
        evidence_of = ws.tie_evidence(wanted)
    items = []
    for k in chosen:
        item = tie(snap, k, evidence_of=evidence_of)
        item["notes"] = [note(n) for n in wb.notes.get(ties.ids[k], [])]
        items.append(item)
    return {**page.page(items, len(rows)), "by_type": dict(by_type)}
