"""Ties read from the dependency parse: who did what to whom.

Surface patterns need the names close together; the parse finds the subject
and object of a relation verb wherever they sit in the clause ("Mourad, whom
police had watched for months, recruited Samir in 2014"). spaCy's
``DependencyMatcher`` finds a relation verb with a nominal subject and a direct
or prepositional object; both ends must be names the extractor already typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

#: Relation verbs (lemmas) -> (tie type, object label, subject is the source).
#: "X recruited Y" is Y recruited_by X, so the object is the source there.
VERBS: dict[str, tuple[str, str, bool]] = {
    "recruit": ("recruited_by", "PERSON", False),
    "mentor": ("recruited_by", "PERSON", False),
    "radicalise": ("recruited_by", "PERSON", False),
    "radicalize": ("recruited_by", "PERSON", False),
    "groom": ("recruited_by", "PERSON", False),
    "join": ("member_of", "ORG", True),
    "lead": ("leader_of", "ORG", True),
    "head": ("leader_of", "ORG", True),
    "found": ("leader_of", "ORG", True),
    "command": ("leader_of", "ORG", True),
    "run": ("leader_of", "ORG", True),
    "call": ("communicated_with", "PERSON", True),
    "phone": ("communicated_with", "PERSON", True),
    "email": ("communicated_with", "PERSON", True),
    "text": ("communicated_with", "PERSON", True),
    "contact": ("communicated_with", "PERSON", True),
    "marry": ("family", "PERSON", True),
    "befriend": ("associate", "PERSON", True),
    "meet": ("associate", "PERSON", True),
    "accompany": ("travelled_with", "PERSON", True),
    "drive": ("travelled_with", "PERSON", True),
    "host": ("shared_residence", "PERSON", True),
    "shelter": ("shared_residence", "PERSON", True),
    "finance": ("other", "ORG", True),
    "fund": ("other", "ORG", True),
}

_IRREGULAR = {
    "led": "lead",
    "ran": "run",
    "met": "meet",
    "drove": "drive",
    "driven": "drive",
    "married": "marry",
    "befriended": "befriend",
    "accompanied": "accompany",
    "financed": "finance",
    "radicalised": "radicalise",
    "radicalized": "radicalize",
}


def _forms() -> dict[str, str]:
    """Inflected forms of the relation verbs (the pipeline runs without a lemmatizer)."""
    out = dict(_IRREGULAR)
    for v in VERBS:
        stem = v[:-1] if v.endswith("e") else v
        for form in (v, v + "s", stem + "ed", v + "d", stem + "ing", v + "es"):
            out.setdefault(form, v)
    return out


FORMS = _forms()

_PATTERNS = [
    [
        {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LOWER": {"IN": sorted(FORMS)}, "POS": "VERB"}},
        {
            "LEFT_ID": "verb",
            "REL_OP": ">",
            "RIGHT_ID": "subject",
            "RIGHT_ATTRS": {"DEP": {"IN": ["nsubj"]}},
        },
        {
            "LEFT_ID": "verb",
            "REL_OP": ">",
            "RIGHT_ID": "object",
            "RIGHT_ATTRS": {"DEP": {"IN": ["dobj", "obj"]}},
        },
    ],
]


@lru_cache(maxsize=4)
def _matcher(vocab_id: int, vocab: Any) -> Any:
    from spacy.matcher import DependencyMatcher

    matcher = DependencyMatcher(vocab)
    matcher.add("RELATION", _PATTERNS)
    return matcher


def verb_relations(sdoc: Any) -> Iterator[tuple[str, int, int, bool, int, int]]:
    """(verb lemma, subject char, object char, subject-is-source, clause start, clause end)
    for every relation verb with a subject and an object in ``sdoc``."""
    if not sdoc.has_annotation("DEP"):
        return
    matcher = _matcher(id(sdoc.vocab), sdoc.vocab)
    for _, (verb_i, subj_i, obj_i) in matcher(sdoc):
        verb = sdoc[verb_i]
        if any(child.dep_ == "neg" for child in verb.children):
            continue  # "did not recruit" states no tie
        lemma = FORMS.get(verb.lower_, "")
        if lemma not in VERBS:
            continue
        _, _, subject_first = VERBS[lemma]
        sent = verb.sent
        yield (
            lemma,
            sdoc[subj_i].idx,
            sdoc[obj_i].idx,
            subject_first,
            sent.start_char,
            sent.end_char,
        )
