"""Key-player sets (Borgatti 2006): whom to remove to break the network apart
(KPP-Neg), or whom to reach to be in touch with most of it (KPP-Pos).

Ranking people one by one and taking the top k is not the same as choosing the
best *set*: two central brothers cover the same part of the network. Here the
set is chosen as a set and its score is shown beside the top-k-by-centrality
set's score.

KPP-Neg measures, after removing the set S (n = vertices left):

- fragmentation ``F = 1 - sum s(s-1) / (n(n-1))`` over component sizes s
  (0: one connected piece; 1: nobody can reach anybody);
- distance-weighted fragmentation ``DF = 1 - sum_{i != j} 1/d(i,j) / (n(n-1))``
  (Borgatti's refinement: a network that stays connected by long detours is
  still damaged). Quadratic in n: small graphs only.

KPP-Pos measures, over the n - k vertices outside S:

- reach: the share within ``d`` steps of some member of S;
- distance-weighted reach: the mean of ``1 / d(S, j)``.

Search: exhaustive when the number of candidate sets is small, otherwise
greedy plus swap improvement (each member in turn replaced by the best
outsider until no swap helps). For fragmentation, one depth-first pass (Tarjan's
articulation points with subtree sizes) scores the removal of *every* vertex
at once, so each greedy step and each swap costs O(n + m).

>>> import igraph as ig
>>> g = ig.Graph([(0, 1), (1, 2), (2, 3), (3, 4)])
>>> kpp_neg(g, 1).members
[2]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from threadline.analyze.checks import view_check
from threadline.analyze.measures import betweenness_by_size
from threadline.errors import InvalidValueError

#: Exhaustive search when at most this many (k-1)-sets need a scoring pass.
EXHAUSTIVE_PASSES = 5000
#: Distance-weighted fragmentation is quadratic: refuse it above this many vertices.
DISTANCE_LIMIT = 3000


@dataclass
class KeyPlayerSet:
    """A chosen set, its score, and how it was found."""

    members: list[int]
    score: float
    measure: str
    method: str
    evaluations: int = 0
    history: list[float] = field(default_factory=list)  # score after each greedy/swap step


# -- fragmentation ------------------------------------------------------------------


def _remaining(g: Any, removed: Iterable[int]) -> tuple[Any, int]:
    """The subgraph of ``g`` without ``removed``, and how many vertices it keeps."""
    gone = set(removed)
    keep = [v for v in range(g.vcount()) if v not in gone]
    return g.induced_subgraph(keep), len(keep)


def fragmentation(g: Any, removed: Iterable[int] = ()) -> float:
    """``F`` after removing ``removed`` from ``g`` (0 when fewer than two vertices are left)."""
    sub, n = _remaining(g, removed)
    if n < 2:
        return 0.0
    pairs = sum(s * (s - 1) for s in sub.connected_components(mode="weak").sizes())
    return 1.0 - float(pairs) / (n * (n - 1))


def distance_fragmentation(g: Any, removed: Iterable[int] = ()) -> float:
    """Borgatti's distance-weighted fragmentation ``DF`` after removing ``removed``."""
    sub, n = _remaining(g, removed)
    if n < 2:
        return 0.0
    total = sum(sub.harmonic_centrality(mode="all", normalized=False))
    return 1.0 - float(total) / (n * (n - 1))


def _adjacency(g: Any) -> list[list[int]]:
    simple = g.as_undirected(mode="collapse") if g.is_directed() else g
    return [sorted(set(a)) for a in simple.get_adjlist()]


