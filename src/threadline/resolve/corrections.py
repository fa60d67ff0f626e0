"""Analyst corrections: record, undo and list them (issue 18).

The analyst says what the machine got wrong: not an entity, another schema, not
this tie, another tie type or direction, a role, a name that is (not) an alias;
or, per document, that one mention is no entity or of another schema. Each is a
judgement with the same guarantees as a merge: appended with who, when and why,
withdrawn by an undo row, never deleted. :func:`correct` turns the ids the analyst
sees into the text spans they rest on, refuses a correction that contradicts or
repeats one in force (naming it) and stores it; :func:`withdraw_correction` appends
its undo row. Nothing here runs another stage: ``correct`` and ``undo_correction``,
which also re-run resolve and analyze in the same transaction so the result shows at
once, are in :mod:`threadline.pipeline.judgements`. The resolve stage applies the
corrections on every run (:mod:`threadline.resolve.correction_plan`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from threadline.errors import (
    CorrectionConflictError,
    CorrectionError,
    InvalidValueError,
    NotFoundError,
)
from threadline.model import ENTITY_SCHEMATA, TIE_TYPES, Entity, Mention, Tie
from threadline.model.corrections import (
    ENTITY_KINDS,
    KINDS,
    MENTION_KINDS,
    TIE_KINDS,
    UNDO,
    Correction,
    CorrectionSpan,
)
from threadline.model.names import fold
from threadline.model.suggest import did_you_mean
from threadline.resolve.correction_plan import conflict_with, in_force, undone_by
from threadline.resolve.judgement_plan import find_entity
from threadline.resolve.resolver import SCHEMA
from threadline.resolve.roles import ROLES_OF_SCHEMA
from threadline.store import Workspace
from threadline.store.corrections import (
    NewCorrection,
    append_corrections,
    load_corrections,
    load_statuses,
)

__all__ = [
    "CorrectionRequest",
    "correction_dict",
    "correction_rows",
    "find_tie",
    "prepare",
    "record_correction",
    "withdraw_correction",
]


@dataclass(frozen=True)
class CorrectionRequest:
    """What an analyst asks, by the ids they see (the API's and the CLI's input).

    ``entity``, ``tie`` or ``mention`` names what is corrected (as the kind needs);
    ``schema``, ``type``, ``role`` or ``name`` the new value; ``reverse`` flips a
    retyped tie's direction; ``document`` keeps a tie correction to the statements
    of one document (the per-document review), else it covers every statement.
    """

    kind: str
    entity: str | None = None
    tie: str | None = None
    mention: str | None = None
    schema: str | None = None
    type: str | None = None
    role: str | None = None
    name: str | None = None
    reverse: bool = False
    document: str | None = None


def find_tie(ties: Sequence[Tie], ref: str) -> Tie:
    """The tie ``ref`` names: an id or a unique id prefix."""
    ref = (ref or "").strip()
    for t in ties:
        if t.id == ref:
            return t
    found = [t for t in ties if t.id.startswith(ref)] if len(ref) >= 3 else []
    if len(found) == 1:
        return found[0]
    why = f"is ambiguous ({len(found)} ties)" if found else "matches no tie"
    raise NotFoundError(
        f"tie '{ref}' {why}; 'threadline export' or GET /api/entities/{{id}}/ties list tie "
        "ids (a tie an analyst asserted is withdrawn with 'threadline retract')"
    )


def _find_mention(mentions: dict[str, Mention], ref: str) -> Mention:
    found = mentions.get((ref or "").strip())
    if found is None:
        hint = did_you_mean(ref, mentions)
        raise NotFoundError(
            f"mention '{ref}' does not exist{hint}; GET /api/documents/{{id}}/review lists "
            "the mentions of a document"
        )
    return found


def _span(m: Mention, part: str = "mention", group: int = 0) -> CorrectionSpan:
    return CorrectionSpan(m.document, m.start, m.end, m.text, part, group)


def _entity_spans(e: Entity, mentions: dict[str, Mention]) -> tuple[CorrectionSpan, ...]:
    spans = tuple(_span(mentions[m]) for m in sorted(e.mentions) if m in mentions)
    if not spans:
        raise CorrectionError(
            f"'{e.name}' ({e.id}) rests on no text span (an imported network?): nothing to "
            "correct here"
        )
    return spans


def _tie_spans(
    ws: Workspace, tie: Tie, entities: dict[str, Entity], mentions: dict[str, Mention], *,
    reverse: bool, document: str | None = None,
) -> tuple[CorrectionSpan, ...]:  # fmt: skip
    """The sentences that state ``tie`` (in ``document`` only, when given) and, in each,
    the mentions of its two ends (the new source first when ``reverse``)."""
    if document is not None and not any(ev.document == document for ev in tie.evidence):
        raise NotFoundError(
            f"tie {tie.id} has no statement in document '{document}': its evidence is in "
            f"{', '.join(sorted({ev.document for ev in tie.evidence})) or 'no document'}"
        )
    src = set(entities[tie.source].mentions) if tie.source in entities else set()
    tgt = set(entities[tie.target].mentions) if tie.target in entities else set()
    if reverse:
        src, tgt = tgt, src
    by_doc: dict[str, list[Any]] = defaultdict(list)
    for a in ws.assertions():
        if a.kind == "tie" and a.b is not None:
            by_doc[a.document].append(a)
    spans: list[CorrectionSpan] = []
    for group, ev in enumerate(tie.evidence):
        if document is not None and ev.document != document:
            continue
        stated = [
            a
            for a in by_doc.get(ev.document, [])
            if (a.evidence.start, a.evidence.end) == (ev.start, ev.end)
            and ((a.a in src and a.b in tgt) or (a.a in tgt and a.b in src))
        ]
        ends = {x for a in stated for x in (a.a, a.b)}
        if not stated:  # a statement the store does not hold (a record's row): the ends inside
            ends = {
                m
                for m in src | tgt
                if m in mentions
                and mentions[m].document == ev.document
                and ev.start <= mentions[m].start < ev.end
            }
        s_ends = sorted(m for m in ends if m in src and m in mentions)
        t_ends = sorted(m for m in ends if m in tgt and m in mentions)
        if not s_ends or not t_ends:
            continue
        spans.append(CorrectionSpan(ev.document, ev.start, ev.end, ev.quote, "evidence", group))
        spans += [_span(mentions[m], "source", group) for m in s_ends]
        spans += [_span(mentions[m], "target", group) for m in t_ends]
    if not spans:
        raise CorrectionError(
            f"tie {tie.id} rests on no sentence of a stored document (an imported network?): "
            "nothing to correct here"
        )
    return tuple(spans)


def _pick(value: str | None, field: str, allowed: Sequence[str]) -> str:
    if not value or value not in allowed:
        raise InvalidValueError(field, f"'{value or ''}' is not one of {', '.join(allowed)}")
    return value


def prepare(ws: Workspace, request: CorrectionRequest) -> NewCorrection:
    """The correction ``request`` asks for, as the spans it rests on; checks that it
    makes sense (known ids, values of the vocabulary, a real change)."""
    kind = request.kind
    if kind not in KINDS:
        raise InvalidValueError("kind", f"'{kind}' is not one of {', '.join(KINDS)}")
    mentions = {m.id: m for m in ws.mentions()}
    if kind in ENTITY_KINDS:
        if not request.entity:
            raise InvalidValueError("entity", f"a '{kind}' correction names an entity")
        e = find_entity(ws.entities(), request.entity)
        spans = _entity_spans(e, mentions)
        value, previous = "", ""
        if kind == "set_schema":
            value = _pick(request.schema, "schema", ENTITY_SCHEMATA)
            previous = e.schema
            if value == e.schema:
                raise CorrectionError(f"'{e.name}' is a {e.schema} already")
        elif kind == "set_role":
            roles = ROLES_OF_SCHEMA.get(e.schema, ())
            if not roles:
                raise InvalidValueError("role", f"'{e.name}' is a {e.schema}, which has no role")
            value = _pick(request.role, "role", roles)
            previous = str(e.data.get("role", ""))
            if value == previous:
                raise CorrectionError(f"the role of '{e.name}' is {value} already")
        elif kind in ("alias", "not_alias"):
            value = " ".join((request.name or "").split())
            if not value:
                raise InvalidValueError("name", "is empty: give the name")
            carried = {fold(n) for n in (*e.names, *e.aliases)}
            if kind == "alias" and fold(value) in carried:
                raise CorrectionError(f"'{value}' is a name of '{e.name}' already")
            if kind == "not_alias" and fold(value) not in carried:
                raise CorrectionError(f"'{e.name}' has no name or alias '{value}'")
            if kind == "not_alias" and fold(value) == fold(e.name):
                raise CorrectionError(
                    f"'{value}' is the name '{e.name}' is filed under: to part the people "
                    f"who carry it, use 'threadline split {e.id} --names ...'"
                )
        return NewCorrection(kind, e.id, e.name, value, spans, previous)
    if kind in MENTION_KINDS:
        if not request.mention:
            raise InvalidValueError("mention", f"a '{kind}' correction names a mention")
        m = _find_mention(mentions, request.mention)
        value, previous = "", SCHEMA.get(m.label, m.label)
        if kind == "set_mention_schema":
            value = _pick(request.schema, "schema", ENTITY_SCHEMATA)
            holder = next((e for e in ws.entities() if m.id in e.mentions), None)
            previous = holder.schema if holder is not None else previous
            if holder is not None and value == holder.schema:
                raise CorrectionError(f"'{m.text}' is part of a {value} already ({holder.name})")
        return NewCorrection(kind, m.id, m.text, value, (_span(m),), previous)
    if not request.tie:
        raise InvalidValueError("tie", f"a '{kind}' correction names a tie")
    tie = find_tie(ws.ties(), request.tie)
    entities = {e.id: e for e in ws.entities()}
    names = [entities[x].name if x in entities else x for x in (tie.source, tie.target)]
    value = ""
    reverse = bool(request.reverse)
    if kind == "retype_tie":
        value = _pick(request.type, "type", tuple(TIE_TYPES))
        if reverse and not TIE_TYPES[value].directed:
            raise InvalidValueError("reverse", f"a '{value}' tie has no direction to reverse")
        if value == tie.type and not reverse:
            raise CorrectionError(f"tie {tie.id} is a {value} tie already")
    elif reverse:
        raise InvalidValueError("reverse", "only a retyped tie is reversed")
    spans = _tie_spans(ws, tie, entities, mentions, reverse=reverse, document=request.document)
    arrow = "→" if TIE_TYPES.get(tie.type) is not None and TIE_TYPES[tie.type].directed else "—"
    label = f"{names[0]} {arrow} {names[1]}"
    return NewCorrection(kind, tie.id, label, value, spans, tie.type, reverse)


def _trial(new: NewCorrection, next_id: int, user: str) -> Correction:
    now = datetime.now(UTC).replace(tzinfo=None)
    return Correction(
        next_id, new.kind, new.target, new.label, new.value, new.previous, new.reverse,
        new.spans, user, now,
    )  # fmt: skip


def record_correction(
    ws: Workspace, request: CorrectionRequest, *, user: str, reason: str = ""
) -> Correction:
    """Record ``request`` (no re-run; one transaction).

    Raises :class:`NotFoundError` for an unknown entity, tie or mention,
    :class:`InvalidValueError` for a schema, type or role outside the vocabulary,
    :class:`CorrectionError` when it would change nothing, and
    :class:`CorrectionConflictError` when it contradicts or repeats a correction in
    force (naming it). Nothing is written when it raises.
    """
    new = prepare(ws, request)
    with ws.transaction():
        check(ws, new, user)
        [stored] = append_corrections(ws, [new], user=user, reason=reason)
    return stored


def check(ws: Workspace, new: NewCorrection, user: str) -> None:
    """Refuse ``new`` when it contradicts or repeats a correction in force."""
    found = conflict_with(_trial(new, 0, user), in_force(load_corrections(ws)))
    if found is not None:
        earlier, why = found
        raise CorrectionConflictError(
            f"{why}: #{earlier.id} {earlier.text()} ({earlier.user}). Nothing was recorded; "
            f"undo it first ('threadline undo {earlier.id}', POST /api/corrections/"
            f"{earlier.id}/undo) if you no longer hold it"
        )


def withdraw_correction(
    ws: Workspace, correction_id: int, *, user: str, reason: str = ""
) -> Correction:
    """Append an ``undo`` row withdrawing correction ``correction_id`` (no re-run)."""
    history = load_corrections(ws)
    target = next((c for c in history if c.id == correction_id), None)
    if target is None:
        raise NotFoundError(
            f"correction {correction_id} does not exist; see 'threadline corrections'"
        )
    if target.kind == UNDO:
        raise CorrectionError(
            f"#{correction_id} is itself an undo (of #{target.undoes}); to restore "
            f"#{target.undoes}, record it again"
        )
    undone = undone_by(history)
    if correction_id in undone:
        raise CorrectionError(
            f"correction {correction_id} was already undone by #{undone[correction_id]}"
        )
    row = NewCorrection(
        UNDO, target.target, target.label, target.value, target.spans, target.previous,
        target.reverse, undoes=correction_id,
    )  # fmt: skip
    [stored] = append_corrections(ws, [row], user=user, reason=reason)
    return stored


def correction_dict(
    c: Correction, status: tuple[str, str, list[str]] | None = None, undone: int | None = None
) -> dict[str, Any]:
    """A correction as JSON: id, kind, status, spans, user, created_at, reason, and the
    kind's fields (``entity``, ``tie`` or ``mention``; ``schema``, ``type`` and
    ``reverse``, ``role`` or ``name``)."""
    if c.kind == UNDO:
        state = "undo"
    elif undone is not None:
        state = "undone"
    else:
        state = status[0] if status else "dormant"
    out: dict[str, Any] = {
        "id": c.id,
        "kind": c.kind,
        "status": state,
        "note": (status[1] if status and state == "dormant" else "")
        or ("its text spans yield nothing on the latest run" if state == "dormant" else ""),
        "text": c.text(),
        "label": c.label,
        "previous": c.previous,
        "spans": [s.to_dict() for s in c.spans],
        "mentions": list(status[2]) if status and state == "applied" else [],
        "user": c.user,
        "created_at": c.created_at.isoformat() + "Z",
        "reason": c.reason,
        "undoes": c.undoes,
        "undone_by": undone,
    }
    if c.kind in (*ENTITY_KINDS,):
        out["entity"] = c.target
    elif c.kind in MENTION_KINDS:
        out["mention"] = c.target
    elif c.kind in TIE_KINDS:
        out["tie"] = c.target
    if c.kind in ("set_schema", "set_mention_schema"):
        out["schema"] = c.value
    elif c.kind == "retype_tie":
        out["type"] = c.value
        out["reverse"] = c.reverse
    elif c.kind == "set_role":
        out["role"] = c.value
    elif c.kind in ("alias", "not_alias"):
        out["name"] = c.value
    return out


def correction_rows(ws: Workspace) -> list[dict[str, Any]]:
    """Every correction ever recorded, oldest first, with its status on the latest run
    (:func:`correction_dict`)."""
    history = load_corrections(ws)
    if not history:
        return []
    statuses = load_statuses(ws)
    undone = undone_by(history)
    return [correction_dict(c, statuses.get(c.id), undone.get(c.id)) for c in history]
