"""In-document coreference of partial names: which mentions of one document name one
person, group or place.

Needs: the typed candidates of :mod:`threadline.extract.mentions`. Produces: the
``key`` of each candidate (:func:`assign_keys`: a one-word or partial person name
takes the longer name of the document it belongs to) and the mentions a name's
later bare uses add (:func:`propagate`: "Haddou" after "Karim Haddou" is a mention
of him too, in analysed segments only).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from threadline.extract.spans import ANALYSED_SEGMENTS, Candidate, segment_kind_at
from threadline.model.lexicon import word_frequency
from threadline.model.names import TITLES, core_words, fold, parse_name, skeleton, tokens


def assign_keys(cands: list[Candidate]) -> None:
    """Give each candidate its in-document identity key.

    A person mention whose words all belong to a longer person name of the
    document takes that name as key: the nearest one before it, else the first
    after it. Organisations and places key on their folded text.
    """
    persons = [c for c in cands if c.label == "PERSON"]
    full = [c for c in persons if len(_core(c.text)) >= 2 and not c.attrs.get("kunya_only")]
    for c in cands:
        if c.label != "PERSON":
            c.key = c.attrs.get("key") or c.text
            continue
        if c.attrs.get("full_name"):
            c.key = c.attrs["full_name"]
            continue
        if c.extractor == "alias-pattern" or "alias_of" in c.attrs or parse_name(c.text).kunya:
            c.key = c.text  # a declared alias or a kunya is a name of its own, not a part
            continue
        if any(w in TITLES for w in tokens(c.text)[:1]) and len(tokens(c.text)) > 1:
            c.key = c.text  # "Haji Rahim", "Mullah Daud": an honorific name, not a partial one
            continue
        initial = _initial_match(c, full)
        if initial is not None:
            c.key = initial.attrs.get("full_name") or initial.text
            continue
        mine = {skeleton(w) for w in _core(c.text)}
        containing = [
            f
            for f in full
            if f is not c and mine and mine <= _matchable(f.text) and len(_core(f.text)) > len(mine)
        ]
        if not containing:
            c.key = c.text
            continue
        before = [f for f in containing if f.start < c.start]
        chosen = before[-1] if before else containing[0]
        c.key = chosen.attrs.get("full_name") or chosen.text


def _core(name: str) -> list[str]:
    return core_words(name)


def _matchable(name: str) -> set[str]:
    """Skeletons of the words a partial name may repeat: given and family names,
    not the kunya ("Hafs" is no partial name of "Abu Hafs al-Tarabulsi")."""
    parts = parse_name(name)
    words = list(parts.given) + ([parts.family] if parts.family else [])
    return {skeleton(w) for w in words}


def _initial_match(c: Candidate, full: list[Candidate]) -> Candidate | None:
    """ "Abdelkrim B." abbreviates "Abdelkrim Benali": same given name, family initial."""
    words = c.text.replace(".", " ").split()
    if len(words) < 2 or len(words[-1]) != 1 or not words[-1].isupper():
        return None
    given = skeleton(words[0])
    for f in full:
        fw = _core(f.text)
        if (
            f is not c
            and len(fw) >= 2
            and fw[-1][:1] == words[-1].lower()
            and (skeleton(fw[0]) == given or _close(fw[0], words[0]))
        ):
            return f
    return None


def _close(a: str, b: str) -> bool:
    """Spellings one letter apart ("Abderamane" / "Abderahmane")."""
    return SequenceMatcher(None, fold(a), fold(b)).ratio() >= 0.9


#: Extractors whose names are looked for again elsewhere in the document.
_PROPAGATED = frozenset(
    {"spacy", "given-name", "arabic-name", "name-pattern", "org-pattern", "byline"}
)


def propagate(text: str, cands: list[Candidate], segments: list[dict[str, Any]]) -> list[Candidate]:
    """Find the other uses of names the model recognised once.

    The small model misses a name it found a sentence earlier ("Saadouni said"
    at the start of a line). Every full person name, the family name of each,
    and every organisation name is looked for again, as a whole word, where no
    candidate already sits.
    """
    taken = sorted((c.start, c.end) for c in cands)
    wanted: dict[str, str] = {}
    for c in cands:
        if c.extractor not in _PROPAGATED or c.attrs.get("credit"):
            continue
        if c.label == "PERSON":
            core = _core(c.text)
            if len(core) == 1 and c.text[:1].isupper() and word_frequency(c.text) < 3.0:
                wanted.setdefault(c.text, "PERSON")
            if len(core) >= 2:
                wanted.setdefault(c.text, "PERSON")
                family = c.text.split()[-1]
                if len(family) > 3 and family[:1].isupper() and word_frequency(family) < 4.0:
                    wanted.setdefault(family, "PERSON")
        elif c.label == "ORG" and len(c.text) > 2:
            wanted.setdefault(c.text, "ORG")
    if not wanted:
        return cands
    pattern = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(w) for w in sorted(wanted, key=len, reverse=True))
        + r")(?![\w-])"
    )
    added: list[Candidate] = []
    for m in pattern.finditer(text):
        s, e = m.start(), m.end()
        if any(s < te and ts < e for ts, te in taken):
            continue
        kind = segment_kind_at(segments, s)
        if kind not in ANALYSED_SEGMENTS:
            continue
        added.append(
            Candidate(
                s,
                e,
                m.group(),
                wanted[m.group()],
                "propagation",
                0.6,
                segment=kind,
                attrs={"propn": True},
            )
        )
        taken.append((s, e))
    return sorted(cands + added, key=lambda c: c.start)


#: Nouns a story calls a person by once it has named him or her ("the bomber, identified
#: as X"; "the gunman, X"): a definite use elsewhere in the story is that person.
PERSON_NOMINALS = frozenset(
    [
        "bomber",
        "gunman",
        "attacker",
        "shooter",
        "assailant",
        "suspect",
        "killer",
        "perpetrator",
        "hijacker",
        "kidnapper",
        "organizer",
        "organiser",
        "mastermind",
        "ringleader",
    ]
)
#: Common nouns that head an organisation's name ("the Sinaloa cartel", "the Nigerian
#: government"): "the cartel", "the government" later in the story is that body.
ORG_NOMINALS = frozenset(
    [
        "cartel",
        "government",
        "network",
        "group",
        "militia",
        "army",
        "movement",
        "party",
        "front",
        "organisation",
        "organization",
        "council",
        "agency",
        "ministry",
        "tribe",
        "shura",
        "brigade",
        "gang",
        "cell",
        "syndicate",
        "police",
        "military",
    ]
)
_DEFINITE = frozenset({"the", "this", "that"})
_IDENTIFYING = frozenset({"appos", "compound"})


def _definite(t: Any) -> bool:
    """ "the cartel", and "X's government" (a name as its determiner)."""
    return t.tag_ == "NN" and any(
        c.dep_ == "det" and c.lower_ in _DEFINITE or c.dep_ == "poss" and c.pos_ == "PROPN"
        for c in t.children
    )


def nominal_antecedents(sdoc: Any, cands: list[Candidate]) -> dict[int, int]:
    """Definite nominals and the named actor each one is: token index of the noun ->
    candidate index.

    - a person noun ("the bomber") is the one person the story identifies by it — in
      apposition ("the bomber, X", "X, the gunman"), as a title ("gunman X") or "identified
      / named as X" — when exactly one person is;
    - an organisation noun ("the cartel") is the nearest organisation named before it
      whose name ends in that noun ("the Sinaloa cartel").

    Tokens inside a name are never nominals.
    """
    inside: dict[int, int] = {}
    for i, c in enumerate(cands):
        if c.label not in ("PERSON", "ORG") or c.attrs.get("nested"):
            continue
        if c.attrs.get("alias_of") is not None:
            continue
        span = sdoc.char_span(c.start, c.end, alignment_mode="expand")
        for t in span or []:
            inside.setdefault(t.i, i)
    # person nouns: who the story identifies by each one
    named: dict[str, set[str]] = {}
    first: dict[str, int] = {}
    for i, c in enumerate(cands):
        if c.label != "PERSON" or c.attrs.get("alias_of") is not None:
            continue
        span = sdoc.char_span(c.start, c.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        for noun in _identified_by(span.root, inside):
            named.setdefault(noun, set()).add(c.key or c.text)
            first.setdefault(f"{noun}\0{c.key or c.text}", i)
    out: dict[int, int] = {}
    org_heads = [
        (c.start, i, c.text.split()[-1])
        for i, c in enumerate(cands)
        if c.label == "ORG"
        and c.attrs.get("alias_of") is None
        and c.text.split()
        and c.text.split()[-1].islower()
    ]
    for t in sdoc:
        if t.i in inside or not _definite(t):
            continue
        w = t.lower_
        if w in PERSON_NOMINALS and len(named.get(w, ())) == 1:
            person = next(iter(named[w]))
            out[t.i] = first[f"{w}\0{person}"]
        elif w in ORG_NOMINALS:
            before = [i for s, i, head in org_heads if s < t.idx and head == w]
            if before:
                out[t.i] = before[-1]
    return out


def _identified_by(root: Any, inside: dict[int, int]) -> set[str]:
    """Person nouns a name is identified by in its sentence: "the bomber, X", "X, the
    gunman", "gunman X", "the bomber, identified as X"."""
    out: set[str] = set()
    for c in root.children:  # "gunman X", "X, the gunman"
        if c.dep_ in _IDENTIFYING and c.lower_ in PERSON_NOMINALS and c.i not in inside:
            out.add(c.lower_)
    t, seen_as = root, False
    for _ in range(4):  # up: "the bomber, X" / "the bomber, identified as X"
        dep, t = t.dep_, t.head
        if t.i == t.head.i and dep == "ROOT":
            break
        if t.lower_ == "as" and dep == "pobj":
            seen_as = True
        if t.lower_ in PERSON_NOMINALS and t.i not in inside:
            if dep == "appos" or seen_as:
                out.add(t.lower_)
            break
        if seen_as and t.lower_ in ("identified", "named", "described"):
            # "police named the gunman as X" (its object), "the bomber, identified by
            # local media as X" (the nominal just before the verb)
            objects = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
            before = list(reversed(t.doc[max(t.sent.start, t.i - 4) : t.i]))
            noun = next(
                (n for n in objects + before if n.lower_ in PERSON_NOMINALS and _definite(n)),
                None,
            )
            if noun is not None and noun.i not in inside:
                out.add(noun.lower_)
            break
        if dep not in ("pobj", "prep", "acl", "appos", "advcl"):
            break
    return out
