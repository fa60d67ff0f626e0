"""Analysis: the multi-relational network, its measures, cells, paths, key players,
contagion exposure and surveillance triage.

Data flow (each step a pure function of the one before)::

    entities + ties + documents --build_network--> Network
    Network --network_view(ViewOptions)--> GraphView (igraph, filtered, weighted)
    GraphView --> node_measures | leiden_membership | k_shortest_paths | kpp_neg / kpp_pos
              --> simulate_contagion | plan_surveillance | suggest_ties
"""

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
