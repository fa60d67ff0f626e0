"""Analysis commands: path, cells, keyplayers, contagion, triage, suggest, import-graph.

Each reads the workspace's network, selects a view (tie types, date, evidence
strength, inferred ties on or off), calls one library function in
:mod:`threadline.analyze`, and prints a table or, with ``--json``, JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from threadline.analyze import defaults
from threadline.cli.base import (
    DEFAULT_WS,
    JsonOpt,
    WorkspaceOpt,
    _emit,
    _errors,
    _open,
    app,
    console,
)
from threadline.errors import ThreadlineError

AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Only ties known by this date (documents published on or before it)."
    ),
]
TypeOpt = Annotated[
    list[str] | None,
    typer.Option("--type", help="Keep only this tie type (repeat for several)."),
]
InferredOpt = Annotated[
    bool,
    typer.Option("--inferred/--no-inferred", help="Include inferred ties (labelled as such)."),
]
VolumeOpt = Annotated[
    bool,
    typer.Option(
        "--volume/--no-volume",
        help="Weigh ties by how much they were used (calls, crossings, days together), "
        "where records say so.",
    ),
]
EveryoneOpt = Annotated[
    bool,
    typer.Option(
        "--everyone",
        help="Also officials, journalists, experts, victims, state bodies and media (by "
        "default the network's actors and groups only).",
    ),
]
MinStrengthOpt = Annotated[
    float,
    typer.Option("--min-strength", min=0.0, max=1.0, help="Leave out ties with weaker evidence."),
]


def _view_options(
    as_of: str | None,
    types: list[str] | None,
    inferred: bool,
    min_strength: float,
    *,
    directed: bool = False,
    by_volume: bool = True,
    everyone: bool = False,
) -> Any:
    # lazy: loaded when the command runs, so every command starts fast (the analysis
    # modules and NumPy are not loaded by `threadline --help` or `records import`)
    from threadline.analyze.network import ViewOptions
    from threadline.ingest.metadata import parse_date
    from threadline.model import TIE_TYPES

    date = None
    if as_of is not None:
        date = parse_date(as_of)
        if date is None:
            raise typer.BadParameter(f"'{as_of}' is not a date (YYYY-MM-DD)", param_hint="--as-of")
    kinds = None
    if types:
        unknown = sorted(set(types) - set(TIE_TYPES))
        if unknown:
            raise typer.BadParameter(
                f"unknown tie type {', '.join(unknown)}: choose from {', '.join(TIE_TYPES)}",
                param_hint="--type",
            )
        kinds = frozenset(types)
    return ViewOptions(
        types=kinds,
        include_inferred=inferred,
        min_strength=min_strength,
        as_of=date,
        directed=directed,
        by_volume=by_volume,
        everyone=everyone,
    )


def _print_check(check: dict[str, Any]) -> bool:
    """Print an answer's check (docs/analysis.md); ``False`` when the data cannot
    separate the options, so the caller prints no ranking (``--json`` keeps the numbers)."""
    if check["verdict"] != "clear":
        console.print(
            Text("The data cannot separate the options: no set is printed.", style="bold yellow")
        )
        for reason in check["reasons"]:
            console.print(Text(f"  - {reason}"), highlight=False)
        console.print(
            Text(
                "  State more ties (more sources, records), narrow the view (--type), or "
                "see the scores with --json."
            ),
            highlight=False,
        )
        return False
    for note in check["notes"]:
        console.print(Text(f"note: {note}"), highlight=False)
    return True


def _load(workspace: str) -> Any:
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.analyze.stage import load_network

    with _open(workspace) as ws:
        network = load_network(ws)
    if not network.nodes:
        raise ThreadlineError(
            f"workspace '{workspace}' has no entities yet: run 'threadline run' or "
            "'threadline import-graph' first"
        )
    return network


@app.command()
def path(
    a: Annotated[str, typer.Argument(help="From: an entity id or name.")],
    b: Annotated[str, typer.Argument(help="To: an entity id or name.")],
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="How many paths.")] = 3,
    by: Annotated[
        str, typer.Option("--by", help="hops | evidence (weak evidence costs more).")
    ] = "hops",
    directed: Annotated[
        bool, typer.Option("--directed", help="Follow directed ties (member_of...) one way.")
    ] = False,
    as_of: AsOfOpt = None,
    types: TypeOpt = None,
    inferred: InferredOpt = defaults.INCLUDE_INFERRED,
    min_strength: MinStrengthOpt = 0.0,
    everyone: EveryoneOpt = False,
    volume: VolumeOpt = True,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """How A is connected to B: the k shortest paths, each hop with its evidence quotes."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.analyze.network import network_view
    from threadline.analyze.paths import PATH_ORDERS, find_entity, k_shortest_paths

    if by not in PATH_ORDERS:
        raise typer.BadParameter(f"'{by}': choose hops or evidence", param_hint="--by")
    opts = _view_options(
        as_of, types, inferred, min_strength, directed=directed, by_volume=volume, everyone=everyone
    )
    with _errors():
        network = _load(workspace)
        source = find_entity(network, a, schemata=opts.schemata)
        target = find_entity(network, b, schemata=opts.schemata)
        view = network_view(network, opts)
        paths = k_shortest_paths(view, source, target, k=k, order=by)
    if as_json:
        _emit({"from": source, "to": target, "by": by, "paths": [p.to_dict() for p in paths]})
        return
    if not paths:
        console.print("no path between them in this view of the network", highlight=False)
        return
    for i, p in enumerate(paths, 1):
        console.print(
            Text(
                f"path {i}: {len(p.hops)} hop(s), cost {p.cost:.2f}, "
                f"weakest evidence {p.weakest:.2f}: " + " - ".join(p.names),
                style="bold",
            )
        )
        for h in p.hops:
            for t in h.ties:
                flag = " (inferred)" if t.get("inferred") else ""
                console.print(
                    Text(f"  {h.source_name} -{t['type']}- {h.target_name}{flag}"), highlight=False
                )
                for ev in t["evidence"][:3]:
                    where = ev.get("title") or ev.get("source") or ev["document"]
                    row = f", row {ev['row']}" if ev.get("row") is not None else ""
                    console.print(Text(f'      "{ev["quote"]}" — {where}{row}'), highlight=False)


