"""The server mode shows each user the same thing as the embedded mode.

A user's view is a private embedded workspace built from what they may see of
the shared one (:mod:`threadline.security.visibility`). On PostgreSQL its rows
come through another driver, with other types and another row order; this test
holds that every answer a user gets (results, counts, ordering, measures, cells,
alerts, exports) is the same as on the DuckDB workspace built from the same sources.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.security.conftest import Scenarios
from tests.security.scenario import bearer, client, tokens
from tests.security.test_leaks import ASKED, _stable

MORE = [
    ("/api/meta", {}),
    ("/api/search", {"q": "Nadia Kerrou"}),
    ("/api/search", {"q": "Yassin"}),
    ("/api/graph", {"hops": 2}),
    ("/api/exports/ftm", {}),
    ("/api/exports/graphml", {}),
    ("/api/alerts", {}),
    ("/api/watches", {}),
]


def _answers(location: str, user: str) -> list[Any]:
    token = tokens(location)[user]
    got = []
    with client(location) as c:
        tarik = c.get("/api/search", params={"q": "Tarik Benhadi"}, headers=bearer(token))
        entity = tarik.json()["items"][0]["entity"]["id"]
        c.post("/api/watches", json={"entity": entity}, headers=bearer(token))
        for path, params in [*ASKED, *MORE, (f"/api/entities/{entity}", {}),
                             (f"/api/entities/{entity}/ties", {}),
                             (f"/api/graph/neighbourhood/{entity}", {"hops": 2})]:  # fmt: skip
            r = c.get(path, params=params, headers=bearer(token))
            assert r.status_code == 200, (path, r.text)
            body = r.json() if r.headers["content-type"].startswith("application/json") else r.text
            if path in ("/api/alerts", "/api/watches"):
                body = _unnumbered(body)
            got.append((path, _stable(_undated(body))))
    return got


#: What differs between two runs for reasons other than the data: the moments a watch or
#: an alert was made, and a drawing's coordinates (the force layout also draws from
#: igraph's process-wide random generator, so they move by a tenth between two runs
#: of the same backend too).
UNSTABLE = ("created_at", "removed_at", "x", "y")


def _unnumbered(value: Any) -> Any:
    """Watches and alerts without their ids (random, so that they count nobody's work)."""
    if isinstance(value, dict):
        return {k: _unnumbered(v) for k, v in value.items() if k not in ("id", "watch", "text")}
    if isinstance(value, list):
        return [_unnumbered(v) for v in value]
    return value


def _undated(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _undated(v) for k, v in value.items() if k not in UNSTABLE}
    if isinstance(value, list):
        return [_undated(v) for v in value]
    return value


@pytest.mark.parametrize("user", ["pol-analyst", "int-analyst", "pri-viewer"])
def test_each_user_sees_the_same_on_postgresql_as_on_duckdb(
    scenarios: Scenarios, tmp_path: Path, user: str
) -> None:
    embedded = scenarios.copy(scenarios.master("duckdb"), tmp_path / "ws")
    server = scenarios.copy(scenarios.master("postgresql"), tmp_path / "unused")
    try:
        on_duckdb, on_server = _answers(embedded, user), _answers(server, user)
    finally:
        scenarios.drop(server)
    assert len(on_server) == len(on_duckdb) > 20
    for (path, a), (_, b) in zip(on_duckdb, on_server, strict=True):
        assert a == b, path
    assert any("Tarik Benhadi" in str(a) for _, a in on_duckdb)
