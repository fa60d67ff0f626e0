"""Name spans in a document: the candidate record, and how a span is cleaned and judged.

Shared by the pattern modules (:mod:`threadline.extract.name_shapes`,
:mod:`threadline.extract.org_spans`) and the mention table
(:mod:`threadline.extract.mentions`): which segments are analysed, trimming
determiners, titles, credits and punctuation off a span, words of origin
("Bangladeshi") that are no names, and dropping overlapping spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from threadline.model.lexicon import (
    BOILERPLATE,
    NAME_PREFIXES,
    NOT_ACTORS,
    ORG_HEADS,
    is_known_place,
    word_frequency,
)
from threadline.model.names import (
    PARTICLES,
    fold,
)

ANALYSED_SEGMENTS = frozenset({"body", "caption", "credit"})


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


def is_heading(text: str, start: int) -> bool:
    """A short line with no sentence punctuation: a section heading or title, not prose."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", start)
    line = text[ls : le if le >= 0 else len(text)].strip()
    if not line or len(line) > 80:
        return False
    return not re.search(r"[.!?:;,\"”’)]$", line) and len(line.split()) <= 10


def clean_span(text: str, start: int, end: int, *, person: bool = False) -> tuple[int, int] | None:
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


def capitalised_name(span_text: str) -> bool:
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


def reject_span(span_text: str) -> bool:
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


def dedupe_spans(cands: list[Candidate]) -> list[Candidate]:
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