def removal_pairs(adj: Sequence[Sequence[int]], removed: Sequence[bool]) -> tuple[int, list[int]]:
    """Ordered reachable pairs now, and after removing each vertex in turn.

    Returns ``(pairs, after)`` where ``pairs = sum s(s-1)`` over the components
    of the graph without ``removed``, and ``after[v]`` is that sum once ``v``
    is removed too (``-1`` for vertices already removed). One iterative DFS
    with low-links: a DFS child ``w`` of ``v`` with ``low[w] >= disc[v]`` is cut
    off from the rest when ``v`` goes.
    """
    n = len(adj)
    disc = [-1] * n
    low = [0] * n
    size = [1] * n
    cut_sum = [0] * n  # vertices in the child subtrees cut off by removing v
    cut_sq = [0] * n  # sum s(s-1) over those subtrees
    comp_of = [-1] * n
    comp_sizes: list[int] = []
    clock = 0
    for root in range(n):
        if removed[root] or disc[root] >= 0:
            continue
        comp = len(comp_sizes)
        comp_sizes.append(0)
        disc[root] = low[root] = clock
        clock += 1
        comp_of[root] = comp
        stack = [(root, -1, iter(adj[root]))]
        while stack:
            v, parent, it = stack[-1]
            advanced = False
            for w in it:
                if removed[w] or w == v:
                    continue
                if disc[w] < 0:
                    disc[w] = low[w] = clock
                    clock += 1
                    comp_of[w] = comp
                    stack.append((w, v, iter(adj[w])))
                    advanced = True
                    break
                if w != parent and disc[w] < low[v]:
                    low[v] = disc[w]
            if advanced:
                continue
            stack.pop()
            comp_sizes[comp] += 1
            if parent >= 0:
                size[parent] += size[v]
                if low[v] < low[parent]:
                    low[parent] = low[v]
                if low[v] >= disc[parent]:
                    cut_sum[parent] += size[v]
                    cut_sq[parent] += size[v] * (size[v] - 1)
    pairs = sum(s * (s - 1) for s in comp_sizes)
    after = [-1] * n
    for v in range(n):
        if removed[v]:
            continue
        c = comp_sizes[comp_of[v]]
        rest = c - 1 - cut_sum[v]
        after[v] = pairs - c * (c - 1) + cut_sq[v] + rest * (rest - 1)
    return pairs, after


def _frag(pairs: int, n_left: int) -> float:
    return 1.0 - pairs / (n_left * (n_left - 1)) if n_left >= 2 else 0.0


def _best_removal(after: list[int], exclude: set[int], tiebreak: Sequence[float]) -> int:
    best, best_key = -1, None
    for v, p in enumerate(after):
        if p < 0 or v in exclude:
            continue
        key = (p, -tiebreak[v], v)
        if best_key is None or key < best_key:
            best, best_key = v, key
    return best


def kpp_neg(
    g: Any,
    k: int,
    *,
    measure: str = "fragmentation",
    exhaustive_passes: int = EXHAUSTIVE_PASSES,
    allowed: Sequence[bool] | None = None,
) -> KeyPlayerSet:
    """The set of ``k`` vertices whose removal fragments ``g`` most.

    ``measure`` is ``fragmentation`` (F) or ``distance`` (DF, small graphs).
    ``allowed``: which vertices may be chosen (all by default; triage chooses people).
    """
    n = g.vcount()
    blocked = {v for v in range(n) if allowed is not None and not allowed[v]}
    k = max(0, min(k, n - 2 if n > 2 else 0, n - len(blocked)))
    if measure == "distance":
        if blocked:
            raise InvalidValueError(
                "measure", "distance-weighted fragmentation chooses among every vertex"
            )
        return _kpp_neg_distance(g, k)
    if measure != "fragmentation":
        raise InvalidValueError(
            "measure", f"unknown KPP-Neg measure '{measure}': fragmentation or distance"
        )
    adj = _adjacency(g)
    tiebreak = [float(len(a)) for a in adj]
    if k == 0:
        return KeyPlayerSet([], fragmentation(g), measure, "empty")
    if math.comb(n - len(blocked), k - 1) <= exhaustive_passes:
        return _kpp_neg_exhaustive(adj, k, tiebreak, blocked)
    return _kpp_neg_greedy_swap(adj, k, tiebreak, blocked)


def _kpp_neg_exhaustive(
    adj: list[list[int]], k: int, tiebreak: list[float], blocked: set[int] | None = None
) -> KeyPlayerSet:
    n = len(adj)
    blocked = blocked or set()
    best: tuple[int, list[int]] | None = None
    passes = 0
    for base in combinations([v for v in range(n) if v not in blocked], k - 1):
        removed = [False] * n
        for v in base:
            removed[v] = True
        _, after = removal_pairs(adj, removed)
        passes += 1
        v = _best_removal(after, set(base) | blocked, tiebreak)
        if v < 0:
            continue
        cand = (after[v], sorted([*base, v]))
        if best is None or cand < best:
            best = cand
    assert best is not None
    return KeyPlayerSet(best[1], _frag(best[0], n - k), "fragmentation", "exhaustive", passes)


