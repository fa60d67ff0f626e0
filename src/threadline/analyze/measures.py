"""Centralities and brokerage on a graph view (igraph's C core does the work).

Needs: an igraph graph (a :class:`~threadline.analyze.network.GraphView`'s,
or any). Produces: one list of values per measure, vertex-indexed. The
definitions follow networkx's reference implementations (the tests hold them
to 1e-9 on the Nov13 network), so a figure can be checked with either tool:

- ``degree``: distinct neighbours; ``strength``: the sum of edge weights
  (evidence strength);
- ``betweenness``: share of shortest paths between other pairs that pass
  through the vertex, normalised to [0, 1]; exact, or estimated from sampled
  pivots (Brandes & Pich 2007) on large graphs;
- ``closeness``: Wasserman–Faust closeness (reachable vertices only, scaled
  by the share reachable); ``harmonic``: mean inverse distance, optionally
  within a hop cutoff (the large-graph stand-in for closeness);
- ``eigenvector`` (largest value 1; on a disconnected graph only the component
  with the largest eigenvalue gets clearly non-zero values) and ``pagerank``
  (damping 0.85);
- ``coreness``: the k-core number;
- ``constraint`` (Burt) and ``effective_size``: brokerage across structural holes.

>>> import igraph as ig
>>> g = ig.Graph.Star(4)
>>> betweenness(g)[0], degree(g)[0]
(1.0, 3.0)
"""

from __future__ import annotations

import math
import random
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: Above this many vertices betweenness is sampled and closeness is harmonic within a cutoff.
LARGE_GRAPH = 5000
#: Pivots (source vertices) for sampled betweenness on large graphs.
DEFAULT_PIVOTS = 256
#: Hop cutoff for harmonic closeness on large graphs.
DEFAULT_HOP_CUTOFF = 2


@dataclass(frozen=True)
class MeasureOptions:
    """How the measures are computed: exact on small graphs, estimated on large ones."""

    large: int = LARGE_GRAPH
    pivots: int = DEFAULT_PIVOTS
    hop_cutoff: int = DEFAULT_HOP_CUTOFF
    seed: int = 0
    weights: str | None = None  # an edge attribute for weighted degree-like measures


def degree(g: Any) -> list[float]:
    """Distinct neighbours (in + out for a directed graph)."""
    return [float(d) for d in g.degree(mode="all")]


def strength(g: Any, weights: str = "weight") -> list[float]:
    """Sum of the weights of a vertex's edges (its total evidence strength)."""
    if weights not in g.es.attributes():
        return degree(g)
    return [float(s) for s in g.strength(mode="all", weights=weights)]


def pivots_for(n: int, k: int, seed: int) -> list[int]:
    """``k`` distinct vertices drawn with ``seed`` (all of them when k >= n)."""
    if k >= n:
        return list(range(n))
    return sorted(random.Random(seed).sample(range(n), k))


def betweenness(
    g: Any,
    *,
    pivots: Sequence[int] | None = None,
    weights: str | None = None,
    normalized: bool = True,
    workers: int = 1,
) -> list[float]:
    """Betweenness; exact, or estimated from the shortest paths of ``pivots``.

    The estimate scales the pivots' dependencies by ``n / len(pivots)``
    (Brandes & Pich 2007), exactly what networkx does with ``k`` samples.
    ``workers`` forked processes share the pivots.
    """
    n = g.vcount()
    if n == 0:
        return []
    if pivots is None or len(pivots) >= n:
        raw = g.betweenness(directed=g.is_directed(), weights=weights)
    else:
        chosen = list(pivots)
        if workers > 1 and len(chosen) >= 2 * workers:
            chunks = [chosen[i::workers] for i in range(workers)]
            parts = _fork_map(g, _pivot_betweenness, [(c, weights) for c in chunks], workers)
            part = [sum(col) for col in zip(*parts, strict=True)]
        else:
            part = g.betweenness(directed=g.is_directed(), weights=weights, sources=chosen)
        raw = [b * n / len(chosen) for b in part]
    if not normalized or n <= 2:
        return [float(b) for b in raw]
    scale = (n - 1) * (n - 2) if g.is_directed() else (n - 1) * (n - 2) / 2
    return [b / scale for b in raw]


def betweenness_by_size(g: Any, options: MeasureOptions | None = None) -> list[float]:
    """Normalised betweenness: exact up to ``options.large`` vertices, sampled above."""
    opts = options or MeasureOptions()
    n = g.vcount()
    return betweenness(g, pivots=pivots_for(n, opts.pivots, opts.seed) if n > opts.large else None)


def closeness(g: Any) -> list[float]:
    """Wasserman–Faust closeness: (r - 1) / sum of distances, times (r - 1) / (n - 1),
    r being the vertices reachable (the vertex included). Isolates get 0."""
    n = g.vcount()
    if n <= 1:
        return [0.0] * n
    raw = g.closeness(mode="all")
    sizes = _reach_sizes(g)
    return [
        0.0 if c is None or math.isnan(c) or sizes[i] <= 1 else c * (sizes[i] - 1) / (n - 1)
        for i, c in enumerate(raw)
    ]


def _reach_sizes(g: Any) -> list[int]:
    comps = g.connected_components(mode="weak")
    sizes = [0] * g.vcount()
    for members in comps:
        for v in members:
            sizes[v] = len(members)
    return sizes


