"""The three-agency scenario (docs/agencies.md): the prison service's record of a released
inmate raises a hit for the intelligence service, which cannot see it; it asks, the
prison service grants, the source appears in its view; the audit log shows every step."""

from __future__ import annotations

from typing import Any

from tests.security.scenario import bearer, doc_id


def _entity(c: Any, token: str, name: str) -> dict[str, Any] | None:
    hits = c.get("/api/search", params={"q": name}, headers=bearer(token)).json()["items"]
    found = [h["entity"] for h in hits if h["entity"]["name"] == name]
    return found[0] if found else None


def test_prison_record_raises_a_hit_the_request_is_granted_and_audited(
    api: Any, scenario_ws: Any
) -> None:
    c, keys = api
    intel, prison = keys["int-analyst"], keys["pri-admin"]
    prison_doc = doc_id(scenario_ws, "prison-release-record.txt")

    # the intelligence service sees Tarik Benhadi (its own SECRET report, police's report)
    tarik = _entity(c, intel, "Tarik Benhadi")
    assert tarik is not None
    assert _entity(c, intel, "Yassin Dahmani") is None  # only in the prison record
    r = c.post("/api/watches", json={"entity": tarik["id"]}, headers=bearer(intel))
    assert r.status_code == 201, r.text

    alerts = c.get("/api/alerts", headers=bearer(intel)).json()["items"]
    hit = next(a for a in alerts if a["holder"] == "prison")
    assert hit["status"] == "open" and hit["documents"] == []  # no title, no id
    assert "Agency 'prison' holds a match" in hit["text"]
    assert "Yassin" not in str(hit) and "Lindemark" not in str(hit) and prison_doc not in str(hit)
    # the visible police hit names the police report
    police_hit = next(a for a in alerts if a["holder"] == "police")
    assert police_hit["documents"][0]["id"] == doc_id(scenario_ws, "police-report.txt")

    # the prison service sees nothing until a request is made
    assert c.get("/api/alerts", headers=bearer(prison)).json()["items"] == []
    r = c.post(f"/api/alerts/{hit['id']}/request", json={"reason": "released inmate, watched"},
               headers=bearer(intel))  # fmt: skip
    assert r.status_code == 200, r.text
    [request] = c.get("/api/alerts", headers=bearer(prison)).json()["items"]
    assert request["kind"] == "request" and request["watcher"] == "intel"
    assert request["documents"] == [{"id": prison_doc, "title": request["documents"][0]["title"]}]
    # an analyst may not grant; the intelligence service may not grant its own request
    assert c.post(f"/api/alerts/{hit['id']}/grant", headers=bearer(intel)).status_code == 403
    assert (
        c.post(f"/api/alerts/{hit['id']}/grant", headers=bearer(keys["int-admin"])).status_code
        == 404
    )
    r = c.post(f"/api/alerts/{hit['id']}/grant", headers=bearer(prison))
    assert r.status_code == 200 and r.json()["shared"] == 1

    # now the record is in the intelligence service's view, with what it says
    yassin = _entity(c, intel, "Yassin Dahmani")
    assert yassin is not None
    r = c.get(f"/api/documents/{prison_doc}", headers=bearer(intel))
    assert r.status_code == 200
    assert "In prison Tarik Benhadi shared a cell with Yassin Dahmani." in r.json()["text"]
    spans = {s["entity"] for s in r.json()["spans"]}
    assert {tarik["id"], yassin["id"]} <= spans
    # ... and still not in the police view (the grant was to intel only)
    assert _entity(c, keys["pol-analyst"], "Yassin Dahmani") is None

    # each agency's audit shows its own steps, in order; the police auditor sees none of
    # them (audit per agency), and the chain is intact
    def actions(user: str) -> list[tuple[str, str]]:
        log = c.get("/api/audit", params={"limit": 500}, headers=bearer(keys[user])).json()
        return [(r["action"], r["actor"]) for r in reversed(log["items"])]

    for user, steps in (
        ("int-admin", [("watch.add", "int-analyst"), ("alert.hit", "threadline"),
                       ("alert.request", "int-analyst")]),
        ("pri-admin", [("alert.hit", "threadline"), ("alert.grant", "pri-admin")]),
    ):  # fmt: skip
        seen = actions(user)
        positions = [seen.index(s) for s in steps]
        assert positions == sorted(positions), user
    assert ("search", "int-analyst") in actions("int-admin")
    assert ("document.view", "int-analyst") in actions("int-admin")
    police = actions("auditor")
    assert not any(actor.startswith(("int-", "pri-")) for _, actor in police)
    assert not any(action.startswith("alert.") for action, _ in police)
    verified = c.get("/api/audit/verify", headers=bearer(keys["auditor"])).json()
    assert verified["ok"] and verified["records"] >= 1


