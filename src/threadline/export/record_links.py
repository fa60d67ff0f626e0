"""Person records and their links in the analysis export (optional entity fields).

``records``: the facts each record of the entity states (file, row, id, date of
birth, nationality, address, phone, document number). ``record_links``: why
records were linked into the entity (or, with ``"linked": false``, why two
records of the same name were kept in different entities), each with the
Splink match weight and the level every comparison reached.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from threadline.model.person_record import LinkReason, link_dict, reasons_dicts
from threadline.store import Workspace
from threadline.store import records as record_store
from threadline.store.records import RecordRow

#: Fields of a record's facts, as a :data:`RecordRow` names them.
_FACTS = ("aliases", "dob", "nationality", "address", "phone", "doc_number")


def _ref(r: RecordRow) -> dict[str, Any]:
    return {"document": r.document, "row": r.row, "record": r.source_id, "name": r.name}


def _facts(r: RecordRow) -> dict[str, Any]:
    facts: dict[str, Any] = _ref(r)
    for key in _FACTS:
        value = getattr(r, key)
        if value:
            facts[key] = list(value) if key == "aliases" else value
    return facts


def record_fields(
    ws: Workspace, entity_of: dict[str, str]
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """``{entity_id: {"records": [...], "record_links": [...]}}`` for entities with records.

    ``entity_of`` maps mention ids to entity ids.
    """
    # rows, not PersonRecord and RecordLink objects: thousands of each are only read
    recs = {r.id: r for r in record_store.record_rows(ws)}
    if not recs:
        return {}
    out: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: {"records": [], "record_links": []}
    )
    for r in recs.values():
        entity = entity_of.get(r.mention)
        if entity is not None:
            out[entity]["records"].append(_facts(r))
    # a record is one end of many links, and links share explanations (the same levels
    # reached): each is built once and shared by the items (the export only writes them)
    refs = {rid: _ref(r) for rid, r in recs.items()}
    shown: dict[tuple[LinkReason, ...], list[dict[str, object]]] = {}
    each: dict[LinkReason, dict[str, object]] = {}
    for a, b, rule, linked, weight, probability, reasons, alias in record_store.link_rows(ws):
        ra, rb = recs.get(a), recs.get(b)
        if ra is None or rb is None:
            continue
        ea, eb = entity_of.get(ra.mention), entity_of.get(rb.mention)
        explained = shown.get(reasons)
        if explained is None:
            explained = shown[reasons] = reasons_dicts(reasons, each)
        item = {
            "a": refs[a],
            "b": refs[b],
            **link_dict(rule, linked, weight, probability, explained),
        }
        if alias:
            item["alias"] = recs[alias].name if alias in recs else alias
        if linked and ea is not None and ea == eb:
            out[ea]["record_links"].append(item)
        elif not linked and ea != eb:
            for e in (ea, eb):
                if e is not None:
                    out[e]["record_links"].append(item)
    return dict(out)
