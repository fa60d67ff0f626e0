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

from threadline.extract.mentions import ANALYSED_SEGMENTS, Candidate, segment_kind_at
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
            c.key = c.text  # "Haji Bakr", "Mullah Omar": an honorific name, not a partial one
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
    not the kunya ("Bakr" is no partial name of "Abu Bakr al-Baghdadi")."""
    parts = parse_name(name)
    words = list(parts.given) + ([parts.family] if parts.family else [])
    return {skeleton(w) for w in words}


def _initial_match(c: Candidate, full: list[Candidate]) -> Candidate | None:
    """ "Abderamane A." abbreviates "Abderahmane Ameroud": same given name, family initial."""
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
