"""GET /api/search: names, aliases, prefixes, spelling drift, type filters, pages."""

from __future__ import annotations

from typing import Any

import pytest
from tests.api.read_only import case_client_per_module  # noqa: F401  (tests here only read)


def test_search_finds_a_person_by_the_start_of_a_name(case_client: Any) -> None:
    body = case_client.get("/api/search", params={"q": "had"}).json()
    names = [hit["entity"]["name"] for hit in body["items"]]
    assert set(names) == {"Karim Haddad", "Yusuf Haddad"}
    assert body["total"] == 2 and body["offset"] == 0 and body["next_offset"] is None


def test_search_finds_an_entity_through_its_alias_and_says_so(case_client: Any) -> None:
    [hit] = case_client.get("/api/search", params={"q": "abu yusuf"}).json()["items"]
    assert hit["entity"]["id"] == "e-yusuf"
    assert hit["matched"] == "Abu Yusuf" and hit["alias"] is True


def test_exact_names_rank_before_prefixes(case_client: Any) -> None:
    hits = case_client.get("/api/search", params={"q": "Karim Haddad"}).json()["items"]
    assert hits[0]["entity"]["id"] == "e-karim" and hits[0]["match"] == "exact"


def test_fuzzy_search_forgives_a_typing_slip_and_can_be_switched_off(case_client: Any) -> None:
    hits = case_client.get("/api/search", params={"q": "Hadad"}).json()["items"]
    assert {h["entity"]["id"] for h in hits} == {"e-karim", "e-yusuf"}
    assert {h["match"] for h in hits} == {"fuzzy"}
    strict = case_client.get("/api/search", params={"q": "Hadad", "fuzzy": "false"}).json()
    assert strict["items"] == [] and strict["total"] == 0


def test_search_filters_by_entity_type(case_client: Any) -> None:
    hits = case_client.get("/api/search", params={"q": "harbour", "schema": "Organization"}).json()
    assert [h["entity"]["name"] for h in hits["items"]] == ["Harbour Cell"]
    none = case_client.get("/api/search", params={"q": "harbour", "schema": "Event"}).json()
    assert none["total"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "x" * 201},
        {"q": "karim", "limit": 0},
        {"q": "karim", "offset": -1},
        {"q": "karim", "limit": "many"},
        {"q": "karim", "schema": "Vehicle"},
    ],
)
def test_bad_search_parameters_are_422(case_client: Any, params: dict[str, Any]) -> None:
    response = case_client.get("/api/search", params=params)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_huge_limits_are_capped_and_the_used_limit_reported(case_client: Any) -> None:
    body = case_client.get("/api/search", params={"q": "a", "limit": 10**9}).json()
    assert body["limit"] == 500


def test_search_pages_with_offset(case_client: Any) -> None:
    first = case_client.get("/api/search", params={"q": "haddad", "limit": 1}).json()
    second = case_client.get("/api/search", params={"q": "haddad", "limit": 1, "offset": 1}).json()
    assert first["next_offset"] == 1 and second["next_offset"] is None
    assert first["items"][0]["entity"]["id"] != second["items"][0]["entity"]["id"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "name", "matched"),
    [
        ("Laachraoui", "Najim Laachraoui", "Najim Laachraoui"),
        ("kayal", "Najim Laachraoui", "Soufiane Kayal"),
        ("Saleh Abdeslam", "Salah Abdeslam", "Saleh Abdeslam"),
    ],
)
def test_search_on_the_seeds_finds_names_aliases_and_spellings(
    seeds_client: Any, query: str, name: str, matched: str
) -> None:
    hit = seeds_client.get("/api/search", params={"q": query}).json()["items"][0]
    assert hit["entity"]["name"] == name and hit["matched"] == matched
