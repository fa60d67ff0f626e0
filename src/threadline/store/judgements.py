"""Analyst judgements and the resolver's merge steps: their SQL.

Judgements are append-only: this module inserts and reads rows, it never updates
or deletes one (an ``undo`` is a new row naming the id it withdraws). The merge
steps are the resolver's account of its last run and are replaced with it.

>>> import tempfile
>>> from threadline.model.identity import JudgementSide
>>> from threadline.store import open_workspace
>>> ws = open_workspace(tempfile.mkdtemp() + "/ws", create=True)
>>> a = JudgementSide("e1", "Tarik Benhadi", frozenset({"m1"}))
>>> b = JudgementSide("e2", "T. Benhadi", frozenset({"m2", "m3"}))
>>> [j] = append_judgements(ws, [NewJudgement("same", a, b)], user="ana", origin="merge")
>>> (j.id, j.verdict, sorted(load_judgements(ws)[0].right.mentions))
(1, 'same', ['m2', 'm3'])
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from threadline.errors import InvalidValueError
from threadline.model.identity import ORIGINS, UNDO, VERDICTS, Judgement, JudgementSide, MergeStep
from threadline.store.corrections import next_work_id
from threadline.store.times import moment, stamp
from threadline.store.workspace import Workspace

_COLS = (
    "id, batch, verdict, origin, left_entity, left_name, right_entity, right_name, "
    "user_name, created_at, reason, undoes"
)


@dataclass(frozen=True)
class NewJudgement:
    """A judgement to store: a verdict on two sides, or an ``undo`` naming ``undoes``."""

    verdict: str
    left: JudgementSide | None = None
    right: JudgementSide | None = None
    undoes: int | None = None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def append_judgements(
    ws: Workspace,
    rows: Sequence[NewJudgement],
    *,
    user: str,
    origin: str,
    reason: str = "",
) -> list[Judgement]:
    """Store ``rows`` as one batch (one transaction, consecutive ids, same time and user).

    Each row is a verdict of :data:`VERDICTS` on two sides, or an ``undo`` naming
    the id it withdraws. Returns the stored judgements.
    """
    who = (user or "").strip()
    if not who:
        raise InvalidValueError("user", "is empty; pass --user or set $USER")
    if origin not in ORIGINS:
        raise InvalidValueError("origin", f"'{origin}' is not one of {', '.join(ORIGINS)}")
    when = _now()
    out: list[Judgement] = []
    with ws.transaction():
        next_id = next_work_id(ws)  # one sequence with the corrections (issue 18)
        batch = next_id
        for item in rows:
            verdict, left, right, undoes = item.verdict, item.left, item.right, item.undoes
            if verdict not in (*VERDICTS, UNDO):
                raise InvalidValueError("verdict", f"'{verdict}' is not one of {VERDICTS}")
            if verdict == UNDO and undoes is None:
                raise InvalidValueError("undoes", "an undo must name the judgement it withdraws")
            if verdict != UNDO and (left is None or right is None):  # an undo may carry none
                raise InvalidValueError("sides", f"a '{verdict}' judgement needs two sides")
            ws.con.execute(
                f"INSERT INTO judgements ({_COLS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
                [
                    next_id,
                    batch,
                    verdict,
                    origin,
                    left.entity if left else None,
                    left.name if left else None,
                    right.entity if right else None,
                    right.name if right else None,
                    who,
                    stamp(when),
                    reason or "",
                    undoes,
                ],
            )
            side_rows = [
                [next_id, side_name, m]
                for side_name, side in (("left", left), ("right", right))
                if side is not None
                for m in sorted(side.mentions)
            ]
            if side_rows:
                ws.con.executemany("INSERT INTO judgement_mentions VALUES ($1, $2, $3)", side_rows)
            out.append(
                Judgement(next_id, batch, verdict, origin, left, right, who, when, reason, undoes)
            )
            next_id += 1
    return out


def load_judgements(ws: Workspace) -> list[Judgement]:
    """Every judgement ever recorded, undo rows included, oldest first."""
    sides: dict[tuple[int, str], set[str]] = defaultdict(set)
    for jid, side, mention in ws.con.execute(
        "SELECT judgement, side, mention FROM judgement_mentions"
    ).fetchall():
        sides[(int(jid), side)].add(mention)
    out: list[Judgement] = []
    for r in ws.con.execute(f"SELECT {_COLS} FROM judgements ORDER BY id").fetchall():
        jid = int(r[0])
        # an undo row carries the sides of the judgement it withdraws, when known
        left = (
            JudgementSide(r[4] or "", r[5] or "", frozenset(sides[(jid, "left")]))
            if r[5] is not None
            else None
        )
        right = (
            JudgementSide(r[6] or "", r[7] or "", frozenset(sides[(jid, "right")]))
            if r[7] is not None
            else None
        )
        out.append(
            Judgement(
                id=jid,
                batch=int(r[1]),
                verdict=r[2],
                origin=r[3],
                left=left,
                right=right,
                user=r[8],
                created_at=moment(r[9]),
                reason=r[10] or "",
                undoes=int(r[11]) if r[11] is not None else None,
            )
        )
    return out


def replace_merge_steps(ws: Workspace, steps: Iterable[MergeStep]) -> None:
    """Replace the resolver's merge steps with those of its latest run (inside a transaction)."""
    ws.con.execute("DELETE FROM merge_steps")
    rows = [[i, s.rule, s.a, s.b, s.detail, s.outcome, s.why] for i, s in enumerate(steps)]
    # many rows go as one Arrow table on DuckDB (a resolution of 5,000 records writes
    # ~10,000 steps: 0.5 s as bound parameters), in 500-row statements elsewhere
    ws._insert_many("INSERT INTO merge_steps", rows)


def load_merge_steps(ws: Workspace) -> list[MergeStep]:
    """The merge steps of the latest resolution, in the order the resolver took them."""
    rows = ws.con.execute(
        "SELECT rule, a, b, detail, outcome, why FROM merge_steps ORDER BY seq"
    ).fetchall()
    return [MergeStep(r[0], r[1], r[2], r[3] or "", r[4], r[5] or "") for r in rows]
