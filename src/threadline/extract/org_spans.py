"""Organisation spans: patterns for groups, state bodies and media the model misses.

"X, led by Y", "al-Qaeda in Iraq", "Sharia4Belgium", "Jakarta police",
"broadcaster Metro TV", "the Harakat al-Fajr movement", "a cell led by Y", a
unit of a body ("the Atlantic Council's ... Center"), an institution's field
("... for the Middle East") and the head word that belongs to a group's name.
"""

from __future__ import annotations

import re
from typing import Any

from threadline.extract.spans import (
    ANALYSED_SEGMENTS,
    Candidate,
    clean_span,
    is_demonym,
    segment_kind_at,
)
from threadline.model.lexicon import (
    ORG_HEADS,
    PLATFORMS,
    is_known_place,
    word_frequency,
)
from threadline.model.names import (
    fold,
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
#: A title a one-word "organisation" of the model is part of: "Interior Minister".
TITLE_AFTER = re.compile(r"\s+(?:Minister|Secretary|Ministers)\b")
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


def possessive_owner(text: str, s: int, e: int) -> tuple[tuple[int, int] | None, int]:
    """ "Atlantic Council’s Rafik Hariri Center": the owner (a body of its own, unless it
    is a place: "Turkey's Interior Ministry") and the start of the unit's name."""
    m = _POSSESSIVE_ORG.match(text, s, e)
    if not m or m.end() >= e:
        return None, s
    owner = m.group("owner")
    if is_known_place(owner) or is_demonym(owner) or len(owner) < 2:
        return None, m.end()
    return (m.start("owner"), m.end("owner")), m.end()


def org_name_continues(text: str, s: int, e: int) -> int:
    """ "Rafik Hariri Center| for the Middle East": an institution's field is part of its name."""
    words = text[s:e].split()
    if not words or words[-1].lower() not in _INSTITUTION_HEADS:
        return e
    m = _FIELD_AFTER.match(text, e)
    if m is None or is_known_place(m.group().split()[-1]) and len(m.group().split()) <= 2:
        return e if m is None else m.end()
    return m.end()


#: Capitalised nouns that make a group's name after an adjective of people ("Islamic State").
_NORP_GROUP_HEADS = ORG_HEADS | {"state", "brotherhood", "jihad", "union", "emirate"}


def norp_group(text: str, start: int, end: int) -> Candidate | None:
    """ "Islamic State", "Democratic Party": the model tags the adjective alone (NORP)
    and drops the capitalised group noun after it; the two are one group's name."""
    m = re.match(r" ([A-Z][a-z]+)\b", text[end : end + 20])
    if not m or m.group(1).lower() not in _NORP_GROUP_HEADS or not text[start:end][:1].isupper():
        return None
    e = end + m.end()
    return Candidate(start, e, text[start:e], "ORG", "org-pattern", 0.7, attrs={"propn": True})


def _named_bodies(text: str, segments: list[dict[str, Any]]) -> list[Candidate]:
    """Organisations the words around them name: state bodies of a place, media
    named by their kind, and online platforms."""
    out: list[Candidate] = []

    def add(start: int, end: int) -> None:
        if segment_kind_at(segments, start) not in ANALYSED_SEGMENTS:
            return
        span = clean_span(text, start, end)
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


def with_head(text: str, c: Candidate) -> Candidate:
    """ "the Harakat al-Fajr movement": the head word belongs to the group's name."""
    if c.label != "ORG" or fold(c.text.split()[-1]) in ORG_HEADS:
        return c
    m = _HEAD_AFTER.match(text, c.end)
    if m:
        c.end = m.end()
        c.text = text[c.start : c.end]
    return c


def org_pattern_candidates(text: str, segments: list[dict[str, Any]]) -> list[Candidate]:
    """Organisations our patterns find beside the model's: names with a digit, groups
    led by someone or named after a region, state bodies, media and outlets, "the X
    network" and "a cell led by Y"."""
    out: list[Candidate] = []
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
            span = clean_span(text, m.start(grp), m.end(grp)) if grp else (m.start(), m.end())
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
    return out
