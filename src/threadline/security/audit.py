"""The audit log: append-only, hash-chained, verifiable.

Each record holds a sequence number, a time, the actor and their agency, an
action (``login``, ``search``, ``entity.view``, ``export``, ``judgement``,
``classify``, ``share``, ``alert.request``, ``alert.grant`` ...), its target and
details, the hash of the record before it and its own hash:

    hash = SHA-256(prev_hash + canonical JSON of [seq, time, actor, agency, action, target, detail])

The last record's number and hash are also kept as the log's *head*: each
committed append adds a row to ``audit_heads`` (never updated, never deleted,
so the application's database role needs only INSERT and SELECT on the audit
tables; see :func:`threadline.store.postgres.grant_app_role`). So
:func:`verify` detects an altered record (its hash no longer matches), a removed
one (a gap in the numbers, or a head pointing past the end), and records moved
out of order (their numbers are hashed, and each names its predecessor's
hash). The application has no way to change or delete a record; a copy of
:func:`head` kept elsewhere (``threadline audit verify --expect-head``) also
catches a rewrite of the whole chain.

>>> import tempfile
>>> from threadline.store import open_workspace
>>> ws = open_workspace(tempfile.mkdtemp() + "/ws", create=True)
>>> record(ws, actor="ana", agency="police", action="search", target="karim")["seq"]
1
>>> verify(ws).ok
True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from threadline.errors import DatabaseUnavailableError
from threadline.security.users import iso, now
from threadline.store import Workspace
from threadline.store import audit as log
from threadline.store.audit import AUDIT_LOCK as AUDIT_LOCK  # re-exported
from threadline.store.audit import AuditFilter, AuditRow

GENESIS = "0" * 64
#: Attempts when two writers take the same sequence number at once.
_RETRIES = 20


def _text(value: str | None) -> str | None:
    """``value`` as the log stores it on both backends: a NUL character (which PostgreSQL's
    text refuses, and which a search box or a login form may well be sent) is written as
    the visible escape ``\\x00``, so the record is kept instead of failing."""
    return None if value is None else value.replace("\x00", "\\x00")


def record_hash(prev_hash: str, fields: list[Any]) -> str:
    body = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + "\x1e" + body).encode("utf-8")).hexdigest()


def _fields(seq: int, at: str, actor: str, agency: str | None, action: str, target: str | None,
            detail: str) -> list[Any]:  # fmt: skip
    return [int(seq), at, actor, agency, action, target, detail]


def record(
    ws: Workspace,
    *,
    actor: str,
    agency: str | None,
    action: str,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Append one record and move the head (one transaction). Returns the record."""
    item = {"actor": actor, "agency": agency, "action": action, "target": target}
    return record_many(ws, [{**item, "detail": detail}])[0]


