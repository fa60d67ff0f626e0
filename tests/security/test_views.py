"""Per-user views on both backends: who reads the shared workbench, who gets a view,
and when a view is built again."""

from __future__ import annotations

from typing import Any

from tests.security.scenario import PASSWORD, bearer, client, tokens


def _joint_analyst(location: str) -> str:
    """A user of an agency every other agency shares everything with: they see it all."""
    from threadline.security.classification import share
    from threadline.security.users import add_agency, add_user, issue
    from threadline.store import open_workspace

    with open_workspace(location) as ws:
        add_agency(ws, "joint", "Joint analysis centre")
        for owner in ("police", "intel", "prison"):
            share(ws, owner, "joint", max_level="SECRET", compartments=["HUMINT"])
        add_user(ws, "joint-analyst", agency="joint", role="analyst", password=PASSWORD,
                 clearance="SECRET", compartments={"HUMINT"})  # fmt: skip
        return issue(ws, "joint-analyst", kind="token")[0]


def test_a_user_who_sees_everything_reads_the_shared_workbench(
    scenario_ws: str, monkeypatch: Any
) -> None:
    joint = _joint_analyst(scenario_ws)
    pol = tokens(scenario_ws)["pol-analyst"]
    with client(scenario_ws) as c:
        views = c.app.state.access.views
        asked: list[int] = []
        real = views.is_everything
        monkeypatch.setattr(
            views, "is_everything", lambda s: asked.append(len(s.documents)) or real(s)
        )
        for _ in range(5):
            r = c.get("/api/search", params={"q": "Nadia Kerrou"}, headers=bearer(joint))
            assert r.json()["total"] >= 1  # the SECRET HUMINT report's name
        assert asked == [3], "whether a scope sees everything is asked once, not per request"
        assert views.built() == {}  # no view was built for them
        docs = c.get("/api/documents", headers=bearer(joint)).json()["total"]
        assert docs == 3
        # the police analyst gets a view of their own, built once
        for _ in range(3):
            assert c.get("/api/documents", headers=bearer(pol)).json()["total"] == 1
        assert len(views.built()) == 1 and asked == [3, 1]
        # a change of permissions drops every view and the answer is asked again
        c.app.state.access.invalidate()
        c.get("/api/meta", headers=bearer(joint))
        assert views.built() == {} and asked == [3, 1, 3]


def test_a_note_reaches_every_view_that_may_show_it_without_building_views_again(
    api: Any,
) -> None:
    """The police analyst's note: police and the intelligence service (which police share
    their work with) see it at once; the prison service does not; no view is rebuilt."""
    c, keys = api
    pol, intel, prison = (bearer(keys[u]) for u in ("pol-analyst", "int-analyst", "pri-viewer"))

    def tarik(token: dict[str, str]) -> str:
        hits = c.get("/api/search", params={"q": "Tarik Benhadi"}, headers=token).json()
        return str(hits["items"][0]["entity"]["id"])

    ids = {name: tarik(t) for name, t in (("pol", pol), ("intel", intel), ("prison", prison))}
    access = c.app.state.access
    views = access.views.built()
    assert len(views) == 3
    r = c.post("/api/notes", json={"target_kind": "entity", "target": ids["pol"],
               "analyst": "x", "text": "seen at the harbour again"}, headers=pol)  # fmt: skip
    assert r.status_code == 201, r.text
    assert access.views.built() == views, "no view was dropped or built again"

    def notes(token: dict[str, str], entity: str) -> list[str]:
        page = c.get(f"/api/entities/{entity}", headers=token).json()
        return [n["text"] for n in page["notes"]]

    assert notes(pol, ids["pol"]) == ["seen at the harbour again"]
    if ids["intel"] == ids["pol"]:  # the same person has the same id in both views
        assert notes(intel, ids["intel"]) == ["seen at the harbour again"]
    listed = c.get("/api/notes", headers=intel).json()["items"]
    assert [n["text"] for n in listed] == ["seen at the harbour again"]
    assert c.get("/api/notes", headers=prison).json()["items"] == []
    assert notes(prison, ids["prison"]) == []
    # retracting it reaches the same views
    c.post(f"/api/notes/{r.json()['id']}/retract", json={"analyst": "x"}, headers=pol)
    assert notes(pol, ids["pol"]) == [] and c.get("/api/notes", headers=intel).json()["items"] == []


def test_concurrent_requests_check_a_token_and_a_scope_once(api: Any, monkeypatch: Any) -> None:
    """Twenty requests arriving together with an unchecked token: one of them asks the
    database who it is and what they see; the others wait for its answer."""
    from concurrent.futures import ThreadPoolExecutor

    import threadline.api.auth as auth_module

    c, keys = api
    access = c.app.state.access
    token = bearer(keys["int-viewer"])
    c.get("/api/meta", headers=token)  # the view exists
    checks: list[str] = []
    real_auth, real_scope = auth_module.authenticate, access.views._new_scope

    def slow_auth(*args: Any, **kw: Any) -> Any:
        checks.append("token")
        import time

        time.sleep(0.2)  # the others arrive meanwhile
        return real_auth(*args, **kw)

    monkeypatch.setattr(auth_module, "authenticate", slow_auth)
    monkeypatch.setattr(
        access.views, "_new_scope", lambda who: checks.append("scope") or real_scope(who)
    )
    access.forget()
    access.views.forget_scopes()
    with ThreadPoolExecutor(20) as pool:
        codes = list(pool.map(lambda _: c.get("/api/meta", headers=token).status_code, range(20)))
    assert codes == [200] * 20
    assert checks == ["token", "scope"]
