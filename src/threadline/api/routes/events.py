"""Events on a timeline, and the places where sources disagree."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from threadline.api.deps import PagingDep, SnapshotDep
from threadline.api.models import Conflict, Event, Page
from threadline.api.shapes import claim, entity_ref

router = APIRouter(tags=["events"])


@router.get("/events", response_model=Page[Event], summary="Timeline of events")
def timeline(
    snap: SnapshotDep,
    page: PagingDep,
    since: Annotated[date | None, Query(description="Events on or after.")] = None,
    until: Annotated[date | None, Query(description="Events on or before.")] = None,
) -> dict[str, Any]:
    """Events by date (undated last) with their places, participants and the
    claims about them (deaths, injured, dates), each with its quote."""
    rows = []
    for i, schema in enumerate(snap.schema):
        if schema != "Event":
            continue
        when = snap.event_dates.get(snap.entity_ids[i])
        if since and (not when or when < since.isoformat()):
            continue
        if until and (not when or when[: len(until.isoformat())] > until.isoformat()):
            continue
        rows.append((when or "9999", snap.name[i], i))
    rows.sort()
    total = len(rows)
    adj, ties = snap.adjacency, snap.ties
    items = []
    for when, _, i in rows[page.offset : page.offset + page.limit]:
        places, people = [], []
        lo, hi = int(adj.offset[i]), int(adj.offset[i + 1])
        for k, other in zip(adj.edge[lo:hi].tolist(), adj.node[lo:hi].tolist(), strict=True):
            kind = ties.type_of(k)
            if kind == "located_in" and snap.schema[other] == "Address":
                places.append(other)
            elif kind == "participated_in" or snap.schema[other] in ("Person", "Organization"):
                people.append(other)
        items.append(
            {
                "entity": entity_ref(snap, i),
                "date": None if when == "9999" else when,
                "places": [entity_ref(snap, v) for v in dict.fromkeys(places)],
                "participants": [entity_ref(snap, v) for v in dict.fromkeys(people)],
                "claims": [
                    claim(snap, c) for c in snap.claims_by_subject.get(snap.entity_ids[i], [])
                ],
            }
        )
    return page.page(items, total)


@router.get("/conflicts", response_model=Page[Conflict], summary="Where sources disagree")
def conflicts(snap: SnapshotDep, page: PagingDep) -> dict[str, Any]:
    """Claims on the same quantity of the same subject with different values (26,
    30, 31 dead), most consequential first, side by side with their quotes and
    documents, and an explanation (can they all be true? do counts rise over time?)."""
    by_id = {c["id"]: c for c in snap.claims}
    rows = [c for c in snap.conflicts if c["subject"] in snap.index]
    items = []
    for c in rows[page.offset : page.offset + page.limit]:
        items.append(
            {
                "subject": entity_ref(snap, snap.index[c["subject"]]),
                "quantity": c["quantity"],
                "values": c["values"],
                "claims": [claim(snap, by_id[x]) for x in c["claims"] if x in by_id],
                "explanation": c.get("explanation"),
                "compatible": c.get("compatible"),
            }
        )
    return page.page(items, len(rows))
