"""Rows of a record file through a mapping into mentions, ties, person records and
phone owners.

Needs: a checked :class:`~threadline.ingest.mapping.Mapping` (without ``calls``;
call records go through :mod:`threadline.ingest.calls`) and the rows of a
:class:`~threadline.ingest.tabular.Table`.
Produces, row by row (so the caller can store them in batches): PERSON, ORG,
PLACE and EVENT mentions of the record file whose evidence is the file, the
sheet and the row (their attributes carry the record's properties: date of
birth, education, skills, status...); tie assertions; alias assertions (a kunya
or another name given in the row); :class:`PersonRecord` rows for people with an
identity attribute, so record linkage and the shared-identity-document rule see
them; and phone owners (a number attributed to a person by this row).

After the last row, :meth:`MappedReader.finish` adds what needs every row:
``together`` ties (people of one car or one crossing) and ``overlaps`` ties
(people at one address in overlapping periods), and the rows that name a person
only by an identity document (the name is the one another record gives for that
document).

Value problems are warnings that drop the value (an impossible date of birth,
a phone number with letters); problems with what makes an entity (a name of
10,000 characters, a name of digits) refuse the row. Both name the file, sheet
and row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from threadline.errors import ValueReadError
from threadline.ingest.mapping import EntitySpec, Mapping, ValueSpec
from threadline.ingest.report import RowRuns
from threadline.ingest.tabular import Row, RowProblem
from threadline.ingest.values import (
    clean_name,
    clean_text,
    normalise_phone,
    parse_birth_date,
    parse_date,
    parse_datetime,
)
from threadline.model import Assertion, Evidence, Mention, content_id
from threadline.model.names import fold
from threadline.model.person_record import PersonRecord

EXTRACTOR = "mapping"
#: Confidence of a name or tie a record states (a register, not a reporter's sentence).
RECORD_CONFIDENCE = 0.95
#: Rows of one group (one car, one crossing) or one address tied pairwise at most;
#: a larger group is most likely a placeholder value ("UNKNOWN").
MAX_GROUP = 60
_DOC_CHARS = re.compile(r"[^A-Za-z0-9]")
#: Mentions and assertions stored per batch: each statement has a fixed cost, and a
#: batch of this size is a few megabytes at most.
BATCH_ITEMS = 10_000
#: Distinct cells of one column whose reading a reader keeps (cleared when full).
MEMO_CELLS = 100_000

#: A value read from a cell: the value (None: left out) and the warnings to name.
_Read = tuple[Any, tuple[str, ...]]


@lru_cache(maxsize=64)
def _splitter(chars: str) -> re.Pattern[str]:
    """The pattern that splits a cell of several values at any of ``chars``."""
    return re.compile(f"[{re.escape(chars)}]")


@dataclass(frozen=True)
class PhoneOwner:
    """A phone number attributed to a person by a record's row (or an analyst)."""

    number: str
    mention: str
    name: str
    document: str
    row: int | None
    sheet: str | None
    origin: str = "record"


@dataclass
class Batch:
    """What some rows produced, ready to be stored."""

    mentions: list[Mention] = field(default_factory=list)
    assertions: list[Assertion] = field(default_factory=list)
    records: list[PersonRecord] = field(default_factory=list)
    owners: list[PhoneOwner] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.mentions) + len(self.assertions)

    def extend(self, other: Batch) -> None:
        self.mentions.extend(other.mentions)
        self.assertions.extend(other.assertions)
        self.records.extend(other.records)
        self.owners.extend(other.owners)


@dataclass
class _Entity:
    spec: EntitySpec
    name: str | None
    aliases: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    document: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    #: declared identity documents: type -> the row's one number of that type
    documents: dict[str, str] = field(default_factory=dict)
    given: str | None = None
    family: str | None = None


def unnamed(document: str) -> str:
    """What a record row without a name, whose identity document names nobody, is
    called: the number it carries (records import keeps every row).

    >>> unnamed("X1234567")
    'no name (identity document X1234567)'
    """
    return f"no name (identity document {document})"


@dataclass
class _RowFacts:
    row: Row
    source_id: str
    entities: dict[str, _Entity]
    values: dict[str, Any]  # tie and group values read from the row, by mapping key


