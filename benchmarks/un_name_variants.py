"""Name-variant benchmark on the UN Security Council consolidated list.

Positives: every pair among one listed individual's primary name and its
"Good"-quality aliases (names equal after folding counted once). Hard
negatives: every pair of names of two different individuals that share a
normalised name word (folded, particles and titles left out: the many
Mohammeds, Alis and al-Tikritis). Reports precision, recall and F1 of
:func:`threadline.resolve.names.compare_names` at its decision threshold
(fixed in the code, not tuned here) against plain Jaro-Winkler (rapidfuzz, on
the folded full names) at the threshold that is best for it on these very
pairs, and the comparator's speed (one process, one core: cold caches, then the
same pairs again with warm caches).

    python benchmarks/un_name_variants.py [--xml ../shared/data/sanctions/un_...xml]
        [--errors 20] [--json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from rapidfuzz.distance import JaroWinkler
from rigour.text.scripts import text_scripts

from threadline.ingest.watchlists import read_watchlist
from threadline.model.names import core_words, fold
from threadline.model.watchlist import GOOD, ORIGINAL_SCRIPT
from threadline.resolve.name_frequencies import in_build_half, shipped_common_words
from threadline.resolve.names import (
    DIFFERENT,
    MATCH_THRESHOLD,
    analyse_name,
    common_words,
    compare_names,
)

REPO = Path(__file__).resolve().parents[1]
DEFAULT_XML = REPO.parent / "shared" / "data" / "sanctions" / "un_consolidated_2025-04-19.xml"

Pair = tuple[str, str, bool]  # name, name, same person?


def build_pairs(xml: Path) -> tuple[list[Pair], int, int]:
    """The benchmark's labelled pairs, the number of individuals and of names used."""
    pairs, individuals, names = build_pairs_with_entries(xml)
    return [(a, b, g) for a, b, g, _, _ in pairs], individuals, names


def build_pairs_with_entries(
    xml: Path,
) -> tuple[list[tuple[str, str, bool, str, str]], int, int]:
    """:func:`build_pairs` with the entry ids of both names of each pair."""
    wl = read_watchlist(xml, fmt="un-xml")
    names: list[tuple[str, str]] = []  # (entry id, name)
    for entry in wl.entries:
        if entry.schema != "Person":
            continue
        seen: set[str] = set()
        for n in entry.names:
            if n.kind == ORIGINAL_SCRIPT or n.quality != GOOD:
                continue
            if fold(n.name) not in seen:
                seen.add(fold(n.name))
                names.append((entry.entry_id, n.name))
    by_entry: dict[str, list[str]] = defaultdict(list)
    for eid, n in names:
        by_entry[eid].append(n)
    pairs = [
        (a, b, True, eid, eid)
        for eid, group in by_entry.items()
        for a, b in itertools.combinations(group, 2)
    ]
    by_word: dict[str, set[int]] = defaultdict(set)
    for i, (_, n) in enumerate(names):
        for w in set(core_words(n)):
            by_word[w].add(i)
    negatives: set[tuple[int, int]] = set()
    for ids in by_word.values():
        for i, j in itertools.combinations(sorted(ids), 2):
            if names[i][0] != names[j][0]:
                negatives.add((i, j))
    pairs += [
        (names[i][1], names[j][1], False, names[i][0], names[j][0]) for i, j in sorted(negatives)
    ]
    return pairs, len(by_entry), len(names)


def shared_words(a: str, b: str) -> str:
    """How much of the shorter name the other spells closely, without the comparator:
    "none", "some" or "all" of its words have a partner at Jaro-Winkler >= 0.85."""
    wa, wb = core_words(a), core_words(b)
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if not short:
        return "none"
    hit = sum(1 for x in short if any(JaroWinkler.similarity(x, y) >= 0.85 for y in long_))
    return "none" if hit == 0 else "all" if hit == len(short) else "some"


