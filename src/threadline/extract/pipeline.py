"""Extraction of one document: mentions, aliases, typed ties, events and claims.

Needs: a stored :class:`~threadline.model.Document` (text and segments) and a
loaded spaCy pipeline. Produces: :class:`Mention`, :class:`Assertion` (ties,
aliases) and :class:`Claim` records, each with the :class:`Evidence` span that
states it. Pure: no storage here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from threadline.extract.cooccurrence import COOCCURRENCE_CONFIDENCE, cooccurring_pairs, guess_type
from threadline.extract.coreference import assign_keys, propagate
from threadline.extract.dependencies import VERBS, verb_relations
from threadline.extract.events import HEDGE, events_and_claims
from threadline.extract.grammar import body_names, grammar_ties
from threadline.extract.headers import header_evidence
from threadline.extract.mentions import classify, propose
from threadline.extract.patterns import ALIAS_PATTERNS, TIE_PATTERNS, Pattern
from threadline.extract.roles import mark_roles
from threadline.extract.spans import ANALYSED_SEGMENTS, Candidate, segment_kind_at
from threadline.extract.ties import decide as decide_ties
from threadline.ingest.reading import as_read, reading_view, to_stored
from threadline.model import Assertion, Claim, Document, Evidence, Mention, content_id
from threadline.model.names import parse_name, tokens

#: Bump when extraction changes so that ``extract`` redoes stored documents.
EXTRACTOR = "threadline-rules/8+tie-model"

_MARK = re.compile(r"⟦([PO])(\d+)⟧")
_ORDER_SYMMETRIC = {
    "family",
    "associate",
    "communicated_with",
    "shared_residence",
    "travelled_with",
    "other",
}


@dataclass
class Extraction:
    """Everything one document yields."""

    mentions: list[Mention] = field(default_factory=list)
    assertions: list[Assertion] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


@dataclass
class _Sentence:
    start: int
    end: int
    cands: list[int]  # indexes into the document's candidate list
    masked: str = ""
    offsets: list[int] = field(default_factory=list)  # masked index -> text index


def _mask(text: str, sent: _Sentence, cands: list[Candidate]) -> None:
    """Replace person/organisation spans of ``sent`` with ⟦P i⟧ / ⟦O i⟧ markers."""
    out: list[str] = []
    offs: list[int] = []
    pos = sent.start
    for i in sent.cands:
        c = cands[i]
        if c.label not in ("PERSON", "ORG") or c.start < pos:
            continue
        out.append(text[pos : c.start])
        offs.extend(range(pos, c.start))
        marker = f"⟦{'P' if c.label == 'PERSON' else 'O'}{i}⟧"
        out.append(marker)
        offs.extend([c.start] * len(marker))
        pos = c.end
    out.append(text[pos : sent.end])
    offs.extend(range(pos, sent.end))
    sent.masked = "".join(out)
    sent.offsets = offs


def _markers(s: str | None) -> list[int]:
    return [int(m.group(2)) for m in _MARK.finditer(s or "")]


def _sentence_spans(text: str, sdoc: Any) -> list[tuple[int, int]]:
    """The model's sentences, with its stray breaks inside a line mended.

    The small parser sometimes cuts "Karim | Saadouni, who rented ..."; a piece
    that does not end like a sentence and is followed on the same line is glued
    to what follows.
    """
    spans: list[tuple[int, int]] = []
    for s in sdoc.sents:
        if spans:
            ps, pe = spans[-1]
            piece = text[ps:pe].rstrip()
            gap = text[pe : s.start_char]
            if (
                piece
                and not re.search(r"[.!?:;\"”’)]$", piece)
                and "\n" not in text[ps : s.start_char]
                and "\n" not in gap
            ):
                spans[-1] = (ps, s.end_char)
                continue
        spans.append((s.start_char, s.end_char))
    return spans


def _sentences(
    text: str, sdoc: Any, cands: list[Candidate], segments: list[dict[str, Any]]
) -> list[_Sentence]:
    sents: list[_Sentence] = []
    for start, end in _sentence_spans(text, sdoc):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start or segment_kind_at(segments, start) not in ANALYSED_SEGMENTS:
            continue
        inside = [i for i, c in enumerate(cands) if start <= c.start and c.end <= end]
        sents.append(_Sentence(start, end, inside))
    for sent in sents:
        _mask(text, sent, cands)
    return sents


class _Builder:
    """Collects assertions for one document while patterns fire."""

    def __init__(self, doc: Document, cands: list[Candidate]) -> None:
        self.doc = doc
        self.cands = cands
        self.raw: list[tuple[str, str, int, int | None, str, int, int, float, bool]] = []
        self.completions: list[tuple[int, int]] = []
        self.inferred: set[int] = set()  # indexes into raw: ties the text does not state
        self.stated: set[int] = set()  # indexes into raw: ties the tie model reads as stated

    def evidence_span(self, sents: list[_Sentence], k: int, back: bool) -> tuple[int, int]:
        s = sents[k]
        return (sents[k - 1].start if back and k > 0 else s.start), s.end

    def add(
        self,
        kind: str,
        type_: str,
        a: int,
        b: int | None,
        detail: str,
        span: tuple[int, int],
        confidence: float,
        hedged: bool,
    ) -> None:
        if b is not None and a == b:
            return
        self.raw.append((kind, type_, a, b, detail, span[0], span[1], confidence, hedged))


def _antecedent(
    sents: list[_Sentence], k: int, before: int, cands: list[Candidate]
) -> tuple[int | None, bool]:
    """The person a possessive pronoun at text offset ``before`` most likely refers to."""
    inside = [i for i in sents[k].cands if cands[i].label == "PERSON" and cands[i].end <= before]
    if inside:
        return inside[-1], False
    if k > 0:
        prev = [i for i in sents[k - 1].cands if cands[i].label == "PERSON"]
        if prev:
            return prev[0], True
    return None, False


def _apply_tie(pat: Pattern, m: re.Match[str], sents: list[_Sentence], k: int, b: _Builder) -> None:
    if pat.detail == "context":
        _apply_context(pat, m, sents, k, b)
        return
    sent = sents[k]
    cands = b.cands
    groups = m.groupdict()
    if pat.name == "led-by":
        for o in _markers(groups.get("o")):
            if cands[o].label == "PERSON" and len(tokens(cands[o].text)) == 1:
                cands[o].label = "ORG"  # "X, led by Tariq Mansour": X is a group
    detail = (groups.get("kin") or groups.get("rel") or pat.detail or "").lower()
    hedged = bool(HEDGE.search(sent.masked))
    conf = pat.confidence * (0.6 if hedged else 1.0)
    back = False
    a_ids = _markers(groups.get("a"))
    if groups.get("h") is not None and not a_ids:
        pron_at = sent.offsets[m.start("h")] if m.start("h") < len(sent.offsets) else sent.start
        ante, back = _antecedent(sents, k, pron_at, cands)
        if ante is None:
            return
        a_ids = [ante]
    span = b.evidence_span(sents, k, back)
    listed = _markers(groups.get("list"))
    others = _markers(groups.get("b")) + _markers(groups.get("o"))
    if pat.type == "family" and pat.name == "the-brothers" and len(listed) >= 2:
        _complete_given_names([cands[i] for i in listed])
    if listed and not a_ids and not others:
        for x, y in combinations(listed, 2):
            b.add("tie", pat.type, x, y, detail, span, conf, hedged)
        return
    subjects = a_ids or listed
    if listed and a_ids and pat.type in _ORDER_SYMMETRIC:
        people = a_ids + listed
        for x, y in combinations(people, 2):
            b.add("tie", pat.type, x, y, detail, span, conf, hedged)
        return
    if pat.type == "family":
        others = [y for y in others if _as_person(cands[y])]
        if detail in SIBLINGS:
            b.completions.extend((y, x) for x in subjects for y in others)
    for x in subjects:
        for y in others or listed:
            if pat.type in ("member_of", "leader_of") and cands[y].label != "ORG":
                continue
            b.add("tie", pat.type, x, y, detail, span, conf, hedged)


#: "a man previously known as “Samir Tahri”": the name is an alias of someone unnamed.
ANONYMOUS_ALIAS = re.compile(
    r"\b(?:an?|the)\s(?:\w+\s)?(?:man|woman|person|suspect|individual)\s(?:\w+\s)?"
    r"(?:known|identified|registered|travell?ing)\s(?:as|under)\s(?:the\s\w+\s)?[“\"‘]?(?P<alias>⟦P\d+⟧)"
)

#: Alias patterns whose bearer is the subject of the sentence, not the nearest name.
SUBJECT_ALIASES = frozenset(
    {"under-the-name", "took-the-name", "called-himself", "forged-papers", "fr-sous-le-nom"}
)
#: Words that are never an alias: "He turned out to be X" gives no alias "He".
_NOT_ALIASES = frozenset(
    {"he", "she", "it", "they", "him", "her", "them", "who", "this", "that", "the", "a", "an",
     "his", "its", "their", "one", "il", "elle", "lui", "ils", "elles", "on"}
)  # fmt: skip
#: Lower-case words a name may hold: "Shiekh ul Quran", "Abu Hafs al-Tarabulsi".
_NAME_PARTICLES = frozenset(
    {"al", "el", "ul", "ud", "ad", "as", "az", "ash", "bin", "ibn", "bint", "de", "du", "da",
     "di", "van", "von", "der", "den", "la", "le", "del", "y"}
)  # fmt: skip

#: Kin words after which a bare given name takes the sibling's family name.
SIBLINGS = frozenset({"brother", "brothers", "sister", "sisters", "twin", "half-brother"})


def _as_person(c: Candidate) -> bool:
    """A kin word names a person: the model's "organisation" there is a person."""
    if c.label == "PERSON":
        return True
    if c.label == "ORG" and not c.text.isupper() and len(c.text.split()) <= 3:
        c.label = "PERSON"
        c.key = c.text
        return True
    return False


