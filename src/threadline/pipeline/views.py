"""A user's view built by the orchestrator: copy what the user may see, then derive.

:func:`threadline.security.visibility.copy_view` decides and copies the visible
evidence and analyst work into the view's own workspace; here the stages run on it,
so everything a view shows is derived from the visible data alone: resolve (or, for
a network the resolver did not build, the filter), then the analysis when the shared
workspace was analysed (degree only above
:data:`~threadline.security.visibility.FULL_MEASURES_TIES` ties).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from threadline.analyze.stage import analyze_workspace
from threadline.resolve.stage import resolve_workspace
from threadline.security.derived import filter_view_work
from threadline.security.visibility import (
    FULL_MEASURES_TIES,
    Scope,
    copy_view,
    degree_only,
    filter_network,
    resolver_built,
)
from threadline.store import Workspace
from threadline.store.views import has_rows, tie_count

__all__ = ["build_view"]


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
