"""Names in a document: people, organisations and places, cleaned and typed.

spaCy's small English model proposes spans; this module decides what they are.
It drops what is not a name (lower-case words, boilerplate, religions), retypes
what the model got wrong using evidence from the same document (a surname of a
full person name is a person; a known city is a place; "the X network" is a
group), and gives every person mention an in-document key: a partial name
("Benali") points to the full name it abbreviates ("Abdelkrim Benali").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from threadline.model.lexicon import (
    BOILERPLATE,
    NAME_PREFIXES,
    NOT_ACTORS,
    ORG_HEADS,
    ORG_LEADS,
    PLACE_HEADS,
    PLATFORMS,
    STREET_SUFFIXES,
    STREET_WORDS,
    is_given_name,
    is_known_name,
    is_known_place,
    is_possible_place,
    word_frequency,
    word_set,
)
from threadline.model.names import (
    PARTICLES,
    core_words,
    fold,
    parse_name,
    skeleton,
    tokens,
)

ANALYSED_SEGMENTS = frozenset({"body", "caption", "credit"})
_SPACY_LABELS = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "PLACE",
    "LOC": "PLACE",
    "FAC": "PLACE",
}
_LOCATIVE = re.compile(r"(?:\b(?:in|at|from|to|near|into|outside|of|across)\s+)$", re.I)
_TRUSTED = frozenset(
    {"credit-line", "led-network-pattern", "group-pattern", "name-pattern", "org-pattern", "byline"}
)
_FAMILY_REF = re.compile(r"\s+(?:brothers|sisters|family|clan|siblings|cousins)\b")
#: First words of Arabic and other toponyms: "Tel Abyad", "Deir Ezzor", "Ras al-Ain".
PLACE_LEADS = frozenset(
    {
        "tel",
        "tal",
        "deir",
        "dayr",
        "ras",
        "ain",
        "ayn",
        "jebel",
        "jabal",
        "wadi",
        "bir",
        "khan",
        "kafr",
        "beit",
        "mount",
        "lake",
        "port",
        "fort",
        "saint",
        "st",
        "san",
        "santa",
        "sidi",
    }
)
_PLACE_ARTICLES = frozenset({"les", "la", "le", "het", "los", "las", "l"})
_STRICT_LOCATIVE = re.compile(r"\b(?:in|at|near|outside|inside|from)\s+(?:the\s+)?$", re.I)
_PLACE_AFTER = re.compile(r"^\s+(?:city|town|province|district|region|airport|village)\b", re.I)
_CREDIT = re.compile(
    r"(?:\b(?P<agency>REUTERS|Reuters|AFP|AP|Getty Images)/(?P<name>[A-Z][a-zà-ÿ]+"
    r"(?:[ -][A-Z][a-zà-ÿ]+){1,2}))"
    r"|(?:^(?P<name2>[A-Z][a-zà-ÿ]+(?: [A-Z][a-zà-ÿ]+){1,2}) / (?P<agency2>Reuters|AFP|AP|Getty Images)\b)"
    r"|(?:\b(?:[Pp]hoto(?:graph)?s?|[Pp]ictures?|[Ii]mages?|[Vv]ideo)\sby\s"
    r"(?P<name3>[A-Z][a-zà-ÿ]+(?:[ -][A-Z][a-zà-ÿ]+){1,2})/(?P<agency3>[A-Z][\w]+(?:\s[A-Z][\w]+){0,3}))",
    re.M,
)
_KUNYA = re.compile(
    r"\b(?:Abu|Abou|Umm|Haji|Hajji)\s(?:(?:al|el|as|az|ad|ash)-)?[A-Z][a-z]+"
    r"(?:\s(?:(?:al|el|as|az|ad|ash)-)[A-Z][a-z]+)?"
)
#: A given name followed by one or two capitalised words: "Laurent Pirotte", "Jan de Smet".
_GIVEN_NAME = re.compile(
    r"\b[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?(?:\s(?:(?:van|von|de|der|den|le|la|da|di|ben|bin|ibn|"
    r"el|al)\s|(?:el|al|as|az|ad)-)?[A-Z][a-zà-ÿA-Z'’-]+){1,2}\b"
)


#: A nickname quoted inside a name: 'Ramon "Flaco" Ortiz', "Hector 'El Gordo' Ruiz".
_QUOTED_NICKNAME = re.compile(
    r"\b(?P<given>[A-Z][a-zà-ÿ]+(?:\s[A-Z][a-zà-ÿ]+)?)\s"
    r"(?:\"(?P<n1>[A-Z][\w-]*(?:\s[A-Z][\w-]*){0,2})\"|“(?P<n2>[A-Z][\w-]*(?:\s[A-Z][\w-]*){0,2})”|"
    r"'(?P<n3>[A-Z][\w-]*(?:\s[A-Z][\w-]*){0,2})'|‘(?P<n4>[A-Z][\w-]*(?:\s[A-Z][\w-]*){0,2})’)"
    r"\s(?P<family>[A-Z][a-zà-ÿ]+(?:[\s-][A-Z][a-zà-ÿ]+)?)\b"
)


def _given_name_span(span: str) -> bool:
    """A known given name first, then name-like words (rare in English, not places)."""
    words = span.split()
    if not is_given_name(words[0].split("-")[0]):
        return False
    rest = [w for w in words[1:] if w.lower() not in PARTICLES and not w.startswith(("al-", "el-"))]
    return all(word_frequency(w) < 3.5 and not is_known_place(w) for w in rest) and not (
        is_known_place(span)
    )


_ARABIC_NAME = re.compile(
    r"\b[A-Z](?:[a-z]+|\.)?(?:\s[A-Z][a-z]+)?\s(?:al|el|as|az|ad|ash|at|an|ar|bin|ibn)-[A-Z][a-z]+"
)
#: "X, led by Y": X is a group (the name may be one the model does not know).
_LED_ORG = re.compile(
    r"\b(?:the\s)?(?:(?:[A-Z][a-z]+(?:ish|ian|ese|an|ch|i))\s)?(?P<name>(?:Al-|al-)?[A-Z][\w-]+"
    r"(?:\s[A-Z][\w-]+){0,2}),\s(?:which\s(?:is|was)\s)?(?:led|run|headed|founded)\sby\s[A-Z]"
)
#: Branches named after their region: "al-Qaeda in Iraq, or AQI", "al Qaeda in Iraq".
_ORG_IN_PLACE = re.compile(
    r"\b(?P<name>(?:[Aa]l[-\s])?[A-Z][\w-]+(?:\s[A-Z][\w-]+)?\sin\s(?:the\s)?[A-Z][\w]+"
    r"(?:\s[A-Z][\w]+)?)(?=(?:,\sor\s|\s\()[A-Z]{2,6}\b)"
    r"|\b(?P<aq>[Aa]l[-\s]Qaeda\sin\s(?:the\s)?[A-Z][\w]+(?:\s[A-Z][\w]+)?)"
)
#: A capitalised word with a digit inside: "Sharia4Belgium", "Shariah4Holland".
_ALNUM_NAME = re.compile(r"\b[A-Z][a-z]+\d+[A-Z][a-z]+\b")
_DEMONYM_BODY = re.compile(
    r"\b(?:[A-Z][a-z]+(?:ian|ish|ese|an|i|ch)|U\.S\.)\s(?:police|army|authorities|government|"
    r"security\sservices|intelligence\sservices?|military|troops|forces|prosecutors?|"
    r"ministry|navy|air\sforce)\b"
)
#: State bodies named by place or origin: "Jakarta police", "Russian interior ministry",
#: "U.S.-led coalition" (the first word must be a place, a demonym or U.S./U.K.).
_STATE_BODY = re.compile(
    r"\b(?P<org>(?P<first>U\.S\.|U\.K\.|[A-Z][a-z]+)(?:-led)?\s(?:(?:interior|foreign|defen[cs]e|"
    r"justice|armed|special\soperations|security|state|federal|national|counter-?terrorism|"
    r"local|provincial|city|military)\s){0,2}(?:police|army|authorities|government|forces|"
    r"military|troops|prosecutors?|ministry|navy|marines|intelligence|coalition|security\sforces))\b"
)
#: Media named by what they are: "broadcaster Metro TV", "Turkey's Haberturk newspaper".
_MEDIA_BEFORE = re.compile(
    r"\b(?:[Bb]roadcaster|[Nn]ewspaper|daily|[Cc]hannel|station|news\sagency|[Mm]agazine|website|"
    r"outlet)\s"
    r"(?P<org>[A-Z][\w-]*(?:\s[A-Z0-9][\w-]*){0,3})"
)
_MEDIA_APPOS = re.compile(
    r"(?P<org>[A-Z][\w-]*(?:\s[A-Z][\w-]*){0,3}),\s(?:an?|the)\s(?:[\w-]+\s){0,2}?(?:news\sagency|"
    r"newspaper|broadcaster|magazine|channel|website|daily|tv\sstation|radio\sstation)\b"
)
_MEDIA_AFTER_NAME = re.compile(
    r"(?P<org>(?:[Tt]he\s)?[A-Z][\w-]*(?:\s[A-Z0-9][\w-]*){0,3})\s(?:newspaper|daily|broadcaster|"
    r"news\sagency|magazine|television|TV\schannel|channel|website)\b"
)
#: "a Bangladeshi newspaper, The Daily Star": the outlet's kind, then its name in apposition.
_MEDIA_KIND_APPOS = re.compile(
    r"\b(?:an?|[Aa]nother)\s(?:[\w-]+\s){0,2}(?:news\sagency|newspaper|broadcaster|magazine|"
    r"channel|website|daily|weekly|tv\sstation|radio\sstation),\s"
    r"(?P<org>(?:The\s)?[A-Z][\w-]*(?:\s[A-Z0-9][\w-]*){0,3})"
)
_CAPITALISED_WORD = re.compile(r"\b[A-Z][A-Za-z]+\b")
_OUTLET = re.compile(
    r"\b(?:wrote|writing|written|writes|reported|published|appeared|told)\s(?:recently\s)?"
    r"(?:in|for|on|at|by)\s(?P<org>(?:[Tt]he\s)?[A-Z][\w']+(?:(?:\s(?:on\sthe|of\sthe|on|of))?"
    r"\s[A-Z][\w']+){0,4})"
)
_GROUP_NAME = re.compile(
    r"(?:\b(?:[Tt]he\s)?|(?<![\w#])(?=#[A-Z]))(?P<name>#?(?:[A-Z][\w\-’']+\s){0,2}(?:(?:al|el|as|az|ad)-)?[A-Z][\w\-’']+)(?:’s|'s)?\s"
    r"(?:(?:military|intelligence|security|secret|special|state|armed|drug|crime|criminal|"
    r"smuggling|trafficking)\s){0,3}"
    r"(?P<head>network|group|cell|gang|clan|brigade|battalion|militia|crew|regime|magazine|"
    r"newspaper|service|services|cartel|syndicate|mafia|tribe)\b"
)
_LED_NETWORK = re.compile(
    r"\b(?:an?|the)\s(?:[\w-]+\s){0,2}(?P<head>network|group|cell|gang|crew)\s(?:led|run|headed)\sby\s"
    r"(?P<leader>[A-Z][\w-]+(?:\s(?:(?:de|van|der|den|al|el|bin|ibn|le|la)\s)?[A-Z][\w-]+){0,3})"
)


@dataclass
class Candidate:
    """A typed name span, before it becomes a stored :class:`Mention`."""

    start: int
    end: int
    text: str
    label: str
    extractor: str
    confidence: float
    key: str = ""
    segment: str = "body"
    attrs: dict[str, Any] = field(default_factory=dict)


def segment_kind_at(segments: list[dict[str, Any]], pos: int) -> str:
    """The kind of the segment holding character ``pos`` ("body" when unsegmented)."""
    for seg in segments:
        if seg["start"] <= pos < seg["end"]:
            return str(seg["kind"])
    return "body"


def _is_heading(text: str, start: int) -> bool:
    """A short line with no sentence punctuation: a section heading or title, not prose."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", start)
    line = text[ls : le if le >= 0 else len(text)].strip()
    if not line or len(line) > 80:
        return False
    return not re.search(r"[.!?:;,\"”’)]$", line) and len(line.split()) <= 10


