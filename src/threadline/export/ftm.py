"""FollowTheMoney 4 export: the analysis export as FtM entity dicts.

FtM is the interchange format of Aleph, OpenSanctions and nomenklatura, so an
analyst can load the network into the tools they already use. This is the one
module that speaks FollowTheMoney. It writes the entity dicts (``id``,
``schema``, ``properties``) itself, cleaning each value as FtM 4's type system
does (``EntityProxy.add``: NFC and unsafe characters for every value, then per
property type: names squashed, dates as ISO prefixes, URLs normalised, entity
references checked), so the FollowTheMoney library (and its ~110 MB of
dependencies: SQLAlchemy, mypy, phonenumbers) is not part of the runtime. The
test suite (the ``dev`` extra brings FollowTheMoney) loads every exported
entity with FtM's own model: schema, property types and references.

Mapping (see the tie vocabulary in ``docs``/DESIGN.md):

- documents -> ``PlainText`` / ``HyperText`` / ``Pages`` / ``Table`` /
  ``Workbook`` / ``Document`` by document ``kind`` or file extension, with ``title``, ``publishedAt``, ``author``,
  ``publisher`` (outlet), ``sourceUrl`` and ``bodyText``. FtM's ``contentHash``
  is a SHA-1 (40 characters, ``checksum`` type), so our SHA-256 cannot go there;
  it is kept in ``notes`` and an optional ``sha1`` field of the document fills
  ``contentHash``.
- entities -> ``Person`` / ``Organization`` / ``Address`` / ``Event``; aliases
  go to ``alias``, single-word surface forms of a person ("Oudghiri") to
  ``weakAlias`` so screening tools do not match a whole family on a surname.
- ties -> ``Family`` / ``Associate`` / ``Membership`` / ``UnknownLink``;
  ``participated_in`` fills ``Event.involved``. A tie whose ends do not fit the
  FtM schema's range (an "associate" that is an organisation) falls back to
  ``UnknownLink`` so no tie is lost or mistyped.
- evidence -> ``proof`` (the document entities), ``sourceUrl``, ``publisher``;
  on links the first quote is the ``summary`` and all quotes with their source
  are the ``description``.

Example::

    >>> from threadline.export.ftm import ftm_entities
    >>> export = {"threadline_export": 1, "documents": [], "claims": [],
    ...           "entities": [{"id": "e1", "schema": "Person", "name": "Ann Bell"}],
    ...           "ties": []}
    >>> [d["schema"] for d in ftm_entities(export)]
    ['Person']
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from normality.cleaning import remove_unsafe_chars, squash_spaces, strip_quotes
from prefixdate import parse as parse_date
from rigour.urls import clean_url

#: FtM entity ids: letters, digits, dots and dashes, not starting/ending with a dot or dash.
_FTM_ID = re.compile(r"^[0-9a-zA-Z]([0-9a-zA-Z\.\-]*[0-9a-zA-Z])?$")
_FTM_ID_MAX = 200
#: FtM ``text`` values longer than this fail validation; longer bodies are split.
_TEXT_CHUNK = 65000

#: FtM file schema by our document ``kind`` (ingest's reader) or, failing that, file extension.
_DOCUMENT_SCHEMA_BY_KIND = {
    "text": "PlainText",
    "markdown": "PlainText",
    "txt": "PlainText",
    "md": "PlainText",
    "pdf": "Pages",
    "html": "HyperText",
    "htm": "HyperText",
    "csv": "Table",
    "tsv": "Table",
    "xlsx": "Workbook",
    "xls": "Workbook",
    "email": "Email",
    "eml": "Email",
    "docx": "Document",
}
_ENTITY_SCHEMATA = ("Person", "Organization", "Address", "Event")
_LEGAL_ENTITIES = ("Person", "Organization")


#: The FtM property type of each property this module writes (FtM 4's model;
#: tests/export/test_ftm.py checks the table against it). ``subject`` is a string
#: on an ``Email`` and an entity reference on an ``UnknownLink``.
_PROPERTY_TYPES = {
    **dict.fromkeys(
        ("fileName", "extension", "title", "author", "publisher", "keywords")
        + ("relationship", "role"),
        "string",
    ),
    **dict.fromkeys(("notes", "bodyText", "summary", "description"), "text"),
    **dict.fromkeys(("date", "publishedAt"), "date"),
    **dict.fromkeys(("name", "weakAlias", "alias"), "name"),
    **dict.fromkeys(("full", "location"), "address"),
    **dict.fromkeys(
        ("proof", "addressEntity", "involved", "person", "relative", "associate")
        + ("member", "organization", "subject", "object"),
        "entity",
    ),
    "sourceUrl": "url",
    "contentHash": "checksum",
    "topics": "topic",
}
#: FtM caps the text-typed values of one entity at 30 MiB (further values are dropped).
_TEXT_TOTAL_MAX = 30 * 1024 * 1024
_ADDRESS_BREAKS = re.compile(r"(\r\n|\n|<BR/>|<BR>|\t|ESQ\.,|ESQ,|;)")
_ADDRESS_COMMATA = re.compile(r"(,\s?[,\.])")


def property_type(schema: str, prop: str) -> str:
    """The FtM type name of ``prop`` as this module writes it on ``schema``."""
    if prop == "subject" and schema == "Email":
        return "string"
    return _PROPERTY_TYPES[prop]


def _sanitize(text: str) -> str | None:
    """FtM's first step for every value: NFC, no control or invisible characters, stripped."""
    text = remove_unsafe_chars(unicodedata.normalize("NFC", text)).strip()
    return text or None


