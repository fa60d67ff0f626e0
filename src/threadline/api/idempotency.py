"""Request ids: a change sent twice is carried out once (issue 24).

A client that got no answer (a dropped connection, a 503 while the database
restarted) cannot know whether its change was stored. It sends the change again
with the same id, in an ``Idempotency-Key`` header or a ``request_id`` field of
the JSON body, and gets the first answer back (header ``Idempotent-Replayed:
true``) instead of a second note, judgement or grade.

How: :class:`RequestIds` (ASGI) notes the id of a POST under ``/api``; once the
caller is authenticated, :func:`check` answers a known id from the
``request_ids`` table (ids are per user); else the id is *armed*, and the first
transaction the request commits on the shared workspace stores it
(:func:`claim`, through ``Workspace.before_commit``), so the change and its id
land together or not at all. The answer is stored just after. A retry of a
change whose answer was lost with the database is told it was carried out (200,
code ``T112``); a retry while the first is still running waits for it, then gets
409 (code ``T113``): try again for its answer. Ids are kept for 24 hours.
"""

from __future__ import annotations

import contextvars
import json
import logging
import random
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from fastapi import HTTPException

from threadline.errors import (  # defined in errors.py; re-exported
    DuplicateRequestError as DuplicateRequestError,
)
from threadline.security.users import iso, now
from threadline.store import request_ids as stored

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

HEADER = "idempotency-key"
BODY_FIELD = "request_id"
#: How long an id is remembered.
KEEP = timedelta(hours=24)
_MAX_KEY = 200
_log = logging.getLogger(__name__)


@dataclass
class Pending:
    """The id of the request being served, and how far it got."""

    key: str
    method: str
    path: str
    user: str | None = None
    home: Any = None  # the shared Workbench
    armed: bool = False  # the caller is known and the id is new: the next commit stores it
    placed: bool = False  # a committed transaction holds the id
    steps: list[Any] = field(default_factory=list)


_CURRENT: contextvars.ContextVar[Pending | None] = contextvars.ContextVar(
    "threadline_request_id", default=None
)


class ReplayedError(Exception):
    """The request's id is known: answer with what was stored for it.

    Control flow, not an error: the app's handler turns it into the stored answer
    (allow-listed in ``tests/test_errors.py``)."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__("replayed")
        self.status = status
        self.body = body


def current() -> Pending | None:
    return _CURRENT.get()


def arm() -> None:
    """From now on the request's first commit stores its id (after :func:`check`, and
    after the request's own audit record, which is not the change)."""
    pending = current()
    if pending is not None and pending.user is not None:
        pending.armed = True


def check(home: Any, user: str) -> None:
    """After authentication: answer a known id (:class:`ReplayedError`)."""
    pending = current()
    if pending is None:
        return
    pending.user, pending.home = user, home
    with home.database() as ws:
        row = stored.find(ws, user, pending.key)
    if row is None:
        return
    if (row.method, row.path) != (pending.method, pending.path):
        raise HTTPException(
            422, f"this request id was already used for {row.method} {row.path}: send a new one"
        )
    if row.status is None:  # stored with the change, but the answer was lost with the database
        body = {
            "detail": "this request was already carried out; its answer was not kept",
            "code": "T112",
            "request_id": pending.key,
        }
        raise ReplayedError(200, json.dumps(body))
    raise ReplayedError(row.status, str(row.response))


@contextmanager
def claiming(ws: Any) -> Iterator[None]:
    """While the block runs on the shared workspace ``ws``: the request's first commit
    also stores its armed id (see the module doc)."""
    pending = current()
    if pending is None or not pending.armed or pending.placed or pending.steps:
        yield  # nothing to store, or an outer block on this request already watches
        return

    def step(w: Any) -> None:
        if pending.placed:
            return
        if not stored.wrote_in_transaction(w):  # a transaction that only read is not the change
            return
        try:
            stored.claim(w, str(pending.user), pending.key, pending.method, pending.path,
                         at=iso(now()))  # fmt: skip
        except w.db_errors as exc:
            if "duplicate" in str(exc).lower() or "constraint" in str(exc).lower():
                raise DuplicateRequestError(
                    f"request id {pending.key!r} was carried out by another request while "
                    "this one ran; send it again for its answer"
                ) from exc
            raise
        w.after_commit.append(lambda: setattr(pending, "placed", True))

    ws.before_commit.append(step)
    pending.steps.append(step)
    try:
        yield
    finally:
        pending.steps.remove(step)
        if step in ws.before_commit:
            ws.before_commit.remove(step)


def remember(pending: Pending, status: int, body: bytes) -> None:
    """Store the answer of a request whose change went through (run just after it)."""
    pending.armed = False
    text = body.decode("utf-8", errors="replace")
    with pending.home.database() as ws:
        user = str(pending.user)
        if pending.placed:
            stored.set_answer(ws, user, pending.key, status, text)
        else:  # the route wrote outside a transaction, or nothing: keep its answer all the same
            found = stored.StoredRequest(user, pending.key, pending.method, pending.path, status,
                                         text)  # fmt: skip
            stored.store_answer(ws, found, at=iso(now()))
        if random.random() < 0.01:  # forget old ids now and then
            stored.forget_before(ws, iso(now() - KEEP))


def _key_of(scope: Scope, body: bytes) -> str | None:
    for name, value in scope.get("headers") or []:
        if name == HEADER.encode():
            return str(value.decode("latin-1")).strip()
    content_type = dict(scope.get("headers") or []).get(b"content-type", b"")
    if b"json" in content_type and BODY_FIELD.encode() in body:
        try:
            found = json.loads(body)
        except ValueError:
            return None
        if isinstance(found, dict) and isinstance(found.get(BODY_FIELD), str):
            return str(found[BODY_FIELD])
    return None


async def _refuse(send: Send, status: int, detail: str, code: str) -> None:
    body = json.dumps({"detail": detail, "code": code}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestIds:
    """ASGI middleware: notes a change's request id, stores the answer of one that went
    through (the body of the request is read once and handed on unchanged)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] in ("GET", "HEAD", "OPTIONS")
            or not str(scope.get("path", "")).startswith("/api/")
        ):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        key = _key_of(scope, body)
        replay = _replay([{"type": "http.request", "body": body, "more_body": False}], receive)
        if key is None:
            await self.app(scope, replay, send)
            return
        if not key or len(key) > _MAX_KEY or not key.isprintable():
            await _refuse(send, 422, f"a request id is 1 to {_MAX_KEY} visible characters", "T422")
            return
        pending = Pending(key=key, method=scope["method"], path=str(scope["path"]))
        token = _CURRENT.set(pending)
        held: list[Message] = []
        try:
            await self.app(scope, replay, _hold(held))
        finally:
            _CURRENT.reset(token)
        status = next((int(m["status"]) for m in held if m["type"] == "http.response.start"), 0)
        if pending.user is not None and pending.armed and 200 <= status < 300:
            from starlette.concurrency import run_in_threadpool

            answer = b"".join(m.get("body", b"") for m in held if m["type"] == "http.response.body")
            try:
                await run_in_threadpool(remember, pending, status, answer)
            except Exception:  # the change stands; only a retry's answer is poorer for it
                _log.warning("the answer to request id %s could not be stored", key, exc_info=True)
        for m in held:
            await send(m)


def _hold(held: list[Message]) -> Send:
    async def send(message: Message) -> None:
        held.append(message)

    return send


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    queue = list(messages)

    async def receive() -> Message:
        if queue:
            return queue.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive
