"""Nothing hidden leaks around the view (issue 23): analyst work, watches, alerts, the audit
log and admins follow the evidence's clearance.

One module-wide case on top of the three-agency scenario: the intelligence service
shares its work with the police up to RESTRICTED; its analyst writes notes, asserts ties
and judges, some of them naming people known only from its SECRET HUMINT report; a
police analyst judges on the command line; police and intelligence watch Tarik Benhadi
and ask the other agencies for their matches; admins create users and try to go above
their own clearance; somebody types a password into the login's name field. Each test
checks one of the issue's numbered causes; the last probes every route of the
application as every user for anything they may not see.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from tests.security.conftest import Scenarios
from tests.security.scenario import PASSWORD, USERS, bearer, client, tokens

#: A password typed into the login form's name field.
TYPED_SECRET = "hunter2 is my password"
#: Strings only a document (or analyst work resting on it) holds: who may not see the
#: document must find none of them anywhere.
MARKERS = {
    "intel-source-report.txt": (
        "Nadia", "Kerrou", "Abu Said", "constant touch", "she recruited him", "our informant",
        "meets her weekly", "different people", "in 2014",
    ),
    "prison-release-record.txt": ("Yassin", "Dahmani", "Lindemark", "shared a cell"),
    "police-report.txt": ("Omar", "Saleh", "Vremmingen", "old friends"),
}  # fmt: skip
#: Analyst work on visible evidence: seen by the agency and whom it shares its work with.
WORK = {
    "intel": ("seen at the harbour again", "confirmed at the quay"),
    "police": ("police judgement marker",),
}


@dataclass
class World:
    location: str
    c: Any
    keys: dict[str, str]
    ids: dict[str, str]
    docs: dict[str, str]  # file name -> document id
    folders: set[str]  # where the sources were ingested from
    cli: dict[str, Any] = field(default_factory=dict)


def _entity(c: Any, token: str, name: str) -> str | None:
    r = c.get("/api/search", params={"q": name}, headers=bearer(token))
    found = [h["entity"]["id"] for h in r.json()["items"] if h["entity"]["name"] == name]
    return found[0] if found else None


def _cli(*args: str) -> Any:
    from typer.testing import CliRunner

    from threadline.cli.app import app

    return CliRunner().invoke(app, list(args), env={"THREADLINE_AGENCY": "", "THREADLINE_USER": ""})


@pytest.fixture(scope="module")
def world(
    scenarios: Scenarios, backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    from threadline.store import open_workspace

    location = scenarios.copy(scenarios.master(backend), tmp_path_factory.mktemp("d") / "ws")
    w = ["--workspace", location]
    # the command line first (an embedded workspace has one writer at a time)
    cli = {
        "anonymous": _cli("merge", "Omar Saleh", "Harbour Police", *w),
        "viewer": _cli("judge", "Omar Saleh", "Harbour Police", "not-same",
                       "--agency", "police", "--user", "pol-viewer", *w),
        # judged in the user's view, as through the API: the prison record is not intel's
        "hidden": _cli("merge", "Tarik Benhadi", "Yassin Dahmani", "--agency", "intel",
                       "--user", "int-analyst", *w),
        "police": _cli("judge", "Omar Saleh", "Harbour Police", "not-same", "--agency",
                       "police", "--user", "pol-analyst", "--reason",
                       "police judgement marker", *w),
    }  # fmt: skip
    with open_workspace(location) as ws:
        docs = {d.source.rsplit("/", 1)[-1]: d.id for d in ws.documents()}
        folders = {d.source.rsplit("/", 1)[0] for d in ws.documents()}
    keys = tokens(location)
    with client(location) as c:
        ia, ia_admin, pa = (bearer(keys[u]) for u in ("int-analyst", "int-admin", "pol-analyst"))
        ids = {n: _entity(c, keys["int-analyst"], n) for n in
               ("Tarik Benhadi", "Nadia Kerrou", "Omar Saleh", "Abu Said")}  # fmt: skip
        assert all(ids.values()), ids
        tarik, nadia, omar, abu = (ids[n] for n in ("Tarik Benhadi", "Nadia Kerrou",
                                                     "Omar Saleh", "Abu Said"))  # fmt: skip
        r = c.post("/api/admin/shares", json={"partner": "police", "max_level": "RESTRICTED"},
                   headers=ia_admin)  # fmt: skip
        assert r.status_code == 201, r.text

        def note(target: str, text: str) -> str:
            r = c.post("/api/notes", json={"target_kind": "entity", "target": target,
                       "analyst": "x", "text": text}, headers=ia)  # fmt: skip
            assert r.status_code == 201, r.text
            return str(r.json()["id"])

        ids["note_informant"] = note(nadia, "Nadia Kerrou is our informant")
        ids["note_alias"] = note(tarik, "Tarik Benhadi, known as Abu Said, meets her weekly")
        ids["note_plain"] = note(tarik, "seen at the harbour again")

        def assert_tie(a: str, b: str, statement: str) -> str:
            r = c.post("/api/asserted-ties", json={"type": "associate", "source": a,
                       "target": b, "analyst": "x", "statement": statement}, headers=ia)  # fmt: skip
            assert r.status_code == 201, r.text
            return str(r.json()["id"])

        ids["tie_hidden"] = assert_tie(tarik, nadia, "she recruited him")
        ids["tie_plain"] = assert_tie(tarik, omar, "confirmed at the quay")
        r = c.post("/api/judgements", json={"a": nadia, "b": omar, "verdict": "not_same",
                   "analyst": "x", "reason": "different people"}, headers=ia)  # fmt: skip
        assert r.status_code == 201, r.text
        r = c.post("/api/judgements", json={"a": tarik, "b": abu, "verdict": "same",
                   "analyst": "x", "reason": "one man"}, headers=ia)  # fmt: skip
        assert r.status_code == 201, r.text

        # watches and hit/no-hit requests, both ways
        for token, entity in ((ia, tarik), (pa, _entity(c, keys["pol-analyst"], "Tarik Benhadi"))):
            r = c.post("/api/watches", json={"entity": entity}, headers=token)
            assert r.status_code == 201, r.text
        for token, reason in ((ia, "released inmate"), (pa, "Omar Saleh's friend")):
            for a in c.get("/api/alerts", headers=token).json()["items"]:
                if a["kind"] == "hit" and a["status"] == "open" and a["documents"] == []:
                    r = c.post(f"/api/alerts/{a['id']}/request", json={"reason": reason},
                               headers=token)  # fmt: skip
                    assert r.status_code == 200, r.text
        # an admin creates a user within their clearance; a RESTRICTED holder admin
        r = c.post("/api/admin/users", json={"name": "int-admin-r", "password": PASSWORD,
                   "role": "admin", "clearance": "RESTRICTED"}, headers=ia_admin)  # fmt: skip
        assert r.status_code == 201, r.text
        # a password typed into the name field
        r = c.post("/api/auth/login", json={"user": TYPED_SECRET, "password": "whatever 123"})
        assert r.status_code == 401
        with open_workspace(location) as ws:
            from threadline.security.users import issue

            keys["int-admin-r"] = issue(ws, "int-admin-r", kind="token")[0]
        yield World(location, c, keys, ids, docs, folders, cli)
    scenarios.drop(location)


def _seen_docs(world: World, user: str) -> set[str]:
    from threadline.security.classification import visible_documents
    from threadline.security.users import get_user
    from threadline.store import open_workspace

    with open_workspace(world.location) as ws:
        return set(visible_documents(ws, get_user(ws, user).principal()) or ())


def _get(world: World, user: str, path: str, **params: Any) -> Any:
    r = world.c.get(path, params=params, headers=bearer(world.keys[user]))
    assert r.status_code == 200, (path, r.text)
    return r.json()


# -- 1. the audit log --------------------------------------------------------------------


def test_audit_is_read_per_agency_and_keeps_no_typed_secret(world: World) -> None:
    for user, agency in (("pol-admin", "police"), ("auditor", "police"), ("int-admin", "intel"),
                         ("pri-admin", "prison")):  # fmt: skip
        log = _get(world, user, "/api/audit", limit=1000)
        assert log["items"], user
        assert {i["agency"] for i in log["items"]} == {agency}, user
        assert all("seq" not in i and "hash" not in i for i in log["items"])
        assert TYPED_SECRET not in str(log)
        # asking for another agency's records gives none
        other = _get(world, user, "/api/audit", agency="intel" if agency != "intel" else "police")
        assert other["items"] == [] and other["total"] == 0
    police = str(_get(world, "pol-admin", "/api/audit", limit=1000))
    assert "int-analyst" not in police and "Nadia" not in police
    # the holder's record of a hit names its documents; the watcher's does not
    prison = _get(world, "pri-admin", "/api/audit", action="alert.hit", limit=100)["items"]
    assert any(world.docs["prison-release-record.txt"] in i["detail"].get("documents", [])
               for i in prison)  # fmt: skip
    intel = _get(world, "int-admin", "/api/audit", action="alert.hit", limit=100)["items"]
    watcher = [i for i in intel if "holder" in i["detail"]]
    assert watcher and all("documents" not in i["detail"] for i in watcher)
    # within the agency, a record naming what the reader may not see is absent: the
    # RESTRICTED intel admin sees neither the analyst's note on Nadia Kerrou nor searches
    restricted = str(_get(world, "int-admin-r", "/api/audit", limit=1000))
    assert "Nadia" not in restricted and "Abu Said" not in restricted
    assert "int-analyst" in str(_get(world, "int-admin", "/api/audit", limit=1000))
    verify = _get(world, "auditor", "/api/audit/verify")
    assert verify["ok"] is True and "head" not in verify


def test_failed_login_records_only_known_user_names(world: World) -> None:
    from threadline.security.audit import read
    from threadline.store import open_workspace

    with open_workspace(world.location) as ws:
        failed, _ = read(ws, action="login.failed", limit=100)
        typed = ws.con.execute("SELECT user_name FROM login_failures").fetchall()
    assert failed and all(i["actor"] == "(unknown user)" for i in failed)
    assert TYPED_SECRET not in str(failed) and TYPED_SECRET not in str(typed)


# -- 2-4. notes, asserted ties, judgements --------------------------------------------------


def test_notes_follow_the_evidence_not_the_owning_agency(world: World) -> None:
    texts = {
        u: {n["text"] for n in _get(world, u, "/api/notes", limit=100)["items"]}
        for u in ("int-analyst", "int-viewer", "pol-analyst", "pol-viewer", "pri-admin")
    }
    every = {"Nadia Kerrou is our informant", "seen at the harbour again",
             "Tarik Benhadi, known as Abu Said, meets her weekly"}  # fmt: skip
    assert texts["int-analyst"] == every
    # the intel viewer (no HUMINT) and the police see only the note on visible evidence
    for user in ("int-viewer", "pol-analyst", "pol-viewer"):
        assert texts[user] == {"seen at the harbour again"}, user
    assert texts["pri-admin"] == set()  # the intelligence service does not share with it
    nadia = world.ids["Nadia Kerrou"]
    r = _get(world, "pol-analyst", "/api/notes", target=nadia, retracted=True)
    assert r["items"] == [] and r["total"] == 0


def test_asserted_ties_follow_the_evidence(world: World) -> None:
    def statements(user: str) -> set[str]:
        found = _get(world, user, "/api/asserted-ties", retracted=True)["items"]
        return {a["statement"] for a in found}

    assert statements("int-analyst") == {"she recruited him", "confirmed at the quay"}
    for user in ("pol-analyst", "int-viewer"):
        assert statements(user) == {"confirmed at the quay"}, user
    assert statements("pri-viewer") == set()
    graph = str(_get(world, "pol-analyst", "/api/graph"))
    assert "recruited" not in graph and "Nadia" not in graph


def test_judgements_with_a_hidden_side_are_absent(world: World) -> None:
    def reasons(user: str) -> set[str]:
        return {j.get("reason") for j in _get(world, user, "/api/judgements", limit=100)["items"]}

    assert {"different people", "one man"} <= reasons("int-analyst")
    for user in ("pol-analyst", "pol-viewer", "int-viewer"):
        found = reasons(user)
        assert "different people" not in found and "one man" not in found, user
    tarik = _entity(world.c, world.keys["pol-analyst"], "Tarik Benhadi")
    page = str(_get(world, "pol-analyst", f"/api/entities/{tarik}"))
    assert "Abu Said" not in page and "one man" not in page
    omar = world.ids["Omar Saleh"]
    page = str(_get(world, "pol-analyst", f"/api/entities/{omar}"))
    assert "Nadia" not in page and "different people" not in page
    export = world.c.get("/api/exports/json", headers=bearer(world.keys["pol-analyst"])).text
    assert "Nadia" not in export and "different people" not in export


# -- 5. the command line --------------------------------------------------------------------


def test_command_line_judgements_name_their_agency_and_user(world: World) -> None:
    cli = world.cli
    assert cli["anonymous"].exit_code == 1
    assert "--agency AGENCY --user USER" in cli["anonymous"].output
    assert cli["viewer"].exit_code == 1 and "viewer" in cli["viewer"].output
    hidden = cli["hidden"]
    assert hidden.exit_code == 1 and "matches no entity" in hidden.output, hidden.output
    assert "Lindemark" not in hidden.output  # no hint from the record intel may not see
    assert cli["police"].exit_code == 0, cli["police"].output

    def reasons(user: str) -> set[str]:
        return {j.get("reason") for j in _get(world, user, "/api/judgements", limit=100)["items"]}

    assert "police judgement marker" in reasons("pol-viewer")
    assert "police judgement marker" not in reasons("pri-admin")
    from threadline.security.visibility import owners
    from threadline.store import open_workspace

    with open_workspace(world.location) as ws:
        row = ws.con.execute(
            "SELECT id, user_name FROM judgements WHERE reason = 'police judgement marker'"
        ).fetchone()
        assert row is not None and row[1] == "pol-analyst"
        assert owners(ws, "judgement", "nobody")[str(row[0])] == "police"


# -- 6-7. watches and alerts ------------------------------------------------------------------


def test_watches_and_alerts_follow_the_clearance(world: World) -> None:
    labels = {u: [w["label"] for w in _get(world, u, "/api/watches")] for u in
              ("int-analyst", "int-viewer", "pol-viewer", "pri-viewer")}  # fmt: skip
    assert labels["int-analyst"] == ["Tarik Benhadi"]
    assert labels["int-viewer"] == []  # the watch keeps a name from the HUMINT report
    assert labels["pol-viewer"] == ["Tarik Benhadi"]
    assert labels["pri-viewer"] == []
    hits = [a for a in _get(world, "int-viewer", "/api/alerts")["items"] if a["kind"] == "hit"]
    assert hits == []


def test_holders_see_a_request_only_with_the_clearance_of_the_match(world: World) -> None:
    def requests(user: str) -> list[dict[str, Any]]:
        found = _get(world, user, "/api/alerts")["items"]
        return [a for a in found if a["kind"] == "request"]

    secret_doc = world.docs["intel-source-report.txt"]
    [seen] = requests("int-admin")  # police asked for the intelligence service's match
    assert seen["watcher"] == "police" and [d["id"] for d in seen["documents"]] == [secret_doc]
    assert seen["requested_by"] is None  # no user name of another agency
    assert seen["reason"] == "Omar Saleh's friend"  # the police share Omar Saleh with it
    for user in ("int-viewer", "int-admin-r"):
        assert requests(user) == [], user
    r = world.c.post(f"/api/alerts/{seen['id']}/grant",
                     headers=bearer(world.keys["int-admin-r"]))  # fmt: skip
    assert r.status_code == 404
    # the prison record is RESTRICTED: its viewer sees the requests, named as it names him
    prison = requests("pri-viewer")
    assert {a["watcher"] for a in prison} == {"intel", "police"}
    assert {a["watch_label"] for a in prison} == {"Tarik Benhadi"}
    # the police's reason names Omar Saleh, whom the prison service does not see: withheld
    assert {a["reason"] for a in prison} == {"released inmate", None}


# -- 8. clearance ceilings ------------------------------------------------------------------


def test_nobody_creates_shares_or_classifies_above_their_clearance(world: World) -> None:
    c = world.c
    restricted = bearer(world.keys["pri-admin"])
    for body in ({"clearance": "SECRET"}, {"clearance": "RESTRICTED", "compartments": ["HUMINT"]}):
        r = c.post("/api/admin/users", json={"name": "pri-probe", "password": PASSWORD,
                   "role": "viewer", **body}, headers=restricted)  # fmt: skip
        assert r.status_code == 403, r.text
    r = c.post("/api/admin/shares", json={"partner": "police", "max_level": "SECRET"},
               headers=restricted)  # fmt: skip
    assert r.status_code == 403
    r = c.post("/api/admin/shares", json={"partner": "police", "max_level": "RESTRICTED",
               "compartments": ["HUMINT"]}, headers=restricted)  # fmt: skip
    assert r.status_code == 403
    r = c.post("/api/admin/classification", json={"document":
               world.docs["prison-release-record.txt"], "level": "SECRET"}, headers=restricted)  # fmt: skip
    assert r.status_code == 403
    names = {u["name"] for u in _get(world, "pri-admin", "/api/admin/users")}
    assert "pri-probe" not in names
    assert {s["partner"] for s in _get(world, "pri-admin", "/api/admin/shares")} <= {"prison"}


# -- privacy of operators -------------------------------------------------------------------


def test_answers_hold_no_folders_and_ids_count_nothing(world: World, backend: str) -> None:
    meta = _get(world, "pol-analyst", "/api/meta")
    assert "/" not in meta["workspace"] and "threadline-view" not in str(meta)
    for d in _get(world, "pol-analyst", "/api/documents")["items"]:
        assert "/" not in d["source"]
    ids = sorted(w["id"] for u in ("int-analyst", "pol-analyst")
                 for w in _get(world, u, "/api/watches"))  # fmt: skip
    assert len(ids) == 2 and ids[1] - ids[0] != 1


def test_init_never_prints_the_password(pg_cluster: Any) -> None:
    url = pg_cluster.new_database("init")
    try:
        with_password = url.replace("postgres@", "postgres:pw-never-printed@")
        r = _cli("init", with_password)
        assert r.exit_code == 0, r.output
        assert "pw-never-printed" not in r.output and "***" in r.output
    finally:
        pg_cluster.drop_database(url)


# -- every route, every user ------------------------------------------------------------------


def _forbidden(world: World, user: str) -> set[str]:
    """What ``user`` must find nowhere: the markers and ids of the documents they may not
    see, and other agencies' work they are not shared."""
    seen = _seen_docs(world, user)
    out: set[str] = set()
    for name, doc in world.docs.items():
        if doc not in seen:
            out.update(MARKERS[name])
            out.add(doc)
    agency = USERS[user][0] if user in USERS else "intel"
    # police share their work with the intelligence service, and it shares its with them
    shared = {"intel": {"intel", "police"}, "police": {"police", "intel"}, "prison": {"prison"}}
    shared = shared[agency]
    for owner, texts in WORK.items():
        if owner not in shared:
            out.update(texts)
    out.update({TYPED_SECRET, PASSWORD, "threadline-view-", *world.folders})
    return out


