"""Ties the grammar states: a relational noun or verb linking two actors in the parse.

News names people by what they are to a group or to another person, and says so
in a handful of constructions. Each is read from the dependency parse, never
from words merely standing near each other:

- apposition: "X, a spokesman for Y", "X, the director general of Y",
  "The head of Y, Gen. X", "X, himself a Y supporter";
- a title before the name: "Y spokesman X" (the title and the group are
  compounds of the name);
- copula and role verbs: "X was a former partner of Y", "X served as leader
  of Y", "X sits at the head of Y";
- a relation verb with its subject (also through a relative clause or a
  controlled clause): "X, who heads Y", "X joined Y", "X called to pledge
  allegiance to Y", "X told Y", "X wrote to Y";
- a person "of" a group: "X of the Y group";
- either end may be a pronoun, read as the person it refers to, or a definite
  nominal ("the bomber", "the cartel"), read as the actor the story names by it
  (:func:`threadline.extract.ties.sentence_ends`).

The noun or verb gives the type ("head" leads, "spokesman" is a member, "brother"
is family, "expert" is other) and the ``detail`` (the word as written); a person
is the member or leader of a group, so the direction comes from the grammar and
the entity types. A negated verb or noun states nothing. Every tie proposed here
goes through the tie model (:mod:`threadline.extract.ties`) like the other rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from threadline.extract.coreference import nominal_antecedents
from threadline.extract.ties import sentence_ends

#: Relational nouns -> the class of relation they state.
_NOUNS: dict[str, str] = {
    w: cls
    for cls, words in {
        "lead": (
            "leader leaders head chief director founder co-founder cofounder commander "
            "owner president chairman chairwoman chair emir caliph boss ringleader mastermind "
            "imam general"
        ),
        "member": (
            "member members spokesman spokeswoman spokesperson official officials agent officer "
            "employee representative fellow researcher staffer worker guard soldier fighter "
            "militant operative bomber minister secretary adviser advisor envoy ambassador "
            "correspondent reporter editor producer lawyer attorney prosecutor professor "
            "lecturer activist volunteer recruit recruits deputy lieutenant operative "
            "executive manager treasurer financier preacher cleric"
        ),
        "expert": "expert analyst scholar specialist commentator observer",
        "kin": (
            "brother brothers sister sisters cousin cousins wife husband father mother son sons "
            "daughter daughters uncle aunt nephew niece brother-in-law sister-in-law "
            "half-brother stepbrother stepfather stepson relative relatives widow grandson "
            "grandfather fiancee fiancé fiancée"
        ),
        "assoc": (
            "friend friends partner partners associate associates accomplice accomplices aide "
            "aides ally allies comrade companion bodyguard supporter supporters follower "
            "followers rival protege protégé disciple mentor confidant"
        ),
        "succ": "successor predecessor",
        "part": "branch wing affiliate offshoot arm faction unit cell",
    }.items()
    for w in words.split()
}
#: Relation verbs (as written, lower case) -> class; the subject is the holder.
_VERBS: dict[str, str] = {
    w: cls
    for cls, words in {
        "lead": (
            "lead leads led leading head heads headed heading found founds founded "
            "co-founded cofounded command commands commanded run runs ran own owns owned "
            "chair chairs chaired"
        ),
        "member": "join joins joined joining belong belongs belonged",
        "allegiance": "pledge pledged pledges pledging swore swear sworn",
        "assoc": "linked allied affiliated tied",
        "comm": (
            "told tell tells telling wrote write writes spoke speak speaks interviewed "
            "interview interviews phoned emailed texted messaged"
        ),
    }.items()
    for w in words.split()
}
#: Prepositions that attach a relational noun to what it relates to.
_OF = frozenset({"of", "for", "at", "in", "with", "to", "within", "from"})
#: Verbs that say the subject *is* what the noun says ("was a member of", "served as head").
_BE = frozenset(
    {
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "being",
        "'s",
        "’s",
        "remains",
        "remained",
        "became",
        "become",
        "becomes",
        "serves",
        "served",
        "serving",
        "works",
        "worked",
        "working",
        "sits",
        "sat",
        "acts",
        "acted",
    }
)

Tie = tuple[str, int, int, str]  # type, source candidate, target candidate, detail word


def _role_class(t: Any) -> str:
    """The class of a relational noun token (its own word or a compound in it:
    "director general", "security chief")."""
    if t.pos_ not in ("NOUN", "PROPN"):
        return ""
    if not t.text[:1].islower() and not (
        t.dep_ in ("compound", "nmod") and t.head.pos_ == "PROPN" and t.head.i > t.i
    ):
        return ""  # a capitalised word is a title only right before a name ("Chief X")
    cls = _NOUNS.get(t.lower_, "")
    if not cls:
        for c in t.children:
            if c.dep_ == "compound" and c.text[:1].islower() and c.lower_ in _NOUNS:
                return _NOUNS[c.lower_]
    return cls


def _negated(t: Any) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("no", "not", "never") for c in t.children)


def _subjects(v: Any) -> list[Any]:
    """Who a verb is said of: its nominal subject, the noun a relative clause hangs
    on ("X, who heads"), the subject of the verb controlling it ("X called to pledge")."""
    out = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
    if v.dep_ == "relcl" and (not out or out[0].tag_ in ("WP", "WDT")):
        out = [v.head]
    elif v.dep_ == "acl" and not out:
        out = [v.head]  # "Y, a news agency linked to Z": the agency is Y
    elif not out and v.dep_ in ("xcomp", "advcl", "conj") and v.head.pos_ in ("VERB", "AUX"):
        out = _subjects(v.head)
    return [t for t in out if t.tag_ not in ("WP", "WDT")]


def _holders(n: Any) -> list[Any]:
    """The tokens a relational noun describes."""
    out = []
    if n.dep_ == "appos" or (n.dep_ in ("compound", "nmod", "amod") and n.head.pos_ == "PROPN"):
        out.append(n.head)  # "X, a spokesman"; "spokesman X"
    out.extend(c for c in n.children if c.dep_ == "appos")  # "the head of Y, X"
    if n.dep_ in ("attr", "oprd"):
        out.extend(_subjects(n.head))  # "X was a member of"
    if n.dep_ == "pobj" and n.head.dep_ == "prep" and n.head.lower_ in ("as", "at"):
        v = n.head.head
        if v.lower_ in _BE or v.dep_ == "relcl":
            out.extend(_subjects(v))  # "X served as head of", "X sits at the head of"
    if n.dep_ == "appos" and n.head.dep_ in ("attr",):
        out.extend(_subjects(n.head.head))
    return out


def _objects(n: Any) -> list[Any]:
    """The tokens a relational noun relates its holder to: "of Y", "Y's", "Y spokesman"."""
    out = []
    for c in n.children:
        if c.dep_ in ("compound", "nmod", "poss") and c.i < n.i:
            out.append(c)  # "the Y spokesman", "Y's deputy"
            out.extend(g for g in c.children if g.dep_ in ("compound", "poss"))
        elif c.dep_ == "prep" and c.lower_ in _OF:
            for p in c.children:
                if p.dep_ == "pobj":
                    out.append(p)
                    # "an expert at the Y think-tank", "the head of the Y group"
                    out.extend(g for g in p.children if g.dep_ in ("compound", "nmod", "poss"))
                    out.extend(_named_as(p))
    for c in n.children:
        if c.dep_ == "compound" and c.lower_ in _NOUNS:
            out.extend(g for g in c.children if g.dep_ in ("compound", "nmod", "poss"))
    return out


def _named_as(t: Any) -> Iterator[Any]:
    """ "a network known as Y", "a group called Y", "the group, Y": the name of a nominal."""
    for c in t.children:
        if c.dep_ == "appos":
            yield c
        if c.dep_ == "acl" and c.lower_ in ("known", "called", "named", "dubbed"):
            for p in c.children:
                if p.dep_ == "oprd":
                    yield p
                if p.dep_ == "prep" and p.lower_ == "as":
                    yield from (g for g in p.children if g.dep_ == "pobj")


#: Verbs whose direct object is no interlocutor ("speaks Dari"): only "to" / "with" count.
_SPEAK = frozenset({"spoke", "speak", "speaks", "write", "writes", "wrote"})


def _verb_objects(v: Any) -> list[Any]:
    # one talks "to" or "with" someone; "wrote in Y" names where, not to whom
    preps = {"to", "with"} if _VERBS.get(v.lower_) == "comm" else _OF | {"by", "on"}
    out = []
    for c in v.children:
        if c.dep_ in ("dobj", "obj") and v.lower_ not in _SPEAK:
            out.append(c)
            out.extend(_named_as(c))
        elif c.dep_ == "prep" and c.lower_ in preps:
            for p in c.children:
                if p.dep_ == "pobj":
                    out.append(p)
                    out.extend(_named_as(p))
    # "pledge allegiance to Y": the preposition hangs on the noun
    for c in v.children:
        if c.dep_ in ("dobj", "npadvmod") and c.lower_ == "allegiance":
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ == "to":
                    out.extend(g for g in p.children if g.dep_ == "pobj")
    return out


def _type(cls: str, holder: str, other: str) -> str:
    """The tie type a relation class states between a holder and the other end."""
    if cls == "comm":
        return "communicated_with" if "PERSON" in (holder, other) else ""
    if holder == "PERSON" and other == "ORG":
        return {
            "lead": "leader_of",
            "member": "member_of",
            "expert": "other",
            "assoc": "other",
            "allegiance": "other",
        }.get(cls, "")
    if holder == "PERSON" and other == "PERSON":
        # a friend or partner is an associate; who succeeded whom or works for whom is other
        return {"kin": "family", "assoc": "associate", "member": "other", "succ": "other"}.get(
            cls, ""
        )
    if holder == "ORG" and other == "ORG":
        # a branch is part of the group; alliances and links between groups are other
        return {"part": "member_of", "assoc": "other", "allegiance": "other"}.get(cls, "")
    return ""


def _detail(t: Any) -> str:
    """The relational word as written, with the words compounded into it ("director general")."""
    pre = [c.text for c in t.children if c.dep_ == "compound" and c.i < t.i and c.text.islower()]
    return " ".join([*pre, t.text])


def _actors(tokens: list[Any], owner: dict[int, tuple[str, int]]) -> list[tuple[str, int]]:
    """The actors (label, candidate) the tokens belong to."""
    out = []
    for t in tokens:
        if t.i not in owner and t.dep_ == "appos":
            t = t.head  # "X, the group that was linked to Y": the group is X
        if t.i in owner:
            out.append(owner[t.i])
    return out


def grammar_ties(
    sdoc: Any, cands: list[Any], sents: list[Any], add: Callable[[Tie, int], None]
) -> None:
    """Call ``add((type, source, target, detail), sentence index)`` for every tie the
    grammar of a sentence states between two of its actors."""
    nominals = nominal_antecedents(sdoc, cands)
    for k, sent in enumerate(sents):
        ends = sentence_ends(sdoc, cands, sents, k, nominals)
        if len(ends) < 2:
            continue
        span = sdoc.char_span(sent.start, sent.end, alignment_mode="expand")
        if span is None:
            continue
        # token index -> the actor it belongs to (its label and candidate)
        owner: dict[int, tuple[str, int]] = {}
        for s, e, label, _x, ci in ends:
            part = sdoc.char_span(s, e, alignment_mode="expand")
            for t in part or []:
                owner.setdefault(t.i, (label, ci))

        found: set[tuple[str, int, int]] = set()
        for t in span:
            if t.i in owner:
                continue
            noun_cls = _role_class(t)
            verb_cls = _VERBS.get(t.lower_, "") if t.pos_ in ("VERB", "ADJ") else ""
            if noun_cls and not _negated(t):
                pairs = [
                    (h, o) for h in _actors(_holders(t), owner) for o in _actors(_objects(t), owner)
                ]
            elif verb_cls and not _negated(t):
                noun_cls = verb_cls
                pairs = [
                    (h, o)
                    for h in _actors(_subjects(t), owner)
                    for o in _actors(_verb_objects(t), owner)
                ]
            elif t.dep_ == "prep" and t.lower_ == "of" and t.head.i in owner:
                # "X of the Y group": a person of an organisation belongs to it
                noun_cls = "member"
                pobj = [c for c in t.children if c.dep_ == "pobj"]
                objs = pobj + [g for p in pobj for g in _named_as(p)]
                pairs = [(owner[t.head.i], o) for o in _actors(objs, owner)]
                pairs = [(h, o) for h, o in pairs if h[0] == "PERSON" and o[0] == "ORG"]
            else:
                continue
            for (hl, h), (ol, o) in pairs:
                if h == o or cands[h].key == cands[o].key:
                    continue
                type_ = _type(noun_cls, hl, ol)
                if not type_ or (type_, h, o) in found:
                    continue
                found.add((type_, h, o))
                add((type_, h, o, _detail(t)), k)