def _kpp_neg_greedy_swap(
    adj: list[list[int]], k: int, tiebreak: list[float], blocked: set[int] | None = None
) -> KeyPlayerSet:
    n = len(adj)
    blocked = blocked or set()
    removed = [False] * n
    chosen: list[int] = []
    history: list[float] = []
    passes = 0
    pairs = 0
    for _ in range(k):
        _, after = removal_pairs(adj, removed)
        passes += 1
        v = _best_removal(after, set(chosen) | blocked, tiebreak)
        chosen.append(v)
        removed[v] = True
        pairs = after[v]
        history.append(_frag(pairs, n - len(chosen)))
    improved = True
    while improved:
        improved = False
        for i in range(len(chosen)):
            u = chosen[i]
            removed[u] = False
            _, after = removal_pairs(adj, removed)
            passes += 1
            others = set(chosen) - {u}
            v = _best_removal(after, others | blocked, tiebreak)
            if v != u and after[v] < pairs:
                chosen[i] = v
                pairs = after[v]
                improved = True
                history.append(_frag(pairs, n - k))
            else:
                v = u
            removed[v] = True
    return KeyPlayerSet(
        sorted(chosen), _frag(pairs, n - k), "fragmentation", "greedy+swap", passes, history
    )


def _kpp_neg_distance(g: Any, k: int) -> KeyPlayerSet:
    n = g.vcount()
    if n > DISTANCE_LIMIT:
        raise InvalidValueError(
            "measure",
            f"distance-weighted fragmentation is quadratic; {n} vertices is over "
            f"{DISTANCE_LIMIT}: use the fragmentation measure",
        )
    if k == 0:
        return KeyPlayerSet([], distance_fragmentation(g), "distance", "empty")
    evals = 0

    def score(s: Iterable[int]) -> float:
        nonlocal evals
        evals += 1
        return distance_fragmentation(g, s)

    return _greedy_swap(n, k, score, "distance", lambda: evals)


def _greedy_swap(n: int, k: int, score: Any, measure: str, evals: Any) -> KeyPlayerSet:
    """Generic greedy + swap for a set function to maximise (small graphs)."""
    chosen: list[int] = []
    history: list[float] = []
    current = 0.0
    for _ in range(k):
        best_v, best_s = -1, -math.inf
        for v in range(n):
            if v in chosen:
                continue
            s = score([*chosen, v])
            if s > best_s + 1e-12:
                best_v, best_s = v, s
        chosen.append(best_v)
        current = best_s
        history.append(current)
    improved = True
    while improved:
        improved = False
        for i in range(len(chosen)):
            others = chosen[:i] + chosen[i + 1 :]
            for v in range(n):
                if v in chosen:
                    continue
                s = score([*others, v])
                if s > current + 1e-12:
                    chosen[i], current = v, s
                    history.append(current)
                    improved = True
                    others = chosen[:i] + chosen[i + 1 :]
    return KeyPlayerSet(sorted(chosen), current, measure, "greedy+swap", evals(), history)


# -- reach (KPP-Pos) ----------------------------------------------------------------


def reach(g: Any, members: Sequence[int], *, d: int = 1) -> float:
    """Share of the vertices outside ``members`` within ``d`` steps of one of them."""
    n: int = g.vcount()
    if n <= len(members):
        return 0.0
    reached: set[int] = set()
    for hood in g.neighborhood(list(members), order=d, mode="all"):
        reached.update(hood)
    return len(reached - set(members)) / (n - len(members))


def distance_reach(g: Any, members: Sequence[int]) -> float:
    """Mean of ``1 / d(S, j)`` over the vertices j outside S (unreachable count 0)."""
    n: int = g.vcount()
    if n <= len(members) or not members:
        return 0.0
    dist = g.distances(source=list(members), mode="all")
    inside = set(members)
    total = 0.0
    for j in range(n):
        if j in inside:
            continue
        m = min(row[j] for row in dist)
        if m != math.inf and m > 0:
            total += 1.0 / float(m)
    return total / (n - len(members))


def kpp_pos(
    g: Any,
    k: int,
    *,
    d: int = 1,
    measure: str = "reach",
    allowed: Sequence[bool] | None = None,
) -> KeyPlayerSet:
    """The set of ``k`` vertices that reaches most of ``g`` (within ``d`` steps);
    ``allowed``: which vertices may be chosen (all by default)."""
    n = g.vcount()
    may = [True] * n if allowed is None else list(allowed)
    k = max(0, min(k, sum(may)))
    if measure == "distance":
        if allowed is not None and not all(may):
            raise InvalidValueError("measure", "distance-weighted reach chooses among every vertex")
        if n > DISTANCE_LIMIT:
            raise InvalidValueError(
                "measure", f"distance-weighted reach on {n} vertices: use the reach measure"
            )
        evals = 0

        def score(s: Iterable[int]) -> float:
            nonlocal evals
            evals += 1
            return distance_reach(g, list(s))

        return _greedy_swap(n, k, score, "distance", lambda: evals)
    if measure != "reach":
        raise InvalidValueError(
            "measure", f"unknown KPP-Pos measure '{measure}': reach or distance"
        )
    hoods = [set(h) for h in g.neighborhood(None, order=d, mode="all")]
    return _max_coverage(hoods, k, may)


