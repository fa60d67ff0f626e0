"""Complex contagion (Centola & Macy 2007): who is exposed to radicalisation through
brothers, friends and prison comrades, and which ties carry it.

Needs: a graph (or a graph view) and the seeds — people known to have adopted
(known members). Produces: per person, the share of simulation runs in which
they adopted (their exposure probability), the mean round of adoption, and
which ties carried the spread.

The model: in each round, a person who has not adopted does so when at least
``threshold`` distinct contacts have (a threshold below 1 is read as a share
of the person's contacts). Unlike a rumour (simple contagion), one contact is
not enough: spread needs *wide bridges* — clusters of overlapping ties — and
stalls on long, random shortcuts. ``noise`` is the probability that a given
contact's influence fails to register in a round (a tie not active, a missed
meeting); with noise above 0 the runs differ and the exposure is a probability.

This is a model of exposure, not a prediction of behaviour: the result is
labelled inferred wherever it is shown.

>>> import igraph as ig
>>> ring = ig.Graph.Lattice([40], nei=2, circular=True)
>>> simulate_contagion(ring, [0, 1, 2, 38, 39], threshold=2, runs=1).adopted_share
1.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from threadline.analyze.cells import leiden_membership
from threadline.analyze.network import GraphView, Network, NetworkTie
from threadline.errors import InvalidValueError

#: Tie types that mark someone as a known member (seeds by default).
MEMBER_TYPES = frozenset({"member_of", "leader_of", "participated_in"})


@dataclass
class ContagionRun:
    """What many runs of the threshold model gave, vertex- and edge-indexed."""

    adopted: list[float]  # share of runs in which each vertex adopted (seeds: 1.0)
    mean_round: list[float | None]  # mean round of adoption when it happened
    carried: list[float]  # per edge: share of runs in which it passed the adoption on
    adopted_share: float  # mean share of vertices that adopted
    runs: int
    rounds: float  # mean number of rounds until the spread stopped
    seeds: list[int] = field(default_factory=list)


def _arcs(g: Any) -> tuple[Any, Any, Any]:
    """Both directions of every edge: influence flows either way along a tie."""
    edges = np.array(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    src = np.concatenate([edges[:, 0], edges[:, 1]])
    dst = np.concatenate([edges[:, 1], edges[:, 0]])
    eid = np.concatenate([np.arange(len(edges)), np.arange(len(edges))])
    return src, dst, eid


def simulate_contagion(
    g: Any,
    seeds: Sequence[int],
    *,
    threshold: float = 2,
    runs: int = 100,
    noise: float = 0.0,
    max_rounds: int | None = None,
    seed: int = 0,
) -> ContagionRun:
    """Run the threshold model ``runs`` times from ``seeds`` (vertex indices)."""
    if threshold <= 0:
        raise InvalidValueError(
            "threshold", "the threshold must be above 0 (a count, or a share below 1)"
        )
    if not 0.0 <= noise < 1.0:
        raise InvalidValueError("noise", "noise is a probability in [0, 1)")
    n = g.vcount()
    m = g.ecount()
    src, dst, eid = _arcs(g)
    deg = np.bincount(dst, minlength=n) if len(dst) else np.zeros(n, dtype=np.int64)
    if threshold >= 1:
        need = np.full(n, math.ceil(threshold), dtype=np.int64)
    else:
        need = np.maximum(1, np.ceil(threshold * deg)).astype(np.int64)
    rng = np.random.default_rng(seed)
    limit = max_rounds if max_rounds is not None else n + 1
    adopted_count = np.zeros(n, dtype=np.int64)
    round_sum = np.zeros(n, dtype=np.float64)
    carried = np.zeros(m, dtype=np.int64)
    seed_idx = np.array(sorted(set(seeds)), dtype=np.int64)
    total_rounds = 0
    runs = max(1, runs)
    for _ in range(runs):
        adopted = np.zeros(n, dtype=bool)
        adopted[seed_idx] = True
        when = np.zeros(n, dtype=np.float64)
        rounds = 0
        for r in range(1, limit + 1):
            active = adopted[src]
            if noise > 0:
                active &= rng.random(len(src)) >= noise
            counts = np.bincount(dst[active], minlength=n)
            new = (~adopted) & (counts >= need)
            if not new.any():
                break
            rounds = r
            carrying = active & new[dst]
            np.add.at(carried, eid[carrying], 1)
            adopted |= new
            when[new] = r
        total_rounds += rounds
        adopted_count += adopted
        round_sum += when * adopted
    share = adopted_count / runs
    mean_round: list[float | None] = [
        (float(round_sum[v] / adopted_count[v]) if adopted_count[v] else None) for v in range(n)
    ]
    return ContagionRun(
        adopted=[float(x) for x in share],
        mean_round=mean_round,
        carried=[float(c) / runs for c in carried],
        adopted_share=float(share.mean()) if n else 0.0,
        runs=runs,
        rounds=total_rounds / runs,
        seeds=[int(s) for s in seed_idx],
    )


def known_members(network: Network, view: GraphView) -> list[str]:
    """People in the view that the evidence states are members of a group, lead one,
    or took part in an event (the default seeds)."""
    out = set()
    for t in network.ties:
        if t.type in MEMBER_TYPES and not t.inferred and t.source in view.index:
            if network.nodes[t.source].schema == "Person":
                out.add(t.source)
    return sorted(out)


@dataclass
class ContagionReport:
    """Exposure per person and the ties that carried the spread, with names and ids."""

    threshold: float
    noise: float
    runs: int
    seeds: list[dict[str, str]]
    adopted_share: float
    rounds: float
    exposure: list[dict[str, Any]]
    carrying_ties: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": "Centola-Macy threshold (complex contagion)",
            "inferred": True,
            "threshold": self.threshold,
            "noise": self.noise,
            "runs": self.runs,
            "seeds": self.seeds,
            "adopted_share": round(self.adopted_share, 4),
            "mean_rounds": round(self.rounds, 2),
            "exposure": self.exposure,
            "carrying_ties": self.carrying_ties,
        }


def contagion_report(
    view: GraphView,
    seeds: Sequence[str],
    *,
    threshold: float = 2,
    runs: int = 100,
    noise: float = 0.0,
    seed: int = 0,
    membership: Sequence[int] | None = None,
    top: int = 20,
) -> ContagionReport:
    """The threshold model on a view, reported with names, tie ids and cells.

    ``membership`` (cells per vertex) marks which carrying ties join two cells.
    """
    idx = [view.index[s] for s in seeds if s in view.index]
    result = simulate_contagion(
        view.graph, idx, threshold=threshold, runs=runs, noise=noise, seed=seed
    )
    seed_set = set(result.seeds)
    exposure: list[dict[str, Any]] = []
    for v in range(view.graph.vcount()):
        if v in seed_set or result.adopted[v] <= 0:
            continue
        when = result.mean_round[v]
        exposure.append(
            {
                "id": view.ids[v],
                "name": view.names[v],
                "probability": round(result.adopted[v], 4),
                "mean_round": None if when is None else round(when, 2),
            }
        )
    exposure.sort(key=lambda x: (-float(x["probability"]), float(x["mean_round"] or 0), x["name"]))
    carrying = []
    for e, share in enumerate(result.carried):
        if share <= 0:
            continue
        a, b = view.graph.es[e].tuple
        ties: list[NetworkTie] = view.edge_ties[e]
        carrying.append(
            {
                "source": view.ids[a],
                "target": view.ids[b],
                "source_name": view.names[a],
                "target_name": view.names[b],
                "share_of_runs": round(share, 4),
                "types": sorted({t.type for t in ties}),
                "ties": [t.id for t in ties],
                "between_cells": bool(membership is not None and membership[a] != membership[b]),
            }
        )
    carrying.sort(key=lambda x: (-x["share_of_runs"], x["source_name"], x["target_name"]))
    return ContagionReport(
        threshold=threshold,
        noise=noise,
        runs=result.runs,
        seeds=[{"id": view.ids[v], "name": view.names[v]} for v in result.seeds],
        adopted_share=result.adopted_share,
        rounds=result.rounds,
        exposure=exposure[: max(top, 0)] if top else exposure,
        carrying_ties=carrying[: max(top, 0)] if top else carrying,
    )


def contagion_exposure(
    network: Network,
    view: GraphView,
    seeds: Sequence[str] | None = None,
    *,
    threshold: float = 2,
    runs: int = 100,
    noise: float = 0.0,
    seed: int = 0,
    top: int = 20,
) -> ContagionReport:
    """The contagion question as ``threadline contagion`` and ``/api/contagion`` both
    ask it: ``seeds`` (entity ids; default: the known members, :func:`known_members`)
    have adopted; the view's cells (Leiden) say which carrying ties join two cells.

    Raises :class:`~threadline.errors.InvalidValueError` when there is nobody to
    start from.
    """
    start = list(seeds) if seeds else known_members(network, view)
    if not start:
        raise InvalidValueError(
            "seeds",
            "no known members to start from (no member_of, leader_of or participated_in "
            "ties): name them with --seed-person (seed= in the API)",
        )
    return contagion_report(
        view,
        start,
        threshold=threshold,
        runs=runs,
        noise=noise,
        seed=seed,
        membership=leiden_membership(view.graph),
        top=top,
    )
