"""The shapes of person names: patterns for names the model misses or cuts short.

Photo credits ("REUTERS/Jan Pieters"), quoted nicknames, kunyas ("Abu Rayyan"),
a known given name followed by rare capitalised words, Arabic names with a
particle, a name the model cut short, and whether a span reads as a person's name.
"""

from __future__ import annotations

import re
from typing import Any

from threadline.extract.spans import (
    ANALYSED_SEGMENTS,
    Candidate,
    capitalised_name,
    is_demonym,
    segment_kind_at,
)
from threadline.model.lexicon import (
    NAME_PREFIXES,
    is_given_name,
    is_known_place,
    word_frequency,
)
from threadline.model.names import (
    PARTICLES,
    core_words,
    fold,
)

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
_NEXT_NAME_WORD = re.compile(r" ([A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?)(?![\w’'-])")


def name_continues(text: str, start: int, end: int) -> int:
    """The end of a person name the model cut short: "Syed Rizwan| Farook",
    "Roch Marc| Christian Kabore" (rare capitalised words, not places, follow)."""
    if len(text[start:end].split()) < 2:
        return end
    for _ in range(2):
        m = _NEXT_NAME_WORD.match(text, end)
        if not m:
            break
        word = m.group(1)
        if is_known_place(word):
            break
        if word_frequency(word) >= 4.0 and not is_given_name(word):
            # a common word is a middle name only when a rare surname closes the name
            # ("Roch Marc| Christian Kabore"), never a group or a place after it
            last = _NEXT_NAME_WORD.match(text, m.end())
            if (
                last
                and word_frequency(last.group(1)) < 2.5
                and not is_known_place(last.group(1))
                and not _NEXT_NAME_WORD.match(text, last.end())
            ):
                end = last.end()
            break
        end = m.end()
    return end


def person_ok(c: Candidate) -> bool:
    if not capitalised_name(c.text):
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


def name_pattern_candidates(text: str, segments: list[dict[str, Any]]) -> list[Candidate]:
    """Person names our patterns find beside the model's: photo credits (with their
    agency), quoted nicknames, kunyas, known given names and Arabic names."""
    out: list[Candidate] = []
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
    return out
