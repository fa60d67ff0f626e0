"""Database roles in server mode (issue 24): an owner role that migrates, an application
role that serves and may only read and append to the audit tables.

PostgreSQL only (roles are the server's): the scenario is copied into a database whose
tables belong to an owner role; ``threadline init --app-role`` grants the application
role its rights; the application then serves under that role.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from tests.pg import PrivateCluster
from tests.security.scenario import bearer, client, tokens
from typer.testing import CliRunner

from threadline.cli.app import app as cli
from threadline.security.audit import record, verify
from threadline.store import open_workspace
from threadline.store.postgres import append_only_violations


def _as(url: str, user: str) -> str:
    """``url`` with another user name (the private server trusts every local role)."""
    rest = url.split("@", 1)[1]
    return f"postgresql://{user}@{rest}"


@pytest.fixture
def served(scenarios: Any, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The scenario in a database owned by an owner role, set up for an application role
    with ``threadline init --app-role``: (owner URL, application URL)."""
    cluster: PrivateCluster = scenarios.cluster
    suffix = f"{os.getpid()}_{tmp_path.name[-12:].replace('-', '_')}".lower()
    owner, served_by = f"tl_owner_{suffix}", f"tl_app_{suffix}"
    url = scenarios.copy(scenarios.master("postgresql"), tmp_path / "unused")
    with psycopg.connect(cluster.url(), autocommit=True) as su:
        su.execute(f'CREATE ROLE "{owner}" LOGIN')
        su.execute(f'CREATE ROLE "{served_by}" LOGIN')
        su.execute(f'ALTER DATABASE "{url.rsplit("/", 1)[1]}" OWNER TO "{owner}"')
    with psycopg.connect(url, autocommit=True) as su:
        for (table,) in su.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall():
            su.execute(f'ALTER TABLE "{table}" OWNER TO "{owner}"')
    owner_url = _as(url, owner)
    done = CliRunner().invoke(cli, ["init", owner_url, "--app-role", served_by])
    assert done.exit_code == 0, done.output
    assert f"role '{served_by}' may serve it" in done.output
    yield owner_url, _as(url, served_by)
    scenarios.drop(url)


def test_the_application_role_is_refused_any_change_to_the_audit_tables(
    served: tuple[str, str],
) -> None:
    owner_url, app_url = served
    with open_workspace(app_url) as ws:
        assert append_only_violations(ws) == []
        for k in range(3):  # appending is what the role is for
            record(ws, actor="pol-analyst", agency="police", action="search", target=f"q{k}")
        before = verify(ws)
    assert before.ok and before.records > 0
    with open_workspace(owner_url) as ws:  # the owner could: the anchors watch the owner
        assert "UPDATE audit_log" in append_only_violations(ws)
    with psycopg.connect(app_url, autocommit=True) as con:
        for statement in (
            "UPDATE audit_log SET target = 'x' WHERE seq = 1",
            "DELETE FROM audit_log WHERE seq = 1",
            "TRUNCATE audit_log",
            "UPDATE audit_heads SET hash = 'x'",
            "DELETE FROM audit_heads",
            "TRUNCATE audit_heads",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(statement)
        # ...while the rest of the workspace is its to change
        con.execute("UPDATE users SET disabled = disabled")
        con.execute("DELETE FROM login_failures WHERE user_name = 'nobody'")
    with open_workspace(app_url) as ws:
        after = verify(ws)
    assert after.ok and after.records == before.records


def test_serve_works_under_the_application_role(served: tuple[str, str]) -> None:
    _, app_url = served
    keys = tokens(app_url)  # issuing credentials is a write of the application role
    with client(app_url) as c:
        token = bearer(keys["pol-analyst"])
        found = c.get("/api/search", params={"q": "Benhadi"}, headers=token)
        assert found.status_code == 200, found.text
        entity = c.get("/api/entities", params={"limit": 1}, headers=token).json()["items"][0]
        r = c.post("/api/notes", json={"target_kind": "entity", "target": entity["id"],
                                       "text": "seen near the port", "analyst": "x"},
                   headers=token)  # fmt: skip
        assert r.status_code == 201, r.text
        r = c.post("/api/grades", json={"target": c.get("/api/documents", headers=token)
                                        .json()["items"][0]["id"], "source": "B",
                                        "information": "2"}, headers=token)  # fmt: skip
        assert r.status_code == 201, r.text
        login = c.post("/api/auth/login", json={"user": "pol-analyst", "password": "wrong"})
        assert login.status_code == 401
        c.app.state.access.flush()
        checked = c.get("/api/audit/verify", headers=bearer(keys["pol-admin"]))
        assert checked.status_code == 200 and checked.json()["ok"], checked.text
    with open_workspace(app_url) as ws:
        actions = {r[0] for r in ws.con.execute("SELECT action FROM audit_log").fetchall()}
        assert {"search", "note", "grade", "login.failed"} <= actions
        assert verify(ws).ok
