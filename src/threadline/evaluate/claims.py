"""Casualty-claim recall against a gold file: value and qualifier right, same document.

A gold claim (``events[].claims[]``) is found when the export has a claim of the
same quantity stated in the same document (matched by the gold's document
prefix, e.g. "001", against the exported document's file name), with the same
value (or both vague) and an equivalent qualifier, about an event whose name
shares a place word with the gold event's name or places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from threadline.evaluate.scoring import fold_name

#: Gold qualifiers in words -> threadline's fixed list.
_QUALIFIER = {
    None: "exactly",
    "at least": "at least",
    "more than": "more than",
    "nearly": "about",
    "around": "about",
    "about": "about",
    "some": "about",
    "almost": "about",
    "dozens": "vague",
    "hundreds": "vague",
}


@dataclass
class ClaimScores:
    found: int = 0
    total: int = 0
    missed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.found / self.total if self.total else None


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", fold_name(text)) if len(w) >= 4}


def score_claims(export: dict[str, Any], gold: dict[str, Any]) -> ClaimScores:
    """Recall of the gold's event claims (deaths, injured) in the export."""
    doc_prefix = {
        d["id"]: PurePath(d.get("source") or "").name[:3] for d in export.get("documents") or ()
    }
    names = {e["id"]: e["name"] for e in export.get("entities") or ()}
    places = {p["id"]: p.get("canonical", "") for p in gold.get("places", [])}
    result = ClaimScores()
    for event in gold.get("events", []):
        where = _words(event.get("name", ""))
        for pid in event.get("places", []):
            where |= _words(places.get(pid, ""))
        for claim in event.get("claims", []):
            result.total += 1
            qual = claim.get("qualifier")
            want_q = _QUALIFIER.get(qual, "any" if qual else "exactly")
            if claim.get("value") is None:
                want_q = "vague"
            hit = False
            for c in export.get("claims") or ():
                doc = c["evidence"][0]["document"] if c.get("evidence") else ""
                if doc_prefix.get(doc) != claim["doc"] or c["quantity"] != claim["quantity"]:
                    continue
                if want_q == "vague":
                    ok_value = c.get("qualifier") == "vague"
                else:
                    ok_value = c.get("value") == claim.get("value") and (
                        want_q == "any" or c.get("qualifier") == want_q
                    )
                if ok_value and _words(names.get(c["subject"], "")) & where:
                    hit = True
                    break
            if hit:
                result.found += 1
            else:
                result.missed.append({"event": event["id"], **claim})
    return result