def _clean(text: str, start: int, end: int, *, person: bool = False) -> tuple[int, int] | None:
    """Trim determiners, possessives, credits and punctuation off a span
    (and, off a person's name, a prefix of origin or trade)."""
    s = text[start:end]
    cut = s.find("\n")
    if cut >= 0:
        s, end = s[:cut], start + cut
    m = re.match(r"^(?:the|The|THE|a|an)\s+", s)
    if m:
        start += m.end()
        s = s[m.end() :]
    m = re.match(
        r"^(?:(?:Belgian|French|U\.S\.|US|Syrian|Iraqi|former|then)\s)?(?:Mr|Mrs|Ms|Dr|Mayor|"
        r"President|Prime\sMinister|Minister|Judge|General|Gen|Colonel|Col|Captain|Prosecutor|"
        r"Inspector|Commissioner|Chief\sInspector|Officer|Detective|Sergeant|Senator)\.?\s+"
        r"(?=[A-Z])",
        s,
    )
    if m and len(s) > m.end():
        start += m.end()
        s = s[m.end() :]
    m = re.search(r"/(?:Handout|Courtesy|HANDOUT|File)\b.*$", s)
    if m:
        end -= len(s) - m.start()
        s = s[: m.start()]
    m = re.match(r"^(?:REUTERS|Reuters)/", s)
    if m:
        start += m.end()
        s = s[m.end() :]
    m = re.search(r"(?:’s|'s|’|')$", s)
    if m:
        end -= len(m.group())
        s = s[: m.start()]
    # "arrested Karim Haddou": the model's span began on a verb
    m = re.match(r"^(?:[a-z][\w-]*\s+)+(?=[A-Z])", s)
    if person and m and not any(w.split("-")[0] in PARTICLES for w in m.group().split()):
        start += m.end()
        s = s[m.end() :]
    # "REUTERS Haddou", "Belgian Karim Haddou", "Broadcaster CNN Turk": the prefix is no part of the name
    m = re.match(r"^([A-Z][\w.]*)\s+(?=[A-Z])", s)
    if (
        m
        and len(s.split()) >= 2
        and (fold(m.group(1)).rstrip(".") in NAME_PREFIXES or (person and is_demonym(m.group(1))))
        and fold(s.split()[-1]) not in ORG_HEADS
    ):
        start += m.end()
        s = s[m.end() :]
    # "Kenya RELATED STORIES": a heading in capitals glued after a name
    m = re.search(r"(?:\s+[A-Z]{2,}){1,4}$", s)
    if (
        m
        and not s[: m.start()].isupper()
        and s[: m.start()].strip()
        and (len(m.group().split()) >= 2 or len(m.group().strip()) >= 5)
    ):
        end -= len(m.group())
        s = s[: m.start()]
    while s and s[0] in " \t-–—\"“”‘’'(),.:;/":
        start += 1
        s = s[1:]
    while s and s[-1] in " \t-–—\"“”‘’'(),.:;/":
        end -= 1
        s = s[:-1]
    if not s:
        return None
    return start, end


