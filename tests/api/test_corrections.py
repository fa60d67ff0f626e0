"""Corrections through the REST API (issue 18): POST /api/corrections, POST
/api/corrections/{id}/undo, GET /api/corrections. After each, the API's own
answers (entities, graph, ties, exports) read the corrected network; bad input is a
4xx with the error's code and writes nothing.

Runs on a copy of the fictional brothers case (tests/conftest.py), resolved by the
pipeline, where "Lindemark" is read once as a group and "Verbeke group" is a
description taken for a group.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture()
def client(brothers_run: dict[str, Any], tmp_path: Path) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    from threadline.api import create_app

    target = tmp_path / "ws"
    shutil.copytree(brothers_run["workspace"], target)
    with TestClient(create_app(target)) as c:
        yield c


def _entity(client: Any, name: str, schema: str) -> dict[str, Any] | None:
    items = client.get("/api/entities", params={"schema": schema, "limit": 500}).json()["items"]
    found = [e for e in items if e["name"] == name]
    return found[0] if found else None


def _fix(client: Any, **body: Any) -> Any:
    return client.post("/api/corrections", json={"analyst": "ana", **body})


def test_a_rejected_entity_leaves_the_graph_and_the_export_until_undone(client: Any) -> None:
    group = _entity(client, "Verbeke group", "Organization")
    assert group is not None
    made = _fix(client, kind="reject_entity", entity=group["id"], reason="a description")
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["kind"], body["status"], body["user"], body["reason"], body["entity"]) == (
        "reject_entity", "applied", "ana", "a description", group["id"]
    )  # fmt: skip
    assert [s["text"] for s in body["spans"]] == ["Verbeke group"]  # "joined the Verbeke group"
    assert body["spans"][0]["document"] and body["spans"][0]["end"] > body["spans"][0]["start"]
    assert _entity(client, "Verbeke group", "Organization") is None
    assert client.get(f"/api/entities/{group['id']}").status_code == 404
    nodes = {n["id"] for n in client.get("/api/graph", params={"inferred": "true"}).json()["nodes"]}
    assert group["id"] not in nodes
    export = client.get("/api/exports/json").json()
    assert group["id"] not in {e["id"] for e in export["entities"]}
    listed = client.get("/api/corrections").json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == body["id"]
    undone = client.post(f"/api/corrections/{body['id']}/undo", json={"analyst": "bo"})
    assert undone.status_code == 200, undone.text
    assert (undone.json()["kind"], undone.json()["undoes"]) == ("undo", body["id"])
    assert _entity(client, "Verbeke group", "Organization") is not None
    statuses = [(r["kind"], r["status"]) for r in client.get("/api/corrections").json()["items"]]
    assert statuses == [("undo", "undo"), ("reject_entity", "undone")]


def test_a_retyped_tie_reads_so_in_the_entity_s_ties(client: Any) -> None:
    karim = _entity(client, "Karim Ouaziz", "Person")
    jonas = _entity(client, "Jonas Verbeke", "Person")
    assert karim and jonas
    ties = client.get(f"/api/entities/{karim['id']}/ties", params={"inferred": "true"}).json()
    [tie] = [t for t in ties["items"] if jonas["id"] in (t["source"]["id"], t["target"]["id"])]
    made = _fix(client, kind="retype_tie", tie=tie["id"], type="recruited_by", reverse=True)
    assert made.status_code == 201, made.text
    assert (made.json()["type"], made.json()["reverse"]) == ("recruited_by", True)
    after = client.get(f"/api/entities/{karim['id']}/ties").json()["items"]
    [new] = [t for t in after if jonas["id"] in (t["source"]["id"], t["target"]["id"])]
    ends = (new["source"]["id"], new["target"]["id"])
    assert (new["type"], new["inferred"], ends) == (
        "recruited_by",
        False,
        (jonas["id"], karim["id"]),
    )
    # the review page's filters: by document and by status
    doc = made.json()["spans"][0]["document"]
    assert client.get("/api/corrections", params={"document": doc}).json()["total"] == 1
    assert client.get("/api/corrections", params={"document": "d-none"}).json()["total"] == 0
    assert client.get("/api/corrections", params={"status": "dormant"}).json()["total"] == 0


def test_a_schema_a_role_an_alias_and_a_mention_correction_round_trip(client: Any) -> None:
    group = _entity(client, "Lindemark", "Organization")
    assert group is not None
    r = _fix(client, kind="set_schema", entity=group["id"], schema="Address")
    assert r.status_code == 201 and r.json()["schema"] == "Address", r.text
    assert _entity(client, "Lindemark", "Organization") is None
    jonas = _entity(client, "Jonas Verbeke", "Person")
    assert jonas is not None
    r = _fix(client, kind="set_role", entity=jonas["id"], role="journalist")
    assert r.status_code == 201, r.text
    export = client.get("/api/exports/json").json()
    assert next(e for e in export["entities"] if e["id"] == jonas["id"])["role"] == "journalist"
    nabil = _entity(client, "Nabil Ouaziz", "Person")
    assert nabil is not None
    r = _fix(client, kind="alias", entity=nabil["id"], name="Abu Nabil")
    assert r.status_code == 201, r.text
    page = client.get(f"/api/entities/{nabil['id']}").json()
    assert "Abu Nabil" in {a["name"] for a in page["aliases"]}
    mention = r.json()["spans"][0]
    doc = client.get(f"/api/documents/{mention['document']}").json()
    assert doc["text"][mention["start"] : mention["end"]] == mention["text"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"kind": "reject_entity", "entity": "e-nobody"}, 404, "T400"),
        ({"kind": "reject_tie", "tie": "t-nothing"}, 404, "T400"),
        ({"kind": "reject_mention", "mention": "m-nothing"}, 404, "T400"),
        ({"kind": "reject_entity"}, 422, "T710"),
        ({"kind": "set_schema", "entity": "Jonas Verbeke", "schema": "Car"}, 422, "T710"),
        ({"kind": "set_schema", "entity": "Jonas Verbeke", "schema": "Person"}, 409, "T820"),
        ({"kind": "set_role", "entity": "Jonas Verbeke", "role": "chef"}, 422, "T710"),
        ({"kind": "alias", "entity": "Nabil Ouaziz", "name": "Yusuf Tahiri"}, 409, "T820"),
        ({"kind": "delete_everything", "entity": "Jonas Verbeke"}, 422, "T422"),
    ],
)
def test_bad_input_is_a_4xx_with_the_error_s_code_and_writes_nothing(
    client: Any, body: dict[str, Any], status: int, code: str
) -> None:
    r = _fix(client, **body)
    assert r.status_code == status, r.text
    assert r.json()["code"] == code and r.json()["detail"]
    assert client.get("/api/corrections").json()["total"] == 0


def test_contradictions_and_bad_undos_are_409_or_404_naming_what_is_wrong(client: Any) -> None:
    nabil = _entity(client, "Nabil Ouaziz", "Person")
    assert nabil is not None
    first = _fix(client, kind="alias", entity=nabil["id"], name="Abu Nabil").json()
    clash = _fix(client, kind="not_alias", entity=nabil["id"], name="Abu Nabil")
    assert clash.status_code == 409 and clash.json()["code"] == "T830"
    assert f"#{first['id']}" in clash.json()["detail"]
    assert client.post("/api/corrections/999/undo").status_code == 404
    undo = client.post(f"/api/corrections/{first['id']}/undo")
    assert undo.status_code == 200
    again = client.post(f"/api/corrections/{first['id']}/undo")
    assert again.status_code == 409 and "already undone" in again.json()["detail"]
    assert client.get("/api/corrections").json()["total"] == 2


def test_the_api_description_lists_the_correction_routes(client: Any) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"post"} <= set(paths["/api/corrections"]) and "get" in paths["/api/corrections"]
    assert "post" in paths["/api/corrections/{correction_id}/undo"]
