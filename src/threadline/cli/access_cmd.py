"""Agencies, users, classification, sharing, hit/no-hit alerts and the audit log (issue 9).

The command line is the workspace owner's tool: it acts with full rights, and
every change it makes to identities, classification or sharing is audited
(actor: the system user running it). ``--as USER`` acts as a user of an agency
for the hit/no-hit steps (watch, request, grant), as that user would on the API.
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from threadline.cli.base import (
    DEFAULT_WS,
    EXIT_ERROR,
    JsonOpt,
    WorkspaceOpt,
    _emit,
    _error_line,
    _errors,
    _open,
    app,
    console,
)
from threadline.cli.help import Group as HelpGroup

agency_app = typer.Typer(
    cls=HelpGroup, help="Agencies sharing this workspace.", no_args_is_help=True
)
user_app = typer.Typer(
    cls=HelpGroup, help="Users: roles, clearance, compartments, tokens.", no_args_is_help=True
)
alerts_app = typer.Typer(
    cls=HelpGroup,
    help="Hit/no-hit alerts: list them, request access, grant or deny.",
    invoke_without_command=True,
)
watch_app = typer.Typer(
    cls=HelpGroup, help="Entities an agency watches (hit/no-hit).", no_args_is_help=True
)
audit_app = typer.Typer(
    cls=HelpGroup, help="The hash-chained audit log: read it, verify it.", no_args_is_help=True
)
app.add_typer(agency_app, name="agency")
app.add_typer(user_app, name="user")
app.add_typer(alerts_app, name="alerts")
app.add_typer(watch_app, name="watch")
app.add_typer(audit_app, name="audit")

AsOpt = Annotated[
    str | None, typer.Option("--as", help="Act as this user (their agency and role).")
]
CompartmentOpt = Annotated[
    list[str] | None, typer.Option("--compartment", "-c", help="A compartment (repeat).")
]


def _operator() -> str:
    return getpass.getuser()


def _audit(ws: Any, action: str, target: str | None, detail: dict[str, Any] | None = None) -> None:
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security.audit import record
    from threadline.security.users import default_agency

    record(ws, actor=_operator(), agency=default_agency(ws), action=action, target=target,
           detail=detail)  # fmt: skip


def _principal(ws: Any, user: str | None) -> Any:
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security import local_principal
    from threadline.security.users import default_agency, get_user

    if user is None:
        return local_principal(_operator(), default_agency(ws) or "local")
    return get_user(ws, user).principal()


# -- agencies ------------------------------------------------------------------------------


@agency_app.command("add")
def agency_add(
    name: Annotated[str, typer.Argument(help="Short name: lower-case letters, digits, . _ -")],
    title: Annotated[str, typer.Option(help="Full name shown to users.")] = "",
    default: Annotated[
        bool, typer.Option("--default", help="Owner of unclassified sources (the first is).")
    ] = False,
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Add an agency."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security.users import add_agency

    with _errors(), _open(workspace) as ws:
        add_agency(ws, name, title, default=default)
        _audit(ws, "agency.add", name, {"title": title or name, "default": default})
    console.print(f"agency added: {name}", markup=False, highlight=False)


@agency_app.command("list")
def agency_list(workspace: WorkspaceOpt = DEFAULT_WS, as_json: JsonOpt = False) -> None:
    """List the agencies and their sharing agreements."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security.classification import shares
    from threadline.security.users import agencies

    with _errors(), _open(workspace) as ws:
        found, agreements = agencies(ws), shares(ws)
    if as_json:
        _emit({"agencies": found, "shares": agreements})
        return
    table = Table("agency", "title", "default", "shares with (up to level)")
    for a in found:
        out = [f"{s['partner']} ({s['max_level']})" for s in agreements if s["owner"] == a["name"]]
        table.add_row(a["name"], a["title"], "yes" if a["default"] else "", ", ".join(out))
    console.print(table)


