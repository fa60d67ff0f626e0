"""Events of one document, the quantities and dates stated about them, and who took part.

Needs: the document, its typed candidates and its sentences. Produces: EVENT
mentions, claims (deaths, injured, territory lost, dates) and
``participated_in`` assertions. An event is named by a place and an event word
("the Brussels bombings", "attacks in Paris"); a sentence that states a death
toll at a place with no event word ("killing 130 people in Paris") names that
place's attack too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from threadline.extract.claims import EVENT_WORDS, find_claims, find_events
from threadline.extract.spans import ANALYSED_SEGMENTS, Candidate, segment_kind_at
from threadline.model import Assertion, Claim, Document, Evidence, Mention, content_id
from threadline.model.lexicon import is_known_place

HEDGE = re.compile(
    r"\b(?:may|might|could|likely|possibly|probably|suspected|alleged(?:ly)?|reportedly|"
    r"apparently|seems?\sto|seemed\sto|believed\sto|thought\sto|presumably|supposed(?:ly)?|"
    r"accused\sof|perhaps)\b",
    re.I,
)
MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
_DATE = re.compile(
    r"\b(?:(?P<m1>January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:,?\s(?P<y1>\d{4}))?"
    r"|(?P<d2>\d{1,2})\s(?P<m2>January|February|March|April|May|June|July|August|September|"
    r"October|November|December)(?:\s(?P<y2>\d{4}))?)\b"
)
_PARTICIPATION = re.compile(
    r"\b(?:carried\sout|took\spart|taking\spart|launch(?:ed)?|planned|planning|ordered|"
    r"claimed\sresponsibility|bomber|bombers|attacker|attackers|gunman|gunmen|mastermind|"
    r"operations\smanager|helping\slead|helped\slead|led\sthe|perpetrators?|conspirator|"
    r"blew\s(?:himself|herself|themselves)\sup|detonated|struck|killed\sthemselves)\b",
    re.I,
)


_WEEKDAY = re.compile(
    r"\b(?:on\s|last\s)?(?P<day>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:’s|'s)?\b"
)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _weekday_dates(sentence: str, published: str | None) -> list[tuple[str, int, int]]:
    """ "on Tuesday" in a report published on Wednesday 23 March 2016 -> 2016-03-22: the
    last such weekday on or before publication (unknown publication, no date)."""
    import datetime as dt

    if not published or not re.match(r"\d{4}-\d{2}-\d{2}$", published[:10]):
        return []
    pub = dt.date.fromisoformat(published[:10])
    out = []
    for m in _WEEKDAY.finditer(sentence):
        if not (m.group().startswith(("on ", "On ")) or m.group().endswith(("’s", "'s"))):
            continue  # "continued to climb Wednesday": the day of the report, not the event
        want = _WEEKDAYS.index(m.group("day").lower())
        back = (pub.weekday() - want) % 7
        out.append(((pub - dt.timedelta(days=back)).isoformat(), m.start(), m.end()))
    return out


def _iso_dates(sentence: str, published: str | None) -> list[tuple[str, int, int]]:
    """Full dates in a sentence; a date without a year takes the publication's year
    (the year before when that would put it after publication); weekdays count back
    from the publication date."""
    out = _weekday_dates(sentence, published)
    for m in _DATE.finditer(sentence):
        month = MONTHS[(m.group("m1") or m.group("m2")).lower()]
        day = int(m.group("d1") or m.group("d2"))
        year_s = m.group("y1") or m.group("y2")
        if year_s:
            year = int(year_s)
        elif published and re.match(r"\d{4}-\d{2}-\d{2}", published):
            year = int(published[:4])
            if f"{year:04d}-{month:02d}-{day:02d}" > published[:10]:
                year -= 1
        else:
            continue
        if 1 <= day <= 31:
            out.append((f"{year:04d}-{month:02d}-{day:02d}", m.start(), m.end()))
    return out


_ATTRIBUTION = re.compile(
    r"(?P<src>⟦[PO]\d+⟧|\b(?:[A-Z][a-z]+\s)?(?:police|prosecutors?|officials|investigators|"
    r"authorities))\s"
    r"(?:have\s|has\s)?(?:said|says|reported|reporting|report|told|announced|confirmed|"
    r"estimated|stated)\b"
    r"|\baccording\sto\s(?:the\s)?(?P<src2>⟦[PO]\d+⟧|[a-z]+(?:\s[a-z]+)?)",
)
_MARKER = re.compile(r"⟦[PO](\d+)⟧")


def _attribution(s_text: str, sent: Any, cands: list[Candidate]) -> str:
    """Who the sentence says stated it: "Belgium police reporting ...", "according to X"."""
    m = _ATTRIBUTION.search(sent.masked)
    if not m:
        return ""
    src = m.group("src") or m.group("src2") or ""
    marker = _MARKER.fullmatch(src)
    if marker:
        c = cands[int(marker.group(1))]
        # "Belgium police": the model often tags the country alone
        after = sent.masked[m.end("src") if m.group("src") else m.end("src2") :][:12]
        word = re.match(r"\s(police|authorities|officials|prosecutors?)\b", after)
        return f"{c.text} {word.group(1)}" if word else c.text
    return src


def _group_subject(
    sents: list[Any], k: int, cands: list[Candidate], cand_ids: dict[int, str]
) -> list[str]:
    """The group a sentence is about: one it names, else the last one named before."""
    orgs = [cand_ids[i] for i in sents[k].cands if cands[i].label == "ORG"]
    for back in (1, 2, 3):  # "the militant group has lost ...": the group named before
        if orgs or k - back < 0:
            break
        orgs = [cand_ids[i] for i in sents[k - back].cands if cands[i].label == "ORG"][-1:]
    return orgs[:1]


def _nearest_event(pos: int, inside: list[tuple[int, str]]) -> str | None:
    """The event named closest before ``pos`` in the sentence, else the first after it."""
    before = [mid for s, mid in sorted(inside) if s <= pos]
    if before:
        return before[-1]
    return sorted(inside)[0][1] if inside else None


#: A citation: its dates are when a source was published or read, never an event's.
_CITATION = re.compile(
    r"\b(?:accessed|retrieved|archived|last\s+visited|consulted|viewed)\s+(?:on\s+)?\d"
    r"|^\s*(?:\[\d{1,3}\]|\d{1,3}\.\s|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)|\b(?:ibid|op\.\s?cit)\b|\bpp?\.\s?\d",
    re.I,
)
#: A place a toll is at: "in Dhaka", "at Istanbul's airport", "near the Jakarta".
_AT_PLACE = re.compile(r"\b(?:in|at|near|outside|inside|across|on|of)\s(?:the\s)?$")
#: How far (characters) from a toll a place in its sentence may be to name the toll's event.
_PLACE_REACH = 60
#: Words for an event other than an attack: a toll next to them is that event's
#: ("five militants were killed in the raid"), never the story's attack's.
_OTHER_EVENT = re.compile(
    r"\b(?:raids?|(?:air\s?|drone\s)?strikes?|operations?|clash(?:es)?|shootouts?|gunfights?|"
    r"firefights?|ambush(?:es)?|crackdown|executions?|riots?|crash(?:es)?|earthquake|flood)\b",
    re.I,
)
_UNNAMED_EVENT = re.compile(
    r"\b(?:a|an|another|similar|earlier|previous|last)\s(?:[\w-]+\s){0,3}?(?:"
    + "|".join(
        sorted({*EVENT_WORDS, "raid", "raids", "strike", "operation"}, key=len, reverse=True)
    )
    + r")\b",
    re.I,
)


_ANY_EVENT = re.compile(
    r"(?P<before>\S+\s)?(?P<word>\b(?:"
    + "|".join(sorted(EVENT_WORDS, key=len, reverse=True))
    + r"|explosion|explosions|rampage|standoff|violence)\b)",
    re.I,
)
_NAMED_PLACE = re.compile(
    r"\b(?:town|city|village|capital|province|region|district|state)\s(?:of\s)?[A-Z]"
)
_ANAPHORIC = re.compile(
    r"(?i:the|this|that|these|those|its|their|his|(?:mon|tues|wednes|thurs|fri|satur|sun)day(?:’s|'s))\s$"
)


def _refers_to_the_story(s_text: str, at: int) -> bool:
    """A toll with no event or place of its own is the story's event's when nothing near it
    names another event ("killed in the raid") and every event word in the sentence is
    anaphoric ("wounded in the attacks", not "the 2002 Bali bombings that killed 202")."""
    near = s_text[max(0, at - 80) : at + 80]
    if _OTHER_EVENT.search(near) or _NAMED_PLACE.search(near):
        return False  # "in the town of Sousse, where it killed 39": somewhere else
    return all(_ANAPHORIC.search(m.group("before") or "") for m in _ANY_EVENT.finditer(s_text))


#: "following a suicide attack ... which killed 64": an earlier event the story recalls.
_RECALLED = re.compile(
    r"\b(?:following|after|since|before|like|(?:similar|comparable)\sto|recalled|recalling)\s"
    r"(?:a|an|another)\s(?:[\w-]+\s){0,3}$",
    re.I,
)


def _earlier_event(text: str, event: str, mentions: list[Mention]) -> bool:
    """The event mention is one the story recalls in passing ("following a ... attack")."""
    m = next((m for m in mentions if m.id == event), None)
    return m is not None and bool(_RECALLED.search(text[max(0, m.start - 60) : m.start]))


def _main_event(mentions: list[Mention]) -> str | None:
    """The event a document names most (the earliest named of equals): the story's event."""
    counts: dict[str, int] = {}
    first: dict[str, Mention] = {}
    for m in mentions:
        counts[m.key] = counts.get(m.key, 0) + 1
        first.setdefault(m.key, m)
    if not counts:
        return None
    key = max(counts, key=lambda k_: (counts[k_], -first[k_].start))
    return first[key].id


