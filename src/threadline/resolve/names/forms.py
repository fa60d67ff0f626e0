"""A name read into the words compared: given names, family name, kunya, nicknames,
particles, and the words written joined; other scripts romanised (rigour).

:func:`analyse_name` is cached: lists repeat names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rigour.names import remove_person_prefixes
from rigour.text import ascii_text
from rigour.text.phonetics import metaphone
from rigour.text.scripts import text_scripts

from threadline.model.names import (
    ARTICLES,
    KUNYA_HEADS,
    PARTICLES,
    PATRONYMICS,
    TITLES,
    fold,
    join_abd,
    parse_name,
    reading_order,
    skeleton,
    split_nicknames,
    strict_skeleton,
    tokens,
)
from threadline.resolve.names.translit import (
    _consonants,
    _families,
    _first_vowel,
    _slots,
    _vowel_key,
)

#: Scripts written without short vowels: compare their transliterations on consonants.
_ABJADS = frozenset({"Arabic", "Hebrew", "Syriac", "Thaana"})
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bb\u02bc\u02be\u02bf`\u00b4]")
_ABD_HEAD = re.compile(r"^abd(?:ul|el|al|oul|ou|u|ur|er|ar|us|es|as|ud|ed|ad|ut|et|at)?")


@dataclass(frozen=True)
class _Word:
    """One word of a name, with the keys it is compared on (all derived from ``text``,
    so a word hashes and compares by its text alone: the word-pair cache stays cheap)."""

    text: str
    skel: str = field(compare=False)
    strict: str = field(compare=False)
    cons: str = field(compare=False)
    families: frozenset[str] = field(compare=False)
    sound: str = field(compare=False)
    vowel: str = field(compare=False)
    initial: bool = field(compare=False)
    abd_tail: str | None = field(compare=False)
    vkey: str = field(compare=False, default="")
    #: the first half of a compound written whole (Nizamuddin: nizam) with its keys
    compound_head: tuple[str, str, str] | None = field(compare=False, default=None)
    slots: tuple[tuple[str, bool], ...] = field(compare=False, default=())


@dataclass(frozen=True)
class _Name:
    original: str
    words: tuple[_Word, ...]  # given names then family name
    kunya: _Word | None
    nicknames: tuple[str, ...]
    particles: tuple[str, ...]
    raw: tuple[str, ...]  # every folded word, particles included, for split words
    whole: str  # the folded name without its nicknames, titles kept
    abjad: bool
    joins: dict[str, frozenset[str]]  # two or three raw words joined (and their skeletons)
    own: int | None = None  # words before the first "bin"/"ibn": the person's own name


@lru_cache(maxsize=65536)
def _word(text: str) -> _Word:
    skel = skeleton(text)
    head = re.sub(r"^(?:b|ib)rahim$", "ibrahim", text)
    m = _ABD_HEAD.match(text)
    tail = text[m.end() :] if m and len(text) - m.end() >= 3 else None
    return _Word(
        text=text,
        skel=skel,
        strict=strict_skeleton(text),
        cons=_consonants(text),
        families=_families(text),
        sound=metaphone(text) if text.isascii() and text.isalpha() else text,
        vowel=_first_vowel(tail if tail else head),
        initial=len(text) == 1,
        abd_tail=tail,
        vkey=_vowel_key(text),
        slots=_slots(text),
        compound_head=_compound_head(text),
    )


#: The second halves of compound names Latin writes joined: Nizam al-Din
#: (Nizamuddin, Nezameddine), Amin Allah (Aminullah), Nasr Allah.
_COMPOUND_TAIL = re.compile(r"(?:[aeiou]{1,2}d|d)d?(?:in|een|ine)$|(?:[aeiou]|ou)?ll?ah?$")


def _compound_head(text: str) -> tuple[str, str, str] | None:
    """The first half of a compound written as one word and its keys (text, vowel-class
    key, strict skeleton), or None."""
    m = _COMPOUND_TAIL.search(text)
    if not m or m.start() < 3:
        return None
    head = text[: m.start()]
    return head, _vowel_key(head), strict_skeleton(head)


#: A note of birth a list writes into a name: "..., born in Kandahar on 01 Jan. 1967",
#: "... born 1 Jan. 1953" (not the family name Born).
_BIRTH_NOTE = re.compile(r",?\s+born\s+(?:in|on|\d).*$", re.IGNORECASE | re.DOTALL)


@lru_cache(maxsize=65536)
def analyse_name(name: str) -> _Name:
    """Split ``name`` into the words compared (cached: lists repeat names)."""
    rest, nicknames = split_nicknames(_BIRTH_NOTE.sub("", name))
    rest = reading_order(rest)
    scripts = text_scripts(rest)
    if "Latin" in scripts and scripts & _ABJADS:  # "Agha Jan Alizai اغا جان عالیزی"
        rest = "".join(c for c in rest if c.isascii() or not c.isalpha())
        scripts = text_scripts(rest)
    abjad = bool(scripts & _ABJADS)
    if scripts & _ABJADS:
        rest = _arabic_particles(rest)
    romanised = bool(scripts - {"Latin", "Common", "Inherited"})
    if romanised:
        rest = ascii_text(rest).replace("?", "")  # 'ayn and hamza come out as "?"
    rest = _APOSTROPHES.sub("", rest).replace(".", " ")
    if not romanised:  # "mr" romanised from Arabic is Omar (عمر), not Mr
        rest = remove_person_prefixes(rest)
    raw = tuple(tokens(rest))
    joined = join_abd(list(raw))
    kunya = None
    # parse_name reads "Abu Omar" as a kunya only when it opens the name
    heads = [i for i, w in enumerate(joined[:-1]) if w in KUNYA_HEADS and i > 0]
    if heads:
        h = heads[0]
        n = 2 if joined[h + 1] in ARTICLES and h + 2 < len(joined) else 1
        kunya = _word(joined[h + n])
        joined = joined[:h] + joined[h + n + 1 :]
    parts = parse_name(" ".join(joined), titles=not romanised)
    words = list(parts.given) + (parts.family.split() if parts.family else [])
    # how many words name the person himself before "bin"/"ibn"/"ould" starts his father's
    own = next(
        (
            sum(1 for w in joined[:i] if w not in PARTICLES and w not in TITLES)
            for i, w in enumerate(joined)
            if w in PATRONYMICS and i > 0
        ),
        None,
    )
    if parts.kunya:
        kunya = _word(parts.kunya.split()[1])
    return _Name(
        original=name,
        words=tuple(_word(w) for w in words),
        kunya=kunya,
        nicknames=nicknames,
        particles=parts.particles,
        raw=raw,
        whole=fold(split_nicknames(name)[0]),
        abjad=abjad,
        own=own if own and own < len(words) else None,
        joins=_joins(raw),
    )


#: Arabic-script particles, spelt as the Latin forms the name model knows.
_ARABIC_WORDS = {
    "ابو": "abu",
    "أبو": "abu",
    "ابى": "abu",
    "أبي": "abu",
    "ابي": "abu",
    "ام": "umm",
    "أم": "umm",
    "بن": "bin",
    "ابن": "bin",
    "إبن": "bin",
    "بنت": "bint",
    "ولد": "ould",
    "بو": "bou",
    "عبد": "abd",
}
#: Titles in Arabic script (Haji, Mullah, Sheikh, Maulavi, Akhund), left out as the
#: Latin ones are.
_ARABIC_TITLES = frozenset(
    {
        "حاجى",
        "حاجي",
        "حاجی",
        "الحاج",
        "ملا",
        "شيخ",
        "الشيخ",
        "مولوى",
        "مولوي",
        "مولوی",
        "آخوند",
    }
)
#: Second halves written apart that Latin writes joined: Habib Allah / Habibullah,
#: Jalal al-Din / Jalaluddin.
_ARABIC_JOINED = frozenset({"الله", "الدين", "الدین"})
_ARABIC_ARTICLE = re.compile(r"^(?:ال|إل)(?=\w\w)")


def _arabic_particles(text: str) -> str:
    """Arabic-script particles and the joined article written as the Latin forms:
    "أبو سفيان التونسي" -> "abu سفيان al-تونسي" (the rest is then romanised); a
    final ta marbuta as h (حمزة: hmzh, the Latin Hamza / Hamzah)."""
    text = re.sub(r"\u0629(?=\s|$)", "\u0647", text)
    out: list[str] = []
    for w in text.split():
        if w in _ARABIC_TITLES:
            continue
        if w in _ARABIC_JOINED and out and out[-1] not in _ARABIC_WORDS.values():
            out[-1] += w
        elif w in _ARABIC_WORDS:
            out.append(_ARABIC_WORDS[w])
        else:
            out.append(_ARABIC_ARTICLE.sub("al-", w))
    return " ".join(out)


def _joins(raw: tuple[str, ...]) -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for n in (3, 2):
        for k in range(len(raw) - n + 1):
            joined = "".join(raw[k : k + n])
            out[joined] = out[skeleton(joined)] = frozenset(raw[k : k + n])
    for k in range(len(raw) - 1):  # "A. Kabir" for "Abdul Kabir"
        if raw[k] == "a":
            out[f"abd:{raw[k + 1]}"] = frozenset(raw[k : k + 2])
    return out
