"""One person's or group's dossier: names, roles, ties with their quotes, timeline, sources.

Built from the analysis JSON export (so the report's dossier section and
``threadline dossier ENTITY -o FILE`` show the same thing), rendered as one
self-contained HTML page: no script, no font, no network, every string escaped.

Example::

    >>> export = {"threadline_export": 1, "documents": [{"id": "d1", "title": "T",
    ...     "published": "2020-01-02"}], "entities": [
    ...     {"id": "a", "schema": "Person", "name": "Ann Bell", "aliases": ["The Bell"]},
    ...     {"id": "b", "schema": "Organization", "name": "Crew"}],
    ...     "ties": [{"id": "t", "type": "member_of", "source": "a", "target": "b",
    ...     "evidence": [{"document": "d1", "quote": "Ann Bell joined the Crew."}]}]}
    >>> d = dossier_data(export, "a")
    >>> d["ties"][0]["other_name"], d["timeline"][0]["date"], d["timeline"][0]["what"]
    ('Crew', '2020-01-02', 'first reported: Ann Bell member of Crew')
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from threadline.analyze import defaults
from threadline.model.vocabulary import TIE_TYPES

_ASSETS = Path(__file__).with_name("report_assets")

Row = dict[str, Any]


def template_env() -> jinja2.Environment:
    """The Jinja2 environment of the report and dossier templates (autoescaped)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_ASSETS)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def roles_of(entity: Row) -> list[str]:
    """The roles an export entity carries: ``role`` (one, when present) and ``roles``;
    none when the defaults say roles are not shown (``defaults.SHOW_ROLES``)."""
    if not defaults.SHOW_ROLES:
        return []
    found: list[str] = []
    role = entity.get("role")
    if isinstance(role, dict):
        role = role.get("name") or role.get("role")
    if isinstance(role, str) and role:
        found.append(role)
    found += [r for r in entity.get("roles") or [] if isinstance(r, str)]
    return list(dict.fromkeys(found))


def evidence_rows(items: list[Row] | None, documents: dict[str, Row]) -> list[Row]:
    """Quotes with the title, date and grade of the document each comes from."""
    rows = []
    for item in items or []:
        doc = documents.get(item.get("document", ""), {})
        rows.append({
            "quote": item.get("quote") or "",
            "doc_id": item.get("document", ""),
            "doc_title": doc.get("title") or item.get("document", ""),
            "doc_date": doc.get("published") or "",
            "row": item.get("row"),
            "hedged": bool(item.get("hedged")),
            "grade": item.get("grade") or "",
            "attributed_to": item.get("attributed_to") or "",
        })  # fmt: skip
    return rows


