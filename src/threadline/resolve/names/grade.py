"""How alike two words of names are: a grade in 0..1 and the reason, and the
pairing of the words of two names (:func:`_pair`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rigour.text import jaro_winkler as _jw

from threadline.model.names import strict_skeleton
from threadline.resolve.names.forms import _Name, _Word, _word
from threadline.resolve.names.translit import _end_class, _gh_q, _long_vowels_differ

# Grades of a word pair.
_SAME = 1.0
_VARIANT_Q = 0.95
_SOUND_Q = 0.9
_CLOSE_Q = 0.8
_SPLIT_Q = 0.9
_ABD_TAIL_Q = 0.7
_SHORT_FORM_Q = 0.7
_INITIAL_Q = 0.55
#: A word pair graded at least this is a match; below it, a conflict.
_WORD_MATCH = 0.55


@lru_cache(maxsize=262144)
def _grade(a: _Word, b: _Word, abjad: bool) -> tuple[float, str]:
    """How alike two words are: a grade in 0..1 and the reason."""
    if a.text == b.text:
        return _SAME, "same"
    if a.initial or b.initial:
        full, ini = (b, a) if a.initial else (a, b)
        if not full.initial and full.text[0] == ini.text:
            return _INITIAL_Q, "initial"
        return 0.0, ""
    if abjad:  # a transliterated abjad has no vowels to compare: consonants or nothing
        if a.cons == b.cons and len(a.cons) >= 2:
            return _VARIANT_Q, "same consonants"
        return 0.0, ""
    vowels_agree = a.vowel == b.vowel or not a.vowel or not b.vowel
    ratio = min(len(a.text), len(b.text)) / max(len(a.text), len(b.text))
    if a.strict == b.strict and vowels_agree and ratio >= 0.65:
        return _VARIANT_Q, "transliteration variant"
    if a.vkey == b.vkey and len(a.vkey) >= 3 and ratio >= 0.6:
        return _VARIANT_Q, "same letters and vowels"  # Daud / Dawood, Baynah / Beenah
    if (a.abd_tail is None) != (b.abd_tail is None):
        compound, plain = (a, b) if a.abd_tail else (b, a)
        if (
            compound.abd_tail
            and strict_skeleton(compound.abd_tail) == plain.strict
            and vowels_agree
        ):
            return _ABD_TAIL_Q, "second half of an Abd- name"
    if min(len(a.text), len(b.text)) < 4 or _nisba_of(a, b) or _nisba_of(b, a):
        return 0.0, ""
    if _gh_q(a.strict) == _gh_q(b.strict) and vowels_agree and "gh" in a.text + b.text:
        return _SOUND_Q, "gh / q variant"  # Persian: Ghasemi / Qasemi
    if _h_dropped(a, b) or _h_dropped(b, a):
        return _SOUND_Q, "initial h dropped"  # Habib / Abib, Hissein / Issene
    if a.abd_tail and b.abd_tail:  # "Abd al-Khaliq" / "Abdulmalik": the shared Abd- says nothing
        ta, tb = a.abd_tail, b.abd_tail
        ratio = min(len(ta), len(tb)) / max(len(ta), len(tb))
        jw = _jw(ta, tb)
        jw_strict = _jw(strict_skeleton(ta), strict_skeleton(tb))
    else:
        jw = _jw(a.text, b.text)
        jw_strict = _jw(a.strict, b.strict)
    if ratio < 0.65:  # "Amar" is no spelling of "Amerzouk", nor "Bakar" of "Bakrouni"
        return 0.0, ""
    if a.skel == b.skel and a.text[0] == b.text[0] and jw >= (0.85 if vowels_agree else 0.88):
        return _CLOSE_Q, "close variant"  # Shahab / Shihab, not Ahmad / Hamad
    if a.sound == b.sound and jw >= 0.88 and vowels_agree:
        return _SOUND_Q, "sounds alike"
    strict_ratio = min(len(a.strict), len(b.strict)) / max(len(a.strict), len(b.strict), 1)
    close = 0.92 if min(len(a.text), len(b.text)) >= 6 else 0.95  # short words: Ahmad / Hamad
    same_start = a.strict[:1] == b.strict[:1]
    # a final long u against a consonant: Haddou / Haddad are two names
    # the last letters agree in kind: Haris / Harith and Taha / Taher may be one name,
    # Hassan / Hashan and Haddou / Haddad are two
    same_end = bool(_end_class(a.text) & _end_class(b.text)) or any(
        x.text[-1] in "aeiy" for x in (a, b)
    )
    if jw >= close or (
        vowels_agree and jw_strict >= 0.92 and strict_ratio >= 0.8 and same_start and same_end
    ):
        return _CLOSE_Q, "close spelling"
    if _same_consonants(a, b):
        return _CLOSE_Q, "same consonants"
    return _article_joined(a, b, abjad)


def _short_form(long_: _Word, short: _Word) -> str | None:
    """The reason when ``short`` is the first half of the compound ``long_``
    (Nizam / Nizamuddin, Saif / Saifullah), else None."""
    head = long_.compound_head
    if head is None or len(short.text) >= len(long_.text) or short.compound_head:
        return None
    text, vkey, strict = head
    if text == short.text or vkey == short.vkey or strict == short.strict:
        return f"first half of {long_.text}"
    return None


_JOINED_ARTICLE = re.compile(r"^(?:al|el)(?=[^aeiou]\w{4,})")


#: Zipf frequency (English) from which a word is one the language knows as written:
#: Albert, Alfred, Elmer carry no article.
_KNOWN_ZIPF = 1.5


@lru_cache(maxsize=65536)
def _known_word(text: str) -> bool:
    """True when ``text`` is a word of English as written (wordfreq, loaded on first use)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(text, "en") >= _KNOWN_ZIPF


