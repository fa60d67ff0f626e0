"""Adapters between the API and the analysis library (``threadline.analyze``).

The one module of the API that calls the analysis: cells, key players,
surveillance triage, contagion exposure and paths with their evidence. Each
function takes the workbench's data and returns plain dicts the routers put in
their response models. When a network is too large
for an on-demand computation (more than :data:`ON_DEMAND_TIES` ties), the
stored measures of ``threadline analyze`` answer instead and the result says so
(``method``).

Views for the analysis use the analysis' own options (``ViewOptions``): tie
types, inferred ties, minimum evidence strength, ``as_of``; the network is
built once per snapshot and views are cached.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from threadline.analyze.network import GraphView, ViewOptions, network_view
from threadline.analyze.paths import k_shortest_paths
from threadline.analyze.stage import load_network
from threadline.errors import TooLargeError as TooLargeError  # defined in errors.py; re-exported
from threadline.usecases import analysis as usecase

if TYPE_CHECKING:
    from threadline.api.snapshot import Snapshot
    from threadline.api.state import Workbench

#: Above this many ties, key players, triage and contagion use stored measures.
ON_DEMAND_TIES = 200_000
#: Schemata that are actors (the analysis' default view).
ACTORS = frozenset({"Person", "Organization"})

_VIEW_LOCK = threading.Lock()


def analysis_view(
    wb: Workbench,
    *,
    types: frozenset[str] | None = None,
    inferred: bool = False,
    min_strength: float = 0.0,
    as_of: str | None = None,
) -> GraphView:
    """The analysis' graph view of the workbench's network (cached per snapshot)."""
    options = ViewOptions(
        types=types, include_inferred=inferred, min_strength=min_strength, as_of=as_of
    )
    snap = wb.snapshot
    with _VIEW_LOCK:
        cache = wb.cache.setdefault(("views", snap.token), {})
        if options in cache:
            cached: GraphView = cache[options]
            return cached
        network = wb.cache.get(("network", snap.token))
        if network is None:
            with wb.database() as ws:
                network = load_network(ws)
            wb.cache[("network", snap.token)] = network
        view = network_view(network, options)
        cache[options] = view
        if len(cache) > 8:
            cache.pop(next(iter(cache)))
    return view


def on_demand(snap: Snapshot) -> bool:
    return len(snap.ties) <= ON_DEMAND_TIES


def cells(snap: Snapshot) -> list[dict[str, Any]]:
    """Cells as stored by ``threadline analyze`` (Leiden communities), largest first.

    Members are ordered by betweenness then links; ``bridges`` counts ties from
    the cell's members to other cells.
    """
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(snap.entity_ids)):
        c = snap.community(i)
        if c is not None:
            members[c].append(i)
    community = {i: c for c, ms in members.items() for i in ms}
    inside: dict[int, int] = defaultdict(int)
    bridges: dict[int, int] = defaultdict(int)
    src, dst = snap.ties.src.tolist(), snap.ties.dst.tolist()
    for a, b in zip(src, dst, strict=True):
        ca, cb = community.get(a), community.get(b)
        if ca is None or cb is None:
            continue
        if ca == cb:
            inside[ca] += 1
        else:
            bridges[ca] += 1
            bridges[cb] += 1
    out = []
    for c in sorted(members, key=lambda c: (-len(members[c]), c)):
        ms = sorted(
            members[c],
            key=lambda i: (-snap.measure(i, "betweenness"), -int(snap.links[i]), snap.name[i]),
        )
        size = len(ms)
        out.append(
            {
                "id": c,
                "size": size,
                "members": ms,
                "internal_ties": inside[c],
                "bridges": bridges[c],
                "density": round(2 * inside[c] / (size * (size - 1)), 4) if size > 1 else 0.0,
            }
        )
    return out


def key_players(
    wb: Workbench,
    *,
    k: int,
    mode: str,
    min_strength: float,
    measure: str | None = None,
    steps: int = 1,
) -> dict[str, Any]:
    """The ``k`` entities whose removal fragments the network most (``neg``) or who reach
    most of it (``pos``): Borgatti's key-player sets, from the analysis library."""
    snap = wb.snapshot
    if not on_demand(snap):
        return _stored_ranking(snap, k, "betweenness (stored measures; network too large)")
    view = analysis_view(wb, min_strength=min_strength)
    # the same use case as `threadline keyplayers`: one function, one answer, one check
    report = usecase.key_players(view, k=k, mode=mode, measure=measure, steps=steps)
    ids = [m["id"] for m in report["members"]]
    return {
        "method": f"KPP-{'Neg' if mode == 'neg' else 'Pos'} ({report['method']}, {report['measure']})",
        "score": round(float(report["score"]), 4),
        "members": [snap.index[x] for x in ids if x in snap.index],
        "check": report["check"],
    }


