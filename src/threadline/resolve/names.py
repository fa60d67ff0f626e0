"""Compare two person names part by part and say why they match or not.

Plain string similarity fails both ways on the names this field meets:
Jaro-Winkler rates the brothers "Salah Abdeslam" and "Brahim Abdeslam" close,
and "Abaaoud" far from "Abdelhamid Abaaoud". :func:`compare_names` instead
splits each name into its parts (given names, family name, kunya, particles,
titles, nicknames, initials; :mod:`threadline.model.names`), pairs the words of
one name with the words of the other, and grades each pair:

- the same word after folding (case, diacritics: Belkaïd = Belkaid);
- a transliteration variant: the same strict skeleton (Mohammed / Muhammad /
  Mohamed, Khalid / Khaled, Ibrahim / Brahim, Abdelhamid / Abdul Hamid, ou/u,
  ee/i) with the same first vowel (Hassan and Hussein share a skeleton but are
  two names);
- sounding alike (same metaphone, close spelling) or a close spelling
  (Jaro-Winkler of the words, not of the whole names);
- a transliteration family: the same consonants under one reading of the
  letters romanisations write differently (Uthman / Usman, Rochim / Rahim,
  Xasan / Hasan), guarded by the first letter and long vowels (Islam / Salim,
  Hassan / Hussein and Mohammed / Mahmoud stay apart);
- an initial ("J." for "John");
- one word written as two ("Bin al-Shibh" / "Binalshibh").

The score rewards names whose every word is accounted for and punishes a
word of the shorter name that finds no partner (a conflict); extra words of
the longer name cost a little (a dropped middle name), middle names and common
words (:func:`common_words`, or without a list the shipped table of
:mod:`threadline.resolve.name_frequencies`) weigh less. Two names that share
only a family name while their given names differ (brothers) score low; a
single name word,
a kunya ("Abu Omar") or a nickname alone is weak evidence and stays under the
decision threshold :data:`MATCH_THRESHOLD`. Word order is free ("Abdeslam,
Salah" = "Salah Abdeslam"); titles (Sheikh, Mullah, Dr) are dropped.

>>> compare_names("Mohammed Belkaïd", "Muhamad Belkaid").level
'variant'
>>> compare_names("Salah Abdeslam", "Brahim Abdeslam").score < MATCH_THRESHOLD
True

Scripts: a name in another script is transliterated with rigour's
``ascii_text``; Arabic-script names come out without short vowels
("mhmd tahr"), so they are compared on consonants only.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rigour.names import remove_person_prefixes
from rigour.text import ascii_text
from rigour.text import jaro_winkler as _jw
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
from threadline.resolve.name_frequencies import shipped_common_words

#: A comparison at or above this score says "the same name" (a hit, a merge proposal).
MATCH_THRESHOLD = 0.80

# Levels, strongest first.
EXACT = "exact"
VARIANT = "variant"
PARTIAL = "partial"
INITIALS = "initials"
SAME_FAMILY = "same family, different given"
PATRONYMIC_ORDER = "patronymic chain in another order"
KUNYA_ONLY = "kunya only"
NICKNAME = "nickname only"
WEAK = "weak"
DIFFERENT = "different"

#: Scripts written without short vowels: compare their transliterations on consonants.
_ABJADS = frozenset({"Arabic", "Hebrew", "Syriac", "Thaana"})
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bb\u02bc\u02be\u02bf`\u00b4]")
_ABD_HEAD = re.compile(r"^abd(?:ul|el|al|oul|ou|u|ur|er|ar|us|es|as|ud|ed|ad|ut|et|at)?")
_VOWEL = re.compile(r"[aeiou]|(?<!^)y")  # a leading y is a consonant: Youssef, Yassine
_VOWEL_CLASS = {"a": "a", "e": "i", "i": "i", "y": "i", "o": "u", "u": "u"}

# Grades of a word pair.
_SAME = 1.0
_VARIANT_Q = 0.95
_SOUND_Q = 0.9
_CLOSE_Q = 0.8
_SPLIT_Q = 0.9
_ABD_TAIL_Q = 0.7
_INITIAL_Q = 0.55
#: A word pair graded at least this is a match; below it, a conflict.
_WORD_MATCH = 0.55
#: Weight of a common name word (see :func:`common_words`).
_COMMON_WEIGHT = 0.5
#: Share of the score that words of the longer name left unmatched can take away.
_EXTRA_WORDS = 0.2
#: Highest score of a one-word name against a longer one.
_SINGLE_CAP = 0.7
#: Weight of an unmatched word of a name whose other words match three times or more.
_CONFLICT_IN_LONG = 0.5
#: Weight of a middle name (neither first nor last).
_MIDDLE_WEIGHT = 0.3


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


@dataclass(frozen=True)
class PartMatch:
    """Two words paired by the comparison and how they compare."""

    a: str
    b: str
    how: str
    score: float


@dataclass(frozen=True)
class NameComparison:
    """How two person names compare: a score in 0..1, a level and the reasons."""

    a: str
    b: str
    score: float
    level: str
    matched: tuple[PartMatch, ...] = ()
    conflicts: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_match(self) -> bool:
        """True when the score reaches :data:`MATCH_THRESHOLD`."""
        return self.score >= MATCH_THRESHOLD

    @property
    def explanation(self) -> str:
        """One line a reviewer can read: what matched, what conflicted, what else counted."""
        bits = [f"{self.level} ({self.score:.2f})"]
        if self.matched:
            bits.append(
                "matched: "
                + ", ".join(
                    f"{m.a}={m.b} ({m.how})" if m.a != m.b else f"{m.a} ({m.how})"
                    for m in self.matched
                )
            )
        if self.conflicts:
            bits.append("conflicts: " + ", ".join(self.conflicts))
        bits.extend(self.notes)
        return "; ".join(bits)


_VKEY_RULES = [
    (r"(?<=[^aeiou])e$", ""),  # a French mute e
    (r"(?<=.)h$", ""),  # a final h or ta marbuta
    (r"dj", "j"),
    (r"kh", "k"),
    (r"gh", "g"),
    (r"q", "k"),
    (r"c(?=[eiy])", "s"),
    (r"ck|c", "k"),
    (r"(?:ou|oo|uu|aw|au|ow|o|u)", "u"),  # long and short u as Latin writes them
    (r"(?:ay|ai|ei|ey|ee|ii|ie|iy|ea|e|i)(?![aeiou])", "i"),  # long and short i
    (r"aa", "a"),
    (r"(.)\1", r"\1"),
]


def _vowel_key(text: str) -> str:
    """A word's consonants with the class (a, i, u) of each vowel, long or short
    ("Dawood" and "Daud": dud; "Baynah" and "Beenah": bina), so that spellings of
    one name agree while names with other vowels stay apart (Amin / Aman)."""
    w = text
    for pattern, repl in _VKEY_RULES:
        w = re.sub(pattern, repl, w)
    return w


def _first_vowel(word: str) -> str:
    m = _VOWEL.search(word)
    return _VOWEL_CLASS[m.group()] if m else ""


_CONSONANT_RULES = [
    (r"(?<=[^aeiou])e$", ""),  # a French mute e: Abderrahmane
    (r"(?<=[^aeiou])(?:ou|o|u)$", "w"),  # a final long u is written (Haddou: hdw)
    (r"[ie]$", "y"),  # a final long i is written (Ahmadi: ahmdy)
    (r"(?<=.)h$", ""),  # a final h or ta marbuta: Hamzah / Hamza / حمزة
    (r"c(?=[eiy])", "s"),  # French c: Belkacem
    (r"c", "k"),
    (r"[?']", ""),
    (r"^([aeiou]?bd)[aeiou]?l(?=[tdrzsn])", r"\1"),  # Abd al-Salam as said: Abdessalam
    (r"kh", "k"),
    (r"gh", "g"),
    (r"sh", "s"),
    (r"ch", "s"),
    (r"th", "t"),
    (r"dh", "d"),
    (r"ph", "f"),
    (r"q", "k"),
    (r"j", "g"),
    (r"[aeiou]", ""),
    (r"[wy](?!$)", ""),  # long vowels written as w / y inside a word
    (r"(.)\1", r"\1"),
]


def _consonants(text: str) -> str:
    """The consonants of a word, as a script without short vowels writes them:
    "Mohammed" and the transliterated "mhmd" agree, "Ahmadi" (ahmdy) and "Ahmad" not."""
    w = text
    for pattern, repl in _CONSONANT_RULES:
        w = re.sub(pattern, repl, w)
    return w


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
    )


@lru_cache(maxsize=65536)
def analyse_name(name: str) -> _Name:
    """Split ``name`` into the words compared (cached: lists repeat names)."""
    rest, nicknames = split_nicknames(name)
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
    if ratio < 0.65:  # "Amar" is no spelling of "Ameroud", nor "Bakar" of "Bakraoui"
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
    # Hassib / Hashan and Haddou / Haddad are two
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
    if bool(ma) == bool(mb) or _known_word(a.text if ma else b.text):
        return 0.0, ""
    bare, other = (_word(a.text[2:]), b) if ma else (_word(b.text[2:]), a)
    q, how = _grade(bare, other, abjad)
    return (min(q, _SOUND_Q), f"article joined, {how}") if q >= _CLOSE_Q else (0.0, "")


def _same_consonants(a: _Word, b: _Word) -> bool:
    """Latin spellings of one name: the same consonants in the same order under one of the
    ways the alphabets are read (:func:`_families`), both starting with a vowel or
    neither (Islam / Salim are two names), and no long vowel where the other spells
    another (Hassan / Hussein, Mohammed / Mahmoud)."""
    return bool(a.families & b.families) and not _long_vowels_differ(a.slots, b.slots)


#: Letters that Latin romanisations of one sound write differently, each with the
#: spellings it may stand for: Arabic tha and dhal (Uthman / Usman, Thafir / Zafir,
#: Dhahir / Zahir), kh and h read from ch (Indonesian Rochim, German Michail, French
#: Achour / Ashour; Korean Chang / Jang), q said as g (Qizani / Gizani), Somali x for
#: ha (Xasan) and c for 'ayn (Cali), Persian and Urdu p / b, v / w (Vahid / Wahid),
#: Spanish v / b, Turkish c for j (Cemal / Jamal), Slavic ts / c / z and Wade-Giles ts
#: for pinyin z (Tse / Ze).
_FAMILY_LETTERS: dict[str, tuple[str, ...]] = {
    "th": ("th", "s", "z"),
    "dh": ("dh", "z"),
    "ch": ("ch", "kh", "h", "j"),
    "kh": ("kh", "h"),
    "x": ("x", "h"),
    "q": ("q", "g"),
    "ts": ("ts", "z"),
    "tz": ("tz", "z"),
    "p": ("p", "b"),
    "v": ("v", "w", "b"),
    "^w": ("v",),
    "^c": ("c", "", "j"),
    "^j": ("j", "y"),
    "^y(?=e)": ("y", ""),
    "ff$": ("v",),
    "w$": ("v",),
    "c": ("c", "j"),
}
_FAMILY_SPLIT = re.compile("(" + "|".join(_FAMILY_LETTERS) + ")")
#: The spellings by letters as written, "^" marking a word's first letters.
_FAMILY_KEYS = {k.rstrip("$").split("(")[0]: v for k, v in _FAMILY_LETTERS.items()}


def _families(text: str) -> frozenset[str]:
    """Consonant keys of a word under each reading of its ambiguous letters, with whether it
    starts with a vowel: "uthman" and "usman" share "V:smn", "xasan" and "hasan" "C:hsn"."""
    parts = _FAMILY_SPLIT.split(text)
    choices = [
        (_FAMILY_KEYS.get("^" + p) if i == 1 and not parts[0] else None)
        or _FAMILY_KEYS.get(p, (p,))
        if i % 2
        else (p,)
        for i, p in enumerate(parts)
    ]
    out = set()
    for combo in itertools.islice(itertools.product(*choices), 32):
        w = "".join(combo)
        if not w:
            continue
        start = "V" if w[0] in "aeiou" else "C"
        key = _consonants(w[0].upper() + w[1:] if w[0] in "wy" else w)  # a consonant there
        if len(key) >= 3:
            out.add(f"{start}:{key}")
    return frozenset(out)


_SLOT_DIGRAPHS = re.compile(r"dj|kh|gh|sh|ch|th|dh|ph|zh|ts")
_SLOT_VOWELS = re.compile(r"(?:ay|ai|ei|ey|ee|ii|ie|iy|ou|oo|uu|aw|au|ow|aa|[aeiou])")
_SLOT_LONG = {
    "ay": "i",
    "ai": "i",
    "ei": "i",
    "ey": "i",
    "ee": "i",
    "ii": "i",
    "ie": "i",
    "iy": "i",
}
_SLOT_LONG |= {"ou": "u", "oo": "u", "uu": "u", "aw": "u", "au": "u", "ow": "u", "aa": "a"}


def _slots(text: str) -> tuple[tuple[str, bool], ...]:
    """The vowel after each consonant of a word: its class (a, i, u; "" for none) and
    whether Latin spells it long (Hussein's ei, Mahmoud's ou), read as the letter an
    abjad writes for it."""
    w = _SLOT_DIGRAPHS.sub("C", text)
    w = re.sub(r"([^aeiou])\1", r"\1", w)
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(w):
        if w[i] in "aeiou" and out == []:  # a leading vowel: no consonant before it
            m = _SLOT_VOWELS.match(w, i)
            i = m.end() if m else i + 1
            continue
        i += 1  # the consonant
        m = _SLOT_VOWELS.match(w, i)
        if m:
            v = m.group()
            out.append((_SLOT_LONG.get(v, _VOWEL_CLASS.get(v, "")), v in _SLOT_LONG))
            i = m.end()
        else:
            out.append(("", False))
    return tuple(out)


def _long_vowels_differ(a: tuple[tuple[str, bool], ...], b: tuple[tuple[str, bool], ...]) -> bool:
    """True when one word spells a long vowel where the other has another vowel:
    Hassan / Hussein, Mohammed / Mahmoud are two names with the same consonants."""
    if len(a) != len(b):
        return False
    for (va, la), (vb, lb) in zip(a, b, strict=True):
        if (la or lb) and va and vb and va != vb:
            return True
    return False


#: Final letters a transliteration may swap: Haris / Harith, Abdelbassed / Abdulbaset.
_END_CLASSES = ("bpfvw", "dtzsxhcjgkq", "mn", "lr", "aeiouyh")


def _end_class(text: str) -> set[int]:
    """The classes of a word's last letter (and of the one before a final h)."""
    ends = {text[-1:], text.rstrip("h")[-1:]}
    return {i for i, c in enumerate(_END_CLASSES) if ends & set(c)}


