"""Name folding: what resolution, profiles and the gold scoring compare names by."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.model.names import fold, tokens

_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00b4": "'", "`": "'"}


def _folded(text: str) -> str:
    """The rule as the docstring states it, step by step, character by character."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = "".join(_QUOTES.get(c, c) for c in t)
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"'s$", "", t)
    return t.strip(" \t\n\"'.,;:!?()[]{}").casefold()


def test_diacritics_quotes_case_and_possessives_fold() -> None:
    assert fold("  Benzaïd\u2019s ") == "benzaid"
    assert fold("ÇELİK `Ali`") == fold("celik 'ali'") == "celik 'ali"
    assert fold("Ａｂｕ\u00a0Omar") == "abu omar"  # full-width letters, a no-break space
    assert tokens("al-Tarabulsi O\u2019Brien") == ["al", "tarabulsi", "o", "brien"]


@settings(deadline=None, max_examples=500)
@given(
    text=st.text(
        alphabet=st.sampled_from(
            list("aZ '`.,-\t\n\u2018\u2019\u201c\u201d\u00b4éüñØßﬁİı\u0301\u0308مح\u00a0\u2003\x1c")
            + ['"']
        ),
        max_size=14,
    )
)
def test_ascii_and_other_text_fold_by_the_same_rule(text: str) -> None:
    assert fold(text) == _folded(text)
    assert fold(text + "'s") == _folded(text + "'s")


def test_every_character_folds_by_the_rule() -> None:
    for cp in range(0x3000):
        c = chr(cp)
        assert fold(f"a{c}b {c}") == _folded(f"a{c}b {c}"), hex(cp)
