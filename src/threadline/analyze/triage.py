"""Surveillance triage: whom to watch first with the officers there are.

"It takes 20 men to monitor a terrorism suspect full-time" (open-source
estimates run from about 18 to 36 officers per target around the clock; see
docs/analysis.md). With ``officers`` available and ``per_target`` officers per
full-time target, ``officers // per_target`` people can be watched full-time;
the remaining officers give part-time cover to one more.

The targets are the key-player set of that size (Borgatti):

- ``neg`` (disruption): the set whose removal — arrest, or watching closely
  enough to stop their role — fragments the network most (fragmentation F);
- ``pos`` (coverage): the set whose contacts within ``d`` steps cover most of
  the network, so watching them sees most of what happens.

Inputs are the ties of the view only: their existence and the strength of
their evidence. The analyst sets a minimum evidence strength (ties below it
are left out of the view), so a weakly evidenced tie cannot make someone a
target. Nationality, religion, age or any other personal attribute is never
read (a test holds this).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from threadline.analyze.checks import AnswerCheck, view_check
from threadline.analyze.keyplayers import (
    _adjacency,
    kpp_neg,
    kpp_pos,
    removal_pairs,
    score_set,
)
from threadline.analyze.measures import betweenness_by_size
from threadline.analyze.network import GraphView
from threadline.errors import InvalidValueError

#: Officers per full-time target, from "it takes 20 men to monitor a suspect full-time".
DEFAULT_PER_TARGET = 20
#: Whom officers can watch: people (groups connect them in the graph, but are no target).
TARGET_SCHEMATA = frozenset({"Person"})
TRIAGE_MODES = ("neg", "pos")


@dataclass
class Target:
    """One person to watch, and why: what the plan loses without them."""

    id: str
    name: str
    officers: int
    coverage: float  # 1.0 full-time; below 1 for the part-time remainder
    contribution: float  # how much the plan's score drops without this person
    degree: int
    betweenness: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "officers": self.officers,
            "coverage": round(self.coverage, 4),
            "contribution": round(self.contribution, 4),
            "degree": self.degree,
            "betweenness": round(self.betweenness, 4),
        }


@dataclass
class TriagePlan:
    """The targets, their score beside the top-k-by-betweenness score, and what is left."""

    officers: int
    per_target: int
    mode: str
    d: int
    targets: list[Target]
    partial: Target | None
    score: float
    score_top_betweenness: float
    top_betweenness: list[str]
    uncovered: dict[str, Any]
    left_out: dict[str, int] = field(default_factory=dict)
    min_strength: float = 0.0
    check: AnswerCheck | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "officers": self.officers,
            "per_target": self.per_target,
            "full_time_targets": len(self.targets),
            "mode": self.mode,
            "measure": "fragmentation" if self.mode == "neg" else f"reach within {self.d}",
            "min_strength": self.min_strength,
            "targets": [t.to_dict() for t in self.targets],
            "partial": self.partial.to_dict() if self.partial else None,
            "score": round(self.score, 4),
            "score_top_betweenness": round(self.score_top_betweenness, 4),
            "top_betweenness": self.top_betweenness,
            "uncovered": self.uncovered,
            "ties_left_out": self.left_out,
            "check": self.check.to_dict() if self.check else None,
        }


def plan_surveillance(
    view: GraphView,
    *,
    officers: int,
    per_target: int = DEFAULT_PER_TARGET,
    mode: str = "neg",
    d: int = 1,
) -> TriagePlan:
    """The targets that maximise disruption (``neg``) or coverage (``pos``) within budget."""
    if officers < 0 or per_target < 1:
        raise InvalidValueError("officers", "officers must be 0 or more and per_target at least 1")
    if mode not in TRIAGE_MODES:
        raise InvalidValueError("mode", f"unknown triage mode '{mode}': neg or pos")
    g = view.graph
    n = g.vcount()
    # officers watch people: groups stay in the graph (they connect people), never targets
    people = [view.network.nodes[x].schema in TARGET_SCHEMATA for x in view.ids]
    k = min(officers // per_target, max(n - 2, 0) if mode == "neg" else n, sum(people))
    remainder = officers - k * per_target
    between = betweenness_by_size(g)
    degrees = g.degree()
    if mode == "neg":
        chosen = kpp_neg(g, k, allowed=people).members
    else:
        chosen = kpp_pos(g, k, d=d, allowed=people).members
    score = score_set(
        g, chosen, mode=mode, measure="fragmentation" if mode == "neg" else "reach", d=d
    )
    measure = "fragmentation" if mode == "neg" else "reach"
    top = sorted(
        (v for v in range(n) if people[v]),
        key=lambda v: (-between[v], -degrees[v], view.names[v]),
    )[:k]
    score_top = score_set(g, top, mode=mode, measure=measure, d=d)

    def target(v: int, officers_: int, coverage: float, contribution: float) -> Target:
        return Target(
            view.ids[v],
            view.names[v],
            officers_,
            coverage,
            contribution,
            int(degrees[v]),
            between[v],
        )

    targets = []
    for v in chosen:
        rest = [u for u in chosen if u != v]
        loss = score - score_set(g, rest, mode=mode, measure=measure, d=d)
        targets.append(target(v, per_target, 1.0, loss))
    targets.sort(key=lambda t: (-t.contribution, -t.betweenness, t.name))
    partial = None
    if remainder > 0:
        nxt = _next_best(g, chosen, mode=mode, d=d, allowed=people)
        if nxt is not None:
            gain = score_set(g, [*chosen, nxt], mode=mode, measure=measure, d=d) - score
            partial = target(nxt, remainder, remainder / per_target, gain)
    uncovered = _uncovered(view, chosen, mode=mode, d=d)
    before = score_set(g, [], mode=mode, measure=measure, d=d) if mode == "neg" else 0.0
    check = view_check(view, gain=score - before, margin=score - score_top if k else None)
    return TriagePlan(
        officers,
        per_target,
        mode,
        d,
        targets,
        partial,
        score,
        score_top,
        [view.ids[v] for v in top],
        uncovered,
        dict(view.left_out),
        view.options.min_strength,
        check,
    )


def _next_best(
    g: Any, chosen: list[int], *, mode: str, d: int, allowed: list[bool] | None = None
) -> int | None:
    n = g.vcount()
    if n - len(chosen) <= (2 if mode == "neg" else 0):
        return None
    if mode == "neg":
        removed = [False] * n
        for v in chosen:
            removed[v] = True
        _, after = removal_pairs(_adjacency(g), removed)
        degs = g.degree()
        cands = [v for v in range(n) if after[v] >= 0 and (allowed is None or allowed[v])]
        return min(cands, key=lambda v: (after[v], -degs[v], v)) if cands else None
    covered: set[int] = set(chosen)
    for hood in g.neighborhood(chosen, order=d) if chosen else []:
        covered.update(hood)
    best, best_gain = None, -1
    for v, hood in enumerate(g.neighborhood(None, order=d)):
        if v in chosen or (allowed is not None and not allowed[v]):
            continue
        gain = len(set(hood) - covered)
        if gain > best_gain:
            best, best_gain = v, gain
    return best


def _uncovered(view: GraphView, chosen: list[int], *, mode: str, d: int) -> dict[str, Any]:
    """What the network still looks like outside the plan's reach."""
    g = view.graph
    n = g.vcount()
    if mode == "neg":
        keep = [v for v in range(n) if v not in set(chosen)]
    else:
        reached: set[int] = set(chosen)
        for hood in g.neighborhood(chosen, order=d) if chosen else []:
            reached.update(hood)
        keep = [v for v in range(n) if v not in reached]
    sub = g.induced_subgraph(keep)
    comps = sorted(sub.connected_components(mode="weak"), key=len, reverse=True)
    between = betweenness_by_size(sub) if sub.vcount() else []
    largest = comps[0] if comps else []
    brokers = sorted(range(sub.vcount()), key=lambda v: (-between[v], view.names[keep[v]]))[:5]
    return {
        "people": len(keep),
        "ties": sub.ecount(),
        "components": len(comps),
        "largest_component": len(largest),
        "component_sizes": [len(c) for c in comps[:10]],
        "largest_component_members": sorted(view.names[keep[v]] for v in largest)[:25],
        "remaining_brokers": [
            {
                "id": view.ids[keep[v]],
                "name": view.names[keep[v]],
                "betweenness": round(between[v], 4),
            }
            for v in brokers
            if between[v] > 0
        ],
    }
