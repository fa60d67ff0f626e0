"""Injection and abuse: SQL metacharacters, regex bombs, oversized payloads, forged and
expired tokens, CSRF, other agencies' ids (IDOR), XSS in names and quotes, login limits."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from tests.security.scenario import PASSWORD, bearer, doc_id, tokens

from threadline.security import AuthenticationError


@pytest.mark.parametrize(
    "q",
    ["' OR 1=1 --", "\"; DROP TABLE documents; --", "%", "_", "\\", "(a+)+$", "(.*a){20}",
     "a" * 200, "Tarik' UNION SELECT name, password_hash FROM users --", "\x00"],
)  # fmt: skip
def test_search_treats_metacharacters_and_regex_bombs_as_text(shared_api: Any, q: str) -> None:
    c, keys = shared_api
    r = c.get("/api/search", params={"q": q}, headers=bearer(keys["pol-analyst"]))
    assert r.status_code in (200, 422)
    if r.status_code == 200:
        assert r.json()["total"] == 0
        assert "argon2" not in r.text
    assert c.get("/api/documents", headers=bearer(keys["pol-admin"])).json()["total"] == 1


def test_oversized_payloads_are_refused(api: Any) -> None:
    c, keys = api
    token = bearer(keys["pol-analyst"])
    assert c.get("/api/search", params={"q": "x" * 5000}, headers=token).status_code == 422
    entity = c.get("/api/search", params={"q": "Tarik"}, headers=token).json()["items"][0]
    r = c.post("/api/notes", json={"target_kind": "entity", "target": entity["entity"]["id"],
               "analyst": "x", "text": "y" * 20_000}, headers=token)  # fmt: skip
    assert r.status_code == 422
    # a body above 1 MiB is refused before anything reads it
    r = c.post("/api/notes", json={"target_kind": "entity", "target": entity["entity"]["id"],
               "analyst": "x", "text": "y" * 2_000_000}, headers=token)  # fmt: skip
    assert r.status_code == 413 and r.json()["code"] == "T413"
    assert len(r.content) < 200
    r = c.post("/api/auth/login", json={"user": "u" * 5000, "password": "p"})
    assert r.status_code == 422


def test_forged_expired_revoked_and_disabled_credentials_are_refused(api: Any) -> None:
    from threadline.security.users import issue

    c, keys = api
    assert (
        c.get("/api/meta", headers=bearer("forged-" + keys["pol-analyst"][7:])).status_code == 401
    )
    assert c.get("/api/meta", headers={"Authorization": "Basic cG9sOnB3"}).status_code == 401
    with c.app.state.workbench.database() as ws:
        expired, _ = issue(ws, "pol-analyst", kind="token", ttl=timedelta(seconds=-1))
        session, _ = issue(ws, "pol-analyst", kind="session")
    r = c.get("/api/meta", headers=bearer(expired))
    assert r.status_code == 401 and "expired" in r.json()["detail"]
    # a session id is not a bearer token
    assert c.get("/api/meta", headers=bearer(session)).status_code == 401
    r = c.post("/api/admin/users/pol-viewer/disable", headers=bearer(keys["pol-admin"]))
    assert r.status_code == 200
    c.app.state.access.forget()
    assert c.get("/api/meta", headers=bearer(keys["pol-viewer"])).status_code == 401


def test_session_needs_csrf_token_for_changes(api: Any) -> None:
    c, _ = api
    r = c.post("/api/auth/login", json={"user": "pol-analyst", "password": PASSWORD})
    assert r.status_code == 200
    csrf = r.json()["csrf_token"]
    assert c.get("/api/meta").status_code == 200  # the cookie is enough to read
    entity = c.get("/api/search", params={"q": "Tarik"}).json()["items"][0]["entity"]["id"]
    note = {"target_kind": "entity", "target": entity, "analyst": "x", "text": "seen"}
    r = c.post("/api/notes", json=note)
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]
    assert c.post("/api/notes", json=note, headers={"X-CSRF-Token": "wrong"}).status_code == 403
    r = c.post("/api/notes", json=note, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201 and r.json()["analyst"] == "pol-analyst"  # not "x"
    assert c.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 200
    assert c.get("/api/meta").status_code == 401


def test_login_is_rate_limited(api: Any) -> None:
    c, _ = api
    for _ in range(5):
        r = c.post("/api/auth/login", json={"user": "pri-viewer", "password": "wrong password"})
        assert r.status_code == 401
    r = c.post("/api/auth/login", json={"user": "pri-viewer", "password": PASSWORD})
    assert r.status_code == 429
    unknown = c.post("/api/auth/login", json={"user": "nobody", "password": "wrong password"})
    assert unknown.json()["detail"] == r.json()["detail"].replace(
        r.json()["detail"], unknown.json()["detail"]
    )
    assert "wrong user name or password" in unknown.json()["detail"]


def test_other_agencies_objects_are_not_found(api: Any, scenario_ws: str) -> None:
    """IDOR: ids of another agency's documents, entities, alerts, users and notes."""
    c, keys = api
    intel, pol = keys["int-analyst"], keys["pol-analyst"]
    secret = doc_id(scenario_ws, "intel-source-report.txt")
    assert c.get(f"/api/documents/{secret}", headers=bearer(pol)).status_code == 404
    r = c.post("/api/grades", json={"target": secret, "source": "B", "information": "2"},
               headers=bearer(pol))  # fmt: skip
    assert r.status_code == 404
    r = c.post("/api/admin/classification", json={"document": secret, "level": "OPEN"},
               headers=bearer(keys["pol-admin"]))  # fmt: skip
    assert r.status_code == 404
    prison = doc_id(scenario_ws, "prison-release-record.txt")
    r = c.post("/api/admin/classification", json={"document": prison, "level": "OPEN"},
               headers=bearer(keys["pol-admin"]))  # fmt: skip
    assert r.status_code == 404
    r = c.post("/api/admin/users/int-viewer/disable", headers=bearer(keys["pol-admin"]))
    assert r.status_code == 404
    tarik = c.get("/api/search", params={"q": "Tarik"}, headers=bearer(intel)).json()["items"][0]
    c.post("/api/watches", json={"entity": tarik["entity"]["id"]}, headers=bearer(intel))
    alert = c.get("/api/alerts", headers=bearer(intel)).json()["items"][0]["id"]
    assert c.post(f"/api/alerts/{alert}/request", json={}, headers=bearer(pol)).status_code == 404
    note = c.post("/api/notes", json={"target_kind": "entity", "target": tarik["entity"]["id"],
                  "analyst": "i", "text": "intel only"}, headers=bearer(intel)).json()  # fmt: skip
    assert "intel only" not in c.get("/api/notes", headers=bearer(pol)).text
    r = c.post(f"/api/notes/{note['id']}/retract", json={"analyst": "p"}, headers=bearer(pol))
    assert r.status_code == 404


