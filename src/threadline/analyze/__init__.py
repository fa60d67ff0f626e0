"""Analysis: the multi-relational network, its measures, cells, paths, key players,
contagion exposure and surveillance triage.

Data flow (each step a pure function of the one before)::

    entities + ties + documents --build_network--> Network
    Network --network_view(ViewOptions)--> GraphView (igraph, filtered, weighted)
    GraphView --> node_measures | leiden_membership | k_shortest_paths | kpp_neg / kpp_pos
              --> simulate_contagion | plan_surveillance | suggest_ties
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from threadline.analyze.graph import actor_graph, network_metrics, view_metrics
    from threadline.analyze.network import (
        ACTOR_SCHEMATA,
        GraphView,
        Network,
        ViewOptions,
        build_network,
        evidence_strength,
        network_view,
    )

#: The module each name of the package comes from, imported on first use: a module of
#: the package imported alone (``threadline.analyze.defaults``, which every command's
#: options read) loads no graph code, so the commands start fast.
_FROM = {
    "actor_graph": "graph",
    "network_metrics": "graph",
    "view_metrics": "graph",
    **dict.fromkeys(
        (
            "ACTOR_SCHEMATA",
            "GraphView",
            "Network",
            "ViewOptions",
            "build_network",
            "evidence_strength",
            "network_view",
        ),
        "network",
    ),
}


def __getattr__(name: str) -> Any:
    if name not in _FROM:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_FROM[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ACTOR_SCHEMATA",
    "GraphView",
    "Network",
    "ViewOptions",
    "actor_graph",
    "build_network",
    "evidence_strength",
    "network_metrics",
    "network_view",
    "view_metrics",
]