@dataclass(frozen=True)
class _Member:
    mention: str
    name: str
    row: int
    sheet: str | None
    span: tuple[int, int] | None
    quote: str | None
    start: str | None = None
    end: str | None = None


class MappedReader:
    """Feed rows with :meth:`feed`; each returns what the row produced (or raises
    :class:`RowRefused`); :meth:`finish` returns what needs every row."""

    def __init__(
        self,
        mapping: Mapping,
        *,
        document: str,
        path: str,
        known_documents: dict[str, str] | None = None,
    ) -> None:
        self.mapping = mapping
        self.document = document
        self.path = path
        self.known_documents = dict(known_documents or {})
        self.seen_ids: dict[str, int] = {}
        self.groups: dict[tuple[str, tuple[str, ...]], list[_Member]] = defaultdict(list)
        self.stays: dict[tuple[str, str], list[_Member]] = defaultdict(list)
        self.group_shown: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
        self.place_names: dict[tuple[str, str], str] = {}
        self.deferred: list[_RowFacts] = []
        self.warnings: list[RowProblem] = []
        self.problems: list[RowProblem] = []
        self.accepted = RowRuns()
        # what a cell reads as, by value spec and cell text: tables repeat their values
        # (names, dates of birth, places), and reading one is the same every time
        self._memo: dict[tuple[int, Callable[[str, ValueSpec], _Read]], dict[str, _Read]] = {}
        # each entity's named properties (date of birth, nationality, address, the rest)
        self._named: dict[str, list[tuple[str, ValueSpec]]] = {
            key: [
                (prop, pspec)
                for prop, pspec in (
                    ("birthDate", spec.dob),
                    ("nationality", spec.nationality),
                    ("address", spec.address),
                    *spec.properties.items(),
                )
                if pspec is not None
            ]
            for key, spec in mapping.entities.items()
        }

    # -- one row ---------------------------------------------------------------------
    def feed(self, row: Row) -> Batch:
        """What ``row`` states; warnings go to :attr:`warnings`; raises :class:`RowRefused`."""
        facts = self._facts(row)
        missing = [e for e in facts.entities.values() if e.name is None and e.document is not None]
        if missing and any(e.document not in self.known_documents for e in missing):
            self.deferred.append(facts)
            return Batch()
        return self._emit(facts)

    def _warn(self, row: Row, reason: str) -> None:
        self.warnings.append(RowProblem(self.path, row.number, reason, row.sheet, "warning"))

    def _cell(self, row: Row, spec: ValueSpec) -> str:
        if spec.value is not None:
            return spec.value
        return row.cells.get(spec.column or "", "")

    def _memoised(self, row: Row, spec: ValueSpec, read: Callable[[str, ValueSpec], _Read]) -> Any:
        """``read`` of the cell of ``spec`` in ``row``, once per distinct cell; its
        warnings are named with ``row`` every time."""
        raw = self._cell(row, spec)
        key = (id(spec), read)  # one memo per value and way of reading it
        memo = self._memo.get(key)
        if memo is None or len(memo) >= MEMO_CELLS:
            memo = self._memo[key] = {}
        found = memo.get(raw)
        if found is None:
            found = memo[raw] = read(raw, spec)
        value, warnings = found
        for w in warnings:
            self._warn(row, w)
        return list(value) if type(value) is list else value

    def _facts(self, row: Row) -> _RowFacts:
        m = self.mapping
        source_id = str(row.number) if row.sheet is None else f"{row.sheet}:{row.number}"
        if m.id is not None:
            raw = " ".join(self._cell(row, m.id).split())
            if raw:
                if raw in self.seen_ids:
                    raise RowRefused(
                        f"duplicate id '{raw[:60]}' (first at row {self.seen_ids[raw]})"
                    )
                self.seen_ids[raw] = row.number
                source_id = raw
        entities: dict[str, _Entity] = {}
        for key, spec in m.entities.items():
            entity = self._entity(row, spec)
            if entity is not None:
                entities[key] = entity
        if not entities:
            names = ", ".join(
                f"'{v.column}'" for s in m.entities.values() for v in s.name if v.column
            )
            raise RowRefused(f"no name in any mapped column ({names})")
        values: dict[str, Any] = {}
        for tie in m.ties:
            for vspec in (tie.detail, tie.date, tie.start, tie.end):
                if vspec is not None:
                    values[vspec.key] = self._typed(row, vspec)
        for group in m.together:
            shown = tuple(" ".join(self._cell(row, v).split()) for v in group.by)
            values[group.key] = tuple(v.casefold() for v in shown)
            values[group.key + ".shown"] = shown
            if group.detail is not None:
                values[group.detail.key] = self._typed(row, group.detail)
        for stay in m.overlaps:
            values[stay.start.key] = self._typed(row, stay.start)
            if stay.end is not None:
                values[stay.end.key] = self._typed(row, stay.end)
        return _RowFacts(row, source_id, entities, values)

    def _entity(self, row: Row, spec: EntitySpec) -> _Entity | None:
        given = None if spec.given is None else self._memoised(row, spec.given, _name_part)
        family = None if spec.family is None else self._memoised(row, spec.family, _name_part)
        parts = [self._cell(row, v).strip() for v in spec.name]
        raw_name = " ".join(p for p in parts if p) or " ".join(p for p in (given, family) if p)
        name = None
        if raw_name:
            try:
                name, warnings = clean_name(raw_name, what=f"{spec.key} name")
            except ValueError as exc:
                raise RowRefused(str(exc)) from None
            for w in warnings:
                self._warn(row, w)
        document = None
        if spec.document is not None:
            raw_doc = self._cell(row, spec.document).strip()
            if raw_doc:
                document = self._document_number(row, raw_doc)
        declared: dict[str, list[str]] = defaultdict(list)
        if document and spec.document_type:
            declared[spec.document_type].append(document)
        for kind, dspec in spec.documents.items():
            for raw in _splitter(dspec.split).split(self._cell(row, dspec)):
                number = self._document_number(row, raw.strip()) if raw.strip() else None
                if number and number not in declared[kind]:
                    declared[kind].append(number)
        if document is None:
            document = next((ns[0] for ns in declared.values() if ns), None)
        if name is None and document is None:
            return None
        entity = _Entity(spec, name, document=document, given=given, family=family)
        for kind, numbers in declared.items():
            if len(numbers) == 1:
                entity.documents[kind] = numbers[0]
                entity.properties[kind] = numbers[0]
            elif numbers:
                # a contradiction in the row itself: kept as evidence, named, not a constraint
                entity.properties[kind] = numbers
                self._warn(
                    row,
                    f"two {kind.replace('_', ' ')} numbers in one row ({', '.join(numbers)}): "
                    "both kept; neither decides who this row is",
                )
        for v in spec.aliases:
            for alias in _splitter(v.split).split(self._cell(row, v)):
                if not alias.strip():
                    continue
                try:
                    clean, warnings = clean_name(alias, what=f"{spec.key} alias")
                except ValueError as exc:
                    self._warn(row, f"{exc} (left out)")
                    continue
                for w in warnings:
                    self._warn(row, w)
                if clean != name and clean not in entity.aliases:
                    entity.aliases.append(clean)
        for v in spec.phones:
            for raw in _splitter(v.split).split(self._cell(row, v)):
                if not raw.strip():
                    continue
                try:
                    number = normalise_phone(raw, country_code=self.mapping.source.country_code)
                except ValueError as exc:
                    self._warn(row, f"{exc} (left out)")
                    continue
                if number not in entity.phones:
                    entity.phones.append(number)
        for prop, pspec in self._named[spec.key]:
            value = self._birth_date(row, pspec) if prop == "birthDate" else self._typed(row, pspec)
            if value not in (None, "", []):
                entity.properties[prop] = value
        if entity.phones:
            entity.properties["phone"] = list(entity.phones)
        if document:
            entity.properties["idNumber"] = document
        if spec.age is not None:
            self._check_age(row, spec, entity)
        return entity

    def _document_number(self, row: Row, raw: str) -> str | None:
        number = _DOC_CHARS.sub("", raw).upper()
        if len(number) < 4 or len(number) > 40:
            self._warn(row, f"identity document '{raw[:60]}' is not a document number (left out)")
            return None
        return number

    def _check_age(self, row: Row, spec: EntitySpec, entity: _Entity) -> None:
        """Keep the row's stated age; name a date of birth it contradicts (both kept)."""
        assert spec.age is not None
        age = self._typed(row, spec.age)
        if age is None:
            return
        entity.properties["age"] = age
        dob = entity.properties.get("birthDate")
        on = self._typed(row, spec.age_on) if spec.age_on is not None else None
        if not isinstance(dob, str) or len(dob) != 10 or (on is not None and len(str(on)) < 10):
            return
        when = dt.date.fromisoformat(str(on)[:10]) if on else dt.date.today()
        born = dt.date.fromisoformat(dob)
        years = when.year - born.year - ((when.month, when.day) < (born.month, born.day))
        if abs(years - float(age)) > 1:
            self._warn(
                row,
                f"date of birth {dob} makes the person {years} on {when.isoformat()}, "
                f"the row says age {age:g}: both kept",
            )

    def _birth_date(self, row: Row, spec: ValueSpec) -> str | None:
        """A date of birth (not after today); a bad one is warned about and None."""
        value: str | None = self._memoised(row, spec, self._read_birth_date)
        return value

    def _read_birth_date(self, raw: str, spec: ValueSpec) -> _Read:
        if not raw.strip():
            return None, ()
        try:
            return parse_birth_date(
                raw, date_order=self.mapping.source.date_order, fmt=spec.format
            ), ()
        except ValueError as exc:
            where = f"{spec.key} ('{spec.column}')" if spec.column else spec.key
            return None, (f"{where}: {exc} (left out)",)

    def _typed(self, row: Row, spec: ValueSpec) -> Any:
        """The value of ``spec`` in ``row`` in its type; a bad one is warned about and None."""
        return self._memoised(row, spec, self._read_typed)

    def _read_typed(self, raw: str, spec: ValueSpec) -> _Read:
        """:meth:`_typed` of the cell text ``raw``: the value and the warnings."""
        if not raw.strip():
            return None, ()
        where = f"{spec.key} ('{spec.column}')" if spec.column else spec.key
        order = self.mapping.source.date_order
        try:
            if spec.type == "date":
                try:
                    return parse_date(raw, date_order=order, fmt=spec.format), ()
                except ValueError:
                    if spec.format:
                        raise
                    try:  # a date with its time ("02/10/2024 23:10") is a date too
                        when = parse_datetime(raw, date_order=order)
                    except ValueError:
                        pass
                    else:
                        return when.isoformat(sep=" ", timespec="minutes"), ()
                    raise
            if spec.type == "datetime":
                return parse_datetime(raw, date_order=order, fmt=spec.format).isoformat(), ()
            if spec.type == "number":
                return _number(raw), ()
            if spec.type == "phone":
                return normalise_phone(raw, country_code=self.mapping.source.country_code), ()
            if spec.type == "list":
                items = [clean_text(p, what=where)[0] for p in _splitter(spec.split).split(raw)]
                return [i for i in items if i], ()
            value, warnings = clean_text(raw, what=where)
        except ValueError as exc:
            return None, (f"{where}: {exc} (left out)",)
        if spec.values and value.casefold() not in spec.values:
            allowed = ", ".join(spec.values)
            return None, (*warnings, f"{where}: '{value[:60]}' is not one of {allowed} (left out)")
        return value, tuple(warnings)

    # -- what a row produces ----------------------------------------------------------------
    def _evidence(
        self, row: Row, confidence: float, facts: tuple[tuple[str, Any], ...] = ()
    ) -> Evidence:
        start, end, quote = 0, 0, ""
        if row.span is not None and row.text is not None:
            start, end = row.span
            quote = row.text
        return Evidence(
            self.document,
            start,
            end,
            quote,
            EXTRACTOR,
            confidence,
            row=row.number,
            sheet=row.sheet,
            facts=facts,
        )

    def _span(self, row: Row, name: str) -> tuple[int, int]:
        """Where ``name`` is written in the row's text: its cell, else the whole row."""
        if row.span is None or row.text is None:
            return 0, 0
        at = row.text.find(name)
        start = row.span[0]
        return (start + at, start + at + len(name)) if at != -1 else row.span

    def _emit(self, facts: _RowFacts) -> Batch:
        row = facts.row
        out = Batch()
        mentions: dict[str, Mention] = {}
        for key, entity in facts.entities.items():
            name = entity.name
            if name is None and entity.document is not None:
                name = self.known_documents.get(entity.document)
                if name is None and not entity.spec.record:
                    continue
                # a mapping that makes every row a record keeps the row: the person has no
                # name here, only the identity document (and whatever else the row holds)
                name = name or unnamed(entity.document)
            assert name is not None
            if entity.document and entity.name:
                self.known_documents.setdefault(entity.document, entity.name)
            start, end = self._span(row, name)
            attrs: dict[str, Any] = {"row": row.number, "record": facts.source_id, "entity": key}
            if row.sheet is not None:
                attrs["sheet"] = row.sheet
            if entity.properties:
                attrs["properties"] = entity.properties
            if entity.name is None:
                attrs["named_by_document"] = entity.document
            if entity.documents:
                attrs["documents"] = dict(entity.documents)
            if entity.document and entity.spec.document_links:
                attrs["document_links"] = True
            mention = Mention(
                id=content_id("m", self.document, row.sheet or "", row.number, key),
                document=self.document,
                start=start,
                end=end,
                text=name,
                label=entity.spec.label,
                extractor=EXTRACTOR,
                confidence=RECORD_CONFIDENCE,
                key=name,
                segment="record",
                attrs=attrs,
            )
            mentions[key] = mention
            out.mentions.append(mention)
            alias_ids = []
            for n, alias in enumerate(entity.aliases):
                a_start, a_end = self._span(row, alias)
                alias_mention = Mention(
                    id=content_id("m", self.document, row.sheet or "", row.number, key, "alias", n),
                    document=self.document,
                    start=a_start,
                    end=a_end,
                    text=alias,
                    label=entity.spec.label,
                    extractor=EXTRACTOR,
                    confidence=RECORD_CONFIDENCE,
                    key=alias,
                    segment="record",
                    attrs={**{k: v for k, v in attrs.items() if k != "properties"}, "alias": True},
                )
                out.mentions.append(alias_mention)
                alias_ids.append(alias_mention.id)
                out.assertions.append(
                    Assertion(
                        content_id("a", self.document, alias_mention.id, "alias"),
                        self.document,
                        "alias",
                        "alias",
                        mention.id,
                        alias_mention.id,
                        "strong",
                        self._evidence(row, RECORD_CONFIDENCE),
                    )
                )
            if entity.spec.makes_record and (entity.name is not None or entity.spec.record):
                # a row that names its person only by a document is no record of that name,
                # unless the mapping makes every row a record (its other values are its own)
                out.records.append(self._record(facts, key, entity, name, mention, alias_ids))
            for number in entity.phones:
                out.owners.append(
                    PhoneOwner(number, mention.id, name, self.document, row.number, row.sheet)
                )
        self._ties(facts, mentions, out)
        self._remember(facts, mentions)
        return out

    def _record(
        self,
        facts: _RowFacts,
        key: str,
        entity: _Entity,
        name: str,
        mention: Mention,
        alias_ids: list[str],
    ) -> PersonRecord:
        props = entity.properties
        dob = props.get("birthDate")
        return PersonRecord(
            id=content_id("r", self.document, facts.row.sheet or "", facts.row.number, key),
            document=self.document,
            row=facts.row.number,
            source_id=facts.source_id,
            name=name,
            mention=mention.id,
            given=entity.given,
            family=entity.family,
            aliases=tuple(entity.aliases),
            alias_mentions=tuple(alias_ids),
            dob=dob if isinstance(dob, str) else None,
            nationality=props.get("nationality"),
            address=props.get("address"),
            phone=entity.phones[0] if entity.phones else None,
            doc_number=entity.document,
            documents=tuple(sorted(entity.documents.items())),
        )

    def _ties(self, facts: _RowFacts, mentions: dict[str, Mention], out: Batch) -> None:
        row = facts.row
        for tie in self.mapping.ties:
            a, b = mentions.get(tie.source), mentions.get(tie.target)
            if a is None or b is None:
                continue
            detail = facts.values.get(tie.detail.key) if tie.detail else None
            found: list[tuple[str, Any]] = []
            for label, spec in (("date", tie.date), ("from", tie.start), ("to", tie.end)):
                if spec is not None and facts.values.get(spec.key):
                    found.append((label, facts.values[spec.key]))
            out.assertions.append(
                Assertion(
                    content_id("a", self.document, row.sheet or "", row.number, tie.key),
                    self.document,
                    "tie",
                    tie.type,
                    a.id,
                    b.id,
                    str(detail) if detail else _dated(found),
                    self._evidence(row, tie.confidence, tuple(found)),
                )
            )

    def _remember(self, facts: _RowFacts, mentions: dict[str, Mention]) -> None:
        """Keep what ``together`` and ``overlaps`` need from this row (a few ids and dates)."""
        row = facts.row
        for group in self.mapping.together:
            m = mentions.get(group.entity)
            key = facts.values.get(group.key)
            if m is None or not key or not all(key):
                continue
            self.groups[(group.key, key)].append(
                _Member(m.id, m.text, row.number, row.sheet, row.span, row.text)
            )
            self.group_shown.setdefault((group.key, key), facts.values[group.key + ".shown"])
        for stay in self.mapping.overlaps:
            m, place = mentions.get(stay.entity), mentions.get(stay.place)
            if m is None or place is None:
                continue
            start = facts.values.get(stay.start.key)
            end = facts.values.get(stay.end.key) if stay.end else None
            if not start:
                self._warn(
                    row, f"{stay.key}: no start date, so no overlap can be read from this row"
                )
                continue
            if end and str(end) < str(start):
                self._warn(
                    row, f"{stay.key}: ends ({end}) before it starts ({start}); not compared"
                )
                continue
            place_key = (stay.key, fold(place.text))
            self.place_names.setdefault(place_key, place.text)
            self.stays[place_key].append(
                _Member(
                    m.id,
                    m.text,
                    row.number,
                    row.sheet,
                    row.span,
                    row.text,
                    str(start),
                    str(end) if end else None,
                )
            )

    # -- after the last row ---------------------------------------------------------------
    def finish(self) -> Batch:
        """Rows named by an identity document only, ``together`` and ``overlaps`` ties."""
        out = Batch()
        for facts in self.deferred:
            unknown = [
                e.document
                for e in facts.entities.values()
                if e.name is None and e.document not in self.known_documents
            ]
            kept = any(e.name is None and e.spec.record for e in facts.entities.values())
            for number in unknown:
                self.problems.append(
                    RowProblem(
                        self.path,
                        facts.row.number,
                        f"identity document {number} names nobody in this file or the workspace "
                        + (
                            "(kept as a record without a name: its other values may still link it)"
                            if kept
                            else "(add the holder's name, or import the records that name "
                            "them first)"
                        ),
                        facts.row.sheet,
                        "warning",
                    )
                )
            out.extend(self._emit(facts))
        self.deferred.clear()
        for spec in self.mapping.together:
            for (gkey, values), members in self.groups.items():
                if gkey == spec.key:
                    shown = self.group_shown.get((gkey, values), values)
                    self._pairs(
                        spec.type, spec.confidence, members, f"together: {', '.join(shown)}", out
                    )
        for ospec in self.mapping.overlaps:
            for (skey, place), members in self.stays.items():
                if skey == ospec.key:
                    self._overlaps(
                        ospec.type, ospec.confidence, self.place_names[(skey, place)], members, out
                    )
        return out

    def _row_evidence(
        self, m: _Member, confidence: float, facts: tuple[tuple[str, Any], ...] = ()
    ) -> Evidence:
        return self._evidence(Row(m.row, {}, m.sheet, m.span, m.quote), confidence, facts)

    def _tie_from_both_rows(
        self,
        out: Batch,
        type_: str,
        a: _Member,
        b: _Member,
        detail: str,
        confidence: float,
        facts: tuple[tuple[str, Any], ...] = (),
    ) -> None:
        """A tie between ``a`` and ``b``, stated once by each one's row."""
        for m in (a, b):
            aid = content_id("a", self.document, type_, a.mention, b.mention, m.sheet or "", m.row)
            evidence = self._row_evidence(m, confidence, facts)
            out.assertions.append(
                Assertion(aid, self.document, "tie", type_, a.mention, b.mention, detail, evidence)
            )

    def _pairs(
        self, type_: str, confidence: float, members: list[_Member], detail: str, out: Batch
    ) -> None:
        if len({fold(m.name) for m in members}) < 2:
            return
        if len(members) > MAX_GROUP:
            first = members[0]
            self.problems.append(
                RowProblem(
                    self.path,
                    first.row,
                    f"{len(members)} rows share '{detail}': too many to tie pairwise (a placeholder value?)",
                    first.sheet,
                    "warning",
                )
            )
            return
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if fold(a.name) == fold(b.name):
                    continue
                # the occasion is a fact: the analysis counts distinct occasions as the tie's volume
                self._tie_from_both_rows(
                    out, type_, a, b, detail, confidence, (("together", detail),)
                )

    def _overlaps(
        self, type_: str, confidence: float, place: str, members: list[_Member], out: Batch
    ) -> None:
        if len(members) > MAX_GROUP * 4:
            first = members[0]
            self.problems.append(
                RowProblem(
                    self.path,
                    first.row,
                    f"{len(members)} stays at '{place}': too many to compare pairwise",
                    first.sheet,
                    "warning",
                )
            )
            return
        ordered = sorted(members, key=lambda m: m.start or "")
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if (b.start or "") > (a.end or "9999"):
                    break  # sorted by start: every later stay begins after ``a`` ended
                if fold(a.name) == fold(b.name):
                    continue
                start = max(a.start or "", b.start or "")
                end = min(a.end or "9999", b.end or "9999")
                if start > end:
                    continue
                until = end if end != "9999" else "(no end given)"
                facts = (
                    ("place", place),
                    ("from", start),
                    ("to", until if end != "9999" else None),
                )
                detail = f"both at {place} from {start} to {until}"
                known = tuple(f for f in facts if f[1] is not None)
                self._tie_from_both_rows(out, type_, a, b, detail, confidence, known)


