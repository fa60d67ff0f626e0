"""The summary of a workspace: what ``threadline run`` and ``threadline demo`` print at
the end and ``GET /api/summary`` answers, from the JSON export."""

from __future__ import annotations

from typing import Any

from threadline.export.json_export import build_export
from threadline.store import Workspace

__all__ = ["KEY_ACTORS", "summary", "workspace_summary"]

#: People and groups listed as key actors (betweenness, then degree).
KEY_ACTORS = 8


def summary(export: dict[str, Any]) -> dict[str, Any]:
    """Counts (documents; entities by schema; ties; claims), the conflicts between
    sources, and the key people and groups by betweenness then degree."""
    by_schema: dict[str, int] = {}
    for e in export["entities"]:
        by_schema[e["schema"]] = by_schema.get(e["schema"], 0) + 1
    names = {e["id"]: e["name"] for e in export["entities"]}
    actors = [e for e in export["entities"] if e["schema"] in ("Person", "Organization")]
    key = sorted(
        actors,
        key=lambda e: (
            -e["metrics"].get("betweenness", 0),
            -e["metrics"].get("degree", 0),
            e["name"],
        ),
    )[:KEY_ACTORS]
    return {
        "documents": len(export["documents"]),
        "entities": by_schema,
        "ties": len(export["ties"]),
        "claims": len(export["claims"]),
        "conflicts": [
            {
                "subject": names.get(c["subject"], c["subject"]),
                "quantity": c["quantity"],
                "values": c["values"],
            }
            for c in export["conflicts"]
        ],
        "key_actors": [
            {
                "name": e["name"],
                "schema": e["schema"],
                "degree": e["metrics"].get("degree", 0),
                "betweenness": e["metrics"].get("betweenness", 0),
            }
            for e in key
        ],
    }


def workspace_summary(ws: Workspace) -> dict[str, Any]:
    """:func:`summary` of the workspace's export (without the documents' text)."""
    return summary(build_export(ws, include_text=False))