def _strings(value: Any) -> list[str]:
    """The values of one ``add`` as strings, as FtM's ``string_list`` makes them."""
    if value is None:
        return []
    if isinstance(value, str):
        text = _sanitize(value)
        return [] if text is None else [text]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, int):
        return [str(value)]
    if isinstance(value, float):
        return [f"{value:.2f}"]
    if isinstance(value, list | tuple | set):
        return [text for inner in value for text in _strings(inner)]
    if isinstance(value, dict):
        return _strings(value.get("id"))
    return _strings(str(value))


def _clean(kind: str, text: str, own_id: str | None) -> str | None:
    """One sanitised value cleaned for its FtM type; ``None`` when FtM would drop it."""
    if kind == "name":
        return squash_spaces(strip_quotes(text) or "") or None
    if kind == "address":
        text = _ADDRESS_COMMATA.sub(", ", _ADDRESS_BREAKS.sub(", ", text))
        return squash_spaces(text) or None
    if kind == "date":
        return parse_date(text).text
    if kind == "url":
        return clean_url(text)
    if kind == "topic":
        return text.lower().strip()
    if kind == "entity":
        # FtM refuses a reference from an entity to itself (it raises): left out here
        return text if _FTM_ID.match(text) and text != own_id else None
    return text  # string, text, checksum


class FtmEntity:
    """One FtM entity being built: ``add`` cleans and collects as FtM's ``EntityProxy.add`` does."""

    def __init__(self, schema: str) -> None:
        self.schema = schema
        self.id: str | None = None
        self.properties: dict[str, list[str]] = {}
        self._size = 0

    def add(self, prop: str, values: Any) -> None:
        kind = property_type(self.schema, prop)
        for text in _strings(values):
            value = _clean(kind, text, self.id)
            if value is None:
                continue
            if kind == "text" and self._size + len(value) > _TEXT_TOTAL_MAX:
                continue
            self._size += len(value)
            stored = self.properties.setdefault(prop, [])
            if value not in stored:
                stored.append(value)

    def to_dict(self) -> dict[str, Any]:
        """The entity as FtM's JSON: ``id``, ``schema``, ``properties`` (in the order added)."""
        return {
            "id": self.id,
            "schema": self.schema,
            "properties": {p: list(vs) for p, vs in self.properties.items()},
        }


def ftm_id(our_id: str) -> str:
    """Return an FtM-valid entity id for one of our ids.

    Our ids ("e12", "t3", "d1") are valid FtM ids and are kept as they are, so a
    reader can match FtM entities back to the JSON export. Anything else is made
    valid and suffixed with a short hash of the original so two ids never collide.
    """
    if _FTM_ID.match(our_id) and len(our_id) <= _FTM_ID_MAX:
        return our_id
    cleaned = re.sub(r"[^0-9a-zA-Z.-]+", "-", our_id).strip(".-")[:150] or "x"
    digest = hashlib.sha1(our_id.encode("utf-8")).hexdigest()[:12]
    return f"{cleaned}-{digest}"


def ftm_entities(export: dict[str, Any], *, include_text: bool = True) -> Iterator[dict[str, Any]]:
    """Yield the export as FollowTheMoney 4 entity dicts: documents, entities, links.

    ``include_text`` puts each document's stored text into ``bodyText`` (split
    into FtM-sized pieces when long); switch it off to share the graph without
    the source text.
    """
    documents = {d["id"]: d for d in export.get("documents", [])}
    entities = {e["id"]: e for e in export.get("entities", [])}
    ties = list(export.get("ties", []))

    for doc in documents.values():
        yield _document_proxy(doc, include_text=include_text).to_dict()

    involved: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for tie in ties:
        if _is_involvement(tie, entities):
            involved[tie["target"]].append(tie)
    claims_by_subject: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for claim in export.get("claims", []):
        claims_by_subject[claim.get("subject", "")].append(claim)

    for entity in entities.values():
        proxy = _entity_proxy(entity, documents)
        if proxy.schema == "Event":
            _add_event_facts(proxy, entity, entities, involved, claims_by_subject, documents)
        yield proxy.to_dict()

    for tie in ties:
        link = _tie_proxy(tie, entities, documents)
        if link is not None:
            yield link.to_dict()


