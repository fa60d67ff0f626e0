"""Analyst notes and analyst-asserted ties: what the analyst adds by hand.

A note is free text on an entity or a tie. An asserted tie is a tie the analyst
states from their own knowledge ("I know A and B met") rather than from a
document: its evidence is the analyst, their statement and the time, and it is
always shown as such. Both are append-only: retracting one records who did it
and when, and the row stays (``include_retracted`` shows it again).

Entity ids are content hashes of what the entity rests on, so a note usually
survives re-running the pipeline; the label stored beside the id (the name at
the time of writing) still tells what a note was about when it does not.

>>> from threadline.store import open_workspace
>>> import tempfile
>>> ws = open_workspace(tempfile.mkdtemp() + "/ws", create=True)
>>> note = add_note(ws, target_kind="entity", target="e1", analyst="ana", text="check")
>>> [n.text for n in notes_for(ws, "e1")]
['check']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from threadline.errors import InvalidValueError, NotFoundError
from threadline.model.records import content_id
from threadline.model.vocabulary import TIE_TYPES
from threadline.store.times import maybe_moment, moment, stamp
from threadline.store.workspace import Workspace

#: What a note may be attached to.
NOTE_TARGETS = ("entity", "tie")
#: Longest note or statement accepted, in characters.
MAX_TEXT = 10_000

_NOTE_COLS = (
    "id, target_kind, target, target_label, analyst, text, created_at, retracted_at, retracted_by"
)
_TIE_COLS = (
    "id, type, source, target, detail, statement, analyst, confidence, source_label, "
    "target_label, created_at, retracted_at, retracted_by"
)


@dataclass(frozen=True)
class Note:
    """An analyst's note on an entity or a tie."""

    id: str
    target_kind: str
    target: str
    target_label: str | None
    analyst: str
    text: str
    created_at: datetime
    retracted_at: datetime | None = None
    retracted_by: str | None = None


@dataclass(frozen=True)
class AssertedTie:
    """A tie the analyst states; ``analyst`` and ``statement`` are its evidence."""

    id: str
    type: str
    source: str
    target: str
    detail: str
    statement: str
    analyst: str
    confidence: float
    source_label: str | None
    target_label: str | None
    created_at: datetime
    retracted_at: datetime | None = None
    retracted_by: str | None = None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _note(r: Sequence[Any]) -> Note:
    return Note(r[0], r[1], r[2], r[3], r[4], r[5], moment(r[6]), maybe_moment(r[7]), r[8])


def _tie(r: Sequence[Any]) -> AssertedTie:
    return AssertedTie(
        *(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]),
        moment(r[10]),
        maybe_moment(r[11]),
        r[12],
    )


