"""`threadline grade` and `threadline grades`: how far the analyst trusts each source."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.table import Table

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


@app.command()
def grade(
    target: Annotated[
        str, typer.Argument(help="Document id, hash prefix or path; with --outlet, an outlet name.")
    ],
    source: Annotated[
        str,
        typer.Option("--source", "-s", help="Source reliability: A-F (admiralty) or A-E (5x5x5)."),
    ],
    information: Annotated[
        str, typer.Option("--information", "-i", help="Information credibility: 1-6 or 1-5.")
    ],
    scheme: Annotated[
        str, typer.Option(help="admiralty (NATO, A-F/1-6) or 5x5x5 (UK).")
    ] = "admiralty",
    handling: Annotated[str | None, typer.Option(help="5x5x5 handling code 1-5.")] = None,
    outlet: Annotated[
        bool, typer.Option("--outlet", help="Grade every document of an outlet.")
    ] = False,
    user: Annotated[str | None, typer.Option(help="Who grades (default: the login name).")] = None,
    reason: Annotated[str | None, typer.Option(help="Why, for the record.")] = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Grade a source; the grade weighs every tie and claim it supports."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.model.grading import describe, grade_weight, validate
    from threadline.store.grades import Grade, add_grade

    with _errors(), _open(workspace) as ws:
        source_u = source.upper()
        validate(scheme, source_u, information, handling)
        if outlet:
            kind, ref = "outlet", target
        else:
            kind, ref = "document", ws.document(target).id
        g = add_grade(
            ws,
            Grade(
                "",
                ref,
                kind,
                scheme,
                source_u,
                information,
                handling,
                grade_weight(scheme, source_u, information),
                user or getpass.getuser(),
                reason,
            ),
        )
        text = describe(scheme, source_u, information)
    if as_json:
        _emit(
            {
                "id": g.id,
                "target": ref,
                "target_kind": kind,
                "scheme": scheme,
                "grade": g.code,
                "description": text,
                "weight": g.weight,
            }
        )
    else:
        console.print(f"graded {kind} {ref}: {text} (weight {g.weight})", markup=False)


@app.command()
def grades(workspace: WorkspaceOpt = DEFAULT_WS, as_json: JsonOpt = False) -> None:
    """List the grade in force for every document (ungraded ones say so)."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.model.grading import describe
    from threadline.store.grades import current_grades

    with _errors(), _open(workspace) as ws:
        docs = ws.documents()
        current = current_grades(ws)
    rows = []
    for d in docs:
        g = current.get(d.id)
        rows.append(
            {
                "document": d.id,
                "title": d.title,
                "outlet": d.outlet,
                "grade": g.code if g else None,
                "scheme": g.scheme if g else None,
                "description": describe(g.scheme, g.source_grade, g.information_grade)
                if g
                else "ungraded",
                "weight": g.weight if g else None,
            }
        )
    if as_json:
        _emit(rows)
        return
    table = Table()
    for col in ("document", "title", "grade"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["document"]), str(r["title"] or ""), str(r["description"]))
    console.print(table)
