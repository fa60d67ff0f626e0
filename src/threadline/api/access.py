"""Access control for the API: who is calling, what each endpoint allows, what they see.

Access control is on when the workspace has users (``threadline user add``), when
``threadline serve --require-login`` is given, or on a PostgreSQL workspace
(server mode). Off, the API is the single-user workbench exactly as before: one
agency, full rights, no login.

On, every request is authenticated (``Authorization: Bearer TOKEN``, or the
browser session cookie, whose state-changing requests must carry the session's
CSRF token in ``X-CSRF-Token``), checked against :data:`RULES` (the role each
endpoint needs; an endpoint without a rule is refused, and a test fails), and
answered from the caller's *view*: a workspace built only from the sources they
may see (:mod:`threadline.security.visibility`), shared by every user who sees
the same sources and agencies' work, rebuilt after a write.
"""

from __future__ import annotations

import getpass
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from threadline.api import idempotency as request_ids
from threadline.api.audit_writer import AuditWriter
from threadline.api.auth import Authenticator
from threadline.api.state import Workbench
from threadline.api.views import Views, views_of
from threadline.api.views import ViewWorkbench as ViewWorkbench  # re-exported: the routes use it
from threadline.security import (
    ADMINS,
    AUDITORS,
    READERS,
    ROLES,
    WRITERS,
    AuthenticationError,
    Principal,
    local_principal,
)
from threadline.security import alerts as hits
from threadline.security.derived import Sight, record_basis
from threadline.security.ratelimit import RateLimits
from threadline.security.ratelimit import check as limit
from threadline.security.users import Credential, default_agency, has_users
from threadline.security.visibility import Scope, set_owner
from threadline.store import access as stored

ANY = frozenset(ROLES)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    """Who may call an endpoint, and what the audit log records of each call."""

    roles: frozenset[str]
    audit: str | None = None
    public: bool = False
    data: bool = True  # answers from the caller's view


PUBLIC = Rule(frozenset(), public=True, data=False)