def harmonic(g: Any, *, cutoff: int | None = None, workers: int = 1) -> list[float]:
    """Mean inverse distance to the other vertices, counting only paths of at most
    ``cutoff`` hops when given (unreachable vertices count 0).

    With a cutoff of at most :data:`BALL_CUTOFF` the sums come from the sizes of
    the balls of radius 1..cutoff (``|B_d| - |B_{d-1}|`` vertices at distance
    d), which igraph counts far faster than it runs a BFS per vertex; ``workers``
    processes share the vertices between them.
    """
    n = g.vcount()
    if n <= 1:
        return [0.0] * n
    if cutoff is None or cutoff > BALL_CUTOFF:
        return [float(h) for h in g.harmonic_centrality(mode="all", cutoff=cutoff, normalized=True)]
    totals = [0.0] * n
    previous = [1] * n
    for d in range(1, cutoff + 1):
        sizes = _parallel_vertices(g, "ball", d, workers)
        for v in range(n):
            totals[v] += (sizes[v] - previous[v]) / d
        previous = sizes
    return [t / (n - 1) for t in totals]


#: Harmonic closeness within at most this many hops is computed from ball sizes.
BALL_CUTOFF = 2

_SHARED: dict[str, Any] = {}


def _ball_sizes(task: tuple[int, int, int]) -> list[int]:
    start, stop, order = task
    g = _SHARED["graph"]
    return list(g.neighborhood_size(vertices=range(start, stop), order=order, mode="all"))


def _pivot_betweenness(task: tuple[list[int], str | None]) -> list[float]:
    pivots, weights = task
    g = _SHARED["graph"]
    return list(g.betweenness(directed=g.is_directed(), weights=weights, sources=pivots))


def _parallel_vertices(g: Any, what: str, order: int, workers: int) -> list[int]:
    """Ball sizes of radius ``order`` for every vertex, in ``workers`` forked processes."""
    n = g.vcount()
    if workers <= 1 or n < 10000:
        return list(g.neighborhood_size(order=order, mode="all"))
    step = -(-n // (workers * 4))
    tasks = [(i, min(i + step, n), order) for i in range(0, n, step)]
    out: list[int] = []
    for part in _fork_map(g, _ball_sizes, tasks, workers):
        out.extend(part)
    return out


def _fork_map(g: Any, fn: Any, tasks: list[Any], workers: int) -> list[Any]:
    """``map(fn, tasks)`` in forked workers that share ``g`` copy-on-write (order kept)."""
    import multiprocessing

    _SHARED["graph"] = g
    try:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers) as pool:
            return pool.map(fn, tasks)
    finally:
        _SHARED.clear()


def eigenvector(g: Any, *, weights: str | None = None) -> list[float]:
    """Eigenvector centrality scaled so the largest value is 1 (0 on an edgeless graph)."""
    if g.ecount() == 0:
        return [0.0] * g.vcount()
    simple = g.as_undirected() if g.is_directed() else g
    with warnings.catch_warnings():  # disconnected graphs: small components get ~0, as documented
        warnings.simplefilter("ignore", RuntimeWarning)
        values = simple.eigenvector_centrality(scale=True, weights=weights)
    return [float(x) for x in values]


def pagerank(g: Any, *, damping: float = 0.85, weights: str | None = None) -> list[float]:
    """PageRank (PRPACK); a directed view follows tie direction."""
    if g.vcount() == 0:
        return []
    return [float(x) for x in g.pagerank(damping=damping, weights=weights, directed=True)]


def coreness(g: Any) -> list[float]:
    """The k-core number: the largest k such that the vertex is in a k-core."""
    return [float(c) for c in g.coreness(mode="all")]


def constraint(g: Any, *, weights: str | None = None) -> list[float]:
    """Burt's constraint (NaN for isolates): high = contacts tied to each other."""
    simple = g.as_undirected() if g.is_directed() else g
    return [float(c) for c in simple.constraint(weights=weights)]


def effective_size(g: Any) -> list[float]:
    """Burt's effective size on the unweighted graph: n - 2t/n for n contacts with t
    ties among them (the non-redundant part of a person's contacts). NaN for isolates."""
    simple = g.as_undirected() if g.is_directed() else g
    out: list[float] = []
    adj = [set(a) for a in simple.get_adjlist()]
    for v, neigh in enumerate(adj):
        neigh = neigh - {v}
        n = len(neigh)
        if n == 0:
            out.append(float("nan"))
            continue
        ties = sum(len(adj[u] & neigh) for u in neigh) / 2
        out.append(n - 2 * ties / n)
    return out


def components(g: Any) -> list[int]:
    """Connected component per vertex, numbered by size (largest first)."""
    return numbered(g.connected_components(mode="weak"), g.vcount())


def numbered(clusters: Any, n: int) -> list[int]:
    """Cluster index per vertex, clusters ordered by size then smallest member."""
    ordered = sorted((sorted(c) for c in clusters), key=lambda c: (-len(c), c[0] if c else 0))
    out = [0] * n
    for k, members in enumerate(ordered):
        for v in members:
            out[v] = k
    return out


def node_measures(g: Any, options: MeasureOptions | None = None) -> dict[str, list[float]]:
    """Every vertex measure of this module on ``g``, exact or estimated by size.

    Above ``options.large`` vertices, betweenness is estimated from
    ``options.pivots`` sampled pivots and closeness is replaced by harmonic
    closeness within ``options.hop_cutoff`` hops (``closeness`` is then absent).
    """
    opts = options or MeasureOptions()
    n = g.vcount()
    large = n > opts.large
    out: dict[str, list[float]] = {
        "degree": degree(g),
        "strength": strength(g),
        "betweenness": betweenness(
            g, pivots=pivots_for(n, opts.pivots, opts.seed) if large else None
        ),
        "harmonic": harmonic(g, cutoff=opts.hop_cutoff if large else None),
        "eigenvector": eigenvector(g),
        "pagerank": pagerank(g),
        "coreness": coreness(g),
        "constraint": constraint(g),
        "effective_size": effective_size(g),
        "component": [float(c) for c in components(g)],
    }
    if not large:
        out["closeness"] = closeness(g)
    return out