def _complete_siblings(cands: list[Candidate], completions: list[tuple[int, int]]) -> None:
    """ "Karim's brother, Nabil": Nabil's full name is Nabil Haddou.

    The sibling's family name comes from the in-document key of the person
    named; every other bare use of the given name in the document that had no
    better key follows (nearest full name, as for any partial name).
    """
    for y, x in completions:
        given, sib = cands[y], cands[x]
        if len(tokens(given.text)) != 1 or len(sib.key.split()) < 2:
            continue
        full = f"{given.text} {sib.key.split()[-1]}"
        given.key = full
        given.attrs["full_name"] = full
        for c in cands:
            if c.label == "PERSON" and c.start > given.start and c.key == given.text:
                c.key = full


#: Organisations of the state: arresting or watching someone is no network tie.
STATE_ACTOR = re.compile(
    r"\b(?:police|authorities|government|army|forces|services|ministry|troops|military|"
    r"prosecutors?|court|intelligence|officials)\b",
    re.I,
)
_LEADING_ROLES = frozenset({"caliph", "emir", "leader", "founder", "chief", "deputy"})


def _context_org(sents: list[_Sentence], k: int, before: int, cands: list[Candidate]) -> int | None:
    """The group a passage is about: the last one named before ``before`` in this
    sentence, else in one of the two sentences before (state bodies excluded)."""

    def ok(i: int) -> bool:
        return cands[i].label == "ORG" and not STATE_ACTOR.search(cands[i].text)

    here = [i for i in sents[k].cands if ok(i) and cands[i].start < before]
    if here:
        return here[-1]
    for back in (1, 2):
        if k - back >= 0:
            prev = [i for i in sents[k - back].cands if ok(i)]
            if prev:
                return prev[-1]
    return None


