"""Corrections (issue 18) on a workspace shared by agencies: a correction belongs to
the analyst's agency and applies in the views that see that agency's work (its own
and partners it shares with), not in the others; only its agency may undo it."""

from __future__ import annotations

from typing import Any

from tests.security.scenario import bearer


def _tarik(c: Any, token: dict[str, str]) -> str:
    hits = c.get("/api/search", params={"q": "Tarik Benhadi"}, headers=token).json()
    return str(hits["items"][0]["entity"]["id"])


def _aliases(c: Any, token: dict[str, str], entity: str) -> set[str]:
    page = c.get(f"/api/entities/{entity}", headers=token).json()
    return {a["name"] for a in page["aliases"]}


def test_a_correction_applies_in_the_views_that_trust_its_agency(api: Any) -> None:
    c, keys = api
    pol, intel, prison, viewer = (
        bearer(keys[u]) for u in ("pol-analyst", "int-analyst", "pri-admin", "pol-viewer")
    )
    body = {"kind": "alias", "entity": _tarik(c, pol), "name": "the Quay Man", "reason": "x"}
    refused = c.post("/api/corrections", json=body, headers=viewer)
    assert refused.status_code == 403  # a viewer corrects nothing
    made = c.post("/api/corrections", json=body | {"analyst": "someone else"}, headers=pol)
    assert made.status_code == 201, made.text
    assert made.json()["user"] == "pol-analyst" and made.json()["status"] == "applied"
    assert "the Quay Man" in _aliases(c, pol, _tarik(c, pol))
    assert "the Quay Man" in _aliases(c, intel, _tarik(c, intel))  # police share with intel
    assert "the Quay Man" not in _aliases(c, prison, _tarik(c, prison))
    assert c.get("/api/corrections", headers=prison).json()["total"] == 0
    # another agency cannot withdraw it; its own analyst can
    cid = made.json()["id"]
    assert c.post(f"/api/corrections/{cid}/undo", headers=intel).status_code == 404
    undone = c.post(f"/api/corrections/{cid}/undo", headers=pol)
    assert undone.status_code == 200, undone.text
    assert "the Quay Man" not in _aliases(c, pol, _tarik(c, pol))
    assert "the Quay Man" not in _aliases(c, intel, _tarik(c, intel))
    actions = [r["action"] for r in c.get("/api/audit", headers=bearer(keys["auditor"])).json()[
        "items"
    ]]  # fmt: skip
    assert "correction" in actions and "correction.undo" in actions