def _schema_of(entities: dict[str, dict[str, Any]], entity_id: str) -> str | None:
    entity = entities.get(entity_id)
    return None if entity is None else _entity_schema_name(entity)


def _is_involvement(tie: dict[str, Any], entities: dict[str, dict[str, Any]]) -> bool:
    """A person or group taking part in an event: stored on ``Event.involved``."""
    return (
        tie.get("type") == "participated_in"
        and _schema_of(entities, tie["target"]) == "Event"
        and _schema_of(entities, tie["source"]) in _LEGAL_ENTITIES
    )


def _entity_schema_name(entity: dict[str, Any]) -> str:
    schema = entity.get("schema", "Person")
    return schema if schema in _ENTITY_SCHEMATA else "Person"


def _document_proxy(doc: dict[str, Any], *, include_text: bool) -> FtmEntity:
    source = str(doc.get("source") or "")
    file_name = re.split(r"[\\/]", source.split("?")[0].rstrip("/\\"))[-1] or doc["id"]
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    kind = str(doc.get("kind") or extension)
    schema = _DOCUMENT_SCHEMA_BY_KIND.get(kind) or _DOCUMENT_SCHEMA_BY_KIND.get(extension)
    proxy = FtmEntity(schema or "Document")
    proxy.id = ftm_id(doc["id"])
    proxy.add("fileName", file_name)
    if extension:
        proxy.add("extension", extension)
    proxy.add("title", doc.get("title"))
    if proxy.schema == "Email":
        proxy.add("subject", doc.get("title"))
        proxy.add("date", doc.get("published"))
    proxy.add("publishedAt", doc.get("published"))
    proxy.add("author", doc.get("author"))
    proxy.add("publisher", doc.get("outlet"))
    url = doc.get("url") or (source if source.startswith(("http://", "https://")) else None)
    proxy.add("sourceUrl", url)
    if doc.get("sha256"):
        proxy.add("notes", f"SHA-256 of the stored content: {doc['sha256']}")
    sha1 = str(doc.get("sha1") or "")
    if re.fullmatch(r"[0-9a-f]{40}", sha1):
        proxy.add("contentHash", sha1)
    text = doc.get("text")
    if include_text and text:
        proxy.add("bodyText", [text[i : i + _TEXT_CHUNK] for i in range(0, len(text), _TEXT_CHUNK)])
    return proxy


#: FollowTheMoney topics for the roles that have one: (is a person, role) -> topic.
#: A network person is a person of interest, not a convicted criminal.
_ROLE_TOPICS = {
    (True, "network"): "poi",
    (True, "journalist"): "role.journo",
    (False, "network"): "crime",
    (False, "state"): "gov",
}


def _entity_proxy(entity: dict[str, Any], documents: dict[str, dict[str, Any]]) -> FtmEntity:
    schema = _entity_schema_name(entity)
    proxy = FtmEntity(schema)
    proxy.id = ftm_id(entity["id"])
    primary = entity.get("name") or entity["id"]
    proxy.add("name", primary)
    for name in entity.get("names", []):
        if name == primary:
            continue
        weak = schema == "Person" and len(name.split()) < 2
        proxy.add("weakAlias" if weak else "name", name)
    proxy.add("alias", entity.get("aliases", []))
    if schema == "Address":
        proxy.add("full", primary)
    proxy.add("keywords", entity.get("roles", []))
    topic = _ROLE_TOPICS.get((schema == "Person", entity.get("role") or ""))
    if topic:
        proxy.add("topics", topic)
    for hit in entity.get("watchlist_hits", []):
        proxy.add(
            "notes",
            f"Possible watchlist match (to be checked): {hit.get('list', '?')} "
            f"{hit.get('entry_id', '?')} {hit.get('entry_name', '')} "
            f"score {hit.get('score', '?')}",
        )
    _add_provenance(proxy, entity.get("evidence", []), documents)
    return proxy


