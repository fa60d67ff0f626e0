"""Which gold document an exported document is, per-document cuts, and the texts evidence is read from.

A gold file names its documents by a short id ("000", "d01") that is the
start of the document's file name. An exported document is that gold
document when the file name of its ``source`` (or, without a source, its
title) starts with the id; the longest such id wins.

These helpers take and return plain dicts (the gold file and the
``threadline export --format json`` document); only :func:`document_texts`
reads files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path, PurePath
from typing import Any

#: Gold sections whose records list the documents they appear in.
_DOCUMENTED_SECTIONS = ("persons", "organizations", "places")


def gold_document_ids(gold: Mapping[str, Any]) -> set[str]:
    """The document ids the gold's persons, organisations and places appear in.

    >>> sorted(gold_document_ids({"persons": [{"docs": ["d02", "d01"]}], "places": [{"docs": ["d01"]}]}))
    ['d01', 'd02']
    """
    return {
        str(doc)
        for section in _DOCUMENTED_SECTIONS
        for record in gold.get(section) or ()
        for doc in record.get("docs") or ()
    }


def map_documents(export: Mapping[str, Any], gold: Mapping[str, Any]) -> dict[str, str]:
    """Exported document id -> gold document id, for the exported documents the gold covers.

    >>> export = {"documents": [{"id": "x1", "source": "/data/d01_jakarta.txt"},
    ...                         {"id": "x2", "source": "", "title": "elsewhere"}]}
    >>> map_documents(export, {"persons": [{"docs": ["d01"]}]})
    {'x1': 'd01'}
    """
    ids = gold_document_ids(gold)
    mapped: dict[str, str] = {}
    for doc in export.get("documents") or ():
        name = PurePath(str(doc.get("source", ""))).name or str(doc.get("title", ""))
        prefixes = [gid for gid in ids if name.startswith(gid)]
        if prefixes:
            mapped[doc["id"]] = max(prefixes, key=len)
    return mapped


def restrict(
    gold: Mapping[str, Any], export: Mapping[str, Any], keep: Iterable[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The gold and the export cut down to the gold documents ``keep`` (per-case figures).

    Gold persons, organisations and places keep the documents in ``keep`` and
    are dropped when none is left; relations keep when their ``doc`` is kept;
    a contradiction topic keeps its values from kept documents and is dropped
    below two. The export keeps the documents that map to a kept gold
    document, the entities, ties and claims with evidence in one of them, and
    only ties between kept entities. Other sections pass through unchanged.
    Neither input is modified.
    """
    kept = set(keep)
    cut_gold = dict(gold)
    for section in _DOCUMENTED_SECTIONS:
        cut_gold[section] = [
            {**record, "docs": [d for d in record.get("docs") or () if d in kept]}
            for record in gold.get(section) or ()
            if kept.intersection(record.get("docs") or ())
        ]
    cut_gold["relations"] = [r for r in gold.get("relations") or () if r.get("doc") in kept]
    topics = []
    for topic in gold.get("contradictions") or ():
        values = [v for v in topic.get("values") or () if v.get("doc") in kept]
        if len(values) >= 2:
            topics.append({**topic, "values": values})
    cut_gold["contradictions"] = topics

    documents = {d for d, g in map_documents(export, gold).items() if g in kept}

    def in_kept_document(item: Mapping[str, Any]) -> bool:
        return any(ev.get("document") in documents for ev in item.get("evidence") or ())

    entities = [e for e in export.get("entities") or () if in_kept_document(e)]
    entity_ids = {e["id"] for e in entities}
    cut_export = dict(export)
    cut_export["documents"] = [d for d in export.get("documents") or () if d["id"] in documents]
    cut_export["entities"] = entities
    cut_export["ties"] = [
        t
        for t in export.get("ties") or ()
        if in_kept_document(t) and t.get("source") in entity_ids and t.get("target") in entity_ids
    ]
    cut_export["claims"] = [c for c in export.get("claims") or () if in_kept_document(c)]
    return cut_gold, cut_export


def document_texts(export: Mapping[str, Any], docs_dir: str | Path | None = None) -> dict[str, str]:
    """Exported document id -> the text its evidence offsets point into.

    A ``.txt`` file of the same name as the document's ``source`` in
    ``docs_dir`` is read (UTF-8, undecodable bytes replaced, as a text file,
    so CRLF line ends read as LF); otherwise the ``text`` the export carries
    (``threadline export`` writes it), if any.
    """
    texts: dict[str, str] = {}
    for doc in export.get("documents") or ():
        path = Path(docs_dir) / PurePath(str(doc.get("source", ""))).name if docs_dir else None
        if path is not None and path.suffix == ".txt" and path.exists():
            texts[doc["id"]] = path.read_text(encoding="utf-8", errors="replace")
        elif isinstance(doc.get("text"), str):
            texts[doc["id"]] = doc["text"]
    return texts