def _context_event(sents: list[Any], k: int, spans: list[tuple[int, str, str]]) -> str | None:
    """The last event named in the two sentences before sentence ``k``."""
    lo = sents[max(0, k - 2)].start
    named = [(s, mid) for s, mid, _ in spans if lo <= s < sents[k].start]
    return max(named)[1] if named else None


def _other_event_between(text: str, pos: int, inside: list[tuple[int, str]], event: str) -> bool:
    """An unnamed event ("a January suicide bombing") stands between ``event`` and ``pos``."""
    starts = [s for s, mid in inside if mid == event and s <= pos]
    if not starts:
        return False
    between = text[max(starts) : pos]
    return any(m.start() > 0 for m in _UNNAMED_EVENT.finditer(between))


def _event_at(
    place: tuple[int, int],
    cands: list[Candidate],
    sent: Any,
    spans: list[tuple[int, str, str]],
    add_event: Callable[[int, int, str, str, str], str],
) -> str | None:
    """The attack at the place a number is tied to ("100 people in Ankara")."""
    cand = next((c for c in cands if c.start == place[0] and c.label == "PLACE"), None)
    if cand is None:
        return None
    known = [mid for _, mid, p in spans if p == cand.text.lower()]
    if known:
        return known[0]
    return add_event(
        cand.start,
        cand.end,
        f"{cand.text.lower()} attacks",
        f"{cand.text} attacks",
        "event-from-claim",
    )


