"""Keys that make Latin spellings of one name agree: the transliteration families.

A word is reduced to what romanisations of one name share — its consonants as an
abjad writes them (:func:`_consonants`), its consonants under each reading of the
letters romanisations write differently (:func:`_families`: Uthman / Usman,
Xasan / Hasan), its consonants with the class of each vowel (:func:`_vowel_key`:
Daud / Dawood), and the vowel after each consonant (:func:`_slots`, which tells
Hassan from Hussein). Pure functions of one word's folded text.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from threadline.model.names import compile_rules, rewrite

_VOWEL = re.compile(r"[aeiou]|(?<!^)y")  # a leading y is a consonant: Youssef, Yassine
_VOWEL_CLASS = {"a": "a", "e": "i", "i": "i", "y": "i", "o": "u", "u": "u"}


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


_VKEY_COMPILED = compile_rules(_VKEY_RULES)


@lru_cache(maxsize=65536)
def _vowel_key(text: str) -> str:
    """A word's consonants with the class (a, i, u) of each vowel, long or short
    ("Dawood" and "Daud": dud; "Baynah" and "Beenah": bina), so that spellings of
    one name agree while names with other vowels stay apart (Amin / Aman)."""
    return rewrite(_VKEY_COMPILED, text)


def _first_vowel(word: str) -> str:
    m = _VOWEL.search(word)
    return _VOWEL_CLASS[m.group()] if m else ""


_CONSONANT_RULES = [
    (r"(?<=[^aeiou])e$", ""),  # a French mute e: Abderrahmane
    (r"(?<=[^aeiou])(?:ou|o|u)$", "w"),  # a final long u is written (Haddou: hdw)
    (r"[ie]$", "y"),  # a final long i is written (Ahmadi: ahmdy)
    (r"(?<=.)h$", ""),  # a final h or ta marbuta: Hamzah / Hamza / حمزة
    (r"c(?=[eiy])", "s"),  # French c: Bencerif
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


#: The rules compiled once: every reading of every word goes through them.
_CONSONANT_COMPILED = compile_rules(_CONSONANT_RULES)


@lru_cache(maxsize=65536)
def _consonants(text: str) -> str:
    """The consonants of a word, as a script without short vowels writes them:
    "Mohammed" and the transliterated "mhmd" agree, "Ahmadi" (ahmdy) and "Ahmad" not."""
    return rewrite(_CONSONANT_COMPILED, text)


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
