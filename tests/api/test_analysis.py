"""Cells, key players, triage and contagion."""

from __future__ import annotations

from typing import Any

import pytest
from tests.api.read_only import case_client_per_module  # noqa: F401  (tests here only read)


def test_cells_are_listed_largest_first_with_their_members(case_client: Any) -> None:
    body = case_client.get("/api/cells").json()
    assert [c["id"] for c in body["items"]] == [0, 1]
    zero = body["items"][0]
    assert zero["size"] == 3 and zero["members"][0]["id"] == "e-yusuf"  # highest betweenness
    assert zero["bridges"] == 1  # Yusuf - Lena joins the two cells
    assert case_client.get("/api/cells", params={"members": 1}).json()["items"][0]["members"]


def test_one_cell_and_a_missing_cell(case_client: Any) -> None:
    assert {m["id"] for m in case_client.get("/api/cells/1").json()["members"]} == {
        "e-lena",
        "e-omar",
    }
    missing = case_client.get("/api/cells/9")
    assert missing.status_code == 404 and "/api/cells" in missing.json()["detail"]
    assert case_client.get("/api/cells/abc").status_code == 422


def test_key_players_come_from_the_network(case_client: Any) -> None:
    body = case_client.get("/api/key-players", params={"k": 2}).json()
    assert len(body["items"]) == 2 and body["method"]
    assert {i["entity"]["schema"] for i in body["items"]} <= {"Person", "Organization"}


def test_triage_takes_officers_per_target_into_account(case_client: Any) -> None:
    body = case_client.get("/api/triage", params={"officers": 40, "per_target": 20}).json()
    assert len(body["targets"]) == 2 and body["officers"] == 40 and body["per_target"] == 20
    assert all(t["officers"] == 20 for t in body["targets"])
    assert "no personal attribute" in body["inputs"]
    nobody = case_client.get("/api/triage", params={"officers": 10, "per_target": 20}).json()
    assert nobody["targets"] == []


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/triage", {"officers": -1}),
        ("/api/triage", {"per_target": 0}),
        ("/api/triage", {"mode": "profile"}),
        ("/api/key-players", {"k": 0}),
        ("/api/key-players", {"k": 51}),
        ("/api/contagion", {"threshold": 0}),
        ("/api/contagion", {"runs": 100000}),
    ],
)
def test_bad_analysis_parameters_are_422(
    case_client: Any, path: str, params: dict[str, Any]
) -> None:
    assert case_client.get(path, params=params).status_code == 422


def test_contagion_is_labelled_inferred(case_client: Any) -> None:
    body = case_client.get(
        "/api/contagion", params={"seed": ["e-karim", "e-cell"], "threshold": 1, "runs": 5}
    ).json()
    assert body["inferred"] is True
    assert {s["id"] for s in body["seeds"]} == {"e-karim", "e-cell"}
    assert "e-yusuf" in {x["id"] for x in body["exposure"]}
    missing = case_client.get("/api/contagion", params={"seed": "e-ghost"})
    assert missing.status_code == 404