@app.command()
def cells(
    resolution: Annotated[
        float, typer.Option(help="Leiden resolution (higher: smaller cells).")
    ] = 1.0,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same cells).")] = 42,
    min_size: Annotated[int, typer.Option("--min-size", min=1, help="Hide smaller cells.")] = 2,
    as_of: AsOfOpt = None,
    types: TypeOpt = None,
    inferred: InferredOpt = defaults.INCLUDE_INFERRED,
    min_strength: MinStrengthOpt = 0.0,
    everyone: EveryoneOpt = False,
    volume: VolumeOpt = True,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Cells (Leiden communities): members, ties inside, and bridges to other cells."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.analyze.cells import leiden_membership, summarise_cells
    from threadline.analyze.network import network_view

    opts = _view_options(as_of, types, inferred, min_strength, by_volume=volume, everyone=everyone)
    with _errors():
        view = network_view(_load(workspace), opts)
        membership = leiden_membership(view.graph, resolution=resolution, seed=seed)
        found = summarise_cells(view, membership, min_size=min_size)
    if as_json:
        _emit({"resolution": resolution, "seed": seed, "cells": [c.to_dict() for c in found]})
        return
    table = Table(title=f"Cells (Leiden, resolution {resolution}, seed {seed})")
    for col in ("cell", "size", "ties inside", "bridges", "members (most central first)"):
        table.add_column(col)
    for c in found:
        shown = ", ".join(c.names[:8]) + (f" +{len(c.names) - 8}" if len(c.names) > 8 else "")
        table.add_row(
            str(c.id), str(len(c.members)), str(c.internal_ties), str(len(c.bridges)), Text(shown)
        )
    console.print(table)


