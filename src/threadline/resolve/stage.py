"""The resolve stage over a workspace: all entities and ties rebuilt in one transaction."""

from __future__ import annotations

from threadline.resolve.resolver import resolve
from threadline.store import Workspace


def resolve_workspace(ws: Workspace) -> dict[str, int]:
    """Rebuild entities and ties from every stored mention and assertion."""
    result = resolve(ws.mentions(), ws.assertions(), ws.claims())
    with ws.transaction():
        ws.replace_resolution(result.entities, result.ties)
    by_schema: dict[str, int] = {}
    for e in result.entities:
        by_schema[e.schema] = by_schema.get(e.schema, 0) + 1
    return {"entities": len(result.entities), "ties": len(result.ties), **by_schema}