_DEMONYM_STEMS = (
    ("ian", ("ia", "", "y")),
    ("an", ("a", "", "o", "um")),
    ("i", ("",)),
    ("ese", ("", "on", "a")),
    ("ish", ("ey", "", "and")),
    ("ean", ("ea", "")),
)


def is_demonym(word: str) -> bool:
    """A word of nationality or origin: its stem is a known country or place.

    >>> is_demonym("Bangladeshi"), is_demonym("Indonesian"), is_demonym("Karim")
    (True, True, False)
    """
    if not word[:1].isupper() or not word.isalpha() or len(word) < 5:
        return False
    for suffix, endings in _DEMONYM_STEMS:
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            if len(stem) >= 3 and any(is_known_place(stem + e) for e in endings):
                return True
    return False


def _capitalised_name(span_text: str) -> bool:
    """Every word that is not a particle starts with a capital letter."""
    # a nickname in quotes inside a name ('Joaquin "Chapo" Guzman') is read without them
    words = [w.strip("\"'“”‘’") for w in re.split(r"[\s]+", span_text)]
    core = [w for w in words if w.split("-")[0].lower() not in PARTICLES or w[:1].isupper()]
    return bool(core) and all(
        w[:1].isupper() for w in core if w.split("-")[0].lower() not in PARTICLES
    )


#: Plural demonyms ("Uzbeks", "Chechens", "Belgians", "Frenchmen"): people, not a group.
_DEMONYM_PLURAL = re.compile(r"^[A-Z][a-z]+(?:s|men)$")


def _is_demonym_plural(word: str) -> bool:
    if not _DEMONYM_PLURAL.match(word) or is_known_place(word):
        return False
    singular = word[:-3] if word.endswith("men") else word[:-1]
    return word_frequency(singular) >= 2.5 and word_frequency(word) < 4.5


_NEXT_NAME_WORD = re.compile(r" ([A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?)(?![\w’'-])")


