"""A server that survives its database (issue 24): PostgreSQL restarted under ``serve``
with writes in flight.

The scenario is served by uvicorn on loopback; analysts write notes, grades and judgements from
several threads, each change with its own ``Idempotency-Key``, retried with the same key
after a 5xx or a dropped connection, as a careful client does. Meanwhile the database
server is stopped for a few seconds and started again. Afterwards every change answered
2xx is stored exactly once, and every change never answered 2xx is not stored; the
server answers again within 5 s of the database being back.
"""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg
from tests.conftest import _serve
from tests.security.scenario import bearer, tokens

#: How long the database stays down.
OUTAGE_SECONDS = 3.0
#: The target: the service answers within this long of the database being back.
BACK_WITHIN_SECONDS = 5.0


class Writer(threading.Thread):
    """Writes changes one after the other until told to stop, each retried with its key."""

    def __init__(self, base: str, token: str, kind: str, targets: list[str], stop: Any) -> None:
        super().__init__(daemon=True)
        self.base, self.kind, self.targets, self.stop = base, kind, targets, stop
        self.headers = bearer(token)
        #: key -> the statuses its attempts got (0: no answer, the connection dropped)
        self.answers: dict[str, list[int]] = {}
        #: (sent, answered, status) of every attempt, on the monotonic clock
        self.log: list[tuple[float, float, int]] = []

    def body(self, key: str, n: int) -> dict[str, Any]:
        target = self.targets[n % len(self.targets)]
        if self.kind == "note":
            return {"target_kind": "entity", "target": target, "text": f"restart {key}",
                    "analyst": "x"}  # fmt: skip
        if self.kind == "judgement":  # "unsure" of two entities: nothing changes shape
            other = self.targets[(n + 1) % len(self.targets)]
            return {"a": target, "b": other, "verdict": "unsure", "analyst": "x",
                    "reason": f"restart {key}"}  # fmt: skip
        return {"target": target, "source": "B", "information": "2", "reason": f"restart {key}"}

    def run(self) -> None:
        path = {"note": "api/notes", "grade": "api/grades", "judgement": "api/judgements"}[
            self.kind
        ]
        with httpx.Client(base_url=self.base, timeout=30) as http:
            n = 0
            while not self.stop.is_set():
                n += 1
                key = uuid.uuid4().hex
                tries = self.answers.setdefault(key, [])
                give_up = time.monotonic() + 40
                while time.monotonic() < give_up:
                    sent = time.monotonic()
                    try:
                        status = http.post(path, json=self.body(key, n), headers={
                            **self.headers, "Idempotency-Key": key}).status_code  # fmt: skip
                    except httpx.HTTPError:
                        status = 0
                    tries.append(status)
                    self.log.append((sent, time.monotonic(), status))
                    if 200 <= status < 300:
                        break
                    assert status == 0 or status >= 500, (key, tries)
                    time.sleep(0.2)
                time.sleep(0.1 if self.kind == "note" else 1.0)  # the others rebuild the views


def _answered(writers: list[Writer], after: float) -> list[int]:
    """How many changes each writer got answered 2xx among those it sent after ``after``."""
    return [sum(1 for sent, _, status in w.log if sent > after and 200 <= status < 300)
            for w in writers]  # fmt: skip


def _failed_since(writers: list[Writer], after: float) -> bool:
    """Whether any attempt sent after ``after`` went unanswered or got a 5xx."""
    return any(sent > after and (status == 0 or status >= 500)
               for w in writers for sent, _, status in list(w.log))  # fmt: skip