def _apply_context(
    pat: Pattern, m: re.Match[str], sents: list[_Sentence], k: int, b: _Builder
) -> None:
    """Roles whose group is the one the passage is about ("the caliph, X")."""
    sent, cands = sents[k], b.cands
    groups = m.groupdict()
    start = sent.offsets[m.start()] if m.start() < len(sent.offsets) else sent.start
    org = _context_org(sents, k, start, cands)
    rel = (groups.get("rel") or "").lower()
    hedged = bool(HEDGE.search(sent.masked))
    conf = pat.confidence * (0.6 if hedged else 1.0)
    span = (
        sents[k - 1].start
        if org is not None and k > 0 and not (sent.start <= cands[org].start < sent.end)
        else sent.start,
        sent.end,
    )
    if pat.name == "role-appos":
        people = _markers(groups.get("a"))
        type_ = "leader_of" if rel in _LEADING_ROLES else "member_of"
    else:
        people = [
            i
            for i in _markers(groups.get("rest"))
            if cands[i].label == "PERSON" and "alias_of" not in cands[i].attrs
        ]
        type_ = "member_of"
        if groups.get("h") is not None:
            before = [
                i for i in sent.cands if cands[i].label == "PERSON" and cands[i].start < start
            ]
            if before:
                for y in people:
                    b.add("tie", "associate", before[0], y, rel, span, conf, hedged)
    if org is None:
        return
    for x in people:
        b.add("tie", type_, x, org, rel, span, conf, hedged)


