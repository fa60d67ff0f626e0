"""``threadline records import``: a CSV of people through a built-in mapping.

``name=full_name,dob=birth_date,doc=passport`` says which column holds which
field (:data:`~threadline.model.person_record.RECORD_FIELDS`); a field left out
is read from a column of its own name when there is one. The column map stands
for a mapping (:func:`records_mapping`): one ``Person`` entity per row, always a
person record, whose ``doc`` number links the records that carry it. The file is
then read by the one machinery every table goes through
(:func:`threadline.ingest.record_files.ingest_record_file`): the same reader,
date parser and value cleaner as ``threadline ingest-records``.

So a row without a name or a document number, or with an id seen before, is
refused and named with the file and row (a row with a document number but no
name is kept as a record, named by its number: ``mapped.unnamed``); a bad value (an impossible date of birth, a phone number with
letters) is named with the file and row and left out, and the row is kept.

>>> mapping = records_mapping(parse_column_map(["name=full_name,doc=passport"]),
...                           ["full_name", "passport", "dob"], path="people.csv")
>>> person = mapping.entities["person"]
>>> person.name[0].column, person.document.column, person.dob.column, person.document_links
('full_name', 'passport', 'dob', True)
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from threadline.errors import InputError, InvalidValueError
from threadline.ingest.mapped import MappedReader, iter_batches
from threadline.ingest.mapping import Mapping, parse_mapping
from threadline.ingest.record_files import RecordIngest, file_sha256, ingest_record_file
from threadline.ingest.tabular import RowProblem, Table, open_table
from threadline.model.person_record import RECORD_FIELDS, PersonRecord
from threadline.store import Workspace

#: The name of the built-in mapping (stored with the file it read).
MAPPING_NAME = "records import"
#: Record field -> the key of the mapping's person entity that reads it.
_ENTITY_KEYS = {
    "name": "name",
    "given": "given",
    "family": "family",
    "alias": "aliases",
    "dob": "dob",
    "nationality": "nationality",
    "address": "address",
    "phone": "phone",
    "doc": "document",
}


@dataclass(frozen=True)
class ColumnMap:
    """Which column(s) of the file hold each record field; ``alias`` may name several."""

    columns: dict[str, tuple[str, ...]]

    def get(self, fieldname: str) -> tuple[str, ...]:
        return self.columns.get(fieldname, ())


def parse_column_map(specs: Iterable[str]) -> ColumnMap:
    """``["name=full_name,dob=birth_date", "alias=aka"]`` -> a :class:`ColumnMap`.

    >>> parse_column_map(["name=full_name,alias=aka1", "alias=aka2"]).columns
    {'name': ('full_name',), 'alias': ('aka1', 'aka2')}

    Raises ``ValueError`` naming a part that is not ``FIELD=COLUMN`` or a field
    threadline does not know.
    """
    columns: dict[str, tuple[str, ...]] = {}
    for spec in specs:
        for part in filter(None, (p.strip() for p in spec.split(","))):
            fieldname, sep, column = (s.strip() for s in part.partition("="))
            if not sep or not fieldname or not column:
                raise InvalidValueError(
                    "--map", f"'{part}' is not FIELD=COLUMN (e.g. name=full_name)"
                )
            if fieldname not in RECORD_FIELDS:
                raise InvalidValueError(
                    "--map",
                    f"unknown field '{fieldname}' in '{part}': use {', '.join(RECORD_FIELDS)}",
                )
            if fieldname != "alias" and fieldname in columns:
                raise InvalidValueError("--map", f"field '{fieldname}' is mapped twice")
            columns[fieldname] = (*columns.get(fieldname, ()), column)
    return ColumnMap(columns)


def records_mapping(
    columns: ColumnMap, header: list[str], *, path: str, delimiter: str | None = None
) -> Mapping:
    """The mapping a column map stands for, given the file's ``header``.

    Columns are found whatever their case; a field the map leaves out is read from
    a column of its own name. Raises :class:`~threadline.errors.InputError` naming
    ``path`` when a mapped column is missing or no column holds a name.
    """
    by_fold = {h.casefold(): h for h in reversed(header)}
    chosen: dict[str, list[str]] = {}
    for fieldname in RECORD_FIELDS:
        wanted = columns.get(fieldname)
        if wanted:
            missing = [c for c in wanted if c.casefold() not in by_fold]
            if missing:
                raise InputError(
                    path,
                    f"no column '{missing[0]}' (for {fieldname}); the header has: "
                    f"{', '.join(header)}",
                )
            chosen[fieldname] = [by_fold[c.casefold()] for c in wanted]
        elif fieldname.casefold() in by_fold:
            chosen[fieldname] = [by_fold[fieldname.casefold()]]
    if not chosen.keys() & {"name", "given", "family"}:
        raise InputError(
            path, "no name column: map one with --map name=COLUMN (or given=... and family=...)"
        )
    person: dict[str, Any] = {"schema": "Person", "record": True}
    for fieldname, key in _ENTITY_KEYS.items():
        if fieldname in chosen:
            cols = chosen[fieldname]
            person[key] = cols if fieldname == "alias" else cols[0]
    if "document" in person:
        person["document_links"] = True
    source: dict[str, Any] = {"format": "csv"}
    if delimiter:
        source["delimiter"] = delimiter
    doc: dict[str, Any] = {"version": 1, "name": MAPPING_NAME, "source": source}
    if "id" in chosen:
        doc["id"] = chosen["id"][0]
    doc["entities"] = {"person": person}
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    return parse_mapping(text, path="records import --map")


def _open(path: Path, columns: ColumnMap, delimiter: str | None) -> tuple[Table, Mapping]:
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise InputError(str(path), f"delimiter {delimiter!r} is not one character")
    table = open_table(path, "csv", delimiter=delimiter)
    try:
        header = table.sheets[0].header
        mapping = records_mapping(
            columns, header, path=str(path), delimiter=delimiter or table.delimiter
        )
    except BaseException:
        table.close()
        raise
    return table, mapping


@dataclass
class RecordRows:
    """A record file read without a workspace: its records, refused rows, values left out."""

    records: list[PersonRecord] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)


def read_records(
    path: str | os.PathLike[str], columns: ColumnMap, *, delimiter: str | None = None
) -> RecordRows:
    """The person records of a CSV as ``records import`` reads them, stored nowhere
    (benchmarks and tests link them directly)."""
    p = Path(path)
    table, mapping = _open(p, columns, delimiter)
    reader = MappedReader(mapping, document=f"d{file_sha256(p)[:12]}", path=str(p))
    out = RecordRows()
    try:
        for batch in iter_batches(reader, table.rows()):
            out.records.extend(batch.records)
    finally:
        table.close()
    out.problems = [*table.problems, *reader.problems]
    out.warnings = reader.warnings
    return out


def import_record_file(
    ws: Workspace,
    path: str | os.PathLike[str],
    columns: ColumnMap,
    *,
    delimiter: str | None = None,
) -> RecordIngest:
    """Read a CSV of people with a column map and store it (:func:`records_mapping`,
    then :func:`~threadline.ingest.record_files.ingest_record_file`, not resolved).

    Refused rows are in ``problems``, values left out in ``warnings``, both with
    file and row; importing the same file with the same map again is ``unchanged``.
    """
    table, mapping = _open(Path(path), columns, delimiter)
    table.close()
    return ingest_record_file(ws, path, mapping)
