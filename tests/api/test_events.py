"""GET /api/events (timeline) and /api/conflicts (sources that disagree)."""

from __future__ import annotations

from typing import Any

from tests.api.read_only import case_client_per_module  # noqa: F401  (tests here only read)


def test_timeline_lists_events_with_places_participants_and_claims(case_client: Any) -> None:
    body = case_client.get("/api/events").json()
    [event] = body["items"]
    assert event["entity"]["name"] == "market attack"
    assert [p["name"] for p in event["places"]] == ["Vremmingen"]
    assert [p["name"] for p in event["participants"]] == ["Karim Haddad"]
    assert sorted(c["value"] for c in event["claims"]) == [12, 14]
    assert case_client.get("/api/events", params={"limit": 10**6}).json()["limit"] == 500
    assert case_client.get("/api/events", params={"since": "soon"}).status_code == 422


def test_conflicts_put_the_disagreeing_sources_side_by_side(case_client: Any) -> None:
    body = case_client.get("/api/conflicts").json()
    [conflict] = body["items"]
    assert conflict["subject"]["id"] == "e-attack" and conflict["quantity"] == "deaths"
    assert conflict["values"] == [12, 14]
    quotes = {c["value"]: c["evidence"][0] for c in conflict["claims"]}
    assert quotes[12]["document"] == "d1" and quotes[14]["document"] == "d2"
    assert quotes[14]["quote"] == "The toll rose to 14 dead."
    assert case_client.get("/api/conflicts", params={"offset": -2}).status_code == 422