def _article_joined(a: _Word, b: _Word, abjad: bool) -> tuple[float, str]:
    """The grade of two words one of which carries the article joined to it
    ("Aljeithni" / "Juaythini", "Elmasri" / "Masri"), the other none."""
    ma, mb = _JOINED_ARTICLE.match(a.text), _JOINED_ARTICLE.match(b.text)
    if bool(ma) == bool(mb):
        return 0.0, ""
    bare, other = (_word(a.text[2:]), b) if ma else (_word(b.text[2:]), a)
    q, how = _grade(bare, other, abjad)
    # the word list (0.3 s to load) is asked only when the bare word is close: a word
    # of English as written (Albert, Elmer) carries no article
    if q < _CLOSE_Q or _known_word(a.text if ma else b.text):
        return 0.0, ""
    return min(q, _SOUND_Q), f"article joined, {how}"


def _same_consonants(a: _Word, b: _Word) -> bool:
    """Latin spellings of one name: the same consonants in the same order under one of the
    ways the alphabets are read (:func:`_families`), both starting with a vowel or
    neither (Islam / Salim are two names), and no long vowel where the other spells
    another (Hassan / Hussein, Mohammed / Mahmoud)."""
    return bool(a.families & b.families) and not _long_vowels_differ(a.slots, b.slots)


def _h_dropped(a: _Word, b: _Word) -> bool:
    """True when ``b`` is ``a`` without its initial 'h' (French transliterations drop it)."""
    return a.text[0] == "h" and b.text[0] in "aeiou" and strict_skeleton(a.text[1:]) == b.strict


def _nisba_of(a: _Word, b: _Word) -> bool:
    """True when ``b`` is ``a`` with a nisba ending: Ahmadi from Ahmad, Masri from Masr."""
    return b.text[-1] in "iy" and b.strict == a.strict + "a" and a.text[-1] not in "aeiouy"


def _pair(
    a: tuple[_Word, ...], b: tuple[_Word, ...], abjad: bool
) -> list[tuple[int, int, float, str]]:
    """Pair words one to one, best grades first (names are short: greedy is exact enough)."""
    cands = []
    for i, wa in enumerate(a):
        for j, wb in enumerate(b):
            q, how = _grade(wa, wb, abjad)
            if q >= _WORD_MATCH:
                cands.append((q, -abs(i - j), i, j, how))
    cands.sort(reverse=True)
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for q, _, i, j, how in cands:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        out.append((i, j, q, how))
    return out


def _split_words(word: _Word, other: _Name) -> frozenset[str]:
    """The words of the other name that spell ``word`` when joined ("bin al shibh")."""
    span = other.joins.get(word.text)
    # on its skeleton only a long word (short syllables, Korean, join to anything) or
    # against an abjad's romanisation (الله comes out "al lh": Allah)
    if not span and (len(word.text) >= 6 or other.abjad):
        span = other.joins.get(word.skel)
    if not span and word.abd_tail:
        span = other.joins.get(f"abd:{word.abd_tail}")
    return span or frozenset()
