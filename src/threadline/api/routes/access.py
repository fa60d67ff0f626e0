"""Logins, tokens, hit/no-hit alerts and watches, administration, and the audit log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field

from threadline.api.access import Access, access_of, principal_of
from threadline.api.auth import CSRF_COOKIE, SESSION_COOKIE
from threadline.api.deps import PagingDep, WorkbenchDep, entity_index
from threadline.errors import NotFoundError
from threadline.security import PermissionDeniedError, Principal
from threadline.security import alerts as hits
from threadline.security import audit as audit_log
from threadline.security import classification as cls
from threadline.security import users as accounts
from threadline.security.derived import audit_visible, names_visible
from threadline.usecases.watch import watch_entity, watched
from threadline.web import STATIC_DIR

router = APIRouter(tags=["access"])
pages = APIRouter(include_in_schema=False)

Name = Annotated[str, Field(min_length=1, max_length=64)]


class LoginIn(BaseModel):
    user: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)


class TokenIn(BaseModel):
    label: str = Field("", max_length=200)
    days: int = Field(90, ge=1, le=366)


class ReasonIn(BaseModel):
    reason: str = Field("", max_length=2000)


class WatchIn(BaseModel):
    entity: str = Field(min_length=1, max_length=200)


class UserIn(BaseModel):
    name: Name
    password: str = Field(min_length=1, max_length=1000)
    role: str = Field(pattern="^(viewer|analyst|admin|auditor)$")
    clearance: str | None = Field(None, max_length=40)
    compartments: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list, max_length=50
    )
    agency: str | None = Field(None, max_length=64)


class ClassifyIn(BaseModel):
    document: str = Field(min_length=1, max_length=200)
    agency: str | None = Field(None, max_length=64)
    level: str | None = Field(None, max_length=40)
    compartments: list[Annotated[str, Field(max_length=40)]] | None = Field(None, max_length=50)


class ShareIn(BaseModel):
    partner: str = Field(min_length=1, max_length=64)
    max_level: str = Field(min_length=1, max_length=40)
    compartments: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list, max_length=50
    )
    judgements: bool = True


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


# -- pages ------------------------------------------------------------------------------


@pages.get("/login")
def login_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "login.html", headers={"Cache-Control": "no-cache"})


@pages.get("/alerts")
def alerts_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "alerts.html", headers={"Cache-Control": "no-cache"})


# -- login and tokens -----------------------------------------------------------------------


@router.post("/auth/login", summary="Log in (browser session with a CSRF token)")
def login(request: Request, body: LoginIn) -> JSONResponse:
    """Checks the password (argon2) and opens a session: an HttpOnly cookie and a CSRF
    token (also in a cookie the page reads) that every state-changing request must send
    back in ``X-CSRF-Token``. After 5 failures in 15 minutes a user name is locked out
    (HTTP 429) until the window passes."""
    done = access_of(request).auth.login(body.user, body.password, address=_address(request))
    secure = request.url.scheme == "https"
    response = JSONResponse(
        {
            "user": done.user.to_dict(),
            "csrf_token": done.credential.csrf,
            "expires_at": done.credential.expires_at,
        }  # fmt: skip
    )
    response.set_cookie(SESSION_COOKIE, done.secret, httponly=True, samesite="strict",
                        secure=secure, path="/")  # fmt: skip
    response.set_cookie(CSRF_COOKIE, done.credential.csrf or "", httponly=False,
                        samesite="strict", secure=secure, path="/")  # fmt: skip
    return response


@router.post("/auth/logout", summary="Log out (ends the session)")
def logout(request: Request) -> JSONResponse:
    access = access_of(request)
    secret = request.cookies.get(SESSION_COOKIE, "")
    if secret:
        with access.home.database() as ws:
            accounts.revoke(ws, secret)
        access.forget(secret)
    who = principal_of(request)
    access.auditor.record(who, "logout", who.name)
    response = JSONResponse({"ok": True})
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("/auth/me", summary="Who is logged in, and the session's CSRF token")
def me(request: Request) -> dict[str, Any]:
    access = access_of(request)
    who = principal_of(request)
    cred = getattr(request.state, "credential", None)
    return {
        "access_control": access.enabled,
        "user": who.name,
        "agency": who.agency,
        "role": who.role,
        "clearance": who.clearance,
        "compartments": sorted(who.compartments),
        "csrf_token": getattr(cred, "csrf", None),
    }


@router.get("/auth/tokens", summary="Your API tokens (never their secrets)")
def list_tokens(request: Request) -> list[dict[str, Any]]:
    who = principal_of(request)
    with access_of(request).home.database() as ws:
        found = accounts.tokens(ws, who.name)
    return [
        {
            "id": t.id,
            "label": t.label,
            "created_at": t.created_at,
            "expires_at": t.expires_at,
            "revoked_at": t.revoked_at,
        }  # fmt: skip
        for t in found
    ]


@router.post("/auth/tokens", status_code=201, summary="Create an API token (shown once)")
def create_token(request: Request, body: TokenIn) -> dict[str, Any]:
    """A bearer token for scripts: ``Authorization: Bearer TOKEN``. Only its hash is stored."""
    from datetime import timedelta

    who = principal_of(request)
    access = access_of(request)
    if not access.enabled:
        raise HTTPException(409, "access control is off (no users): no token is needed")
    with access.home.database() as ws:
        secret, cred = accounts.issue(
            ws, who.name, kind="token", label=body.label or None, ttl=timedelta(days=body.days)
        )
    return {"id": cred.id, "token": secret, "expires_at": cred.expires_at, "label": cred.label}


@router.post("/auth/tokens/{token_id}/revoke", summary="Revoke one of your API tokens")
def revoke_token(request: Request, token_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    who = principal_of(request)
    access = access_of(request)
    with access.home.database() as ws:
        mine = {t.id for t in accounts.tokens(ws, who.name)}
        if token_id not in mine or not accounts.revoke(ws, credential_id=token_id):
            raise HTTPException(404, f"token '{token_id}' is not one of your active tokens")
    access.forget()  # every credential is checked again
    return {"id": token_id, "revoked": True}


# -- hit/no-hit -------------------------------------------------------------------------


def _visible(access: Access, who: Principal) -> frozenset[str] | None:
    return None if who.all_seeing else access.scope(who).documents


@router.get("/alerts", summary="Hit/no-hit alerts for your agency, and requests to it")
def list_alerts(request: Request, page: PagingDep) -> dict[str, Any]:
    """Hits on your agency's watches (with the source only when you may see it; else
    just which agency holds a match and how to ask), and requests your agency received.
    Reading writes nothing: the server raises alerts when a watch is added and after
    every change to the network or to permissions."""
    access = access_of(request)
    who = principal_of(request)
    visible = _visible(access, who)
    with access.home.database() as ws:
        found = hits.alerts_for(ws, who, visible)
    if access.enabled and not who.all_seeing and found:
        found = _across(found, access.sight(who))
    return page.page(found[page.offset : page.offset + page.limit], len(found))


def _across(found: list[dict[str, Any]], sight: Any) -> list[dict[str, Any]]:
    """What crosses from one agency to the other in an alert: not the other agency's user
    names, and the reason of a request only when it names nothing the reader may not see."""
    out = []
    for item in found:
        item = dict(item)
        if item["kind"] == "request":
            item["requested_by"] = None
            if item.get("reason") and not names_visible(item["reason"], sight):
                item["reason"] = None
        elif item["holder"] != item["watcher"]:
            item["decided_by"] = None
        out.append(item)
    return out


AlertId = Annotated[int, Path(ge=1, le=2**31)]


@router.post("/alerts/{alert_id}/request", summary="Ask the holding agency for access")
def request_alert(request: Request, alert_id: AlertId, body: ReasonIn) -> dict[str, Any]:
    access = access_of(request)
    who = principal_of(request)
    with access.home.database() as ws:
        hits.request_access(ws, who, alert_id, reason=body.reason)
    return {"id": alert_id, "status": "requested"}


def _decide(request: Request, alert_id: int, allow: bool) -> dict[str, Any]:
    access = access_of(request)
    who = principal_of(request)
    with access.home.database() as ws:
        docs = hits.decide(ws, who, alert_id, allow=allow)
    access.home.refresh()
    access.invalidate()
    return {"id": alert_id, "status": "granted" if allow else "denied", "shared": len(docs)}


@router.post("/alerts/{alert_id}/grant", summary="Grant a request: share the matching sources")
def grant_alert(request: Request, alert_id: AlertId) -> dict[str, Any]:
    return _decide(request, alert_id, True)


@router.post("/alerts/{alert_id}/deny", summary="Deny a request")
def deny_alert(request: Request, alert_id: AlertId) -> dict[str, Any]:
    return _decide(request, alert_id, False)


@router.get("/watches", summary="Your agency's watched entities")
def list_watches(request: Request) -> list[dict[str, Any]]:
    who = principal_of(request)
    access = access_of(request)
    visible = _visible(access, who)
    with access.home.database() as ws:
        return watched(ws, who, visible)


@router.post("/watches", status_code=201, summary="Watch an entity (hit/no-hit)")
def add_watch(request: Request, wb: WorkbenchDep, body: WatchIn) -> dict[str, Any]:
    """Your agency is alerted when another agency's source resolves to this entity."""
    snap = wb.snapshot
    i = entity_index(snap, body.entity)
    mentions = sorted(m for m, row in snap.mention_entity.items() if row == i)
    who = principal_of(request)
    access = access_of(request)
    visible = _visible(access, who)
    with access.home.database() as ws:
        return watch_entity(ws, who, label=snap.name[i], mentions=mentions, visible=visible)


