"""A user's view built by the orchestrator: copy what the user may see, then derive.

:func:`threadline.security.visibility.copy_view` decides and copies the visible
evidence and analyst work into the view's own workspace; here the stages run on it,
so everything a view shows is derived from the visible data alone: resolve (or, for
a network the resolver did not build, the filter), then the analysis when the shared
workspace was analysed (degree only above
:data:`~threadline.security.visibility.FULL_MEASURES_TIES` ties).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from threadline.analyze.stage import analyze_workspace
from threadline.resolve.stage import resolve_workspace
from threadline.security import Principal
from threadline.security.derived import filter_view_work
from threadline.security.visibility import (
    FULL_MEASURES_TIES,
    Scope,
    copy_view,
    degree_only,
    filter_network,
    resolver_built,
    scope_of,
    scratch_root,
    sees_everything,
)
from threadline.store import Workspace, open_workspace
from threadline.store.views import has_rows, tie_count

__all__ = ["build_view", "user_view"]


def build_view(ws: Workspace, scope: Scope, root: Path, *, default_agency: str) -> dict[str, Any]:
    """Write the view of ``scope`` into a new embedded workspace at ``root``.

    Returns counts of what was copied and derived. Reads ``ws`` only.
    """
    view = copy_view(ws, scope, root, default_agency=default_agency)
    try:
        if resolver_built(ws):
            resolve_workspace(view)
        else:
            filter_network(ws, view, scope.documents)
        filter_view_work(view, ws)
        if has_rows(ws, "metrics"):
            if tie_count(view) <= FULL_MEASURES_TIES:
                analyze_workspace(view)
            else:
                degree_only(view)
        counts = view.counts()
    finally:
        view.close()
    return counts


@contextmanager
def user_view(ws: Workspace, who: Principal | None, *, default_agency: str) -> Iterator[Workspace]:
    """The workspace ``who`` sees, for the length of the block: ``ws`` itself when they
    see every source and all analyst work (or nobody is named: a one-analyst workspace),
    else their view built afresh in a temporary folder (removed afterwards), as the API
    builds it. Reads ``ws`` only."""
    if who is None or who.all_seeing:
        yield ws
        return
    scope = scope_of(ws, who, default_agency)
    if sees_everything(ws, scope, default_agency):
        yield ws
        return
    root = scratch_root(None, "cli")
    try:
        build_view(ws, scope, root / "ws", default_agency=default_agency)
        view = open_workspace(root / "ws")
        try:
            yield view
        finally:
            view.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
