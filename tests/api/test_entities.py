"""GET /api/entities, /api/entities/{id}, /api/entities/{id}/ties."""

from __future__ import annotations

from typing import Any

import pytest
from tests.api.case import IMG, SCRIPT, TEXTS
from tests.api.read_only import case_client_per_module  # noqa: F401  (tests here only read)


def test_entity_lists_are_paged_filtered_and_sorted(case_client: Any) -> None:
    people = case_client.get("/api/entities", params={"schema": "Person", "sort": "name"}).json()
    assert [e["name"] for e in people["items"]] == [
        "Karim Haddad",
        "Lena Voss",
        "Omar Saleh",
        "Yusuf Haddad",
    ]
    capped = case_client.get("/api/entities", params={"limit": 5000}).json()
    assert capped["limit"] == 500 and capped["total"] == 7
    busiest = case_client.get("/api/entities", params={"limit": 1}).json()
    assert busiest["items"][0]["id"] in {"e-karim", "e-yusuf"} and busiest["next_offset"] == 1


@pytest.mark.parametrize("params", [{"sort": "nationality"}, {"schema": "Vehicle"}, {"limit": -5}])
def test_bad_entity_list_parameters_are_422(case_client: Any, params: dict[str, Any]) -> None:
    assert case_client.get("/api/entities", params=params).status_code == 422


def test_entity_page_lists_names_and_aliases_with_where_each_was_seen(case_client: Any) -> None:
    body = case_client.get("/api/entities/e-yusuf").json()
    assert body["name"] == "Yusuf Haddad" and body["schema"] == "Person"
    [name] = body["names"]
    assert name["seen_total"] == 2
    for seen in name["seen"]:
        text = TEXTS[seen["document"]]
        assert text[seen["start"] : seen["end"]] == seen["quote"] == "Yusuf Haddad"
    assert [a["name"] for a in body["aliases"]] == ["Abu Yusuf"]
    assert body["cell"] == 0 and body["metrics"]["betweenness"] == 0.6
    assert {d["id"] for d in body["documents"]} == {"d1", "d2"}
    assert body["tie_counts"] == {"associate": 1, "family": 1, "located_in": 1}


def test_entity_page_lists_events_and_claims(case_client: Any) -> None:
    karim = case_client.get("/api/entities/e-karim").json()
    assert [(e["entity"]["name"], e["role"]) for e in karim["events"]] == [
        ("market attack", "participated_in")
    ]
    attack = case_client.get("/api/entities/e-attack").json()
    assert sorted(c["value"] for c in attack["claims"]) == [12, 14]


def test_unknown_entity_is_404_with_a_message_saying_what_to_do(case_client: Any) -> None:
    response = case_client.get("/api/entities/e-nobody")
    assert response.status_code == 404
    assert "e-nobody" in response.json()["detail"] and "/api/search" in response.json()["detail"]
    assert case_client.get("/api/entities/e-nobody/ties").status_code == 404


def test_entity_ties_carry_their_quotes_exactly_as_the_documents_say(case_client: Any) -> None:
    body = case_client.get("/api/entities/e-yusuf/ties").json()
    assert body["by_type"] == {"family": 1, "associate": 1, "located_in": 1}
    assert [t["type"] for t in body["items"]] == ["family", "associate", "located_in"]
    friends = next(t for t in body["items"] if t["type"] == "associate")
    [ev] = friends["evidence"]
    assert ev["quote"] == TEXTS["d2"][ev["start"] : ev["end"]]
    assert SCRIPT in ev["quote"] and IMG in ev["quote"]  # returned as data, escaped by the page
    assert friends["hedged"] is True and friends["first_seen"] == "2016-03-01"
    assert ev["document_title"] == "Coastline Daily <b>special</b>"


def test_entity_ties_follow_the_filters(case_client: Any) -> None:
    lena = case_client.get("/api/entities/e-lena/ties", params={"inferred": "true"}).json()
    assert {t["id"] for t in lena["items"]} == {"t-friends", "t-named"}
    stated = case_client.get("/api/entities/e-lena/ties").json()  # the analysis default
    assert [t["id"] for t in stated["items"]] == ["t-friends"]
    family = case_client.get("/api/entities/e-yusuf/ties", params={"type": "family"}).json()
    assert [t["id"] for t in family["items"]] == ["t-family"]
    early = case_client.get("/api/entities/e-yusuf/ties", params={"as_of": "2015-12-31"}).json()
    assert {t["id"] for t in early["items"]} == {"t-family", "t-home"}


@pytest.mark.parametrize(
    "params", [{"type": "enemy"}, {"min_confidence": 2}, {"as_of": "last year"}]
)
def test_bad_tie_filters_are_422(case_client: Any, params: dict[str, Any]) -> None:
    response = case_client.get("/api/entities/e-yusuf/ties", params=params)
    assert response.status_code == 422
    if "type" in params:
        assert "enemy" in response.json()["detail"] and "family" in response.json()["detail"]


def test_get_tie_returns_every_quote_and_404s_on_a_bad_id(case_client: Any) -> None:
    tie = case_client.get("/api/ties/t-family").json()
    assert tie["source"]["name"] == "Karim Haddad" and tie["target"]["name"] == "Yusuf Haddad"
    assert tie["detail"] == "brothers" and tie["evidence_total"] == 1
    assert tie["evidence"][0]["quote"].startswith("Karim Haddad and his brother")
    missing = case_client.get("/api/ties/t-nothing")
    assert missing.status_code == 404 and "t-nothing" in missing.json()["detail"]


@pytest.mark.slow
def test_seeds_entity_page_shows_the_alias_and_a_quote_from_foreign_affairs(
    seeds_client: Any, seeds_run: dict[str, Any]
) -> None:
    [hit] = seeds_client.get("/api/search", params={"q": "Najim Laachraoui"}).json()["items"]
    body = seeds_client.get(f"/api/entities/{hit['entity']['id']}").json()
    assert "Soufiane Kayal" in [a["name"] for a in body["aliases"]]
    doc = next(d for d in seeds_run["export"]["documents"] if "004_" in d["source"])
    ties = seeds_client.get(f"/api/entities/{hit['entity']['id']}/ties").json()
    quotes = [ev for t in ties["items"] for ev in t["evidence"] if ev["document"] == doc["id"]]
    assert quotes and all(doc["text"][q["start"] : q["end"]] == q["quote"] for q in quotes)
