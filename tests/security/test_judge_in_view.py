"""Judge in the user's view (issue 21): the command line's ``judge --agency`` and the API's
``POST /api/judgements`` call one use case, so they accept and refuse alike, and a refusal
never names or quotes a judgement of an agency the user is not shown.

The three-agency scenario: the intelligence service sees the police report (shared up to
RESTRICTED) and judges Tarik Benhadi and Omar Saleh one man; the police do not see the
intelligence service's judgements. A police analyst then judges the two different people:
on one copy of the workspace on the command line, on another through the API.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from tests.security.conftest import Scenarios
from tests.security.scenario import bearer, client, tokens

#: What only the intelligence service's judgement holds.
INTEL_REASON = "intel-only judgement reason"
INTEL = (INTEL_REASON, "int-analyst", "Abu Said", "Nadia", "Kerrou")


def _cli(*args: str) -> Any:
    from typer.testing import CliRunner

    from threadline.cli.app import app

    return CliRunner().invoke(app, list(args), env={"THREADLINE_AGENCY": "", "THREADLINE_USER": ""})


def _as(agency: str, user: str, location: str, *args: str) -> Any:
    return _cli(*args, "--agency", agency, "--user", user, "--workspace", location)


def _entity(c: Any, token: str, name: str) -> str:
    r = c.get("/api/search", params={"q": name}, headers=bearer(token))
    [found] = [h["entity"]["id"] for h in r.json()["items"] if h["entity"]["name"] == name]
    return str(found)


@pytest.fixture
def copies(scenarios: Scenarios, backend: str, tmp_path: Path) -> dict[str, str]:
    """Two copies of the scenario, each with the intelligence service's judgement."""
    out = {}
    for name in ("cli", "api"):
        location = scenarios.copy(scenarios.master(backend), tmp_path / name)
        r = _as("intel", "int-analyst", location, "merge", "Tarik Benhadi", "Omar Saleh",
                "--reason", INTEL_REASON)  # fmt: skip
        assert r.exit_code == 0, r.output
        out[name] = location
    return out


def _words(text: str) -> str:
    """``text`` without line breaks and the minute a judgement was recorded."""
    return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d", "TIME", " ".join(text.split()))


def _api_judge(location: str, verdict: str) -> tuple[int, dict[str, Any]]:
    keys = tokens(location)
    with client(location) as c:
        token = keys["pol-analyst"]
        a, b = (_entity(c, token, n) for n in ("Tarik Benhadi", "Omar Saleh"))
        r = c.post("/api/judgements", json={"a": a, "b": b, "verdict": verdict,
                   "analyst": "x", "reason": "police"}, headers=bearer(token))  # fmt: skip
        return r.status_code, r.json()


def test_the_command_line_judges_in_the_users_view_like_the_api(
    copies: dict[str, str],
) -> None:
    # not the same: contradicts only the judgement the police do not see
    r = _as("police", "pol-analyst", copies["cli"], "judge", "Tarik Benhadi", "Omar Saleh",
            "not-same", "--reason", "police", "--json")  # fmt: skip
    status, answer = _api_judge(copies["api"], "not_same")
    assert r.exit_code == 0, r.output  # was refused, naming the intelligence service's #1
    assert status == 201, answer
    for secret in INTEL:
        assert secret not in r.output, secret
        assert secret not in json.dumps(answer), secret
    out = json.loads(r.stdout)
    assert [j["verdict"] for j in out["recorded"]] == ["not_same"]
    assert out["contradictions"] == []  # held back for whom sees both, not told the police
    assert {e["name"] for e in out["entities"]} == {"Tarik Benhadi", "Omar Saleh"}

    # the same: contradicts the police's own judgement, which they see: both refuse alike
    r = _as("police", "pol-analyst", copies["cli"], "merge", "Tarik Benhadi", "Omar Saleh")
    status, answer = _api_judge(copies["api"], "same")
    assert r.exit_code == 1 and status == 409, (r.output, answer)
    assert answer["code"] == "T810" and "[T810]" in r.output
    assert _words(answer["detail"]) in _words(r.output)
    assert not re.search(r"#1\b", r.output)  # the intelligence service's judgement
    for secret in INTEL:
        assert secret not in r.output, secret


def test_the_hidden_contradiction_is_held_back(copies: dict[str, str]) -> None:
    """The shared workspace holds both judgements back, as if recorded with ``--force``:
    reported to whom sees both (here the whole workspace's history)."""
    r = _as("police", "pol-analyst", copies["cli"], "judge", "Tarik Benhadi", "Omar Saleh",
            "not-same")  # fmt: skip
    assert r.exit_code == 0, r.output
    r = _cli("judgements", "--json", "--workspace", copies["cli"])
    rows = json.loads(r.stdout)
    rows = rows["judgements"] if isinstance(rows, dict) else rows
    statuses = {row["verdict"]: row["status"] for row in rows if "verdict" in row}
    assert statuses == {"same": "held_back", "not_same": "held_back"}, statuses