#: Every route of the application: (method, path) -> rule. A route missing here is refused.
RULES: dict[tuple[str, str], Rule] = {
    # the page and the API description carry no case data
    ("GET", "/"): PUBLIC,
    ("GET", "/login"): PUBLIC,
    ("GET", "/alerts"): PUBLIC,
    ("GET", "/api/docs"): PUBLIC,
    ("GET", "/api/openapi.json"): PUBLIC,
    ("GET", "/static"): PUBLIC,
    # workspace, search, entities, ties, documents
    ("GET", "/api/meta"): Rule(READERS),
    ("GET", "/api/search"): Rule(READERS, audit="search"),
    ("GET", "/api/entities"): Rule(READERS),
    ("GET", "/api/entities/{entity_id}"): Rule(READERS, audit="entity.view"),
    ("GET", "/api/entities/{entity_id}/ties"): Rule(READERS, audit="entity.ties"),
    ("GET", "/api/ties/{tie_id}"): Rule(READERS, audit="tie.view"),
    ("GET", "/api/documents"): Rule(READERS),
    ("GET", "/api/documents/{document_id}"): Rule(READERS, audit="document.view"),
    ("GET", "/api/documents/{document_id}/review"): Rule(READERS, audit="document.review"),
    # graph and analysis
    ("GET", "/api/graph"): Rule(READERS),
    ("GET", "/api/graph/neighbourhood/{entity_id}"): Rule(READERS, audit="entity.neighbourhood"),
    ("GET", "/api/graph/path"): Rule(READERS, audit="path"),
    ("GET", "/api/cells"): Rule(READERS),
    ("GET", "/api/cells/{cell_id}"): Rule(READERS),
    ("GET", "/api/key-players"): Rule(READERS),
    ("GET", "/api/triage"): Rule(READERS),
    ("GET", "/api/contagion"): Rule(READERS),
    ("GET", "/api/summary"): Rule(READERS),
    ("GET", "/api/events"): Rule(READERS),
    ("GET", "/api/conflicts"): Rule(READERS),
    ("GET", "/api/exports/{fmt}"): Rule(READERS, audit="export"),
    # analyst work
    ("GET", "/api/grades"): Rule(READERS),
    ("POST", "/api/grades"): Rule(WRITERS, audit="grade"),
    ("GET", "/api/judgements"): Rule(READERS),
    ("POST", "/api/judgements"): Rule(WRITERS, audit="judgement"),
    ("POST", "/api/entities/{entity_id}/split"): Rule(WRITERS, audit="judgement.split"),
    ("POST", "/api/judgements/undo"): Rule(WRITERS, audit="judgement.undo"),
    ("GET", "/api/corrections"): Rule(READERS),
    ("POST", "/api/corrections"): Rule(WRITERS, audit="correction"),
    ("POST", "/api/corrections/{correction_id}/undo"): Rule(WRITERS, audit="correction.undo"),
    ("GET", "/api/notes"): Rule(READERS),
    ("POST", "/api/notes"): Rule(WRITERS, audit="note"),
    ("POST", "/api/notes/{note_id}/retract"): Rule(WRITERS, audit="note.retract"),
    ("GET", "/api/asserted-ties"): Rule(READERS),
    ("POST", "/api/asserted-ties"): Rule(WRITERS, audit="tie.assert"),
    ("POST", "/api/asserted-ties/{tie_id}/retract"): Rule(WRITERS, audit="tie.retract"),
    # identity
    ("POST", "/api/auth/login"): PUBLIC,
    ("POST", "/api/auth/logout"): Rule(ANY, data=False),
    ("GET", "/api/auth/me"): Rule(ANY, data=False),
    ("GET", "/api/auth/tokens"): Rule(ANY, data=False),
    ("POST", "/api/auth/tokens"): Rule(ANY, audit="token.create", data=False),
    ("POST", "/api/auth/tokens/{token_id}/revoke"): Rule(ANY, audit="token.revoke", data=False),
    # hit/no-hit
    ("GET", "/api/alerts"): Rule(READERS),
    ("POST", "/api/alerts/{alert_id}/request"): Rule(WRITERS),
    ("POST", "/api/alerts/{alert_id}/grant"): Rule(ADMINS),
    ("POST", "/api/alerts/{alert_id}/deny"): Rule(ADMINS),
    ("GET", "/api/watches"): Rule(READERS),
    ("POST", "/api/watches"): Rule(WRITERS),
    ("POST", "/api/watches/{watch_id}/remove"): Rule(WRITERS),
    # administration and audit
    ("GET", "/api/admin/users"): Rule(ADMINS, data=False),
    ("POST", "/api/admin/users"): Rule(ADMINS, data=False),
    ("POST", "/api/admin/users/{name}/disable"): Rule(ADMINS, data=False),
    ("GET", "/api/admin/classification"): Rule(ADMINS),
    ("POST", "/api/admin/classification"): Rule(ADMINS),
    ("GET", "/api/admin/shares"): Rule(ADMINS, data=False),
    ("POST", "/api/admin/shares"): Rule(ADMINS, data=False),
    ("GET", "/api/audit"): Rule(AUDITORS, data=False),
    ("GET", "/api/audit/verify"): Rule(AUDITORS, data=False),
}


