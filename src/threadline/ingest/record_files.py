"""A record file into the workspace through a mapping, in one transaction.

:func:`ingest_record_file` is what ``threadline ingest-records`` runs:

1. the file is hashed (streamed) and stored content-addressed; the same bytes
   read by the same mapping again change nothing; the same bytes under another
   mapping are read again (their facts replaced); a changed file at the same
   path is a new version, and both versions are kept (``record_sources``);
2. its rows are read and checked (:mod:`threadline.ingest.tabular`), then turned
   into mentions, ties, person records and phone owners
   (:mod:`threadline.ingest.mapped`) — or, for call records, read, checked and
   aggregated in DuckDB (:mod:`threadline.ingest.calls`);
3. everything is written in one transaction, the ties drawn from call records
   are rebuilt (a subscriber table may give owners to numbers of calls read
   before), and ``then`` runs last in the same transaction: the orchestrator
   (:mod:`threadline.pipeline.records`) passes the re-resolve and re-analysis.

A bad row is named with its file, sheet and row and left out, and the others
are kept; a file that cannot be read at all, or whose every row is refused,
leaves the workspace exactly as it was.

:func:`assign_phone` records an analyst's statement that a number is used by a
person: a small document of its own (so it is evidence, and can be retracted).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from threadline.errors import InputError
from threadline.ingest.calls import read_calls, rebuild_call_ties, store_calls, subscriber_mentions
from threadline.ingest.mapped import Batch, MappedReader, PhoneOwner, iter_batches
from threadline.ingest.mapping import Mapping, check_columns
from threadline.ingest.report import RowRuns, write_report
from threadline.ingest.tabular import RowProblem, Table, open_table
from threadline.ingest.values import check_country_code, clean_name, normalise_phone
from threadline.model import Document, Mention, content_id
from threadline.model.vocabulary import RECORDS_KIND
from threadline.store import Workspace
from threadline.store import mapped as store
from threadline.store import records as record_store

#: Problems kept in the result (all of them go to the report).
MAX_LISTED = 100_000


@dataclass
class RecordIngest:
    """What one ingest did. ``status`` is ``added``, ``unchanged`` (same file, same
    mapping: nothing to do) or ``reread`` (same file, another mapping)."""

    path: str
    mapping: str
    format: str
    status: str
    document: str | None = None
    version: int = 1
    previous: str | None = None
    rows_read: int = 0
    accepted: int = 0
    refused: int = 0
    mentions: int = 0
    ties: int = 0
    records: int = 0
    phone_owners: int = 0
    calls: int = 0
    call_ties: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    report_lines: int | None = None
    resolved: dict[str, int] | None = None
    dry_run: bool = False
    #: seconds spent per step (hash, store_file, read, store_calls, call_ties, resolve)
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        def p(x: RowProblem) -> dict[str, Any]:
            return {"path": x.path, "sheet": x.sheet, "row": x.row, "reason": x.reason}

        out = {
            k: getattr(self, k)
            for k in (
                "path", "mapping", "format", "status", "document", "version", "previous",
                "rows_read", "accepted", "refused", "mentions", "ties", "records",
                "phone_owners", "calls", "call_ties", "report_lines", "resolved", "dry_run",
                "timings",
            )
        }  # fmt: skip
        out["refused_rows"] = [p(x) for x in self.problems]
        out["warnings"] = [p(x) for x in self.warnings]
        return out


class _DryRun(Exception):
    """Control flow, never leaves this module: rolls a dry run's transaction back."""


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _store_blob(ws: Workspace, path: Path, sha: str) -> bool:
    """Store the file under its hash without reading it whole; True when it was new."""
    size = path.stat().st_size
    target = None
    try:
        target = ws.blob_path(sha)
    except (AttributeError, NotImplementedError, TypeError, ValueError):
        target = None
    if target is None or size <= 64 * 2**20:
        existed = target.exists() if target is not None else False
        ws.put_blob(path.read_bytes())
        return not existed
    if target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
        shutil.copyfileobj(src, out, 1 << 20)
    os.replace(tmp, target)
    return True