def test_scenario_through_the_command_line(scenario_ws: Any) -> None:
    from typer.testing import CliRunner

    from threadline.cli.app import app

    run = CliRunner()
    w = ["--workspace", str(scenario_ws)]
    r = run.invoke(app, ["watch", "add", "Tarik Benhadi", "--as", "int-analyst", *w])
    assert r.exit_code == 0, r.output
    r = run.invoke(app, ["alerts", "--as", "int-analyst", *w])
    assert "Agency 'prison' holds a match for your watched entity 'Tarik Benhadi'" in r.output
    alert = r.output.split("#", 1)[1].split(" ", 1)[0]
    number = next(line.split()[0][1:] for line in r.output.splitlines() if "'prison'" in line)
    assert alert
    assert run.invoke(app, ["alerts", "request", number, "--as", "int-analyst", *w]).exit_code == 0
    refused = run.invoke(app, ["alerts", "grant", number, "--as", "int-analyst", *w])
    assert refused.exit_code == 1
    r = run.invoke(app, ["alerts", "grant", number, "--as", "pri-admin", *w])
    assert r.exit_code == 0 and "1 source(s) shared" in r.output
    log = run.invoke(app, ["audit", "log", "--action", "alert.*", *w])
    assert "alert.grant" in log.output and "alert.request" in log.output
    assert run.invoke(app, ["audit", "verify", *w]).exit_code == 0


def test_a_request_denied_keeps_the_source_hidden(api: Any, scenario_ws: Any) -> None:
    c, keys = api
    intel, prison = keys["int-analyst"], keys["pri-admin"]
    tarik = _entity(c, intel, "Tarik Benhadi")
    assert tarik is not None
    c.post("/api/watches", json={"entity": tarik["id"]}, headers=bearer(intel))
    alerts = c.get("/api/alerts", headers=bearer(intel)).json()["items"]
    hit = next(a for a in alerts if a["holder"] == "prison")
    r = c.post(
        f"/api/alerts/{hit['id']}/request", json={"reason": "watched"}, headers=bearer(intel)
    )
    assert r.status_code == 200, r.text
    r = c.post(f"/api/alerts/{hit['id']}/deny", headers=bearer(prison))
    assert r.status_code == 200, r.text
    assert r.json() == {"id": hit["id"], "status": "denied", "shared": 0}
    assert _entity(c, intel, "Yassin Dahmani") is None
    prison_doc = doc_id(scenario_ws, "prison-release-record.txt")
    assert c.get(f"/api/documents/{prison_doc}", headers=bearer(intel)).status_code == 404


def test_a_revoked_token_no_longer_opens_the_api(api: Any) -> None:
    c, keys = api
    r = c.post("/api/auth/tokens", json={"label": "script", "days": 1},
               headers=bearer(keys["int-analyst"]))  # fmt: skip
    assert r.status_code == 201, r.text
    made = r.json()
    assert c.get("/api/meta", headers=bearer(made["token"])).status_code == 200
    r = c.post(f"/api/auth/tokens/{made['id']}/revoke", headers=bearer(keys["int-analyst"]))
    assert r.status_code == 200 and r.json() == {"id": made["id"], "revoked": True}
    assert c.get("/api/meta", headers=bearer(made["token"])).status_code == 401


def test_the_owning_admin_reclassifies_a_source(api: Any, scenario_ws: Any) -> None:
    c, keys = api
    prison_doc = doc_id(scenario_ws, "prison-release-record.txt")
    admin = bearer(keys["pri-admin"])
    before = {d["document"]: d for d in c.get("/api/admin/classification", headers=admin).json()}
    assert prison_doc in before
    r = c.post("/api/admin/classification",
               json={"document": prison_doc, "level": "OPEN"}, headers=admin)  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["level"] == "OPEN" and r.json()["document"] == prison_doc
    after = {d["document"]: d for d in c.get("/api/admin/classification", headers=admin).json()}
    assert before[prison_doc]["level"] == "RESTRICTED" and after[prison_doc]["level"] == "OPEN"
    actions = [
        e["action"] for e in c.get("/api/audit", headers=bearer(keys["pri-admin"])).json()["items"]
    ]
    assert "classify" in actions