def _name_continues(text: str, start: int, end: int) -> int:
    """The end of a person name the model cut short: "Syed Rizwan| Farook",
    "Roch Marc| Christian Kabore" (rare capitalised words, not places, follow)."""
    if len(text[start:end].split()) < 2:
        return end
    for _ in range(2):
        m = _NEXT_NAME_WORD.match(text, end)
        if not m:
            break
        word = m.group(1)
        if is_known_place(word) or (word_frequency(word) >= 4.0 and not is_given_name(word)):
            break
        end = m.end()
    return end


#: A title a one-word "organisation" of the model is part of: "Interior Minister".
_TITLE_AFTER = re.compile(r"\s+(?:Minister|Secretary|Ministers)\b")
#: "the Atlantic Council's Rafik Hariri Center": a body, then a unit of it.
_POSSESSIVE_ORG = re.compile(
    r"(?P<owner>[A-Z][\w.&-]*(?:\s(?:of\s|for\s|the\s|and\s)*[A-Z][\w.&-]*)*)(?:’s|'s)\s(?=[A-Z])"
)
#: Words that end the name of an institution and may be followed by its field.
_INSTITUTION_HEADS = frozenset(
    [
        "center",
        "centre",
        "institute",
        "office",
        "council",
        "foundation",
        "committee",
        "commission",
        "agency",
        "department",
        "bureau",
        "university",
        "school",
        "program",
        "programme",
        "fund",
        "association",
        "society",
        "forum",
        "initiative",
        "project",
        "academy",
        "observatory",
    ]
)
_FIELD_AFTER = re.compile(
    r"\s(?:for|of|on)\s(?:the\s)?[A-Z][\w-]*(?:\s(?:and\s|&\s|of\s|the\s)*[A-Z][\w-]*)*"
)


def _possessive_owner(text: str, s: int, e: int) -> tuple[tuple[int, int] | None, int]:
    """ "Atlantic Council’s Rafik Hariri Center": the owner (a body of its own, unless it
    is a place: "Turkey's Interior Ministry") and the start of the unit's name."""
    m = _POSSESSIVE_ORG.match(text, s, e)
    if not m or m.end() >= e:
        return None, s
    owner = m.group("owner")
    if is_known_place(owner) or is_demonym(owner) or len(owner) < 2:
        return None, m.end()
    return (m.start("owner"), m.end("owner")), m.end()


def _org_name_continues(text: str, s: int, e: int) -> int:
    """ "Rafik Hariri Center| for the Middle East": an institution's field is part of its name."""
    words = text[s:e].split()
    if not words or words[-1].lower() not in _INSTITUTION_HEADS:
        return e
    m = _FIELD_AFTER.match(text, e)
    if m is None or is_known_place(m.group().split()[-1]) and len(m.group().split()) <= 2:
        return e if m is None else m.end()
    return m.end()


def _reject(span_text: str) -> bool:
    f = fold(span_text)
    if not f or f in BOILERPLATE or f in NOT_ACTORS:
        return True
    if " " not in span_text and is_demonym(span_text):
        return True  # "Bangladeshi employees": an origin, not a name
    if _is_demonym_plural(span_text):
        return True
    if re.search(r"[@#/|_=<>{}\[\]]", span_text) or re.search(r"(?<![A-Za-z])\d", span_text):
        return True  # "Sharia4Belgium" keeps its digit; "RTX1QG47", "2016" do not pass
    return len(span_text) > 80


#: Capitalised nouns that make a group's name after an adjective of people ("Islamic State").
_NORP_GROUP_HEADS = ORG_HEADS | {"state", "brotherhood", "jihad", "union", "emirate"}


def _norp_group(text: str, start: int, end: int) -> Candidate | None:
    """ "Islamic State", "Democratic Party": the model tags the adjective alone (NORP)
    and drops the capitalised group noun after it; the two are one group's name."""
    m = re.match(r" ([A-Z][a-z]+)\b", text[end : end + 20])
    if not m or m.group(1).lower() not in _NORP_GROUP_HEADS or not text[start:end][:1].isupper():
        return None
    e = end + m.end()
    return Candidate(start, e, text[start:e], "ORG", "org-pattern", 0.7, attrs={"propn": True})