def _gh_q(strict: str) -> str:
    return strict.replace("gh", "k").replace("g", "k")


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


def _grades(
    na: _Name, nb: _Name, abjad: bool
) -> tuple[list[float], list[float], list[PartMatch], dict[int, int]]:
    """Grade of each word of either name (0 when unpaired), the pairs made, and which
    word of ``nb`` each paired word of ``na`` went with."""
    wa, wb = na.words, nb.words
    qa = [0.0] * len(wa)
    qb = [0.0] * len(wb)
    matched: list[PartMatch] = []
    links: dict[int, int] = {}
    for i, j, q, how in _pair(wa, wb, abjad):
        qa[i], qb[j] = q, q
        links[i] = j
        matched.append(PartMatch(wa[i].text, wb[j].text, how, q))
    # a word of one name written as two words of the other ("binalshibh" / "bin al shibh")
    for words, grades, other_words, other_grades, other in (
        (wa, qa, wb, qb, nb),
        (wb, qb, wa, qa, na),
    ):
        for i, w in enumerate(words):
            if grades[i]:
                continue
            span = _split_words(w, other)
            if span:
                grades[i] = _SPLIT_Q
                for j, ow in enumerate(other_words):
                    if ow.text in span and not other_grades[j]:
                        other_grades[j] = _SPLIT_Q
                matched.append(PartMatch(w.text, " ".join(sorted(span)), "written apart", 0.9))
    return qa, qb, matched, links


