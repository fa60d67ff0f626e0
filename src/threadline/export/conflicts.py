"""Where sources disagree: claims grouped by subject and quantity, with an explanation.

Claims are compared only on the same event (subject) and quantity; the attackers'
own dead (unit ``attackers``) are a count apart from the attack's toll.

A conflict is flagged whenever the stated values differ. The explanation says
whether the values can all be true ("at least 26" and "at least 31" can; 130
and 137 cannot), and whether the differences are counts rising over time
(reports ordered by publication date, where known). Conflicts are ranked so an
analyst reads the most consequential first: casualty figures before dates,
dates before other quantities, more documents before fewer, and a caption's
photo date never makes a conflict on its own.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

#: Qualifiers after which the true value may be higher than the one stated.
_LOWER_BOUND = {"at least", "more than"}
_UPPER_BOUND = {"at most", "fewer than"}
_RANK = {"deaths": 0, "injured": 1, "date": 2, "territory lost": 3, "began": 4}


def _interval(claim: dict[str, Any]) -> tuple[float, float] | None:
    """The values a numeric claim allows ("at least 26" -> [26, inf])."""
    v = claim.get("value")
    if not isinstance(v, int | float):
        return None
    q = claim.get("qualifier")
    if q in _LOWER_BOUND:
        return (float(v) + (1 if q == "more than" else 0), float("inf"))
    if q in _UPPER_BOUND:
        return (float("-inf"), float(v) - (1 if q == "fewer than" else 0))
    if q == "about":
        return (float(v) * 0.9, float(v) * 1.1)
    if q == "range" and claim.get("value_high") is not None:
        return (float(v), float(claim["value_high"]))
    return (float(v), float(v))


def compatible(claims: list[dict[str, Any]]) -> bool:
    """True when one true value satisfies every claim of the group."""
    intervals = [_interval(c) for c in claims]
    if any(i is None for i in intervals):
        return len({str(c.get("value")) for c in claims}) == 1
    lo = max(i[0] for i in intervals if i)
    hi = min(i[1] for i in intervals if i)
    return lo <= hi


def find_conflicts(
    claims: list[dict[str, Any]], documents: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Conflicts between claims of the JSON export, explained and ranked."""
    groups: dict[tuple[str, str, bool], list[dict[str, Any]]] = defaultdict(list)
    for c in claims:
        if c.get("qualifier") != "vague" and c.get("value") is not None:
            # the attackers' own dead are another count than the attack's toll
            groups[(c["subject"], c["quantity"], c.get("unit") == "attackers")].append(c)
    out: list[dict[str, Any]] = []
    for (subject, quantity, _), items in groups.items():
        values = {str(c["value"]) for c in items}
        if len(values) < 2:
            continue
        ordered = sorted(
            items,
            key=lambda c: (
                documents.get(c["evidence"][0]["document"], {}).get("published") or "9999",
                c["id"],
            ),
        )
        sides = [_side(c, documents) for c in ordered]
        explanation = _explain(quantity, ordered, documents)
        docs = {c["evidence"][0]["document"] for c in items}
        out.append(
            {
                "subject": subject,
                "quantity": quantity,
                "values": sorted({c["value"] for c in items}, key=lambda v: _sort_key(str(v))),
                "claims": [c["id"] for c in ordered],
                "sides": sides,
                "compatible": compatible(items),
                "explanation": explanation,
                "documents": len(docs),
            }
        )
    out.sort(
        key=lambda x: (
            _RANK.get(x["quantity"], 9),
            -x["documents"],
            all(s["caption"] for s in x["sides"]),
            x["subject"],
        )
    )
    for i, c in enumerate(out):
        c["rank"] = i + 1
    return out


def _sort_key(v: str) -> tuple[int, float | str]:
    try:
        return (0, float(v))
    except ValueError:
        return (1, v)


def _caption(claim: dict[str, Any]) -> bool:
    return any(ev.get("extractor", "").endswith(":caption") for ev in claim["evidence"])


def _side(claim: dict[str, Any], documents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    ev = claim["evidence"][0]
    doc = documents.get(ev["document"], {})
    return {
        "claim": claim["id"],
        "value": claim["value"],
        "qualifier": claim.get("qualifier"),
        "quote": ev["quote"],
        "document": ev["document"],
        "title": doc.get("title"),
        "published": doc.get("published"),
        "attributed_to": claim.get("attributed_to"),
        "caption": _caption(claim),
        "hedged": bool(claim.get("hedged")),
        "grade": ev.get("grade", "ungraded"),
    }


def _explain(
    quantity: str, ordered: list[dict[str, Any]], documents: dict[str, dict[str, Any]]
) -> str:
    """A sentence an analyst reads next to the quotes."""
    parts = []
    if compatible(ordered):
        parts.append("the values can all be true (lower or upper bounds that overlap)")
    else:
        parts.append("the values cannot all be true")
    dated = [(documents.get(c["evidence"][0]["document"], {}).get("published"), c) for c in ordered]
    known = [(d, c) for d, c in dated if d]
    numeric = [c for _, c in known if isinstance(c.get("value"), int | float)]
    if quantity in ("deaths", "injured") and len(numeric) >= 2:
        values = [float(c["value"]) for c in numeric]
        if values == sorted(values) and values[0] < values[-1]:
            parts.append(
                "the count rises with later reports, as tolls do while victims are identified"
            )
    unknown = len(dated) - len(known)
    if unknown:
        parts.append(f"{unknown} of {len(dated)} reports have no known publication date")
    if any(_caption(c) for c in ordered):
        parts.append(
            "a picture caption states one value; a caption's date is often the "
            "photograph's, not the event's"
        )
    return "; ".join(parts) + "."
