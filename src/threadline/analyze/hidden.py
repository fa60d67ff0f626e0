"""Hidden ties: pairs who are not tied in the evidence but probably know each other.

Needs: the network. Produces: suggestions, each with its score and the reason
in words — always labelled ``inferred`` and ``kind: suggestion``: a suggestion
is a lead for the analyst to check, never a tie.

Signals:

- common neighbours: people with many contacts in common;
- Adamic–Adar (Adamic & Adar 2003): common contacts weighted by
  ``1 / log(degree)``, so sharing a little-connected contact counts more than
  sharing a hub everyone knows;
- shared context: both took part in the same event, or are tied to the same
  place (an address, a flat), through ``participated_in``, ``located_in`` or
  ``shared_residence`` ties. A context many actors share counts less
  (``1 / log(1 + actors)``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from threadline.analyze.network import ACTOR_SCHEMATA, Network, ViewOptions, network_view

#: Contacts with more neighbours than this are skipped as go-betweens (a hub
#: joins everybody to everybody and says nothing about a particular pair).
MAX_HUB_DEGREE = 500
#: Tie types that put an actor in a context (an event or a place).
CONTEXT_TYPES = frozenset({"participated_in", "located_in", "shared_residence"})


@dataclass
class Suggestion:
    """A suggested tie: always inferred, always with its reason."""

    source: str
    target: str
    source_name: str
    target_name: str
    score: float
    adamic_adar: float
    common_neighbours: list[str] = field(default_factory=list)
    shared_contexts: list[str] = field(default_factory=list)
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "suggestion",
            "inferred": True,
            "source": self.source,
            "target": self.target,
            "source_name": self.source_name,
            "target_name": self.target_name,
            "score": round(self.score, 4),
            "adamic_adar": round(self.adamic_adar, 4),
            "common_neighbours": self.common_neighbours,
            "shared_contexts": self.shared_contexts,
            "reason": self.reason,
        }


def suggest_ties(
    network: Network,
    options: ViewOptions | None = None,
    *,
    limit: int = 20,
    min_common: int = 1,
) -> list[Suggestion]:
    """The ``limit`` best-supported hidden-tie suggestions among actors.

    ``options`` select the ties that count as known (type, date, strength);
    inferred ties never count as known here.
    """
    opts = options or ViewOptions()
    known = ViewOptions(
        types=opts.types,
        include_inferred=False,
        min_strength=opts.min_strength,
        as_of=opts.as_of,
        schemata=ACTOR_SCHEMATA,
    )
    view = network_view(network, known)
    g = view.graph
    adj = [set(a) for a in g.get_adjlist()]
    aa: dict[tuple[int, int], float] = defaultdict(float)
    common: dict[tuple[int, int], list[int]] = defaultdict(list)
    for z, neigh in enumerate(adj):
        d = len(neigh)
        if d < 2 or d > MAX_HUB_DEGREE:
            continue
        ordered = sorted(neigh)
        for i, u in enumerate(ordered):
            for v in ordered[i + 1 :]:
                if v in adj[u]:
                    continue
                aa[(u, v)] += 1.0 / math.log(d)
                common[(u, v)].append(z)
    context = _shared_contexts(network, opts, view.index, adj)
    pairs = set(aa) | set(context)
    out = []
    for u, v in pairs:
        cn = common.get((u, v), [])
        ctx = context.get((u, v), [])
        if len(cn) < min_common and not ctx:
            continue
        ctx_score = sum(w for _, w in ctx)
        score = aa.get((u, v), 0.0) + ctx_score
        cn_names = sorted(view.names[z] for z in cn)
        ctx_names = sorted(name for name, _ in ctx)
        out.append(
            Suggestion(
                view.ids[u],
                view.ids[v],
                view.names[u],
                view.names[v],
                score,
                aa.get((u, v), 0.0),
                cn_names,
                ctx_names,
                _reason(cn_names, ctx_names, aa.get((u, v), 0.0)),
            )
        )
    out.sort(key=lambda s: (-s.score, s.source_name, s.target_name))
    return out[:limit]


def _shared_contexts(
    network: Network, opts: ViewOptions, index: dict[str, int], adj: list[set[int]]
) -> dict[tuple[int, int], list[tuple[str, float]]]:
    """Pairs of actors (not already tied) who share an event or a place."""
    ctx_opts = ViewOptions(
        types=CONTEXT_TYPES,
        include_inferred=False,
        min_strength=opts.min_strength,
        as_of=opts.as_of,
        schemata=frozenset(n.schema for n in network.nodes.values()),
    )
    view = network_view(network, ctx_opts)
    actors_at: dict[str, set[int]] = defaultdict(set)
    for ties in view.edge_ties:
        for t in ties:
            a, b = network.nodes[t.source], network.nodes[t.target]
            if t.type == "shared_residence":
                continue  # a direct tie between the two already
            if a.schema in ACTOR_SCHEMATA and b.schema not in ACTOR_SCHEMATA and a.id in index:
                actors_at[b.id].add(index[a.id])
            elif b.schema in ACTOR_SCHEMATA and a.schema not in ACTOR_SCHEMATA and b.id in index:
                actors_at[a.id].add(index[b.id])
    out: dict[tuple[int, int], list[tuple[str, float]]] = defaultdict(list)
    for ctx_id, actors in actors_at.items():
        if len(actors) < 2 or len(actors) > MAX_HUB_DEGREE:
            continue
        node = network.nodes[ctx_id]
        what = "took part in" if node.schema == "Event" else "tied to"
        weight = 1.0 / math.log(1 + len(actors))
        ordered = sorted(actors)
        for i, u in enumerate(ordered):
            for v in ordered[i + 1 :]:
                if v not in adj[u]:
                    out[(u, v)].append((f"both {what} {node.name}", weight))
    return out


def _reason(common: list[str], contexts: list[str], aa: float) -> str:
    parts = []
    if common:
        shown = ", ".join(common[:5]) + (f" and {len(common) - 5} more" if len(common) > 5 else "")
        parts.append(
            f"{len(common)} common contact{'s' if len(common) > 1 else ''} ({shown}; "
            f"Adamic-Adar {aa:.2f})"
        )
    parts.extend(contexts)
    return "; ".join(parts) + " — a suggestion, not evidence of a tie"
