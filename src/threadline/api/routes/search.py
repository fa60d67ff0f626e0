"""Instant search over names and aliases."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from threadline.api.deps import PagingDep, SchemaDep, SnapshotDep
from threadline.api.models import Page, SearchHit
from threadline.api.shapes import entity_ref, fast_json

router = APIRouter(tags=["search"])


@router.get("/search", response_model=Page[SearchHit], summary="Find entities by name or alias")
async def search(
    snap: SnapshotDep,
    page: PagingDep,
    schemata: SchemaDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Name, alias or prefix.")],
    fuzzy: Annotated[bool, Query(description="Also spelling variants and typos.")] = True,
) -> Any:
    """Each word of ``q`` must start a word of a name or alias ("laach" finds Najim
    Laachraoui; "kayal" finds him through his alias). Exact names come first, then
    name prefixes, then word matches, then (with ``fuzzy``) transliteration
    variants and typing slips; within each, the best-connected first."""
    allowed = None if schemata is None else (lambda i: snap.schema[i] in schemata)
    hits, total = snap.search.search(
        q, fuzzy=fuzzy, allowed=allowed, limit=page.limit, offset=page.offset
    )
    items = [
        {
            "entity": entity_ref(snap, h.entity),
            "matched": h.matched,
            "alias": h.alias,
            "match": h.match,
        }
        for h in hits
    ]
    return fast_json(page.page(items, total))
