"""Analysis: the network of people and groups and its measures."""

from threadline.analyze.graph import actor_graph, network_metrics

__all__ = ["actor_graph", "network_metrics"]
