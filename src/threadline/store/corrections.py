"""Analyst corrections: their SQL (append-only, like the judgements).

This module inserts and reads rows; it never updates or deletes one (an ``undo``
is a new row naming the id it withdraws). Corrections and judgements share one
sequence of ids, so ``threadline undo N`` and the history name one thing by N.

>>> import tempfile
>>> from threadline.model.corrections import CorrectionSpan
>>> from threadline.store import open_workspace
>>> ws = open_workspace(tempfile.mkdtemp() + "/ws", create=True)
>>> span = CorrectionSpan("d1", 4, 14, "Ford Focus")
>>> new = NewCorrection("reject_entity", "e1", "Ford Focus", "", (span,))
>>> [c] = append_corrections(ws, [new], user="ana", reason="a car")
>>> (c.id, c.kind, load_corrections(ws)[0].spans[0].text)
(1, 'reject_entity', 'Ford Focus')
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from threadline.errors import InvalidValueError
from threadline.model.corrections import KINDS, PARTS, UNDO, Correction, CorrectionSpan
from threadline.store.times import moment, stamp
from threadline.store.workspace import Workspace

_COLS = "id, kind, target, label, value, previous, reverse, user_name, created_at, reason, undoes"


@dataclass(frozen=True)
class NewCorrection:
    """A correction to store (see :class:`~threadline.model.corrections.Correction`)."""

    kind: str
    target: str
    label: str
    value: str
    spans: tuple[CorrectionSpan, ...]
    previous: str = ""
    reverse: bool = False
    undoes: int | None = None


def next_work_id(ws: Workspace) -> int:
    """The next id of the sequence judgements and corrections share."""
    row = ws.con.execute(
        "SELECT coalesce(max(id), 0) FROM (SELECT max(id) AS id FROM corrections "
        "UNION ALL SELECT max(id) AS id FROM judgements) AS ids"
    ).fetchone()
    return (int(row[0]) if row else 0) + 1


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def append_corrections(
    ws: Workspace, rows: Sequence[NewCorrection], *, user: str, reason: str = ""
) -> list[Correction]:
    """Store ``rows`` in one transaction (consecutive ids, one time and user); return them."""
    who = (user or "").strip()
    if not who:
        raise InvalidValueError("user", "is empty; pass --user or set $USER")
    when = _now()
    out: list[Correction] = []
    with ws.transaction():
        next_id = next_work_id(ws)
        for item in rows:
            if item.kind not in (*KINDS, UNDO):
                raise InvalidValueError("kind", f"'{item.kind}' is not one of {', '.join(KINDS)}")
            if item.kind == UNDO and item.undoes is None:
                raise InvalidValueError("undoes", "an undo must name the correction it withdraws")
            bad = [s.part for s in item.spans if s.part not in PARTS]
            if bad:
                raise InvalidValueError("part", f"'{bad[0]}' is not one of {', '.join(PARTS)}")
            ws.con.execute(
                f"INSERT INTO corrections ({_COLS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
                [
                    next_id,
                    item.kind,
                    item.target,
                    item.label,
                    item.value,
                    item.previous,
                    item.reverse,
                    who,
                    stamp(when),
                    reason or "",
                    item.undoes,
                ],
            )
            span_rows = [
                [next_id, seq, s.part, s.group, s.document, s.start, s.end, s.text]
                for seq, s in enumerate(item.spans)
            ]
            if span_rows:
                ws.con.executemany(
                    "INSERT INTO correction_spans (correction, seq, part, grp, document, "
                    "start_, end_, text) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
                    span_rows,
                )
            out.append(
                Correction(
                    next_id, item.kind, item.target, item.label, item.value, item.previous,
                    item.reverse, item.spans, who, when, reason or "", item.undoes,
                )
            )  # fmt: skip
            next_id += 1
    return out


def load_corrections(ws: Workspace) -> list[Correction]:
    """Every correction ever recorded, undo rows included, oldest first."""
    spans: dict[int, list[CorrectionSpan]] = defaultdict(list)
    for r in ws.con.execute(
        "SELECT correction, part, grp, document, start_, end_, text FROM correction_spans "
        "ORDER BY correction, seq"
    ).fetchall():
        spans[int(r[0])].append(
            CorrectionSpan(str(r[3]), int(r[4]), int(r[5]), r[6] or "", str(r[1]), int(r[2]))
        )
    out: list[Correction] = []
    for r in ws.con.execute(f"SELECT {_COLS} FROM corrections ORDER BY id").fetchall():
        cid = int(r[0])
        out.append(
            Correction(
                id=cid,
                kind=r[1],
                target=r[2] or "",
                label=r[3] or "",
                value=r[4] or "",
                previous=r[5] or "",
                reverse=bool(r[6]),
                spans=tuple(spans.get(cid, ())),
                user=r[7],
                created_at=moment(r[8]),
                reason=r[9] or "",
                undoes=int(r[10]) if r[10] is not None else None,
            )
        )
    return out


def correction_ids(ws: Workspace) -> set[int]:
    """The ids of every stored correction (undo rows included)."""
    return {int(r[0]) for r in ws.con.execute("SELECT id FROM corrections").fetchall()}


def replace_statuses(
    ws: Workspace,
    status: Mapping[int, str],
    notes: Mapping[int, str],
    touched: Mapping[int, set[str]],
) -> None:
    """Replace what became of each correction with the latest resolution's account
    (inside its transaction): ``applied`` or ``dormant``, why, and the mentions it
    applied to."""
    ws.con.execute("DELETE FROM correction_status")
    rows = [
        [cid, state, notes.get(cid, ""), json.dumps(sorted(touched.get(cid, ())))]
        for cid, state in sorted(status.items())
        if state in ("applied", "dormant")
    ]
    if rows:
        ws.con.executemany("INSERT INTO correction_status VALUES ($1, $2, $3, $4)", rows)


def load_statuses(ws: Workspace) -> dict[int, tuple[str, str, list[str]]]:
    """``{correction id: (status, note, mention ids)}`` as the latest resolution left them."""
    return {
        int(r[0]): (str(r[1]), r[2] or "", list(json.loads(r[3] or "[]")))
        for r in ws.con.execute(
            "SELECT correction, status, note, mentions FROM correction_status"
        ).fetchall()
    }