@app.command()
def keyplayers(
    k: Annotated[int, typer.Option("--k", min=1, help="Size of the set.")] = defaults.KEY_PLAYERS,
    mode: Annotated[
        str,
        typer.Option("--mode", help="neg: whose removal fragments most; pos: who reaches most."),
    ] = "neg",
    measure: Annotated[
        str | None,
        typer.Option(
            "--measure",
            help="neg: fragmentation | distance; pos: reach | distance (default: the first).",
        ),
    ] = None,
    steps: Annotated[
        int, typer.Option("--steps", min=1, help="pos/reach: within this many steps.")
    ] = 1,
    as_of: AsOfOpt = None,
    types: TypeOpt = None,
    inferred: InferredOpt = defaults.INCLUDE_INFERRED,
    min_strength: MinStrengthOpt = 0.0,
    everyone: EveryoneOpt = False,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """The key-player set (Borgatti KPP-Neg or KPP-Pos) beside the top-k by centrality."""
    # lazy: the use case loads NumPy (contagion): only when this command runs
    from threadline.analyze.network import network_view
    from threadline.usecases import analysis as usecase

    if mode not in usecase.MODES:
        raise typer.BadParameter(f"'{mode}': choose neg or pos", param_hint="--mode")
    opts = _view_options(as_of, types, inferred, min_strength, everyone=everyone)
    with _errors():
        view = network_view(_load(workspace), opts)
        report = usecase.key_players(view, k=k, mode=mode, measure=measure, steps=steps)
    if as_json:
        _emit(report)
        return
    if not _print_check(report["check"]):
        return
    console.print(
        Text(
            f"KPP-{mode.capitalize()} ({report['measure']}), k = {report['k']}, "
            f"{report['method']}: score {report['score']:.3f}",
            style="bold",
        )
    )
    table = Table()
    for col in ("set", "score", "members"):
        table.add_column(col)
    table.add_row(
        "key-player set",
        f"{report['score']:.3f}",
        Text(", ".join(m["name"] for m in report["members"])),
    )
    for name, base in report["top_k"].items():
        table.add_row(
            f"top {report['k']} by {name}", f"{base['score']:.3f}", Text(", ".join(base["names"]))
        )
    console.print(table)


@app.command()
def contagion(
    threshold: Annotated[
        float,
        typer.Option("--threshold", min=0.0, help="Contacts needed to adopt (below 1: a share)."),
    ] = defaults.CONTAGION_THRESHOLD,
    runs: Annotated[
        int, typer.Option("--runs", min=1, help="Simulation runs.")
    ] = defaults.CONTAGION_RUNS,
    noise: Annotated[
        float,
        typer.Option("--noise", min=0.0, max=0.99, help="Chance a contact's influence fails."),
    ] = defaults.CONTAGION_NOISE,
    seed_person: Annotated[
        list[str] | None,
        typer.Option(
            "--seed-person", help="A person who has adopted (repeat; default: known members)."
        ),
    ] = None,
    random_seed: Annotated[int, typer.Option("--random-seed", help="Random seed of the runs.")] = 0,
    top: Annotated[
        int, typer.Option("--top", min=0, help="Show this many people and ties (0: all).")
    ] = 20,
    as_of: AsOfOpt = None,
    types: TypeOpt = None,
    inferred: InferredOpt = defaults.INCLUDE_INFERRED,
    min_strength: MinStrengthOpt = 0.0,
    everyone: EveryoneOpt = False,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Complex contagion (Centola-Macy threshold): who is exposed, and through which ties."""
    # lazy: the use case loads NumPy (contagion): only when this command runs
    from threadline.analyze.network import network_view
    from threadline.analyze.paths import find_entity
    from threadline.usecases import analysis as usecase

    if threshold <= 0:
        raise typer.BadParameter("must be above 0", param_hint="--threshold")
    opts = _view_options(as_of, types, inferred, min_strength, everyone=everyone)
    with _errors():
        network = _load(workspace)
        view = network_view(network, opts)
        seeds = [find_entity(network, s, schemata=opts.schemata) for s in seed_person or []]
        report = usecase.contagion(
            network,
            view,
            seeds,
            threshold=threshold,
            runs=runs,
            noise=noise,
            seed=random_seed,
            top=top,
        )
    if as_json:
        _emit(report)
        return
    console.print(
        Text(
            f"Complex contagion (inferred exposure, not evidence): threshold {threshold}, "
            f"noise {noise}, {report['runs']} runs, {len(report['seeds'])} seeds; "
            f"{report['adopted_share']:.0%} of the network adopted on average",
            style="bold",
        )
    )
    table = Table(title="Exposure (share of runs in which the person adopted)")
    for col in ("person", "probability", "mean round"):
        table.add_column(col)
    for x in report["exposure"]:
        table.add_row(Text(x["name"]), f"{x['probability']:.2f}", f"{x['mean_round'] or 0:.1f}")
    console.print(table)
    ties = Table(title="Ties that carried the spread")
    for col in ("tie", "types", "share of runs", "between cells"):
        ties.add_column(col)
    for t in report["carrying_ties"]:
        ties.add_row(
            Text(f"{t['source_name']} - {t['target_name']}"),
            ", ".join(t["types"]),
            f"{t['share_of_runs']:.2f}",
            "yes" if t["between_cells"] else "",
        )
    console.print(ties)


@app.command()
def triage(
    officers: Annotated[int, typer.Option("--officers", min=0, help="Officers available.")],
    per_target: Annotated[
        int, typer.Option("--per-target", min=1, help="Officers per full-time target.")
    ] = defaults.OFFICERS_PER_TARGET,
    mode: Annotated[
        str, typer.Option("--mode", help="neg: maximise disruption; pos: maximise coverage.")
    ] = "neg",
    steps: Annotated[
        int, typer.Option("--steps", min=1, help="pos: coverage within this many steps.")
    ] = 1,
    as_of: AsOfOpt = None,
    types: TypeOpt = None,
    inferred: InferredOpt = defaults.INCLUDE_INFERRED,
    min_strength: MinStrengthOpt = defaults.TRIAGE_MIN_STRENGTH,
    everyone: EveryoneOpt = False,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Whom to watch first with the officers there are (network evidence only)."""
    # lazy: the use case loads NumPy (contagion): only when this command runs
    from threadline.analyze.network import network_view
    from threadline.usecases import analysis as usecase

    if mode not in usecase.MODES:
        raise typer.BadParameter(f"'{mode}': choose neg or pos", param_hint="--mode")
    opts = _view_options(as_of, types, inferred, min_strength, everyone=everyone)
    with _errors():
        view = network_view(_load(workspace), opts)
        plan = usecase.triage(
            view, officers=officers, per_target=per_target, mode=mode, steps=steps
        )
    if as_json:
        _emit(plan)
        return
    if plan["check"] and not _print_check(plan["check"]):
        return
    what = "disruption (fragmentation)" if mode == "neg" else f"coverage (reach within {steps})"
    console.print(
        Text(
            f"{officers} officers / {per_target} per target: {len(plan['targets'])} full-time "
            f"target(s), maximising {what}: score {plan['score']:.3f} "
            f"(top {len(plan['targets'])} by betweenness: {plan['score_top_betweenness']:.3f})",
            style="bold",
        )
    )
    table = Table()
    for col in ("target", "officers", "coverage", "contribution", "degree", "betweenness"):
        table.add_column(col)
    for t in plan["targets"] + ([plan["partial"]] if plan["partial"] else []):
        table.add_row(
            Text(t["name"]),
            str(t["officers"]),
            f"{t['coverage']:.0%}",
            f"{t['contribution']:.3f}",
            str(t["degree"]),
            f"{t['betweenness']:.3f}",
        )
    console.print(table)
    u = plan["uncovered"]
    console.print(
        Text(
            f"left uncovered: {u['people']} people, {u['ties']} ties in {u['components']} "
            f"component(s), the largest of {u['largest_component']}; ties left out for "
            f"weak evidence (< {min_strength}): {plan['ties_left_out'].get('weak_evidence', 0)}"
        ),
        highlight=False,
    )


@app.command()
def suggest(
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many suggestions.")] = 20,
    as_of: AsOfOpt = None,
    types: TypeOpt = None,
    min_strength: MinStrengthOpt = 0.0,
    everyone: EveryoneOpt = False,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Suggested hidden ties (common contacts, Adamic-Adar, shared events and places)."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.analyze.hidden import suggest_ties

    opts = _view_options(as_of, types, False, min_strength, everyone=everyone)
    with _errors():
        found = suggest_ties(_load(workspace), opts, limit=limit)
    if as_json:
        _emit({"suggestions": [s.to_dict() for s in found]})
        return
    table = Table(title="Suggested ties (inferred: leads to check, not evidence)")
    for col in ("pair", "score", "reason"):
        table.add_column(col)
    for s in found:
        table.add_row(Text(f"{s.source_name} - {s.target_name}"), f"{s.score:.2f}", Text(s.reason))
    console.print(table)


@app.command(name="import-graph")
def import_graph(
    file: Annotated[Path, typer.Argument(help="Edge list (CSV/TSV, one tie per row).")],
    source_column: Annotated[
        str | None, typer.Option("--source-column", help="Column of one end (name or index).")
    ] = None,
    target_column: Annotated[
        str | None, typer.Option("--target-column", help="Column of the other end.")
    ] = None,
    type_column: Annotated[
        str | None, typer.Option("--type-column", help="Column with each tie's label.")
    ] = None,
    tie_type: Annotated[
        str, typer.Option("--tie-type", help="Tie type of the edges (default other).")
    ] = "other",
    schema: Annotated[
        str, typer.Option("--schema", help="Person or Organization: what the nodes are.")
    ] = "Person",
    confidence: Annotated[
        float, typer.Option("--confidence", min=0.0, max=1.0, help="Evidence confidence per row.")
    ] = 0.8,
    delimiter: Annotated[
        str | None, typer.Option("--delimiter", help="Field delimiter (default: sniffed).")
    ] = None,
    header: Annotated[
        bool, typer.Option("--header/--no-header", help="The first row names the columns.")
    ] = True,
    published: Annotated[
        str | None, typer.Option("--published", help="Date of the data (YYYY-MM-DD).")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Title of the source.")] = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Import an edge list built elsewhere (Nov13, Gephi, UCINET) as a graph-only source."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.ingest.edgelist import EdgeListOptions
    from threadline.ingest.metadata import parse_date
    from threadline.model import TIE_TYPES
    from threadline.pipeline import import_graph as run_import

    if tie_type not in TIE_TYPES:
        raise typer.BadParameter(
            f"'{tie_type}': choose from {', '.join(TIE_TYPES)}", param_hint="--tie-type"
        )
    if schema not in ("Person", "Organization"):
        raise typer.BadParameter(f"'{schema}': Person or Organization", param_hint="--schema")
    date = None
    if published is not None:
        date = parse_date(published)
        if date is None:
            raise typer.BadParameter(f"'{published}' is not a date", param_hint="--published")
    options = EdgeListOptions(
        source_column=source_column,
        target_column=target_column,
        type_column=type_column,
        tie_type=tie_type,
        schema=schema,
        confidence=confidence,
        delimiter=delimiter.replace("\\t", "\t") if delimiter else None,
        header=header,
    )
    with _errors(), _open(workspace, create=True) as ws:
        result = run_import(ws, file, options, published=date, title=title)
    if as_json:
        _emit(result)
        return
    console.print(
        f"imported {result['edges']} edge(s) between {result['nodes']} node(s) from "
        f"{file} as document {result['document']}; {len(result['skipped'])} row(s) skipped",
        markup=False,
        highlight=False,
    )
    for s in result["skipped"]:
        console.print(f"  skipped row {s['row']}: {s['reason']}", markup=False, highlight=False)