def test_names_and_quotes_stay_text(shared_api: Any) -> None:
    """XSS: markup in a source comes back as JSON strings, never as HTML of the API;
    the page's own escaping is tested by the browser tests."""
    c, keys = shared_api
    token = keys["pol-analyst"]
    r = c.get("/api/search", params={"q": "<script>alert(1)</script>"}, headers=bearer(token))
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["content-security-policy"].startswith("default-src 'self'")
    r = c.post("/api/auth/login", json={"user": "<img src=x onerror=alert(1)>", "password": "x"})
    assert r.status_code == 401 and "<img" not in r.text


def test_nul_characters_are_refused_with_a_clear_error_and_nothing_changes(api: Any) -> None:
    """PostgreSQL's text cannot hold a NUL: without the check these requests failed deep
    inside (a 500, and a NUL in a search dropped the audit records buffered with it)."""
    c, keys = api
    pol = bearer(keys["pol-analyst"])
    tarik = c.get("/api/search", params={"q": "Tarik"}, headers=pol).json()["items"][0]
    entity = tarik["entity"]["id"]
    notes_before = c.get("/api/notes", headers=pol).json()
    asked = [
        ("POST", "/api/auth/login", None, {"user": "pol-analyst\x00", "password": PASSWORD}),
        ("GET", "/api/search", {"q": "Tarik\x00"}, None),
        ("GET", "/api/entities/e%00", None, None),
        ("POST", "/api/notes", None,
         {"target_kind": "entity", "target": entity, "analyst": "x", "text": "seen\x00 here"}),
        ("POST", "/api/watches", None, {"entity": entity + "\x00"}),
    ]  # fmt: skip
    for method, path, params, body in asked:
        r = c.request(method, path, params=params, json=body, headers=pol)
        assert r.status_code == 422, (path, r.status_code, r.text)
        assert "NUL character" in r.json()["detail"], path
    assert c.get("/api/notes", headers=pol).json() == notes_before
    assert c.get("/api/watches", headers=pol).json() == []
    # the same text without the NUL goes through
    r = c.post("/api/notes", json={"target_kind": "entity", "target": entity, "analyst": "x",
               "text": "seen here"}, headers=pol)  # fmt: skip
    assert r.status_code == 201, r.text