def _text(r: Any) -> str:
    if r.content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(r.content)) as z:
            return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return r.content.decode("utf-8", "replace")


def _probes(world: World, app: Any) -> list[tuple[str, dict[str, Any]]]:
    from threadline.api.access import app_routes
    from threadline.store import open_workspace

    with open_workspace(world.location) as ws:
        entities = [e.id for e in ws.entities()]
        ties = [str(r[0]) for r in ws.con.execute("SELECT id FROM ties").fetchall()]
        ties += [str(r[0]) for r in ws.con.execute("SELECT id FROM analyst_ties").fetchall()]
    values = {"entity_id": entities, "tie_id": ties, "document_id": list(world.docs.values()),
              "fmt": ["json", "ftm", "graphml", "gexf", "csv", "report"],
              "cell_id": ["0", "1", "2"]}  # fmt: skip
    names = [m for ms in MARKERS.values() for m in ms] + ["Tarik Benhadi", "Ben"]
    probes: list[tuple[str, dict[str, Any]]] = []
    for method, template in app_routes(app):
        if method != "GET" or template in ("/static", "/api/docs", "/api/openapi.json"):
            continue
        params = re.findall(r"{(\w+)}", template)
        if not params:
            probes.append((template, {}))
            continue
        for value in values[params[0]]:
            probes.append((template.replace("{" + params[0] + "}", value), {}))
    probes += [("/api/search", {"q": n}) for n in names]
    probes += [("/api/graph/path", {"source": a, "target": b}) for a in entities for b in entities
               if a < b]  # fmt: skip
    probes += [("/api/notes", {"target": e, "retracted": "true"}) for e in entities + ties]
    probes += [("/api/graph/neighbourhood/" + e, {"hops": 3}) for e in entities]
    probes += [("/api/search", {"q": w}) for n in names for w in n.split() if len(w) > 3]
    probes += [("/api/search", {"q": t}) for ts in WORK.values() for t in ts]
    probes += [("/api/asserted-ties", {"retracted": "true"}), ("/api/graph", {"hops": 3}),
               ("/api/audit", {"limit": 1000}), ("/api/audit", {"action": "alert.*"})]  # fmt: skip
    probes += [("/api/audit", {"agency": a}) for a in ("police", "intel", "prison")]
    return probes


