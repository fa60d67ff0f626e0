"""Which API routes the tests actually called, and with what answer.

Every route the application declares must be called by some test and answer it
below 400 at least once (`tests/api/test_app.py` keeps the list of routes). The
check runs at the end of a whole-suite run (`pytest` or `make test` with no
paths, keywords or markers), where every test had its chance; a partial run only
records. A route reached by no test, or only ever refused, fails the run.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fastapi.routing import APIRoute

#: (method, path template) -> status codes it answered during this session.
CALLED: defaultdict[tuple[str, str], set[int]] = defaultdict(set)

_original_handle = APIRoute.handle


async def _recording_handle(self: APIRoute, scope: Any, receive: Any, send: Any) -> None:
    # Routers included under a prefix are mounted: the prefix is in the root path.
    key = (str(scope.get("method", "")).lower(), scope.get("root_path", "") + self.path)

    async def send_and_record(message: Any) -> None:
        if message.get("type") == "http.response.start":
            CALLED[key].add(int(message["status"]))
        await send(message)

    await _original_handle(self, scope, receive, send_and_record)


def install() -> None:
    """Record every call of every API route from now on (all apps, every thread)."""
    APIRoute.handle = _recording_handle  # type: ignore[method-assign]


def missing(declared: set[tuple[str, str]]) -> list[str]:
    """The declared routes no test called with an answer below 400, each with why."""
    problems = []
    for method, path in sorted(declared):
        codes = CALLED.get((method, path), set())
        if not codes:
            problems.append(f"{method.upper()} {path}: never called by a test")
        elif min(codes) >= 400:
            problems.append(f"{method.upper()} {path}: only ever refused ({sorted(codes)})")
    return problems
