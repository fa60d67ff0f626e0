"""Two person names compared part by part: the score, the level and the reasons
(:func:`compare_names`), the words a list shares most (:func:`common_words`) and
the groups of one name written differently (:func:`variant_groups`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from threadline.model.names import fold
from threadline.resolve.names.forms import _Name, _Word, analyse_name
from threadline.resolve.names.frequencies import shipped_common_words
from threadline.resolve.names.grade import (
    _SHORT_FORM_Q,
    _SPLIT_Q,
    _grade,
    _pair,
    _short_form,
    _split_words,
)

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
    # the first half of a compound the other name writes whole: Nizam / Nizamuddin
    if not any(w.compound_head for w in wa + wb):
        return qa, qb, matched, links
    for i, w in enumerate(wa):
        for j, o in enumerate(wb):
            if qa[i] or qb[j]:
                continue
            short = _short_form(w, o) or _short_form(o, w)
            if short:
                qa[i] = qb[j] = _SHORT_FORM_Q
                links[i] = j
                matched.append(PartMatch(w.text, o.text, short, _SHORT_FORM_Q))
    return qa, qb, matched, links


def _new_first_name(na: _Name, nb: _Name, links: dict[int, int], common: Collection[str]) -> bool:
    """True when a two-word name is found in a longer one behind another first name:
    "Omar bin Qasim" in "Hamza Umar Yusuf bin Qasim" (a son's nasab)."""
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
    (:func:`~threadline.resolve.names.frequencies.shipped_common_words`); an empty
    set counts every word alike.

    >>> c = compare_names("Abdelhamid Ouardani", "Abdul Hamid Ouardani")
    >>> c.level, c.is_match
    ('variant', True)
    >>> compare_names("Abu Omar", "Abu Omar al-Tarabulsi").level
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
