"""Graph views: the overview, an entity's neighbourhood, and the path between two entities."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query

from threadline.api import analysis
from threadline.api.deps import (
    SchemaDep,
    SnapshotDep,
    TieFilterDep,
    WorkbenchDep,
    entity_index,
)
from threadline.api.graph import induced_edges, layout, neighbourhood, shortest_path, tie_mask
from threadline.api.graph import top_entities as top
from threadline.api.models import Graph, PathResult
from threadline.api.shapes import entity_ref, fast_json, graph_edges, graph_node, tie

router = APIRouter(tags=["graph"])

#: Caps on what one graph response carries.
MAX_NODES, MAX_EDGES = 5000, 20000
MAX_NEIGHBOURHOOD = 1000


def _graph(
    snap: Any,
    nodes: list[int],
    edges: list[int],
    *,
    truncated: bool,
    with_layout: bool,
    depth: dict[int, int] | None = None,
    centre: str | None = None,
) -> dict[str, Any]:
    positions = layout(snap, nodes, edges) if with_layout else {}
    return {
        "nodes": [
            graph_node(
                snap,
                v,
                depth=(depth or {}).get(v),
                position=positions.get(v) if positions else None,
            )
            for v in nodes
        ],
        "edges": graph_edges(snap, edges),
        "truncated": truncated,
        "centre": centre,
    }


@router.get("/graph", response_model=Graph, summary="The network overview, laid out")
async def overview(
    snap: SnapshotDep,
    flt: TieFilterDep,
    schemata: SchemaDep,
    measure: Annotated[str, Query(max_length=60, description="Rank entities by it.")] = "links",
    max_nodes: Annotated[int, Query(ge=1, description=f"Capped at {MAX_NODES}.")] = 300,
    max_edges: Annotated[int, Query(ge=1, description=f"Capped at {MAX_EDGES}.")] = 4000,
    with_layout: Annotated[
        bool, Query(alias="layout", description="Compute positions on the server.")
    ] = True,
    isolated: Annotated[
        bool, Query(description="Keep entities with no tie among those shown.")
    ] = False,
    cell: Annotated[
        list[int] | None, Query(description="Only members of these cells (repeat).")
    ] = None,
) -> Any:
    """The ``max_nodes`` entities ranking highest on ``measure`` (default: most links)
    among ``schema`` (default people, groups and events), or among the members of
    ``cell``, and the filtered ties among them, with positions computed on the server
    (seeded, so the picture is stable)."""
    wanted = schemata if schemata is not None else frozenset({"Person", "Organization", "Event"})
    if measure != "links" and measure not in snap.measure_names():
        raise HTTPException(
            422, f"unknown measure '{measure}': use one of {', '.join(snap.measure_names())}"
        )
    nodes = top(
        snap,
        measure=measure,
        limit=min(max_nodes, MAX_NODES),
        schemas=wanted,
        cells=frozenset(cell) if cell else None,
    )
    cap = min(max_edges, MAX_EDGES)
    edges = induced_edges(snap, nodes, tie_mask(snap, flt), max_edges=cap)
    truncated = len(nodes) >= min(max_nodes, MAX_NODES) or len(edges) >= cap
    if not isolated:
        touched = {int(snap.ties.src[k]) for k in edges} | {int(snap.ties.dst[k]) for k in edges}
        nodes = [v for v in nodes if v in touched]
    return fast_json(_graph(snap, nodes, edges, truncated=truncated, with_layout=with_layout))


@router.get(
    "/graph/neighbourhood/{entity_id}",
    response_model=Graph,
    summary="An entity's neighbourhood (n hops, filtered, capped)",
    responses={404: {"description": "No entity with this id."}},
)
async def entity_neighbourhood(
    snap: SnapshotDep,
    flt: TieFilterDep,
    schemata: SchemaDep,
    entity_id: Annotated[str, Path(max_length=200)],
    hops: Annotated[int, Query(ge=1, le=3)] = 1,
    max_nodes: Annotated[int, Query(ge=1, description=f"Capped at {MAX_NEIGHBOURHOOD}.")] = 200,
    max_edges: Annotated[int, Query(ge=1, description=f"Capped at {MAX_EDGES}.")] = 4000,
    with_layout: Annotated[bool, Query(alias="layout")] = False,
) -> Any:
    """Entities within ``hops`` ties of the entity through ties that pass the filters,
    best-connected first when a cap cuts (``truncated`` then says so), and the ties
    among them. Each node carries its ``depth`` from the centre."""
    i = entity_index(snap, entity_id)
    sub = neighbourhood(
        snap,
        i,
        flt,
        hops=hops,
        max_nodes=min(max_nodes, MAX_NEIGHBOURHOOD),
        max_edges=min(max_edges, MAX_EDGES),
        schemas=schemata,
    )
    return fast_json(
        _graph(
            snap,
            sub.nodes,
            sub.edges,
            truncated=sub.truncated,
            with_layout=with_layout,
            depth=sub.depth,
            centre=entity_id,
        )
    )


@router.get(
    "/graph/path",
    response_model=PathResult,
    summary="The shortest path between two entities, with its evidence",
    responses={404: {"description": "No entity with one of the ids."}},
)
def path(
    wb: WorkbenchDep,
    flt: TieFilterDep,
    source: Annotated[str, Query(min_length=1, max_length=200)],
    target: Annotated[str, Query(min_length=1, max_length=200)],
    k: Annotated[int, Query(ge=1, le=10, description="Paths from the analysis (Yen).")] = 1,
    order: Annotated[str, Query(pattern="^(hops|evidence)$")] = "hops",
) -> dict[str, Any]:
    """The fewest-hops path through ties that pass the filters (the one the graph
    highlights), each hop with its ties and their quotes. With ``k`` above 1, the
    analysis library's k shortest paths (by hops, or by evidence strength with
    ``order=evidence``) come as ``alternatives``."""
    snap = wb.snapshot
    a, b = entity_index(snap, source), entity_index(snap, target)
    found = shortest_path(snap, a, b, flt)
    alternatives: list[dict[str, Any]] = []
    if k > 1:
        alternatives = (
            analysis.paths(
                wb, source, target, k=k, order=order, inferred=flt.inferred, as_of=flt.as_of
            )
            or []
        )
    if found is None:
        return {
            "found": False,
            "length": None,
            "nodes": [],
            "hops": [],
            "alternatives": alternatives,
        }
    nodes, edges = found
    hop_ties: list[list[int]] = []
    mask = tie_mask(snap, flt)
    ties = snap.ties
    for u, v in zip(nodes, nodes[1:], strict=False):
        adj = snap.adjacency
        lo, hi = int(adj.offset[u]), int(adj.offset[u + 1])
        parallel = sorted(
            {
                int(e)
                for e, w in zip(adj.edge[lo:hi].tolist(), adj.node[lo:hi].tolist(), strict=True)
                if w == v and mask[e]
            },
            key=lambda e: (-float(ties.confidence[e]), ties.ids[e]),
        )
        hop_ties.append(parallel)
    wanted = [ties.ids[e] for es in hop_ties for e in es if not ties.asserted[e]]
    with wb.database() as ws:
        evidence_of = ws.tie_evidence(wanted)
    hops = [
        {
            "source": entity_ref(snap, u),
            "target": entity_ref(snap, v),
            "ties": [tie(snap, e, evidence_of=evidence_of, limit=5) for e in es],
        }
        for u, v, es in zip(nodes, nodes[1:], hop_ties, strict=False)
    ]
    return {
        "found": True,
        "length": len(edges),
        "nodes": [entity_ref(snap, v) for v in nodes],
        "hops": hops,
        "alternatives": alternatives,
    }
