"""``threadline dossier ENTITY -o FILE``: one self-contained HTML page for one person or group."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from threadline.cli.base import DEFAULT_WS, WorkspaceOpt, _errors, _open, app, console
from threadline.errors import ExportError


@app.command()
def dossier(
    entity: Annotated[str, typer.Argument(help="Name, alias or id of a person or group.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="HTML file to write (default: dossier-<id>.html)."),
    ] = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Write one person's or group's dossier: names, aliases, role, ties with their
    quotes and documents, timeline and sources, as one self-contained HTML page."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.export.dossier import render_dossier
    from threadline.export.formats import _atomic_write
    from threadline.export.json_export import build_export
    from threadline.resolve.judgement_plan import find_entity

    with _errors(), _open(workspace) as ws:
        found = find_entity(ws.entities(), entity)
        page = render_dossier(build_export(ws, include_text=False), found.id)
        target = output or Path(f"dossier-{found.id}.html")
        if target.is_dir():
            raise ExportError(f"cannot write the dossier to '{target}': it is a folder")
        try:
            _atomic_write(target, page)
        except OSError as exc:
            raise ExportError(f"cannot write the dossier to '{target}': {exc}") from exc
    console.print(f"dossier of {found.name} written: {target}", markup=False, highlight=False)
