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

Parsing keeps character offsets, so every quote is exactly the stored text
from ``start`` to ``end``. Bad rows (too few fields, an empty or ``NA`` name,
a tie from someone to themself) are reported by row and skipped; the others
are kept.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from threadline.errors import InputError
from threadline.ingest.readers import ReadError, decode_bytes
from threadline.ingest.tabular import sniff_delimiter
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
class Field:
    value: str
    start: int  # span of the value inside the text (inside quotes when quoted)
    end: int


@dataclass(frozen=True)
class Row:
    line: int  # 1-based line of the file where the row starts
    start: int
    end: int  # the row's span without its line ending
    fields: tuple[Field, ...]


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


def parse_rows(text: str, delimiter: str) -> list[Row]:
    """CSV rows with the character span of every field (RFC 4180 quoting)."""
    rows: list[Row] = []
    i, n, line = 0, len(text), 1
    while i < n:
        row_start, row_line = i, line
        fields: list[Field] = []
        while True:
            if i < n and text[i] == '"':
                j = i + 1
                parts = []
                while j < n:
                    if text[j] == '"':
                        if j + 1 < n and text[j + 1] == '"':
                            parts.append('"')
                            j += 2
                            continue
                        break
                    if text[j] == "\n":
                        line += 1
                    parts.append(text[j])
                    j += 1
                fields.append(Field("".join(parts), i + 1, j))
                i = j + 1
                while i < n and text[i] not in (delimiter, "\n", "\r"):
                    i += 1  # stray characters after a closing quote are dropped
            else:
                j = i
                while j < n and text[j] not in (delimiter, "\n", "\r"):
                    j += 1
                fields.append(Field(text[i:j], i, j))
                i = j
            if i < n and text[i] == delimiter:
                i += 1
                continue
            break
        row_end = i
        if i < n and text[i] == "\r":
            i += 1
        if i < n and text[i] == "\n":
            i += 1
        line += 1
        if any(f.value.strip() for f in fields):
            rows.append(Row(row_line, row_start, row_end, tuple(fields)))
    return rows


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
    free = [i for i, h in enumerate(header) if h.strip() and i not in (src, dst, typ)]
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
    first_line = text.split("\n", 1)[0]
    delimiter = options.delimiter or sniff_delimiter(first_line)
    rows = parse_rows(text, delimiter)
    if not rows:
        raise InputError(path, "no rows")
    if options.header:
        header = [f.value for f in rows[0].fields]
        rows = rows[1:]
    else:
        header = [str(i) for i in range(max(len(r.fields) for r in rows))]
    src, dst, typ = _choose_columns(header, options, path)
    out = EdgeListExtraction(
        columns=(
            header[src] if src < len(header) else str(src),
            header[dst] if dst < len(header) else str(dst),
            header[typ] if typ >= 0 else None,
        )
    )
    label = _LABELS[options.schema]
    for row in rows:
        out.rows += 1
        need = max(src, dst, typ) + 1
        if len(row.fields) < need:
            out.skipped.append((row.line, f"{len(row.fields)} fields, {need} needed"))
            continue
        a, b = row.fields[src], row.fields[dst]
        if a.value.strip().lower() in MISSING or b.value.strip().lower() in MISSING:
            out.skipped.append((row.line, "an empty or NA name"))
            continue
        if a.value.strip() == b.value.strip():
            out.skipped.append((row.line, f"a tie from '{a.value.strip()}' to itself"))
            continue
        tie_type, detail = options.tie_type, ""
        if typ >= 0:
            tie_type, detail = _tie_type(row.fields[typ].value, options.tie_type)
        ends = []
        for f in (a, b):
            name = f.value.strip()
            lead = len(f.value) - len(f.value.lstrip())
            start, end = f.start + lead, f.start + lead + len(name)
            if text[start:end] != name:  # escaped quotes inside: quote the raw field
                start, end = f.start, f.end
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
                attrs={"row": row.line},
            )
            out.mentions.append(m)
            out.names.add(name)
            ends.append(m)
        quote = text[row.start : row.end]
        evidence = Evidence(
            doc_id, row.start, row.end, quote, EXTRACTOR, options.confidence, row=row.line
        )
        out.assertions.append(
            Assertion(
                content_id("a", doc_id, row.line, tie_type),
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
