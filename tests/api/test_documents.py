"""GET /api/documents and /api/documents/{id}: text, segments, spans, highlight."""

from __future__ import annotations

from typing import Any

import pytest
from tests.api.case import TEXTS
from tests.api.read_only import case_client_per_module  # noqa: F401  (tests here only read)


def test_documents_are_listed_by_date_undated_last(case_client: Any) -> None:
    body = case_client.get("/api/documents").json()
    assert [d["id"] for d in body["items"]] == ["d1", "d2", "d3"]
    assert body["items"][0]["published"] == "2015-01-10" and body["total"] == 3
    assert case_client.get("/api/documents", params={"limit": 999999}).json()["limit"] == 500


def test_a_document_comes_with_its_exact_text_and_every_name_span(case_client: Any) -> None:
    doc = case_client.get("/api/documents/d1").json()
    assert doc["text"] == TEXTS["d1"] and doc["title"] == "Harbour Gazette"
    assert doc["segments"] == [{"kind": "body", "start": 0, "end": len(TEXTS["d1"])}]
    names = {(s["name"], TEXTS["d1"][s["start"] : s["end"]]) for s in doc["spans"]}
    assert ("Karim Haddad", "Karim Haddad") in names and ("Harbour Cell", "Harbour Cell") in names
    assert doc["highlight"] is None


def test_a_document_opened_at_a_quote_says_which_span_to_highlight(case_client: Any) -> None:
    start = TEXTS["d2"].index("The toll")
    doc = case_client.get("/api/documents/d2", params={"start": start, "end": start + 8}).json()
    assert doc["highlight"] == {"start": start, "end": start + 8}


@pytest.mark.parametrize(
    "params", [{"start": 5}, {"start": 10, "end": 5}, {"start": 0, "end": 10**6}, {"start": -1}]
)
def test_a_highlight_outside_the_text_is_422(case_client: Any, params: dict[str, int]) -> None:
    response = case_client.get("/api/documents/d1", params=params)
    assert response.status_code == 422


def test_unknown_document_is_404(case_client: Any) -> None:
    response = case_client.get("/api/documents/d-missing")
    assert response.status_code == 404 and "/api/documents" in response.json()["detail"]