class Access:
    """The access-control state of one running application: whether it is on, and its
    three parts: :attr:`auth` (who is calling), :attr:`views` (what each user sees) and
    :attr:`auditor` (the one audit writer)."""

    def __init__(
        self, home: Workbench, *, require_login: bool = False, limits: RateLimits | None = None
    ) -> None:
        self.home = home
        #: The rate limits (from the environment unless given; see security.ratelimit).
        self.limits = limits if limits is not None else RateLimits.from_env()
        with home.database() as ws:
            backend = getattr(ws, "backend", "duckdb")
            self.enabled = bool(require_login or backend == "postgresql" or has_users(ws))
            self.default_agency = default_agency(ws) or "local"
            if backend == "postgresql":
                # lazy: psycopg is loaded only in server mode
                from threadline.store.postgres import append_only_violations

                extra = append_only_violations(ws)
                if extra:
                    _log.warning(
                        "serving as a database role that may change the audit log (%s): "
                        "serve as an application role set up with 'threadline init "
                        "--app-role' (docs/agencies.md)",
                        ", ".join(extra),
                    )
        self.auditor = AuditWriter(home)
        self.auth = Authenticator(home, self.auditor)
        self.views = Views(home, default_agency=self.default_agency)
        self._closed = threading.Event()
        self._catching_up = threading.Lock()
        home.after_refresh.append(self.scan_alerts)
        if self.enabled:
            self.scan_alerts()

    def scan_alerts(self) -> None:
        """Raise the hit/no-hit alerts the workspace now calls for: at start and after
        every change to the network or to permissions (reading alerts writes nothing)."""
        try:
            with self.home.database() as ws:
                hits.scan(ws)
        except Exception as exc:
            if not self.home._lost(exc):
                raise
            self.home.stale = True  # scanned again once the workspace is read again

    def catch_up(self) -> None:
        """Read the workspace again when a refresh after a committed write was missed (the
        database went away): in the background, started by the first request that comes
        along, while requests go on with the snapshot and views they have; the views
        are built again once the workspace has been read."""
        home = self.home
        if not (home.stale or home.notes_stale) or not self._catching_up.acquire(blocking=False):
            return
        threading.Thread(target=self._catch_up, name="catch-up", daemon=True).start()

    def _catch_up(self) -> None:
        home = self.home
        try:
            while (home.stale or home.notes_stale) and not self._closed.is_set():
                try:
                    if home.catch_up():
                        self.invalidate()
                        continue
                except Exception:
                    _log.exception("the workspace could not be read again after a write")
                self._closed.wait(0.5)
        finally:
            self._catching_up.release()

    # -- who is calling: api.auth ------------------------------------------------------
    def local(self) -> Principal:
        return local_principal(getpass.getuser(), self.default_agency)

    def principal(self, request: Request, *, unsafe: bool) -> tuple[Principal, Credential]:
        """Authenticate the request; raises :class:`AuthenticationError` (401)."""
        return self.auth.principal(request, unsafe=unsafe)

    def forget(self, secret: str | None = None) -> None:
        """Check ``secret`` (every credential, without one) against the database again."""
        self.auth.forget(secret)

    # -- what they see: api.views ------------------------------------------------------
    def scope(self, who: Principal) -> Scope:
        return self.views.scope(who)

    def view(self, who: Principal) -> Workbench:
        return self.views.view(who)

    def sight(self, who: Principal) -> Sight:
        return self.views.sight(who)

    def notes_changed(self) -> None:
        self.views.notes_changed()

    def invalidate(self, keep: ViewWorkbench | None = None) -> None:
        self.views.invalidate(keep)

    # -- the audit log: api.audit_writer (self.auditor) --------------------------------
    def flush(self) -> None:
        """Write the buffered audit records now."""
        self.auditor.flush()

    def close(self) -> None:
        self._closed.set()
        self.auditor.close()
        self.invalidate()


def access_of(request: Request) -> Access:
    found: Access = request.app.state.access
    return found


def route_rule(method: str, path: str) -> Rule | None:
    if path.startswith("/static"):
        return RULES.get((method, "/static"))
    return RULES.get((method, path))


def route_template(request: Request) -> str:
    """The matched route's path template with its router's prefix (``/api/entities/{entity_id}``)."""
    route = request.scope.get("route")
    path = str(getattr(route, "path", request.url.path))
    if request.url.path.startswith("/api/") and not path.startswith("/api"):
        path = "/api" + path
    return path


def app_routes(app: Any) -> list[tuple[str, str]]:
    """Every (method, path template) the application answers, routers flattened."""
    out: list[tuple[str, str]] = []

    def walk(routes: Any, prefix: str) -> None:
        for r in routes:
            context = getattr(r, "include_context", None)
            if context is not None:
                walk(r.original_router.routes, prefix + context.prefix)
            elif getattr(r, "methods", None):
                out.extend((m, prefix + r.path) for m in sorted(r.methods) if m != "HEAD")
            elif hasattr(r, "path"):  # a mount (the static files)
                out.append(("GET", prefix + r.path))

    walk(app.routes, "")
    return out


async def authorize(request: Request) -> None:
    """The dependency every route runs first: refuse NUL characters, then (in a worker
    thread: it may use the database) authenticate, check the rule, pick the view."""
    await refuse_nul(request)
    access = access_of(request)
    if access.enabled and request.method == "POST" and request.url.path == "/api/auth/login":
        limit(access.limits.login, ("login", client_address(request), await _typed_name(request)),
              "to log in as this user from this address")  # fmt: skip
    await run_in_threadpool(_authorize, request)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _typed_name(request: Request) -> str:
    try:
        body = json.loads(await request.body())
    except ValueError:
        return ""
    name = body.get("user") if isinstance(body, dict) else None
    return name[:200] if isinstance(name, str) else ""