def _max_coverage(
    hoods: list[set[int]], k: int, allowed: Sequence[bool] | None = None
) -> KeyPlayerSet:
    """Greedy maximum coverage, then swaps, over the vertices outside the set."""
    n = len(hoods)
    may = [True] * n if allowed is None else allowed

    def covered(s: Sequence[int]) -> int:
        out: set[int] = set()
        for v in s:
            out |= hoods[v]
        return len(out - set(s))

    chosen: list[int] = []
    cover: set[int] = set()
    history: list[float] = []
    evals = 0
    for _ in range(k):
        best_v, best_gain = -1, -1
        for v in range(n):
            if v in chosen or not may[v]:
                continue
            evals += 1
            gain = len(hoods[v] - cover)
            if gain > best_gain:
                best_v, best_gain = v, gain
        chosen.append(best_v)
        cover |= hoods[best_v]
        history.append(covered(chosen) / max(n - len(chosen), 1))
    current = covered(chosen)
    improved = True
    while improved:
        improved = False
        for i in range(len(chosen)):
            others = chosen[:i] + chosen[i + 1 :]
            base: set[int] = set()
            for v in others:
                base |= hoods[v]
            for v in range(n):
                if v in chosen or not may[v]:
                    continue
                evals += 1
                if len(hoods[v] - base) + len(base) <= current:
                    continue  # cannot beat the current set even before discounting members
                s = covered([*others, v])
                if s > current:
                    chosen[i], current = v, s
                    history.append(current / max(n - k, 1))
                    improved = True
                    others = chosen[:i] + chosen[i + 1 :]
                    base = set()
                    for w in others:
                        base |= hoods[w]
    score = current / (n - k) if n > k else 0.0
    return KeyPlayerSet(sorted(chosen), score, "reach", "greedy+swap", evals, history)


def score_set(g: Any, members: Sequence[int], *, mode: str, measure: str, d: int = 1) -> float:
    """The KPP score of any set (used for the top-k-by-centrality comparison)."""
    if mode == "neg":
        if measure == "distance":
            return distance_fragmentation(g, members)
        return fragmentation(g, members)
    if measure == "distance":
        return distance_reach(g, members)
    return reach(g, members, d=d)


def key_player_set(
    view: Any, k: int, *, mode: str = "neg", measure: str | None = None, d: int = 1
) -> dict[str, Any]:
    """The KPP set on a graph view, with the top-k-by-betweenness and -by-degree sets'
    scores side by side (ranking one by one is not choosing a set)."""
    g = view.graph
    if mode == "neg":
        measure = measure or "fragmentation"
        found = kpp_neg(g, k, measure=measure)
    elif mode == "pos":
        measure = measure or "reach"
        found = kpp_pos(g, k, d=d, measure=measure)
    else:
        raise InvalidValueError("mode", f"unknown mode '{mode}': neg or pos")
    size = len(found.members)
    ranks = {"betweenness": betweenness_by_size(g), "degree": [float(x) for x in g.degree()]}
    top_k = {}
    top_scores: list[float] = []
    for name, values in ranks.items():
        top = sorted(range(g.vcount()), key=lambda v: (-values[v], view.names[v]))[:size]
        top_score = score_set(g, top, mode=mode, measure=measure, d=d)
        top_scores.append(top_score)
        top_k[name] = {
            "ids": [view.ids[v] for v in top],
            "names": [view.names[v] for v in top],
            "score": top_score,
        }
    before = score_set(g, [], mode=mode, measure=measure, d=d) if mode == "neg" else 0.0
    return {
        "mode": mode,
        "measure": measure if mode == "neg" or measure == "distance" else f"reach within {d}",
        "k": size,
        "method": found.method,
        "score": found.score,
        "score_before": before,
        "check": view_check(
            view,
            gain=found.score - before,
            margin=found.score - max(top_scores) if top_scores else None,
        ).to_dict(),
        "members": [{"id": view.ids[v], "name": view.names[v]} for v in found.members],
        "top_k": top_k,
        "evaluations": found.evaluations,
    }
