"""What record files state about an entity, for the analysis export (optional fields).

``properties``: every value a record row gives the entity through a mapping —
date of birth, nationality, education, skills, status, phone numbers, identity
document numbers, an event's start and end — each with the file, sheet and row
that states it (in the spirit of FollowTheMoney statements: a value carries its
source). Values are kept as the records state them; nothing here ranks anyone,
and no measure or triage reads them (principle 4).

``phones``: the numbers attributed to the entity (by a record's row or an
analyst's statement), for reading call ties.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from threadline.model import Mention


def record_properties(
    mentions: Iterable[Mention], entity_of: dict[str, str]
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """``{entity_id: {"properties": [{"name", "value", "document", "row", "sheet"?}]}}``."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: {"properties": []})
    for m in mentions:
        props = m.attrs.get("properties")
        entity = entity_of.get(m.id)
        if not props or entity is None or not isinstance(props, dict):
            continue
        for name, value in sorted(props.items()):
            item: dict[str, Any] = {"name": name, "value": value, "document": m.document}
            if "row" in m.attrs:
                item["row"] = m.attrs["row"]
            if m.attrs.get("sheet"):
                item["sheet"] = m.attrs["sheet"]
            out[entity]["properties"].append(item)
    for fields in out.values():
        fields["properties"].sort(key=lambda p: (p["name"], p["document"], p.get("row") or 0))
    return dict(out)