async def refuse_nul(request: Request) -> None:
    """A 422 for a NUL character in the path, the query or a JSON body, on both backends
    alike: PostgreSQL's text cannot hold one (the request would fail deep inside with a
    500), and no name, quote or search needs one."""
    where = None
    if "\x00" in request.url.path or "%00" in request.url.path:
        where = "path"
    elif any("\x00" in k or "\x00" in v for k, v in request.query_params.multi_items()):
        where = "query"
    elif request.method not in SAFE_METHODS and "json" in request.headers.get("content-type", ""):
        body = await request.body()
        if b"\\u0000" in body:
            try:
                where = "body" if _has_nul(json.loads(body)) else None
            except ValueError:
                where = None  # not JSON: the route's own validation answers
    if where is not None:
        raise HTTPException(422, f"the request's {where} contains a NUL character (\\x00)")


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _authorize(request: Request) -> None:
    access = access_of(request)
    access.catch_up()
    template = route_template(request)
    rule = route_rule(request.method, template)
    if not access.enabled:
        request.state.principal = access.local()
        request_ids.check(access.home, request.state.principal.name)
        request_ids.arm()
        return
    if rule is None:
        raise HTTPException(403, f"no access rule for {request.method} {template}: refused")
    api = request.url.path.startswith("/api/")
    if rule.public:
        if api and template != "/api/auth/login":  # the login has a bucket per name typed
            limit(access.limits.address, client_address(request), "from this address")
        return
    try:
        who, cred = access.principal(request, unsafe=request.method not in SAFE_METHODS)
    except AuthenticationError:
        limit(access.limits.address, client_address(request), "from this address")
        raise
    limit(access.limits.user, who.name, "for this user")
    request.state.principal = who
    request.state.credential = cred
    if not who.can(rule.roles):
        access.auditor.record(who, "denied", f"{request.method} {template}", now=True)
        raise HTTPException(403, f"your role ({who.role}) may not {request.method} {template}")
    if rule.data:
        request.state.view = access.view(who)
    request_ids.check(access.home, who.name)  # a change sent again: its first answer
    if rule.audit:
        params = dict(request.path_params)
        query = {k: v[:200] for k, v in request.query_params.items()}
        target = next(iter(params.values()), None) or query.get("q") or query.get("source")
        access.auditor.record(
            who,
            rule.audit,
            target,
            {"query": query} if query else None,
            now=rule.audit in ("export",) or request.method not in SAFE_METHODS,
        )
    request_ids.arm()


def principal_of(request: Request) -> Principal:
    who = getattr(request.state, "principal", None)
    if who is None:
        who = access_of(request).local()
    return who


def is_view(wb: Any) -> bool:
    return isinstance(wb, ViewWorkbench)


@contextmanager
def writer(wb: Any) -> Iterator[Any]:
    """The workspace to write analyst work into: the shared one, also behind a view. The
    block is one transaction: the work, its owner and what it names land together."""
    if isinstance(wb, ViewWorkbench):
        with wb.writer() as ws, ws.transaction():
            yield ws
    else:
        with wb.database() as ws, ws.transaction():
            yield ws


@dataclass(frozen=True)
class Author:
    """Who writes analyst work through the API, and how their agency comes to own it."""

    principal: Principal
    enabled: bool

    def name(self, claimed: str) -> str:
        """The analyst recorded: the logged-in user when access control is on (a body
        cannot claim to be someone else), else the name the page sent."""
        return self.principal.name if self.enabled else claimed

    def own(self, ws: Any, kind: str, ident: str | int) -> None:
        """Record that the caller's agency owns this piece of work (access control on)."""
        if self.enabled:
            set_owner(ws, kind, ident, self.principal.agency)

    def basis(
        self, ws: Any, kind: str, ident: str | int, *, entities: list[str], names: list[str]
    ) -> None:
        """Record what this piece of work names (access control on): it is then shown
        only to users who see all of it (:mod:`threadline.security.derived`)."""
        if self.enabled:
            record_basis(ws, kind, ident, entities=entities, names=names)


def author(request: Request) -> Author:
    return Author(principal_of(request), access_of(request).enabled)


def require_own(
    author_: Author, ws: Any, kind: str, ident: str | int, what: str, wb: Any = None
) -> None:
    """A 404 unless the caller's agency owns this piece of work and the caller sees it in
    their view (access control on): ownership decides who may edit, and nobody edits
    what they may not see."""
    if not author_.enabled or author_.principal.all_seeing:
        return
    owner = stored.owner_of(ws, kind, ident)
    seen = True
    if isinstance(wb, ViewWorkbench):
        with wb.database() as view:
            seen = stored.holds_work(view, kind, ident)
    if owner is None or owner != author_.principal.agency or not seen:
        raise HTTPException(404, f"{what} '{ident}' does not exist in your agency's work")


def after_write(wb: Any) -> None:
    """Make a new or retracted note visible to everyone who may see it: the shared
    workbench and every view re-read their notes (a note changes no tie, so no view
    is built again)."""
    views = wb.views if isinstance(wb, ViewWorkbench) else views_of(wb)
    if views is None:
        wb.reload_notes()
    else:
        views.notes_changed()