class DossierIndex:
    """The export indexed once, to build many dossiers (the report builds one per person)."""

    def __init__(self, export: dict[str, Any]) -> None:
        self.documents = {d["id"]: d for d in export.get("documents", [])}
        self.entities = {e["id"]: e for e in export.get("entities", [])}
        self.ties_of: dict[str, list[Row]] = defaultdict(list)
        for tie in export.get("ties", []):
            self.ties_of[tie["source"]].append(tie)
            if tie["target"] != tie["source"]:
                self.ties_of[tie["target"]].append(tie)

    def name(self, entity_id: str) -> str:
        return str(self.entities.get(entity_id, {}).get("name") or entity_id)

    def dossier(self, entity_id: str) -> Row:
        entity = self.entities[entity_id]
        metrics = entity.get("metrics") or {}
        ties = []
        timeline: list[Row] = []
        cited: dict[str, int] = defaultdict(int)
        for tie in self.ties_of[entity_id]:
            outgoing = tie["source"] == entity_id
            other = tie["target"] if outgoing else tie["source"]
            directed = TIE_TYPES[tie["type"]].directed if tie["type"] in TIE_TYPES else False
            evidence = evidence_rows(tie.get("evidence"), self.documents)
            label = tie["type"].replace("_", " ")
            ties.append({
                "id": tie["id"],
                "type": tie["type"],
                "label": label,
                "reversed": directed and not outgoing,  # the other one is the tie's subject
                "other": other,
                "other_name": self.name(other),
                "other_schema": self.entities.get(other, {}).get("schema", ""),
                "detail": tie.get("detail") or "",
                "hedged": bool(tie.get("hedged")),
                "inferred": bool(tie.get("inferred")),
                "confidence": tie.get("confidence"),
                "evidence": evidence,
            })  # fmt: skip
            for ev in evidence:
                cited[ev["doc_id"]] += 1
            dated = sorted((ev["doc_date"], ev["doc_id"], ev["doc_title"]) for ev in evidence
                           if ev["doc_date"])  # fmt: skip
            if dated:
                who = self.name(entity_id)
                said = (f"{self.name(other)} {label} {who}" if directed and not outgoing
                        else f"{who} {label} {self.name(other)}")  # fmt: skip
                timeline.append({
                    "date": dated[0][0],
                    "what": f"first reported: {said}",
                    "doc_id": dated[0][1],
                    "doc_title": dated[0][2],
                })  # fmt: skip
            other_entity = self.entities.get(other, {})
            if other_entity.get("schema") == "Event":
                timeline.append({
                    "date": other_entity.get("date") or "",
                    "what": f"{label} {self.name(other)}",
                    "doc_id": evidence[0]["doc_id"] if evidence else "",
                    "doc_title": evidence[0]["doc_title"] if evidence else "",
                })  # fmt: skip
        ties.sort(key=lambda t: (t["inferred"], -len(t["evidence"]), t["label"], t["other_name"]))
        for doc_id in entity.get("documents") or []:
            cited[doc_id] += 0
        for ev in entity.get("evidence") or []:
            cited[ev.get("document", "")] += 0
        cited.pop("", None)
        sources = []
        for doc_id in cited:
            doc = self.documents.get(doc_id, {"id": doc_id})
            sources.append({
                "id": doc_id,
                "title": doc.get("title") or doc_id,
                "published": doc.get("published") or "",
                "outlet": doc.get("outlet") or "",
                "source": doc.get("url") or doc.get("source") or "",
                "grade": doc.get("grade") or "",
                "quotes": cited[doc_id],
            })  # fmt: skip
            if doc.get("published"):
                timeline.append({
                    "date": doc["published"],
                    "what": "named in " + (doc.get("title") or doc_id),
                    "doc_id": doc_id,
                    "doc_title": doc.get("title") or doc_id,
                })  # fmt: skip
        sources.sort(key=lambda s: (s["published"] or "9999", s["title"]))
        timeline.sort(key=lambda t: (t["date"] or "9999", t["what"]))
        community = metrics.get("community")
        return {
            "id": entity_id,
            "name": entity.get("name") or entity_id,
            "schema": entity.get("schema", ""),
            "other_names": [n for n in entity.get("names") or [] if n != entity.get("name")],
            "aliases": list(entity.get("aliases") or []),
            "roles": roles_of(entity),
            "degree": metrics.get("degree"),
            "betweenness": metrics.get("betweenness"),
            "community": community,
            "ties": ties,
            "timeline": timeline,
            "undated": sum(1 for s in sources if not s["published"]),
            "sources": sources,
        }


def dossier_data(export: dict[str, Any], entity_id: str) -> Row:
    """The dossier of one entity of ``export`` (a ``KeyError`` when the id is unknown)."""
    return DossierIndex(export).dossier(entity_id)


def render_dossier(
    export: dict[str, Any], entity_id: str, *, generated_at: datetime | None = None
) -> str:
    """One self-contained HTML page: the dossier of ``entity_id``."""
    when = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    env = template_env()
    return env.get_template("dossier.html.j2").render(
        d=dossier_data(export, entity_id),
        generated=when,
        export_version=export.get("threadline_export"),
        css=Markup((_ASSETS / "report.css").read_text(encoding="utf-8")),
    )
