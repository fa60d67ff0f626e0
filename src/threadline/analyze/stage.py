"""The analyze stage over a workspace: measures stored in one transaction."""

from __future__ import annotations

from threadline.analyze.graph import network_metrics
from threadline.store import Workspace


def analyze_workspace(ws: Workspace, *, resolution: float = 1.0, seed: int = 42) -> dict[str, int]:
    """Compute and store degree, betweenness, components and communities."""
    metrics = network_metrics(ws.entities(), ws.ties(), resolution=resolution, seed=seed)
    with ws.transaction():
        ws.replace_metrics(metrics)
    communities = {int(m["community"]) for m in metrics.values()}
    components = {int(m["component"]) for m in metrics.values()}
    return {"actors": len(metrics), "communities": len(communities), "components": len(components)}