def _new_first_name(na: _Name, nb: _Name, links: dict[int, int], common: Collection[str]) -> bool:
    """True when a two-word name is found in a longer one behind another first name:
    "Osama bin Laden" in "Hamza Usama Muhammad bin Laden" (a son's nasab)."""
    if len(na.words) == 2 and len(nb.words) > 2:
        long_, first = nb, links.get(0)
    elif len(nb.words) == 2 and len(na.words) > 2:
        long_, first = na, next((i for i, j in links.items() if j == 0), None)
    else:
        return False
    lead = long_.words[0]
    return first == 1 and not lead.initial and lead.strict not in common


def compare_names(a: str, b: str, *, common: Collection[str] | None = None) -> NameComparison:
    """Compare two person names; see the module docstring for the grading.

    ``common`` holds name words (as :func:`~threadline.model.names.strict_skeleton`
    keys) that many people carry, such as the list's most frequent words
    (:func:`common_words`): they count half, and a match resting on common words
    alone stays under the threshold. Left out, the common words of the shipped
    table of a sanctions list's name words are used
    (:func:`~threadline.resolve.name_frequencies.shipped_common_words`); an empty
    set counts every word alike.

    >>> c = compare_names("Abdelhamid Abaaoud", "Abdul Hamid Abaaoud")
    >>> c.level, c.is_match
    ('variant', True)
    >>> compare_names("Abu Omar", "Abu Omar al-Shishani").level
    'kunya only'
    """
    if common is None:
        common = shipped_common_words()
    na, nb = analyse_name(a), analyse_name(b)
    abjad = na.abjad or nb.abjad
    if not na.words or not nb.words:
        return _weak(a, b, na, nb, abjad)
    notes: list[str] = []
    qa, qb, matched, links = _grades(na, nb, abjad)
    if len(qa) <= len(qb):
        short, short_words, long_, long_words = qa, na.words, qb, nb.words
    else:
        short, short_words, long_, long_words = qb, nb.words, qa, na.words
    ws = _weights(short_words, common)
    wl = _weights(long_words, common)
    short_q = sum(q * w for q, w in zip(short, ws, strict=True))
    # in a long name one differing word (a varying patronymic or nisba) counts less
    many = sum(1 for q in short if q) >= 3
    short_n = sum(
        w if q or not many else w * _CONFLICT_IN_LONG for q, w in zip(short, ws, strict=True)
    )
    long_hit = sum(w for q, w in zip(long_, wl, strict=True) if q)
    long_n = sum(wl)
    informative = any(q and w.strict not in common for q, w in zip(short, short_words, strict=True))
    kunya_conflict: tuple[str, ...] = ()
    if na.kunya and nb.kunya:
        q, how = _grade(na.kunya, nb.kunya, abjad)
        short_q, short_n = short_q + q, short_n + 1
        long_hit, long_n = long_hit + (1 if q else 0), long_n + 1
        if q:
            matched.append(PartMatch(f"abu {na.kunya.text}", f"abu {nb.kunya.text}", how, q))
        else:
            kunya_conflict = (f"kunyas differ: abu {na.kunya.text} / abu {nb.kunya.text}",)
    elif na.kunya or nb.kunya:
        notes.append("a kunya on one side only")
    score = (short_q / short_n) * (1.0 - _EXTRA_WORDS + _EXTRA_WORDS * long_hit / long_n)
    conflicts = tuple(
        [f"{w.text} (only in A)" for w, q in zip(na.words, qa, strict=True) if not q]
        + [f"{w.text} (only in B)" for w, q in zip(nb.words, qb, strict=True) if not q]
        + list(kunya_conflict)
    )
    level = WEAK if kunya_conflict else _level(na, nb, qa, qb, matched)
    if _patronymic_swapped(na, nb, links):
        level = PATRONYMIC_ORDER
        score = min(score, 0.45)
        notes.append("the names stand in another order around bin/ibn: father and son?")
    elif level == SAME_FAMILY:
        score = min(score, 0.45)
        notes.append("only the family name matches, given names differ (relatives?)")
    elif level == PARTIAL and _new_first_name(na, nb, links, common):
        if na.own is not None and nb.own is not None:
            # both write the chain with bin/ibn: the longer one is a son's nasab
            # ("Khalil bin Taher" in "Nasser Khalil Muhammad bin Taher")
            score = min(score, _SINGLE_CAP)
            notes.append("the longer name puts another first name before this one: a son?")
        else:
            # lists often drop a first name, so this only warns (a penalty cost more on
            # the UN benchmark than it saved): the reviewer decides
            notes.append("the longer name starts with another first name: a relative's nasab?")
    elif (
        len(short) == 1
        and not (na.kunya and nb.kunya)
        and level != EXACT
        and (
            (len(long_) > 1 and not all(long_))
            or short_words[0].strict in common
            or (len(long_) == 1 and (na.kunya or nb.kunya))  # "Haddou" / "Abu Omar al-Haddou"
        )
    ):
        score = min(score, _SINGLE_CAP)
        notes.append("one side is a single name word: weak on its own")
    elif not informative and level not in (EXACT, VARIANT) and score > 0.75:
        score = 0.75
        notes.append("only common name words match")
    if na.abjad != nb.abjad:
        notes.append("compared on consonants across scripts")
        if level not in (EXACT, VARIANT) and score > 0.75:
            score = 0.75  # consonants alone are too coarse to find a name inside another
    nick = _nickname_score(na, nb)
    if nick and score < 0.45:
        notes.append(f"nickname matches: {nick}")
        return NameComparison(a, b, 0.45, NICKNAME, tuple(matched), conflicts, tuple(notes))
    return NameComparison(a, b, round(score, 3), level, tuple(matched), conflicts, tuple(notes))