def test_a_record_the_database_refuses_does_not_drop_the_others(api: Any) -> None:
    """The audit buffer is written in one transaction; when the database refuses one of
    its records, the others are still written, and the refused one is named."""
    from threadline.security import Principal
    from threadline.security import audit as audit_log

    c, keys = api
    access = c.app.state.access
    ana = Principal(name="pol-analyst", agency="police", role="analyst")
    access.auditor.record(ana, "search", "first", now=False)
    access.auditor.record(ana, "search", "poisoned", {"value": object()}, now=False)  # not JSON
    access.auditor.record(ana, "search", "last", now=False)
    access.auditor.stop()  # write the buffer here, not on the background thread
    for _ in range(3):
        access.flush()
    with access.home.database() as ws:
        items, _ = audit_log.read(ws, actor="pol-analyst", limit=20)
        assert audit_log.verify(ws).ok
    got = [(i["action"], i["target"]) for i in reversed(items)]
    assert ("search", "first") in got and ("search", "last") in got
    assert ("search", "poisoned") not in got
    [lost] = [i for i in items if i["action"] == "audit.unwritable"]
    assert lost["detail"]["action"] == "search" and "serializable" in lost["detail"]["error"]


def test_a_stranger_gets_401_before_any_parsing_and_422_echoes_no_input(api: Any) -> None:
    c, keys = api
    broken = b'{"target_kind": "entity", "text": "my secret draft'
    r = c.post("/api/notes", content=broken, headers={"content-type": "application/json"})
    assert r.status_code == 401
    r = c.post("/api/notes", json={"target_kind": "nope", "text": "my secret draft"})
    assert r.status_code == 401
    token = bearer(keys["pol-analyst"])
    r = c.post("/api/notes", content=broken, headers={**token, "content-type": "application/json"})
    assert r.status_code == 422 and r.json()["code"] == "T422"
    assert "my secret draft" not in r.text
    r = c.post("/api/notes", json={"target_kind": "nope", "text": "my secret draft"}, headers=token)
    assert r.status_code == 422 and "my secret draft" not in r.text
    assert {tuple(e["loc"]) for e in r.json()["detail"]} >= {("body", "target_kind")}


def test_login_back_off_is_per_account_and_source(scenario_ws: str) -> None:
    """Failing locks the failing name at the failing address only; a flood of invented
    names from one address (a proxy) locks out nobody who did not fail there."""
    from threadline.security import RateLimitedError
    from threadline.security.users import login
    from threadline.store import open_workspace

    with open_workspace(scenario_ws) as ws:
        for _ in range(5):
            with pytest.raises(AuthenticationError):
                login(ws, "pri-viewer", "wrong password", address="10.0.0.1")
        with pytest.raises(RateLimitedError):
            login(ws, "pri-viewer", PASSWORD, address="10.0.0.1")
        assert login(ws, "pri-viewer", PASSWORD, address="10.0.0.2").user.name == "pri-viewer"
        for i in range(60):  # sprayed names from one proxy
            with pytest.raises((AuthenticationError, RateLimitedError)):
                login(ws, f"invented-{i}", "wrong password", address="10.0.0.3")
        assert login(ws, "pri-admin", PASSWORD, address="10.0.0.3").user.name == "pri-admin"
        with pytest.raises(AuthenticationError):
            login(ws, "pol-viewer", "typo in it", address="10.0.0.3")
        with pytest.raises(RateLimitedError):  # failed once from the flooded address
            login(ws, "pol-viewer", PASSWORD, address="10.0.0.3")


#: Values that are wrong for almost any field: types, signs, sizes, syntax, paths.
WRONG = ["abc", "-1", "1.5", "99999999999999999999", "", None, [], {}, "x" * 3000,
         "' OR 1=1 --", -5, True, "1e309", {"a": [1, {"b": 2}]}]  # fmt: skip


