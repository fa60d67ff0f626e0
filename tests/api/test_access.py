"""The access endpoints on a workspace without users (single-user mode: open, all-seeing)
and with users (every one of them needs a login). The security suite is tests/security."""

from __future__ import annotations

from typing import Any

from tests.security.scenario import PASSWORD


def test_without_users_the_api_is_open_and_the_local_user_sees_everything(case_client: Any) -> None:
    me = case_client.get("/api/auth/me").json()
    assert me["access_control"] is False and me["role"] == "admin"
    assert case_client.get("/api/alerts").json()["items"] == []
    assert case_client.get("/api/watches").json() == []
    r = case_client.post("/api/watches", json={"entity": "e-karim"})
    assert r.status_code == 201 and r.json()["label"] == "Karim Haddad"
    assert case_client.get("/api/watches").json()[0]["label"] == "Karim Haddad"
    wid = r.json()["id"]
    assert case_client.post(f"/api/watches/{wid}/remove").json()["removed"] is True
    assert case_client.post("/api/alerts/1/request", json={}).status_code == 404
    assert case_client.post("/api/alerts/1/grant").status_code == 404
    assert case_client.post("/api/alerts/1/deny").status_code == 404
    assert case_client.post("/api/auth/tokens", json={}).status_code == 409
    assert case_client.get("/api/auth/tokens").json() == []
    assert case_client.post("/api/auth/tokens/x/revoke").status_code == 404
    assert case_client.get("/api/audit").json()["items"][0]["action"] == "watch.remove"
    assert case_client.get("/api/audit/verify").json()["ok"] is True
    assert case_client.get("/api/admin/users").json() == []
    assert case_client.get("/api/admin/shares").json() == []
    classes = case_client.get("/api/admin/classification").json()
    assert {c["document"] for c in classes} == {"d1", "d2", "d3"}
    assert case_client.post("/api/admin/users/x/disable").status_code == 404
    assert case_client.post(
        "/api/admin/classification", json={"document": "d1", "level": "SECRET"}
    ).status_code in (400, 422)
    assert (
        case_client.post(
            "/api/admin/shares", json={"partner": "x", "max_level": "OPEN"}
        ).status_code
        == 404
    )
    r = case_client.post(
        "/api/admin/users", json={"name": "ana", "password": PASSWORD, "role": "viewer"}
    )
    assert r.status_code in (400, 404)  # no agency yet
    assert (
        case_client.post("/api/auth/login", json={"user": "ana", "password": PASSWORD}).status_code
        == 401
    )
    assert case_client.post("/api/auth/logout").status_code == 200