def ingest_record_file(
    ws: Workspace,
    path: str | os.PathLike[str],
    mapping: Mapping,
    *,
    report: str | os.PathLike[str] | None = None,
    then: Callable[[Workspace], dict[str, int]] | None = None,
    dry_run: bool = False,
    fast: bool = True,
    progress: Callable[[int], None] | None = None,
) -> RecordIngest:
    """Read ``path`` through ``mapping`` into ``ws`` (see the module docstring).

    Raises :class:`~threadline.errors.InputError` (the workspace unchanged) for
    a file that cannot be read, a mapped column it lacks, or no usable row;
    ``report`` is written in every case where rows were read.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(str(p), "no such file" if not p.exists() else "not a file")
    fmt = mapping.format_for(p)
    clock = time.perf_counter()
    sha = file_sha256(p)
    hashed = time.perf_counter() - clock
    source = str(p.resolve())
    result = RecordIngest(str(p), mapping.name, fmt, "added", dry_run=dry_run)
    result.timings["hash"] = hashed
    existing = ws.has_document(sha)
    if existing:
        known = store.source_of(ws, existing)
        if known is None:
            raise InputError(
                str(p),
                f"these bytes are already stored as document {existing} by another command; "
                "'threadline retract' it first to read them through a mapping",
            )
        if known.mapping_sha256 == mapping.sha256:
            result.status, result.document, result.version = "unchanged", existing, known.version
            return result
        result.status = "reread"
    versions = [s for s in store.sources(ws, source=source) if s.document != existing]
    if versions:
        result.previous = versions[-1].document
    result.version = max((s.version for s in versions), default=0) + 1
    doc_id = existing or f"d{sha[:12]}"
    result.document = doc_id
    created_blob = False
    runs = RowRuns()
    try:
        if not dry_run:
            with _timed(result, "store_file"):
                created_blob = _store_blob(ws, p, sha)
        with ws.transaction():
            store.purge_orphans(ws)
            if existing:
                ws.delete_document(existing)
                store.delete_rows_of(ws, existing)
            if mapping.calls is not None:
                text, encoding = "", None
                runs = _ingest_calls(ws, p, mapping, doc_id, result, fast, progress, report)
            else:
                with _timed(result, "read_and_store"):
                    text, encoding, runs = _ingest_rows(
                        ws, p, fmt, mapping, doc_id, result, progress
                    )
            if result.accepted == 0:
                raise InputError(str(p), _nothing_read(result))
            title = p.name if result.version == 1 else f"{p.name} (version {result.version})"
            ws.add_document(
                Document(
                    id=doc_id,
                    sha256=sha,
                    source=source,
                    kind=RECORDS_KIND,
                    text=text,
                    encoding=encoding or "utf-8",
                    title=title,
                )
            )
            store.add_source(ws, _source_row(result, doc_id, source, mapping))
            if mapping.calls is not None or result.phone_owners or existing:
                with _timed(result, "call_ties"):
                    result.call_ties = rebuild_call_ties(ws)
            if then is not None:
                with _timed(result, "resolve"):
                    result.resolved = then(ws)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except BaseException:
        if created_blob:
            ws.delete_blob(sha)
        if report is not None and result.rows_read:
            result.report_lines = write_report(
                report, str(p), runs, [*result.problems, *result.warnings]
            )
        raise
    if report is not None:
        result.report_lines = write_report(
            report, str(p), runs, [*result.problems, *result.warnings]
        )
    return result


@contextlib.contextmanager
def _timed(result: RecordIngest, step: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        result.timings[step] = round(time.perf_counter() - start, 3)


def _nothing_read(result: RecordIngest) -> str:
    if not result.rows_read:
        return "no data rows (only a header?)"
    first = "; ".join(f"row {x.row}: {x.reason}" for x in result.problems[:3])
    return f"none of its {result.rows_read:,} row(s) could be read ({first}); nothing stored"


def _source_row(
    result: RecordIngest, doc_id: str, source: str, mapping: Mapping
) -> store.RecordSource:
    return store.RecordSource(
        document=doc_id,
        source=source,
        format=result.format,
        mapping_name=mapping.name,
        mapping_sha256=mapping.sha256,
        mapping=mapping.text,
        version=result.version,
        previous=result.previous,
        rows_read=result.rows_read,
        accepted=result.accepted,
        rejected=result.refused,
        warnings=len(result.warnings),
        ingested_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )


def _split(result: RecordIngest, problems: list[RowProblem]) -> None:
    for x in problems:
        bucket = result.problems if x.level == "error" else result.warnings
        if len(bucket) < MAX_LISTED:
            bucket.append(x)


# -- tables of people, groups, places, events -----------------------------------------------


def _open_checked(path: Path, fmt: str, mapping: Mapping) -> tuple[Table, list[str | None]]:
    src = mapping.source
    table = open_table(
        path,
        fmt,
        delimiter=src.delimiter,
        encoding=src.encoding,
        sheet=src.sheet,
        records=src.records,
        header_row=src.header_row,
    )
    usable: list[str | None] = []
    first_error: InputError | None = None
    for sheet in table.sheets:
        try:
            check_columns(mapping, sheet.header, path=str(path), sheet=sheet.name)
        except InputError as exc:
            if len(table.sheets) == 1 or src.sheet:
                table.close()
                raise
            first_error = first_error or exc
            table.problems.append(
                RowProblem(str(path), None, f"sheet skipped: {exc.reason}", sheet.name, "warning")
            )
            continue
        usable.append(sheet.name)
    if not usable:
        table.close()
        assert first_error is not None
        raise first_error
    return table, usable


def _ingest_rows(
    ws: Workspace,
    path: Path,
    fmt: str,
    mapping: Mapping,
    doc_id: str,
    result: RecordIngest,
    progress: Callable[[int], None] | None,
) -> tuple[str, str | None, RowRuns]:
    table, sheets = _open_checked(path, fmt, mapping)
    known = record_store.document_names(ws)
    reader = MappedReader(mapping, document=doc_id, path=str(path), known_documents=known)
    try:
        for sheet in sheets:
            rows = table.rows(sheet)
            for batch in iter_batches(reader, _counted(rows, result, progress)):
                _store_batch(ws, batch, result)
    finally:
        table.close()
    result.accepted = reader.accepted.count
    result.refused = len(reader.problems) - sum(1 for x in reader.problems if x.row is None)
    _split(result, [*table.problems, *reader.problems, *reader.warnings])
    result.problems.sort(key=lambda x: (x.sheet or "", x.row or 0))
    result.warnings.sort(key=lambda x: (x.sheet or "", x.row or 0))
    return table.text or "", table.encoding, reader.accepted


def _counted(rows: Any, result: RecordIngest, progress: Callable[[int], None] | None) -> Any:
    for item in rows:
        if not isinstance(item, RowProblem) or item.level == "error":
            result.rows_read += 1
            if progress and result.rows_read % 5000 == 0:
                progress(result.rows_read)
        yield item


def _store_batch(ws: Workspace, batch: Batch, result: RecordIngest) -> None:
    ws.add_mentions(batch.mentions)
    ws.add_assertions(batch.assertions)
    if batch.records:
        record_store.add_records(ws, batch.records, [])
    store.add_owners(ws, batch.owners)
    result.mentions += len(batch.mentions)
    result.ties += sum(1 for a in batch.assertions if a.kind == "tie")
    result.records += len(batch.records)
    result.phone_owners += len(batch.owners)


# -- call records ---------------------------------------------------------------------


def _ingest_calls(
    ws: Workspace,
    path: Path,
    mapping: Mapping,
    doc_id: str,
    result: RecordIngest,
    fast: bool,
    progress: Callable[[int], None] | None,
    report: Any,
) -> RowRuns:
    with _timed(result, "read"):
        reading = read_calls(path, mapping, fast=fast, progress=progress)
    try:
        result.rows_read = reading.rows_read
        result.accepted = reading.accepted
        result.refused = reading.refused
        if reading.accepted:
            with _timed(result, "store_calls"):
                result.calls = store_calls(ws, reading, doc_id)
        mentions, owners, warnings = subscriber_mentions(reading, doc_id)
        _store_batch(ws, Batch(mentions=mentions, owners=owners), result)
        _split(result, [*reading.problems, *warnings])
        runs = reading.accepted_runs() if report is not None else RowRuns()
    finally:
        reading.close()
    return runs


# -- an analyst's word -------------------------------------------------------------------


def assign_phone(
    ws: Workspace,
    number: str,
    name: str,
    *,
    analyst: str,
    note: str | None = None,
    country_code: str | None = None,
    then: Callable[[Workspace], dict[str, int]] | None = None,
) -> dict[str, Any]:
    """Record that ``analyst`` states ``number`` is used by ``name``, and rebuild the
    call ties. The statement is stored as a small document (its text names both),
    so it is evidence like any other and ``threadline retract`` removes it."""
    cc = check_country_code(country_code) if country_code else None
    try:
        phone = normalise_phone(number, country_code=cc)
    except ValueError as exc:
        raise InputError("phone", str(exc)) from None
    try:
        person, _ = clean_name(name, what="name")
        who, _ = clean_name(analyst, what="analyst")
    except ValueError as exc:
        raise InputError("name", str(exc)) from None
    when = dt.datetime.now(dt.UTC)
    text = f"{who} states that {phone} is used by {person}."
    if note:
        text += " " + " ".join(note.split())[:2000]
    sha = hashlib.sha256(f"{text}\x1f{when.isoformat()}".encode()).hexdigest()
    doc_id = f"d{sha[:12]}"
    start = text.index(f"used by {person}") + len("used by ")
    mention = Mention(
        id=content_id("m", doc_id, "analyst", phone),
        document=doc_id,
        start=start,
        end=start + len(person),
        text=person,
        label="PERSON",
        extractor="analyst",
        confidence=0.9,
        key=person,
        segment="record",
        attrs={"phone": phone, "analyst": who},
    )

    with ws.transaction():
        ws.add_document(
            Document(
                id=doc_id,
                sha256=sha,
                source=f"analyst:{who}",
                kind=RECORDS_KIND,
                text=text,
                title=f"analyst statement: {phone} used by {person}",
                published=when.date().isoformat(),
                author=who,
            )
        )
        batch = Batch(
            mentions=[mention],
            owners=[PhoneOwner(phone, mention.id, person, doc_id, None, None, "analyst")],
        )
        _store_batch(ws, batch, RecordIngest("", "", "", "added"))
        ties = rebuild_call_ties(ws)
        resolved = then(ws) if then is not None else None
    return {
        "document": doc_id,
        "number": phone,
        "name": person,
        "analyst": who,
        "statement": text,
        "call_ties": ties,
        "resolved": resolved,
    }


def _j(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)