def _wait_for(condition: Any, what: str, timeout: float = 120.0) -> None:
    """Poll ``condition`` until it holds; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout:.0f} s for {what}"
        time.sleep(0.05)


def _stored(url: str, table: str, column: str) -> dict[str, int]:
    with psycopg.connect(url) as con:
        rows = con.execute(
            f"SELECT {column}, count(*) FROM {table} WHERE {column} LIKE 'restart %' "
            f"GROUP BY {column}"
        ).fetchall()
    return {str(text).split(" ", 1)[1]: int(n) for text, n in rows}


def test_writes_in_flight_survive_a_database_restart(scenarios: Any, tmp_path: Path) -> None:
    from threadline.api import create_app

    cluster = scenarios.cluster
    url = scenarios.copy(scenarios.master("postgresql"), tmp_path / "unused")
    keys = tokens(url)
    server, thread, base = _serve(create_app(url))
    stop = threading.Event()
    try:
        token = keys["pol-analyst"]
        with httpx.Client(base_url=base, timeout=30) as http:
            entities = [e["id"] for e in http.get("api/entities", params={"limit": 5},
                                                  headers=bearer(token)).json()["items"]]  # fmt: skip
            documents = [d["id"] for d in http.get("api/documents", headers=bearer(token))
                         .json()["items"]]  # fmt: skip
        writers = [Writer(base, token, "note", entities, stop) for _ in range(2)]
        writers.append(Writer(base, token, "grade", documents, stop))
        writers.append(Writer(base, token, "judgement", entities, stop))
        started = time.monotonic()
        for w in writers:
            w.start()
        # Events, not sleeps, so a slow machine changes how long this takes, not what
        # it proves: every writer has changes answered before the database goes down,
        # the database stays down until a change was in flight (and OUTAGE_SECONDS at
        # least), and every writer has changes answered after it is back.
        _wait_for(lambda: min(_answered(writers, started)) >= 3, "writes flowing")
        down_at = time.monotonic()
        cluster.stop_server()
        time.sleep(OUTAGE_SECONDS)
        _wait_for(lambda: _failed_since(writers, down_at), "a write during the outage")
        cluster.start_server()
        back_at = time.monotonic()
        _wait_for(lambda: min(_answered(writers, back_at)) >= 3, "writes flowing again")
    finally:
        stop.set()
        for w in writers:
            w.join(timeout=60)
        server.should_exit = True
        thread.join(timeout=30)
    stored_by_kind = {
        "note": _stored(url, "analyst_notes", "text"),
        "grade": _stored(url, "source_grades", "reason"),
        "judgement": _stored(url, "judgements", "reason"),
    }
    failed_once = 0
    for w in writers:
        stored = stored_by_kind[w.kind]
        for key, tries in w.answers.items():
            done = any(200 <= s < 300 for s in tries)
            assert stored.get(key, 0) == (1 if done else 0), (w.kind, key, tries)
            failed_once += any(s == 0 or s >= 500 for s in tries)
    assert failed_once, "no write was in flight during the outage: the test proves nothing"
    assert sum(len(w.answers) for w in writers) > 20  # 4 writers, 3 + 3 changes each at least
    # back: the first change answered 2xx among those sent after the database went down
    answered = [done for w in writers for sent, done, status in w.log
                if sent > down_at and 200 <= status < 300]  # fmt: skip
    back = min(answered) - back_at
    print(f"changes answered again {back:.2f} s after the database was back; "
          f"{failed_once} changes retried")  # fmt: skip
    assert back < BACK_WITHIN_SECONDS
    scenarios.drop(url)


def test_a_change_sent_again_with_its_id_is_carried_out_once(api: Any) -> None:
    """Idempotency-Key header or ``request_id`` in the body: the second sending gets the
    first answer (marked replayed) and stores nothing more, on both backends."""
    c, keys = api
    ana, admin = bearer(keys["pol-analyst"]), bearer(keys["pol-admin"])
    entity = c.get("/api/entities", params={"limit": 1}, headers=ana).json()["items"][0]["id"]

    def note(text: str, headers: dict[str, str], **extra: Any) -> Any:
        body = {"target_kind": "entity", "target": entity, "text": text, "analyst": "x", **extra}
        return c.post("/api/notes", json=body, headers=headers)

    def count(text: str) -> int:
        found = c.get("/api/notes", params={"target": entity, "limit": 200}, headers=ana).json()
        return sum(1 for n in found["items"] if n["text"] == text)

    first = note("once only", {**ana, "Idempotency-Key": "k-1"})
    again = note("once only", {**ana, "Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert count("once only") == 1
    # the same id in the body
    one = note("in the body", ana, request_id="r-1")
    two = note("in the body", ana, request_id="r-1")
    assert one.json() == two.json() and count("in the body") == 1
    # ids are per user: another user's "k-1" is a change of its own
    theirs = note("another user's", {**admin, "Idempotency-Key": "k-1"})
    assert theirs.status_code == 201 and "idempotent-replayed" not in theirs.headers
    # an id used for another route is refused; a malformed one too
    r = c.post("/api/grades", json={"target": "x", "source": "B", "information": "2"},
               headers={**ana, "Idempotency-Key": "k-1"})  # fmt: skip
    assert r.status_code == 422
    assert note("bad id", {**ana, "Idempotency-Key": "x" * 201}).status_code == 422
    assert count("bad id") == 0
    # without an id, two sendings are two notes
    note("twice", ana)
    note("twice", ana)
    assert count("twice") == 2


def test_reading_alerts_writes_nothing(api: Any) -> None:
    from threadline.store import open_workspace

    c, keys = api
    location = c.app.state.workbench._url

    def tables() -> dict[str, int]:
        with open_workspace(location) as ws:
            return {t: int(ws.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                    for t in ("alerts", "alert_hits", "audit_log", "request_ids")}  # fmt: skip

    before = tables()
    for user in ("pol-analyst", "int-analyst", "pri-admin"):
        assert c.get("/api/alerts", headers=bearer(keys[user])).status_code == 200
    assert tables() == before
