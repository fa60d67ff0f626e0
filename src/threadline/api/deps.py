"""Request parameters shared by the routers: the workbench, pages, tie filters, lookups.

Every list is paged: ``limit`` above a list's cap is lowered to the cap (the
response says which limit was used), a limit below 1 or a negative offset is a
422. An unknown entity, tie or document id is a 404 whose message says what to
do instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request

from threadline.analyze import defaults
from threadline.api.graph import TieFilter
from threadline.api.snapshot import Snapshot
from threadline.api.state import Workbench
from threadline.model import Document

#: The largest page any list returns.
MAX_LIMIT = 500


async def workbench(request: Request) -> Workbench:
    """The caller's workbench: their view when access control is on (see ``api.access``)."""
    wb: Workbench = getattr(request.state, "view", None) or request.app.state.workbench
    return wb


WorkbenchDep = Annotated[Workbench, Depends(workbench)]


async def snapshot(request: Request) -> Snapshot:
    wb: Workbench = getattr(request.state, "view", None) or request.app.state.workbench
    return wb.snapshot


SnapshotDep = Annotated[Snapshot, Depends(snapshot)]


@dataclass(frozen=True)
class Paging:
    offset: int
    limit: int

    def page(self, items: list[Any], total: int) -> dict[str, Any]:
        end = self.offset + len(items)
        return {
            "items": items,
            "total": total,
            "offset": self.offset,
            "limit": self.limit,
            "next_offset": end if end < total else None,
        }


async def paging(
    offset: Annotated[int, Query(ge=0, le=10**9, description="Items to skip.")] = 0,
    limit: Annotated[
        int, Query(ge=1, description=f"Page size; values above {MAX_LIMIT} are capped.")
    ] = 50,
) -> Paging:
    return Paging(offset=offset, limit=min(limit, MAX_LIMIT))


PagingDep = Annotated[Paging, Depends(paging)]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


async def tie_filter(
    request: Request,
    type: Annotated[
        list[str] | None,
        Query(description="Keep only these tie types (repeat the parameter); default all."),
    ] = None,
    min_confidence: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
    inferred: Annotated[
        bool,
        Query(
            description="Keep inferred ties (labelled). Default as the analysis: "
            "threadline.analyze.defaults.INCLUDE_INFERRED (off)."
        ),
    ] = defaults.INCLUDE_INFERRED,
    asserted: Annotated[bool, Query(description="Keep analyst-asserted ties.")] = True,
    since: Annotated[date | None, Query(description="Ties first seen on or after.")] = None,
    until: Annotated[date | None, Query(description="Ties first seen on or before.")] = None,
    as_of: Annotated[date | None, Query(description="Only what was known by this date.")] = None,
    undated: Annotated[bool, Query(description="Keep ties whose sources are undated.")] = True,
) -> TieFilter:
    snap: Snapshot = (getattr(request.state, "view", None) or request.app.state.workbench).snapshot
    if type:
        unknown = sorted(set(type) - set(snap.ties.types))
        if unknown:
            raise HTTPException(
                422,
                f"unknown tie type(s) {', '.join(unknown)}: use {', '.join(snap.ties.types)}",
            )
    return TieFilter(
        types=frozenset(type) if type else None,
        min_confidence=min_confidence,
        inferred=inferred,
        asserted=asserted,
        since=_iso(since),
        until=_iso(until),
        as_of=_iso(as_of),
        undated=undated,
    )


TieFilterDep = Annotated[TieFilter, Depends(tie_filter)]

SCHEMATA = ("Person", "Organization", "Address", "Event")


async def schema_filter(
    schema: Annotated[
        list[str] | None,
        Query(description="Keep only these entity schemata (repeat): " + ", ".join(SCHEMATA)),
    ] = None,
) -> frozenset[str] | None:
    if not schema:
        return None
    unknown = sorted(set(schema) - set(SCHEMATA))
    if unknown:
        raise HTTPException(
            422, f"unknown schema(ta) {', '.join(unknown)}: use {', '.join(SCHEMATA)}"
        )
    return frozenset(schema)


SchemaDep = Annotated[frozenset[str] | None, Depends(schema_filter)]


def entity_index(snap: Snapshot, entity_id: str) -> int:
    """The snapshot row of ``entity_id``, or a 404 that says how to find the right one."""
    i = snap.index.get(entity_id)
    if i is None:
        raise HTTPException(
            404,
            f"entity '{entity_id}' does not exist in this workspace; find ids with "
            "/api/search?q=NAME (ids change only when what an entity rests on changes)",
        )
    return i


def tie_row(snap: Snapshot, tie_id: str) -> int:
    k = snap.tie_index.get(tie_id)
    if k is None:
        raise HTTPException(
            404,
            f"tie '{tie_id}' does not exist in this workspace; list an entity's ties with "
            "/api/entities/{id}/ties",
        )
    return k


def stored_document(snap: Snapshot, document_id: str) -> Document:
    """The stored document ``document_id``, or a 404 that says where to find the ids."""
    doc = snap.documents.get(document_id)
    if doc is None:
        raise HTTPException(
            404,
            f"document '{document_id}' does not exist in this workspace; list them with "
            "/api/documents",
        )
    return doc
