"""Server mode end to end: the demo case run into a PostgreSQL workspace with the CLI gives
the same network as into a folder, and the workbench serves it on pooled connections."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from threadline.cli.app import app
from threadline.demo import CASE_DIR

runner = CliRunner()


def _cli(*args: str | Path) -> Any:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def _network(export: dict[str, Any]) -> dict[str, Any]:
    return {
        "documents": sorted((d["id"], d["sha256"]) for d in export["documents"]),
        "entities": sorted(
            (e["id"], e["schema"], e["name"], tuple(sorted(e["names"]))) for e in export["entities"]
        ),
        "ties": sorted(
            (t["id"], t["type"], t["source"], t["target"], len(t["evidence"]))
            for t in export["ties"]
        ),
        "claims": sorted(c["id"] for c in export["claims"]),
    }


@pytest.fixture(scope="module")
def demo_on_server(pg_cluster: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``threadline run`` of the demo case into a new PostgreSQL database (once)."""
    url = pg_cluster.new_database("demo")
    out = tmp_path_factory.mktemp("demo-pg") / "out"
    result = _cli("run", CASE_DIR, "-o", out, "-w", url, "--json")
    summary = json.loads(result.stdout)
    yield {"url": url, "out": out, "summary": summary}
    pg_cluster.drop_database(url)


def test_demo_on_postgresql_gives_the_same_network_as_on_duckdb(
    demo_on_server: dict[str, Any], demo_run: dict[str, Any]
) -> None:
    on_server = json.loads((demo_on_server["out"] / "threadline.json").read_text("utf-8"))
    embedded = demo_run["export"]
    server, folder = _network(on_server), _network(embedded)
    assert len(server["entities"]) == len(folder["entities"]) > 20
    assert len(server["ties"]) == len(folder["ties"]) > 20
    assert server == folder
    # the quotes are the same sentences, read back from the server
    quotes = {t["id"]: [ev["quote"] for ev in t["evidence"]] for t in on_server["ties"]}
    assert quotes == {t["id"]: [ev["quote"] for ev in t["evidence"]] for t in embedded["ties"]}


def test_rerunning_on_the_server_adds_nothing_and_keeps_every_id(
    demo_on_server: dict[str, Any], tmp_path: Path
) -> None:
    _cli("run", CASE_DIR, "-o", tmp_path / "again", "-w", demo_on_server["url"])
    first = json.loads((demo_on_server["out"] / "threadline.json").read_text("utf-8"))
    again = json.loads((tmp_path / "again" / "threadline.json").read_text("utf-8"))
    assert _network(again) == _network(first)


def test_stage_commands_and_exports_work_on_a_server_workspace(
    demo_on_server: dict[str, Any], tmp_path: Path
) -> None:
    url = demo_on_server["url"]
    docs = json.loads(_cli("documents", "-w", url, "--json").stdout)
    assert len(docs) == demo_on_server["summary"]["documents"] > 5
    _cli("export", "-w", url, "-f", "graphml", "-o", tmp_path / "n.graphml")
    assert "<graphml" in (tmp_path / "n.graphml").read_text("utf-8")
    from threadline.store import open_workspace

    with open_workspace(url) as ws:
        assert ws.backend == "postgresql"
        doc = ws.documents()[0]
        original = (CASE_DIR / Path(doc.source).name).read_bytes()
        assert ws.read_blob(doc.sha256) == original, "the original file is kept in the database"


def test_workbench_serves_a_server_workspace_to_concurrent_requests(
    demo_on_server: dict[str, Any],
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from fastapi.testclient import TestClient

    from threadline.api import create_app
    from threadline.security.classification import level_names
    from threadline.security.users import add_agency, add_user, issue
    from threadline.store import open_workspace

    # server mode always asks who is calling: an analyst of the one agency, cleared for all
    with open_workspace(demo_on_server["url"]) as ws:
        add_agency(ws, "police", "Police")
        add_user(
            ws, "ana", agency="police", role="analyst", password="correct horse battery",
            clearance=level_names(ws)[-1],
        )  # fmt: skip
        token, _ = issue(ws, "ana", kind="token")
    auth = {"Authorization": f"Bearer {token}"}

    with TestClient(create_app(demo_on_server["url"]), headers=auth) as client:
        meta = client.get("/api/meta")
        assert meta.status_code == 200, meta.text
        # with access control on, the server names its database only: no URL, no credentials
        where = meta.json()["workspace"]
        assert where == demo_on_server["url"].rsplit("/", 1)[-1].split("?", 1)[0]
        assert "://" not in where and "@" not in where
        hits = client.get("/api/search", params={"q": "Ouardighi"}).json()
        entity = hits["items"][0]["entity"]["id"]

        def entity_page(_: int) -> int:
            return int(client.get(f"/api/entities/{entity}").status_code)

        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(entity_page, range(32))) == {200}
        # a write on a pooled connection lands and the snapshot is rebuilt
        note = client.post(
            "/api/notes",
            json={
                "target_kind": "entity",
                "target": entity,
                "analyst": "ana",
                "text": "seen at the port",
            },
        )
        assert note.status_code == 201, note.text
        # the running server holds no exclusive lock: another process may use the workspace
        from threadline.store import open_workspace as open_again

        with open_again(demo_on_server["url"]) as other:
            assert other.counts()["documents"] == demo_on_server["summary"]["documents"]
    from threadline.store.notes import notes_for

    with open_workspace(demo_on_server["url"]) as ws:
        assert [n.text for n in notes_for(ws, entity)] == ["seen at the port"]
