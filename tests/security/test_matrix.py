"""The authorisation matrix, generated from the application's own routes.

Every route must have a rule in ``threadline.api.access.RULES`` (a new endpoint
without one fails here, and is refused at run time). For every route and every
role, a denied role gets 403 and an allowed one never 401/403; without
credentials every non-public route is 401. For every level x compartment, a
user sees exactly the documents the classification rule allows.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from tests.security.scenario import bearer, doc_id

from threadline.api.access import RULES, app_routes, route_rule
from threadline.security import ROLES

ROLE_USER = {"viewer": "pol-viewer", "analyst": "pol-analyst", "admin": "pol-admin",
             "auditor": "auditor"}  # fmt: skip


def _routes(app: Any) -> list[tuple[str, str]]:
    return app_routes(app)


def test_every_route_has_an_access_rule(shared_api: Any) -> None:
    c, _ = shared_api
    routes = _routes(c.app)
    assert len(routes) >= 50
    missing = [r for r in routes if route_rule(*r) is None]
    assert missing == [], f"routes without an access rule: {missing}"
    stale = set(RULES) - set(routes)
    assert stale == set(), f"rules for routes that do not exist: {stale}"


def _fill(path: str, ids: dict[str, str]) -> str:
    for key, value in ids.items():
        path = path.replace("{" + key + "}", value)
    return path


def test_role_matrix_over_every_endpoint(api: Any, scenario_ws: str) -> None:
    c, keys = api
    tarik = c.get("/api/search", params={"q": "Tarik"}, headers=bearer(keys["pol-admin"]))
    entity = tarik.json()["items"][0]["entity"]["id"]
    ties = c.get(f"/api/entities/{entity}/ties", headers=bearer(keys["pol-admin"])).json()
    ids = {"entity_id": entity, "tie_id": ties["items"][0]["id"],
           "document_id": doc_id(scenario_ws, "police-report.txt"), "fmt": "json",
           "cell_id": "0", "note_id": "n-none", "alert_id": "999", "watch_id": "999",
           "token_id": "none", "name": "nobody"}  # fmt: skip
    checked = 0
    for (method, template), role in itertools.product(_routes(c.app), ROLES):
        rule = route_rule(method, template)
        assert rule is not None
        if rule.public or template in ("/static", "/api/auth/logout"):
            continue
        path = _fill(template, ids)
        params = {"q": "Tarik", "source": entity, "target": entity}
        r = c.request(method, path, params=params, json={} if method == "POST" else None,
                      headers=bearer(keys[ROLE_USER[role]]))  # fmt: skip
        if role in rule.roles:
            assert r.status_code not in (401, 403), (method, template, role, r.text)
        else:
            assert r.status_code == 403, (method, template, role, r.status_code)
        checked += 1
    assert checked > 150


def test_every_non_public_route_needs_credentials(shared_api: Any) -> None:
    c, _ = shared_api
    for method, template in _routes(c.app):
        rule = route_rule(method, template)
        if rule is None or rule.public:
            continue
        r = c.request(method, _fill(template, {"entity_id": "x", "tie_id": "x",
                      "document_id": "x", "fmt": "json", "cell_id": "0", "note_id": "x",
                      "alert_id": "1", "watch_id": "1", "token_id": "x", "name": "x"}),
                      json={} if method == "POST" else None)  # fmt: skip
        assert r.status_code == 401, (method, template, r.status_code)


LEVELS = ("OPEN", "RESTRICTED", "SECRET")


@pytest.mark.parametrize("clearance", LEVELS)
@pytest.mark.parametrize("compartments", [(), ("HUMINT",)])
@pytest.mark.parametrize("agency", ["police", "intel", "prison"])
def test_level_and_compartment_matrix(module_ws: str, clearance: str,
                                      compartments: tuple[str, ...], agency: str) -> None:  # fmt: skip
    """Which documents a user of each agency, clearance and compartment set sees."""
    from tests.security.scenario import CLASSES, PASSWORD

    from threadline.security.classification import visible_documents
    from threadline.security.users import add_user
    from threadline.store import open_workspace

    rank = {n: i for i, n in enumerate(LEVELS)}
    probe = "-".join(["probe", agency, clearance, *compartments]).lower()
    with open_workspace(module_ws) as ws:
        who = add_user(ws, probe, agency=agency, role="viewer", password=PASSWORD,
                       clearance=clearance, compartments=set(compartments)).principal()  # fmt: skip
        seen = visible_documents(ws, who)
        by_name = {d.source.rsplit("/", 1)[-1]: d.id for d in ws.documents()}
    expected = set()
    for name, (owner, level, comps) in CLASSES.items():
        shared = owner == "police" and agency == "intel" and rank[level] <= rank["RESTRICTED"]
        if (rank[level] <= rank[clearance] and set(comps) <= set(compartments)
                and (owner == agency or shared)):  # fmt: skip
            expected.add(by_name[name])
    assert seen == expected
