"""The resolve skip (``threadline.resolve.unchanged``) never applies to a user's view, on
both backends: a view is resolved from the rows its user may see every time it is
built and keeps no fingerprint, so no skip can depend on rows they do not see."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import threadline.resolve.stage as stage
from threadline.pipeline.views import build_view
from threadline.resolve.unchanged import META_KEY, fingerprint, stored_counts
from threadline.security.users import default_agency, get_user
from threadline.security.visibility import scope_of
from threadline.store import open_workspace


def test_a_view_is_resolved_on_every_build_and_keeps_no_fingerprint(
    scenario_ws: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[int] = []
    real = stage.resolve

    def counted(*args: Any, **kw: Any) -> Any:
        runs.append(1)
        return real(*args, **kw)

    with open_workspace(scenario_ws) as ws:
        stage.resolve_workspace(ws)  # the shared workspace: fingerprinted, current
        assert stored_counts(ws) is not None
        monkeypatch.setattr(stage, "resolve", counted)
        agency = default_agency(ws) or ""
        scope = scope_of(ws, get_user(ws, "pol-analyst").principal(), agency)
        for i in range(2):
            build_view(ws, scope, tmp_path / f"view{i}", default_agency=agency)
        assert stored_counts(ws) is not None and runs == [1, 1], "each view build resolved"
    for i in range(2):
        with open_workspace(tmp_path / f"view{i}") as view:
            assert view.meta(META_KEY) is None
            assert view.entities(), "the view holds the resolution of what its user sees"
    # the view's private workspace, as the store opens it: a skip there reads only its rows
    with open_workspace(tmp_path / "view0") as view:
        assert fingerprint(view) is not None and stored_counts(view) is None
