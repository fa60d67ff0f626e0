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

from threadline.model.person_record import PersonRecord, reasons_dicts
from threadline.store import Workspace
from threadline.store import records as record_store


def _ref(r: PersonRecord) -> dict[str, Any]:
    return {"document": r.document, "row": r.row, "record": r.source_id, "name": r.name}


def _facts(r: PersonRecord) -> dict[str, Any]:
    facts: dict[str, Any] = _ref(r)
    for key, value in (
        ("aliases", list(r.aliases)),
        ("dob", r.dob),
        ("nationality", r.nationality),
        ("address", r.address),
        ("phone", r.phone),
        ("doc_number", r.doc_number),
    ):
        if value:
            facts[key] = value
    return facts


def record_fields(
    ws: Workspace, entity_of: dict[str, str]
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """``{entity_id: {"records": [...], "record_links": [...]}}`` for entities with records.

    ``entity_of`` maps mention ids to entity ids.
    """
    recs = {r.id: r for r in record_store.records(ws)}
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
    refs: dict[str, dict[str, Any]] = {}
    shown: dict[int, list[dict[str, object]]] = {}
    each: dict[int, dict[str, object]] = {}
    for lk in record_store.record_links(ws):
        ra, rb = recs.get(lk.a), recs.get(lk.b)
        if ra is None or rb is None:
            continue
        ea, eb = entity_of.get(ra.mention), entity_of.get(rb.mention)
        ref_a = refs.get(ra.id) or refs.setdefault(ra.id, _ref(ra))
        ref_b = refs.get(rb.id) or refs.setdefault(rb.id, _ref(rb))
        reasons = shown.get(id(lk.reasons))
        if reasons is None:
            reasons = shown[id(lk.reasons)] = reasons_dicts(lk.reasons, each)
        item = {"a": ref_a, "b": ref_b, **lk.to_dict(reasons)}
        if lk.alias:
            item["alias"] = recs[lk.alias].name if lk.alias in recs else lk.alias
        if lk.linked and ea is not None and ea == eb:
            out[ea]["record_links"].append(item)
        elif not lk.linked and ea != eb:
            for e in (ea, eb):
                if e is not None:
                    out[e]["record_links"].append(item)
    return dict(out)
