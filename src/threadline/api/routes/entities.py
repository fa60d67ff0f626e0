"""Entities: lists, the entity page, and an entity's ties with their quotes."""

from __future__ import annotations

from collections import Counter, defaultdict
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
from threadline.api.shapes import (
    QUOTES_SHOWN,
    claim,
    entity_ref,
    fast_json,
    mention_evidence,
    note,
    tie,
)
from threadline.model.names import fold
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
    seen: dict[str, list[Any]] = defaultdict(list)
    for m in snap.mentions[i]:
        seen[fold(m.text)].append(m)
    used: set[str] = set()

    def names_of(values: list[str], alias: bool) -> list[dict[str, Any]]:
        out = []
        for value in values:
            key = fold(value)
            if key in used:
                continue
            used.add(key)
            found = seen.get(key, [])
            out.append(
                {
                    "name": value,
                    "alias": alias,
                    "seen": [mention_evidence(snap, m) for m in found[:QUOTES_SHOWN]],
                    "seen_total": len(found),
                }
            )
        return out

    names = names_of([snap.name[i], *snap.names[i]], False)
    aliases = names_of(list(snap.aliases[i]), True)
    # spellings found in documents that the entity lists under no name
    for key, found in seen.items():
        if key not in used:
            used.add(key)
            names.append(
                {
                    "name": found[0].text,
                    "alias": False,
                    "seen": [mention_evidence(snap, m) for m in found[:QUOTES_SHOWN]],
                    "seen_total": len(found),
                }
            )
    docs = Counter(m.document for m in snap.mentions[i])
    documents = [
        {
            "id": d,
            "title": snap.documents[d].title,
            "published": snap.documents[d].published,
            "outlet": snap.documents[d].outlet,
            "source": snap.documents[d].source,
            "mentions": n,
        }
        for d, n in sorted(docs.items(), key=lambda x: (-x[1], x[0]))
        if d in snap.documents
    ]
    adj = snap.adjacency
    lo, hi = int(adj.offset[i]), int(adj.offset[i + 1])
    edges = adj.edge[lo:hi]
    counts = Counter(snap.ties.type_of(int(k)) for k in set(edges.tolist()))
    events: list[dict[str, Any]] = []
    for k, other in zip(edges.tolist(), adj.node[lo:hi].tolist(), strict=True):
        if snap.schema[other] == "Event":
            events.append(
                {
                    "entity": entity_ref(snap, other),
                    "date": snap.event_dates.get(snap.entity_ids[other]),
                    "role": snap.ties.type_of(k),
                }
            )
    events.sort(key=lambda e: (e["date"] or "9999", e["entity"]["name"]))
    return fast_json(
        {
            "id": entity_id,
            "name": snap.name[i],
            "schema": snap.schema[i],
            "names": names,
            "aliases": aliases,
            "roles": snap.roles[i],
            "role": (snap.data[i] or {}).get("role"),
            "metrics": snap.metrics[i],
            "cell": snap.community(i),
            "links": int(snap.links[i]),
            "documents": documents,
            "tie_counts": dict(sorted(counts.items())),
            "events": events,
            "claims": [claim(snap, c) for c in snap.claims_by_subject.get(entity_id, [])],
            "watchlist_hits": identity.watchlist_hits(wb, i),
            "judgements": identity.judgements_for(wb, i),
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
