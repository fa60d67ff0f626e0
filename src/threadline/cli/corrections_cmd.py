"""Correction commands: reject, retype, role, alias, corrections (issue 18).

The analyst says what the machine got wrong. Each command records one correction
(a judgement: who, when, why, undone with ``threadline undo ID``), re-runs
resolve and analyze in the same transaction so the result shows at once, and
prints the correction with its status. The library does the work
(:mod:`threadline.resolve.corrections`); this module parses, prints and exits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from threadline.cli.acting import AgencyOpt, ReasonOpt, UserOpt, _acting, _may_see, _plain, _user
from threadline.cli.base import DEFAULT_WS, JsonOpt, WorkspaceOpt, _emit, _errors, _open, app

if TYPE_CHECKING:
    from threadline.resolve.corrections import CorrectionRequest
    from threadline.store import Workspace

EntityArg = Annotated[
    str | None,
    typer.Argument(help="Entity id, unique id prefix or exact name (or use --tie / --mention)."),
]
TieOpt = Annotated[
    str | None, typer.Option("--tie", help="A tie id (or unique prefix) instead of an entity.")
]
DocumentOpt = Annotated[
    str | None,
    typer.Option(
        "--document",
        help="With --tie: only the tie's statements in this document (id), not every one.",
    ),
]
MentionOpt = Annotated[
    str | None,
    typer.Option("--mention", help="One mention id (see the document's review) instead."),
]


def _owned(ws: Workspace, who: Any, correction_id: int) -> None:
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security.visibility import set_owner

    if who is not None:
        set_owner(ws, "correction", correction_id, who.agency)


def _may_correct(ws: Workspace, who: Any, request: CorrectionRequest) -> None:
    """On a shared workspace, refuse to correct what rests on sources the user may not see."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.resolve.corrections import find_tie
    from threadline.resolve.judgement_plan import find_entity

    if who is None:
        return
    entities = ws.entities()
    if request.entity:
        _may_see(ws, who, [find_entity(entities, request.entity)], request.entity)
    if request.tie:
        tie = find_tie(ws.ties(), request.tie)
        ends = [e for e in entities if e.id in (tie.source, tie.target)]
        _may_see(ws, who, ends, request.tie)
    if request.mention:
        holders = [e for e in entities if request.mention in e.mentions]
        _may_see(ws, who, holders, request.mention)


def _record(
    workspace: Any, request: CorrectionRequest, reason: str, user: str | None,
    agency: str | None, as_json: bool,
) -> None:  # fmt: skip
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.pipeline.judgements import correct
    from threadline.resolve import corrections as lib

    with _errors(), _open(workspace) as ws:
        who = _acting(ws, agency, user)
        _may_correct(ws, who, request)
        with ws.transaction():
            stored = correct(ws, request, user=who.name if who else _user(user), reason=reason)
            _owned(ws, who, stored.id)
        row = next(r for r in lib.correction_rows(ws) if r["id"] == stored.id)
    _show(row, as_json)


def _show(row: dict[str, Any], as_json: bool) -> None:
    if as_json:
        _emit(row)
        return
    _plain(f"recorded #{row['id']} {row['text']} ({row['user']}, {row['created_at'][:16]})")
    note = f": {row['note']}" if row["note"] else ""
    _plain(f"  {row['status']}{note}", "dim")


def _one_target(entity: str | None, tie: str | None, mention: str | None) -> str:
    given = [n for n, v in (("ENTITY", entity), ("--tie", tie), ("--mention", mention)) if v]
    if len(given) != 1:
        raise typer.BadParameter(
            "name exactly one of ENTITY, --tie ID or --mention ID"
            + (f" (got {', '.join(given)})" if given else "")
        )
    return given[0]