def propose(text: str, sdoc: Any, segments: list[dict[str, Any]]) -> list[Candidate]:
    """Typed candidates from spaCy's entities plus our own patterns, cleaned."""
    out: list[Candidate] = []
    lower_words = set(re.findall(r"\b[a-z][a-z-]+\b", text))
    for ent in sdoc.ents:
        label = _SPACY_LABELS.get(ent.label_)
        if ent.label_ == "NORP":
            group = _norp_group(text, ent.start_char, ent.end_char)
            if group is not None:
                group.segment = segment_kind_at(segments, ent.start_char)
                if group.segment in ANALYSED_SEGMENTS:
                    out.append(group)
        if label is None:
            continue
        kind = segment_kind_at(segments, ent.start_char)
        if kind not in ANALYSED_SEGMENTS or _is_heading(text, ent.start_char):
            continue
        span = _clean(text, ent.start_char, ent.end_char, person=label == "PERSON")
        if span is None:
            continue
        s, e = span
        if label == "PERSON":
            e = _name_continues(text, s, e)
        if label == "ORG":
            if " " not in text[s:e] and _TITLE_AFTER.match(text, e):
                continue  # "Interior Minister Ala": part of a title, not a body's name
            owner_span, s = _possessive_owner(text, s, e)
            e = _org_name_continues(text, s, e)
            if owner_span is not None:
                out.append(
                    Candidate(
                        owner_span[0],
                        owner_span[1],
                        text[owner_span[0] : owner_span[1]],
                        "ORG",
                        "spacy",
                        0.75,
                        segment=kind,
                        attrs={"spacy": ent.label_, "propn": True, "unit": (s, e)},
                    )
                )
        surface = text[s:e]
        if _reject(surface):
            continue
        line_start = text.rfind("\n", 0, s) + 1
        if re.match(r"\s*:", text[e : e + 3]) and not text[line_start:s].strip(" \t-*•"):
            continue  # a field label of a form or note: "Vehicle: ..."
        pos = [t.pos_ for t in ent if not t.is_punct]
        before = text[max(0, s - 30) : s]
        prev = re.findall(r"[\w-]+", before)
        out.append(
            Candidate(
                s,
                e,
                surface,
                label,
                "spacy",
                0.75,
                segment=kind,
                attrs={
                    "spacy": ent.label_,
                    "propn": all(p == "PROPN" for p in pos),
                    "lower_use": fold(surface) in lower_words,
                    "after_the": bool(re.search(r"\bthe\s+$", before)),
                    "prev": prev[-1].lower() if prev else "",
                    "locative": bool(_STRICT_LOCATIVE.search(before)),
                    "with_article": (
                        "The " + surface
                        if label == "ORG" and text[max(0, s - 4) : s] == "The "
                        else None
                    ),
                    "initial": not text[:s].rstrip(" \t\"“‘'(")
                    or text[:s].rstrip(" \t\"“‘'(")[-1] in ".!?\n:",
                    "in_at": bool(re.search(r"\b(?:in|at|near)\s+(?:the\s+)?$", before, re.I)),
                },
            )
        )
    for m in _CREDIT.finditer(text):
        g = next(k for k in ("name", "name2", "name3") if m.group(k))
        a = {"name": "agency", "name2": "agency2", "name3": "agency3"}[g]
        name = m.group(g)
        out.append(
            Candidate(
                m.start(g),
                m.end(g),
                name,
                "PERSON",
                "credit-line",
                0.9,
                segment="credit",
                attrs={"credit": True, "propn": True},
            )
        )
        out.append(
            Candidate(
                m.start(a),
                m.end(a),
                m.group(a),
                "ORG",
                "credit-line",
                0.9,
                segment="credit",
                attrs={"propn": True},
            )
        )
    for m in _QUOTED_NICKNAME.finditer(text):
        if segment_kind_at(segments, m.start()) not in ANALYSED_SEGMENTS:
            continue
        g = next(k for k in ("n1", "n2", "n3", "n4") if m.group(k))
        out.append(
            Candidate(
                m.start(),
                m.end(),
                m.group(),
                "PERSON",
                "name-pattern",
                0.85,
                attrs={
                    "propn": True,
                    "full_name": f"{m.group('given')} {m.group('family')}",
                    "nickname": (m.start(g), m.end(g), m.group(g)),
                },
            )
        )
    for m in _KUNYA.finditer(text):
        if segment_kind_at(segments, m.start()) in ANALYSED_SEGMENTS:
            out.append(
                Candidate(
                    m.start(),
                    m.end(),
                    m.group(),
                    "PERSON",
                    "name-pattern",
                    0.7,
                    attrs={"propn": True},
                )
            )
    for m in _GIVEN_NAME.finditer(text):
        g_start, g_text = m.start(), m.group()
        first = g_text.split()[0]
        if (fold(first) in NAME_PREFIXES or is_demonym(first)) and len(g_text.split()) >= 3:
            g_start += len(first) + 1  # "Belgian Karim Haddou": the name starts after the origin
            g_text = text[g_start : m.end()]
        if _given_name_span(g_text) and segment_kind_at(segments, g_start) in ANALYSED_SEGMENTS:
            out.append(
                Candidate(
                    g_start,
                    m.end(),
                    g_text,
                    "PERSON",
                    "given-name",
                    0.6,
                    attrs={"propn": True},
                )
            )
    for m in _ARABIC_NAME.finditer(text):
        head = m.group().split()[0].rstrip(".")
        if len(head) > 1 and not is_given_name(head) and word_frequency(head) >= 3.0:
            continue  # "Unlike al-Qaeda": an ordinary word, not a given name
        if segment_kind_at(segments, m.start()) in ANALYSED_SEGMENTS:
            out.append(
                Candidate(
                    m.start(),
                    m.end(),
                    m.group(),
                    "PERSON",
                    "arabic-name",
                    0.65,
                    attrs={"propn": True},
                )
            )
    for m in _ALNUM_NAME.finditer(text):
        if segment_kind_at(segments, m.start()) in ANALYSED_SEGMENTS:
            out.append(
                Candidate(
                    m.start(), m.end(), m.group(), "ORG", "org-pattern", 0.7, attrs={"propn": True}
                )
            )
    for m in _LED_ORG.finditer(text):
        if segment_kind_at(segments, m.start()) in ANALYSED_SEGMENTS:
            out.append(
                Candidate(
                    m.start("name"),
                    m.end("name"),
                    m.group("name"),
                    "ORG",
                    "org-pattern",
                    0.65,
                    attrs={"propn": True},
                )
            )
    for m in _ORG_IN_PLACE.finditer(text):
        grp_: str = "name" if m.group("name") else "aq"
        if segment_kind_at(segments, m.start()) in ANALYSED_SEGMENTS:
            out.append(
                Candidate(
                    m.start(grp_),
                    m.end(grp_),
                    m.group(grp_),
                    "ORG",
                    "org-pattern",
                    0.75,
                    attrs={"propn": True},
                )
            )
    for rx in (_DEMONYM_BODY, _OUTLET):
        for m in rx.finditer(text):
            if segment_kind_at(segments, m.start()) not in ANALYSED_SEGMENTS:
                continue
            grp: str | int = "org" if "org" in m.groupdict() else 0
            span = _clean(text, m.start(grp), m.end(grp)) if grp else (m.start(), m.end())
            if span is None:
                continue
            st, en = span
            attrs: dict[str, Any] = {"propn": True}
            if text[max(0, st - 4) : st] in ("The ", "the ") and rx is _OUTLET:
                attrs["with_article"] = "The " + text[st:en]
            out.append(Candidate(st, en, text[st:en], "ORG", "org-pattern", 0.7, attrs=attrs))
    out.extend(_named_bodies(text, segments))
    for m in _GROUP_NAME.finditer(text):
        if segment_kind_at(segments, m.start()) not in ANALYSED_SEGMENTS:
            continue
        first = m.group("name").split()[0]
        if first.lower() in {"the", "this", "that", "his", "her", "their", "its", "a"}:
            continue
        if re.search(r"\b(?:an?|[Aa]nother)\s$", text[max(0, m.start() - 8) : m.start()]):
            continue  # "a Bangladeshi newspaper": a kind of group, not a name
        hashtag = m.group("name").startswith("#")
        e = m.end("head")
        s0 = m.start("name")
        owner = re.match(r"[A-Z][\w-]*(?:’s|'s)\s(?=[A-Z])", m.group("name"))
        if owner and is_known_place(owner.group()[:-3].rstrip("’'")):
            s0 += owner.end()  # "Turkey's Hurriyet newspaper": the country is no part of the name
        out.append(
            Candidate(
                s0,
                e,
                text[s0:e],
                "ORG",
                "group-pattern",
                0.7,
                attrs={
                    "named_after": m.group("name"),
                    # "Hurriyet newspaper" is also called "Hurriyet", "the #FreeTheRiver
                    # group" is the campaign "#FreeTheRiver"
                    **(
                        {"short_name": text[s0 : m.end("name")]}
                        if m.group("head") in ("newspaper", "magazine") or hashtag
                        else {}
                    ),
                },
            )
        )
    for m in _LED_NETWORK.finditer(text):
        if segment_kind_at(segments, m.start()) not in ANALYSED_SEGMENTS:
            continue
        leader = m.group("leader")
        out.append(
            Candidate(
                m.start(),
                m.end("head"),
                text[m.start() : m.end("head")],
                "ORG",
                "led-network-pattern",
                0.7,
                attrs={
                    "leader": leader,
                    "leader_start": m.start("leader"),
                    "head": m.group("head"),
                },
            )
        )
    return [_with_head(text, c) for c in _dedupe(out)]