@router.post("/watches/{watch_id}/remove", summary="Stop watching")
def remove_watch(request: Request, watch_id: AlertId) -> dict[str, Any]:
    who = principal_of(request)
    with access_of(request).home.database() as ws:
        hits.remove_watch(ws, who, watch_id)
    return {"id": watch_id, "removed": True}


# -- administration ---------------------------------------------------------------------


def _own_agency(who: Principal, agency: str | None) -> str:
    chosen = agency or who.agency
    if not who.all_seeing and chosen != who.agency:
        raise PermissionDeniedError(f"an admin manages their own agency ({who.agency}) only")
    return chosen


def _ceiling(ws: Any, who: Principal, level: str | None, compartments: list[str] | None) -> None:
    """Nobody grants, shares or creates anything above their own clearance and compartments."""
    if who.all_seeing:
        return
    rank = dict(cls.levels(ws))
    if level is not None:
        wanted = level.strip().upper()
        if wanted in rank and rank[wanted] > rank.get(who.clearance, -1):
            raise PermissionDeniedError(
                f"you are cleared {who.clearance}: you cannot give {wanted} to anyone"
            )
    extra = sorted({c.strip().upper() for c in compartments or [] if c.strip()} - who.compartments)
    if extra:
        raise PermissionDeniedError(
            f"you are not in compartment(s) {', '.join(extra)}: you cannot give them to anyone"
        )