def _add_event_facts(
    proxy: FtmEntity,
    event: dict[str, Any],
    entities: dict[str, dict[str, Any]],
    involved: dict[str, list[dict[str, Any]]],
    claims_by_subject: dict[str, list[dict[str, Any]]],
    documents: dict[str, dict[str, Any]],
) -> None:
    """Date, places, participants (with the documents that say so) and claims of one event."""
    proxy.add("date", event.get("date"))
    for place_id in event.get("places", []):
        place = entities.get(place_id)
        if place is None:
            continue
        proxy.add("location", place.get("name"))
        if _entity_schema_name(place) == "Address":
            proxy.add("addressEntity", ftm_id(place_id))
    for tie in involved.get(event["id"], []):
        proxy.add("involved", ftm_id(tie["source"]))
        _add_provenance(proxy, tie.get("evidence", []), documents)
    for claim in claims_by_subject.get(event["id"], []):
        proxy.add("notes", _claim_note(claim, documents))


def _claim_note(claim: dict[str, Any], documents: dict[str, dict[str, Any]]) -> str:
    parts = [str(claim.get("quantity", "")) + ":"]
    parts += [str(claim[k]) for k in ("qualifier", "value", "unit") if claim.get(k) is not None]
    note = " ".join(parts)
    evidence = claim.get("evidence") or []
    if evidence:
        title = documents.get(evidence[0].get("document", ""), {}).get("title", "")
        note += f' — "{evidence[0].get("quote", "")}" ({title})'
    return note


def _add_provenance(
    proxy: FtmEntity, evidence: Iterable[dict[str, Any]], documents: dict[str, dict[str, Any]]
) -> None:
    """Point ``proof`` at the source documents and copy their link and outlet."""
    for item in evidence:
        doc = documents.get(item.get("document", ""))
        if doc is None:
            continue
        proxy.add("proof", ftm_id(doc["id"]))
        proxy.add("publisher", doc.get("outlet"))
        url = doc.get("url") or doc.get("source")
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            proxy.add("sourceUrl", url)


def _tie_schema(tie: dict[str, Any], entities: dict[str, dict[str, Any]]) -> str:
    """The FtM link schema for a tie, respecting the range of its properties."""
    kind = tie.get("type", "other")
    source, target = _schema_of(entities, tie["source"]), _schema_of(entities, tie["target"])
    if kind in ("family", "associate") and source == target == "Person":
        return "Family" if kind == "family" else "Associate"
    if (
        kind in ("member_of", "leader_of")
        and source in _LEGAL_ENTITIES
        and target == "Organization"
    ):
        return "Membership"
    return "UnknownLink"


def _tie_proxy(
    tie: dict[str, Any],
    entities: dict[str, dict[str, Any]],
    documents: dict[str, dict[str, Any]],
) -> FtmEntity | None:
    """One tie as an FtM link entity; ``None`` when it lives on an Event instead."""
    if _is_involvement(tie, entities):
        return None
    kind = tie.get("type", "other")
    schema = _tie_schema(tie, entities)
    proxy = FtmEntity(schema)
    proxy.id = ftm_id(tie["id"])
    source, target = ftm_id(tie["source"]), ftm_id(tie["target"])
    detail = tie.get("detail") or ""
    if schema == "Family":
        proxy.add("person", source)
        proxy.add("relative", target)
        proxy.add("relationship", detail or None)
    elif schema == "Associate":
        proxy.add("person", source)
        proxy.add("associate", target)
        proxy.add("relationship", detail or None)
    elif schema == "Membership":
        proxy.add("member", source)
        proxy.add("organization", target)
        if kind == "leader_of":
            proxy.add("role", f"leader ({detail})" if detail else "leader")
        else:
            proxy.add("role", detail or None)
    else:
        proxy.add("subject", source)
        proxy.add("object", target)
        proxy.add("role", f"{kind}: {detail}" if detail else kind)

    evidence = tie.get("evidence") or []
    if evidence:
        proxy.add("summary", evidence[0].get("quote") or None)
    lines = [_evidence_line(item, documents) for item in evidence]
    lines.append(_tie_flags(tie))
    proxy.add("description", "\n".join(line for line in lines if line))
    _add_provenance(proxy, evidence, documents)
    return proxy


def _evidence_line(item: dict[str, Any], documents: dict[str, dict[str, Any]]) -> str:
    doc = documents.get(item.get("document", ""), {})
    where = doc.get("title") or item.get("document", "")
    if doc.get("published"):
        where += f", {doc['published']}"
    quote = item.get("quote") or ""
    if not quote and item.get("row") is not None:
        return f"record row {item['row']} ({where})"
    return f'"{quote}" ({where})'


def _tie_flags(tie: dict[str, Any]) -> str:
    flags = []
    if tie.get("confidence") is not None:
        flags.append(f"confidence {float(tie['confidence']):.2f}")
    if tie.get("hedged"):
        flags.append("hedged in the source")
    if tie.get("inferred"):
        flags.append("inferred by threadline, not stated in a source")
    return "threadline: " + "; ".join(flags) if flags else ""
