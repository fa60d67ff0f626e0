"""Leak tests: a user without clearance learns nothing of a SECRET source, whatever they ask.

The strongest check is non-interference: the police analyst's answers on the
scenario workspace equal, byte for byte, their answers on the same workspace built
without the intelligence service's SECRET report at all.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.security.scenario import bearer, client, doc_id, tokens

SECRET_ONLY = ("Nadia", "Kerrou", "Abu Said", "constant touch", "in 2014")


def _ids(c: Any, token: str, name: str) -> list[str]:
    r = c.get("/api/search", params={"q": name}, headers=bearer(token))
    return [h["entity"]["id"] for h in r.json()["items"]]


def test_uncleared_user_learns_nothing_of_a_secret_source(api: Any, scenario_ws: str) -> None:
    c, keys = api
    pol, intel = keys["pol-analyst"], keys["int-analyst"]
    nadia = _ids(c, intel, "Nadia Kerrou")
    assert nadia, "the cleared analyst finds her"
    secret_doc = doc_id(scenario_ws, "intel-source-report.txt")
    for q in ("Nadia", "Nadia Kerrou", "Kerr", "Abu Said", "nadja kerou"):
        body = c.get("/api/search", params={"q": q}, headers=bearer(pol)).json()
        assert body["total"] == 0 and body["items"] == [], q
    for path in (f"/api/entities/{nadia[0]}", f"/api/entities/{nadia[0]}/ties",
                 f"/api/graph/neighbourhood/{nadia[0]}", f"/api/documents/{secret_doc}"):  # fmt: skip
        r = c.get(path, headers=bearer(pol))
        assert r.status_code == 404, path
        assert not any(s in r.text for s in SECRET_ONLY)
    tarik = _ids(c, pol, "Tarik Benhadi")[0]
    r = c.get("/api/graph/path", params={"source": tarik, "target": nadia[0]}, headers=bearer(pol))
    assert r.status_code == 404
    page = c.get(f"/api/entities/{tarik}", headers=bearer(pol)).json()
    assert "Abu Said" not in json.dumps(page) and secret_doc not in json.dumps(page)
    hood = c.get(f"/api/graph/neighbourhood/{tarik}", params={"hops": 3}, headers=bearer(pol))
    assert not any(s in hood.text for s in SECRET_ONLY)
    for fmt in ("json", "ftm", "graphml", "gexf", "csv", "report"):
        r = c.get(f"/api/exports/{fmt}", headers=bearer(pol))
        assert r.status_code == 200
        blob = r.content.decode("utf-8", "replace") if fmt != "csv" else _unzip(r.content)
        assert not any(s in blob for s in SECRET_ONLY), fmt
        assert secret_doc not in blob, fmt
    meta = c.get("/api/meta", headers=bearer(pol)).json()
    assert meta["counts"]["documents"] == 1  # the police report: counts leak nothing
    docs = {d["id"] for d in c.get("/api/documents", headers=bearer(pol)).json()["items"]}
    assert docs == {doc_id(scenario_ws, "police-report.txt")}
    alerts = c.get("/api/alerts", headers=bearer(pol)).text
    assert not any(s in alerts for s in SECRET_ONLY)


def _unzip(data: bytes) -> str:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


ASKED = [
    ("/api/search", {"q": "Tarik"}),
    ("/api/search", {"q": "Ben"}),
    ("/api/entities", {"sort": "degree"}),
    ("/api/graph", {}),
    ("/api/documents", {}),
    ("/api/events", {}),
    ("/api/conflicts", {}),
    ("/api/cells", {}),
    ("/api/key-players", {"k": 2}),
    ("/api/triage", {"officers": 40}),
    ("/api/exports/json", {}),
]


@pytest.mark.parametrize("user", ["pol-analyst", "pri-viewer"])
def test_answers_do_not_depend_on_sources_the_user_may_not_see(
    scenario_ws: str, bare_ws: str, user: str
) -> None:
    """Non-interference: with or without the SECRET report in the workspace, every
    answer (results, counts, ordering, measures, cells, exports) is the same."""
    answers = []
    for root in (scenario_ws, bare_ws):
        token = tokens(root)[user]
        with client(root) as c:
            got = []
            for path, params in ASKED:
                r = c.get(path, params=params, headers=bearer(token))
                assert r.status_code == 200, (path, r.text)
                got.append(_stable(r.json()))
            answers.append(got)
    for (path, _), a, b in zip(ASKED, answers[0], answers[1], strict=True):
        assert a == b, path


def _stable(value: Any) -> Any:
    """Drop what differs between two builds for reasons other than the data (timings)."""
    if isinstance(value, dict):
        return {
            k: _stable(v)
            for k, v in value.items()
            if k not in ("load_seconds", "workspace", "source")
        }
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value
