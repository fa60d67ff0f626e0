"""Cells: communities found with Leiden (leidenalg), and what each one looks like.

Needs: a graph view. Produces: a cell number per vertex (cells numbered by
size, largest first, so "cell 0" means the same from one run to the next
under a fixed seed) and a summary per cell: its members, the ties inside it,
and the bridges — ties to members of other cells, with who sits at each end.

Leiden (Traag, Waltman & van Eck 2019) optimises a quality function
(here the Reichardt–Bornholdt configuration model, weighted by evidence
strength); ``resolution`` above 1 gives smaller cells, below 1 larger ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from threadline.analyze.measures import betweenness_by_size, numbered
from threadline.analyze.network import GraphView
from threadline.errors import InvalidValueError


@dataclass
class Bridge:
    """A tie from a member of one cell to a member of another."""

    source: str
    target: str
    other_cell: int
    types: list[str]
    tie_ids: list[str]


@dataclass
class Cell:
    """One cell: members (most central first), ties inside, bridges out."""

    id: int
    members: list[str]
    names: list[str]
    internal_ties: int
    density: float
    bridges: list[Bridge] = field(default_factory=list)
    brokers: list[str] = field(default_factory=list)  # members holding the bridges

    def to_dict(self) -> dict[str, Any]:
        return {
            "cell": self.id,
            "size": len(self.members),
            "members": [
                {"id": i, "name": n} for i, n in zip(self.members, self.names, strict=True)
            ],
            "internal_ties": self.internal_ties,
            "density": round(self.density, 4),
            "bridges": [
                {
                    "source": b.source,
                    "target": b.target,
                    "other_cell": b.other_cell,
                    "types": b.types,
                    "ties": b.tie_ids,
                }
                for b in self.bridges
            ],
            "brokers": self.brokers,
        }


#: Above this many vertices ``auto`` uses igraph's own Leiden (same algorithm and
#: quality function, in igraph's C core: about ten times faster than leidenalg on
#: graphs of 50,000 vertices and more; see docs/benchmarks.md).
LEIDENALG_LIMIT = 10_000


def leiden_membership(
    g: Any,
    *,
    resolution: float = 1.0,
    seed: int = 42,
    weights: str | None = "weight",
    engine: str = "auto",
) -> list[int]:
    """Leiden cells of ``g``, numbered by size; the same seed gives the same cells.

    ``engine``: ``leidenalg`` (Reichardt–Bornholdt configuration model with
    ``resolution``), ``igraph`` (igraph's Leiden on modularity with the same
    resolution: the same objective) or ``auto`` (leidenalg up to
    :data:`LEIDENALG_LIMIT` vertices, igraph above).
    """
    import igraph as ig

    n = g.vcount()
    if n == 0:
        return []
    simple = g.as_undirected(mode="collapse", combine_edges="max") if g.is_directed() else g
    use = weights if weights and weights in simple.es.attributes() else None
    if engine == "auto":
        engine = "leidenalg" if n <= LEIDENALG_LIMIT else "igraph"
    # both draw from igraph's RNG: seed it, then give igraph its default back
    ig.set_random_number_generator(random.Random(seed))
    try:
        if engine == "igraph":
            clusters = simple.community_leiden(
                objective_function="modularity",
                weights=use,
                resolution=resolution,
                n_iterations=-1,
            )
            return numbered(clusters, n)
        if engine != "leidenalg":
            raise InvalidValueError(
                "engine", f"unknown Leiden engine '{engine}': auto, leidenalg or igraph"
            )
        import leidenalg

        partition = leidenalg.find_partition(
            simple,
            leidenalg.RBConfigurationVertexPartition,
            weights=use,
            resolution_parameter=resolution,
            seed=seed,
        )
    finally:
        ig.set_random_number_generator(random)
    return numbered(partition, n)


def summarise_cells(view: GraphView, membership: list[int], *, min_size: int = 1) -> list[Cell]:
    """One :class:`Cell` per cell of at least ``min_size`` members."""
    g = view.graph
    between = betweenness_by_size(g) if g.vcount() else []
    cells: dict[int, Cell] = {}
    for c in sorted(set(membership)):
        members = [v for v in range(g.vcount()) if membership[v] == c]
        if len(members) < min_size:
            continue
        members.sort(key=lambda v: (-between[v], -g.degree(v), view.names[v]))
        cells[c] = Cell(c, [view.ids[v] for v in members], [view.names[v] for v in members], 0, 0.0)
    brokers: dict[int, dict[str, int]] = {c: {} for c in cells}
    for e in g.es:
        a, b = e.tuple
        ca, cb = membership[a], membership[b]
        ties = view.edge_ties[e.index]
        if ca == cb:
            if ca in cells:
                cells[ca].internal_ties += 1
            continue
        for here, there, v, w in ((ca, cb, a, b), (cb, ca, b, a)):
            if here in cells:
                cells[here].bridges.append(
                    Bridge(
                        view.ids[v],
                        view.ids[w],
                        there,
                        sorted({t.type for t in ties}),
                        [t.id for t in ties],
                    )
                )
                brokers[here][view.ids[v]] = brokers[here].get(view.ids[v], 0) + 1
    for c, cell in cells.items():
        size = len(cell.members)
        pairs = size * (size - 1) / 2
        cell.density = cell.internal_ties / pairs if pairs else 0.0
        cell.brokers = [m for m, _ in sorted(brokers[c].items(), key=lambda x: (-x[1], x[0]))]
    return [cells[c] for c in sorted(cells)]
