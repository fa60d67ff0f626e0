"""The analysis use cases: key players, surveillance triage, contagion exposure.

Each takes the analysis' graph view (the interface builds it from its own options
and caches it as it likes) and returns the answer as JSON-ready data; the CLI prints
it or emits it with ``--json``, the API shapes it into its response model. Their
defaults are :mod:`threadline.analyze.defaults`, the same for both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from threadline.analyze import defaults
from threadline.analyze.contagion import contagion_exposure
from threadline.analyze.keyplayers import key_player_set
from threadline.analyze.network import GraphView, Network
from threadline.analyze.triage import plan_surveillance

__all__ = ["MODES", "contagion", "key_players", "triage"]

#: neg: whose removal fragments the network most; pos: who reaches most of it.
MODES = ("neg", "pos")


def key_players(
    view: GraphView,
    *,
    k: int = defaults.KEY_PLAYERS,
    mode: str = "neg",
    measure: str | None = None,
    steps: int = 1,
) -> dict[str, Any]:
    """The key-player set (Borgatti KPP-Neg or KPP-Pos) of size ``k`` beside the top-k
    by centrality, with its check (``cannot_tell`` when the data cannot separate the
    options); see :func:`threadline.analyze.keyplayers.key_player_set`. Raises
    :class:`~threadline.errors.InvalidValueError` for a mode or measure it does not know."""
    return key_player_set(view, k, mode=mode, measure=measure, d=steps)


def triage(
    view: GraphView,
    *,
    officers: int,
    per_target: int = defaults.OFFICERS_PER_TARGET,
    mode: str = "neg",
    steps: int = 1,
) -> dict[str, Any]:
    """Whom to watch first with ``officers`` when one full-time target takes
    ``per_target`` of them: the key-player set of that size. Only ties and their
    evidence are inputs (design principle 4); see
    :func:`threadline.analyze.triage.plan_surveillance`."""
    plan = plan_surveillance(view, officers=officers, per_target=per_target, mode=mode, d=steps)
    return plan.to_dict()


def contagion(
    network: Network,
    view: GraphView,
    seeds: Sequence[str] | None = None,
    *,
    threshold: float = defaults.CONTAGION_THRESHOLD,
    runs: int = defaults.CONTAGION_RUNS,
    noise: float = defaults.CONTAGION_NOISE,
    seed: int = 0,
    top: int = 20,
) -> dict[str, Any]:
    """Complex-contagion exposure from ``seeds`` (entity ids; default: the known
    members), a model labelled inferred; see
    :func:`threadline.analyze.contagion.contagion_exposure`."""
    report = contagion_exposure(
        network, view, seeds, threshold=threshold, runs=runs, noise=noise, seed=seed, top=top
    )
    return report.to_dict()
