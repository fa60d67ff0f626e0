"""Hard name pairs (benchmarks/data/hard_name_pairs.tsv, invented people written for
threadline): every pair a reader would call certain gets the right answer, with an
explanation that names the parts matched; the judgement calls are scored by
benchmarks/hard_name_pairs.py, not held here."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.resolve.names import MATCH_THRESHOLD, compare_names
from threadline.resolve.org_names import compare_org_names

PAIRS = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "hard_name_pairs.tsv"


def _pairs() -> list[tuple[str, str, str, str, bool]]:
    out = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, schema, a, b, same, certain = line.split("\t")
        if certain == "1":
            out.append((kind, schema, a, b, same == "1"))
    return out


CERTAIN = _pairs()


def test_the_pairs_cover_every_kind_the_issue_names() -> None:
    kinds = {k for k, *_ in CERTAIN}
    assert {"patronymic", "compound", "script", "brothers", "order"} <= kinds
    assert {"org-legal", "org-qualifier", "org-acronym"} <= kinds
    assert len(CERTAIN) >= 60


@pytest.mark.parametrize(
    ("kind", "schema", "a", "b", "same"), CERTAIN, ids=[f"{p[0]}:{p[2]}|{p[3]}" for p in CERTAIN]
)
def test_certain_pair(kind: str, schema: str, a: str, b: str, same: bool) -> None:
    if schema == "Organization":
        score, why = compare_org_names(a, b)
        assert (score >= MATCH_THRESHOLD) == same, why
        assert compare_org_names(b, a)[0] == score  # symmetric
        return
    c = compare_names(a, b)
    assert c.is_match == same, c.explanation
    assert compare_names(b, a).is_match == same
    if same:
        assert c.matched, "a match names the parts that matched"


def test_a_patronymic_swap_is_explained() -> None:
    c = compare_names("Hamza bin Yusuf", "Yusuf bin Hamza")
    assert not c.is_match
    assert "father and son" in c.explanation


def test_a_bracketed_qualifier_is_named_in_the_explanation() -> None:
    score, why = compare_org_names("Crescent Trading (Dubai)", "Crescent Trading (Sharjah)")
    assert score < MATCH_THRESHOLD and "dubai / sharjah" in why


def test_a_cross_script_match_says_how_it_was_compared() -> None:
    c = compare_names("Samir Belkadem", "سمير بلقادم")
    assert c.is_match and "consonants" in c.explanation
