"""Identity judgements from the workbench: merge (same), not same, unsure, split, undo.

Each is stored append-only with the analyst and time, the network is
re-resolved at once, and the API's snapshot follows.
"""

from __future__ import annotations

from typing import Any

import pytest


def _people(client: Any) -> dict[str, str]:
    items = client.get("/api/entities", params={"schema": "Person"}).json()["items"]
    return {e["name"]: e["id"] for e in items}


def _judge(client: Any, a: str, b: str, verdict: str = "same", **extra: Any) -> Any:
    body = {"a": a, "b": b, "verdict": verdict, "analyst": "ana", "reason": "interview"}
    return client.post("/api/judgements", json=body | extra)


def test_same_merges_two_entities_and_the_history_says_who_and_why(case_client: Any) -> None:
    response = _judge(case_client, "e-karim", "e-yusuf")
    assert response.status_code == 201
    result = response.json()
    assert result["judgement"]["verdict"] == "same" and result["judgement"]["user"] == "ana"
    [merged] = result["entities"]
    page = case_client.get(f"/api/entities/{merged}").json()
    names = {n["name"] for n in page["names"]}
    assert {"Karim Haddad", "Yusuf Haddad"} <= names
    assert page["judgements"] and page["judgements"][0]["user"] == "ana"
    [row] = case_client.get("/api/judgements").json()["items"]
    assert row["verdict"] == "same" and row["reason"] == "interview" and row["status"] == "applied"


def test_undo_parts_them_again_and_is_recorded_too(case_client: Any) -> None:
    _judge(case_client, "e-karim", "e-yusuf")
    assert len(_people(case_client)) == 3
    undone = case_client.post("/api/judgements/undo", json={"analyst": "bo"})
    assert undone.status_code == 201 and undone.json()["judgement"]["verdict"] == "undo"
    assert {"Karim Haddad", "Yusuf Haddad"} <= set(_people(case_client))
    history = case_client.get("/api/judgements").json()
    assert [j["verdict"] for j in history["items"]] == ["undo", "same"]


def test_split_makes_names_another_identity(case_client: Any) -> None:
    before = case_client.get("/api/entities/e-yusuf").json()
    assert {n["name"] for n in before["names"] + before["aliases"]} >= {"Yusuf Haddad", "Abu Yusuf"}
    response = case_client.post(
        "/api/entities/e-yusuf/split",
        json={"names": ["Abu Yusuf"], "analyst": "ana", "reason": "two men"},
    )
    assert response.status_code == 201
    assert response.json()["judgement"]["verdict"] == "not_same"
    parts = response.json()["entities"]
    assert len(parts) == 2
    seen = [
        {n["name"] for n in case_client.get(f"/api/entities/{p}").json()["names"]} for p in parts
    ]
    assert sum("Abu Yusuf" in names for names in seen) == 1


def test_splitting_what_a_judgement_merged_is_409_until_it_is_undone(case_client: Any) -> None:
    merged = _judge(case_client, "e-karim", "e-yusuf").json()["entities"][0]
    split = {"names": ["Yusuf Haddad"], "analyst": "ana"}
    refused = case_client.post(f"/api/entities/{merged}/split", json=split)
    assert refused.status_code == 409 and "undo" in refused.json()["detail"]


def test_not_same_and_unsure_are_recorded(case_client: Any) -> None:
    assert _judge(case_client, "e-karim", "e-omar", "not_same").status_code == 201
    people = _people(case_client)  # ids are content hashes: a re-run may change them
    assert (
        _judge(case_client, people["Lena Voss"], people["Omar Saleh"], "unsure").status_code == 201
    )
    verdicts = [j["verdict"] for j in case_client.get("/api/judgements").json()["items"]]
    assert verdicts == ["unsure", "not_same"]


def test_a_judgement_contradicting_another_is_409_with_what_to_undo(case_client: Any) -> None:
    _judge(case_client, "e-karim", "e-omar", "not_same")
    people = _people(case_client)
    response = _judge(case_client, people["Karim Haddad"], people["Omar Saleh"], "same")
    assert response.status_code == 409
    assert "undo" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"a": "e-karim", "b": "e-karim", "verdict": "same", "analyst": "a"}, 409),
        ({"a": "e-karim", "b": "e-ghost", "verdict": "same", "analyst": "a"}, 404),
        ({"a": "e-karim", "b": "e-yusuf", "verdict": "maybe", "analyst": "a"}, 422),
        ({"a": "e-karim", "b": "e-yusuf", "verdict": "same", "analyst": ""}, 422),
    ],
)
def test_bad_judgements_are_refused(case_client: Any, body: dict[str, str], status: int) -> None:
    response = case_client.post("/api/judgements", json=body)
    assert response.status_code == status and response.json()["detail"]


def test_undo_with_nothing_to_undo_or_a_bad_id_is_404(case_client: Any) -> None:
    assert case_client.post("/api/judgements/undo", json={"analyst": "a"}).status_code == 404
    _judge(case_client, "e-karim", "e-yusuf")
    bad = case_client.post("/api/judgements/undo", json={"analyst": "a", "judgement": "99"})
    assert bad.status_code == 404 and "99" in bad.json()["detail"]


def test_split_errors(case_client: Any) -> None:
    missing = case_client.post("/api/entities/e-ghost/split", json={"names": ["x"], "analyst": "a"})
    assert missing.status_code == 404
    empty = case_client.post("/api/entities/e-karim/split", json={"names": [], "analyst": "a"})
    assert empty.status_code == 422
