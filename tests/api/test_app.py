"""The application itself: OpenAPI, the docs page and the workbench served offline,
security headers, error format, and that every endpoint is tested."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from tests.api.read_only import case_client_per_module  # noqa: F401  (tests here only read)

from threadline.web import STATIC_DIR

#: Every endpoint and the test module that exercises it (an endpoint added without a
#: test fails test_every_endpoint_is_listed_here_and_tested).
TESTED = {
    ("get", "/api/meta"): "test_app",
    ("get", "/api/summary"): "test_parity",
    ("get", "/api/search"): "test_search",
    ("get", "/api/entities"): "test_entities",
    ("get", "/api/entities/{entity_id}"): "test_entities",
    ("get", "/api/entities/{entity_id}/ties"): "test_entities",
    ("get", "/api/ties/{tie_id}"): "test_entities",
    ("get", "/api/documents"): "test_documents",
    ("get", "/api/documents/{document_id}"): "test_documents",
    ("get", "/api/documents/{document_id}/review"): "test_review",
    ("get", "/api/graph"): "test_graph",
    ("get", "/api/graph/neighbourhood/{entity_id}"): "test_graph",
    ("get", "/api/graph/path"): "test_graph",
    ("get", "/api/cells"): "test_analysis",
    ("get", "/api/cells/{cell_id}"): "test_analysis",
    ("get", "/api/key-players"): "test_analysis",
    ("get", "/api/triage"): "test_analysis",
    ("get", "/api/contagion"): "test_analysis",
    ("get", "/api/events"): "test_events",
    ("get", "/api/conflicts"): "test_events",
    ("get", "/api/notes"): "test_notes",
    ("post", "/api/notes"): "test_notes",
    ("post", "/api/notes/{note_id}/retract"): "test_notes",
    ("get", "/api/asserted-ties"): "test_notes",
    ("post", "/api/asserted-ties"): "test_notes",
    ("post", "/api/asserted-ties/{tie_id}/retract"): "test_notes",
    ("get", "/api/judgements"): "test_judgements",
    ("post", "/api/judgements"): "test_judgements",
    ("post", "/api/entities/{entity_id}/split"): "test_judgements",
    ("post", "/api/judgements/undo"): "test_judgements",
    ("get", "/api/corrections"): "test_corrections",
    ("post", "/api/corrections"): "test_corrections",
    ("post", "/api/corrections/{correction_id}/undo"): "test_corrections",
    ("get", "/api/exports/{fmt}"): "test_exports",
    ("get", "/api/grades"): "test_grades",
    ("post", "/api/grades"): "test_grades",
    # access control (issue 9): logins, tokens, alerts, watches, administration, audit
    ("post", "/api/auth/login"): "test_access",
    ("post", "/api/auth/logout"): "test_access",
    ("get", "/api/auth/me"): "test_access",
    ("get", "/api/auth/tokens"): "test_access",
    ("post", "/api/auth/tokens"): "test_access",
    ("post", "/api/auth/tokens/{token_id}/revoke"): "test_access",
    ("get", "/api/alerts"): "test_access",
    ("post", "/api/alerts/{alert_id}/request"): "test_access",
    ("post", "/api/alerts/{alert_id}/grant"): "test_access",
    ("post", "/api/alerts/{alert_id}/deny"): "test_access",
    ("get", "/api/watches"): "test_access",
    ("post", "/api/watches"): "test_access",
    ("post", "/api/watches/{watch_id}/remove"): "test_access",
    ("get", "/api/admin/users"): "test_access",
    ("post", "/api/admin/users"): "test_access",
    ("post", "/api/admin/users/{name}/disable"): "test_access",
    ("get", "/api/admin/classification"): "test_access",
    ("post", "/api/admin/classification"): "test_access",
    ("get", "/api/admin/shares"): "test_access",
    ("post", "/api/admin/shares"): "test_access",
    ("get", "/api/audit"): "test_access",
    ("get", "/api/audit/verify"): "test_access",
}


def test_every_endpoint_is_listed_here(case_client: Any) -> None:
    """The list above is the application's routes, no more, no fewer. Whether each was
    really called by a test (with an answer below 400) is checked at the end of a
    whole-suite run from the calls themselves (tests/routes_called.py)."""
    schema = case_client.get("/api/openapi.json").json()
    routes = {(m, p) for p, item in schema["paths"].items() for m in item}
    assert routes == set(TESTED)


def test_openapi_describes_every_endpoint_with_a_summary_and_models(case_client: Any) -> None:
    schema = case_client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "threadline"
    for path, item in schema["paths"].items():
        for method, op in item.items():
            assert op.get("summary"), f"{method} {path} has no summary"
            assert "200" in op["responses"] or "201" in op["responses"]
    assert {"EntityDetail", "Tie", "Graph", "PathResult", "Triage"} <= set(
        schema["components"]["schemas"]
    )


def test_meta_describes_the_workspace_and_the_vocabulary(case_client: Any) -> None:
    meta = case_client.get("/api/meta").json()
    assert meta["counts"] == {"documents": 3, "entities": 7, "ties": 7, "claims": 2}
    assert meta["schemata"]["Person"] == 4
    family = next(t for t in meta["tie_types"] if t["name"] == "family")
    assert family["count"] == 1 and family["directed"] is False and family["meaning"]
    assert (meta["date_min"], meta["date_max"]) == ("2015-01-10", "2016-03-01")
    assert "links" in meta["measures"] and meta["features"]["notes"] is True


def test_the_workbench_and_the_api_docs_are_served_without_any_outside_address(
    case_client: Any,
) -> None:
    for path in ("/", "/api/docs"):
        response = case_client.get(path)
        assert response.status_code == 200
        assert not re.search(r"(src|href)=\"(https?:)?//", response.text), path
    for static in STATIC_DIR.rglob("*"):
        if static.suffix in {".js", ".css", ".html"} and "vendor" not in static.parts:
            text = static.read_text(encoding="utf-8")
            assert not re.search(r"https?://(?!127\.0\.0\.1)", text), static
            assert ".innerHTML" not in text and "insertAdjacentHTML" not in text, static
    assert case_client.get("/static/js/main.js").status_code == 200


def test_every_response_forbids_outside_resources(case_client: Any) -> None:
    headers = case_client.get("/").headers
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in case_client.get("/api/meta").headers["content-security-policy"]


@pytest.mark.skipif(
    not (STATIC_DIR / "vendor" / "cytoscape.min.js").exists(), reason="frontend not built"
)
def test_the_built_graph_library_is_served_from_the_package(case_client: Any) -> None:
    response = case_client.get("/static/vendor/cytoscape.min.js")
    assert response.status_code == 200 and len(response.content) > 100_000


def test_errors_are_json_with_a_message(case_client: Any) -> None:
    response = case_client.get("/api/entities/e-none")
    assert response.headers["content-type"].startswith("application/json")
    assert isinstance(response.json()["detail"], str)


def test_a_missing_workspace_is_refused_when_the_app_is_made(tmp_path: Path) -> None:
    from threadline.api import create_app
    from threadline.errors import WorkspaceError

    with pytest.raises(WorkspaceError, match="no workspace"):
        create_app(tmp_path / "nothing-here")


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("/api/search?q=haddad", "Page[SearchHit]"),
        ("/api/entities/e-yusuf", "EntityDetail"),
        ("/api/entities?limit=3", "Page[EntityRef]"),
        ("/api/graph", "Graph"),
        ("/api/graph/neighbourhood/e-karim?hops=2", "Graph"),
    ],
)
def test_fast_responses_match_their_declared_models(
    case_client: Any, path: str, model: str
) -> None:
    """Endpoints serialised by orjson (no FastAPI validation pass) still keep their contract."""
    from threadline.api import models

    declared = {
        "Page[SearchHit]": models.Page[models.SearchHit],
        "Page[EntityRef]": models.Page[models.EntityRef],
        "EntityDetail": models.EntityDetail,
        "Graph": models.Graph,
    }[model]
    body = case_client.get(path).json()
    declared.model_validate(body)
    # and the OpenAPI document declares that model for the route's answer
    schema = case_client.get("/api/openapi.json").json()
    route = next(
        p
        for p in schema["paths"]
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", p), path.split("?")[0])
    )
    answer = schema["paths"][route]["get"]["responses"]["200"]["content"]["application/json"]
    name = model.replace("[", "_").replace("]", "_").rstrip("_")
    assert answer["schema"]["$ref"].rsplit("/", 1)[-1].startswith(name)


@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("get", "/api/no-such-route", 404, "T400"),
        ("delete", "/api/meta", 405, "T405"),
        ("get", "/api/entities/no-such-entity", 404, "T400"),
        ("get", "/api/cells/abc", 422, "T422"),
        ("get", "/api/contagion?seed=no-such-entity", 404, "T400"),
    ],
)
def test_every_error_answer_carries_its_code(
    case_client: Any, method: str, url: str, status: int, code: str
) -> None:
    """Routes' own refusals and the router's (unknown path, wrong method) answer
    ``{"detail", "code"}`` like the library's errors; a whole-suite run checks every
    error answer any test received (tests/routes_called.py)."""
    got = case_client.request(method, url)
    assert got.status_code == status
    assert got.json()["code"] == code and got.json()["detail"]