def test_no_route_shows_any_user_what_they_may_not_see(world: World) -> None:
    """Every GET route of the application (with every entity, tie, document, format and
    cell id, hidden ones included, and searches for every hidden name) as every user:
    no answer holds a marker or id of a source they may not see, another agency's work
    they are not shared, a password, or a folder of the server; and no 500."""
    probes = _probes(world, world.c.app)
    # the audit log first: the probes below are audited, with what they ask for
    audit = [p for p in probes if p[0].startswith("/api/audit")]
    rest = [p for p in probes if not p[0].startswith("/api/audit")]
    leaks: list[tuple[str, str, str, str]] = []
    done = 0
    users = [*USERS, "int-admin-r"]
    forbidden_of = {u: _forbidden(world, u) for u in users}
    for user, path, params in [(u, *p) for part in (audit, rest) for u in users for p in part]:
        forbidden = forbidden_of[user]
        agency = USERS[user][0] if user in USERS else "intel"
        if True:
            r = world.c.get(path, params=params, headers=bearer(world.keys[user]))
            done += 1
            assert r.status_code != 500, (user, path, params)
            body = _text(r)
            for asked in [path, *map(str, params.values())]:  # what the probe itself sent
                for part in asked.split("/"):
                    if len(part) > 3:
                        body = body.replace(part, "")
            lowered = body.lower()
            leaks += [(user, path, str(params), s) for s in forbidden if s.lower() in lowered]
            if path == "/api/audit" and r.status_code == 200:
                agencies = {i["agency"] for i in r.json()["items"]}
                leaks += [(user, path, str(params), f"agency {a}") for a in agencies - {agency}]
    # every state-changing route, aimed at what the user may not see or another agency owns
    for user in users:
        for path, body in _post_probes(world, user):
            r = world.c.post(path, json=body, headers=bearer(world.keys[user]))
            done += 1
            assert r.status_code != 500, (user, path, body)
            if r.status_code < 400:
                leaks.append((user, path, str(body), f"HTTP {r.status_code}"))
            text = r.text
            for sent in [*path.split("/"), *map(str, body.values())]:
                if len(sent) > 3:
                    text = text.replace(sent, "")
            leaks += [(user, path, str(body), s) for s in forbidden_of[user]
                      if s.lower() in text.lower()]  # fmt: skip
    assert leaks == [], sorted({(u, p, s) for u, p, _, s in leaks})[:40]
    assert done > 1800