def _complete_given_names(people: list[Candidate]) -> None:
    """ "the brothers Nabil and Karim Haddou": Nabil's full name is Nabil Haddou."""
    last = people[-1]
    parts = parse_name(last.text)
    if not parts.family or not parts.given:
        return
    family = last.text.split()[-1]
    for c in people[:-1]:
        if len(tokens(c.text)) == 1:
            c.attrs["full_name"] = f"{c.text} {family}"


def _apply_alias(
    pat: Pattern, m: re.Match[str], sents: list[_Sentence], k: int, b: _Builder, text: str
) -> None:
    sent = sents[k]
    cands = b.cands
    groups = m.groupdict()
    a_ids = _markers(groups.get("a"))
    if pat.name in SUBJECT_ALIASES:
        # "X was recruited by Y ..., taking the name Z": the subject takes the name
        subject = [
            i
            for i in sent.cands
            if cands[i].label == "PERSON"
            and cands[i].start
            < (sent.offsets[m.start("alias")] if m.start("alias") < len(sent.offsets) else sent.end)
        ]
        a_ids = subject[:1]
    if not a_ids and groups.get("h") is not None and pat.name == "his-title":
        # "The post listed his full title as X": the person "his" refers to
        pron_at = sent.offsets[m.start("h")] if m.start("h") < len(sent.offsets) else sent.start
        ante, _ = _antecedent(sents, k, pron_at, cands)
        a_ids = [ante] if ante is not None else []
    elif not a_ids and groups.get("h") is not None and k > 0:
        # "Known to his followers as Abu Rayyan, he ...": the previous sentence's subject
        prev = [i for i in sents[k - 1].cands if cands[i].label == "PERSON"]
        a_ids = prev[:1]
    if not a_ids:
        return
    alias_ids = _markers(m.group("alias"))
    if not alias_ids and m.groupdict().get("alias_raw"):
        s = sent.offsets[m.start("alias_raw")]
        e = sent.offsets[m.end("alias_raw") - 1] + 1
        surface = _name_words(text[s:e]).rstrip(".,;:’”'\"")
        e = s + len(surface)
        if (
            len(tokens(surface)) == 0
            or not surface[:1].isupper()
            or surface.lower() in _NOT_ALIASES
        ):
            return
        cand = Candidate(
            s,
            e,
            surface,
            cands[a_ids[0]].label,
            "alias-pattern",
            pat.confidence,
            key=surface,
            attrs={"propn": True},
        )
        cands.append(cand)
        sent.cands.append(len(cands) - 1)
        alias_ids = [len(cands) - 1]
    for al in alias_ids:
        if cands[al].label != cands[a_ids[0]].label:
            continue
        strength = "weak" if parse_name(cands[al].text).is_kunya_only else "strong"
        cands[al].attrs["alias_of"] = a_ids[0]
        b.add(
            "alias", "alias", a_ids[0], al, strength, (sent.start, sent.end), pat.confidence, False
        )


def _name_words(raw: str) -> str:
    """The name at the start of ``raw``: it ends before the first lower-case word
    that is no name particle ("Abu Omar and then" -> "Abu Omar")."""
    out: list[str] = []
    for word in raw.split(" "):
        bare = word.strip(".,;:’”'\"“‘")
        if out and bare and not bare[:1].isupper() and bare.lower() not in _NAME_PARTICLES:
            break
        out.append(word)
    while out and out[-1].strip(".,;:’”'\"“‘").lower() in _NAME_PARTICLES:
        out.pop()
    return " ".join(out)