def _clean(value: str, what: str, *, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidValueError(what, "is empty")
    if len(text) > limit:
        raise InvalidValueError(what, f"is {len(text)} characters long; the limit is {limit}")
    return text


def add_note(
    ws: Workspace,
    *,
    target_kind: str,
    target: str,
    analyst: str,
    text: str,
    target_label: str | None = None,
) -> Note:
    """Store a note by ``analyst`` on the entity or tie ``target``."""
    if target_kind not in NOTE_TARGETS:
        raise InvalidValueError(
            "target_kind", f"'{target_kind}' is not one of {', '.join(NOTE_TARGETS)}"
        )
    who = _clean(analyst, "analyst", limit=200)
    body = _clean(text, "note text")
    when = _now()
    note_id = content_id("n", target_kind, target, who, body, when.isoformat())
    with ws.transaction():
        ws.con.execute(
            f"INSERT INTO analyst_notes ({_NOTE_COLS}) VALUES ($1,$2,$3,$4,$5,$6,$7,NULL,NULL)",
            [note_id, target_kind, target, target_label, who, body, stamp(when)],
        )
    return Note(note_id, target_kind, target, target_label, who, body, when)


def notes_for(ws: Workspace, target: str, *, include_retracted: bool = False) -> list[Note]:
    """Notes on one entity or tie, oldest first."""
    rows = ws.con.execute(
        f"SELECT {_NOTE_COLS} FROM analyst_notes WHERE target = $1 "
        "AND ($2 OR retracted_at IS NULL) ORDER BY created_at, id",
        [target, include_retracted],
    ).fetchall()
    return [_note(r) for r in rows]


def list_notes(
    ws: Workspace, *, include_retracted: bool = False, limit: int = 100, offset: int = 0
) -> tuple[list[Note], int]:
    """All notes, newest first, one page at a time; also the total count."""
    total = ws.con.execute(
        "SELECT count(*) FROM analyst_notes WHERE $1 OR retracted_at IS NULL",
        [include_retracted],
    ).fetchone()
    rows = ws.con.execute(
        f"SELECT {_NOTE_COLS} FROM analyst_notes WHERE $1 OR retracted_at IS NULL "
        "ORDER BY created_at DESC, id LIMIT $2 OFFSET $3",
        [include_retracted, limit, offset],
    ).fetchall()
    return [_note(r) for r in rows], int(total[0]) if total else 0


def retract_note(ws: Workspace, note_id: str, *, analyst: str) -> Note:
    """Mark a note retracted by ``analyst`` (the row stays)."""
    return _note(_retract(ws, "analyst_notes", _NOTE_COLS, note_id, analyst, f"note '{note_id}'"))


def add_asserted_tie(
    ws: Workspace,
    *,
    type: str,
    source: str,
    target: str,
    analyst: str,
    statement: str,
    detail: str = "",
    confidence: float = 1.0,
    source_label: str | None = None,
    target_label: str | None = None,
) -> AssertedTie:
    """Store a tie the analyst states from their own knowledge.

    ``type`` is one of the tie vocabulary (:data:`~threadline.model.vocabulary.TIE_TYPES`);
    ``statement`` is what the analyst knows ("met in Molenbeek in 2014, source:
    interview"). The caller checks that ``source`` and ``target`` exist.
    """
    if type not in TIE_TYPES:
        raise InvalidValueError(
            "type", f"'{type}' is not a tie type; use one of {', '.join(TIE_TYPES)}"
        )
    if source == target:
        raise InvalidValueError("target", "a tie needs two different entities")
    if not 0.0 <= confidence <= 1.0:
        raise InvalidValueError("confidence", f"{confidence} is outside 0..1")
    who = _clean(analyst, "analyst", limit=200)
    said = _clean(statement, "statement")
    when = _now()
    tie_id = content_id("a", type, source, target, who, said, when.isoformat())
    row: list[Any] = [
        tie_id,
        type,
        source,
        target,
        (detail or "").strip()[:500],
        said,
        who,
        float(confidence),
        source_label,
        target_label,
        when,
    ]
    with ws.transaction():
        ws.con.execute(
            f"INSERT INTO analyst_ties ({_TIE_COLS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,NULL,NULL)",
            [*row[:-1], stamp(when)],
        )
    return AssertedTie(*row)


def asserted_ties(ws: Workspace, *, include_retracted: bool = False) -> list[AssertedTie]:
    """Every analyst-asserted tie, oldest first."""
    rows = ws.con.execute(
        f"SELECT {_TIE_COLS} FROM analyst_ties WHERE $1 OR retracted_at IS NULL "
        "ORDER BY created_at, id",
        [include_retracted],
    ).fetchall()
    return [_tie(r) for r in rows]


def retract_asserted_tie(ws: Workspace, tie_id: str, *, analyst: str) -> AssertedTie:
    """Mark an asserted tie retracted by ``analyst`` (the row stays)."""
    return _tie(
        _retract(ws, "analyst_ties", _TIE_COLS, tie_id, analyst, f"asserted tie '{tie_id}'")
    )


def _retract(
    ws: Workspace, table: str, columns: str, ident: str, analyst: str, what: str
) -> Sequence[Any]:
    """Mark the row ``ident`` of ``table`` (analyst_notes or analyst_ties, whose last two
    of ``columns`` are retracted_at and retracted_by) retracted by ``analyst``, unless it
    already is; its row as it now stands."""
    who = _clean(analyst, "analyst", limit=200)
    select = f"SELECT {columns} FROM {table} WHERE id = $1"
    with ws.transaction():
        row = ws.con.execute(select, [ident]).fetchone()
        if row is None:
            raise NotFoundError(f"{what} does not exist")
        if row[-2] is None:
            ws.con.execute(
                f"UPDATE {table} SET retracted_at = $1, retracted_by = $2 WHERE id = $3",
                [stamp(), who, ident],
            )
        row = ws.con.execute(select, [ident]).fetchone()
    assert row is not None
    return row
