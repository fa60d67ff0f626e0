"""Network analysis: cells, key players, surveillance triage, contagion exposure."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from threadline.analyze import defaults
from threadline.api import analysis
from threadline.api.deps import PagingDep, SnapshotDep, WorkbenchDep
from threadline.api.models import Cell, Contagion, KeyPlayers, Page, Triage
from threadline.api.shapes import entity_ref
from threadline.api.snapshot import NODE_MEASURES

router = APIRouter(tags=["analysis"])

#: Members listed per cell in the list of cells.
CELL_MEMBERS = 20
Strength = Annotated[
    float, Query(ge=0.0, le=1.0, description="Leave out ties whose evidence is weaker.")
]
Mode = Annotated[
    str, Query(pattern="^(neg|pos)$", description="neg: disrupt most; pos: reach most.")
]
Steps = Annotated[int, Query(ge=1, le=10, description="pos: reach within this many steps.")]


def _cell(snap: Any, c: dict[str, Any], members: int) -> dict[str, Any]:
    return {
        **{k: c[k] for k in ("id", "size", "internal_ties", "bridges", "density")},
        "members": [entity_ref(snap, i) for i in c["members"][:members]],
    }


@router.get("/cells", response_model=Page[Cell], summary="Cells (communities), largest first")
def list_cells(
    wb: WorkbenchDep,
    page: PagingDep,
    members: Annotated[int, Query(ge=0, le=500, description="Members listed per cell.")] = (
        CELL_MEMBERS
    ),
) -> dict[str, Any]:
    """Cells found by Leiden when the workspace was analysed (``threadline analyze``),
    with their most central members, ties inside, ties to other cells and density."""
    found = _cells(wb)
    chosen = found[page.offset : page.offset + page.limit]
    return page.page([_cell(wb.snapshot, c, members) for c in chosen], len(found))


def _cells(wb: Any) -> list[dict[str, Any]]:
    key = ("cells", wb.snapshot.token)
    if key not in wb.cache:
        wb.cache[key] = analysis.cells(wb.snapshot)
    return list(wb.cache[key])


@router.get(
    "/cells/{cell_id}",
    response_model=Cell,
    summary="One cell and its members",
    responses={404: {"description": "No cell with this number."}},
)
def get_cell(
    wb: WorkbenchDep,
    cell_id: int,
    members: Annotated[int, Query(ge=1, description="Capped at 500.")] = 500,
) -> dict[str, Any]:
    for c in _cells(wb):
        if c["id"] == cell_id:
            return _cell(wb.snapshot, c, min(members, 500))
    raise HTTPException(
        404, f"cell {cell_id} does not exist; list cells with /api/cells (run 'threadline analyze')"
    )


@router.get("/key-players", response_model=KeyPlayers, summary="Key players (Borgatti KPP)")
def key_players(
    wb: WorkbenchDep,
    k: Annotated[int, Query(ge=1, le=50, description="Size of the set.")] = defaults.KEY_PLAYERS,
    mode: Mode = "neg",
    min_strength: Strength = 0.0,
    measure: Annotated[
        str | None,
        Query(
            pattern="^(fragmentation|distance|reach)$",
            description="neg: fragmentation | distance; pos: reach | distance.",
        ),
    ] = None,
    steps: Steps = 1,
) -> dict[str, Any]:
    """The set of ``k`` people and groups whose removal fragments the network most
    (``neg``) or who reach most of it (``pos``), from documented ties only: the answer
    of ``threadline keyplayers`` (``threadline.usecases.analysis.key_players``)."""
    result = analysis.key_players(
        wb, k=k, mode=mode, min_strength=min_strength, measure=measure, steps=steps
    )
    snap = wb.snapshot
    items = [
        {
            "entity": entity_ref(snap, i),
            "measures": {
                m: float(snap.metrics[i][m]) for m in NODE_MEASURES if m in snap.metrics[i]
            },
        }
        for i in result["members"]
    ]
    check = result.get("check")
    if check and check.get("verdict") == "cannot_tell":
        items = []  # no set is named when the data cannot separate the options
    return {"method": result["method"], "score": result["score"], "items": items, "check": check}


@router.get("/triage", response_model=Triage, summary="Whom to watch with the officers there are")
def triage(
    wb: WorkbenchDep,
    officers: Annotated[int, Query(ge=0, le=100_000, description="Officers available.")] = 100,
    per_target: Annotated[
        int, Query(ge=1, le=1000, description="Officers one full-time target takes.")
    ] = defaults.OFFICERS_PER_TARGET,
    mode: Mode = "neg",
    min_strength: Strength = defaults.TRIAGE_MIN_STRENGTH,
    steps: Steps = 1,
) -> dict[str, Any]:
    """``officers // per_target`` full-time targets (and part-time cover with the
    rest), chosen as the key-player set of that size: the answer of ``threadline
    triage``, with its defaults (ties with evidence weaker than 0.5 left out). Only
    ties and their evidence are inputs; nationality, religion or any personal
    attribute never is."""
    plan = analysis.triage(
        wb,
        officers=officers,
        per_target=per_target,
        mode=mode,
        min_strength=min_strength,
        steps=steps,
    )
    snap = wb.snapshot

    def target(t: dict[str, Any] | None) -> dict[str, Any] | None:
        if t is None:
            return None
        return {**t, "entity": entity_ref(snap, t["entity"])}

    return {
        "officers": officers,
        "per_target": per_target,
        "method": plan["method"],
        "targets": [target(t) for t in plan["targets"]],
        "partial": target(plan["partial"]),
        "score": plan["score"],
        "score_top_betweenness": plan["score_top_betweenness"],
        "uncovered": plan["uncovered"],
    }


@router.get("/contagion", response_model=Contagion, summary="Complex-contagion exposure (inferred)")
def contagion(
    wb: WorkbenchDep,
    snap: SnapshotDep,
    seed: Annotated[
        list[str] | None,
        Query(description="Entities known to have adopted (repeat); default: known members."),
    ] = None,
    threshold: Annotated[float, Query(gt=0, le=50)] = defaults.CONTAGION_THRESHOLD,
    runs: Annotated[int, Query(ge=1, le=1000)] = defaults.CONTAGION_RUNS,
    noise: Annotated[float, Query(ge=0, le=1)] = defaults.CONTAGION_NOISE,
    limit: Annotated[int, Query(ge=1, description="Capped at 200.")] = 20,
) -> dict[str, Any]:
    """Who is exposed through ties when a person adopts once ``threshold`` contacts
    have (Centola & Macy), and which ties carried it. A model of exposure, not a
    prediction of behaviour: the result is labelled ``inferred``."""
    for s in seed or []:
        if s not in snap.index:
            raise HTTPException(404, f"seed entity '{s}' does not exist; find ids with /api/search")
    return analysis.contagion(
        wb, seeds=seed, threshold=threshold, runs=runs, noise=noise, top=min(limit, 200)
    )
