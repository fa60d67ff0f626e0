"""The FastAPI application: the REST API under ``/api`` and the web workbench at ``/``.

Used from Python (``threadline serve`` does this on a port; the API tests use
FastAPI's test client the same way)::

    from fastapi.testclient import TestClient
    client = TestClient(create_app("threadline-demo"))
    client.get("/api/search", params={"q": "ouardig"}).json()["items"][0]["matched"]

OpenAPI: ``/api/openapi.json``, browsable at ``/api/docs`` (Swagger UI served from
the package, no CDN). Errors are JSON ``{"detail": "...", "code": "T400"}``:
404 for an unknown id, 422 for a bad parameter and 409 for a judgement that
contradicts others.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from threadline import __version__
from threadline.api import idempotency as request_ids
from threadline.api.access import (
    SAFE_METHODS,
    Access,
    access_of,
    authorize,
    route_rule,
    route_template,
)
from threadline.api.analysis import TooLargeError
from threadline.api.routes import (
    access,
    analysis,
    corrections,
    documents,
    entities,
    events,
    exports,
    grades,
    graph,
    judgements,
    meta,
    notes,
    search,
    ties,
)
from threadline.api.state import Workbench
from threadline.errors import (
    DatabaseUnavailableError,
    InvalidValueError,
    JudgementError,
    MalformedRequestError,
    MethodNotAllowedError,
    NotFoundError,
    RequestTooLargeError,
    ThreadlineError,
)
from threadline.security import (
    AuthenticationError,
    CsrfError,
    PermissionDeniedError,
    RateLimitedError,
    TooManyRequestsError,
)
from threadline.security.ratelimit import RateLimits
from threadline.web import STATIC_DIR

#: Only this origin: the page can call nothing outside the machine.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]


class SecurityHeaders:
    """Adds the CSP and no-sniff headers to every response (plain ASGI: no per-request cost
    of a ``BaseHTTPMiddleware``)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
        ]

    async def __call__(
        self,
        scope: Scope,
        receive: Callable[[], Awaitable[Message]],
        send: Callable[[Message], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + self.headers
            await send(message)

        await self.app(scope, receive, with_headers)


#: The largest request body accepted (no endpoint takes more than a note's 10,000 characters).
MAX_BODY = 1 << 20


class BoundedBody:
    """Refuses a request body above :data:`MAX_BODY` bytes with HTTP 413, by its declared
    length or, sent in chunks, as soon as it grows past it (nothing is parsed)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(
        self,
        scope: Scope,
        receive: Callable[[], Awaitable[Message]],
        send: Callable[[Message], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > MAX_BODY:
            await _too_large(send)
            return
        seen = 0
        refused = False

        async def counted() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > MAX_BODY:
                    refused = True
                    return {"type": "http.disconnect"}
            return message

        started = False

        async def guarded(message: Message) -> None:
            nonlocal started
            if refused and not started:
                started = True
                await _too_large(send)
                return
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counted, guarded)


async def _too_large(send: Callable[[Message], Awaitable[None]]) -> None:
    import json

    body = json.dumps(
        {
            "detail": f"the request body is larger than {MAX_BODY} bytes",
            "code": RequestTooLargeError.code,
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }  # fmt: skip
    )
    await send({"type": "http.response.body", "body": body})


async def _invalid(request: Request, exc: Exception) -> JSONResponse:
    """A request that fails validation: 401 first when it also lacks valid credentials (a
    stranger's request is not parsed for them), else 422 naming each field and what is
    wrong with it, without echoing the input back."""
    from starlette.concurrency import run_in_threadpool

    access = access_of(request)
    rule = route_rule(request.method, route_template(request))
    if access.enabled and (rule is None or not rule.public):
        try:
            await run_in_threadpool(
                access.principal, request, unsafe=request.method not in SAFE_METHODS
            )
        except (AuthenticationError, CsrfError) as refused:
            status = 401 if isinstance(refused, AuthenticationError) else 403
            return JSONResponse({"detail": str(refused), "code": refused.code}, status_code=status)
    errors: list[Any] = list(getattr(exc, "errors", list)())
    detail = [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))[:300], "type": e.get("type")}
        for e in errors[:20]
    ]
    return JSONResponse({"detail": detail, "code": MalformedRequestError.code}, status_code=422)


def _error(status: int) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    async def handler(request: Request, exc: Exception) -> JSONResponse:
        code = getattr(exc, "code", "T000")
        message = getattr(exc, "message", None) or str(exc)
        return JSONResponse({"detail": message, "code": code}, status_code=status)

    return handler


#: The code an error answer without a library error carries, by HTTP status: the code
#: of the library's error for that status, else ``T`` + the status.
_STATUS_CODES = {
    400: ThreadlineError.code,
    401: AuthenticationError.code,
    403: PermissionDeniedError.code,
    404: NotFoundError.code,
    409: JudgementError.code,
    405: MethodNotAllowedError.code,
    422: MalformedRequestError.code,
    429: RateLimitedError.code,
}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    """An ``HTTPException`` (raised by a route, or by the router for an unknown path or
    method) answered like every other error: ``{"detail", "code"}``."""
    assert isinstance(exc, StarletteHTTPException)
    code = _STATUS_CODES.get(exc.status_code, f"T{exc.status_code}")
    return JSONResponse(
        {"detail": exc.detail, "code": code}, status_code=exc.status_code, headers=exc.headers
    )


#: What a 503 asks the client to wait before trying again (seconds).
RETRY_AFTER_SECONDS = 1


async def _unavailable(request: Request, exc: Exception) -> JSONResponse:
    """503 when the database went away (a restart): nothing of this request was stored,
    unless its write had committed just as the server fell (then a retry with the same
    ``Idempotency-Key`` gets the stored answer, never a second copy)."""
    return JSONResponse(
        {
            "detail": "the workspace's database cannot be reached just now; try again in a "
            "moment (send the same Idempotency-Key to retry a change safely)",
            "code": "T110",
        },
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _too_many(request: Request, exc: Exception) -> JSONResponse:
    """429 with the code and when to try again (a token bucket ran dry)."""
    wait = int(getattr(exc, "retry_after", 1))
    return JSONResponse(
        {"detail": getattr(exc, "message", str(exc)), "code": "T930"},
        status_code=429,
        headers={"Retry-After": str(wait)},
    )


async def _replayed(request: Request, exc: Exception) -> Response:
    """A change sent again with a known request id: its first answer, unchanged."""
    assert isinstance(exc, request_ids.ReplayedError)
    return Response(
        exc.body,
        status_code=exc.status,
        media_type="application/json",
        headers={"Idempotent-Replayed": "true"},
    )


async def _duplicate(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(
        {
            "detail": "a request with this id was carried out while this one ran; send it "
            "again for its answer",
            "code": request_ids.DuplicateRequestError.code,
        },
        status_code=409,
    )


def create_app(
    workspace_path: str | os.PathLike[str],
    *,
    require_login: bool = False,
    limits: RateLimits | None = None,
) -> FastAPI:
    """The API and workbench for the workspace at ``workspace_path``.

    The workspace is opened (and read into memory) here, so a missing workspace
    fails at once with a :class:`~threadline.errors.WorkspaceError`; it is closed
    when the application shuts down. Access control (logins, roles, each user's
    view) is on when the workspace has users or ``require_login`` is set; see
    :mod:`threadline.api.access`. ``limits`` are the rate limits (default: from the
    environment, :mod:`threadline.security.ratelimit`).
    """
    wb = Workbench(workspace_path)
    guard = Access(wb, require_login=require_login, limits=limits)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            guard.close()
            wb.close()

    app = FastAPI(
        title="threadline",
        version=__version__,
        summary="Evidence-backed network of a workspace: search, entities, ties with their "
        "quotes, documents, graph views, paths, cells, key players, triage, judgements.",
        description=(
            "Every tie, name and claim carries its evidence: a document and the exact "
            "character span, whose text is the `quote`. Lists are paged (`offset`, "
            "`limit`; limits above a list's cap are lowered to it). Unknown ids are 404, "
            "bad parameters 422."
        ),
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.workbench = wb
    app.state.access = guard
    checked = [Depends(authorize)]
    for router in (
        meta.router,
        search.router,
        entities.router,
        ties.router,
        documents.router,
        graph.router,
        analysis.router,
        events.router,
        notes.router,
        judgements.router,
        corrections.router,
        exports.router,
        grades.router,
        access.router,
    ):
        app.include_router(router, prefix="/api", dependencies=checked)
    app.include_router(access.pages, dependencies=checked)
    from fastapi.exceptions import RequestValidationError

    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(AuthenticationError, _error(401))
    app.add_exception_handler(PermissionDeniedError, _error(403))
    app.add_exception_handler(CsrfError, _error(403))
    app.add_exception_handler(RateLimitedError, _error(429))
    app.add_exception_handler(TooManyRequestsError, _too_many)
    app.add_exception_handler(request_ids.ReplayedError, _replayed)
    app.add_exception_handler(request_ids.DuplicateRequestError, _duplicate)
    for lost in _lost_database_errors():
        app.add_exception_handler(lost, _unavailable)
    app.add_exception_handler(NotFoundError, _error(404))
    app.add_exception_handler(InvalidValueError, _error(422))
    app.add_exception_handler(TooLargeError, _error(422))
    app.add_exception_handler(JudgementError, _error(409))
    app.add_exception_handler(ThreadlineError, _error(400))
    app.add_exception_handler(StarletteHTTPException, _http_error)

    @app.get("/", include_in_schema=False, dependencies=checked)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/api/docs", include_in_schema=False, dependencies=checked)
    def docs() -> HTMLResponse:
        return HTMLResponse(_DOCS_PAGE)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(request_ids.RequestIds)
    app.add_middleware(BoundedBody)
    app.add_middleware(SecurityHeaders)
    return app


def _lost_database_errors() -> list[type[Exception]]:
    """The exceptions that mean the database went away (answered 503, not 500)."""
    import psycopg
    from psycopg_pool import PoolTimeout

    return [DatabaseUnavailableError, psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout]


_DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>threadline API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui-bundle.js"></script>
<script src="/static/js/api-docs.js"></script></body></html>
"""
