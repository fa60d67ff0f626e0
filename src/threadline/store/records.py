"""SQL for person records and their links.

``records`` holds one row per imported person record (its mentions sit in
``mentions`` like any other); ``record_links`` the last linkage: every link and
near miss with its explanation, plus in ``meta`` the fingerprint of what it was
computed from and the threshold the user set. Call writers inside a transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from threadline.model import Mention
from threadline.model.person_record import LinkReason, PersonRecord, RecordLink
from threadline.store.workspace import Workspace

FINGERPRINT_KEY = "records.links_fingerprint"
THRESHOLD_KEY = "records.threshold"

_RECORD_COLS = (
    "id, document, row_, source_id, name, given, family, aliases, alias_mentions, dob, "
    "nationality, address, phone, doc_number, mention"
)


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def add_records(
    ws: Workspace, records: Sequence[PersonRecord], mentions: Iterable[Mention]
) -> None:
    """Store records and the mentions of their names and aliases."""
    rows = [
        [
            r.id,
            r.document,
            r.row,
            r.source_id,
            r.name,
            r.given,
            r.family,
            _j(list(r.aliases)),
            _j(list(r.alias_mentions)),
            r.dob,
            r.nationality,
            r.address,
            r.phone,
            r.doc_number,
            r.mention,
        ]
        for r in records
    ]
    ws.upsert_many("records", [c.strip() for c in _RECORD_COLS.split(",")], ["id"], rows)
    ws.add_mentions(mentions)


def _names(text: str | None) -> tuple[str, ...]:
    """A stored JSON list of names as a tuple (most records have none: ``[]``)."""
    return () if not text or text == "[]" else tuple(json.loads(text))


class RecordRow(NamedTuple):
    """A stored record as a row, its fields in the order of ``_RECORD_COLS`` (names,
    ``row_`` as ``row``; ``aliases`` and ``alias_mentions`` as tuples): what
    :class:`PersonRecord` is made of, and what the export reads directly."""

    id: str
    document: str
    row: int
    source_id: str
    name: str
    given: str | None
    family: str | None
    aliases: tuple[str, ...]
    alias_mentions: tuple[str, ...]
    dob: str | None
    nationality: str | None
    address: str | None
    phone: str | None
    doc_number: str | None
    mention: str


def record_rows(ws: Workspace) -> list[RecordRow]:
    """Every record as a row (:data:`RecordRow`), in import order (file by file, row by
    row): what :func:`records` makes its records of, and the export reads directly."""
    rows = ws.con.execute(
        f"SELECT {', '.join('r.' + c.strip() for c in _RECORD_COLS.split(','))} "
        "FROM records r JOIN documents d ON d.id = r.document "
        "ORDER BY d.ingested_at, d.id, r.row_"
    ).fetchall()
    return [RecordRow._make((*r[:7], _names(r[7]), _names(r[8]), *r[9:])) for r in rows]


def records(ws: Workspace) -> list[PersonRecord]:
    """Every record, in import order (file by file, row by row)."""
    return [PersonRecord(**r._asdict()) for r in record_rows(ws)]


def document_names(ws: Workspace) -> dict[str, str]:
    """Identity document number -> the name of the first record (in import order) that
    carries it: what names a row that gives only the number."""
    rows = ws.con.execute(
        "SELECT r.doc_number, r.name FROM records r JOIN documents d ON d.id = r.document "
        "WHERE r.doc_number IS NOT NULL AND r.doc_number <> '' "
        "ORDER BY d.ingested_at, d.id, r.row_"
    ).fetchall()
    out: dict[str, str] = {}
    for number, name in rows:
        out.setdefault(number, name)
    return out


def replace_record_links(ws: Workspace, links: Iterable[RecordLink], fingerprint: str) -> None:
    """Replace the stored linkage with ``links`` (links and near misses)."""
    ws.con.execute("DELETE FROM record_links")
    rows = [
        [
            lk.a,
            lk.b,
            lk.rule,
            lk.linked,
            lk.match_weight,
            lk.match_probability,
            _j([r.to_dict() for r in lk.reasons]),
            lk.alias,
        ]
        for lk in links
    ]
    columns = ["a", "b", "rule", "linked", "match_weight", "match_probability", "reasons", "alias"]
    ws.upsert_many("record_links", columns, ["a", "b"], rows)
    _set_meta(ws, FINGERPRINT_KEY, fingerprint)


#: A stored link as a row: a, b, rule, linked, match_weight, match_probability,
#: reasons, alias (the fields of :class:`RecordLink`).
LinkRow = tuple[str, str, str, bool, float | None, float | None, tuple[LinkReason, ...], str | None]


def link_rows(ws: Workspace) -> list[LinkRow]:
    """The stored links and near misses as rows (:data:`LinkRow`), by record pair: what
    :func:`record_links` makes its links of, and the export reads directly."""
    rows = ws.con.execute(
        "SELECT a, b, rule, linked, match_weight, match_probability, reasons, alias "
        "FROM record_links ORDER BY a, b"
    ).fetchall()
    # pairs that reached the same levels share one explanation, and explanations share
    # their reasons: each text is read once, each reason made once (both immutable)
    read: dict[str, tuple[LinkReason, ...]] = {}
    made: dict[tuple[str, str, float], LinkReason] = {}
    out: list[LinkRow] = []
    for r in rows:
        text = r[6] or "[]"
        reasons = read.get(text)
        if reasons is None:
            parts = []
            for d in json.loads(text):
                key = (d["comparison"], d["level"], float(d["weight"]))
                reason = made.get(key)
                if reason is None:
                    reason = made[key] = LinkReason(*key)
                parts.append(reason)
            reasons = read[text] = tuple(parts)
        out.append((r[0], r[1], r[2], bool(r[3]), r[4], r[5], reasons, r[7]))
    return out


def record_links(ws: Workspace) -> list[RecordLink]:
    """The stored links and near misses, by record pair."""
    return [
        RecordLink(
            a=a,
            b=b,
            rule=rule,
            linked=linked,
            match_weight=weight,
            match_probability=probability,
            reasons=reasons,
            alias=alias,
        )
        for a, b, rule, linked, weight, probability, reasons, alias in link_rows(ws)
    ]


def links_fingerprint(ws: Workspace) -> str | None:
    """The fingerprint of what the stored links were computed from (None: never linked)."""
    return _meta(ws, FINGERPRINT_KEY)


def threshold(ws: Workspace) -> float | None:
    """The match-probability threshold the user set for this workspace, if any."""
    value = _meta(ws, THRESHOLD_KEY)
    return float(value) if value is not None else None


def set_threshold(ws: Workspace, value: float) -> None:
    _set_meta(ws, THRESHOLD_KEY, repr(float(value)))


def _meta(ws: Workspace, key: str) -> str | None:
    return ws.meta(key)


def _set_meta(ws: Workspace, key: str, value: str) -> None:
    ws.set_meta(key, value)
