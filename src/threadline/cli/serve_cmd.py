"""`threadline serve`: the REST API and the web workbench on this machine."""

from __future__ import annotations

from typing import Annotated

import typer

from threadline.cli.app import DEFAULT_WS, WorkspaceOpt, _errors, app, err


@app.command()
def serve(
    workspace: WorkspaceOpt = DEFAULT_WS,
    port: Annotated[
        int, typer.Option("--port", "-p", help="Port to listen on.", min=1, max=65535)
    ] = 8765,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on; 127.0.0.1 keeps it on this machine.",
        ),
    ] = "127.0.0.1",
    require_login: Annotated[
        bool,
        typer.Option(
            "--require-login",
            help="Access control even without users (it is on anyway once users exist).",
        ),
    ] = False,
) -> None:
    """Start the web workbench and the REST API (OpenAPI docs at /api/docs).

    The workspace is read into memory and held open while the server runs (stop
    it with Ctrl-C before running other commands on the same workspace).
    """
    import uvicorn

    from threadline.api import create_app
    from threadline.web import vendor_built

    with _errors():
        application = create_app(workspace, require_login=require_login)
    if not vendor_built():
        err.print(
            "warning: the graph library is not built into this installation; "
            "run 'make install' (npm run build in frontend/) for the graph view",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(
            f"warning: listening on {host}: other machines can reach this workspace",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    shown = f"[{host}]" if ":" in host else host
    err.print(
        f"threadline workbench on http://{shown}:{port}/ (API docs at /api/docs); Ctrl-C stops",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    uvicorn.run(application, host=host, port=port, log_level="warning")
