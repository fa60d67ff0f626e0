"""Names in a document: people, organisations and places, cleaned and typed.

spaCy's small English model proposes spans, and our patterns add the names it
misses (:mod:`threadline.extract.name_shapes`, :mod:`threadline.extract.org_spans`);
this module decides what they are. It drops what is not a name (lower-case words,
boilerplate, religions), retypes what the model got wrong using evidence from the
same document (a surname of a full person name is a person; a known city is a
place; "the X network" is a group). Spans are cleaned by
:mod:`threadline.extract.spans`; in-document keys come from
:mod:`threadline.extract.coreference`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from threadline.extract.name_shapes import name_continues, name_pattern_candidates, person_ok
from threadline.extract.org_spans import (
    TITLE_AFTER,
    norp_group,
    org_name_continues,
    org_pattern_candidates,
    possessive_owner,
    with_head,
)
from threadline.extract.spans import (
    ANALYSED_SEGMENTS,
    Candidate,
    capitalised_name,
    clean_span,
    dedupe_spans,
    is_heading,
    reject_span,
    segment_kind_at,
)
from threadline.model.lexicon import (
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


def propose(text: str, sdoc: Any, segments: list[dict[str, Any]]) -> list[Candidate]:
    """Typed candidates from spaCy's entities plus our own patterns, cleaned."""
    out: list[Candidate] = []
    lower_words = set(re.findall(r"\b[a-z][a-z-]+\b", text))
    for ent in sdoc.ents:
        label = _SPACY_LABELS.get(ent.label_)
        if ent.label_ == "NORP":
            group = norp_group(text, ent.start_char, ent.end_char)
            if group is not None:
                group.segment = segment_kind_at(segments, ent.start_char)
                if group.segment in ANALYSED_SEGMENTS:
                    out.append(group)
        if label is None:
            continue
        kind = segment_kind_at(segments, ent.start_char)
        if kind not in ANALYSED_SEGMENTS or is_heading(text, ent.start_char):
            continue
        span = clean_span(text, ent.start_char, ent.end_char, person=label == "PERSON")
        if span is None:
            continue
        s, e = span
        if label == "PERSON":
            e = name_continues(text, s, e)
        if label == "ORG":
            if " " not in text[s:e] and TITLE_AFTER.match(text, e):
                continue  # "Interior Minister Ala": part of a title, not a body's name
            owner_span, s = possessive_owner(text, s, e)
            e = org_name_continues(text, s, e)
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
        if reject_span(surface):
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
    out.extend(name_pattern_candidates(text, segments))
    out.extend(org_pattern_candidates(text, segments))
    return [with_head(text, c) for c in dedupe_spans(out)]


def classify(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Decide PERSON / ORG / PLACE for every candidate using the whole document."""
    # Words of confident multi-word person names: their parts are people too.
    person_words: set[str] = set()
    for c in cands:
        if (
            c.label == "PERSON"
            and person_ok(c)
            and not c.attrs.get("locative")
            and c.text.split()[0].lower() not in _PLACE_ARTICLES
        ):
            core = core_words(c.text)
            if len(core) >= 2:
                person_words.update(skeleton(w) for w in core)
    person_singles = {
        skeleton(tokens(c.text)[0])
        for c in cands
        if c.label == "PERSON" and len(tokens(c.text)) == 1 and person_ok(c)
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
            elif not person_ok(c):
                continue
        elif c.label == "ORG":
            if (
                core
                and first not in _PLACE_ARTICLES
                and (core_sk <= person_words or _looks_personal(c, person_singles))
                and capitalised_name(c.text)
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
    return [with_head(text, c) for c in out]


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
#: "a member of X", "fighters of X": one is a member of a body, not of a place.
_MEMBER_OF_BEFORE = re.compile(
    r"\b(?:members?|fighters?|militants?|operatives?|recruits?|loyalists?)\s+of\s+(?:the\s+)?$",
    re.I,
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
    member_of: set[str] = set()
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
            if _MEMBER_OF_BEFORE.search(before) and not is_known_place(c.text):
                member_of.add(fold(c.text))  # "a member of Daesh": no country, a group
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
        if c.label == "PLACE" and fold(c.text) in member_of:
            c.label = "ORG"
        elif new and c.label in ("PERSON", "ORG") and c.extractor != "credit-line":
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