def _nickname_aliases(cands: list[Candidate], sents: list[_Sentence], b: _Builder) -> None:
    """'Joaquin "Chapo" Guzman': the quoted word is the person's nickname (a strong alias)."""
    for i, c in enumerate(list(cands)):
        span = c.attrs.get("nickname")
        if c.label != "PERSON" or not span:
            continue
        s, e, nick = span
        alias = Candidate(
            s, e, nick, "PERSON", "alias-pattern", 0.85, key=nick, attrs={"propn": True}
        )
        alias.attrs["alias_of"] = i
        cands.append(alias)
        j = len(cands) - 1
        sent = next((x for x in sents if x.start <= c.start < x.end), None)
        if sent is None:
            continue
        sent.cands.append(j)
        strength = "weak" if parse_name(nick).is_kunya_only else "strong"
        b.add("alias", "alias", i, j, strength, (sent.start, sent.end), 0.85, False)


def extract_document(doc: Document, nlp: Any) -> Extraction:
    """Run the whole extraction on one stored document, as its reading view reads it
    (:mod:`threadline.ingest.reading`); offsets and quotes are the stored text's."""
    view = reading_view(doc.text, doc.segments)
    if not view.changed:
        return _extract_read(doc, nlp)
    got = _extract_read(as_read(view, doc), nlp)
    return Extraction(*to_stored(view, doc, got.mentions, got.assertions, got.claims))


def _extract_read(doc: Document, nlp: Any) -> Extraction:
    text = doc.text
    sdoc = nlp(text)
    proposed = propose(text, sdoc, doc.segments)
    if doc.author:
        proposed = _with_byline(text, doc.author, proposed)
    proposed = sorted(proposed + body_names(sdoc, proposed), key=lambda c: c.start)
    cands = propagate(text, classify(text, proposed), doc.segments)
    sents = _sentences(text, sdoc, cands, doc.segments)
    builder = _Builder(doc, cands)
    _nickname_aliases(cands, sents, builder)
    for k, sent in enumerate(sents):
        for pat in ALIAS_PATTERNS:
            for m in pat.regex.finditer(sent.masked):
                _apply_alias(pat, m, sents, k, builder, text)
        for m in ANONYMOUS_ALIAS.finditer(sent.masked):
            for i in _markers(m.group("alias")):
                cands[i].attrs.setdefault("alias_of", None)  # a name someone used, bearer unknown
    for sent in sents:  # alias mentions may have been added: mask again
        sent.cands.sort(key=lambda i: cands[i].start)
        _mask(text, sent, cands)
    for k, sent in enumerate(sents):
        for pat in TIE_PATTERNS:
            for m in pat.regex.finditer(sent.masked):
                _apply_tie(pat, m, sents, k, builder)
    _dependency_ties(sdoc, cands, builder, sents)
    for i, c in enumerate(cands):
        if c.attrs.get("leader") and c.label == "ORG":
            _leader_of_named_group(i, cands, builder, sents, text)
    _possessive_groups(cands, builder, sents, text)
    assign_keys(cands)
    _complete_siblings(cands, builder.completions)
    _grammar_ties(sdoc, cands, builder, sents)
    _credit_ties(cands, builder, text)
    _cooccurrence(cands, builder, sents, text)
    decide_ties(sdoc, text, cands, sents, builder)
    mark_roles(text, cands, sdoc)
    out = Extraction()
    ids: dict[int, str] = {}
    seen_mentions: set[str] = set()
    for i, c in enumerate(cands):
        mid = content_id("m", doc.sha256, c.start, c.end, c.label)
        ids[i] = mid
        if mid in seen_mentions:
            continue  # the same span found twice (a pattern and the model)
        seen_mentions.add(mid)
        attrs = {
            k: v
            for k, v in c.attrs.items()
            if k
            in (
                "full_name",
                "spacy",
                "credit",
                "leader",
                "named_after",
                "with_article",
                "role_cue",
                "short_name",
            )
        }
        if "alias_of" in c.attrs:
            attrs["alias"] = True
        out.mentions.append(
            Mention(
                mid,
                doc.id,
                c.start,
                c.end,
                c.text,
                c.label,
                c.extractor,
                c.confidence,
                c.key,
                c.segment,
                attrs,
            )
        )
    ev_mentions, claims, participation = events_and_claims(doc, cands, sents, ids, sdoc)
    out.mentions.extend(ev_mentions)
    out.claims.extend(claims)
    out.assertions.extend(participation)
    seen: set[str] = set()
    for n, (kind, type_, a, bb, detail, s, e, conf, hedged) in enumerate(builder.raw):
        if type_ in _ORDER_SYMMETRIC and bb is not None and cands[bb].start < cands[a].start:
            a, bb = bb, a
        aid = content_id(
            "a", doc.sha256, kind, type_, ids[a], ids.get(bb) if bb is not None else "", s, e
        )
        if aid in seen:
            continue
        seen.add(aid)
        extractor = (
            "inferred"
            if n in builder.inferred
            else f"tie-model:{type_}"
            if n in builder.stated
            else "cooccurrence"
            if detail.startswith("same sentence")
            else f"pattern:{type_}"
        )
        ev = Evidence(doc.id, s, e, text[s:e], extractor, conf, hedged)
        out.assertions.append(
            Assertion(
                aid, doc.id, kind, type_, ids[a], ids[bb] if bb is not None else None, detail, ev
            )
        )
    header_mentions, header_ties = header_evidence(doc, out.mentions)  # e-mail From/To lines
    out.mentions.extend(header_mentions)
    out.assertions.extend(header_ties)
    return out


