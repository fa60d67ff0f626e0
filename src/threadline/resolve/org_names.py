"""Compare two organisation names: legal forms, bracketed qualifiers, acronyms.

"Nordwind Aktiengesellschaft" and "Nordwind AG" are one firm, "Crescent Trading
(Dubai)" and "Crescent Trading (Sharjah)" two, "AQIM" the acronym of "Al-Qaida in
the Islamic Maghreb". Words are graded as person-name words are (the same word,
one transliteration key, a close spelling); see :func:`compare_org_names`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rigour.text import jaro_winkler as _jw

from threadline.model.names import fold, strict_skeleton

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bb\u02bc\u02be\u02bf`\u00b4]")

#: Legal forms, spelt out or abbreviated, each to one abbreviation.
LEGAL_FORMS: dict[tuple[str, ...], str] = {
    ("aktiengesellschaft",): "ag",
    ("gesellschaft", "mit", "beschrankter", "haftung"): "gmbh",
    ("limited", "liability", "company"): "llc",
    ("limited", "liability", "partnership"): "llp",
    ("public", "limited", "company"): "plc",
    ("joint", "stock", "company"): "jsc",
    ("limited",): "ltd",
    ("incorporated",): "inc",
    ("corporation",): "corp",
    ("company",): "co",
    ("societe", "anonyme"): "sa",
    ("sociedad", "anonima"): "sa",
    ("societe", "a", "responsabilite", "limitee"): "sarl",
    ("societa", "a", "responsabilita", "limitata"): "srl",
    ("besloten", "vennootschap"): "bv",
    ("naamloze", "vennootschap"): "nv",
    ("private",): "pvt",
    ("proprietary",): "pty",
}
_LEGAL_ABBREVIATIONS = frozenset(LEGAL_FORMS.values()) | {
    "fze",
    "fzco",
    "fzc",
    "fzllc",
    "pte",
    "spa",
    "kg",
    "ohg",
    "ab",
    "oy",
    "lp",
    "ojsc",
    "cjsc",
    "pjsc",
    "ooo",
    "zao",
    "oao",
}
_LEGAL_HEADS = {k[0] for k in LEGAL_FORMS}
_ORG_STOP = frozenset(
    {"the", "of", "and", "for", "in", "al", "el", "ul", "i", "e", "de", "du", "la", "le", "&"}
)
#: Words an acronym skips: "Al-Qaida in Iraq" is AQI, "Al-Qaïda au Maghreb islamique" AQMI.
_ACRONYM_SKIP = frozenset(
    {"the", "of", "and", "for", "in", "&", "de", "du", "la", "le", "au", "aux", "des", "et"}
)
_DOTTED = re.compile(r"\b(?:\w\.){2,}")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_BRACKETS = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")


@dataclass(frozen=True)
class OrgName:
    """An organisation name split for comparison."""

    words: tuple[str, ...]  # name words, qualifiers included, legal forms out
    legal: frozenset[str]  # legal forms as abbreviations (ag, gmbh, ltd…)
    qualifiers: tuple[str, ...]  # bracketed parts that are no acronym: "(Dubai)"
    acronyms: tuple[str, ...]  # bracketed acronyms of the name: "(AQMI)"
    initials: frozenset[str] = frozenset()  # the acronyms its words make


def _plain_words(text: str) -> list[str]:
    text = _DOTTED.sub(lambda m: m.group().replace(".", ""), text)  # S.A. -> SA
    text = _CAMEL.sub(" ", text)  # NordwindTrading -> Nordwind Trading
    text = _APOSTROPHES.sub("", fold(text))  # Qa'ida is one word
    text = re.sub(r"[^\w\s&]", " ", text.replace("-", " "))
    return text.split()


def _legal_forms(words: list[str]) -> tuple[list[str], set[str]]:
    out: list[str] = []
    legal: set[str] = set()
    i = 0
    while i < len(words):
        w = words[i]
        if w in _LEGAL_HEADS:
            for phrase, abbr in LEGAL_FORMS.items():
                if tuple(words[i : i + len(phrase)]) == phrase:
                    legal.add(abbr)
                    i += len(phrase)
                    break
            else:
                out.append(w)
                i += 1
            continue
        if w in _LEGAL_ABBREVIATIONS and out:  # an abbreviation after the name
            legal.add(w)
        else:
            out.append(w)
        i += 1
    return out, legal


@lru_cache(maxsize=65536)
def analyse_org(name: str) -> OrgName:
    """Split an organisation name: name words, legal forms, bracketed qualifiers and acronyms.

    >>> o = analyse_org("Crescent Trading (Dubai) Aktiengesellschaft")
    >>> o.words, sorted(o.legal), o.qualifiers
    (('crescent', 'trading', 'dubai'), ['ag'], ('dubai',))
    >>> analyse_org("Al-Qaida in the Islamic Maghreb (AQIM)").acronyms
    ('aqim',)
    """
    qualifiers: list[str] = []
    acronyms: list[str] = []
    rest_words = _plain_words(_BRACKETS.sub(" ", name))
    acronym_forms = {
        "".join(w[0] for w in ws if w not in skip)
        for ws in (rest_words, _legal_forms(rest_words)[0])
        for skip in (_ACRONYM_SKIP, _ACRONYM_SKIP | {"al", "el"}, frozenset())
    }
    acronym_forms = {f for f in acronym_forms if len(f) >= 2}
    for m in _BRACKETS.finditer(name):
        inner = next(g for g in m.groups() if g is not None)
        words, _ = _legal_forms(_plain_words(inner))
        if len(words) == 1 and len(words[0]) >= 2 and words[0] in acronym_forms:
            acronyms.append(words[0])
        elif words:
            qualifiers.extend(w for w in words if w not in _ORG_STOP)
    words, legal = _legal_forms(_plain_words(_BRACKETS.sub(" ", name)))
    kept = [w for w in words if w not in _ORG_STOP] + qualifiers
    return OrgName(
        tuple(kept), frozenset(legal), tuple(qualifiers), tuple(acronyms), frozenset(acronym_forms)
    )


def org_words(name: str) -> list[str]:
    """The words an organisation name is compared on (legal forms and stop words out)."""
    return list(analyse_org(name).words)


def compare_org_names(a: str, b: str) -> tuple[float, str]:
    """Compare two organisation names: the score in 0..1 and why.

    Word by word (Dice over words graded like person-name words: same, a
    transliteration such as al-Qaeda / al-Qaida, a close spelling), or one name
    the acronym of the other (also a bracketed acronym, "(AQIM)"), or the same
    letters written together ("NordwindTrading"). Legal forms count as one
    form (Aktiengesellschaft = AG, Limited = Ltd); two different legal forms
    count against. A bracketed qualifier ("Crescent Trading (Dubai)") is a
    word that must find its partner: (Dubai) and (Sharjah) are two firms.

    >>> compare_org_names("Al-Qaida in Iraq", "AL-QAIDA IN IRAQ")[0]
    1.0
    >>> compare_org_names("Islamic State", "Islamic Army")[0] < 0.8
    True
    >>> compare_org_names("Nordwind Aktiengesellschaft", "Nordwind AG")
    (1.0, 'same name; same legal form (ag)')
    """
    oa, ob = analyse_org(a), analyse_org(b)
    score, why = _org_core(oa, ob)
    if oa.legal and ob.legal:
        if oa.legal & ob.legal:
            why += f"; same legal form ({', '.join(sorted(oa.legal & ob.legal))})"
        else:
            score *= 0.9
            why += (
                f"; legal forms differ ({', '.join(sorted(oa.legal))} / "
                f"{', '.join(sorted(ob.legal))})"
            )
    return round(score, 3), why


def _org_core(oa: OrgName, ob: OrgName) -> tuple[float, str]:
    wa, wb = oa.words, ob.words
    if not wa or not wb:
        return 0.0, "no name words"
    if wa == wb:
        return 1.0, "same name"
    if "".join(wa) == "".join(wb):
        return 0.95, "the same words, written together or apart"
    for short, long_, long_org in ((wa, wb, ob), (wb, wa, oa)):
        if len(short) == 1 and len(short[0]) >= 2:
            if short[0] in long_org.acronyms:
                return 0.9, f"'{short[0].upper()}' is the acronym given in brackets"
            if len(long_) >= 2 and short[0] in long_org.initials:
                return 0.85, f"'{short[0].upper()}' is the acronym"
    used: set[int] = set()
    unmatched: list[str] = []
    matched = 0.0
    for w in wa:
        best, best_j = 0.0, -1
        for j, v in enumerate(wb):
            if j in used:
                continue
            q = _org_word_grade(w, v)
            if q > best:
                best, best_j = q, j
        if best_j >= 0:
            used.add(best_j)
            matched += best
        else:
            unmatched.append(w)
    unmatched += [v for j, v in enumerate(wb) if j not in used]
    score = 2 * matched / (len(wa) + len(wb))
    shared = f"{len(used)} of {max(len(wa), len(wb))} name words shared"
    if unmatched:
        qualifiers = [w for w in unmatched if w in oa.qualifiers or w in ob.qualifiers]
        if qualifiers and oa.qualifiers and ob.qualifiers:
            # "Crescent Trading (Dubai)" is not "Crescent Trading (Sharjah)"
            return round(min(score, 0.6), 3), (
                shared + "; the bracketed qualifiers differ: " + " / ".join(qualifiers)
            )
        if qualifiers:
            return round(min(score, 0.75), 3), (
                shared + "; a bracketed qualifier on one side only: " + " ".join(qualifiers)
            )
        # "Islamic State" is not "Islamic State in Yemen": every word must find its partner
        return round(min(score, 0.75), 3), shared + "; the names differ in " + ", ".join(unmatched)
    return round(score, 3), shared


def _org_word_grade(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if strict_skeleton(a) == strict_skeleton(b):
        return 0.9  # al-Qaeda / al-Qaida
    if min(len(a), len(b)) >= 5 and _jw(a, b) >= 0.92:
        return 0.8
    return 0.0
