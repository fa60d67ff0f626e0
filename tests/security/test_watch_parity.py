"""Watching an entity is one use case (issue 21): ``threadline watch add|list`` and
``POST|GET /api/watches`` apply the user's view the same way, so a user is never listed
a watch that keeps a name from a source they may not see, on either interface."""

from __future__ import annotations

import json
from typing import Any

from tests.security.scenario import bearer, client, tokens

#: Users of the scenario: intelligence (with and without HUMINT) and police.
WHO = ("int-analyst", "int-viewer", "int-admin", "pol-analyst")


def _cli(*args: str) -> Any:
    from typer.testing import CliRunner

    from threadline.cli.app import app

    return CliRunner().invoke(app, list(args), env={"THREADLINE_AGENCY": "", "THREADLINE_USER": ""})


def test_a_watch_is_listed_alike_on_both_interfaces_and_only_to_who_sees_it(
    scenario_ws: str,
) -> None:
    w = ["--workspace", str(scenario_ws)]
    # Yassin Dahmani is only in the prison record, which the intelligence service may not see
    refused = _cli("watch", "add", "Yassin Dahmani", "--as", "int-analyst", *w)
    assert refused.exit_code == 1
    assert "is not in any source int-analyst may see" in refused.output
    made = _cli("watch", "add", "Tarik Benhadi", "--as", "int-analyst", *w)
    assert made.exit_code == 0, made.output
    cli = {}
    for user in WHO:
        listed = _cli("watch", "list", "--as", user, "--json", *w)
        assert listed.exit_code == 0, listed.output
        cli[user] = json.loads(listed.stdout)
    [watch] = cli["int-analyst"]
    assert watch["label"] == "Tarik Benhadi" and watch["agency"] == "intel"
    # Tarik Benhadi's name in the HUMINT report is kept by the watch: the intelligence
    # viewer, without the compartment, is not shown it; the police never see intel's
    assert cli["int-viewer"] == [] and cli["pol-analyst"] == []
    assert cli["int-admin"] == [watch]
    keys = tokens(scenario_ws)
    with client(scenario_ws) as c:
        api = {u: c.get("/api/watches", headers=bearer(keys[u])).json() for u in WHO}
        assert api == cli
        # the same entity watched through the API keeps the same mentions
        found = c.get("/api/search", params={"q": "Tarik Benhadi"},
                      headers=bearer(keys["int-analyst"])).json()["items"]  # fmt: skip
        tarik = next(h["entity"]["id"] for h in found if h["entity"]["name"] == "Tarik Benhadi")
        r = c.post("/api/watches", json={"entity": tarik}, headers=bearer(keys["int-analyst"]))
        assert r.status_code == 201, r.text
        assert r.json()["mentions"] == watch["mentions"] > 1
        assert c.get("/api/watches", headers=bearer(keys["int-viewer"])).json() == []