def false_negative_category(a: str, b: str, level: str) -> str:
    """Why a true pair is missed, without the comparator's verdict: the level it gave, and
    for pairs with no word paired ("different") what the names still share."""
    if level != DIFFERENT:
        return level
    na, nb = analyse_name(a), analyse_name(b)
    if not na.words or not nb.words or bool(na.kunya) != bool(nb.kunya):
        return "different: a kunya or no name word on one side"
    wa, wb = na.words, nb.words
    if {w.cons for w in wa} & {w.cons for w in wb}:
        return "different: a word with the same consonants"
    if any(JaroWinkler.similarity(x.text, y.text) >= 0.8 for x in wa for y in wb):
        return "different: a word pair at Jaro-Winkler >= 0.8"
    return "different: nothing alike (another name)"


def held_out(xml: Path) -> dict[str, Any]:
    """The shipped word frequencies (built on half of the list's entries) measured on the
    pairs whose entries are all in the other half, beside the benchmark's own frequencies
    (every name of the benchmark) and none, on the same pairs."""
    pairs = [
        (a, b, g)
        for a, b, g, ea, eb in build_pairs_with_entries(xml)[0]
        if not in_build_half(ea) and not in_build_half(eb)
    ]
    gold = [g for _, _, g in pairs]
    own = common_words({n for a, b, _ in pairs for n in (a, b)})
    out: dict[str, Any] = {"pairs": len(pairs), "positives": sum(gold)}
    for label, common in (
        ("shipped", shipped_common_words()),
        ("own", own),
        ("none", frozenset()),
    ):
        pred = [compare_names(a, b, common=common).is_match for a, b, _ in pairs]
        out[label] = prf(pred, gold)
    return out


def cross_script(xml: Path, common: frozenset[str]) -> dict[str, Any]:
    """Each listed individual's primary (Latin) name against its own original-script
    name (positives, by script) and against every other individual's original-script
    name that shares a consonant word with it (hard negatives)."""
    wl = read_watchlist(xml, fmt="un-xml")
    rows = []
    for entry in wl.entries:
        if entry.schema != "Person":
            continue
        orig = [n.name for n in entry.names if n.kind == ORIGINAL_SCRIPT and n.quality == GOOD]
        if orig:
            rows.append((entry.entry_id, entry.name, orig[0]))
    by_cons: dict[str, set[int]] = defaultdict(set)
    for i, (_, _, o) in enumerate(rows):
        for w in analyse_name(o).words:
            if len(w.cons) >= 3:
                by_cons[w.cons].add(i)
    by_script: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _, latin, o in rows:
        script = "/".join(sorted(text_scripts(o) - {"Common", "Inherited"}))
        by_script[script][1] += 1
        by_script[script][0] += compare_names(latin, o, common=common).is_match
    negatives = fp = 0
    for i, (_, latin, _) in enumerate(rows):
        others: set[int] = set()
        for w in analyse_name(latin).words:
            others |= by_cons.get(w.cons, set())
        for j in others - {i}:
            negatives += 1
            fp += compare_names(latin, rows[j][2], common=common).is_match
    found = sum(v[0] for v in by_script.values())
    return {
        "positives": len(rows),
        "found": found,
        "recall": found / len(rows) if rows else 0.0,
        "by_script": {k: {"found": v[0], "pairs": v[1]} for k, v in by_script.items()},
        "hard_negatives": negatives,
        "false_positives": fp,
    }