def _patronymic_swapped(na: _Name, nb: _Name, links: dict[int, int]) -> bool:
    """True when a word of one name's own part pairs with the father's part of the other
    ("Hamza bin Yusuf" / "Yusuf bin Hamza"): the order of a patronymic chain matters."""
    if na.own is None or nb.own is None:
        return False
    own_a, own_b = na.own, nb.own
    return any((i < own_a) != (j < own_b) for i, j in links.items())


def _weights(words: tuple[_Word, ...], common: Collection[str]) -> list[float]:
    """How much each word says: middle names (patronymics, often dropped or varied)
    and common words say less than a first or last name."""
    out = []
    for i, w in enumerate(words):
        weight = _COMMON_WEIGHT if w.strict in common else 1.0
        if 0 < i < len(words) - 1:
            weight *= _MIDDLE_WEIGHT
        out.append(weight)
    return out


def common_words(names: Iterable[str], *, share: float = 0.01, at_least: int = 5) -> frozenset[str]:
    """Name words (strict skeletons) found in at least ``share`` of ``names`` (and at
    least ``at_least`` of them): the words that say least about who is meant.

    A list's own frequencies, like Splink's term-frequency adjustments: no list of
    "common names" is built in.
    """
    counts: Counter[str] = Counter()
    total = 0
    for name in names:
        total += 1
        counts.update({w.strict for w in analyse_name(name).words})
    floor = max(at_least, share * total)
    return frozenset(w for w, n in counts.items() if n >= floor)