def _stored_ranking(snap: Snapshot, k: int, method: str) -> dict[str, Any]:
    actors = [i for i in range(len(snap.entity_ids)) if snap.schema[i] in ACTORS]
    actors.sort(key=lambda i: (-snap.measure(i, "betweenness"), -int(snap.links[i]), i))
    return {"method": method, "score": None, "members": actors[:k]}


def triage(
    wb: Workbench, *, officers: int, per_target: int, mode: str, min_strength: float, steps: int = 1
) -> dict[str, Any]:
    """Whom to watch first with ``officers`` when one target takes ``per_target`` of them.

    Only ties and their evidence are inputs (design principle 4): no personal
    attribute is read here or in the analysis.
    """
    snap = wb.snapshot
    k = officers // per_target if per_target > 0 else 0
    if not on_demand(snap):
        ranked = _stored_ranking(snap, k, "betweenness (stored measures)")
        return {
            "method": ranked["method"],
            "targets": [
                {"entity": i, "officers": per_target, "coverage": 1.0, "contribution": None}
                for i in ranked["members"]
            ],
            "partial": None,
            "score": None,
            "score_top_betweenness": None,
            "uncovered": {},
        }
    view = analysis_view(wb, min_strength=min_strength)
    # the same use case as `threadline triage`: one function, one answer
    plan = usecase.triage(view, officers=officers, per_target=per_target, mode=mode, steps=steps)

    def target(t: dict[str, Any]) -> dict[str, Any]:
        return {
            "entity": snap.index[t["id"]],
            "officers": t["officers"],
            "coverage": t["coverage"],
            "contribution": t["contribution"],
        }

    return {
        "method": f"KPP-{'Neg' if mode == 'neg' else 'Pos'}: {plan['measure']}",
        "targets": [target(t) for t in plan["targets"] if t["id"] in snap.index],
        "partial": target(plan["partial"])
        if plan.get("partial") and plan["partial"]["id"] in snap.index
        else None,
        "score": plan.get("score"),
        "score_top_betweenness": plan.get("score_top_betweenness"),
        "uncovered": plan.get("uncovered") or {},
        "check": plan.get("check"),
    }


def contagion(
    wb: Workbench,
    *,
    seeds: list[str] | None,
    threshold: float,
    runs: int,
    noise: float,
    top: int,
) -> dict[str, Any]:
    """Complex-contagion exposure from ``seeds`` (default: the known members).

    A model of exposure, not a prediction: the result is labelled inferred.
    """
    snap = wb.snapshot
    if not on_demand(snap):
        raise TooLargeError(
            f"contagion runs on networks of at most {ON_DEMAND_TIES:,} ties; this one has "
            f"{len(snap.ties):,}: use 'threadline' analysis commands on a filtered export"
        )
    view = analysis_view(wb)
    # the same use case as `threadline contagion`: one function, one answer
    return usecase.contagion(
        view.network, view, seeds, threshold=threshold, runs=runs, noise=noise, top=top
    )


def paths(
    wb: Workbench,
    source: str,
    target: str,
    *,
    k: int,
    order: str,
    inferred: bool,
    as_of: str | None,
) -> list[dict[str, Any]] | None:
    """Up to ``k`` paths with every hop's ties and quotes (the analysis' Yen paths), or
    None when the network is too large (the caller then
    answers with its own shortest path)."""
    snap = wb.snapshot
    if not on_demand(snap):
        return None
    view = analysis_view(wb, inferred=inferred, as_of=as_of)
    if source not in view.index or target not in view.index:
        return []
    return [p.to_dict() for p in k_shortest_paths(view, source, target, k=k, order=order)]