def prf(pred: list[bool], gold: list[bool]) -> dict[str, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    fn = sum(g and not p for p, g in zip(pred, gold, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def best_threshold(scores: list[float], gold: list[bool]) -> tuple[float, dict[str, float]]:
    """The threshold (score >= t) with the highest F1, by one sweep over sorted scores."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    positives = sum(gold)
    tp = fp = 0
    best = (0.0, 1.0)
    for rank, i in enumerate(order):
        tp += gold[i]
        fp += not gold[i]
        last = rank + 1 == len(order) or scores[order[rank + 1]] != scores[i]
        if last and tp:
            f1 = 2 * tp / (tp + fp + positives)
            if f1 > best[0]:
                best = (f1, scores[i])
    t = best[1]
    return t, prf([s >= t for s in scores], gold)


def run(xml: Path, n_errors: int) -> dict[str, Any]:
    start = time.perf_counter()
    pairs, individuals, names = build_pairs(xml)
    gold = [g for _, _, g in pairs]
    built = time.perf_counter() - start
    # CPU time of this process (one core), so that other work on the machine does not count
    start = time.process_time()
    common = common_words({n for a, b, _ in pairs for n in (a, b)})
    comparisons = [compare_names(a, b, common=common) for a, b, _ in pairs]
    compare_time = time.process_time() - start
    start = time.process_time()  # again, caches warm: the speed of a long resolve or screening
    for a, b, _ in pairs:
        compare_names(a, b, common=common)
    warm_time = time.process_time() - start
    ours = [c.score for c in comparisons]
    no_tf = [compare_names(a, b, common=frozenset()).score for a, b, _ in pairs]
    no_tf_prf = prf([s >= MATCH_THRESHOLD for s in no_tf], gold)
    start = time.process_time()
    jw = [JaroWinkler.similarity(fold(a), fold(b)) for a, b, _ in pairs]
    jw_time = time.process_time() - start
    jw_t, jw_prf = best_threshold(jw, gold)
    our_prf = prf([s >= MATCH_THRESHOLD for s in ours], gold)
    our_best_t, our_best = best_threshold(ours, gold)
    by_shared: dict[str, dict[str, int]] = defaultdict(
        lambda: {"positives": 0, "compare_names": 0, "jaro_winkler": 0}
    )
    for (a, b, g), c, j in zip(pairs, comparisons, jw, strict=True):
        if g:
            row = by_shared[shared_words(a, b)]
            row["positives"] += 1
            row["compare_names"] += c.is_match
            row["jaro_winkler"] += j >= jw_t
    levels: dict[str, dict[str, int]] = defaultdict(lambda: {"positive": 0, "negative": 0})
    for c, g in zip(comparisons, gold, strict=True):
        levels[c.level]["positive" if g else "negative"] += 1
    missed: dict[str, int] = defaultdict(int)
    for (a, b, g), c in zip(pairs, comparisons, strict=True):
        if g and not c.is_match:
            missed[false_negative_category(a, b, c.level)] += 1
    errors = {
        "false_positives": [
            (a, b, c.explanation)
            for (a, b, g), c in zip(pairs, comparisons, strict=True)
            if c.is_match and not g
        ][:n_errors],
        "false_negatives": [
            (a, b, c.explanation)
            for (a, b, g), c in zip(pairs, comparisons, strict=True)
            if g and not c.is_match
        ][:n_errors],
    }
    return {
        "individuals": individuals,
        "names": names,
        "positives": sum(gold),
        "hard_negatives": len(gold) - sum(gold),
        "compare_names": {"threshold": MATCH_THRESHOLD, **our_prf},
        "compare_names_best_threshold": {"threshold": our_best_t, **our_best},
        "compare_names_without_list_frequencies": {"threshold": MATCH_THRESHOLD, **no_tf_prf},
        "common_words": sorted(common),
        "jaro_winkler_best_threshold": {"threshold": jw_t, **jw_prf},
        "f1_gain": our_prf["f1"] - jw_prf["f1"],
        "levels": dict(levels),
        "false_negatives_by_category": dict(sorted(missed.items(), key=lambda kv: -kv[1])),
        "recall_by_shared_words": dict(by_shared),
        "held_out_frequencies": held_out(xml),
        "cross_script": cross_script(xml, common),
        "seconds": {"build_pairs": built, "compare_names": compare_time, "jaro_winkler": jw_time},
        "pairs_per_second": len(pairs) / compare_time,
        "pairs_per_second_warm": len(pairs) / warm_time,
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "errors": errors,
    }


def _row(label: str, r: dict[str, float]) -> str:
    return (
        f"| {label} | {r['threshold']:.3f} | {r['precision']:.3f} | {r['recall']:.3f} "
        f"| **{r['f1']:.3f}** | {r['tp']} | {r['fp']} | {r['fn']} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xml", type=Path, default=DEFAULT_XML)
    parser.add_argument("--errors", type=int, default=15, help="errors of each kind to list")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    result = run(args.xml, args.errors)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    print(
        f"{result['individuals']} individuals, {result['names']} names: "
        f"{result['positives']} positive pairs, {result['hard_negatives']} hard negatives\n"
    )
    print("| comparator | threshold | precision | recall | F1 | TP | FP | FN |")
    print("|---|---|---|---|---|---|---|---|")
    print(_row("compare_names (decision threshold)", result["compare_names"]))
    print(
        _row(
            "compare_names (best threshold, for reference)", result["compare_names_best_threshold"]
        )
    )
    print(
        _row(
            "compare_names without the list's word frequencies",
            result["compare_names_without_list_frequencies"],
        )
    )
    print(_row("Jaro-Winkler (best threshold)", result["jaro_winkler_best_threshold"]))
    print(f"\nF1 gain over Jaro-Winkler: {result['f1_gain']:+.3f}")
    secs = result["seconds"]
    print(
        f"compare_names: {secs['compare_names']:.2f} s CPU for "
        f"{result['positives'] + result['hard_negatives']} pairs "
        f"({result['pairs_per_second']:,.0f} pairs/s, cold caches; "
        f"{result['pairs_per_second_warm']:,.0f} pairs/s warm); "
        f"Jaro-Winkler {secs['jaro_winkler']:.2f} s"
    )
    xs = result["cross_script"]
    scripts = ", ".join(f"{k} {v['found']}/{v['pairs']}" for k, v in xs["by_script"].items())
    print(
        f"\ncross-script (primary name / own original-script name): recall "
        f"{xs['recall']:.3f} ({xs['found']} of {xs['positives']}: {scripts}); "
        f"{xs['false_positives']} false positives on {xs['hard_negatives']} hard negatives "
        "(another individual's original-script name sharing a consonant word)"
    )
    print(
        "\nrecall by how much of the shorter name the other spells closely "
        "(words at Jaro-Winkler >= 0.85; no comparator involved):"
    )
    for k in ("all", "some", "none"):
        row = result["recall_by_shared_words"].get(k)
        if row:
            print(
                f"  {k:5} {row['positives']:5} positive pairs: compare_names "
                f"{row['compare_names'] / row['positives']:.3f}, Jaro-Winkler "
                f"{row['jaro_winkler'] / row['positives']:.3f}"
            )
    ho = result["held_out_frequencies"]
    print(
        f"\nheld-out half of the list ({ho['pairs']} pairs, {ho['positives']} positive; "
        "entries that never fed the shipped word table):"
    )
    for label, text in (
        ("shipped", "shipped word frequencies (the other half)"),
        ("own", "the benchmark's own frequencies"),
        ("none", "no frequencies"),
    ):
        r = ho[label]
        print(
            f"  {text:42} precision {r['precision']:.3f} recall {r['recall']:.3f} F1 {r['f1']:.3f}"
        )
    print("\nlevels (positive / negative pairs):")
    for level, c in sorted(result["levels"].items(), key=lambda kv: -sum(kv[1].values())):
        print(f"  {level:32} {c['positive']:6} {c['negative']:6}")
    print("\nfalse negatives by category:")
    for category, n in result["false_negatives_by_category"].items():
        print(f"  {category:52} {n:6}")
    for kind, rows in result["errors"].items():
        print(f"\n{kind} (first {len(rows)}):")
        for a, b, why in rows:
            print(f"  {a!r} / {b!r}: {why}")


if __name__ == "__main__":
    main()