_BEGAN = re.compile(
    r"\b(?:began|begun|started|starting|launched|tested|first)\b.*?\b(?:attacks?|strategy|"
    r"campaign|operations|plots?)\b|\b(?:attacks?|strategy|campaign|operations)\b.*?\b(?:began|"
    r"begun|started|starting|launched|first)\b",
    re.I,
)
_MONTH_YEAR = re.compile(
    r"\b(?:(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s)?(?P<year>(?:19|20)\d{2})\b"
)


_ROLE_WORDS = (
    r"mastermind|ringleader|leader|bomb[- ]?maker|organi[sz]er|coordinator|operations\smanager|"
    r"logistician|financier|recruiter|getaway\sdriver|driver|suicide\sbomber|bomber|gunman|"
    r"planner|commander|conspirator"
)
_ROLE_AFTER = re.compile(
    rf"(?P<p>⟦P\d+⟧),\s(?:who\swas\s|was\s)?(?:the\s|a\s|an\s)?(?:[\w-]+\s){{0,4}}?"
    rf"(?P<role>{_ROLE_WORDS})\b"
)
_ROLE_BEFORE = re.compile(
    rf"\bthe\s(?:(?:supposed|alleged|suspected|presumed|reported)\s)?(?P<role>{_ROLE_WORDS})\s"
    rf"(?:of|behind|in)\s[^⟦]{{0,60}}?,\s(?P<p>⟦P\d+⟧)"
)
_ROLE_VERB = re.compile(
    rf"(?P<p>⟦P\d+⟧)\s(?:was|is|had\sbeen)\s(?:the\s|a\s|an\s)?(?:[\w-]+\s){{0,3}}?"
    rf"(?P<role>{_ROLE_WORDS})\b"
)