def _name_part(raw: str, part: ValueSpec) -> _Read:
    """A given or family name cell, cleaned; a cell that is no name part is left out."""
    raw = raw.strip()
    if not raw:
        return None, ()
    try:
        value, warnings = clean_name(raw, what=f"{part.key}")
    except ValueError as exc:
        return None, (f"{exc} (left out)",)
    return value, tuple(warnings)


class RowRefused(ValueError):
    """A row left out of the import; the message says why (the caller adds file and row).

    Control flow, never leaves this module: the row loop catches it and records a row
    problem (allow-listed in ``tests/test_errors.py``)."""


def _number(raw: str) -> int | float:
    v = raw.strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"-?\d+,\d+", v):
        v = v.replace(",", ".")
    try:
        f = float(v)
    except ValueError:
        raise ValueReadError(f"'{raw}' is not a number") from None
    if f != f or f in (float("inf"), float("-inf")):
        raise ValueReadError(f"'{raw}' is not a number")
    return int(f) if f.is_integer() and abs(f) < 2**53 else f


def _dated(found: list[tuple[str, Any]]) -> str:
    return ", ".join(f"{label} {value}" for label, value in found)


def iter_batches(
    reader: MappedReader, rows: Iterator[Row | RowProblem], size: int = BATCH_ITEMS
) -> Iterator[Batch]:
    """Feed ``rows`` to ``reader`` and yield what they produce in batches of about
    ``size`` items (refused rows go to ``reader.problems``), then :meth:`finish`."""
    batch = Batch()
    for item in rows:
        if isinstance(item, RowProblem):
            (reader.warnings if item.level == "warning" else reader.problems).append(item)
            continue
        try:
            batch.extend(reader.feed(item))
        except RowRefused as exc:
            reader.problems.append(RowProblem(reader.path, item.number, str(exc), item.sheet))
            continue
        reader.accepted.add(item.sheet, item.number)
        if len(batch) >= size:
            yield batch
            batch = Batch()
    batch.extend(reader.finish())
    if len(batch):
        yield batch