@router.get("/admin/users", summary="Users of your agency")
def admin_users(request: Request) -> list[dict[str, Any]]:
    who = principal_of(request)
    with access_of(request).home.database() as ws:
        found = accounts.users(ws, agency=None if who.all_seeing else who.agency)
    return [u.to_dict() for u in found]


@router.post("/admin/users", status_code=201, summary="Add a user to your agency")
def admin_add_user(request: Request, body: UserIn) -> dict[str, Any]:
    who = principal_of(request)
    access = access_of(request)
    agency = _own_agency(who, body.agency)
    with access.home.database() as ws:
        _ceiling(ws, who, body.clearance or cls.level_names(ws)[0], body.compartments)
        made = accounts.add_user(ws, body.name, agency=agency, role=body.role,
                                 password=body.password, clearance=body.clearance,
                                 compartments=set(body.compartments))  # fmt: skip
    access.auditor.record(who, "user.add", made.name, {"agency": agency, "role": made.role,
                 "clearance": made.clearance, "compartments": sorted(made.compartments)})  # fmt: skip
    return made.to_dict()


@router.post("/admin/users/{name}/disable", summary="Disable a user (revokes their sessions)")
def admin_disable(request: Request, name: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    who = principal_of(request)
    access = access_of(request)
    with access.home.database() as ws:
        try:
            target = accounts.get_user(ws, name)
        except NotFoundError:
            target = None
        if target is None or (not who.all_seeing and target.agency != who.agency):
            raise HTTPException(404, f"user '{name}' is not a user of your agency")
        done = accounts.set_disabled(ws, name, True)
    access.forget()  # every credential is checked again
    access.auditor.record(who, "user.disable", name)
    return done.to_dict()


@router.get("/admin/classification", summary="Classification of the sources you see")
def admin_classification(request: Request, wb: WorkbenchDep) -> list[dict[str, Any]]:
    with access_of(request).home.database() as ws:
        found = cls.classifications(ws)
    return [found[d].to_dict() for d in sorted(wb.snapshot.documents) if d in found]


@router.post("/admin/classification", summary="Change a source's owner, level, compartments")
def admin_classify(request: Request, wb: WorkbenchDep, body: ClassifyIn) -> dict[str, Any]:
    """Only sources your agency owns and you can see; audited; every view is rebuilt."""
    who = principal_of(request)
    access = access_of(request)
    if body.document not in wb.snapshot.documents:
        raise HTTPException(
            404, f"document '{body.document}' does not exist; list them with /api/documents"
        )
    with access.home.database() as ws:
        before = cls.classification(ws, body.document)
        if not who.all_seeing and before.agency != who.agency:
            raise PermissionDeniedError("only the owning agency's admin reclassifies a source")
        if body.agency:
            accounts.require_agency(ws, body.agency)
        _ceiling(ws, who, body.level, body.compartments)
        done = cls.classify(ws, body.document, agency=body.agency, level=body.level,
                            compartments=body.compartments, by=who.name)  # fmt: skip
    access.auditor.record(
        who, "classify", body.document, {"before": before.to_dict(), "after": done.to_dict()}
    )
    access.home.refresh()
    access.invalidate()
    return done.to_dict()


@router.get("/admin/shares", summary="Sharing agreements of your agency")
def admin_shares(request: Request) -> list[dict[str, Any]]:
    who = principal_of(request)
    with access_of(request).home.database() as ws:
        found = cls.shares(ws)
    return [s for s in found if who.all_seeing or who.agency in (s["owner"], s["partner"])]


@router.post("/admin/shares", status_code=201, summary="Share your agency's sources with another")
def admin_share(request: Request, body: ShareIn) -> dict[str, Any]:
    who = principal_of(request)
    access = access_of(request)
    with access.home.database() as ws:
        _ceiling(ws, who, body.max_level, body.compartments)
        done = cls.share(ws, who.agency, body.partner, max_level=body.max_level,
                         compartments=body.compartments, judgements=body.judgements, by=who.name)  # fmt: skip
    access.auditor.record(who, "share", body.partner, done)
    access.home.refresh()
    access.invalidate()
    return done


# -- audit ------------------------------------------------------------------------------


@router.get("/audit", summary="Read the audit log (auditors)")
def read_audit(
    request: Request,
    page: PagingDep,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    agency: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=60)] = None,
    target: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[str | None, Query(max_length=40)] = None,
    until: Annotated[str | None, Query(max_length=40)] = None,
) -> dict[str, Any]:
    """Newest first; ``action`` may end in ``*`` (``alert.*``). Reading is audited too.

    An agency's admins and auditors read their own agency's records only, and of those
    the ones that name nothing they may not see (a document, an entity, a tie or a name
    of a source beyond their clearance): see docs/agencies.md."""
    access = access_of(request)
    who = principal_of(request)
    access.flush()
    if who.all_seeing or not access.enabled:
        with access.home.database() as ws:
            items, total = audit_log.read(ws, actor=actor, agency=agency, action=action,
                                          target=target, since=since, until=until,
                                          limit=page.limit, offset=page.offset)  # fmt: skip
    else:
        found: list[dict[str, Any]] = []
        if agency in (None, who.agency):
            sight = access.sight(who)
            with access.home.database() as ws:
                every, _ = audit_log.read(ws, actor=actor, agency=who.agency, action=action,
                                          target=target, since=since, until=until,
                                          limit=10**9)  # fmt: skip
            found = [_private(i) for i in every if audit_visible(i, who.name, sight)]
        total = len(found)
        items = found[page.offset : page.offset + page.limit]
    access.auditor.record(
        who, "audit.read", None, {"actor": actor, "action": action, "target": target}
    )
    return page.page(items, total)


def _private(item: dict[str, Any]) -> dict[str, Any]:
    """A record as an agency's reader gets it: without the log's sequence number and hash
    (their gaps would count the other agencies' activity)."""
    return {k: v for k, v in item.items() if k not in ("seq", "hash")}


@router.get("/audit/verify", summary="Check the audit log's hash chain")
def verify_audit(request: Request) -> dict[str, Any]:
    """Whether the whole chain is intact. An agency's reader learns only that, and how many
    records of their agency it holds (not the log's length or head)."""
    access = access_of(request)
    who = principal_of(request)
    access.flush()
    with access.home.database() as ws:
        result = audit_log.verify(ws).to_dict()
        if who.all_seeing or not access.enabled:
            return result
        mine = audit_log.count(ws, agency=who.agency)
    return {
        "ok": result["ok"],
        "records": mine,
        "problems": len(result["problems"]),
    }
