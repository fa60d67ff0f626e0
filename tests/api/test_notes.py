"""Analyst notes and analyst-asserted ties: stored with the analyst, shown as such, retractable."""

from __future__ import annotations

from typing import Any

import pytest


def test_a_note_on_an_entity_is_stored_with_the_analyst_and_shown_on_its_page(
    case_client: Any,
) -> None:
    made = case_client.post(
        "/api/notes",
        json={"target_kind": "entity", "target": "e-lena", "analyst": "ana", "text": "check <b>"},
    )
    assert made.status_code == 201
    note = made.json()
    assert note["analyst"] == "ana" and note["text"] == "check <b>"
    assert note["target_label"] == "Lena Voss"
    page = case_client.get("/api/entities/e-lena").json()
    assert [n["id"] for n in page["notes"]] == [note["id"]]
    listed = case_client.get("/api/notes", params={"target": "e-lena"}).json()
    assert listed["total"] == 1


def test_a_note_on_a_tie_and_its_retraction(case_client: Any) -> None:
    note = case_client.post(
        "/api/notes",
        json={"target_kind": "tie", "target": "t-family", "analyst": "bo", "text": "confirmed"},
    ).json()
    assert note["target_label"] == "Karim Haddad -family- Yusuf Haddad"
    assert [n["text"] for n in case_client.get("/api/ties/t-family").json()["notes"]] == [
        "confirmed"
    ]
    gone = case_client.post(f"/api/notes/{note['id']}/retract", json={"analyst": "bo"}).json()
    assert gone["retracted_by"] == "bo" and gone["retracted_at"]
    assert case_client.get("/api/ties/t-family").json()["notes"] == []
    kept = case_client.get("/api/notes", params={"retracted": "true"}).json()
    assert [n["id"] for n in kept["items"]] == [note["id"]]
    assert case_client.get("/api/notes").json()["total"] == 0


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"target_kind": "entity", "target": "e-ghost", "analyst": "a", "text": "x"}, 404),
        ({"target_kind": "tie", "target": "t-ghost", "analyst": "a", "text": "x"}, 404),
        ({"target_kind": "document", "target": "d1", "analyst": "a", "text": "x"}, 422),
        ({"target_kind": "entity", "target": "e-lena", "analyst": "", "text": "x"}, 422),
        ({"target_kind": "entity", "target": "e-lena", "analyst": "a", "text": ""}, 422),
        ({"target_kind": "entity", "target": "e-lena", "analyst": "  ", "text": "x"}, 422),
    ],
)
def test_bad_notes_are_refused(case_client: Any, body: dict[str, str], status: int) -> None:
    assert case_client.post("/api/notes", json=body).status_code == status


def test_retracting_an_unknown_note_is_404(case_client: Any) -> None:
    response = case_client.post("/api/notes/n-ghost/retract", json={"analyst": "a"})
    assert response.status_code == 404 and "n-ghost" in response.json()["detail"]


def test_an_asserted_tie_joins_the_network_with_the_analyst_as_its_evidence(
    case_client: Any,
) -> None:
    made = case_client.post(
        "/api/asserted-ties",
        json={
            "type": "communicated_with",
            "source": "e-omar",
            "target": "e-karim",
            "analyst": "ana",
            "statement": "phone records of 3 May, <i>seen by me</i>",
        },
    )
    assert made.status_code == 201
    tie_id = made.json()["id"]
    tie = case_client.get(f"/api/ties/{tie_id}").json()
    assert tie["asserted"] is True and tie["type"] == "communicated_with"
    [ev] = tie["evidence"]
    assert ev["kind"] == "analyst" and ev["analyst"] == "ana"
    assert ev["quote"] == "phone records of 3 May, <i>seen by me</i>"
    path = case_client.get("/api/graph/path", params={"source": "e-omar", "target": "e-karim"})
    assert path.json()["length"] == 1
    hidden = case_client.get(
        "/api/graph/path",
        params={"source": "e-omar", "target": "e-karim", "asserted": "false", "inferred": "true"},
    )
    assert hidden.json()["length"] == 3
    listed = case_client.get("/api/asserted-ties").json()
    assert [a["id"] for a in listed["items"]] == [tie_id]
    gone = case_client.post(f"/api/asserted-ties/{tie_id}/retract", json={"analyst": "ana"})
    assert gone.json()["retracted_by"] == "ana"
    assert case_client.get(f"/api/ties/{tie_id}").status_code == 404
    assert case_client.get("/api/asserted-ties").json()["total"] == 0
    assert case_client.get("/api/asserted-ties", params={"retracted": "true"}).json()["total"] == 1


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"type": "enemy_of"}, 422),
        ({"target": "e-omar"}, 422),
        ({"target": "e-ghost"}, 404),
        ({"confidence": 1.5}, 422),
        ({"statement": ""}, 422),
    ],
)
def test_bad_asserted_ties_are_refused(
    case_client: Any, change: dict[str, Any], status: int
) -> None:
    body = {"type": "associate", "source": "e-omar", "target": "e-karim", "analyst": "a"}
    body |= {"statement": "met"} | change
    response = case_client.post("/api/asserted-ties", json=body)
    assert response.status_code == status, response.json()
    assert response.json()["detail"]


def test_retracting_an_unknown_asserted_tie_is_404(case_client: Any) -> None:
    response = case_client.post("/api/asserted-ties/a-ghost/retract", json={"analyst": "a"})
    assert response.status_code == 404