def _post_probes(world: World, user: str) -> list[tuple[str, dict[str, Any]]]:
    """POSTs on objects ``user`` may not see (or that another agency owns): each must be
    refused, and say nothing of them."""
    from threadline.store import open_workspace

    def ids(path: str, key: str = "id", **params: Any) -> set[str]:
        r = world.c.get(path, params=params, headers=bearer(world.keys[user]))
        if r.status_code != 200:
            return set()
        body = r.json()
        return {str(i[key]) for i in (body["items"] if isinstance(body, dict) else body)}

    with open_workspace(world.location) as ws:

        def every(sql: str, *args: Any) -> set[str]:
            return {str(r[0]) for r in ws.con.execute(sql, list(args)).fetchall()}

        entities = every("SELECT id FROM entities")
        notes, ties = every("SELECT id FROM analyst_notes"), every("SELECT id FROM analyst_ties")
        judgements, watches = every("SELECT id FROM judgements"), every("SELECT id FROM watches")
        alerts = every("SELECT id FROM alerts")
        tokens = every("SELECT id FROM credentials WHERE user_name <> $1", user)
        agency = every("SELECT agency FROM users WHERE name = $1", user).pop()
        others = every("SELECT name FROM users WHERE agency <> $1", agency)
    hidden = sorted(entities - ids("/api/entities", limit=1000))
    seen_docs = _seen_docs(world, user)
    docs = [d for d in world.docs.values() if d not in seen_docs]
    out: list[tuple[str, dict[str, Any]]] = []
    for e in hidden:
        out += [
            ("/api/notes", {"target_kind": "entity", "target": e, "analyst": "x", "text": "t"}),
            ("/api/asserted-ties", {"type": "associate", "source": e, "target": hidden[0],
                                    "analyst": "x", "statement": "s"}),
            ("/api/judgements", {"a": e, "b": hidden[-1], "verdict": "unsure", "analyst": "x"}),
            (f"/api/entities/{e}/split", {"names": ["x"], "analyst": "x"}),
            ("/api/watches", {"entity": e}),
        ]  # fmt: skip
    out += [(f"/api/notes/{n}/retract", {"analyst": "x"}) for n in
            sorted(notes - ids("/api/notes", retracted="true", limit=1000))]  # fmt: skip
    out += [(f"/api/asserted-ties/{t}/retract", {"analyst": "x"}) for t in
            sorted(ties - ids("/api/asserted-ties", retracted="true", limit=1000))]  # fmt: skip
    out += [("/api/judgements/undo", {"analyst": "x", "judgement": j}) for j in
            sorted(judgements - ids("/api/judgements", limit=1000))]  # fmt: skip
    out += [(f"/api/watches/{w}/remove", {}) for w in sorted(watches - ids("/api/watches"))]
    mine = ids("/api/alerts", limit=1000)
    for a in sorted(alerts - mine):
        out += [
            (f"/api/alerts/{a}/{verb}", {"reason": "r"}) for verb in ("request", "grant", "deny")
        ]
    out += [(f"/api/auth/tokens/{t}/revoke", {}) for t in sorted(tokens)]
    out += [(f"/api/admin/users/{u}/disable", {}) for u in sorted(others)]
    for d in docs:
        out += [
            ("/api/grades", {"target": d, "source": "B", "information": "2"}),
            ("/api/admin/classification", {"document": d, "level": "OPEN"}),
        ]
    clearance, compartments = USERS.get(user, ("intel", "admin", "RESTRICTED", []))[2:]
    above = [{"clearance": "SECRET", "compartments": ["HUMINT", "SIGINT"]}]
    if clearance != "SECRET":
        above.append({"clearance": "SECRET"})
    out += [("/api/admin/users", {"name": "probe-user", "password": PASSWORD, "role": "viewer",
                                  **b}) for b in above]  # fmt: skip
    out += [("/api/admin/shares", {"partner": "prison", "max_level": "SECRET",
                                   "compartments": ["SIGINT"]})]  # fmt: skip
    return out
