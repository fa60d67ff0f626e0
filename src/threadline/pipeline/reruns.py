"""What runs again after a change: the one place that decides it.

A stage (ingest, extract, resolve, analyze) is a function from data to data: it
reads the workspace and writes its own results. After a change, the stages
downstream of it run again, here, in the caller's transaction, so the workspace
never shows a change without its consequences.

====================  ===============================
change                runs again
====================  ===============================
``documents``         extract, resolve, analyze
``record_file``       resolve, analyze
``phone_assignment``  resolve, analyze
``judgement``         resolve, analyze
``correction``        resolve, analyze
``retraction``        resolve, analyze
``edge_list``         resolve, analyze
====================  ===============================

A record file's call ties are rebuilt by its ingest (they are what it reads). A
classification or sharing change rebuilds nothing here: each agency's view is
derived again from the workspace when next read (``threadline.security.visibility``).
A judgement or a correction re-runs through :mod:`threadline.pipeline.judgements`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from threadline.analyze.stage import analyze_workspace
from threadline.extract.stage import extract_workspace
from threadline.resolve.stage import resolve_workspace
from threadline.store import Workspace

Change = Literal[
    "documents",
    "record_file",
    "phone_assignment",
    "judgement",
    "correction",
    "retraction",
    "edge_list",
]

#: The stages that run again after each kind of change, in order.
AFTER: dict[str, tuple[str, ...]] = {
    "documents": ("extract", "resolve", "analyze"),
    "record_file": ("resolve", "analyze"),
    "phone_assignment": ("resolve", "analyze"),
    "judgement": ("resolve", "analyze"),
    "correction": ("resolve", "analyze"),
    "retraction": ("resolve", "analyze"),
    "edge_list": ("resolve", "analyze"),
}


def rerun(ws: Workspace, change: Change) -> dict[str, dict[str, int]]:
    """Run the stages downstream of ``change`` on ``ws`` in one transaction (joining
    the caller's); return each stage's counts by stage name."""
    counts: dict[str, dict[str, int]] = {}
    with ws.transaction():
        for stage in AFTER[change]:
            if stage == "extract":
                counts[stage] = extract_workspace(ws)
            elif stage == "resolve":
                counts[stage] = resolve_workspace(ws)
            else:
                counts[stage] = analyze_workspace(ws)
    return counts


def resolving_after(change: Change) -> Callable[[Workspace], dict[str, int]]:
    """What a stage runs at the end of its transaction when asked to: the re-run after
    ``change``, answering the resolve stage's counts."""

    def then(ws: Workspace) -> dict[str, int]:
        return rerun(ws, change)["resolve"]

    return then
