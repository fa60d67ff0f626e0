"""Identity commands: review, merge, judge, split, undo, judgements, proposals, explain.

The analyst decides which names are one person. Each command that records a
judgement (or an undo) re-runs resolve and analyze in the same transaction, so
the result shows at once, and prints the entities as they now stand; any
contradiction between judgements is printed on stderr. The library does the
work (:mod:`threadline.resolve.judgements`, :mod:`~threadline.resolve.proposals`,
:mod:`~threadline.resolve.explain`); this module parses, prints and exits.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from contextlib import nullcontext
from typing import TYPE_CHECKING, Annotated, Any

import typer

from threadline.cli.acting import (
    AgencyOpt,
    ForceOpt,
    ReasonOpt,
    UserOpt,
    _acting,
    _plain,
    _user,
)
from threadline.cli.base import (
    DEFAULT_WS,
    JsonOpt,
    WorkspaceOpt,
    _emit,
    _errors,
    _open,
    app,
    console,
    err,
)
from threadline.cli.corrections_cmd import _owned, _show, correction_line
from threadline.errors import JudgementConflictError, NotFoundError

if TYPE_CHECKING:
    from threadline.model import Entity
    from threadline.model.identity import Judgement, JudgementSide
    from threadline.resolve.proposals import Proposal
    from threadline.store import Workspace

VERDICT_WORDS = {"same": "same", "not-same": "not_same", "not_same": "not_same", "unsure": "unsure"}
KEYS = {"y": "same", "n": "not_same", "u": "unsure", "s": "skip", "q": "quit"}


def _own(ws: Workspace, who: Any, stored: Sequence[Judgement]) -> None:
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security.visibility import set_owner

    if who is not None:
        for j in stored:
            set_owner(ws, "judgement", j.id, who.agency)


def _warn_contradictions(ws: Workspace) -> list[dict[str, Any]]:
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.resolve.judgements import plan_for_workspace

    plan = plan_for_workspace(ws)
    for c in plan.contradictions:
        err.print(f"warning: {c.message}", markup=False, highlight=False, soft_wrap=True)
    for jid, status in plan.status.items():
        if status == "stale":
            err.print(
                f"warning: judgement #{jid} cannot be applied: {plan.notes.get(jid, '')}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
    return [{"judgements": list(c.judgements), "message": c.message} for c in plan.contradictions]


def _entity_brief(e: Entity) -> dict[str, Any]:
    return {"id": e.id, "name": e.name, "names": e.names, "aliases": e.aliases}


def _holders(ws: Workspace, sides: Sequence[JudgementSide | None]) -> list[Entity]:
    """Today's entities holding the mentions of ``sides``, in order, once each."""
    entities = ws.entities()
    holder = {m: e for e in entities for m in e.mentions}
    out: list[Entity] = []
    for side in sides:
        if side is None:
            continue
        for m in sorted(side.mentions):
            e = holder.get(m)
            if e is not None and e not in out:
                out.append(e)
    return out


def _judgement_dict(j: Judgement) -> dict[str, Any]:
    return {
        "id": j.id,
        "batch": j.batch,
        "verdict": j.verdict,
        "origin": j.origin,
        "left": j.left.name if j.left else None,
        "right": j.right.name if j.right else None,
        "user": j.user,
        "created_at": j.created_at.isoformat() + "Z",
        "reason": j.reason,
        "undoes": j.undoes,
    }


def _report(ws: Workspace, recorded: list[Judgement], as_json: bool) -> None:
    """What was recorded, the entities its sides now form, and any contradiction."""
    entities = _holders(ws, [s for j in recorded for s in (j.left, j.right)])
    contradictions = _warn_contradictions(ws)
    if as_json:
        _emit(
            {
                "recorded": [_judgement_dict(j) for j in recorded],
                "entities": [_entity_brief(e) for e in entities],
                "contradictions": contradictions,
            }
        )
        return
    for j in recorded:
        _plain(f"recorded {j.describe()}")
    label = "now one entity" if len(entities) == 1 else f"now {len(entities)} entities"
    _plain(f"{label}:")
    labels = _doc_labels(ws)
    docs = {m.id: m.document for m in ws.mentions()}
    for e in entities:
        named_in = sorted({labels.get(docs[m], docs[m]) for m in e.mentions if m in docs})
        forms = dict.fromkeys([*e.names, *e.aliases])
        _plain(f"  {e.name} ({e.id}): {', '.join(forms)}")
        _plain(f"     named in: {', '.join(named_in)}", "dim")