@agency_app.command("share")
def agency_share(
    owner: Annotated[str, typer.Argument(help="The agency whose sources are shared.")],
    partner: Annotated[str, typer.Argument(help="The agency that may see them.")],
    max_level: Annotated[str, typer.Option("--max-level", help="Highest level shared.")],
    compartment: CompartmentOpt = None,
    judgements: Annotated[
        bool, typer.Option("--judgements/--no-judgements", help="Share identity judgements too.")
    ] = True,
    revoke: Annotated[bool, typer.Option("--revoke", help="End the agreement instead.")] = False,
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Share an agency's sources up to a level (and in these compartments) with another."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security.classification import share, unshare

    with _errors(), _open(workspace) as ws:
        if revoke:
            unshare(ws, owner, partner)
            _audit(ws, "unshare", partner, {"owner": owner})
            console.print(f"{owner} no longer shares with {partner}", markup=False)
            return
        done = share(ws, owner, partner, max_level=max_level, compartments=compartment or [],
                     judgements=judgements, by=_operator())  # fmt: skip
        _audit(ws, "share", partner, done)
    console.print(f"{owner} shares with {partner} up to {done['max_level']}", markup=False)


# -- users -------------------------------------------------------------------------------


def _password() -> str:
    """From $THREADLINE_PASSWORD, a pipe on stdin, or a prompt (never an option: shell
    history would keep it)."""
    given = os.environ.get("THREADLINE_PASSWORD")
    if given:
        return given
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Login name.")],
    agency: Annotated[str, typer.Option(help="The user's agency.")],
    role: Annotated[str, typer.Option(help="viewer | analyst | admin | auditor")] = "analyst",
    clearance: Annotated[
        str | None, typer.Option(help="Highest level the user may read (default: lowest).")
    ] = None,
    compartment: CompartmentOpt = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Add a user (password from $THREADLINE_PASSWORD, stdin or a prompt; hashed with
    argon2). The first user switches access control on for `threadline serve`."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security.users import add_user

    password = _password()
    with _errors(), _open(workspace) as ws:
        made = add_user(ws, name, agency=agency, role=role, password=password,
                        clearance=clearance, compartments=set(compartment or []))  # fmt: skip
        _audit(ws, "user.add", name, {k: v for k, v in made.to_dict().items() if k != "name"})
    _emit(made.to_dict()) if as_json else console.print(
        f"user added: {name} ({made.role}, {made.agency}, cleared {made.clearance})", markup=False
    )


@user_app.command("disable")
def user_disable(
    name: Annotated[str, typer.Argument(help="Login name.")],
    enable: Annotated[bool, typer.Option("--enable", help="Enable the user again.")] = False,
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Disable a user (their sessions and tokens are revoked), or enable them again."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security.users import set_disabled

    with _errors(), _open(workspace) as ws:
        set_disabled(ws, name, not enable)
        _audit(ws, "user.enable" if enable else "user.disable", name)
    console.print(f"user {'enabled' if enable else 'disabled'}: {name}", markup=False)


@user_app.command("list")
def user_list(workspace: WorkspaceOpt = DEFAULT_WS, as_json: JsonOpt = False) -> None:
    """List the users."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security.users import users

    with _errors(), _open(workspace) as ws:
        found = [u.to_dict() for u in users(ws)]
    if as_json:
        _emit(found)
        return
    table = Table("user", "agency", "role", "clearance", "compartments", "disabled")
    for u in found:
        table.add_row(u["name"], u["agency"], u["role"], u["clearance"],
                      ", ".join(u["compartments"]), "yes" if u["disabled"] else "")  # fmt: skip
    console.print(table)


@user_app.command("token")
def user_token(
    name: Annotated[str, typer.Argument(help="Login name.")],
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
    days: Annotated[int, typer.Option(min=1, max=366, help="Days until it expires.")] = 90,
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Create an API token for a user; printed once (only its hash is stored)."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from datetime import timedelta

    from threadline.security.users import get_user, issue

    with _errors(), _open(workspace) as ws:
        get_user(ws, name)
        secret, cred = issue(ws, name, kind="token", label=label or None, ttl=timedelta(days=days))
        _audit(ws, "token.create", name, {"id": cred.id, "expires_at": cred.expires_at})
    sys.stdout.write(secret + "\n")


# -- classification -------------------------------------------------------------------------


@app.command()
def classify(
    document: Annotated[str, typer.Argument(help="Document id, hash prefix or path.")],
    agency: Annotated[str | None, typer.Option(help="The owning agency.")] = None,
    level: Annotated[
        str | None, typer.Option(help="OPEN, RESTRICTED, SECRET (see 'levels').")
    ] = None,
    compartment: CompartmentOpt = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Set a source's owning agency, level and compartments (audited)."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security.classification import classification as current
    from threadline.security.classification import classify as set_class

    with _errors(), _open(workspace) as ws:
        doc = ws.document(document)
        before = current(ws, doc.id)
        done = set_class(ws, doc.id, agency=agency, level=level,
                         compartments=compartment, by=_operator())  # fmt: skip
        _audit(ws, "classify", doc.id, {"before": before.to_dict(), "after": done.to_dict()})
    if as_json:
        _emit(done.to_dict())
    else:
        comps = f" [{', '.join(done.compartments)}]" if done.compartments else ""
        console.print(f"{doc.id}: {done.agency} {done.level}{comps}", markup=False)


@app.command()
def levels(
    names: Annotated[
        list[str] | None, typer.Argument(help="New list of levels, lowest first.")
    ] = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Show the classification levels, or set them (lowest first)."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security.classification import level_names, set_levels

    with _errors(), _open(workspace) as ws:
        if names:
            before = level_names(ws)
            set_levels(ws, names)
            _audit(ws, "levels", None, {"before": before, "after": level_names(ws)})
        found = level_names(ws)
    console.print(" < ".join(found), markup=False)


def classify_ingested(
    ws: Any, documents: list[str], *, agency: str | None, level: str | None,
    compartments: list[str] | None,
) -> None:  # fmt: skip
    """Classify documents just ingested (``ingest --agency --level --compartment``)."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security.classification import classify as set_class

    if agency is None and level is None and not compartments:
        return
    for doc in documents:
        done = set_class(ws, doc, agency=agency, level=level, compartments=compartments,
                         by=_operator())  # fmt: skip
        _audit(ws, "classify", doc, {"after": done.to_dict(), "at": "ingest"})


# -- hit/no-hit -----------------------------------------------------------------------------


@alerts_app.callback()
def alerts(
    ctx: typer.Context,
    user: AsOpt = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """List alerts (after scanning for new hits); with --as, as that user sees them."""
    if ctx.invoked_subcommand is not None:
        return
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security import alerts as hits
    from threadline.security.classification import visible_documents

    with _errors(), _open(workspace) as ws:
        hits.scan(ws)
        who = _principal(ws, user)
        found = hits.alerts_for(ws, who, visible_documents(ws, who))
    if as_json:
        _emit(found)
        return
    if not found:
        console.print("no alerts")
    for a in found:
        console.print(f"#{a['id']} [{a['status']}] {a['text']}", markup=False, highlight=False,
                      soft_wrap=True)  # fmt: skip


AlertArg = Annotated[int, typer.Argument(help="Alert number.")]


@alerts_app.command("request")
def alerts_request(
    alert: AlertArg,
    user: AsOpt = None,
    reason: Annotated[str, typer.Option(help="Why access is needed.")] = "",
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Ask the holding agency for access to the sources behind a hit."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security import alerts as hits

    with _errors(), _open(workspace) as ws:
        hits.request_access(ws, _principal(ws, user), alert, reason=reason)
    console.print(f"access requested (alert {alert})", markup=False)


@alerts_app.command("grant")
def alerts_grant(alert: AlertArg, user: AsOpt = None, workspace: WorkspaceOpt = DEFAULT_WS) -> None:
    """Grant a request: the matching sources are shared with the requesting agency."""
    _decide(alert, user, workspace, True)


@alerts_app.command("deny")
def alerts_deny(alert: AlertArg, user: AsOpt = None, workspace: WorkspaceOpt = DEFAULT_WS) -> None:
    """Deny a request."""
    _decide(alert, user, workspace, False)


def _decide(alert: int, user: str | None, workspace: Any, allow: bool) -> None:
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security import ADMINS
    from threadline.security import alerts as hits

    with _errors(), _open(workspace) as ws:
        who = _principal(ws, user)
        if not who.can(ADMINS):
            _error_line(f"{who.name} is a {who.role}: only an admin of the holding agency decides")
            raise typer.Exit(EXIT_ERROR)
        docs = hits.decide(ws, who, alert, allow=allow)
    console.print(
        f"alert {alert}: {'granted, ' + str(len(docs)) + ' source(s) shared' if allow else 'denied'}",
        markup=False,
    )


@watch_app.command("add")
def watch_add(
    entity: Annotated[str, typer.Argument(help="Entity id, id prefix or exact name.")],
    user: AsOpt = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
) -> None:
    """Watch an entity for the user's agency: other agencies' sources that resolve to it
    raise an alert."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.resolve.judgement_plan import find_entity
    from threadline.usecases.watch import watch_entity

    with _errors(), _open(workspace) as ws:
        who = _principal(ws, user)
        target = find_entity(ws.entities(), entity)
        made = watch_entity(ws, who, label=target.name, mentions=target.mentions)
    console.print(f"watch {made['id']}: {made['label']} ({made['agency']})", markup=False)


@watch_app.command("list")
def watch_list(
    user: AsOpt = None, workspace: WorkspaceOpt = DEFAULT_WS, as_json: JsonOpt = False
) -> None:
    """List the watches (of the user's agency with --as)."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.usecases.watch import watched

    with _errors(), _open(workspace) as ws:
        who = _principal(ws, user)
        found = watched(ws, who)
    if as_json:
        _emit(found)
        return
    for w in found:
        console.print(f"watch {w['id']}: {w['label']} ({w['agency']})", markup=False)


# -- audit ----------------------------------------------------------------------------------


@audit_app.command("verify")
def audit_verify(
    expect_head: Annotated[
        str | None, typer.Option("--expect-head", help="A head hash kept elsewhere earlier.")
    ] = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Check the audit log's hash chain: every altered, removed or moved record is named
    (exit 1 if any)."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security.audit import verify

    with _errors(), _open(workspace) as ws:
        result = verify(ws, expect_head=expect_head)
    if as_json:
        _emit(result.to_dict())
    elif result.ok:
        console.print(
            f"audit log intact: {result.records} records, head {result.head[0]} {result.head[1]}",
            markup=False,
        )
    else:
        for p in result.problems:
            _error_line(p["message"])
    if not result.ok:
        raise typer.Exit(EXIT_ERROR)


@audit_app.command("log")
def audit_log(
    actor: Annotated[str | None, typer.Option(help="Only this actor.")] = None,
    action: Annotated[
        str | None, typer.Option(help="Only this action (alert.* for a prefix).")
    ] = None,
    target: Annotated[str | None, typer.Option(help="Only this target.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="Records shown.")] = 50,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Read the audit log, newest first."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security.audit import read

    with _errors(), _open(workspace) as ws:
        items, total = read(ws, actor=actor, action=action, target=target, limit=limit)
    if as_json:
        _emit({"total": total, "items": items})
        return
    for r in items:
        console.print(f"{r['seq']:>6} {r['time'][:19]} {r['actor']} ({r['agency'] or '-'}) "
                      f"{r['action']} {r['target'] or ''}", markup=False, highlight=False)  # fmt: skip