def _dependency_ties(
    sdoc: Any, cands: list[Candidate], b: _Builder, sents: list[_Sentence]
) -> None:
    """Subject-verb-object relations from the parse, between typed names."""

    def holder(char: int) -> int | None:
        for i, c in enumerate(cands):
            if c.start <= char < c.end and c.label in ("PERSON", "ORG"):
                return i
        return None

    for lemma, subj, obj, subject_first, s_start, s_end in verb_relations(sdoc):
        x, y = holder(subj), holder(obj)
        if x is None or y is None or x == y:
            continue
        type_, object_label, _ = VERBS[lemma]
        if cands[y].label != object_label or cands[x].label != "PERSON":
            continue
        sent = next(
            (s for s in sents if s.start <= s_start < s.end or s_start <= s.start < s_end), None
        )
        if sent is None:
            continue
        source, target = (x, y) if subject_first else (y, x)
        _add_stated_tie(b, type_, source, target, lemma, sent, 0.75)


def _add_stated_tie(
    b: _Builder, type_: str, source: int, target: int, word: str, sent: _Sentence, weight: float
) -> None:
    """A tie the sentence ``sent`` states, through ``word``; a hedged sentence ("is believed
    to") keeps it, flagged and at 0.6 of ``weight``."""
    hedged = bool(HEDGE.search(sent.masked))
    b.add(
        "tie",
        type_,
        source,
        target,
        word,
        (sent.start, sent.end),
        weight * (0.6 if hedged else 1.0),
        hedged,
    )


def _grammar_ties(sdoc: Any, cands: list[Candidate], b: _Builder, sents: list[_Sentence]) -> None:
    """Relational nouns and verbs linking two actors in the parse (:mod:`.grammar`)."""

    def add(tie: tuple[str, int, int, str], k: int) -> None:
        type_, source, target, word = tie
        _add_stated_tie(b, type_, source, target, word, sents[k], 0.8)

    grammar_ties(sdoc, cands, sents, add)


def _possessive_groups(
    cands: list[Candidate], b: _Builder, sents: list[_Sentence], text: str
) -> None:
    """ "Al-Absi's group", "Saddam's regime": the named person leads the group."""
    for i, g in enumerate(list(cands)):
        if g.extractor != "group-pattern" or g.label != "ORG":
            continue
        m = re.match(r"(?P<name>.+?)(?:’s|'s)\s\w+$", g.text)
        if not m or m.group("name").split("-")[-1].isupper():
            continue
        name = m.group("name")
        person = Candidate(
            g.start,
            g.start + len(name),
            name,
            "PERSON",
            "group-pattern",
            0.7,
            segment=g.segment,
            attrs={"propn": True, "nested": True},
        )
        cands.append(person)
        j = len(cands) - 1
        sent = next((x for x in sents if x.start <= g.start < x.end), None)
        if sent is not None:
            b.add(
                "tie",
                "leader_of",
                j,
                i,
                "leader",
                (sent.start, sent.end),
                0.75,
                bool(HEDGE.search(sent.masked)),
            )


