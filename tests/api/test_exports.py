"""GET /api/exports/{format}: every format the CLI writes, as a download."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from tests.api.read_only import case_client_per_module  # noqa: F401  (tests here only read)


def test_json_export_is_the_analysis_export(case_client: Any) -> None:
    response = case_client.get("/api/exports/json")
    assert response.status_code == 200
    assert 'filename="threadline.json"' in response.headers["content-disposition"]
    data = json.loads(response.content)
    assert data["threadline_export"] == 1 and len(data["entities"]) == 7


@pytest.mark.parametrize(
    ("fmt", "marker"), [("graphml", b"<graphml"), ("gexf", b"<gexf"), ("report", b"<!doctype html")]
)
def test_text_exports(case_client: Any, fmt: str, marker: bytes) -> None:
    response = case_client.get(f"/api/exports/{fmt}")
    assert response.status_code == 200 and marker in response.content[:2000].lower()


def test_ftm_export_is_one_entity_per_line(case_client: Any) -> None:
    lines = case_client.get("/api/exports/ftm").content.decode().splitlines()
    assert lines and all(json.loads(line)["schema"] for line in lines)


def test_csv_export_is_a_zip_of_tables(case_client: Any) -> None:
    response = case_client.get("/api/exports/csv")
    assert response.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names and all(n.endswith(".csv") for n in names)


def test_unknown_export_format_is_422(case_client: Any) -> None:
    assert case_client.get("/api/exports/pdf").status_code == 422
