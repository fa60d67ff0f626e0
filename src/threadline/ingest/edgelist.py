"""Edge lists built elsewhere (Gephi, UCINET, a researcher's CSV such as Nov13's)
as a graph-only source.

An edge list states ties and nothing else: no sentence says *how* two people
are tied, so each tie's evidence is the file's row — the stored file, the
row number and the exact text of the row as its quote — and its type is the
one the analyst gives (``other`` by default, the file's own label kept as
``detail``). The file is stored like any document (content-addressed, kind
``edgelist``); its names become mentions and its rows tie assertions, so the
resolver merges them with the same people named in articles, and ``retract``
removes the file and everything only it supported.

The file is read by the reader every table goes through
(:func:`threadline.ingest.tabular.text_table`, over the stored text): it keeps the
character offsets of each row and cell, so every quote is exactly the stored
text from ``start`` to ``end``. Bad rows (a quote never closed, too few fields,
an empty or ``NA`` name, a tie from someone to themself) are reported by row and
skipped; the others are kept.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from threadline.errors import InputError
from threadline.ingest.readers import ReadError, decode_bytes
from threadline.ingest.tabular import Row, RowProblem, text_table, unnamed_column
from threadline.model import (
    TIE_TYPES,
    Assertion,
    Document,
    Evidence,
    Mention,
    content_id,
)
from threadline.model.vocabulary import EDGE_LIST_KIND
from threadline.store import Workspace

EXTRACTOR = "import-graph"
#: How much one row of somebody else's edge list counts as evidence: a compiled
#: statement that a tie exists, without the sentence that says so.
DEFAULT_CONFIDENCE = 0.8
#: Values that mean "no name".
MISSING = frozenset({"", "na", "n/a", "null", "none", "nan", "-"})
_LABELS = {"Person": "PERSON", "Organization": "ORG"}
_SOURCE_NAMES = ("source", "from", "n1", "n1.name", "node1", "a", "ego", "person1", "name1")
_TARGET_NAMES = ("target", "to", "n2", "n2.name", "node2", "b", "alter", "person2", "name2")


@dataclass(frozen=True)
class EdgeListOptions:
    """How to read an edge list: which columns, what the ties are."""

    source_column: str | None = None
    target_column: str | None = None
    type_column: str | None = None
    tie_type: str = "other"
    schema: str = "Person"
    confidence: float = DEFAULT_CONFIDENCE
    delimiter: str | None = None
    header: bool = True


@dataclass
class EdgeListExtraction:
    mentions: list[Mention] = field(default_factory=list)
    assertions: list[Assertion] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    rows: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    columns: tuple[str, str, str | None] = ("", "", None)


def _column(header: list[str], wanted: str | None, defaults: tuple[str, ...], path: str) -> int:
    if wanted is not None:
        if wanted in header:
            return header.index(wanted)
        if wanted.isdigit() and int(wanted) < len(header):
            return int(wanted)
        raise InputError(
            path, f"no column '{wanted}'; the columns are {', '.join(repr(h) for h in header)}"
        )
    lowered = [h.strip().lower() for h in header]
    for name in defaults:
        if name in lowered:
            return lowered.index(name)
    return -1


def _choose_columns(header: list[str], options: EdgeListOptions, path: str) -> tuple[int, int, int]:
    src = _column(header, options.source_column, _SOURCE_NAMES, path)
    dst = _column(header, options.target_column, _TARGET_NAMES, path)
    typ = _column(header, options.type_column, (), path) if options.type_column else -1
    # a leading unnamed column is a row number (R's write.csv): never a name
    free = [
        i for i, h in enumerate(header) if not unnamed_column(h, i) and i not in (src, dst, typ)
    ]
    if src < 0:
        src = free.pop(0) if free else 0
    if dst < 0:
        rest = [i for i in free if i != src]
        dst = rest[0] if rest else 1
    if src == dst:
        raise InputError(path, "the source and target columns are the same column")
    return src, dst, typ


def _tie_type(value: str, default: str) -> tuple[str, str]:
    """A row's tie type and detail: a known type name, else ``default`` with the label kept."""
    key = value.strip().lower().replace(" ", "_").replace("-", "_")
    if key in TIE_TYPES:
        return key, ""
    return default, value.strip()