def record_many(ws: Workspace, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Append several records (each a dict of :func:`record`'s arguments) in order, in
    one transaction: the head is read and moved once and the rows written together, so
    a busy server's buffer of read records costs a few statements, not three per record.

    In server mode the writers of one workspace take turns (a transaction-level
    advisory lock), so several processes and threads append without racing for a
    number, also inside a caller's larger transaction.
    """
    if not items:
        return []
    prepared = [
        (
            str(_text(i["actor"])),
            _text(i.get("agency")),
            str(_text(i["action"])),
            _text(i.get("target")),
            json.dumps(i.get("detail") or {}, ensure_ascii=False, sort_keys=True),
            i.get("detail") or {},
        )
        for i in items
    ]
    last_error: Exception | None = None
    for _ in range(_RETRIES):
        try:
            with ws.transaction():
                log.lock_writers(ws)
                first, prev = _next(ws)
                seq = first
                rows: list[AuditRow] = []
                out: list[dict[str, Any]] = []
                for actor, agency, action, target, text, detail in prepared:
                    seq += 1
                    at = iso(now())
                    fields = _fields(seq, at, actor, agency, action, target, text)
                    digest = record_hash(prev, fields)
                    rows.append(
                        AuditRow(seq, at, actor, agency, action, target, text, prev, digest)
                    )
                    out.append({"seq": seq, "time": at, "actor": actor, "agency": agency,
                                "action": action, "target": target, "detail": detail,
                                "hash": digest})  # fmt: skip
                    prev = digest
                log.append(ws, rows)
                anchored = anchor_config()
                if anchored is not None:
                    ws.after_commit.append(
                        lambda c=anchored, f=first + 1, t=seq, h=prev: write_anchor(c, f, t, h)
                    )
            return out
        except Exception as exc:  # a concurrent writer took the number: read the head again
            if not _is_conflict(exc):
                raise
            last_error = exc
    raise DatabaseUnavailableError(
        f"could not append to the audit log (another writer kept taking the number): {last_error}"
    )


# -- anchors: checkpoints kept outside the database -----------------------------------------

#: Where the anchors go (an append-only file outside the database) and the HMAC key that
#: signs them (kept outside the database too): environment variables.
ANCHOR_FILE_ENV = "THREADLINE_AUDIT_ANCHOR"
ANCHOR_KEY_ENV = "THREADLINE_AUDIT_KEY"
#: How long a just-written record may wait for its anchor before verify calls it forged.
ANCHOR_GRACE_SECONDS = 5.0


@dataclass(frozen=True)
class AnchorConfig:
    path: str
    key: bytes


def anchor_config() -> AnchorConfig | None:
    """The anchor file and key from the environment, or None when anchoring is off."""
    import os

    path, key = os.environ.get(ANCHOR_FILE_ENV), os.environ.get(ANCHOR_KEY_ENV)
    if not path or not key:
        return None
    return AnchorConfig(path, key.encode("utf-8"))


def _mac(key: bytes, first: int, last: int, digest: str) -> str:
    import hmac

    return hmac.new(key, f"{first}:{last}:{digest}".encode(), hashlib.sha256).hexdigest()


def write_anchor(config: AnchorConfig, first: int, last: int, digest: str) -> None:
    """Append the checkpoint of one committed append (records ``first``..``last``, the last
    one's hash), signed with the key, to the anchor file: one line, appended atomically."""
    import os

    if not os.path.exists(config.path) or os.path.getsize(config.path) == 0:
        first = 1  # the first anchor vouches for the whole chain so far (its hash chains it)
    line = json.dumps({"from": first, "to": last, "hash": digest,
                       "mac": _mac(config.key, first, last, digest)}) + "\n"  # fmt: skip
    fd = os.open(config.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)


def check_anchors(
    rows: Sequence[tuple[Any, ...]], config: AnchorConfig, *, now_iso: str | None = None
) -> list[dict[str, Any]]:
    """What the anchors say of the chain ``rows`` (as :func:`verify` reads them): a forged
    or altered checkpoint, a record whose hash is not the one anchored (the chain was
    rewritten, re-chained or edited), anchored records missing (removed, truncated), and
    records no checkpoint covers (appended outside threadline), except those younger than
    :data:`ANCHOR_GRACE_SECONDS` (their anchor may be on its way)."""
    import os
    from datetime import datetime

    problems: list[dict[str, Any]] = []
    anchors: list[dict[str, Any]] = []
    if os.path.exists(config.path):
        with open(config.path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                try:
                    a = json.loads(line)
                    ok = _mac(config.key, int(a["from"]), int(a["to"]), str(a["hash"])) == a["mac"]
                except (ValueError, KeyError, TypeError):
                    ok = False
                if not ok:
                    problems.append({"seq": 0, "problem": "anchor",
                                     "message": f"anchor line {n} is not signed with the key: "
                                     "the anchor file was altered"})  # fmt: skip
                    continue
                anchors.append(a)
    by_seq = {int(r[0]): r for r in rows}
    covered: set[int] = set()
    for a in anchors:
        first, last = int(a["from"]), int(a["to"])
        covered.update(range(first, last + 1))
        row = by_seq.get(last)
        if row is None:
            problems.append({"seq": last, "problem": "removed",
                             "message": f"record {last} was anchored but is gone: the log "
                             "was truncated or cut"})  # fmt: skip
        elif str(row[8]) != a["hash"]:
            problems.append({"seq": last, "problem": "rewritten",
                             "message": f"record {last} is not the record anchored: the chain "
                             "was rewritten"})  # fmt: skip
    moment = datetime.fromisoformat(now_iso or iso(now()))
    for seq, row in sorted(by_seq.items()):
        if seq in covered:
            continue
        try:
            age = (moment - datetime.fromisoformat(str(row[1]))).total_seconds()
        except ValueError:
            age = ANCHOR_GRACE_SECONDS + 1
        if age > ANCHOR_GRACE_SECONDS or seq < max(covered, default=0):
            problems.append({"seq": seq, "problem": "unanchored",
                             "message": f"record {seq} has no anchor: it was written outside "
                             "threadline"})  # fmt: skip
    return problems


def _next(ws: Workspace) -> tuple[int, str]:
    """The number after which to append, and the hash to chain on: the head's. When the
    log holds records past the head (appended outside threadline, or a head row deleted),
    numbering goes on after them but the chain stays on the head's hash, so the break
    remains for :func:`verify` to report while the log keeps working."""
    seq, digest, last = log.position(ws)
    if seq is None or digest is None:
        seq, digest = 0, GENESIS
    return max(seq, last or 0), digest


def _is_conflict(exc: Exception) -> bool:
    text = str(exc).lower()
    return any(w in text for w in ("constraint", "conflict", "duplicate", "serializ"))


def head(ws: Workspace) -> tuple[int, str]:
    """The number and hash of the last record: (0, GENESIS) for an empty log."""
    return log.head(ws) or (0, GENESIS)


@dataclass
class Verification:
    records: int
    head: tuple[int, str]
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "records": self.records,
            "head": {"seq": self.head[0], "hash": self.head[1]},
            "problems": self.problems,
        }


def verify(ws: Workspace, *, expect_head: str | None = None) -> Verification:
    """Walk the chain and report every record that was altered, removed or moved.

    Each problem names the record (``seq``) and what is wrong: ``altered`` (its
    contents do not match its hash), ``removed`` (numbers missing; or the head
    says the log goes further), ``moved`` (it does not follow the record before
    it: its predecessor's hash differs), ``duplicate``.
    """
    rows = log.all_rows(ws)
    seq_of_hash = {str(r[8]): int(r[0]) for r in rows}
    problems: list[dict[str, Any]] = []
    expected_seq, prev = 1, GENESIS
    last_seq = 0
    for r in rows:
        seq, at, actor, agency, action, target, detail, prev_hash, digest = r
        seq = int(seq)
        if seq < expected_seq:
            problems.append(
                {"seq": seq, "problem": "duplicate", "message": f"record {seq} appears twice"}
            )
            continue
        gap = seq > expected_seq
        if gap:
            missing = (
                f"record {expected_seq}"
                if seq == expected_seq + 1
                else f"records {expected_seq}-{seq - 1}"
            )
            problems.append(
                {
                    "seq": expected_seq,
                    "problem": "removed",
                    "message": f"{missing} removed (the log jumps from {expected_seq - 1} to {seq})",
                }
            )
        if (
            record_hash(str(prev_hash), _fields(seq, at, actor, agency, action, target, detail))
            != digest
        ):
            before = seq_of_hash.get(str(prev_hash), 0 if prev_hash == GENESIS else None)
            was = None if before is None else before + 1
            fields = _fields(was or 0, at, actor, agency, action, target, detail)
            if was is not None and was != seq and record_hash(str(prev_hash), fields) == digest:
                problems.append(
                    {
                        "seq": seq,
                        "problem": "moved",
                        "message": f"record {seq} was moved: it was written as record {was}",
                    }
                )
            else:
                problems.append(
                    {
                        "seq": seq,
                        "problem": "altered",
                        "message": f"record {seq} was altered: its contents do not match its hash",
                    }
                )
        elif prev_hash != prev and not gap:
            problems.append(
                {
                    "seq": seq,
                    "problem": "moved",
                    "message": f"record {seq} does not follow record {seq - 1}: moved, "
                    "or the record before it was replaced",
                }
            )
        prev, expected_seq, last_seq = str(digest), seq + 1, seq
    top = head(ws)
    if top[0] > last_seq:
        problems.append(
            {
                "seq": last_seq + 1,
                "problem": "removed",
                "message": f"records {last_seq + 1}-{top[0]} removed from the end "
                f"(the head says the log has {top[0]})",
            }
        )
    elif top[0] < last_seq or (rows and top[1] != prev):
        problems.append(
            {
                "seq": top[0],
                "problem": "head",
                "message": "the head does not match the last record: records were "
                "appended or rewritten outside threadline",
            }
        )
    anchored = anchor_config()
    if anchored is not None:
        problems.extend(check_anchors(rows, anchored))
    if expect_head is not None and expect_head != top[1]:
        problems.append(
            {
                "seq": top[0],
                "problem": "head",
                "message": f"the head hash is {top[1][:16]}…, not the expected "
                f"{expect_head[:16]}…: the log was rewritten",
            }
        )
    return Verification(records=len(rows), head=top, problems=problems)


def read(
    ws: Workspace,
    *,
    actor: str | None = None,
    agency: str | None = None,
    action: str | None = None,
    target: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Records matching every filter given (``action`` may end in ``*`` for a prefix),
    newest first, and how many match."""
    which = AuditFilter(actor=actor, agency=agency, action=action or None, target=target,
                        since=since, until=until)  # fmt: skip
    total = log.count(ws, which)
    rows = log.page(ws, which, limit=int(limit), offset=int(offset), total=total)
    items = [
        {
            "seq": r.seq,
            "time": r.logged_at,
            "actor": r.actor,
            "agency": r.agency,
            "action": r.action,
            "target": r.target,
            "detail": json.loads(r.detail),
            "hash": r.hash,
        }
        for r in rows
    ]
    return items, total


def count(ws: Workspace, *, agency: str | None = None, actor: str | None = None) -> int:
    """How many records there are (of ``agency``, of ``actor``, when given)."""
    return log.count(ws, AuditFilter(actor=actor, agency=agency))
