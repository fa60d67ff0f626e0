"""``threadline watchlist``: import sanctions and wanted lists, list them, screen against them.

A sub-app registered on the main ``threadline`` app (see cli/app.py): a thin
layer over :mod:`threadline.ingest.watchlists` (reading and storing lists) and
:mod:`threadline.resolve.watchlist` (screening).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from threadline.cli.base import (
    DEFAULT_WS,
    EXIT_SKIPPED,
    JsonOpt,
    WorkspaceOpt,
    _emit,
    _errors,
    _open,
    app,
    console,
    err,
)
from threadline.cli.help import Group as HelpGroup

watchlist_app = typer.Typer(
    cls=HelpGroup,
    name="watchlist",
    help="Import watchlists (UN Security Council list, CSV lists) and screen people and "
    "organisations against them.",
    no_args_is_help=True,
)
app.add_typer(watchlist_app, name="watchlist")


@watchlist_app.command(name="import")
def import_(
    file: Annotated[Path, typer.Argument(help="List file: UN consolidated list XML or CSV.")],
    name: Annotated[
        str | None,
        typer.Option("--name", help="Name to store the list under (replaces a list so named)."),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="un-xml | csv (default: from the file name)."),
    ] = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Store a list; a row that cannot be read is named with its row and left out (exit 3)."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.ingest.watchlists import import_watchlist

    with _errors(), _open(workspace, create=True) as ws:
        wl = import_watchlist(ws, file, name=name, fmt=fmt)
    for problem in wl.problems:
        err.print(f"skipped {problem}", highlight=False, markup=False, soft_wrap=True)
    persons = sum(1 for e in wl.entries if e.schema == "Person")
    if as_json:
        _emit(
            {
                "list": wl.name,
                "format": wl.format,
                "entries": len(wl.entries),
                "persons": persons,
                "organizations": len(wl.entries) - persons,
                "names": sum(len(e.names) for e in wl.entries),
                "skipped": wl.problems,
            }
        )
    else:
        console.print(
            f"imported '{wl.name}': {persons} persons, {len(wl.entries) - persons} "
            f"organisations, {sum(len(e.names) for e in wl.entries)} names; "
            f"{len(wl.problems)} row(s) skipped; run 'threadline watchlist screen'",
            markup=False,
            highlight=False,
        )
    if wl.problems:
        raise typer.Exit(EXIT_SKIPPED)


@watchlist_app.command(name="list")
def list_(workspace: WorkspaceOpt = DEFAULT_WS, as_json: JsonOpt = False) -> None:
    """Show the stored lists: entries, hits, source file and when imported."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.store.watchlists import watchlists

    with _errors(), _open(workspace) as ws:
        rows = watchlists(ws)
    if as_json:
        _emit(rows)
        return
    table = Table()
    for col in ("list", "format", "persons", "organisations", "hits", "imported", "source"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            Text(r["name"]),
            r["format"],
            str(r["persons"]),
            str(r["organizations"]),
            str(r["hits"]),
            str(r["imported_at"] or ""),
            Text(r["source"]),
        )
    console.print(table)


@watchlist_app.command()
def screen(workspace: WorkspaceOpt = DEFAULT_WS, as_json: JsonOpt = False) -> None:
    """Screen every resolved person and organisation against the stored lists; show hits."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.resolve.watchlist import screen_workspace
    from threadline.store.watchlists import has_watchlists, watchlist_hits

    with _errors(), _open(workspace) as ws:
        if not has_watchlists(ws):
            err.print("no watchlist loaded: run 'threadline watchlist import FILE' first")
        screen_workspace(ws)
        names = {e.id: e.name for e in ws.entities()}
        hits = watchlist_hits(ws)
    rows = [
        {"entity": h.entity, "entity_name": names.get(h.entity, ""), **h.to_dict()} for h in hits
    ]
    if as_json:
        _emit(rows)
        return
    table = Table(title=f"{len(rows)} watchlist hit(s)")
    for col in ("entity", "list entry", "matched name", "score", "why"):
        table.add_column(col)
    for r in rows:  # names come from documents and lists: plain Text, never markup
        table.add_row(
            Text(f"{r['entity_name']} ({r['entity']})"),
            Text(f"{r['entry_id']} {r['entry_name']} ({r['list']})"),
            Text(r["matched_name"]),
            f"{r['score']:.2f}",
            Text(r["why"]),
        )
    console.print(table)
