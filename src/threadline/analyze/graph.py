"""The measures stored with each entity: one call from entities and ties to metrics.

Needs: entities, ties and (for dates and independent sources) documents.
Produces: per actor, the measures of :mod:`threadline.analyze.measures`
overall and per tie type (``degree.family``, ``betweenness.communicated_with``
...), the connected ``component``, the Leiden ``community`` (cell; fixed seed,
so cells are stable from run to run) and ``key_player`` (1 for the members of
the KPP-Neg set, 0 otherwise).

>>> from threadline.model import Entity, Tie
>>> es = [Entity(x, "Person", x, [x], [], []) for x in "abc"]
>>> ts = [Tie("t1", "associate", "a", "b", "", 1.0, []), Tie("t2", "family", "b", "c", "", 1.0, [])]
>>> network_metrics(es, ts)["b"]["degree"]
2.0
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from threadline.analyze import defaults
from threadline.analyze.cells import leiden_membership
from threadline.analyze.keyplayers import kpp_neg
from threadline.analyze.measures import (
    MeasureOptions,
    betweenness,
    degree,
    node_measures,
    pivots_for,
    strength,
)
from threadline.analyze.network import (
    ACTOR_SCHEMATA,
    GraphView,
    Network,
    SourceInfo,
    ViewOptions,
    build_network,
    network_view,
)
from threadline.model import Entity, Tie

#: Size of the KPP-Neg set flagged ``key_player`` by ``analyze``.
DEFAULT_KEY_PLAYERS = defaults.KEY_PLAYERS
#: Measures also computed on each tie type's own subnetwork.
PER_TYPE_MEASURES = ("degree", "strength", "betweenness")

__all__ = ["ACTOR_SCHEMATA", "actor_graph", "network_metrics", "view_metrics"]


def actor_graph(entities: Iterable[Entity], ties: Iterable[Tie]) -> tuple[Any, list[str]]:
    """An undirected simple igraph Graph of actors (stated ties only), weight = evidence strength."""
    view = network_view(build_network(entities, ties))
    return view.graph, view.ids


def view_metrics(
    view: GraphView,
    *,
    resolution: float = 1.0,
    seed: int = 42,
    key_players: int = DEFAULT_KEY_PLAYERS,
    measure_options: MeasureOptions | None = None,
) -> dict[str, dict[str, float]]:
    """Every stored measure for every entity of ``view`` (NaN values are left out)."""
    g = view.graph
    n = g.vcount()
    if n == 0:
        return {}
    mopts = measure_options or MeasureOptions()
    values = node_measures(g, mopts)
    values["community"] = [float(c) for c in leiden_membership(g, resolution=resolution, seed=seed)]
    k = key_players if n - key_players >= 2 else 0
    chosen = set(kpp_neg(g, k).members) if k > 0 else set()
    values["key_player"] = [1.0 if v in chosen else 0.0 for v in range(n)]
    for tie_type in view.network.tie_types():
        opts = view.options
        if opts.types is not None and tie_type not in opts.types:
            continue
        sub = network_view(
            view.network,
            ViewOptions(
                types=frozenset({tie_type}),
                include_inferred=opts.include_inferred,
                min_strength=opts.min_strength,
                as_of=opts.as_of,
                schemata=opts.schemata,
                directed=opts.directed,
            ),
        )
        if sub.graph.ecount() == 0:
            continue
        m = sub.graph.vcount()
        per_type = {
            "degree": degree(sub.graph),
            "strength": strength(sub.graph),
            "betweenness": betweenness(
                sub.graph,
                pivots=pivots_for(m, mopts.pivots, mopts.seed) if m > mopts.large else None,
            ),
        }
        for name in PER_TYPE_MEASURES:
            column = [0.0] * n
            for i, entity_id in enumerate(sub.ids):
                column[view.index[entity_id]] = per_type[name][i]
            values[f"{name}.{tie_type}"] = column
    out: dict[str, dict[str, float]] = {}
    for i, entity_id in enumerate(view.ids):
        row = {}
        for name, column in values.items():
            x = column[i]
            if x is None or math.isnan(x):
                continue
            row[name] = round(float(x), 6)
        out[entity_id] = row
    return out


def network_metrics(
    entities: Iterable[Entity],
    ties: Iterable[Tie],
    *,
    documents: Mapping[str, SourceInfo] | None = None,
    options: ViewOptions | None = None,
    resolution: float = 1.0,
    seed: int = 42,
    key_players: int = DEFAULT_KEY_PLAYERS,
) -> dict[str, dict[str, float]]:
    """Measures, component, community and key-player flag per actor.

    Degree counts distinct neighbours (parallel ties of several types count
    once). Communities and components are numbered by size, largest first.
    """
    network: Network = build_network(entities, ties, documents)
    return view_metrics(
        network_view(network, options),
        resolution=resolution,
        seed=seed,
        key_players=key_players,
    )