def _level(na: _Name, nb: _Name, qa: list[float], qb: list[float], matched: list[PartMatch]) -> str:
    all_a, all_b = all(qa), all(qb)
    hows = {m.how for m in matched}
    if all_a and all_b:
        same_words = [w.text for w in na.words] == [w.text for w in nb.words]
        same_kunya = (na.kunya and na.kunya.text) == (nb.kunya and nb.kunya.text)
        if same_words and same_kunya:
            return EXACT
        return INITIALS if "initial" in hows else VARIANT
    if (len(qa) <= len(qb) and all_a) or (len(qb) <= len(qa) and all_b):
        return INITIALS if "initial" in hows else PARTIAL
    if len(qa) >= 2 and len(qb) >= 2:
        family = any(
            m.a == na.words[-1].text and m.b == nb.words[-1].text and m.how != "written apart"
            for m in matched
        )
        given_differ = not qa[0] and not qb[0] and not na.words[0].initial
        if family and given_differ and not nb.words[0].initial:
            return SAME_FAMILY
    return WEAK if sum(1 for q in qa if q) else DIFFERENT


def _weak(a: str, b: str, na: _Name, nb: _Name, abjad: bool) -> NameComparison:
    """At least one side has no name words: a bare kunya ("Abu Omar") or nothing."""
    if na.kunya and nb.kunya:
        q, how = _grade(na.kunya, nb.kunya, abjad)
        if q:
            return NameComparison(
                a,
                b,
                round(0.4 * q, 3),
                KUNYA_ONLY,
                (PartMatch(f"abu {na.kunya.text}", f"abu {nb.kunya.text}", how, q),),
                (),
                ("a kunya alone is weak: many people share it",),
            )
    nick = _nickname_score(na, nb)
    if nick:
        return NameComparison(a, b, 0.45, NICKNAME, (), (), (f"nickname matches: {nick}",))
    return NameComparison(a, b, 0.0, DIFFERENT, (), (), ("nothing in common",))


