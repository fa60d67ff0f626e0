"""Which API routes the tests actually called, and with what answer.

Every route the application declares must be called by some test and answer it
below 400 at least once (`tests/api/test_app.py` keeps the list of routes). The
check runs at the end of a whole-suite run (`pytest` or `make test` with no
paths, keywords or markers), where every test had its chance; a partial run only
records. A route reached by no test, or only ever refused, fails the run.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from fastapi import FastAPI

#: (method, request path) -> status codes it answered during this session.
CALLED: defaultdict[tuple[str, str], set[int]] = defaultdict(set)
#: Error answers (4xx, 5xx) in JSON whose body carries no ``code``: (method, path, status).
UNCODED: set[tuple[str, str, int]] = set()

_original_call = FastAPI.__call__


async def _recording_call(self: FastAPI, scope: Any, receive: Any, send: Any) -> None:
    if scope.get("type") != "http":
        await _original_call(self, scope, receive, send)
        return
    key = (str(scope.get("method", "")).lower(), str(scope.get("path", "")))

    started: dict[str, Any] = {}

    async def send_and_record(message: Any) -> None:
        if message.get("type") == "http.response.start":
            CALLED[key].add(int(message["status"]))
            started["status"] = int(message["status"])
            started["json"] = any(
                k.lower() == b"content-type" and v.startswith(b"application/json")
                for k, v in message.get("headers", [])
            )
            started["body"] = b""
        elif message.get("type") == "http.response.body" and started.get("status", 0) >= 400:
            started["body"] += message.get("body", b"")
            if started["json"] and not message.get("more_body"):
                _check_coded(key, started["status"], started["body"])
        await send(message)

    await _original_call(self, scope, receive, send_and_record)


def _check_coded(key: tuple[str, str], status: int, body: bytes) -> None:
    try:
        answer = json.loads(body)
    except ValueError:
        answer = None
    if not (isinstance(answer, dict) and answer.get("code")):
        UNCODED.add((*key, status))


def install() -> None:
    """Record every request every application answers from now on (TestClient and
    served apps alike: they run in this process)."""
    FastAPI.__call__ = _recording_call  # type: ignore[method-assign]


def seen() -> dict[str, Any]:
    """This process's calls and uncoded errors, as JSON-able lists (a pytest-xdist
    worker hands them to the controller)."""
    return {
        "called": [[m, path, sorted(codes)] for (m, path), codes in CALLED.items()],
        "uncoded": [list(item) for item in UNCODED],
    }


def merge(calls: dict[str, Any]) -> None:
    """Add what :func:`seen` returned in another process to this one's record."""
    for method, path, codes in calls.get("called", []):
        CALLED[(method, path)].update(int(c) for c in codes)
    for method, path, status in calls.get("uncoded", []):
        UNCODED.add((method, path, int(status)))


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


def missing(declared: set[tuple[str, str]]) -> list[str]:
    """The declared routes no test called with an answer below 400, each with why.

    A request counts for the most specific template it matches (fewest parameters),
    so ``/api/judgements/undo`` does not count for ``/api/judgements/{id}``."""
    templates = sorted(declared, key=lambda mp: (mp[1].count("{"), mp[1]))
    codes: dict[tuple[str, str], set[int]] = defaultdict(set)
    for (method, path), statuses in CALLED.items():
        for m, template in templates:
            if m == method and _pattern(template).fullmatch(path):
                codes[(m, template)] |= statuses
                break
    problems = []
    for method, path in sorted(declared):
        seen = codes.get((method, path), set())
        if not seen:
            problems.append(f"{method.upper()} {path}: never called by a test")
        elif min(seen) >= 400:
            problems.append(f"{method.upper()} {path}: only ever refused ({sorted(seen)})")
    return problems


def uncoded() -> list[str]:
    """The error answers of this session whose JSON body carried no ``code`` (the API
    promises ``{"detail", "code"}`` on every error)."""
    return [f"{m.upper()} {path}: {status} without a code" for m, path, status in sorted(UNCODED)]
