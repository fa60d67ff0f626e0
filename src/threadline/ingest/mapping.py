"""Declarative mappings: which columns of a record file make which people, groups,
places, events, phone numbers, identity documents and ties.

A mapping is a small YAML file, versioned (``version: 1``), in the spirit of
FollowTheMoney's mappings. Example (membership forms)::

    version: 1
    name: membership forms
    id: form_no
    entities:
      member:
        schema: Person
        name: full_name
        aliases: kunya
        dob: birth_date
        nationality: nationality
        properties:
          education: education
          skills: {column: skills, type: list}
          status: {column: status, values: [alive, dead, unknown]}
      recruiter:
        schema: Person
        name: recruiter
    ties:
      - {type: recruited_by, source: member, target: recruiter}

:func:`load_mapping` reads and checks one; every problem is a
:class:`MappingError` naming the mapping file and the key (``entities.member.nmae:
unknown key; did you mean 'name'?``). :func:`check_columns` checks a mapping
against a file's header before any row is read. The reference is
``docs/sources.md``.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from threadline.errors import InputError
from threadline.errors import MappingError as MappingError  # defined in errors.py; re-exported
from threadline.ingest.values import check_country_code
from threadline.model.vocabulary import TIE_TYPES

#: The mapping format version this threadline reads.
MAPPING_VERSION = 1
#: Mapping files over this many bytes are refused (a mapping is a page of YAML).
MAX_MAPPING_BYTES = 256 * 1024
#: Record file formats, and the suffixes that imply them.
FORMATS = ("csv", "tsv", "json", "jsonl", "xlsx")
SUFFIX_FORMATS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}
#: Entity schemata a mapping can make (FollowTheMoney names) and the mention label of each.
SCHEMA_LABELS = {"Person": "PERSON", "Organization": "ORG", "Address": "PLACE", "Event": "EVENT"}
#: Value types of a property.
VALUE_TYPES = ("text", "date", "datetime", "number", "list", "phone")
DATE_ORDERS = ("dmy", "mdy", "ymd")
#: Identity document types a mapping can declare (``document_type``, ``documents``):
#: two different numbers of one declared type are never one person's.
DOCUMENT_TYPES = (
    "passport",
    "national_id",
    "residence_permit",
    "driving_licence",
    "visa",
    "social_security",
    "tax_id",
    "voter_id",
)


@dataclass(frozen=True)
class ValueSpec:
    """Where a value comes from: a column (``column``) or a constant (``value``)."""

    key: str
    column: str | None = None
    value: str | None = None
    type: str = "text"
    format: str | None = None
    split: str = ";|"
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntitySpec:
    """One entity a row makes. ``name`` columns are joined with a space (given + family)."""

    key: str
    schema: str
    name: tuple[ValueSpec, ...]
    aliases: tuple[ValueSpec, ...] = ()
    phones: tuple[ValueSpec, ...] = ()
    document: ValueSpec | None = None
    dob: ValueSpec | None = None
    nationality: ValueSpec | None = None
    address: ValueSpec | None = None
    properties: dict[str, ValueSpec] = field(default_factory=dict)
    record: bool | None = None
    #: the declared type of ``document`` (one of :data:`DOCUMENT_TYPES`), if any
    document_type: str | None = None
    #: more identity documents, by declared type
    documents: dict[str, ValueSpec] = field(default_factory=dict)
    #: the person's age as the row states it, and the date it was stated on
    age: ValueSpec | None = None
    age_on: ValueSpec | None = None
    #: given name(s) and family name in columns of their own (the name, if not mapped,
    #: is the two joined); kept apart on the person record, so linkage compares each
    given: ValueSpec | None = None
    family: ValueSpec | None = None
    #: an undeclared ``document`` links two records that carry its number (as a
    #: declared one does) without keeping two numbers apart (``records import``'s ``doc``)
    document_links: bool = False

    @property
    def label(self) -> str:
        return SCHEMA_LABELS[self.schema]

    @property
    def makes_record(self) -> bool:
        """Whether each row's entity is a person record (linked with Splink, checked for
        shared identity documents): when asked, else when an identity attribute is mapped."""
        if self.schema != "Person":
            return False
        if self.record is not None:
            return self.record
        return any(
            (self.document, self.documents, self.dob, self.nationality, self.address, self.phones)
        )


@dataclass(frozen=True)
class TieSpec:
    key: str
    type: str
    source: str
    target: str
    detail: ValueSpec | None = None
    date: ValueSpec | None = None
    start: ValueSpec | None = None
    end: ValueSpec | None = None
    confidence: float = 0.9


@dataclass(frozen=True)
class TogetherSpec:
    """Entities of rows that agree on every ``by`` column were together (one car, one
    crossing): a tie between each pair."""

    key: str
    type: str
    entity: str
    by: tuple[ValueSpec, ...]
    detail: ValueSpec | None = None
    confidence: float = 0.9


@dataclass(frozen=True)
class OverlapSpec:
    """Entities of rows at one ``place`` whose periods (``start`` to ``end``) overlap."""

    key: str
    type: str
    entity: str
    place: str
    start: ValueSpec
    end: ValueSpec | None = None
    confidence: float = 0.85


@dataclass(frozen=True)
class CallSpec:
    """A call detail record: who called whom, when, for how long."""

    caller: ValueSpec
    callee: ValueSpec
    start: ValueSpec
    duration: ValueSpec | None = None
    caller_name: ValueSpec | None = None
    callee_name: ValueSpec | None = None


@dataclass(frozen=True)
class SourceOptions:
    format: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    records: str | None = None
    header_row: int = 1
    date_order: str = "dmy"
    country_code: str | None = None


@dataclass(frozen=True)
class Mapping:
    """A checked mapping. ``text`` and ``sha256`` are the file as read (stored with every
    record file it reads, so a reading can be repeated)."""

    path: str
    name: str
    text: str
    sha256: str
    source: SourceOptions
    id: ValueSpec | None = None
    entities: dict[str, EntitySpec] = field(default_factory=dict)
    ties: tuple[TieSpec, ...] = ()
    together: tuple[TogetherSpec, ...] = ()
    overlaps: tuple[OverlapSpec, ...] = ()
    calls: CallSpec | None = None

    def format_for(self, path: str | Path) -> str:
        """The record format of ``path``: the mapping's, else the file suffix's."""
        if self.source.format:
            return self.source.format
        suffix = Path(path).suffix.lower()
        if suffix not in SUFFIX_FORMATS:
            raise MappingError(
                self.path,
                "source.format",
                f"cannot tell the format of '{Path(path).name}' from its suffix: "
                f"set source.format to one of {', '.join(FORMATS)}",
            )
        return SUFFIX_FORMATS[suffix]

    def value_specs(self) -> Iterator[ValueSpec]:
        """Every value the mapping reads, with its key (for messages)."""
        if self.id:
            yield self.id
        for e in self.entities.values():
            yield from e.name
            yield from e.aliases
            yield from e.phones
            for v in (
                e.document, e.dob, e.nationality, e.address, e.age, e.age_on, e.given, e.family
            ):  # fmt: skip
                if v is not None:
                    yield v
            yield from e.documents.values()
            yield from e.properties.values()
        for t in self.ties:
            for v in (t.detail, t.date, t.start, t.end):
                if v is not None:
                    yield v
        for g in self.together:
            yield from g.by
            if g.detail is not None:
                yield g.detail
        for o in self.overlaps:
            yield o.start
            if o.end is not None:
                yield o.end
        if self.calls:
            c = self.calls
            for v in (c.caller, c.callee, c.start, c.duration, c.caller_name, c.callee_name):
                if v is not None:
                    yield v

    def columns(self) -> dict[str, str]:
        """Column -> the first mapping key that reads it."""
        out: dict[str, str] = {}
        for v in self.value_specs():
            if v.column is not None:
                out.setdefault(v.column, v.key)
        return out


def check_columns(
    mapping: Mapping, header: list[str], *, path: str, sheet: str | None = None
) -> None:
    """Refuse a file whose header lacks a column the mapping reads (before any row is read).

    The message names the file (and sheet), the column, the mapping key and the
    header, and suggests a delimiter when the header looks like one unsplit line.
    """
    present = set(header)
    for column, key in mapping.columns().items():
        if column in present:
            continue
        where = f"sheet '{sheet}': " if sheet else ""
        close = difflib.get_close_matches(column, header, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        if len(header) == 1:
            for d in (",", ";", "\t", "|"):
                if d in header[0]:
                    hint = f"; the header is one cell: is the delimiter {d!r}?"
                    break
        shown = ", ".join(repr(h) for h in header[:30]) + (" ..." if len(header) > 30 else "")
        raise InputError(
            path,
            f"{where}no column '{column}' (read by {Path(mapping.path).name}, key {key}); "
            f"the header has: {shown}{hint}",
        )


# -- loading and checking -----------------------------------------------------------


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML without anchors and aliases: a mapping has no need of them, and they
    are how a few lines of YAML expand to gigabytes."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = yaml.parser.Parser.peek_event(self)
            raise yaml.constructor.ConstructorError(
                None, None, "aliases (*name) are not allowed in a mapping", event.start_mark
            )
        return super().compose_node(parent, index)


def load_mapping(path: str | Path) -> Mapping:
    """Read and check the mapping at ``path``; :class:`MappingError` says what is wrong."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise MappingError(str(p), "", f"cannot read: {exc.strerror or exc}") from exc
    return parse_mapping(data, path=str(p))