def _named_bodies(text: str, segments: list[dict[str, Any]]) -> list[Candidate]:
    """Organisations the words around them name: state bodies of a place, media
    named by their kind, and online platforms."""
    out: list[Candidate] = []

    def add(start: int, end: int) -> None:
        if segment_kind_at(segments, start) not in ANALYSED_SEGMENTS:
            return
        span = _clean(text, start, end)
        if span is None:
            return
        st, en = span
        lead = re.match(r"(?:An?|This|That|Its|Their|His|Her)\s+", text[st:en])
        if lead:
            st += lead.end()
        name = text[st:en]
        words = name.split()
        if not words or fold(name) in {"the", "a", "this", "that", "its", "their", "state"}:
            return
        if re.search(r"\b(?:an?|[Aa]nother)\s$", text[max(0, st - 8) : st]):
            return  # "a Tallish newspaper": a kind of outlet, not its name
        if len(words) == 1 and (
            is_demonym(name) or (word_frequency(name) >= 4.5 and fold(name) not in PLATFORMS)
        ):
            return  # "Russian newspaper", "State television": no name
        attrs: dict[str, Any] = {"propn": True}
        if text[max(0, st - 4) : st] in ("The ", "the "):
            attrs["with_article"] = "The " + name
        out.append(Candidate(st, en, name, "ORG", "org-pattern", 0.7, attrs=attrs))

    for m in _STATE_BODY.finditer(text):
        first = m.group("first")
        if first in ("U.S.", "U.K.") or is_demonym(first) or is_known_place(first):
            add(m.start("org"), m.end("org"))
    for rx in (_MEDIA_BEFORE, _MEDIA_AFTER_NAME, _MEDIA_APPOS, _MEDIA_KIND_APPOS):
        for m in rx.finditer(text):
            add(m.start("org"), m.end("org"))
    for m in _CAPITALISED_WORD.finditer(text):
        if fold(m.group()) in PLATFORMS:
            add(m.start(), m.end())
    return out


_HEAD_AFTER = re.compile(
    r"\s(?:movement|group|network|brigade|brigades|battalion|front|organi[sz]ation|party|"
    r"army|militia)\b"
)


def _with_head(text: str, c: Candidate) -> Candidate:
    """ "the Harakat al-Fajr movement": the head word belongs to the group's name."""
    if c.label != "ORG" or fold(c.text.split()[-1]) in ORG_HEADS:
        return c
    m = _HEAD_AFTER.match(text, c.end)
    if m:
        c.end = m.end()
        c.text = text[c.start : c.end]
    return c


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    """Drop candidates nested in or overlapping a longer one, preferring our patterns."""
    rank = {
        "credit-line": 0,
        "led-network-pattern": 1,
        "group-pattern": 2,
        "org-pattern": 2,
        "name-pattern": 3,
        "spacy": 4,
        "arabic-name": 3,
        "given-name": 5,
    }
    cands.sort(key=lambda c: (rank.get(c.extractor, 9), -(c.end - c.start), c.start))
    kept: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for c in cands:
        if any(c.start < e and s < c.end for s, e in taken):
            # a kunya the model cut short is kept when it extends a spaCy span
            continue
        kept.append(c)
        taken.append((c.start, c.end))
    kept.sort(key=lambda c: c.start)
    return kept


def _person_ok(c: Candidate) -> bool:
    if not _capitalised_name(c.text):
        return False
    core = core_words(c.text)
    if not core or len(core) > 5:
        return False
    if c.text.isupper() and len(c.text) > 3 and not c.attrs.get("credit"):
        return False
    if len(core) == 1:
        if not c.attrs.get("propn", False) or c.attrs.get("lower_use"):
            return False
        if word_frequency(core[0]) >= 5.0:
            return False
        if word_frequency(core[0]) >= 3.0 and c.attrs.get("initial") and not is_given_name(core[0]):
            return False  # "Landlord identified ...": a capitalised dictionary word, not a name
    return True