def _role_claims(sent: Any, cands: list[Candidate]) -> list[tuple[str, Candidate, int]]:
    """ "the supposed mastermind of the Paris attacks, X" -> (mastermind, X, offset)."""
    out: list[tuple[str, Candidate, int]] = []
    for rx in (_ROLE_BEFORE, _ROLE_AFTER, _ROLE_VERB):
        for m in rx.finditer(sent.masked):
            marker = _MARKER.fullmatch(m.group("p"))
            if marker is None:
                continue
            person = cands[int(marker.group(1))]
            role = re.sub(r"[\s-]+", " ", m.group("role").lower())
            if any(p is person for _, p, _ in out):
                continue
            at = m.start("role")
            start = sent.offsets[at] if at < len(sent.offsets) else sent.start
            out.append((role, person, start))
    return out


def _began_claim(s_text: str, published: str | None) -> str | None:
    """When a campaign began, as the sentence dates it ("tested this strategy in June
    2015" -> 2015-06); None when the sentence says nothing of a start."""
    if not _BEGAN.search(s_text):
        return None
    m = _MONTH_YEAR.search(s_text)
    if not m:
        return None
    if m.group("month"):
        return f"{m.group('year')}-{MONTHS[m.group('month').lower()]:02d}"
    return m.group("year")


#: Verbs whose subject (or agent, "carried out by X") takes part in the attack.
_ACTS = frozenset(
    [
        "carried",
        "carry",
        "carries",
        "launched",
        "launch",
        "launches",
        "planned",
        "plan",
        "plans",
        "planning",
        "ordered",
        "orders",
        "order",
        "detonated",
        "detonate",
        "struck",
        "strike",
        "strikes",
        "attacked",
        "attack",
        "attacks",
        "led",
        "lead",
        "leads",
        "masterminded",
        "opened",
        "open",
        "blew",
        "blow",
        "stormed",
        "storm",
        "killed",
        "kill",
        "shot",
        "shoot",
        "took",
        "take",
        "claimed",
        "claim",
        "helped",
        "help",
        "organised",
        "organized",
        "organise",
        "organize",
        "executed",
        "perpetrated",
        "committed",
    ]
)
#: "carried out", "took part", "opened fire", "blew himself up", "claimed responsibility":
#: the word that must go with a light verb.
_WITH = {
    "carried": "out",
    "carry": "out",
    "carries": "out",
    "took": "part",
    "take": "part",
    "opened": "fire",
    "open": "fire",
    "blew": "up",
    "blow": "up",
    "claimed": "responsibility",
    "claim": "responsibility",
}
#: Nouns that make their bearer an attacker: "the gunman, X", "bomber X", "X was the shooter".
_ATTACKER = frozenset(
    [
        "bomber",
        "bombers",
        "attacker",
        "attackers",
        "gunman",
        "gunmen",
        "shooter",
        "assailant",
        "assailants",
        "perpetrator",
        "perpetrators",
        "mastermind",
        "ringleader",
        "hijacker",
        "hijackers",
    ]
)


def participant(sdoc: Any, c: Candidate) -> bool:
    """Whether the parse makes the actor ``c`` a participant of its sentence's attack:
    the subject or agent of an act of attack ("X carried out the attack", "X opened
    fire", "the attack was planned by X"), or described as its attacker ("X, the
    bomber", "gunman X", "X was the gunman") — never a name merely near the words."""
    span = sdoc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    h = span.root
    for t in h.children:
        if t.dep_ in ("appos", "compound") and t.lower_ in _ATTACKER:
            return True
    while h.dep_ == "conj":  # "X and Y carried out": the second subject too
        h = h.head
    if h.dep_ == "appos" and h.head.lower_ in _ATTACKER:
        return True
    verb = None
    if h.dep_ in ("nsubj", "nsubjpass"):
        verb = h.head
    elif h.dep_ == "pobj" and h.head.lower_ == "by" and h.head.dep_ == "agent":
        verb = h.head.head
    if verb is None:
        return False
    if verb.lemma_ == "be" or verb.lower_ in ("was", "is", "were", "are"):
        return any(a.dep_ == "attr" and a.lower_ in _ATTACKER for a in verb.children)
    for v in (verb, *[x for x in verb.children if x.dep_ in ("xcomp", "conj")]):
        w = v.lower_
        if w not in _ACTS:
            continue
        need = _WITH.get(w)
        if need is None or any(x.lower_ == need for x in v.subtree if x.i > v.i):
            return True
    return False