def parse_mapping(data: bytes | str, *, path: str = "mapping") -> Mapping:
    """Check a mapping given as YAML text (``path`` names it in messages)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_MAPPING_BYTES:
        raise MappingError(path, "", f"over {MAX_MAPPING_BYTES // 1024} KB: not a mapping")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MappingError(path, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    try:
        doc = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise MappingError(path, "", f"not valid YAML{where}: {problem}") from exc
    if not isinstance(doc, dict):
        raise MappingError(path, "", "must be a YAML mapping of keys (version, entities, ...)")
    checker = _Checker(path)
    return checker.mapping(doc, text, hashlib.sha256(raw).hexdigest())


_TOP_KEYS = (
    "version",
    "name",
    "description",
    "source",
    "id",
    "entities",
    "ties",
    "together",
    "overlaps",
    "calls",
)
_SOURCE_KEYS = (
    "format",
    "delimiter",
    "encoding",
    "sheet",
    "records",
    "header_row",
    "date_order",
    "country_code",
)
_ENTITY_KEYS = (
    "schema",
    "name",
    "aliases",
    "phone",
    "document",
    "dob",
    "nationality",
    "address",
    "properties",
    "record",
    "document_type",
    "documents",
    "age",
    "age_on",
    "given",
    "family",
    "document_links",
)
_VALUE_KEYS = ("column", "value", "type", "format", "split", "values")
_TIE_KEYS = ("type", "source", "target", "detail", "date", "start", "end", "confidence")
_TOGETHER_KEYS = ("type", "entity", "by", "detail", "confidence")
_OVERLAP_KEYS = ("type", "entity", "place", "start", "end", "confidence")
_CALL_KEYS = ("caller", "callee", "start", "duration", "caller_name", "callee_name")


class _Checker:
    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, key: str, reason: str) -> MappingError:
        return MappingError(self.path, key, reason)

    def keys(self, node: Any, allowed: tuple[str, ...], key: str) -> dict[str, Any]:
        if not isinstance(node, dict):
            raise self.fail(key, f"expected keys ({', '.join(allowed)}), got {_kind(node)}")
        for k in node:
            if not isinstance(k, str) or k not in allowed:
                close = difflib.get_close_matches(str(k), allowed, n=1)
                hint = (
                    f"; did you mean '{close[0]}'?" if close else f"; allowed: {', '.join(allowed)}"
                )
                raise self.fail(_join(key, str(k)), f"unknown key{hint}")
        return node

    def text(self, node: Any, key: str) -> str:
        if isinstance(node, bool) or not isinstance(node, str | int | float):
            raise self.fail(key, f"expected text, got {_kind(node)}")
        value = str(node).strip()
        if not value:
            raise self.fail(key, "is empty")
        return value

    def mapping(self, doc: dict[str, Any], text: str, sha: str) -> Mapping:
        self.keys(doc, _TOP_KEYS, "")
        if "version" not in doc:
            raise self.fail(
                "version", f"missing: a mapping starts with 'version: {MAPPING_VERSION}'"
            )
        version = doc["version"]
        if version != MAPPING_VERSION:
            raise self.fail(
                "version",
                f"{version!r} is not a mapping version this threadline reads ({MAPPING_VERSION})",
            )
        name = self.text(doc["name"], "name") if "name" in doc else Path(self.path).stem
        if "description" in doc:
            self.text(doc["description"], "description")
        source = self.source(doc.get("source", {}))
        id_spec = self.value(doc["id"], "id") if "id" in doc else None
        entities: dict[str, EntitySpec] = {}
        raw_entities = doc.get("entities", {})
        if not isinstance(raw_entities, dict):
            raise self.fail(
                "entities", f"expected entity keys (member: ...), got {_kind(raw_entities)}"
            )
        for k, node in raw_entities.items():
            ekey = self.text(k, "entities")
            entities[ekey] = self.entity(node, f"entities.{ekey}", ekey)
        ties = tuple(
            self.tie(n, f"ties[{i}]", entities) for i, n in enumerate(self.listed(doc, "ties"))
        )
        together = tuple(
            self.together(n, f"together[{i}]", entities)
            for i, n in enumerate(self.listed(doc, "together"))
        )
        overlaps = tuple(
            self.overlap(n, f"overlaps[{i}]", entities)
            for i, n in enumerate(self.listed(doc, "overlaps"))
        )
        calls = self.calls(doc["calls"]) if "calls" in doc else None
        if calls and (entities or ties or together or overlaps):
            raise self.fail(
                "calls",
                "a call mapping reads calls only: map subscribers (number -> person) in a "
                "mapping of their own",
            )
        if not calls and not entities:
            raise self.fail("entities", "missing: map at least one entity (or 'calls')")
        return Mapping(
            path=self.path,
            name=name,
            text=text,
            sha256=sha,
            source=source,
            id=id_spec,
            entities=entities,
            ties=ties,
            together=together,
            overlaps=overlaps,
            calls=calls,
        )

    def listed(self, doc: dict[str, Any], key: str) -> list[Any]:
        node = doc.get(key, [])
        if not isinstance(node, list):
            raise self.fail(key, f"expected a list (- type: ...), got {_kind(node)}")
        return node

    def source(self, node: Any) -> SourceOptions:
        n = self.keys(node, _SOURCE_KEYS, "source")
        fmt = None
        if "format" in n:
            fmt = self.text(n["format"], "source.format").lower()
            if fmt not in FORMATS:
                raise self.fail("source.format", f"'{fmt}' is not one of {', '.join(FORMATS)}")
        delimiter = None
        if "delimiter" in n:
            delimiter = n["delimiter"]
            if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
                raise self.fail(
                    "source.delimiter", f"{delimiter!r} is not one character (e.g. ';')"
                )
        encoding = None
        if "encoding" in n:
            encoding = self.text(n["encoding"], "source.encoding")
            import codecs

            try:
                encoding = codecs.lookup(encoding).name
            except LookupError:
                raise self.fail(
                    "source.encoding", f"'{encoding}' is no known text encoding"
                ) from None
        header_row = n.get("header_row", 1)
        if (
            isinstance(header_row, bool)
            or not isinstance(header_row, int)
            or not 1 <= header_row <= 1000
        ):
            raise self.fail(
                "source.header_row", f"{header_row!r} is not a row number from 1 to 1000"
            )
        order = n.get("date_order", "dmy")
        if order not in DATE_ORDERS:
            raise self.fail(
                "source.date_order", f"{order!r} is not one of {', '.join(DATE_ORDERS)}"
            )
        cc = None
        if "country_code" in n:
            try:
                cc = check_country_code(self.text(n["country_code"], "source.country_code"))
            except ValueError as exc:
                raise self.fail("source.country_code", str(exc)) from None
        return SourceOptions(
            format=fmt,
            delimiter=delimiter,
            encoding=encoding,
            sheet=self.text(n["sheet"], "source.sheet") if "sheet" in n else None,
            records=self.text(n["records"], "source.records") if "records" in n else None,
            header_row=header_row,
            date_order=order,
            country_code=cc,
        )

    def value(self, node: Any, key: str, *, type_: str = "text") -> ValueSpec:
        """A column name, or ``{column|value, type, format, split, values}``."""
        if not isinstance(node, dict):
            return ValueSpec(key, column=self.text(node, key), type=type_)
        n = self.keys(node, _VALUE_KEYS, key)
        if ("column" in n) == ("value" in n):
            raise self.fail(
                key, "give exactly one of 'column' (read from the file) or 'value' (a constant)"
            )
        vtype = n.get("type", type_)
        if vtype not in VALUE_TYPES:
            raise self.fail(_join(key, "type"), f"{vtype!r} is not one of {', '.join(VALUE_TYPES)}")
        values: tuple[str, ...] = ()
        if "values" in n:
            if not isinstance(n["values"], list) or not n["values"]:
                raise self.fail(_join(key, "values"), "expected a list of allowed values")
            values = tuple(self.text(v, _join(key, "values")).casefold() for v in n["values"])
        split = ";|"
        if "split" in n:
            split = n["split"]
            if not isinstance(split, str) or not split:
                raise self.fail(_join(key, "split"), "expected the separator characters (e.g. ';')")
        fmt = None
        if "format" in n:
            fmt = self.text(n["format"], _join(key, "format"))
            if vtype not in ("date", "datetime"):
                raise self.fail(
                    _join(key, "format"), "a format is for dates and times (type: date)"
                )
            if "%" not in fmt:
                raise self.fail(_join(key, "format"), f"'{fmt}' has no %-codes (e.g. '%d/%m/%Y')")
        return ValueSpec(
            key,
            column=self.text(n["column"], _join(key, "column")) if "column" in n else None,
            value=self.text(n["value"], _join(key, "value")) if "value" in n else None,
            type=vtype,
            format=fmt,
            split=split,
            values=values,
        )

    def values(self, node: Any, key: str, *, type_: str = "text") -> tuple[ValueSpec, ...]:
        items = node if isinstance(node, list) else [node]
        if not items:
            raise self.fail(key, "is an empty list")
        return tuple(
            self.value(v, f"{key}[{i}]" if isinstance(node, list) else key, type_=type_)
            for i, v in enumerate(items)
        )

    def entity(self, node: Any, key: str, ekey: str) -> EntitySpec:
        n = self.keys(node, _ENTITY_KEYS, key)
        if "schema" not in n:
            raise self.fail(_join(key, "schema"), f"missing: one of {', '.join(SCHEMA_LABELS)}")
        schema = self.text(n["schema"], _join(key, "schema"))
        if schema not in SCHEMA_LABELS:
            close = difflib.get_close_matches(schema, SCHEMA_LABELS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise self.fail(
                _join(key, "schema"), f"'{schema}' is not one of {', '.join(SCHEMA_LABELS)}{hint}"
            )
        split_name = "given" in n or "family" in n
        if "name" not in n and not (schema == "Person" and ("document" in n or split_name)):
            raise self.fail(_join(key, "name"), "missing: the column(s) holding the name")
        name = self.values(n["name"], _join(key, "name")) if "name" in n else ()
        props: dict[str, ValueSpec] = {}
        raw_props = n.get("properties", {})
        if not isinstance(raw_props, dict):
            raise self.fail(
                _join(key, "properties"), f"expected property: column pairs, got {_kind(raw_props)}"
            )
        for pk, pv in raw_props.items():
            pname = self.text(pk, _join(key, "properties"))
            props[pname] = self.value(pv, f"{key}.properties.{pname}")
        person_only = (
            "phone",
            "document",
            "dob",
            "nationality",
            "document_type",
            "documents",
            "age",
            "age_on",
            "given",
            "family",
            "document_links",
        )
        for k in person_only:
            if k in n and schema != "Person":
                raise self.fail(_join(key, k), f"only a Person has a {k} (this entity is {schema})")
        document_type = None
        if "document_type" in n:
            if "document" not in n:
                raise self.fail(
                    _join(key, "document_type"), "the type of 'document', which is missing"
                )
            document_type = self.document_type(n["document_type"], _join(key, "document_type"))
        documents: dict[str, ValueSpec] = {}
        raw_docs = n.get("documents", {})
        if not isinstance(raw_docs, dict):
            raise self.fail(
                _join(key, "documents"), f"expected type: column pairs, got {_kind(raw_docs)}"
            )
        for dk, dv in raw_docs.items():
            kind = self.document_type(dk, _join(key, "documents"))
            documents[kind] = self.value(dv, f"{key}.documents.{kind}")
        if "age_on" in n and "age" not in n:
            raise self.fail(_join(key, "age_on"), "the date of 'age', which is missing")
        record = n.get("record")
        if record is not None and not isinstance(record, bool):
            raise self.fail(_join(key, "record"), f"expected true or false, got {_kind(record)}")
        links = n.get("document_links", False)
        if not isinstance(links, bool):
            raise self.fail(
                _join(key, "document_links"), f"expected true or false, got {_kind(links)}"
            )
        if links and "document" not in n:
            raise self.fail(
                _join(key, "document_links"), "says how 'document' links: it is missing"
            )
        return EntitySpec(
            key=ekey,
            schema=schema,
            name=name,
            aliases=self.values(n["aliases"], _join(key, "aliases")) if "aliases" in n else (),
            phones=self.values(n["phone"], _join(key, "phone"), type_="phone")
            if "phone" in n
            else (),
            document=self.value(n["document"], _join(key, "document")) if "document" in n else None,
            dob=self.value(n["dob"], _join(key, "dob"), type_="date") if "dob" in n else None,
            nationality=self.value(n["nationality"], _join(key, "nationality"))
            if "nationality" in n
            else None,
            address=self.value(n["address"], _join(key, "address")) if "address" in n else None,
            properties=props,
            record=record,
            document_type=document_type,
            documents=documents,
            age=self.value(n["age"], _join(key, "age"), type_="number") if "age" in n else None,
            age_on=self.value(n["age_on"], _join(key, "age_on"), type_="date")
            if "age_on" in n
            else None,
            given=self.value(n["given"], _join(key, "given")) if "given" in n else None,
            family=self.value(n["family"], _join(key, "family")) if "family" in n else None,
            document_links=links,
        )

    def document_type(self, node: Any, key: str) -> str:
        kind = self.text(node, key)
        if kind not in DOCUMENT_TYPES:
            close = difflib.get_close_matches(kind, DOCUMENT_TYPES, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise self.fail(
                key, f"'{kind}' is not a document type ({', '.join(DOCUMENT_TYPES)}){hint}"
            )
        return kind

    def tie_type(self, node: Any, key: str, default: str | None = None) -> str:
        if node is None and default:
            return default
        t = self.text(node, key)
        if t not in TIE_TYPES:
            close = difflib.get_close_matches(t, TIE_TYPES, n=1)
            hint = (
                f"; did you mean '{close[0]}'?" if close else f"; use one of {', '.join(TIE_TYPES)}"
            )
            raise self.fail(key, f"'{t}' is not a tie type{hint}")
        return t

    def entity_ref(self, node: Any, key: str, entities: dict[str, EntitySpec]) -> str:
        ref = self.text(node, key)
        if ref not in entities:
            known = ", ".join(entities) or "none"
            raise self.fail(key, f"'{ref}' is not an entity of this mapping (entities: {known})")
        return ref

    def confidence(self, node: dict[str, Any], key: str, default: float) -> float:
        c = node.get("confidence", default)
        if isinstance(c, bool) or not isinstance(c, int | float) or not 0 < c <= 1:
            raise self.fail(
                _join(key, "confidence"), f"{c!r} is not a number above 0 and at most 1"
            )
        return float(c)

    def tie(self, node: Any, key: str, entities: dict[str, EntitySpec]) -> TieSpec:
        n = self.keys(node, _TIE_KEYS, key)
        for required in ("type", "source", "target"):
            if required not in n:
                raise self.fail(_join(key, required), "missing")
        tie = TieSpec(
            key=key,
            type=self.tie_type(n["type"], _join(key, "type")),
            source=self.entity_ref(n["source"], _join(key, "source"), entities),
            target=self.entity_ref(n["target"], _join(key, "target"), entities),
            detail=self.value(n["detail"], _join(key, "detail")) if "detail" in n else None,
            date=self.value(n["date"], _join(key, "date"), type_="date") if "date" in n else None,
            start=self.value(n["start"], _join(key, "start"), type_="date")
            if "start" in n
            else None,
            end=self.value(n["end"], _join(key, "end"), type_="date") if "end" in n else None,
            confidence=self.confidence(n, key, 0.9),
        )
        if tie.source == tie.target:
            raise self.fail(
                key, f"a tie from '{tie.source}' to itself: source and target must differ"
            )
        if tie.type in ("member_of", "leader_of") and entities[tie.target].schema != "Organization":
            raise self.fail(_join(key, "target"), f"{tie.type} needs an Organization as target")
        return tie

    def together(self, node: Any, key: str, entities: dict[str, EntitySpec]) -> TogetherSpec:
        n = self.keys(node, _TOGETHER_KEYS, key)
        for required in ("entity", "by"):
            if required not in n:
                raise self.fail(_join(key, required), "missing")
        return TogetherSpec(
            key=key,
            type=self.tie_type(n.get("type"), _join(key, "type"), "travelled_with"),
            entity=self.entity_ref(n["entity"], _join(key, "entity"), entities),
            by=self.values(n["by"], _join(key, "by")),
            detail=self.value(n["detail"], _join(key, "detail")) if "detail" in n else None,
            confidence=self.confidence(n, key, 0.9),
        )

    def overlap(self, node: Any, key: str, entities: dict[str, EntitySpec]) -> OverlapSpec:
        n = self.keys(node, _OVERLAP_KEYS, key)
        for required in ("entity", "place", "start"):
            if required not in n:
                raise self.fail(_join(key, required), "missing")
        spec = OverlapSpec(
            key=key,
            type=self.tie_type(n.get("type"), _join(key, "type"), "shared_residence"),
            entity=self.entity_ref(n["entity"], _join(key, "entity"), entities),
            place=self.entity_ref(n["place"], _join(key, "place"), entities),
            start=self.value(n["start"], _join(key, "start"), type_="date"),
            end=self.value(n["end"], _join(key, "end"), type_="date") if "end" in n else None,
            confidence=self.confidence(n, key, 0.85),
        )
        if entities[spec.place].schema != "Address":
            raise self.fail(_join(key, "place"), f"'{spec.place}' must be an Address entity")
        return spec

    def calls(self, node: Any) -> CallSpec:
        n = self.keys(node, _CALL_KEYS, "calls")
        for required in ("caller", "callee", "start"):
            if required not in n:
                raise self.fail(f"calls.{required}", "missing: the column holding it")
        specs = {
            k: self.value(n[k], f"calls.{k}", type_=t)
            for k, t in (
                ("caller", "phone"),
                ("callee", "phone"),
                ("start", "datetime"),
                ("duration", "number"),
                ("caller_name", "text"),
                ("callee_name", "text"),
            )
            if k in n
        }
        for k, spec in specs.items():
            if spec.column is None:
                raise self.fail(f"calls.{k}", "must name a column (a constant is no call data)")
        return CallSpec(
            caller=specs["caller"],
            callee=specs["callee"],
            start=specs["start"],
            duration=specs.get("duration"),
            caller_name=specs.get("caller_name"),
            callee_name=specs.get("callee_name"),
        )


def _join(key: str, sub: str) -> str:
    return f"{key}.{sub}" if key else sub


def _kind(node: Any) -> str:
    if node is None:
        return "nothing"
    if isinstance(node, bool):
        return f"{str(node).lower()} (a yes/no)"
    if isinstance(node, dict):
        return "a set of keys"
    if isinstance(node, list):
        return "a list"
    if isinstance(node, int | float):
        return f"the number {node}"
    return f"'{node}'"
