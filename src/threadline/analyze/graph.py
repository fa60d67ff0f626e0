"""The network of people and groups, and its measures (igraph's C core).

Needs: entities and ties. Produces: per-entity measures — degree, betweenness,
connected component and community (Leiden, fixed seed, so cells are stable
from run to run).

>>> from threadline.model import Entity, Tie
>>> es = [Entity(x, "Person", x, [x], [], []) for x in "abc"]
>>> ts = [Tie("t1", "associate", "a", "b", "", 1.0, []), Tie("t2", "family", "b", "c", "", 1.0, [])]
>>> network_metrics(es, ts)["b"]["degree"]
2.0
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

from threadline.model import Entity, Tie

#: Schemata that are actors in the network (places and events are context).
ACTOR_SCHEMATA = frozenset({"Person", "Organization"})


def actor_graph(entities: Iterable[Entity], ties: Iterable[Tie]) -> tuple[Any, list[str]]:
    """An undirected igraph Graph of actors; one edge per tie, weight = confidence."""
    import igraph as ig

    ids = sorted(e.id for e in entities if e.schema in ACTOR_SCHEMATA)
    index = {e: i for i, e in enumerate(ids)}
    edges, weights = [], []
    for t in ties:
        if t.source in index and t.target in index and not t.inferred:
            edges.append((index[t.source], index[t.target]))
            weights.append(max(t.confidence, 0.01))
    g = ig.Graph(n=len(ids), edges=edges, directed=False)
    g.es["weight"] = weights
    return g, ids


def network_metrics(
    entities: Iterable[Entity], ties: Iterable[Tie], *, resolution: float = 1.0, seed: int = 42
) -> dict[str, dict[str, float]]:
    """Degree, betweenness (normalised), component and Leiden community per actor.

    Degree counts distinct neighbours (parallel ties of several types count once).
    Communities are numbered by size, largest first, so "community 0" means the
    same thing from one run to the next.
    """
    import igraph as ig
    import leidenalg

    g, ids = actor_graph(list(entities), list(ties))
    n = len(ids)
    if n == 0:
        return {}
    simple = g.copy()
    simple.simplify(multiple=True, loops=True, combine_edges={"weight": "max"})
    degree = simple.degree()
    betweenness = simple.betweenness(directed=False)
    norm = (n - 1) * (n - 2) / 2 if n > 2 else 1.0
    components = simple.connected_components()
    comp_of = _numbered(components, n)
    ig.set_random_number_generator(random.Random(seed))
    try:
        partition = leidenalg.find_partition(
            simple,
            leidenalg.RBConfigurationVertexPartition,
            weights="weight",
            resolution_parameter=resolution,
            seed=seed,
        )
    finally:
        ig.set_random_number_generator(random)  # igraph's default: the random module
    comm_of = _numbered(partition, n)
    return {
        ids[i]: {
            "degree": float(degree[i]),
            "betweenness": round(betweenness[i] / norm, 6),
            "component": float(comp_of[i]),
            "community": float(comm_of[i]),
        }
        for i in range(n)
    }


def _numbered(clusters: Iterable[list[int]], n: int) -> list[int]:
    """Cluster index per vertex, clusters ordered by size then smallest member."""
    ordered = sorted((sorted(c) for c in clusters), key=lambda c: (-len(c), c[0] if c else 0))
    out = [0] * n
    for k, members in enumerate(ordered):
        for v in members:
            out[v] = k
    return out