@app.command()
def merge(
    left: Annotated[str, typer.Argument(help="Entity id, unique id prefix or exact name.")],
    right: Annotated[str, typer.Argument(help="The other entity.")],
    reason: ReasonOpt = "",
    user: UserOpt = None,
    agency: AgencyOpt = None,
    force: ForceOpt = False,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Judge two entities the same person: they stay one on every re-run until undone."""
    _judge_pair(workspace, left, right, None, reason, user, agency, force, as_json)


def _judge_pair(
    workspace: Any, left: str, right: str, verdict: str | None, reason: str, user: str | None,
    agency: str | None, force: bool, as_json: bool,
) -> None:  # fmt: skip
    """Record a verdict on two entities (None: a merge), as the named agency's user on a
    shared workspace (:func:`_acting`): in their view, as the API does
    (:func:`threadline.usecases.judgements.judge_in_view`)."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.usecases.judgements import judge_in_view

    with _errors(), _open(workspace) as ws:
        who = _acting(ws, agency, user)
        stored = judge_in_view(
            lambda: nullcontext(ws),
            _viewer(ws, who),
            left,
            right,
            verdict or "same",
            user=who.name if who else _user(user),
            agency=who.agency if who else None,
            reason=reason,
            force=force,
            origin="merge" if verdict is None else "judge",
        )
        _report_seen(ws, who, stored, as_json)


def _viewer(ws: Workspace, who: Any) -> Any:
    """Opens what ``who`` sees of ``ws`` (None: all of it), built afresh each time."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.pipeline.views import user_view
    from threadline.security.users import default_agency

    return lambda: user_view(ws, who, default_agency=default_agency(ws) or "local")


def _report_seen(ws: Workspace, who: Any, stored: list[Judgement], as_json: bool) -> None:
    """:func:`_report` on what ``who`` sees now: another agency's judgements, and names
    only hidden sources give, stay out of the entities and the contradictions printed."""
    with _viewer(ws, who)() as seen:
        _report(seen, stored, as_json)


@app.command()
def judge(
    left: Annotated[str, typer.Argument(help="Entity id, unique id prefix or exact name.")],
    right: Annotated[str, typer.Argument(help="The other entity.")],
    verdict: Annotated[str, typer.Argument(help="same | not-same | unsure")],
    reason: ReasonOpt = "",
    user: UserOpt = None,
    agency: AgencyOpt = None,
    force: ForceOpt = False,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Record a verdict on two entities: same, not-same (kept apart) or unsure."""
    if verdict not in VERDICT_WORDS:
        raise typer.BadParameter(
            f"'{verdict}' is not one of same, not-same, unsure", param_hint="VERDICT"
        )
    _judge_pair(
        workspace, left, right, VERDICT_WORDS[verdict], reason, user, agency, force, as_json
    )


@app.command()
def split(
    entity: Annotated[str, typer.Argument(help="Entity id, unique id prefix or exact name.")],
    names: Annotated[
        list[str] | None,
        typer.Option(
            "--names", help="One part: its names, ';' between names (repeat for each part)."
        ),
    ] = None,
    mentions: Annotated[
        list[str] | None,
        typer.Option("--mentions", help="One part: mention ids, ',' between them (repeat)."),
    ] = None,
    documents: Annotated[
        list[str] | None,
        typer.Option("--documents", help="One part: document ids, ',' between them (repeat)."),
    ] = None,
    reason: ReasonOpt = "",
    user: UserOpt = None,
    agency: AgencyOpt = None,
    force: ForceOpt = False,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Split an entity into people the analyst holds to be different.

    Name the parts by names, mention ids or document ids; one part given means
    "these, and the rest". Each pair of parts is judged not the same.
    """
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.usecases.judgements import split_in_view

    def parts(values: list[str] | None, seps: str) -> list[list[str]]:
        out = []
        for v in values or []:
            for sep in seps[1:]:
                v = v.replace(sep, seps[0])
            out.append([p.strip() for p in v.split(seps[0]) if p.strip()])
        return out

    with _errors(), _open(workspace) as ws:
        who = _acting(ws, agency, user)
        stored = split_in_view(
            lambda: nullcontext(ws),
            _viewer(ws, who),
            entity,
            user=who.name if who else _user(user),
            agency=who.agency if who else None,
            parts=parts(names, ";"),
            mentions=parts(mentions, ",;"),
            documents=parts(documents, ",;"),
            reason=reason,
            force=force,
        )
        _report_seen(ws, who, stored, as_json)


@app.command()
def undo(
    judgement: Annotated[
        int,
        typer.Argument(help="Judgement or correction id (see 'threadline judgements')."),
    ],
    reason: ReasonOpt = "",
    user: UserOpt = None,
    agency: AgencyOpt = None,
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Withdraw a judgement (a whole split at once) or a correction; history keeps both rows."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.pipeline.judgements import undo as withdraw_and_rerun
    from threadline.security.users import default_agency
    from threadline.security.visibility import owners
    from threadline.store.corrections import correction_ids

    with _errors(), _open(workspace) as ws:
        who = _acting(ws, agency, user)
        kind = "correction" if judgement in correction_ids(ws) else "judgement"
        if who is not None:
            owner = owners(ws, kind, default_agency(ws) or "")[str(judgement)]
            if owner != who.agency:
                raise NotFoundError(f"{kind} {judgement} is not one of {who.agency}'s")
        if kind == "correction":
            _undo_correction(ws, judgement, who, user, reason, as_json)
            return
        with ws.transaction():
            stored = withdraw_and_rerun(
                ws, judgement, user=who.name if who else _user(user), reason=reason
            )
            _own(ws, who, stored)
        _report(ws, stored, as_json)


def _undo_correction(
    ws: Workspace, correction: int, who: Any, user: str | None, reason: str, as_json: bool
) -> None:
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.pipeline.judgements import undo_correction
    from threadline.resolve.corrections import correction_rows

    with ws.transaction():
        stored = undo_correction(
            ws, correction, user=who.name if who else _user(user), reason=reason
        )
        _owned(ws, who, stored.id)
    _show(next(r for r in correction_rows(ws) if r["id"] == stored.id), as_json)


@app.command()
def judgements(
    workspace: WorkspaceOpt = DEFAULT_WS,
    active: Annotated[
        bool, typer.Option("--active", help="Only judgements in force (not undone, not undos).")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """List every judgement and correction with who, when, why and what became of it on
    the latest run."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.resolve.corrections import correction_rows
    from threadline.resolve.judgements import history_rows

    with _errors(), _open(workspace) as ws:
        rows = history_rows(ws)
        fixes = [
            {**r, "verdict": "correction", "origin": "correction"} for r in correction_rows(ws)
        ]
    rows = sorted([*rows, *fixes], key=lambda r: int(r["id"]))
    if active:
        rows = [r for r in rows if r["status"] not in ("undo", "undone")]
    if as_json:
        _emit(rows)
        return
    if not rows:
        console.print("no judgements yet: see 'threadline review' or 'threadline merge'")
        return
    for r in rows:
        if r["verdict"] == "correction":
            _plain(correction_line(r))
            continue
        if r["verdict"] == "undo":
            sides = f" ('{r['left']['name']}' / '{r['right']['name']}')" if "left" in r else ""
            what = f"undo of #{r['undoes']}{sides}"
        else:
            sign = {"same": "=", "not_same": "≠", "unsure": "?"}[r["verdict"]]
            what = f"'{r['left']['name']}' {sign} '{r['right']['name']}'"
        note = f" ({r['note']})" if r["note"] else ""
        why = f" - {r['reason']}" if r["reason"] else ""
        _plain(
            f"#{r['id']:<4} {r['created_at']}  {r['user']:<10} {r['origin']:<6} {what}  "
            f"[{r['status']}{note}]{why}"
        )


@app.command()
def proposals(
    workspace: WorkspaceOpt = DEFAULT_WS,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also pairs already judged (not same, unsure).")
    ] = False,
    min_score: Annotated[
        float, typer.Option("--min-score", min=0.0, max=1.0, help="Leave out lower scores.")
    ] = 0.0,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most this many.")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """List pairs of people kept apart who may be one, with evidence for and against."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.resolve.proposals import workspace_proposals

    with _errors(), _open(workspace) as ws:
        found = workspace_proposals(ws)
        titles = _doc_labels(ws)
    found = [p for p in found if (show_all or p.status == "open") and p.score >= min_score]
    found = found[:limit]
    if as_json:
        _emit([p.to_dict() for p in found])
        return
    if not found:
        console.print("no open merge proposals")
        return
    for i, p in enumerate(found, 1):
        _show_proposal(p, i, len(found), titles)


def _doc_labels(ws: Workspace) -> dict[str, str]:
    return {d.id: os.path.basename(d.source) or d.title or d.id for d in ws.documents()}


def _show_proposal(p: Proposal, i: int, n: int, docs: dict[str, str]) -> None:
    _plain(f"[{i}/{n}] score {p.score:.3f} ({p.status.replace('_', ' ')})", "bold")
    for tag, e in (("A", p.left), ("B", p.right)):
        _plain(f"  {tag}: {e.name} ({e.id})")
        _plain(f"     names: {', '.join(e.names)}")
        if e.aliases:
            _plain(f"     aliases: {', '.join(e.aliases)}")
        in_docs = p.documents.get(e.id, [])
        _plain(f"     named in: {', '.join(docs.get(d, d) for d in in_docs)}")
    for title, items, style in (
        ("for", p.evidence_for, "green"),
        ("against", p.evidence_against, "red"),
    ):
        if not items:
            continue
        _plain(f"  evidence {title}:")
        for r in items:
            _plain(f"    {r.weight:+.1f}  {r.text}", style)
            for ev in r.evidence[:2]:
                _plain(f'           "{ev.quote}" ({docs.get(ev.document, ev.document)})', "dim")
    for r in p.notes:
        _plain(f"  note: {r.text}", "yellow")


@app.command()
def explain(
    entity: Annotated[str, typer.Argument(help="Entity id, unique id prefix or exact name.")],
    workspace: WorkspaceOpt = DEFAULT_WS,
    as_json: JsonOpt = False,
) -> None:
    """Why these names are one entity: each rule that joined them, with its evidence."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.resolve.explain import explain as explain_entity
    from threadline.resolve.explain import explanation_lines

    with _errors(), _open(workspace) as ws:
        found = explain_entity(ws, entity)
        labels = _doc_labels(ws)
    if as_json:
        _emit(found.to_dict())
        return
    for line in explanation_lines(found, labels):
        _plain(line)


@app.command()
def review(
    workspace: WorkspaceOpt = DEFAULT_WS,
    user: UserOpt = None,
    agency: AgencyOpt = None,
    min_score: Annotated[
        float, typer.Option("--min-score", min=0.0, max=1.0, help="Skip lower-scored pairs.")
    ] = 0.0,
    unsure: Annotated[
        bool, typer.Option("--unsure", help="Also revisit pairs judged unsure.")
    ] = False,
) -> None:
    """Walk the open merge proposals: y same, n not same, u unsure, s skip, q quit.

    Each proposal shows both entities, their names and documents, and the
    evidence for and against. Without a terminal, one answer is read per line of
    stdin (end of input quits), so review can be scripted.
    """
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.pipeline.reruns import rerun
    from threadline.resolve.judgements import record, side_of
    from threadline.resolve.proposals import workspace_proposals

    interactive = sys.stdin.isatty()
    seen: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
    decided = 0
    with _errors(), _open(workspace) as ws:
        acting = _acting(ws, agency, user)
        who = acting.name if acting is not None else _user(user)
        docs = _doc_labels(ws)
        shown = 0
        while True:
            wanted = ("open", "unsure") if unsure else ("open",)
            queue = [
                p
                for p in workspace_proposals(ws)
                if p.status in wanted and p.score >= min_score and _pair(p) not in seen
            ]
            if not queue:
                console.print("no more open proposals")
                break
            p = queue[0]
            shown += 1
            _show_proposal(p, shown, shown + len(queue) - 1, docs)
            answer = _ask(interactive)
            if answer == "quit":
                break
            seen.add(_pair(p))
            if answer == "skip":
                continue
            try:
                with ws.transaction():
                    recorded = record(
                        ws,
                        answer,
                        [(side_of(p.left), side_of(p.right))],
                        user=who,
                        origin="review",
                    )
                    _own(ws, acting, recorded)
                    rerun(ws, "judgement")  # the next proposal sees this judgement
            except JudgementConflictError as exc:
                err.print(f"not recorded: {exc}", markup=False, highlight=False, soft_wrap=True)
                continue
            decided += 1
            _plain(f"  recorded {recorded[0].describe()}", "bold")
        if decided:
            _warn_contradictions(ws)
    console.print(f"{decided} judgement(s) recorded")


def _pair(p: Proposal) -> tuple[tuple[str, ...], tuple[str, ...]]:
    a, b = tuple(sorted(p.left.mentions)), tuple(sorted(p.right.mentions))
    return (a, b) if a <= b else (b, a)


def _ask(interactive: bool) -> str:
    """One answer: a key press on a terminal, else the first letter of a line of stdin."""
    prompt = "same person? [y]es / [n]o / [u]nsure / [s]kip / [q]uit: "
    while True:
        if interactive:
            console.print(prompt, end="", markup=False, highlight=False)
            key = typer.getchar()
            console.print(key, markup=False, highlight=False)
        else:
            console.print(prompt, markup=False, highlight=False)
            line = sys.stdin.readline()
            if not line:
                return "quit"  # end of input
            key = line.strip()[:1]
        answer = KEYS.get(key.lower()) if key else None
        if answer is not None:
            return answer
        console.print("answer y, n, u, s or q", markup=False, highlight=False)
