"""CSV tables of the network, laid out for i2 Analyst's Notebook and spreadsheets.

``ties.csv`` has one row per tie with both ends spelled out (id, name, type),
so an i2 import specification can map it in one pass: entity 1 from the source
columns, entity 2 from the target columns, the link type from ``link_type``,
the arrow from ``direction`` and the line strength (i2's way of showing
confidence: solid, dashed, dotted) from ``strength``. ``entities.csv``,
``evidence.csv`` (one row per quote) and ``claims.csv`` complete the picture.

Names and quotes come from hostile documents, and a spreadsheet runs a cell
that starts with ``=``, ``+``, ``-`` or ``@`` as a formula ("CSV injection").
Every text cell starting with one of those (or with a tab or carriage return)
gets a leading apostrophe, which spreadsheets show as plain text. Numbers are
written as numbers.

Example::

    >>> tables = to_csv_tables({"threadline_export": 1, "documents": [], "claims": [],
    ...     "entities": [{"id": "e1", "schema": "Person", "name": "=1+2"}], "ties": []})
    >>> tables["entities.csv"].splitlines()[1]
    "e1,Person,'=1+2,,,,,,,,,0,,"
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from threadline.model.spreadsheet import safe_cell
from threadline.model.vocabulary import TIE_TYPES

ENTITY_COLUMNS = (
    "id", "schema", "name", "other_names", "aliases", "roles", "degree", "betweenness",
    "community", "component", "key_player", "evidence_count", "first_quote", "document_title",
)  # fmt: skip
TIE_COLUMNS = (
    "tie_id", "source_id", "source_name", "source_type", "target_id", "target_name",
    "target_type", "link_type", "detail", "direction", "confidence", "strength", "hedged",
    "inferred", "evidence_count", "first_quote", "document_title", "document_date",
)  # fmt: skip
EVIDENCE_COLUMNS = (
    "owner_kind", "owner_id", "owner_label", "document_id", "document_title", "document_date",
    "start", "end", "quote", "row", "sheet", "extractor", "confidence", "hedged",
)  # fmt: skip
CLAIM_COLUMNS = (
    "claim_id", "subject_id", "subject_name", "quantity", "value", "qualifier", "unit",
    "hedged", "in_conflict", "first_quote", "document_title", "document_date",
)  # fmt: skip


def _table(columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def _first_evidence(item: dict[str, Any], documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    evidence = item.get("evidence") or []
    if not evidence:
        return {"first_quote": None, "document_title": None, "document_date": None}
    doc = documents.get(evidence[0].get("document", ""), {})
    return {
        "first_quote": evidence[0].get("quote"),
        "document_title": doc.get("title") or evidence[0].get("document"),
        "document_date": doc.get("published"),
    }


def _strength(tie: dict[str, Any]) -> str:
    """i2 line strength: inferred -> tentative, hedged or weak -> unconfirmed, else confirmed."""
    if tie.get("inferred"):
        return "tentative"
    confidence = tie.get("confidence")
    if tie.get("hedged") or (confidence is not None and float(confidence) < 0.5):
        return "unconfirmed"
    return "confirmed"


def _entity_rows(
    export: dict[str, Any], documents: dict[str, dict[str, Any]]
) -> Iterable[dict[str, Any]]:
    for entity in export.get("entities", []):
        metrics = entity.get("metrics") or {}
        name = entity.get("name")
        yield {
            "id": entity["id"],
            "schema": entity.get("schema"),
            "name": name,
            "other_names": [n for n in entity.get("names", []) if n != name],
            "aliases": entity.get("aliases", []),
            "roles": entity.get("roles", []),
            **{k: metrics.get(k) for k in ("degree", "betweenness", "community", "component")},
            "key_player": metrics.get("key_player"),
            "evidence_count": len(entity.get("evidence") or []),
            **_first_evidence(entity, documents),
        }


def _tie_rows(
    export: dict[str, Any],
    entities: dict[str, dict[str, Any]],
    documents: dict[str, dict[str, Any]],
) -> Iterable[dict[str, Any]]:
    for tie in export.get("ties", []):
        source = entities.get(tie["source"], {})
        target = entities.get(tie["target"], {})
        kind = tie.get("type", "other")
        directed = TIE_TYPES[kind].directed if kind in TIE_TYPES else False
        yield {
            "tie_id": tie["id"],
            "source_id": tie["source"],
            "source_name": source.get("name"),
            "source_type": source.get("schema"),
            "target_id": tie["target"],
            "target_name": target.get("name"),
            "target_type": target.get("schema"),
            "link_type": kind,
            "detail": tie.get("detail"),
            "direction": "directed" if directed else "undirected",
            "confidence": tie.get("confidence"),
            "strength": _strength(tie),
            "hedged": bool(tie.get("hedged", False)),
            "inferred": bool(tie.get("inferred", False)),
            "evidence_count": len(tie.get("evidence") or []),
            **_first_evidence(tie, documents),
        }


def _evidence_rows(
    export: dict[str, Any],
    entities: dict[str, dict[str, Any]],
    documents: dict[str, dict[str, Any]],
) -> Iterable[dict[str, Any]]:
    def label_of(kind: str, item: dict[str, Any]) -> str:
        if kind == "entity":
            return str(item.get("name", ""))
        if kind == "tie":
            ends = [entities.get(item[k], {}).get("name", item[k]) for k in ("source", "target")]
            return f"{ends[0]} —{item.get('type', 'other')}— {ends[1]}"
        subject = entities.get(item.get("subject", ""), {}).get("name", "")
        return f"{subject}: {item.get('quantity', '')}"

    owners = (("entity", "entities"), ("tie", "ties"), ("claim", "claims"))
    for kind, key in owners:
        for item in export.get(key, []):
            for evidence in item.get("evidence") or []:
                doc = documents.get(evidence.get("document", ""), {})
                yield {
                    "owner_kind": kind,
                    "owner_id": item["id"],
                    "owner_label": label_of(kind, item),
                    "document_id": evidence.get("document"),
                    "document_title": doc.get("title"),
                    "document_date": doc.get("published"),
                    **{k: evidence.get(k) for k in ("start", "end", "quote", "row", "sheet")},
                    **{k: evidence.get(k) for k in ("extractor", "confidence", "hedged")},
                }


def _claim_rows(
    export: dict[str, Any],
    entities: dict[str, dict[str, Any]],
    documents: dict[str, dict[str, Any]],
) -> Iterable[dict[str, Any]]:
    conflicting = {c for conflict in export.get("conflicts", []) for c in conflict["claims"]}
    for claim in export.get("claims", []):
        yield {
            "claim_id": claim["id"],
            "subject_id": claim.get("subject"),
            "subject_name": entities.get(claim.get("subject", ""), {}).get("name"),
            **{k: claim.get(k) for k in ("quantity", "value", "qualifier", "unit")},
            "hedged": bool(claim.get("hedged", False)),
            "in_conflict": claim["id"] in conflicting,
            **_first_evidence(claim, documents),
        }


def to_csv_tables(export: dict[str, Any]) -> dict[str, str]:
    """The export as four CSV texts keyed by file name.

    Returns ``{"entities.csv", "ties.csv", "evidence.csv", "claims.csv"}``, each
    with a header row, ``\\r\\n`` line ends (RFC 4180) and no byte-order mark;
    write them as ``utf-8-sig`` if Excel must read accents right.
    """
    documents = {d["id"]: d for d in export.get("documents", [])}
    entities = {e["id"]: e for e in export.get("entities", [])}
    return {
        "entities.csv": _table(ENTITY_COLUMNS, _entity_rows(export, documents)),
        "ties.csv": _table(TIE_COLUMNS, _tie_rows(export, entities, documents)),
        "evidence.csv": _table(EVIDENCE_COLUMNS, _evidence_rows(export, entities, documents)),
        "claims.csv": _table(CLAIM_COLUMNS, _claim_rows(export, entities, documents)),
    }
