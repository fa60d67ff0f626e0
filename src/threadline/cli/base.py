"""What every command module of the ``threadline`` command shares: the typer ``app``
the commands register on, the consoles, the common options and the error handling.

The command modules (``*_cmd.py``) and :mod:`threadline.cli.app` import this module
and register their commands on :data:`app`; :mod:`threadline.cli.app` imports every
command module, so ``threadline`` (the console script) and ``python -m
threadline.cli.app`` build the same command. Nothing here imports a command module:
the registration has no import cycle.
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from threadline.cli.help import Group as HelpGroup
from threadline.errors import ThreadlineError

if TYPE_CHECKING:
    from rich.progress import Progress

    from threadline.store import Workspace

__all__ = [
    "DEFAULT_WS",
    "EXIT_ERROR",
    "EXIT_SKIPPED",
    "JsonOpt",
    "ProcessesOpt",
    "WorkspaceOpt",
    "app",
    "console",
    "err",
]

app = typer.Typer(
    cls=HelpGroup,
    name="threadline",
    help="From documents about a network to an evidence-backed network an analyst can question.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class _Console(Console):
    """A rich Console that reads the terminal's size (``COLUMNS``, ``LINES``, the tty)
    each time it prints, not once when this module is imported.

    ``Console()`` keeps the ``COLUMNS`` it finds at construction for good, so a process
    that runs many commands, each in its own environment (the test suite's runner,
    a program embedding the commands), printed every table at the width of the first
    environment: a pytest-xdist worker has ``COLUMNS=80``."""

    def __init__(self, *, stderr: bool = False) -> None:
        super().__init__(stderr=stderr)
        self._width = self._height = None  # measured at each print (Console.size)


console = _Console()
err = _Console(stderr=True)

#: Exit codes: 0 ok, 1 error, 2 usage (typer), 3 some input files were skipped.
EXIT_ERROR = 1
EXIT_SKIPPED = 3

WorkspaceOpt = Annotated[
    str,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (created by 'init' or 'run'), or a "
        "postgresql://USER@HOST:PORT/DBNAME URL (server mode).",
        envvar="THREADLINE_WORKSPACE",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
ProcessesOpt = Annotated[
    int,
    typer.Option(
        "--processes",
        "-j",
        min=0,
        help="Worker processes for extraction (0: from the cores and the number of documents).",
    ),
]
DEFAULT_WS = ".threadline"


def _error_line(message: str) -> None:
    """One line on stderr, never wrapped (scripts grep it; paths stay whole)."""
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except ThreadlineError as exc:
        _error_line(str(exc))
        raise typer.Exit(EXIT_ERROR) from None
    except OSError as exc:  # a file the library did not expect to fail: still no traceback
        where = f"'{exc.filename}': " if exc.filename else ""
        _error_line(f"{where}{exc.strerror or exc}")
        raise typer.Exit(EXIT_ERROR) from None
    except KeyboardInterrupt:
        err.print("interrupted: the workspace keeps its last completed stage", soft_wrap=True)
        raise typer.Exit(130) from None


def _open(path: str | Path, *, create: bool = False) -> Workspace:
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.store import open_workspace

    return open_workspace(path, create=create)


def _emit(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def _progress() -> Progress:
    # rich.progress (and rich.live with it) loads for the commands that show a bar only
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


#: Python's own thresholds of the cycle collector, which ``serve`` keeps.
PYTHON_GC_THRESHOLDS = gc.get_threshold()
#: The thresholds of a command's process (see :func:`collect_less`).
COMMAND_GC_THRESHOLDS = (100_000, 50, 100)


def collect_less() -> None:
    """Tune Python's cycle collector for a command's process: the modules loaded so
    far are frozen out of its scans, the young generation is collected every 100,000
    allocations instead of every 700, and the older ones after 50 and 100 collections
    of the one below instead of 10 and 10 (:data:`COMMAND_GC_THRESHOLDS`).

    A command builds tens of thousands of small objects (records, mentions,
    explanations) that live until it ends; with the defaults, each collection
    rescans them and the loaded modules, and ``records link`` on 5,000 records
    spent about a sixth of its CPU time there. Cycles are still collected, less
    often; peak memory was unchanged on Febrl4 and the dev corpus
    (docs/benchmarks.md). ``serve``, which runs for days, goes back to Python's own
    settings (:func:`collect_as_usual`).
    """
    gc.freeze()
    gc.set_threshold(*COMMAND_GC_THRESHOLDS)


def collect_as_usual() -> None:
    """Python's own cycle collection, for a long-running process (``serve``)."""
    gc.unfreeze()
    gc.set_threshold(*PYTHON_GC_THRESHOLDS)
