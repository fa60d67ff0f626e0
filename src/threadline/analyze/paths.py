"""How is A connected to B, and on what evidence: the k shortest paths, hop by hop.

Needs: a graph view and two entities. Produces: up to k paths (Yen's
algorithm in igraph), each hop with its tie types, direction, evidence
strength, and every quote with the document it comes from.

Two orders: ``hops`` (fewest intermediaries) and ``evidence`` (the cost of a
hop is ``1 / strength``, so a path over weakly evidenced or hedged ties costs
more than a longer one over well-sourced ties). Each path also reports its
weakest hop: a chain is only as good as that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from threadline.analyze.network import GraphView, Network, NetworkTie
from threadline.errors import InvalidValueError, NotFoundError
from threadline.model.names import fold
from threadline.model.suggest import did_you_mean

PATH_ORDERS = ("hops", "evidence")


@dataclass
class Hop:
    """One step of a path: the ties between two consecutive entities."""

    source: str
    target: str
    source_name: str
    target_name: str
    strength: float
    ties: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Path:
    """A path from A to B with its length, cost and weakest hop."""

    nodes: list[str]
    names: list[str]
    hops: list[Hop]
    cost: float
    weakest: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": self.nodes,
            "names": self.names,
            "length": len(self.hops),
            "cost": round(self.cost, 4),
            "weakest_strength": round(self.weakest, 4),
            "hops": [
                {
                    "source": h.source,
                    "target": h.target,
                    "source_name": h.source_name,
                    "target_name": h.target_name,
                    "strength": round(h.strength, 4),
                    "ties": h.ties,
                }
                for h in self.hops
            ],
        }


def find_entity(network: Network, ref: str, *, schemata: frozenset[str] | None = None) -> str:
    """The entity ``ref`` names: its id, or a name or alias (case and accents ignored).

    Raises :class:`NotFoundError` when nothing matches or several entities do
    (the message lists them with their ids, to pass one of those instead).
    """
    nodes = {k: v for k, v in network.nodes.items() if schemata is None or v.schema in schemata}
    if ref in nodes:
        return ref
    want = fold(ref)
    exact = sorted(k for k, v in nodes.items() if fold(v.name) == want)
    if len(exact) == 1:
        return exact[0]
    if not exact:
        exact = sorted(k for k, v in nodes.items() if want and want in fold(v.name))
    if len(exact) == 1:
        return exact[0]
    if not exact:
        hint = did_you_mean(ref, (v.name for v in nodes.values())) or "; see 'threadline cells'"
        raise NotFoundError(f"no entity named '{ref}' in the network{hint}")
    listed = ", ".join(f"{nodes[k].name} ({k})" for k in exact[:8])
    raise NotFoundError(f"'{ref}' names {len(exact)} entities: {listed}; pass an id instead")


def evidence_items(tie: NetworkTie, network: Network) -> list[dict[str, Any]]:
    """Each piece of a tie's evidence with its quote and the document it comes from."""
    out = []
    for ev in tie.evidence:
        doc = network.documents.get(ev.document)
        item: dict[str, Any] = {
            "document": ev.document,
            "title": doc.title if doc else None,
            "source": doc.source if doc else None,
            "published": doc.published if doc else None,
            "start": ev.start,
            "end": ev.end,
            "quote": ev.quote,
            "confidence": round(ev.confidence, 3),
        }
        if ev.hedged:
            item["hedged"] = True
        if ev.row is not None:
            item["row"] = ev.row
        out.append(item)
    return out


def tie_summary(tie: NetworkTie, network: Network) -> dict[str, Any]:
    """A tie as a path hop shows it."""
    item: dict[str, Any] = {
        "id": tie.id,
        "type": tie.type,
        "detail": tie.detail,
        "source": tie.source,
        "target": tie.target,
        "directed": tie.directed,
        "strength": round(tie.strength, 4),
        "sources": tie.sources,
        "evidence": evidence_items(tie, network),
    }
    if tie.inferred:
        item["inferred"] = True
    if tie.hedged:
        item["hedged"] = True
    return item


def k_shortest_paths(
    view: GraphView, a: str, b: str, *, k: int = 3, order: str = "hops"
) -> list[Path]:
    """Up to ``k`` loopless paths from entity ``a`` to ``b``, best first.

    ``order`` is ``hops`` or ``evidence`` (see the module docstring). An empty
    list means the two are not connected in this view.
    """
    if order not in PATH_ORDERS:
        raise InvalidValueError(
            "order", f"unknown path order '{order}': {' or '.join(PATH_ORDERS)}"
        )
    for ref in (a, b):
        if ref not in view.index:
            raise NotFoundError(
                f"entity '{ref}' is not in this view of the network (filtered out by "
                "type, date or evidence strength, or not a person or group)"
            )
    g = view.graph
    src, dst = view.index[a], view.index[b]
    if src == dst:
        return []
    weights = "cost" if order == "evidence" else None
    epaths = g.get_k_shortest_paths(src, dst, k=k, weights=weights, mode="out", output="epath")
    paths = []
    for epath in epaths:
        if not epath:
            continue
        vertices = [src]
        hops = []
        for e in epath:
            edge = g.es[e]
            u = vertices[-1]
            w = edge.target if edge.source == u else edge.source
            vertices.append(w)
            ties = view.edge_ties[e]
            hops.append(
                Hop(
                    view.ids[u],
                    view.ids[w],
                    view.names[u],
                    view.names[w],
                    float(edge["strength"]),
                    [tie_summary(t, view.network) for t in ties],
                )
            )
        cost = sum(g.es[e]["cost"] for e in epath) if order == "evidence" else float(len(epath))
        paths.append(
            Path(
                [view.ids[v] for v in vertices],
                [view.names[v] for v in vertices],
                hops,
                cost,
                min(h.strength for h in hops),
            )
        )
    return paths
