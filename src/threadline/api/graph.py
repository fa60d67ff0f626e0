"""Graph queries on a snapshot: filtered neighbourhoods, shortest paths, an overview, layouts.

Pure functions over :class:`~threadline.api.snapshot.Snapshot` arrays. A
:class:`TieFilter` turns into a boolean mask over every tie (cached per filter),
and traversals expand whole BFS levels at once with numpy, so a two-hop
neighbourhood in a million ties costs milliseconds.

>>> TieFilter(types=frozenset({"family"})).key()[0]
('family',)
"""

from __future__ import annotations

import math
import random
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from threadline.analyze import defaults
from threadline.api.snapshot import UNDATED, Snapshot, date_ordinal


@dataclass(frozen=True)
class TieFilter:
    """Which ties a view shows. Dates compare with a tie's ``first_seen`` (the earliest
    publication date of its sources); ``as_of`` hides what was not yet known then.
    Undated ties stay unless ``undated`` is false."""

    types: frozenset[str] | None = None
    min_confidence: float = 0.0
    inferred: bool = defaults.INCLUDE_INFERRED
    asserted: bool = True
    since: str | None = None
    until: str | None = None
    as_of: str | None = None
    undated: bool = True

    def key(self) -> tuple[object, ...]:
        return (
            tuple(sorted(self.types)) if self.types is not None else None,
            self.min_confidence,
            self.inferred,
            self.asserted,
            self.since,
            self.until,
            self.as_of,
            self.undated,
        )


_MASKS: OrderedDict[tuple[int, tuple[object, ...]], np.ndarray] = OrderedDict()
_MASK_LOCK = threading.Lock()


def tie_mask(snap: Snapshot, flt: TieFilter) -> np.ndarray:
    """Boolean mask of the ties ``flt`` keeps (the last few masks are cached)."""
    cache_key = (snap.token, flt.key())
    with _MASK_LOCK:
        hit = _MASKS.get(cache_key)
        if hit is not None:
            _MASKS.move_to_end(cache_key)
            return hit
    ties = snap.ties
    mask = np.ones(len(ties), dtype=bool)
    if flt.types is not None:
        codes = [k for k, t in enumerate(ties.types) if t in flt.types]
        mask &= np.isin(ties.type_code, np.asarray(codes, dtype=np.int16))
    if flt.min_confidence > 0:
        mask &= ties.confidence >= np.float32(flt.min_confidence) - np.float32(1e-6)
    if not flt.inferred:
        mask &= ~ties.inferred
    if not flt.asserted:
        mask &= ~ties.asserted
    dated = ties.first_seen != UNDATED
    for bound, keep_before in ((flt.since, False), (flt.until, True), (flt.as_of, True)):
        day = date_ordinal(bound)
        if day == UNDATED:
            continue
        inside = ties.first_seen <= day if keep_before else ties.first_seen >= day
        mask &= inside | (~dated if flt.undated else False)
    if not flt.undated:
        mask &= dated
    with _MASK_LOCK:
        _MASKS[cache_key] = mask
        while len(_MASKS) > 16:
            _MASKS.popitem(last=False)
    return mask