def _sample(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A value that fits ``schema`` (an OpenAPI schema of the application)."""
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        return _sample(next(s for s in schema["anyOf"] if s.get("type") != "null"), components)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "string":
        return "viewer" if "viewer" in schema.get("pattern", "") else "abcdefghij12"
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if kind == "array":
        return [_sample(schema.get("items", {"type": "string"}), components)]
    if kind == "object":
        return {k: _sample(v, components) for k, v in schema.get("properties", {}).items()}
    return "abc"


def test_no_malformed_value_answers_500_on_any_route(api: Any) -> None:
    """Every route of /api/openapi.json, each path parameter, query parameter and body
    field in turn set to a wrong value (the others valid): never a 500."""
    from fastapi.testclient import TestClient

    c, keys = api
    probe = TestClient(c.app, raise_server_exceptions=False)
    spec = c.get("/api/openapi.json").json()
    components = spec.get("components", {}).get("schemas", {})
    token = bearer(keys["pol-admin"])
    failed, sent = [], 0
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            params = op.get("parameters", [])
            in_path = [p["name"] for p in params if p["in"] == "path"]
            base = path
            for name in in_path:
                base = base.replace("{" + name + "}", "abc")
            schema = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            body = _sample(schema["schema"], components) if schema else None
            cases: list[tuple[str, dict[str, str], Any]] = []
            for name in in_path:
                for v in WRONG:
                    if isinstance(v, str | int) and v != "":
                        cases.append((path.replace("{" + name + "}", str(v)).replace(
                            "{", "").replace("}", ""), {}, body))  # fmt: skip
            for p in params:
                if p["in"] == "query":
                    cases += [(base, {p["name"]: str(v)}, body) for v in WRONG if v is not None]
            if isinstance(body, dict):
                cases += [(base, {}, {**body, f: v}) for f in body for v in WRONG]
            for where, query, sent_body in cases:
                r = probe.request(method.upper(), where, params=query, json=sent_body,
                                  headers=token)  # fmt: skip
                sent += 1
                if r.status_code >= 500:
                    failed.append((method, path, query, str(sent_body)[:80], r.status_code))
    assert sent > 1000
    assert failed == []


def test_rate_limits_refuse_the_one_who_overdoes_it_and_nobody_else(scenario_ws: str) -> None:
    """Token buckets (issue 24): per user for requests with credentials, per address for
    those without, per (address, name) for logins; 429 with a code and Retry-After."""
    from fastapi.testclient import TestClient

    from threadline.api import create_app
    from threadline.security.ratelimit import Limiter, Rate, RateLimits

    limits = RateLimits(user=Limiter(Rate(5, 60)), address=Limiter(Rate(3, 60)),
                        login=Limiter(Rate(2, 60)))  # fmt: skip
    keys = tokens(scenario_ws)
    with TestClient(create_app(scenario_ws, limits=limits)) as c:
        busy, other = bearer(keys["pol-analyst"]), bearer(keys["pol-viewer"])
        assert [c.get("/api/meta", headers=busy).status_code for _ in range(5)] == [200] * 5
        refused = c.get("/api/meta", headers=busy)
        assert refused.status_code == 429 and refused.json()["code"] == "T930"
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert c.get("/api/meta", headers=other).status_code == 200  # same address, own bucket
        # strangers: their address's bucket, which no user with a token shares
        forged = {"Authorization": "Bearer not-a-token"}
        assert [c.get("/api/meta", headers=forged).status_code for _ in range(3)] == [401] * 3
        assert c.get("/api/meta", headers=forged).status_code == 429
        assert c.get("/api/meta", headers=bearer(keys["int-analyst"])).status_code == 200
        # logins: per address and name typed; another user logs in all the same
        wrong = {"user": "pri-admin", "password": "wrong"}
        assert [c.post("/api/auth/login", json=wrong).status_code for _ in range(2)] == [401] * 2
        assert c.post("/api/auth/login", json=wrong).status_code == 429
        right = c.post("/api/auth/login", json={"user": "pri-viewer", "password": PASSWORD})
        assert right.status_code == 200, right.text


def test_rate_limits_are_configured_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from threadline.errors import InvalidValueError
    from threadline.security.ratelimit import ADDRESS_ENV, USER_ENV, Rate, RateLimits

    monkeypatch.setenv(USER_ENV, "off")
    monkeypatch.setenv(ADDRESS_ENV, "10/2")
    limits = RateLimits.from_env()
    assert limits.user is None and limits.address is not None
    assert limits.address.rate == Rate(10, 2) and limits.address.rate.per_second == 5
    assert limits.login is not None  # the default
    for bad in ("ten/60", "0.5/60", "10/0", "10/-1", "inf/1"):
        monkeypatch.setenv(USER_ENV, bad)
        with pytest.raises(InvalidValueError):
            RateLimits.from_env()
