"""Person-name knowledge shared by extraction and resolution: folding, parts, keys.

Pure functions, no I/O. Arabic-origin names written in Latin script drift
between sources (Mohammed / Muhammad / Mohamed, Ibrahim / Brahim, Khalid /
Khaled, Saleh / Salah); :func:`skeleton` maps such variants to one comparison
key while keeping different names apart.

>>> skeleton("Saleh") == skeleton("Salah")
True
>>> skeleton("Brahim") == skeleton("Salah")
False
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: Lower-case particles that may sit inside a person name.
PARTICLES = frozenset(
    {
        "al",
        "el",
        "as",
        "ad",
        "az",
        "ash",
        "at",
        "an",
        "ar",
        "ibn",
        "bin",
        "ben",
        "bint",
        "van",
        "von",
        "de",
        "der",
        "den",
        "du",
        "des",
        "la",
        "le",
        "da",
        "di",
        "ter",
        "ten",
        "abu",
        "abou",
        "umm",
        "ould",
    }
)
#: Particles that join a person's name to the father's: "Hamza bin Yusuf" is Yusuf's son.
PATRONYMICS = frozenset({"bin", "ibn", "ben", "bint", "ould"})
#: Particles that start a kunya (teknonym): "Abu Omar", "Umm Sayyaf".
KUNYA_HEADS = frozenset({"abu", "abou", "umm", "um"})
#: Arabic article particles: "al-Tarabulsi", "at-Tarabulsi", "el-Haddou" are one article.
ARTICLES = frozenset({"al", "el", "as", "ad", "az", "ash", "at", "an", "ar", "ul"})
#: Honorifics and titles that precede a name and are not part of it.
TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "sheikh",
        "shaykh",
        "imam",
        "mullah",
        "emir",
        "president",
        "minister",
        "general",
        "gen",
        "colonel",
        "col",
        "captain",
        "sgt",
        "judge",
        "prince",
        "king",
        "queen",
        "pope",
        "prime",
        "sir",
        "lord",
        "lady",
        "madame",
        "monsieur",
        "mme",
        "m",
        "haji",
        "hajji",
        "alhaji",
        "alhaj",
        "maulavi",
        "maulvi",
        "mawlawi",
        "mawlavi",
        "moulavi",
        "maulana",
        "mawlana",
        "mufti",
        "qari",
        "mulla",
        "shaikh",
        "akhund",
        "doctor",
        "commander",
    }
)

_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00b4": "'", "`": "'"}
_QUOTE_TABLE = str.maketrans(_QUOTES)


_SPACES = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"'s$")


@lru_cache(maxsize=262144)
def fold(text: str) -> str:
    """Fold a name for comparison: diacritics off, quotes straight, case folded.

    >>> fold("  Mohammed  Benzaïd’s ")
    'mohammed benzaid'
    """
    # ASCII text has no decomposition and no combining mark: only the rest is walked
    t = text if text.isascii() else unicodedata.normalize("NFKD", text)
    if not t.isascii():
        t = "".join(c for c in t if not unicodedata.combining(c))
    t = _SPACES.sub(" ", t.translate(_QUOTE_TABLE)).strip()
    t = _POSSESSIVE.sub("", t)
    t = t.strip(" \t\n\"'.,;:!?()[]{}")
    return t.casefold()


def tokens(name: str) -> list[str]:
    """Folded name tokens; hyphenated articles split off ("al-Absi" -> al, absi)."""
    t = fold(name).replace("-", " ").replace("'", " ")
    return [w for w in t.split() if w]


# Ordered rewrite rules for Latin transliterations of Arabic names. They map
# spelling families onto one skeleton; each rule is a general orthographic
# variant, not a list of particular people.
_SKELETON_RULES: list[tuple[str, str]] = [
    (r"(?<=\w\w\w)(?:[aeiou][ld]|[aeiou])?d+(?:i|ee)ne?$", "uddin"),  # Nureddine / Nur al-Din
    (r"^abd(?:ul|el|al|oul|ou|u)?[- ]?", "abd"),
    (r"^(?:b|ib)rahim$", "ibrahim"),
    (r"ou", "u"),
    (r"ee", "i"),
    (r"oo", "u"),
    (r"ph", "f"),
    (r"kh", "k"),
    (r"q", "k"),
    (r"dh", "d"),
    (r"th", "t"),
    (r"sh", "s"),
    (r"ch", "s"),
    (r"j", "g"),
    (r"(.)\1", r"\1"),
    (r"[aeiou]+", "a"),
    (r"h", ""),
    (r"a$", ""),
]
Rules = list[tuple[re.Pattern[str], str, str | None]]


def compile_rules(rules: list[tuple[str, str]]) -> Rules:
    """Ordered rewrite rules compiled once, each with the literal its pattern is (when
    it is one: ``kh``, ``ou``), so that :func:`rewrite` skips a rule whose letters a
    word does not hold (a name key applies the rules to every word it has not seen)."""
    return [(re.compile(p), r, p if p.isalpha() else None) for p, r in rules]


def rewrite(rules: Rules, word: str) -> str:
    """``word`` through each of ``rules`` in order.

    >>> rewrite(compile_rules([("kh", "k"), ("ou", "u"), ("[aeiu]+", "a")]), "khaddour")
    'kaddar'
    """
    for pattern, repl, literal in rules:
        if literal is None or literal in word:
            word = pattern.sub(repl, word)
    return word


_SKELETON_COMPILED = compile_rules(_SKELETON_RULES)


@lru_cache(maxsize=262144)
def skeleton(word: str) -> str:
    """A transliteration-tolerant key for one name word.

    Vowels collapse to one class, doubled letters and 'h' drop, common Latin
    digraphs of Arabic letters (kh, sh, dh, th, q/k, ou/u) unify. ``Mohammed``,
    ``Muhammad`` and ``Mohamed`` share a skeleton; ``Salah`` and ``Saleh`` too;
    ``Ibrahim`` and ``Brahim`` too.
    """
    return rewrite(_SKELETON_COMPILED, fold(word).replace("-", "").replace("'", ""))


# The rules of :func:`skeleton` less the two that fuse different names: dropping
# every 'h' (Ahmad / Hamad / Hamid) and the last vowel (Ahmad / Ahmadi).
_STRICT_RULES: list[tuple[str, str]] = [
    _SKELETON_RULES[0],
    (r"^abd(?:ul|el|al|oul|ou|u|e|a)?[- ]?", "abd"),
    (r"^(?:b|ib)rahim$", "ibrahim"),
    (r"(?<=[^aeiou])e$", ""),  # a French mute e: Abderrahmane, Jallaloudine
    (r"dj", "j"),  # French for the Arabic jim: Djamel / Jamal
    *[r for r in _SKELETON_RULES[3:] if r[0] not in ("h", "a$")],
    (r"(?<=a)h$", ""),  # Salah / Sala, Abdallah / Abdalla
]
_STRICT_COMPILED = compile_rules(_STRICT_RULES)


@lru_cache(maxsize=65536)
def strict_skeleton(word: str) -> str:
    """A stricter transliteration key than :func:`skeleton`: 'h' and last vowels count.

    >>> strict_skeleton("Mohammed") == strict_skeleton("Muhamad")
    True
    >>> strict_skeleton("Ahmad") == strict_skeleton("Hamad"), skeleton("Ahmad") == skeleton("Hamad")
    (False, True)
    >>> strict_skeleton("Abderrahmane") == strict_skeleton("Abdurrahman")
    True
    """
    return rewrite(_STRICT_COMPILED, fold(word).replace("-", "").replace("'", ""))


@dataclass(frozen=True)
class NameParts:
    """A person name split into the parts that matter for matching."""

    given: tuple[str, ...]
    family: str | None
    kunya: str | None
    particles: tuple[str, ...]

    @property
    def is_kunya_only(self) -> bool:
        """True for names such as "Abu Omar": a weak identifier on its own."""
        return self.kunya is not None and not self.given and self.family is None

    @property
    def initials(self) -> tuple[str, ...]:
        """Given names written as a single letter ("J. Smith" -> ('j',))."""
        return tuple(w.rstrip(".") for w in self.given if len(w.rstrip(".")) == 1)


_NICKNAME = re.compile(
    r"[\"\u201c\u201d\u00ab\u00bb]([^\"\u201c\u201d\u00ab\u00bb]+)[\"\u201c\u201d\u00ab\u00bb]"
    r"|\(([^()]+)\)|\[([^\[\]]+)\]"
)


def split_nicknames(name: str) -> tuple[str, tuple[str, ...]]:
    """Take double-quoted and bracketed parts out of a name: nicknames, laqabs, other forms.

    Single quotes are left alone: in transliterated Arabic they mark an 'ayn
    ("'Umar", "Ba' Amar"), not a nickname.

    >>> split_nicknames('Rachid "Black Wolf" Belkadi')
    ('Rachid Belkadi', ('Black Wolf',))
    >>> split_nicknames("Jin Tiesan (Kim Chol Sam)")
    ('Jin Tiesan', ('Kim Chol Sam',))
    """
    found: list[str] = []

    def take(m: re.Match[str]) -> str:
        inner = next(g for g in m.groups() if g is not None).strip()
        if inner:
            found.append(inner)
        return " "

    rest = _NICKNAME.sub(take, name)
    return re.sub(r"\s+", " ", rest).strip(), tuple(found)


def uninvert(name: str) -> str:
    """Put a list-style "Family, Given" name in reading order.

    >>> uninvert("Haddou, Nabil el")
    'Nabil el Haddou'
    >>> uninvert("Nabil el Haddou")
    'Nabil el Haddou'
    """
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(parts):
        return f"{parts[1]} {parts[0]}"
    return " ".join(p for p in parts if p)


#: Generation suffixes written after a comma: "Santos, III", "Smith, Jr.".
SUFFIXES = frozenset({"jr", "sr", "junior", "senior", "ii", "iii", "iv"})


def _caps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def reading_order(name: str) -> str:
    """See :func:`marked_family`: the name with given names first."""
    return marked_family(name)[0]


@lru_cache(maxsize=65536)
def marked_family(name: str) -> tuple[str, str | None]:
    """Put a name in reading order (given names first) when its form says how it is written.

    "Family, Given" (a list's comma) and "FAMILY Given" (family name in capitals
    before mixed-case given names, as forms and passports write it) are turned
    round; particles ("el", "van der") go with the family name they precede; a
    generation suffix after a comma ("Santos, III") is dropped. A name with no
    such mark is left as written.

    Returns the name in reading order and, when the form marks it, the family
    name as written (which may be compound: "EL HADDAD BENSAID").

    >>> marked_family("Lamrani, Karim")
    ('Karim Lamrani', 'Lamrani')
    >>> marked_family("EL HADDAD Karim Nabil")
    ('Karim Nabil EL HADDAD', 'EL HADDAD')
    >>> marked_family("van der BERG Jan")
    ('Jan van der BERG', 'van der BERG')
    >>> marked_family("Karim LAMRANI"), marked_family("KARIM LAMRANI")
    (('Karim LAMRANI', 'LAMRANI'), ('KARIM LAMRANI', None))
    """
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(parts):
        if fold(parts[1]).replace(".", "") in SUFFIXES:
            return marked_family(parts[0])
        return f"{parts[1]} {parts[0]}", parts[0]
    if len(parts) > 1:
        return " ".join(p for p in parts if p), None
    words = name.split()
    k = 0
    while k < len(words) and (
        _caps(words[k]) or (fold(words[k]) in PARTICLES and k + 1 < len(words))
    ):
        k += 1
    head = words[:k]
    if (
        0 < k < len(words)
        and any(_caps(w) for w in head)
        and not any(fold(w).strip(".") in TITLES for w in head)
        and not any(_caps(w) for w in words[k:])
        and any(any(c.islower() for c in w) for w in words[k:])
    ):
        return " ".join(words[k:] + head), " ".join(head)
    j = len(words)  # "Karim EL HADDAD": given names then the family name in capitals
    while j > 0 and (_caps(words[j - 1]) or (fold(words[j - 1]) in PARTICLES and j < len(words))):
        j -= 1
    tail = words[j:]
    if 0 < j < len(words) and not any(_caps(w) for w in words[:j]):
        if any(any(c.islower() for c in w) for w in words[:j]):
            return name, " ".join(tail)
    return name, None


#: Particles that are also given names when they open a name: "Ben Carter".
GIVEN_PARTICLES = frozenset({"ben"})


def _given_at(i: int, word: str) -> bool:
    return i == 0 and word in GIVEN_PARTICLES


def core_words(name: str) -> list[str]:
    """Folded name words without particles and titles ("Ben" opening a name stays).

    >>> core_words("Abu Hafs al-Tarabulsi")
    ['hafs', 'tarabulsi']
    >>> core_words("Ben Carter")
    ['ben', 'carter']
    """
    words = tokens(name)
    return [
        w
        for i, w in enumerate(words)
        if _given_at(i, w) or (w not in PARTICLES and (w not in TITLES or len(words) == 1))
    ]


@lru_cache(maxsize=65536)
def parse_name(name: str, *, titles: bool = True) -> NameParts:
    """Split a person name into given names, family name, kunya and particles.

    >>> parse_name("Abu Hafs al-Tarabulsi").kunya
    'abu hafs'
    >>> parse_name("Abu Hafs al-Tarabulsi").family
    'tarabulsi'
    >>> parse_name("Karim Lamrani").family
    'lamrani'
    >>> parse_name("Sheikh Shafee el-Sheikh").family  # a title after an article is a name
    'sheikh'
    >>> parse_name("Lamrani, Karim") == parse_name("LAMRANI Karim") == parse_name("Karim Lamrani")
    True

    ``titles=False`` keeps words that look like titles: a name romanised from
    Arabic script has no titles left to drop ("mr" is عمر, Omar).
    """
    ordered, marked = marked_family(name)
    all_words = tokens(ordered)
    words = [
        w
        for i, w in enumerate(all_words)
        if not titles
        or w not in TITLES
        or len(all_words) == 1
        or (i and all_words[i - 1] in ARTICLES)
    ]
    kunya = None
    if len(words) >= 3 and words[0] in KUNYA_HEADS and words[1] in ARTICLES:
        kunya = f"{words[0]} {words[2]}"  # "Abu al-Athir"
        words = words[3:]
    elif len(words) >= 2 and words[0] in KUNYA_HEADS:
        kunya = f"{words[0]} {words[1]}"
        words = words[2:]
    particles = tuple(w for i, w in enumerate(words) if w in PARTICLES and not _given_at(i, w))
    core = [w for i, w in enumerate(words) if w not in PARTICLES or _given_at(i, w)]
    if not core:
        return NameParts((), None, kunya, particles)
    if len(core) == 1:
        # A single core word (after a kunya or article, a nisba) is a family name.
        return NameParts((), core[0], kunya, particles)
    n_family = len([w for w in tokens(marked) if w not in PARTICLES]) if marked else 1
    if 1 < n_family < len(core):  # a compound family name the form marks: "Karim EL HADDAD BENSAID"
        return NameParts(tuple(core[:-n_family]), " ".join(core[-n_family:]), kunya, particles)
    return NameParts(tuple(core[:-1]), core[-1], kunya, particles)


#: "Abd" with a joined article, sun letters assimilated: Abdul, Abdel, Abdur, Abdus, Abd-al.
_ABD_WORD = re.compile(r"abd(?:ul|el|al|oul|ou|u|ur|us|ush|ut|ud|uz|er|es|ar|as|ad|at|az)?")


#: The second half of a "-ud-Din" name written apart: "Nur al-Din", "Nour Eddine".
_DIN_WORDS = frozenset({"din", "deen", "dine", "eddine", "eddin", "uddin", "uddeen", "addin"})


_DIN_ARTICLES = ARTICLES | {"ud", "ad", "ed", "ul"}


def _joinable(word: str) -> bool:
    return word not in PARTICLES and word not in TITLES and word not in _DIN_ARTICLES


def join_abd(words: list[str]) -> list[str]:
    """Join a detached "Abdul"/"Abd al" with the next word ("Abdul Hamid" -> "abdulhamid")
    and a detached "-ud-Din" with the word before ("Nur al-Din" -> "nuraldin").

    >>> join_abd(["abd", "al", "basir", "noorzai"])
    ['abdalbasir', 'noorzai']
    >>> join_abd(["nour", "eddine", "ghazi"]), join_abd(["izz", "al", "din"])
    (['noureddine', 'ghazi'], ['izzaldin'])
    """
    out: list[str] = []
    for w in words:
        if out and _ABD_WORD.fullmatch(out[-1]):
            out[-1] = out[-1] + w
        elif w in _DIN_WORDS and len(out) >= 2 and out[-1] in _DIN_ARTICLES and _joinable(out[-2]):
            article = out.pop()
            out[-1] = out[-1] + article + w
        elif w in _DIN_WORDS and out and _joinable(out[-1]):
            out[-1] = out[-1] + w
        else:
            out.append(w)
    return out


_join_abd = join_abd


@lru_cache(maxsize=262144)
def name_key(name: str) -> str:
    """A comparison key for a whole name: skeletons of its core words in reading order
    (given names, then the family name; see :func:`reading_order`).

    >>> name_key("Abdelhamid Benali") == name_key("Abdul Hamid Benali")
    True
    >>> name_key("LAMRANI Karim") == name_key("Lamrani, Karim") == name_key("Karim Lamrani")
    True
    """
    parts = parse_name(" ".join(_join_abd(tokens(reading_order(name)))))
    words = list(parts.given) + (parts.family.split() if parts.family else [])
    key = " ".join(skeleton(w) for w in words)
    if parts.kunya:
        key = (f"abu {skeleton(parts.kunya.split()[1])} " + key).strip()
    return key
