"""Weak ties: two actors named in one sentence that no pattern connected.

A sentence that names two people, or a person and a group, usually says
something about how they relate, even when no pattern reads it. These ties are
kept with a low confidence (``COOCCURRENCE_CONFIDENCE``) and a detail saying
how they were found, so an analyst can filter them out; the tie type is
guessed from the sentence's vocabulary (kin words -> family, "joined" ->
member_of, "told" -> communicated_with ...), ``other`` when nothing fits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

COOCCURRENCE_CONFIDENCE = 0.35
#: Sentences naming more actors than this are lists, not statements about pairs.
MAX_ACTORS = 6

_CUES: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (t, pair, re.compile(rx, re.I))
    for t, pair, rx in (
        (
            "family",
            "PP",
            r"\b(?:brothers?|sisters?|cousins?|wife|husband|father|mother|sons?|"
            r"daughters?|uncle|nephew|siblings?)\b",
        ),
        (
            "leader_of",
            "PO",
            r"\b(?:leader|leads|led|founded|formed|emir|head(?:ed|s)?|chief|"
            r"caliph|deputy|commander|ran|runs|run\sby)\b",
        ),
        (
            "member_of",
            "PO",
            r"\b(?:members?|joined|belong(?:ed|s)?|fighters?|returnee|operative|"
            r"spokesman|recruits?|part\sof|sided|pledged|alumni|bomber)\b",
        ),
        (
            "recruited_by",
            "PP",
            r"\b(?:recruit(?:ed|er|ing)?|guided|mentor(?:ed)?|preacher|"
            r"radicali[sz]ed|groomed)\b",
        ),
        (
            "communicated_with",
            "PP",
            r"\b(?:told|called|calling|phoned|in\stouch|contact|"
            r"spoke|messag(?:ed|es))\b",
        ),
        ("travelled_with", "PP", r"\b(?:car|border|travell?(?:ed|ing)|crossing|drove)\b"),
        ("shared_residence", "PP", r"\b(?:apartment|flat|lived\swith|shared|rented)\b"),
        (
            "associate",
            "PP",
            r"\b(?:friends?|comrades?|prison|gang|associates?|accomplices?|"
            r"bodyguard|involved\swith|together|senior\smembers)\b",
        ),
    )
)


def guess_type(sentence: str, labels: tuple[str, str], between: str = "") -> tuple[str, str]:
    """The tie type a sentence's words suggest for a pair of ``labels`` (PERSON/ORG).

    Between two people the word must stand between their names ("X, the
    brother of Y"); for a person and a group anywhere in the sentence.
    """
    kind = "".join(sorted("P" if lab == "PERSON" else "O" for lab in labels))
    kind = {"OP": "PO"}.get(kind, kind)
    for type_, pair, rx in _CUES:
        if pair == kind:
            m = rx.search(between if kind == "PP" else sentence)
            if m:
                return type_, f"same sentence: {m.group().lower()}"
    return "other", "same sentence"


def cooccurring_pairs(
    actors: list[tuple[int, str, str]], connected: set[frozenset[str]]
) -> Iterable[tuple[int, int]]:
    """Pairs of actor indexes (one per distinct key) that nothing connected yet.

    ``actors`` holds (candidate index, label, identity key) in sentence order.
    """
    first: dict[str, tuple[int, str]] = {}
    for i, label, key in actors:
        first.setdefault(key, (i, label))
    if not 2 <= len(first) <= MAX_ACTORS:
        return
    items = list(first.items())
    for x in range(len(items)):
        for y in range(x + 1, len(items)):
            (kx, (ix, lx)), (ky, (iy, ly)) = items[x], items[y]
            if lx == "ORG" and ly == "ORG":
                continue  # group-group relations need a stated pattern
            if frozenset((kx, ky)) in connected:
                continue
            yield ix, iy