@app.command()
def reject(
    entity: EntityArg = None,
    tie: TieOpt = None,
    document: DocumentOpt = None,
    mention: MentionOpt = None,
    reason: ReasonOpt = "",
    user: UserOpt = None,
    agency: AgencyOpt = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Say the machine got it wrong: this is not an entity, this tie is not stated, or
    (with --mention) this one name in a document is no entity. Undo with 'undo ID'."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.resolve.corrections import CorrectionRequest

    which = _one_target(entity, tie, mention)
    if document and which != "--tie":
        raise typer.BadParameter("--document is for a tie (--tie ID)", param_hint="--document")
    if which == "ENTITY":
        request = CorrectionRequest("reject_entity", entity=entity)
    elif which == "--tie":
        request = CorrectionRequest("reject_tie", tie=tie, document=document)
    else:
        request = CorrectionRequest("reject_mention", mention=mention)
    _record(workspace, request, reason, user, agency, as_json)


@app.command()
def retype(
    entity: EntityArg = None,
    schema: Annotated[
        str | None,
        typer.Option(
            "--as",
            help="The entity's (or mention's) schema: Person, Organization, Address or Event.",
        ),
    ] = None,  # fmt: skip
    tie: TieOpt = None,
    tie_type: Annotated[
        str | None, typer.Option("--type", help="The tie's type (with --tie), e.g. member_of.")
    ] = None,
    reverse: Annotated[
        bool, typer.Option("--reverse", help="With --tie: the tie runs the other way.")
    ] = False,
    document: DocumentOpt = None,
    mention: MentionOpt = None,
    reason: ReasonOpt = "",
    user: UserOpt = None,
    agency: AgencyOpt = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Correct what something is: an entity's schema (--as Address), a tie's type and
    direction (--tie ID --type member_of [--reverse]), or one mention's schema."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.resolve.corrections import CorrectionRequest

    which = _one_target(entity, tie, mention)
    if which == "--tie":
        if not tie_type:
            raise typer.BadParameter("a tie is retyped with --type TYPE", param_hint="--type")
        request = CorrectionRequest(
            "retype_tie", tie=tie, type=tie_type, reverse=reverse, document=document
        )
    else:
        if not schema:
            raise typer.BadParameter("give the schema with --as SCHEMA", param_hint="--as")
        if tie_type or reverse or document:
            raise typer.BadParameter("--type, --reverse and --document are for a tie (--tie ID)")
        request = (
            CorrectionRequest("set_schema", entity=entity, schema=schema)
            if which == "ENTITY"
            else CorrectionRequest("set_mention_schema", mention=mention, schema=schema)
        )
    _record(workspace, request, reason, user, agency, as_json)


@app.command()
def role(
    entity: Annotated[str, typer.Argument(help="Entity id, unique id prefix or exact name.")],
    role: Annotated[
        str,
        typer.Argument(
            help="A person: network, official, journalist, expert, victim or other; a "
            "group: network, state, media or other.",
        ),
    ],
    reason: ReasonOpt = "",
    user: UserOpt = None,
    agency: AgencyOpt = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Set the role of a person or group (a reporter is no member of the network)."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.resolve.corrections import CorrectionRequest

    request = CorrectionRequest("set_role", entity=entity, role=role)
    _record(workspace, request, reason, user, agency, as_json)


@app.command()
def alias(
    entity: Annotated[str, typer.Argument(help="Entity id, unique id prefix or exact name.")],
    name: Annotated[str, typer.Argument(help="The name.")],
    negate: Annotated[
        bool, typer.Option("--not", help="The name is NOT an alias of this entity.")
    ] = False,
    reason: ReasonOpt = "",
    user: UserOpt = None,
    agency: AgencyOpt = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Say a name is another name of a person or group (or, with --not, that it is not)."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.resolve.corrections import CorrectionRequest

    kind = "not_alias" if negate else "alias"
    request = CorrectionRequest(kind, entity=entity, name=name)
    _record(workspace, request, reason, user, agency, as_json)


@app.command()
def corrections(
    workspace: WorkspaceOpt = DEFAULT_WS,
    active: Annotated[
        bool, typer.Option("--active", help="Only corrections in force (not undone, not undos).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """List every correction with who, when, why, its text spans and its status on the
    latest run: applied, dormant (its text yields nothing now), undone or undo."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.resolve.corrections import correction_rows

    with _errors(), _open(workspace) as ws:
        rows = correction_rows(ws)
    if active:
        rows = [r for r in rows if r["status"] not in ("undo", "undone")]
    if as_json:
        _emit(rows)
        return
    if not rows:
        _plain("no corrections yet: see 'threadline reject', 'retype', 'role' and 'alias'")
        return
    for r in rows:
        _plain(correction_line(r))


def correction_line(r: dict[str, Any]) -> str:
    """One line of the history for a correction row."""
    note = f" ({r['note']})" if r.get("note") else ""
    why = f" - {r['reason']}" if r.get("reason") else ""
    return (
        f"#{r['id']:<4} {r['created_at']}  {r['user']:<10} {'correct':<6} {r['text']}  "
        f"[{r['status']}{note}]{why}"
    )
