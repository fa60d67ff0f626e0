"""The pipeline's records as table rows: one schema per table, the same for Parquet and Spark.

Pure: records in, plain dicts (and Arrow schemas) out, and back. Free-form
dictionaries (a mention's ``attrs``, an entity's ``data``) are kept as JSON
text, so every table has a fixed schema that any Parquet reader understands.

>>> from threadline.model import Mention
>>> m = Mention("m1", "d1", 0, 5, "Karim", "PERSON", "spacy", 0.9, "karim", attrs={"spacy": True})
>>> row = mention_row(m)
>>> row["attrs"]
'{"spacy": true}'
>>> mention_from_row(row) == m
True
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from threadline.model import Assertion, Claim, Document, Entity, Evidence, Mention, Tie

#: The tables of a workspace on Parquet, in the order the stages produce them.
TABLES = ("documents", "mentions", "assertions", "claims", "entities", "ties", "metrics")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# -- rows (pure) ------------------------------------------------------------------


def evidence_row(ev: Evidence) -> dict[str, Any]:
    return asdict(ev)


def evidence_from_row(row: dict[str, Any]) -> Evidence:
    return Evidence(**row)


def document_row(doc: Document) -> dict[str, Any]:
    row = asdict(doc)
    row["segments"] = _json(doc.segments)
    return row


def document_from_row(row: dict[str, Any]) -> Document:
    return Document(**{**row, "segments": json.loads(row["segments"] or "[]")})


def mention_row(m: Mention) -> dict[str, Any]:
    row = asdict(m)
    row["attrs"] = _json(m.attrs)
    return row


def mention_from_row(row: dict[str, Any]) -> Mention:
    return Mention(**{**row, "attrs": json.loads(row["attrs"] or "{}")})


def assertion_row(a: Assertion) -> dict[str, Any]:
    return asdict(a)


def assertion_from_row(row: dict[str, Any]) -> Assertion:
    return Assertion(**{**row, "evidence": evidence_from_row(row["evidence"])})


def claim_row(c: Claim) -> dict[str, Any]:
    return asdict(c)


def claim_from_row(row: dict[str, Any]) -> Claim:
    return Claim(**{**row, "evidence": evidence_from_row(row["evidence"])})


def entity_row(e: Entity) -> dict[str, Any]:
    row = asdict(e)
    row["data"] = _json(e.data)
    return row


def entity_from_row(row: dict[str, Any]) -> Entity:
    return Entity(
        **{
            **row,
            "names": list(row["names"]),
            "aliases": list(row["aliases"]),
            "mentions": list(row["mentions"]),
            "roles": list(row["roles"]),
            "data": json.loads(row["data"] or "{}"),
        }
    )


def tie_row(t: Tie) -> dict[str, Any]:
    return asdict(t)


def tie_from_row(row: dict[str, Any]) -> Tie:
    return Tie(**{**row, "evidence": [evidence_from_row(e) for e in row["evidence"]]})


def metric_rows(metrics: dict[str, dict[str, float]]) -> list[dict[str, Any]]:
    """The metrics table in long form: one row per entity and measure."""
    return [
        {"entity": entity, "measure": name, "value": float(value)}
        for entity, row in metrics.items()
        for name, value in row.items()
    ]


def metrics_from_rows(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for r in rows:
        out.setdefault(r["entity"], {})[r["measure"]] = float(r["value"])
    return out


# -- schemas ----------------------------------------------------------------------


def arrow_schemas() -> dict[str, Any]:
    """The Arrow schema of each table (Parquet files and Spark DataFrames follow it)."""
    import pyarrow as pa

    s, i, f, b = pa.string(), pa.int64(), pa.float64(), pa.bool_()
    evidence = pa.struct(
        [
            ("document", s),
            ("start", i),
            ("end", i),
            ("quote", s),
            ("extractor", s),
            ("confidence", f),
            ("hedged", b),
            ("row", i),
        ]
    )
    return {
        "documents": pa.schema(
            [
                ("id", s),
                ("sha256", s),
                ("source", s),
                ("kind", s),
                ("text", s),
                ("encoding", s),
                ("title", s),
                ("published", s),
                ("outlet", s),
                ("author", s),
                ("url", s),
                ("segments", s),
                ("language", s),
            ]
        ),
        "mentions": pa.schema(
            [
                ("id", s),
                ("document", s),
                ("start", i),
                ("end", i),
                ("text", s),
                ("label", s),
                ("extractor", s),
                ("confidence", f),
                ("key", s),
                ("segment", s),
                ("attrs", s),
            ]
        ),
        "assertions": pa.schema(
            [
                ("id", s),
                ("document", s),
                ("kind", s),
                ("type", s),
                ("a", s),
                ("b", s),
                ("detail", s),
                ("evidence", evidence),
            ]
        ),
        "claims": pa.schema(
            [
                ("id", s),
                ("document", s),
                ("subject", s),
                ("quantity", s),
                ("value", f),
                ("qualifier", s),
                ("unit", s),
                ("evidence", evidence),
                ("value_text", s),
                ("attributed_to", s),
                ("value_high", f),
            ]
        ),
        "entities": pa.schema(
            [
                ("id", s),
                ("schema", s),
                ("name", s),
                ("names", pa.list_(s)),
                ("aliases", pa.list_(s)),
                ("mentions", pa.list_(s)),
                ("roles", pa.list_(s)),
                ("data", s),
            ]
        ),
        "ties": pa.schema(
            [
                ("id", s),
                ("type", s),
                ("source", s),
                ("target", s),
                ("detail", s),
                ("confidence", f),
                ("evidence", pa.list_(evidence)),
                ("hedged", b),
                ("inferred", b),
            ]
        ),
        "metrics": pa.schema([("entity", s), ("measure", s), ("value", f)]),
    }


def arrow_table(name: str, rows: list[dict[str, Any]]) -> Any:
    """``rows`` as an Arrow table of the schema of table ``name``."""
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=arrow_schemas()[name])