def _nickname_score(na: _Name, nb: _Name) -> str | None:
    """A nickname of one side equal to the other's name or nickname (folded)."""
    forms_a = {fold(n) for n in na.nicknames}
    forms_b = {fold(n) for n in nb.nicknames}
    hit = (forms_a & (forms_b | {nb.whole})) | (forms_b & {na.whole})
    return next(iter(sorted(hit)), None)


def variant_groups(names: Iterable[str]) -> list[list[str]]:
    """Groups of two or more of ``names`` that are one name written differently: each
    name of a group compares with another of it word for word (every word of both
    paired, level exact or variant, at the threshold). Names are compared only with
    names whose last word starts with the same three consonants and whose first word
    with the same two under one of their transliteration families (blocking), so a
    table of tens of thousands of names stays fast.

    >>> variant_groups(["Uthman Karwashi", "Usman Qarwashi", "Nabil Karwashi"])
    [['Usman Qarwashi', 'Uthman Karwashi']]
    """
    distinct = sorted(set(names))
    blocks: dict[str, list[int]] = {}
    for i, n in enumerate(distinct):
        words = analyse_name(n).words
        if len(words) < 2:
            continue
        last = {k.split(":", 1)[1][:3] for k in words[-1].families} or {words[-1].text[:3]}
        first = {k.split(":", 1)[1][:2] for k in words[0].families} or {words[0].text[:2]}
        for k in {f"{x}|{y}" for x in last for y in first}:
            blocks.setdefault(k, []).append(i)
    parent = list(range(len(distinct)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for ids in blocks.values():
        for x, i in enumerate(ids):
            for j in ids[x + 1 :]:
                if find(i) == find(j):
                    continue
                c = compare_names(distinct[i], distinct[j])
                if c.is_match and c.level in (EXACT, VARIANT):
                    parent[find(i)] = find(j)
    groups: dict[int, list[str]] = {}
    for i, n in enumerate(distinct):
        groups.setdefault(find(i), []).append(n)
    return [g for g in groups.values() if len(g) > 1]