def edge_list_extraction(
    doc_id: str, text: str, options: EdgeListOptions, *, path: str = "edge list"
) -> EdgeListExtraction:
    """Mentions (both ends of each row) and tie assertions (one per row) from an edge list."""
    if options.tie_type not in TIE_TYPES:
        raise InputError(path, f"unknown tie type '{options.tie_type}'")
    if options.schema not in _LABELS:
        raise InputError(path, f"nodes must be Person or Organization, not '{options.schema}'")
    table = text_table(text, path=path, delimiter=options.delimiter, header=options.header)
    header = table.sheets[0].header
    items = list(table.rows())
    if not any(isinstance(r, Row) for r in items):
        raise InputError(path, "no rows")
    src, dst, typ = _choose_columns(header, options, path)
    out = EdgeListExtraction(
        columns=(
            header[src] if src < len(header) else str(src),
            header[dst] if dst < len(header) else str(dst),
            header[typ] if typ >= 0 else None,
        )
    )
    label = _LABELS[options.schema]
    need = max(src, dst, typ) + 1
    for row in items:
        if isinstance(row, RowProblem):  # a row the reader refused (a warning keeps it)
            if row.level == "error" and row.row is not None:
                out.rows += 1
                out.skipped.append((row.row, row.reason))
            continue
        out.rows += 1
        spans = row.spans or ()
        if len(spans) < need or len(header) < need:
            out.skipped.append((row.number, f"{len(spans)} fields, {need} needed"))
            continue
        a, b = row.cells[header[src]], row.cells[header[dst]]
        if a.strip().lower() in MISSING or b.strip().lower() in MISSING:
            out.skipped.append((row.number, "an empty or NA name"))
            continue
        if a.strip() == b.strip():
            out.skipped.append((row.number, f"a tie from '{a.strip()}' to itself"))
            continue
        tie_type, detail = options.tie_type, ""
        if typ >= 0:
            tie_type, detail = _tie_type(row.cells[header[typ]], options.tie_type)
        ends = []
        for value, (f_start, f_end) in ((a, spans[src]), (b, spans[dst])):
            name = value.strip()
            lead = len(value) - len(value.lstrip())
            start, end = f_start + lead, f_start + lead + len(name)
            if text[start:end] != name:  # escaped quotes inside: quote the raw field
                start, end = f_start, f_end
            m = Mention(
                content_id("m", doc_id, start, end),
                doc_id,
                start,
                end,
                name,
                label,
                EXTRACTOR,
                options.confidence,
                name,
                attrs={"row": row.number},
            )
            out.mentions.append(m)
            out.names.add(name)
            ends.append(m)
        assert row.span is not None
        row_start, row_end = row.span
        evidence = Evidence(
            doc_id, row_start, row_end, text[row_start:row_end], EXTRACTOR, options.confidence,
            row=row.number,
        )  # fmt: skip
        out.assertions.append(
            Assertion(
                content_id("a", doc_id, row.number, tie_type),
                doc_id,
                "tie",
                tie_type,
                ends[0].id,
                ends[1].id,
                detail or f"edge in {Path(path).name}",
                evidence,
            )
        )
    return out


def import_edge_list(
    ws: Workspace,
    path: str | os.PathLike[str],
    options: EdgeListOptions | None = None,
    *,
    published: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
) -> dict[str, object]:
    """Store an edge-list file and its mentions and tie assertions (one transaction).

    Importing the same bytes again replaces that file's rows with a new
    reading (other options), never a second copy. Run resolve and analyze
    afterwards (``threadline.pipeline.import_graph`` does all three).
    """
    opts = options or EdgeListOptions()
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(str(p), f"cannot read: {exc.strerror or exc}") from exc
    try:
        text, encoding = decode_bytes(data, path=p)
    except ReadError as exc:
        raise InputError(str(p), exc.reason) from exc
    sha = ws.put_blob_hash(data)
    doc_id = ws.has_document(sha) or f"d{sha[:12]}"
    extraction = edge_list_extraction(doc_id, text, opts, path=str(p))
    if not extraction.assertions:
        raise InputError(
            str(p),
            "no usable edge: " + "; ".join(f"row {r}: {why}" for r, why in extraction.skipped[:5]),
        )
    with ws.transaction():
        if not ws.has_document(sha):
            ws.put_blob(data)
            ws.add_document(
                Document(
                    id=doc_id,
                    sha256=sha,
                    source=str(p),
                    kind=EDGE_LIST_KIND,
                    text=text,
                    encoding=encoding,
                    title=title or p.name,
                    published=published,
                    outlet=outlet,
                )
            )
        ws.replace_extraction(doc_id, EXTRACTOR, extraction.mentions, extraction.assertions, [])
    return {
        "document": doc_id,
        "rows": extraction.rows,
        "edges": len(extraction.assertions),
        "nodes": len(extraction.names),
        "columns": {
            "source": extraction.columns[0],
            "target": extraction.columns[1],
            "type": extraction.columns[2],
        },
        "skipped": [{"row": r, "reason": why} for r, why in extraction.skipped],
    }