def _expand(snap: Snapshot, frontier: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, ...]:
    """All (from, to, tie) steps out of ``frontier`` through kept ties."""
    adj = snap.adjacency
    starts = adj.offset[frontier]
    lengths = adj.offset[frontier + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    shift = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    idx = shift + np.arange(total, dtype=np.int64)
    edges = adj.edge[idx]
    keep = mask[edges]
    return (
        np.repeat(frontier, lengths)[keep],
        adj.node[idx][keep].astype(np.int64),
        edges[keep].astype(np.int64),
    )


@dataclass
class Subgraph:
    nodes: list[int]  # entity indices, the centre first
    edges: list[int]  # tie rows
    depth: dict[int, int]
    truncated: bool


def neighbourhood(
    snap: Snapshot,
    centre: int,
    flt: TieFilter,
    *,
    hops: int = 1,
    max_nodes: int = 200,
    max_edges: int = 5000,
    schemas: frozenset[str] | None = None,
) -> Subgraph:
    """Entities within ``hops`` of ``centre`` and the kept ties among them.

    When a level would pass ``max_nodes``, its best-connected entities (most
    links, then the strongest tie) are taken first and ``truncated`` is set.
    """
    mask = tie_mask(snap, flt)
    depth = {centre: 0}
    order = [centre]
    frontier = np.asarray([centre], dtype=np.int64)
    truncated = False
    for level in range(1, hops + 1):
        if frontier.size == 0 or len(order) >= max_nodes:
            break
        _, to, edges = _expand(snap, frontier, mask)
        if schemas is not None and to.size:
            ok = np.isin(snap.schema_code[to], snap.schema_codes(schemas))
            to, edges = to[ok], edges[ok]
        if to.size == 0:
            break
        seen = np.fromiter(depth.keys(), dtype=np.int64, count=len(depth))
        fresh = ~np.isin(to, seen)
        to, edges = to[fresh], edges[fresh]
        if to.size == 0:
            break
        # one row per new entity with its strongest tie; best-connected first
        strength = snap.ties.confidence[edges]
        order_by = np.lexsort((-strength, to))
        to, strength = to[order_by], strength[order_by]
        first = np.ones(to.size, dtype=bool)
        first[1:] = to[1:] != to[:-1]
        fresh_nodes, best = to[first], strength[first]
        links = snap.links[fresh_nodes]
        ranked_idx = np.lexsort((fresh_nodes, -best, -links))
        room = max_nodes - len(order)
        if ranked_idx.size > room:
            ranked_idx, truncated = ranked_idx[:room], True
        ranked = fresh_nodes[ranked_idx].tolist()
        for v in ranked:
            depth[v] = level
        order.extend(ranked)
        frontier = np.asarray(ranked, dtype=np.int64)
    edges_out = induced_edges(snap, order, mask, max_edges=max_edges)
    if len(edges_out) >= max_edges:
        truncated = True
    return Subgraph(nodes=order, edges=edges_out, depth=depth, truncated=truncated)


def induced_edges(
    snap: Snapshot, nodes: list[int], mask: np.ndarray, *, max_edges: int = 5000
) -> list[int]:
    """Kept ties whose two ends are both in ``nodes``, strongest first, at most ``max_edges``."""
    if not nodes:
        return []
    inside = np.zeros(len(snap.entity_ids), dtype=bool)
    inside[np.asarray(nodes, dtype=np.int64)] = True
    frm, to, edges = _expand(snap, np.asarray(nodes, dtype=np.int64), mask)
    keep = inside[to] & (frm < to)
    edges = np.unique(edges[keep])
    if edges.size > max_edges:
        order = np.argsort(-snap.ties.confidence[edges], kind="stable")[:max_edges]
        edges = np.sort(edges[order])
    return [int(e) for e in edges]


def shortest_path(
    snap: Snapshot, source: int, target: int, flt: TieFilter
) -> tuple[list[int], list[int]] | None:
    """The fewest-hops path from ``source`` to ``target`` through kept ties.

    Returns ``(entities, ties)`` (``ties[k]`` joins ``entities[k]`` and
    ``entities[k + 1]``; of parallel ties the most confident is chosen), or None
    when no path exists. Bidirectional BFS: the smaller frontier grows first.
    """
    if source == target:
        return [source], []
    mask = tie_mask(snap, flt)
    parents: tuple[dict[int, tuple[int, int]], dict[int, tuple[int, int]]] = (
        {source: (-1, -1)},
        {target: (-1, -1)},
    )
    depths: tuple[dict[int, int], dict[int, int]] = ({source: 0}, {target: 0})
    frontiers = [np.asarray([source], dtype=np.int64), np.asarray([target], dtype=np.int64)]
    while frontiers[0].size and frontiers[1].size:
        side = 0 if frontiers[0].size <= frontiers[1].size else 1
        frm, to, edges = _expand(snap, frontiers[side], mask)
        mine, theirs = parents[side], parents[1 - side]
        conf = snap.ties.confidence[edges] if edges.size else np.zeros(0)
        order = np.argsort(-conf, kind="stable")
        nxt: list[int] = []
        meets: list[int] = []
        for k in order.tolist():
            v = int(to[k])
            if v in mine:
                continue
            mine[v] = (int(frm[k]), int(edges[k]))
            depths[side][v] = depths[side][int(frm[k])] + 1
            nxt.append(v)
            if v in theirs:
                meets.append(v)
        if meets:
            other = depths[1 - side]
            return _join(min(meets, key=other.__getitem__), parents)
        frontiers[side] = np.asarray(nxt, dtype=np.int64)
    return None


def _join(
    meet: int, parents: tuple[dict[int, tuple[int, int]], dict[int, tuple[int, int]]]
) -> tuple[list[int], list[int]]:
    left_nodes, left_ties = [meet], []
    v = meet
    while parents[0][v][0] != -1:
        p, e = parents[0][v]
        left_nodes.append(p)
        left_ties.append(e)
        v = p
    left_nodes.reverse()
    left_ties.reverse()
    v = meet
    while parents[1][v][0] != -1:
        p, e = parents[1][v]
        left_nodes.append(p)
        left_ties.append(e)
        v = p
    return left_nodes, left_ties


def top_entities(
    snap: Snapshot,
    *,
    measure: str,
    limit: int,
    schemas: frozenset[str] | None,
    cells: frozenset[int] | None = None,
) -> list[int]:
    """The ``limit`` entities ranking highest on ``measure`` (ties broken by links, name),
    among ``schemas`` and, when given, the members of ``cells``."""
    pool = np.arange(len(snap.entity_ids))
    if schemas is not None:
        pool = pool[np.isin(snap.schema_code, snap.schema_codes(schemas))]
    if cells is not None:
        pool = np.asarray([i for i in pool.tolist() if snap.community(i) in cells], np.int64)
    if measure == "links":
        score = snap.links[pool].astype(np.float64)
    else:
        score = np.asarray([snap.measure(i, measure) for i in pool.tolist()], np.float64)
    order = np.lexsort((pool, -snap.links[pool], -score))[:limit]
    return [int(v) for v in pool[order]]


_LAYOUTS: OrderedDict[tuple[int, tuple[int, ...], tuple[int, ...]], dict[int, tuple[float, float]]]
_LAYOUTS = OrderedDict()
_LAYOUT_LOCK = threading.Lock()


def layout(
    snap: Snapshot, nodes: list[int], edges: list[int], *, seed: int = 7, size: float = 1000.0
) -> dict[int, tuple[float, float]]:
    """Positions for a drawing, computed here so the browser need not lay out big graphs.

    igraph's Fruchterman-Reingold (DrL above 2,000 nodes), seeded, fitted into a
    ``size`` square grown with the node count; the last few layouts are cached.
    """
    import igraph as ig

    cache_key = (snap.token, tuple(nodes), tuple(edges))
    with _LAYOUT_LOCK:
        if cache_key in _LAYOUTS:
            return _LAYOUTS[cache_key]
    if not nodes:
        return {}
    index = {v: k for k, v in enumerate(nodes)}
    pairs = [
        (index[int(snap.ties.src[e])], index[int(snap.ties.dst[e])])
        for e in edges
        if int(snap.ties.src[e]) in index and int(snap.ties.dst[e]) in index
    ]
    graph = ig.Graph(n=len(nodes), edges=pairs)
    graph.simplify()
    rng = random.Random(seed)
    start = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in nodes]
    if len(nodes) > 2000:
        coords = graph.layout_drl(seed=start).coords
    else:
        coords = graph.layout_fruchterman_reingold(seed=start, niter=300, grid="nogrid").coords
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = size * max(1.0, math.sqrt(len(nodes) / 100.0)) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    out = {
        v: (round((x - cx) * scale, 1), round((y - cy) * scale, 1))
        for v, (x, y) in zip(nodes, coords, strict=True)
    }
    with _LAYOUT_LOCK:
        _LAYOUTS[cache_key] = out
        while len(_LAYOUTS) > 8:
            _LAYOUTS.popitem(last=False)
    return out