def _credit_ties(cands: list[Candidate], b: _Builder, text: str) -> None:
    """ "REUTERS/Anna Weber": the photographer works for the agency."""
    people = [
        i for i, c in enumerate(cands) if c.extractor == "credit-line" and c.label == "PERSON"
    ]
    agencies = [i for i, c in enumerate(cands) if c.extractor == "credit-line" and c.label == "ORG"]
    for p in people:
        for a in agencies:
            lo, hi = sorted((cands[p], cands[a]), key=lambda c: c.start)
            if 0 <= hi.start - lo.end <= 3:
                b.add("tie", "other", p, a, "photo credit", (lo.start, hi.end), 0.8, False)


def _cooccurrence(cands: list[Candidate], b: _Builder, sents: list[_Sentence], text: str) -> None:
    """Weak ties between actors of one sentence that no pattern connected."""
    connected = {
        frozenset((cands[a].key, cands[bb].key)) for _, _, a, bb, *_ in b.raw if bb is not None
    }
    for sent in sents:
        actors = [
            (i, cands[i].label, cands[i].key)
            for i in sorted(sent.cands, key=lambda i: cands[i].start)
            if cands[i].label in ("PERSON", "ORG")
            and not cands[i].attrs.get("alias_of")
            and not (cands[i].label == "ORG" and STATE_ACTOR.search(cands[i].text))
        ]
        s_text = text[sent.start : sent.end]
        hedged = bool(HEDGE.search(s_text))
        for x, y in cooccurring_pairs(actors, connected):
            lo, hi = sorted((cands[x], cands[y]), key=lambda c: c.start)
            between = text[lo.end : hi.start]
            type_, detail = guess_type(s_text, (cands[x].label, cands[y].label), between)
            if (
                type_ == "recruited_by"
                and cands[x].start < cands[y].start
                and re.search(
                    r"\b(?:recruited|guided|mentored|radicali[sz]ed|groomed)\b(?!\s+by)", between
                )
            ):
                x, y = y, x  # "X recruited Y": Y was recruited by X
            if type_ in ("member_of", "leader_of") and cands[x].label == "ORG":
                x, y = y, x
            conf = COOCCURRENCE_CONFIDENCE * (0.6 if hedged else 1.0)
            b.add("tie", type_, x, y, detail, (sent.start, sent.end), conf, hedged)


def _with_byline(text: str, author: str, cands: list[Candidate]) -> list[Candidate]:
    """The document's stated author is a person wherever the name is written."""
    out = list(cands)
    for m in re.finditer(rf"(?<![\w-]){re.escape(author)}(?![\w-])", text):
        out = [c for c in out if not (c.start < m.end() and m.start() < c.end)]
        out.append(
            Candidate(
                m.start(),
                m.end(),
                author,
                "PERSON",
                "byline",
                0.9,
                segment="body",
                attrs={"propn": True},
            )
        )
    return sorted(out, key=lambda c: c.start)


def _leader_of_named_group(
    i: int, cands: list[Candidate], b: _Builder, sents: list[_Sentence], text: str
) -> None:
    """ "a network led by Khalid Zerkani": Zerkani leads it and names it.

    When the description stands in apposition to a named group ("The Zwartkaai
    crew, a drug-dealing gang led by ...") the description is that group.
    """
    group = cands[i]
    for sent in sents:
        if not (sent.start <= group.start < sent.end):
            continue
        named = [
            j
            for j in sent.cands
            if cands[j].label == "ORG"
            and j != i
            and re.fullmatch(r",\s*", text[cands[j].end : group.start] or "x")
        ]
        leader = [
            j
            for j in sent.cands
            if cands[j].label == "PERSON" and cands[j].start == group.attrs.get("leader_start")
        ]
        if named:
            group.attrs["key"] = cands[named[0]].attrs.get("key") or cands[named[0]].text
        elif leader:
            family = cands[leader[0]].text.split()[-1]
            group.attrs["key"] = f"{family} {group.attrs.get('head', 'network')}"
        for j in leader:
            b.add(
                "tie",
                "leader_of",
                j,
                i,
                "leader",
                (sent.start, sent.end),
                0.85,
                bool(HEDGE.search(sent.masked)),
            )
        return
