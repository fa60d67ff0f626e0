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
- an employer: "X worked at Y", "X works for Y" (type other); a title chain the
  parser cuts: "Y special agent in charge X"; "Y, whose deputy, X"; "X's
  government" (the possessor leads it); an apposition the parser makes a second
  subject ("The bomber, a Y member thought to ...");
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
from threadline.extract.spans import Candidate
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
            "lecturer activist volunteer recruit recruits operative "
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
        # a group's deputy is a member of it, a person's deputy works with that person
        "deputy": "deputy deputies lieutenant lieutenants",
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
            "interview interviews phoned emailed texted messaged met meet meets"
        ),
        # "X worked at Y", "X works for Y": an employer, not a membership
        "work": "work works worked working",
    }.items()
    for w in words.split()
}
#: Bodies a person's possessive names as the ones they lead ("X's government").
_LED = frozenset({"government", "administration", "regime", "cabinet"})
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
    out.extend(_in_charge(n))
    if n.dep_ == "nsubj":
        # "The bomber, an X member thought to ...": the parser makes the apposition a
        # second subject of the verb; the first subject, before a comma, is its holder
        first = [
            c
            for c in n.head.children
            if c.dep_ == "nsubj"
            and c.i < n.i
            and any(t.text == "," for t in n.doc[c.i + 1 : n.left_edge.i])
        ]
        out.extend(first[-1:])
    return out


def _in_charge(n: Any) -> Iterator[Any]:
    """ "Y special agent in charge X": the parser hangs the name on "in" with "charge" as
    its compound ("in [charge X]"), or puts it in apposition to "charge"."""
    for c in n.children:
        if c.dep_ != "prep" or c.lower_ != "in":
            continue
        for p in c.children:
            if p.dep_ != "pobj":
                continue
            if p.lower_ == "charge":
                yield from (g for g in p.children if g.dep_ == "appos")
            elif p.pos_ == "PROPN" and any(
                g.dep_ == "compound" and g.lower_ == "charge" for g in p.children
            ):
                yield p


def _objects(n: Any) -> list[Any]:
    """The tokens a relational noun relates its holder to: "of Y", "Y's", "Y spokesman"."""
    out = []
    for c in n.children:
        if c.dep_ == "poss" and c.tag_ == "WP$":
            out.extend(_relative_head(n))  # "Y, whose deputy, X, ..."
        elif c.dep_ in ("compound", "nmod", "poss") and c.i < n.i:
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


def _relative_head(n: Any) -> list[Any]:
    """The noun a relative clause hangs on, seen from a noun inside it ("Y, whose deputy
    was killed": Y)."""
    if n.dep_ == "appos":
        return [n.head]  # the parser may hang "whose deputy" on Y as an apposition
    t = n
    while t.dep_ != "relcl" and t.head.i != t.i:
        t = t.head
    return [t.head] if t.dep_ == "relcl" else []


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
    # one talks "to" or "with" someone; "wrote in Y" names where, not to whom; one works
    # "at" or "for" an employer ("worked in Florida" is a place)
    cls = _VERBS.get(v.lower_)
    preps = (
        {"to", "with"} if cls == "comm" else {"at", "for"} if cls == "work" else _OF | {"by", "on"}
    )
    out = []
    for c in v.children:
        if c.dep_ in ("dobj", "obj") and v.lower_ not in _SPEAK and cls != "work":
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
            "work": "other",
            "deputy": "member_of",
        }.get(cls, "")
    if holder == "PERSON" and other == "PERSON":
        # a friend or partner is an associate; who succeeded whom or works for whom is other
        return {
            "kin": "family",
            "assoc": "associate",
            "deputy": "associate",
            "member": "other",
            "succ": "other",
        }.get(cls, "")
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
                if t.i in nominals and t.lower_ in _LED and owner[t.i][0] == "ORG":
                    # "X's government": the nominal is the group, its possessor leads it
                    body = owner[t.i][1]
                    for c in t.children:
                        who = owner.get(c.i)
                        if c.dep_ != "poss" or c.pos_ != "PROPN" or not who or who[0] != "PERSON":
                            continue
                        if ("leader_of", who[1], body) not in found:
                            found.add(("leader_of", who[1], body))
                            add(("leader_of", who[1], body, t.text), k)
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


#: Nouns an apposition gives a business or body by ("G, the nutrition store").
_BODY_NOUNS = frozenset(
    {
        "company",
        "companies",
        "firm",
        "firms",
        "store",
        "chain",
        "retailer",
        "restaurant",
        "agency",
        "contractor",
        "business",
        "bank",
        "group",
        "network",
        "newspaper",
        "broadcaster",
        "outlet",
        "charity",
    }
)
#: Entity types of spaCy that a name can carry and still be an employer nobody typed.
_UNTYPED = frozenset({"", "ORG", "PRODUCT", "WORK_OF_ART"})


def body_names(sdoc: Any, cands: list[Candidate]) -> list[Candidate]:
    """Organisations the model did not type, read from what the sentence says of them:
    the employer of "worked at G" / "works for G", and a name in apposition with a
    business noun ("G, a multinational security company", "a newspaper, The Daily
    Lamp"). Only a capitalised name
    (proper nouns, acronyms with digits: "G4S") that no other candidate covers."""
    taken = [(c.start, c.end) for c in cands]
    out: list[Candidate] = []
    for t in sdoc:
        if t.pos_ != "PROPN" or t.ent_type_ not in _UNTYPED or not t.text[:1].isupper():
            continue
        if t.dep_ in ("compound", "flat"):
            continue  # the head of the name decides
        employer = (
            t.dep_ == "pobj"
            and t.head.lower_ in ("at", "for")
            and _VERBS.get(t.head.head.lower_) == "work"
        )
        described = any(
            c.dep_ == "appos" and c.pos_ == "NOUN" and c.lower_ in _BODY_NOUNS for c in t.children
        ) or (t.dep_ == "appos" and t.head.pos_ == "NOUN" and t.head.lower_ in _BODY_NOUNS)
        if not (employer or described):
            continue
        first = t
        while (
            first.i > 0
            and sdoc[first.i - 1].dep_ in ("compound", "flat")
            and (sdoc[first.i - 1].head.i == t.i and sdoc[first.i - 1].pos_ == "PROPN")
        ):
            first = sdoc[first.i - 1]
        before = sdoc[first.i - 1] if first.i > 0 else None
        if before is not None and before.text == "The" and before.ent_iob_ == "B":
            first = before  # "The Daily Lamp": the article belongs to the title
        start, end = first.idx, t.idx + len(t)
        if any(s < end and start < e for s, e in taken):
            continue
        taken.append((start, end))
        out.append(
            Candidate(
                start, end, sdoc.text[start:end], "ORG", "body-noun", 0.6, attrs={"propn": True}
            )
        )
    return out
