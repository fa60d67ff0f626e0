"""`threadline serve`: the REST API and the web workbench on this machine."""

from __future__ import annotations

import errno
import socket
import threading
from typing import Annotated

import typer

from threadline.cli.base import (
    DEFAULT_WS,
    WorkspaceOpt,
    _error_line,
    _errors,
    app,
    collect_as_usual,
    err,
)

#: Exit code of ``serve`` when the address is taken (docs/cli.md, exit codes).
EXIT_PORT_BUSY = 4


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
    collect_as_usual()  # a server runs for days: Python's own collection, not a command's
    # lazy: the web server's libraries load only for `serve`
    import uvicorn

    from threadline.api import create_app
    from threadline.web import vendor_built

    with _errors():
        application = create_app(workspace, require_login=require_login)
    sock = _listen(host, port)  # before anything is printed: a busy port is one line, no banner
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
    # The first correction or judgement re-runs resolve, which reads the word lists
    # (rigour's names: seconds): load them now, beside the first requests.
    # lazy: the name tables load for `serve` only, so every other command starts fast
    from threadline.model import lexicon

    threading.Thread(target=lexicon.warm, name="warm-word-lists", daemon=True).start()
    server = uvicorn.Server(uvicorn.Config(application, log_level="warning"))
    server.run(sockets=[sock])


def _listen(host: str, port: int) -> socket.socket:
    """The server's listening socket, bound here so that a busy port or a bad address
    is reported before the workbench says it is running."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            _error_line(
                f"port {port} on {host} is already in use (another 'threadline serve'?); "
                "stop it or choose another with --port"
            )
            raise typer.Exit(EXIT_PORT_BUSY) from None
        _error_line(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_PORT_BUSY) from None
    sock.set_inheritable(True)
    return sock