def events_and_claims(
    doc: Document,
    cands: list[Candidate],
    sents: list[Any],
    cand_ids: dict[int, str],
    sdoc: Any = None,
) -> tuple[list[Mention], list[Claim], list[Assertion]]:
    """EVENT mentions, claims and participation ties of one document (a participant
    is read from the parse ``sdoc``: :func:`participant`)."""
    text = doc.text
    places = {c.text.lower(): c for c in cands if c.label == "PLACE"}
    targets = {c.text.lower() for c in cands if c.label == "ORG"}
    mentions: list[Mention] = []
    spans: list[tuple[int, str, str]] = []  # (start, mention id, place word)

    def add_event(start: int, end: int, key: str, name: str, extractor: str) -> str:
        mid = content_id("m", doc.sha256, start, end, "EVENT", key)
        if all(mid != m.id for m in mentions):
            mentions.append(
                Mention(
                    mid,
                    doc.id,
                    start,
                    end,
                    text[start:end],
                    "EVENT",
                    extractor,
                    0.7,
                    key,
                    "body",
                    {"event_name": name},
                )
            )
            spans.append((start, mid, key.split()[0]))
        return mid

    for e in find_events(text, set(places), targets):
        if segment_kind_at(doc.segments, e.start) in ANALYSED_SEGMENTS:
            add_event(e.start, e.end, e.key, e.name, "event-pattern")
    main_event = _main_event(mentions)
    last_toll: str | None = None  # the event the last casualty figure was about
    claims: list[Claim] = []
    assertions: list[Assertion] = []
    for k, sent in enumerate(sents):
        s_text = text[sent.start : sent.end]
        inside = [(s, mid) for s, mid, _ in spans if sent.start <= s < sent.end]
        found = find_claims(s_text, sent.start)
        casualty = [c for c in found if c.quantity in ("deaths", "injured")]
        if casualty and not inside:
            # "killing 130 people in Paris": a toll at a place names that place's attack
            first = min(c.start for c in casualty)
            pool = [
                i
                for i in sent.cands
                if cands[i].label == "PLACE"
                and cands[i].text[:1].isupper()
                and abs(cands[i].start - first) <= _PLACE_REACH  # not a place far off in
                and _AT_PLACE.search(text[max(0, cands[i].start - 12) : cands[i].start])
            ]  # an aside ("Naim, an Indonesian based in Syria, ... left two civilians dead")
            if not pool and k > 0:  # "At least 31 people were slaughtered": the place came before
                pool = [
                    i
                    for i in sents[k - 1].cands
                    if cands[i].label == "PLACE"
                    and cands[i].text[:1].isupper()
                    and _AT_PLACE.search(text[max(0, cands[i].start - 12) : cands[i].start])
                ]
            ranked = sorted(
                pool,
                key=lambda i: (
                    not any(p == cands[i].text.lower() for _, _, p in spans),
                    not is_known_place(cands[i].text),
                    cands[i].start,
                ),
            )
            for i in ranked:
                c = cands[i]
                key = f"{c.text.lower()} attacks"
                known = [mid for _, mid, place in spans if place == c.text.lower()]
                mid = (
                    known[0]
                    if known
                    else add_event(c.start, c.end, key, f"{c.text} attacks", "event-from-claim")
                )
                inside = [(c.start, mid)]
                break
            if not inside and _refers_to_the_story(s_text, first - sent.start):
                # "Twenty people were wounded in the attacks": the event the story is on
                # (named in the sentences just before, else the one it names most)
                context = _context_event(sents, k, spans) or last_toll or main_event
                if context is not None:
                    inside = [(sent.start, context)]
        hedged = bool(HEDGE.search(s_text))
        conf = 0.8 * (0.6 if hedged else 1.0)

        def evidence(
            kind: str,
            sent: Any = sent,
            hedged: bool = hedged,
            conf: float = conf,
            s_text: str = s_text,
        ) -> Evidence:
            return Evidence(doc.id, sent.start, sent.end, s_text, kind, conf, hedged)

        event = inside[0][1] if inside else None
        together = bool(re.search(r"\b(?:together|combined|in\stotal|between\sthem)\b", s_text))
        source = _attribution(s_text, sent, cands)
        for c in found:
            if c.quantity == "territory lost":
                subjects = _group_subject(sents, k, cands, cand_ids)
            elif c.place is not None:
                at = _event_at(c.place, cands, sent, spans, add_event)
                subjects = [at] if at else []
            elif together:
                subjects = [mid for _, mid in inside]  # "which together resulted in ..."
            else:
                nearest = _nearest_event(c.start, inside)
                if nearest is not None and (
                    _other_event_between(text, c.start, inside, nearest)
                    or _earlier_event(text, nearest, mentions)
                ):
                    nearest = None  # "... similar to a January bombing that killed 12": not ours
                subjects = [nearest] if nearest else []
            for subject in subjects:
                if c.quantity in ("deaths", "injured"):
                    last_toll = subject
                cid = content_id("c", doc.sha256, c.start, c.end, c.quantity, subject)
                if any(x.id == cid for x in claims) or any(
                    x.quantity == c.quantity
                    and x.evidence.start == sent.start
                    and x.value == c.value
                    and x.subject == subject
                    for x in claims
                ):
                    continue  # two patterns read the same statement
                claims.append(
                    Claim(
                        cid,
                        doc.id,
                        subject,
                        c.quantity,
                        c.value,
                        c.qualifier,
                        c.unit,
                        evidence(f"claim:{c.quantity}"),
                        c.value_text,
                        attributed_to=source,
                        value_high=c.value_high,
                    )
                )
        for role, person, role_at in _role_claims(sent, cands):
            after = [mid for s_, mid in sorted(inside) if s_ >= role_at]
            ev_id = after[0] if after else _nearest_event(role_at, inside)
            if ev_id is None:
                continue
            cid = content_id("c", doc.sha256, sent.start, "role", person.start)
            claims.append(
                Claim(
                    cid,
                    doc.id,
                    ev_id,
                    f"role of {person.key or person.text}",
                    0.0,
                    "exactly",
                    "role",
                    evidence("claim:role"),
                    role,
                    attributed_to=source,
                )
            )
        began = _began_claim(s_text, doc.published)
        if began is not None:
            subjects = _group_subject(sents, k, cands, cand_ids)
            if subjects:
                cid = content_id("c", doc.sha256, sent.start, "began")
                claims.append(
                    Claim(
                        cid,
                        doc.id,
                        subjects[0],
                        "began",
                        0.0,
                        "exactly",
                        "date",
                        evidence("claim:began"),
                        began,
                        attributed_to=source,
                    )
                )
        if event is not None:
            ev_end = max((m.end for m in mentions if m.id == event), default=sent.start)
            ev_start = min((m.start for m in mentions if m.id == event), default=sent.start)
            relative = {ds for _, ds, _ in _weekday_dates(s_text, doc.published)}
            caption = segment_kind_at(doc.segments, sent.start) != "body"
            for iso, ds, de in _iso_dates(s_text, doc.published):
                if _CITATION.search(s_text):
                    break  # a note's citation or access date dates the note, not the event
                if ds in relative and caption:
                    continue  # "on Friday" in a picture caption counts from the photo's day
                near = (
                    0 <= sent.start + ds - ev_end <= 30 or 0 <= ev_start - (sent.start + de) <= 40
                )
                on_day = re.search(r"\bon\s$", s_text[max(0, ds - 3) : ds]) or s_text[
                    ds:
                ].startswith("on ")
                if not (near or on_day):
                    continue  # a date elsewhere in the sentence may date something else
                cid = content_id("c", doc.sha256, sent.start + ds, "date")
                claims.append(
                    Claim(
                        cid,
                        doc.id,
                        event,
                        "date",
                        0.0,
                        "exactly",
                        "date",
                        # a caption's date is often the photograph's, not the event's
                        evidence("claim:date:caption", conf=0.4)
                        if caption
                        else evidence("claim:date"),
                        iso,
                    )
                )
            if sdoc is not None and _PARTICIPATION.search(s_text):
                for i in sent.cands:
                    if cands[i].label in ("PERSON", "ORG") and participant(sdoc, cands[i]):
                        aid = content_id(
                            "a", doc.sha256, "participated_in", cand_ids[i], event, sent.start
                        )
                        assertions.append(
                            Assertion(
                                aid,
                                doc.id,
                                "tie",
                                "participated_in",
                                cand_ids[i],
                                event,
                                "",
                                evidence("pattern:participated_in"),
                            )
                        )
    return mentions, claims, assertions