def classify(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Decide PERSON / ORG / PLACE for every candidate using the whole document."""
    # Words of confident multi-word person names: their parts are people too.
    person_words: set[str] = set()
    for c in cands:
        if (
            c.label == "PERSON"
            and _person_ok(c)
            and not c.attrs.get("locative")
            and c.text.split()[0].lower() not in _PLACE_ARTICLES
        ):
            core = core_words(c.text)
            if len(core) >= 2:
                person_words.update(skeleton(w) for w in core)
    person_singles = {
        skeleton(tokens(c.text)[0])
        for c in cands
        if c.label == "PERSON" and len(tokens(c.text)) == 1 and _person_ok(c)
    }
    uses: dict[str, list[bool]] = defaultdict(list)
    for c in cands:
        uses[fold(c.text)].append(bool(c.attrs.get("in_at")))
    always_locative = {f for f, flags in uses.items() if flags and sum(flags) * 2 > len(flags)}
    locative: set[str] = set()
    for c in cands:
        if _LOCATIVE.search(text[max(0, c.start - 12) : c.start]) or _PLACE_AFTER.match(
            text[c.end : c.end + 12]
        ):
            locative.add(fold(c.text))
    out: list[Candidate] = []
    for c in cands:
        f = fold(c.text)
        core = core_words(c.text)
        core_sk = {skeleton(w) for w in core}
        last = core[-1] if core else ""
        if c.extractor in _TRUSTED:
            out.append(c)
            continue
        single = len(core) == 1
        words = c.text.split()
        first = words[0].lower() if words else ""
        if parse_name(c.text).kunya and len(words) <= 4 and c.text[:1].isupper():
            c.label = "PERSON"  # "Abu Rayyan": a kunya is a person's name
        elif (
            first in STREET_WORDS
            or first in PLACE_LEADS
            or last in PLACE_HEADS
            or last.endswith(STREET_SUFFIXES)
        ):
            c.label = "PLACE"
        elif (
            single and c.label in ("PERSON", "ORG") and _FAMILY_REF.match(text[c.end : c.end + 14])
        ):
            continue  # "the Haddou brothers": a family, not one person
        elif c.label == "PERSON":
            if (
                last in ORG_HEADS
                or (core and core[0] in ORG_LEADS)
                or _prev_word(text, c.start) in ORG_HEADS
            ):
                c.label = "ORG"
            elif (
                single
                and c.attrs.get("after_the")
                and not (core_sk & person_words)
                or (
                    single
                    and (is_known_place(c.text) or (is_possible_place(c.text) and f in locative))
                    and not (core_sk & person_words)
                )
            ):
                c.label = "PLACE"
            elif (
                first in _PLACE_ARTICLES
                or (c.attrs.get("locative") and not is_given_name(words[0]))
            ) and not (core_sk & person_words):
                c.label = "PLACE"  # "from Les Tanneries": a place, not a person
            elif not _person_ok(c):
                continue
        elif c.label == "ORG":
            if (
                core
                and first not in _PLACE_ARTICLES
                and (core_sk <= person_words or _looks_personal(c, person_singles))
                and _capitalised_name(c.text)
                and last not in ORG_HEADS
            ):
                c.label = "PERSON"
            elif (
                last not in ORG_HEADS
                and (
                    is_known_place(c.text)
                    or (single and is_possible_place(c.text) and f in locative)
                )
                or single
                and not c.text.isupper()
                and f in always_locative
            ):
                c.label = "PLACE"
            elif c.text.isupper() and len(c.text) > 6:
                continue  # shouting words in headings and picture-desk notes
            elif single and not c.text.isupper() and word_frequency(c.text) >= 5.0:
                continue  # "Court", "Police": a common word, not a name
            elif (
                not c.text[:1].isupper()
                and core
                and re.split(r"[\s-]", c.text)[0].lower() not in PARTICLES
            ):
                continue
        elif c.label == "PLACE" and core and core_sk <= person_words:
            if not is_known_place(c.text):
                c.label = "PERSON"
        out.append(c)
    _coordinated_places(text, out, person_words)
    _vote(out)
    out = _joined_names(text, out)
    out = _typed_by_context(text, out)
    return [_with_head(text, c) for c in out]


#: Nouns of events: "Osama's Death" is no person, "Khan Killing" no name.
_EVENT_NOUNS = word_set(
    """death deaths killing killings murder murders arrest arrests trial funeral attack attacks
    bombing bombings execution escape shooting shootings massacre assassination capture
    extradition raid siege kidnapping abduction"""
)
_PLACE_BEFORE = re.compile(
    r"\b(?:town|city|village|district|province|region|island|islands|area|neighbou?rhood|"
    r"port|suburb|municipality|county|state)\s+of\s+$",
    re.I,
)
_PLACE_APPOS = re.compile(
    r"^,\s+(?:(?:the|a|an)\s+)?(?:[\w’'-]+\s+){0,5}?(?:island|city|town|village|market|mall|"
    r"mosque|church|square|district|province|region|neighbou?rhood|site|sites|landmark|"
    r"landmarks|monument|palace|capital)\b"
)
_VENUE_AFTER = re.compile(
    r"^(?:’s|'s)?\s+(?:restaurant|store|shop|supermarket|café|cafe|bar|nightclub|club|"
    r"hotel|bakery|chain|brand|company|firm)\b"
)
_THING_AFTER = re.compile(
    r"^\s+(?:car|cars|sedan|van|truck|lorry|jeep|suv|SUV|motorcycle|scooter|pickup|rifle|"
    r"rifles|pistol|pistols|handgun|phone|phones|smartphone|laptop|drone|aircraft|jet|"
    r"helicopter|model|vehicle)\b"
)
_AGE_AFTER = re.compile(r"^,\s+(?:then\s+|now\s+|aged\s+)?\d{1,2},")
_GROUP_BEFORE = re.compile(
    r"\b(?:group|network|organi[sz]ation|faction|militia|cartel|gang|movement|outfit|"
    r"insurgency)\s+$"
)
_GROUP_AFTER_NAME = re.compile(
    r"^(?:’s|'s)?\s+(?:militants?|fighters?|insurgents?|insurgency|gunmen|rebels?|"
    r"militia|militiamen|tribe|clan|members|supporters|loyalists|cells?|hideouts?|"
    r"newspaper|daily|broadcaster|channel|magazine|television|TV|radio|website|"
    r"news\sagency)\b"
)


def _joined_names(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Mend names the model cut in two: "Syed Rizwan" + "Farook" are one person,
    "Jamaah" + "Ansharut Daulah" one group (a first word that opens group names)."""
    out: list[Candidate] = []
    for c in cands:
        if out:
            p = out[-1]
            gap = text[p.end : c.start]
            lead = fold(p.text) in ORG_LEADS and c.label in ("PERSON", "ORG")
            both = p.label == c.label == "PERSON" and c.extractor not in ("credit-line",)
            if gap == " " and (lead or both) and p.extractor != "credit-line":
                p.end = c.end
                p.text = text[p.start : p.end]
                p.label = "ORG" if lead else "PERSON"
                continue
        out.append(c)
    return out


def _typed_by_context(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Types decided by the words around a name, for every use of that name.

    A place is what follows "the town of" or stands in apposition to a place
    noun ("Java, the island"); a group or medium what is followed by "fighters"
    or "newspaper"; a venue ("X's restaurant") or platform is an organisation; a
    name followed by "car" or "rifle" is a product, dropped; "X's Death" is an
    event, cut back to its possessor.
    """
    relabel: dict[str, str] = {}
    drop: set[int] = set()
    for i, c in enumerate(cands):
        if c.label not in ("PERSON", "ORG", "PLACE") or c.extractor == "credit-line":
            continue
        before = text[max(0, c.start - 40) : c.start]
        after = text[c.end : c.end + 60]
        if _THING_AFTER.match(after):
            drop.add(i)
            continue
        if c.label == "PLACE":
            continue
        f = fold(c.text)
        words = c.text.split()
        if c.label == "PERSON" and len(words) >= 2 and fold(words[-1]) in _EVENT_NOUNS:
            m = re.match(r"(.+?)(?:’s|'s)\s", c.text)
            if not m:
                drop.add(i)
                continue
            c.end = c.start + len(m.group(1))
            c.text = m.group(1)
            continue
        if c.label == "ORG" and len(words) <= 3 and _AGE_AFTER.match(after):
            relabel[f] = "PERSON"  # "Marquez, then 24,": an age in apposition is a person's
        elif (
            f in PLATFORMS
            or _VENUE_AFTER.match(after)
            or _GROUP_AFTER_NAME.match(after)
            or (c.label == "PERSON" and _GROUP_BEFORE.search(before))
        ):
            relabel[f] = "ORG"
        elif c.label == "PERSON" and (_PLACE_BEFORE.search(before) or _PLACE_APPOS.match(after)):
            relabel.setdefault(f, "PLACE")
    out = []
    for i, c in enumerate(cands):
        if i in drop:
            continue
        new = relabel.get(fold(c.text))
        if new and c.label in ("PERSON", "ORG") and c.extractor != "credit-line":
            c.label = new
        out.append(c)
    return out


def _coordinated_places(text: str, cands: list[Candidate], person_words: set[str]) -> None:
    """In "Tel Abyad, Al-Houl, Sinjar and Ramadi" the items share a type: a one-word
    "person" listed among places is a place."""
    run: list[Candidate] = []

    def settle() -> None:
        places = sum(1 for c in run if c.label == "PLACE")
        if places >= 1 and places * 2 >= len(run) - 1 and len(run) >= 2:
            for c in run:
                core = core_words(c.text)
                if (
                    c.label == "PERSON"
                    and len(core) <= 2
                    and not ({skeleton(w) for w in core} & person_words)
                ):
                    c.label = "PLACE"

    for c in cands:
        if run and re.fullmatch(
            r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", text[run[-1].end : c.start]
        ):
            run.append(c)
            continue
        settle()
        run = [c]
    settle()


def _prev_word(text: str, start: int) -> str:
    """The word before ``start`` in its own sentence ("" at a sentence or line start)."""
    before = re.split(r"[.!?]\s|\n", text[max(0, start - 30) : start])[-1]
    words = re.findall(r"[\w-]+", before)
    return words[-1].lower() if words else ""


def _looks_personal(c: Candidate, person_singles: set[str]) -> bool:
    """A multi-word name the model called an organisation that reads as a person:
    its last word is used alone as a person elsewhere, or it starts with a known
    given name ("Karim Saadouni")."""
    words = [w for w in c.text.split() if w.split("-")[0].lower() not in PARTICLES]
    if not 2 <= len(words) <= 4:
        return False
    if any(fold(w) in ORG_HEADS or fold(w) in ORG_LEADS for w in words):
        return False
    if skeleton(words[-1]) in person_singles:
        return True
    if any(word_frequency(w) >= 4.0 for w in words[1:]):
        return False  # "Rahma Coastal Relief": ordinary words after a name make a group
    if is_known_place(c.text):
        return False
    return is_given_name(words[0]) or (
        all(word_frequency(w) < 3.0 for w in words) and is_known_name(words[0])
    )


def _vote(cands: list[Candidate]) -> None:
    """One label per surface form in a document: the majority of its confident uses."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for c in cands:
        votes[fold(c.text)][c.label] += 1
    for c in cands:
        v = votes[fold(c.text)]
        top, n = v.most_common(1)[0]
        if top != c.label and n > v[c.label] and c.extractor == "spacy":
            c.label = top
