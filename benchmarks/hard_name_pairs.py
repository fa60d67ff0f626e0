"""Hard name pairs: father/son patronymic swaps, kunyas, compound names, scripts, brothers,
name orders, organisations with legal forms, bracketed qualifiers and acronyms.

The pairs (``benchmarks/data/hard_name_pairs.tsv``, invented people written for
threadline in the forms public lists use) say whether the comparator should
call two names one (a hit, a merge proposal) and whether a reader would call
that answer certain. Persons go through
:func:`threadline.resolve.names.compare_names`, organisations through
:func:`~threadline.resolve.names.compare_org_names`, both at the decision
threshold; plain Jaro-Winkler (rapidfuzz, folded full names) at its best
threshold on these pairs stands beside. The tests
(``tests/resolve/test_name_pairs.py``) hold every certain pair.

    python benchmarks/hard_name_pairs.py [--json]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from rapidfuzz.distance import JaroWinkler
from un_name_variants import prf  # a sibling script

from threadline.model.names import fold
from threadline.resolve.names import MATCH_THRESHOLD, compare_names
from threadline.resolve.org_names import compare_org_names

PAIRS = Path(__file__).resolve().parent / "data" / "hard_name_pairs.tsv"


def load_pairs(path: Path = PAIRS) -> list[dict[str, Any]]:
    """The pairs: kind, type (Person / Organization), a, b, same, certain."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, schema, a, b, same, certain = line.split("\t")
        out.append(
            {
                "kind": kind,
                "type": schema,
                "a": a,
                "b": b,
                "same": same == "1",
                "certain": certain == "1",
            }
        )
    return out


def judge(pair: dict[str, Any]) -> tuple[float, str]:
    """The comparator's score and explanation for one pair."""
    if pair["type"] == "Organization":
        return compare_org_names(pair["a"], pair["b"])
    c = compare_names(pair["a"], pair["b"])
    return c.score, c.explanation


def _prf(pred: list[bool], gold: list[bool]) -> dict[str, float]:
    right = sum(p == g for p, g in zip(pred, gold, strict=True)) / len(gold)
    return {**prf(pred, gold), "accuracy": right}


def run() -> dict[str, Any]:
    pairs = load_pairs()
    gold = [p["same"] for p in pairs]
    judged = [judge(p) for p in pairs]
    ours = _prf([s >= MATCH_THRESHOLD for s, _ in judged], gold)
    jw = [JaroWinkler.similarity(fold(p["a"]), fold(p["b"])) for p in pairs]
    best: tuple[float, float, dict[str, float]] = (-1.0, 0.0, {})
    for t in sorted(set(jw)):
        r = _prf([s >= t for s in jw], gold)
        if r["f1"] > best[0]:
            best = (r["f1"], t, r)
    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: {"pairs": 0, "right": 0})
    errors = []
    for p, (score, why) in zip(pairs, judged, strict=True):
        right = (score >= MATCH_THRESHOLD) == p["same"]
        by_kind[p["kind"]]["pairs"] += 1
        by_kind[p["kind"]]["right"] += right
        if not right:
            errors.append({**p, "score": score, "why": why})
    return {
        "pairs": len(pairs),
        "positives": sum(gold),
        "certain": sum(p["certain"] for p in pairs),
        "compare": {"threshold": MATCH_THRESHOLD, **ours},
        "jaro_winkler_best_threshold": {"threshold": best[1], **best[2]},
        "certain_wrong": sum(e["certain"] for e in errors),
        "by_kind": dict(by_kind),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    r = run()
    if args.json:
        print(json.dumps(r, ensure_ascii=False, indent=1))
        return
    print(f"{r['pairs']} pairs ({r['positives']} same, {r['certain']} certain)\n")
    print("| comparator | threshold | precision | recall | F1 | pairs right |")
    print("|---|---|---|---|---|---|")
    for label, key in (
        ("compare_names / compare_org_names", "compare"),
        ("Jaro-Winkler (best threshold)", "jaro_winkler_best_threshold"),
    ):
        x = r[key]
        print(
            f"| {label} | {x['threshold']:.3f} | {x['precision']:.3f} | {x['recall']:.3f} "
            f"| **{x['f1']:.3f}** | {x['accuracy']:.3f} |"
        )
    print(f"\ncertain pairs answered wrong: {r['certain_wrong']}")
    print("\nby kind (right / pairs):")
    for kind, c in r["by_kind"].items():
        print(f"  {kind:16} {c['right']:3} / {c['pairs']}")
    print("\nerrors:")
    for e in r["errors"]:
        mark = "CERTAIN" if e["certain"] else "judgement"
        print(f"  [{mark}] {e['a']!r} / {e['b']!r} (same={e['same']}): {e['why']}")


if __name__ == "__main__":
    main()
