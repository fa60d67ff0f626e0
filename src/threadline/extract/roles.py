"""Who a name is in the text: the role cue of each person and organisation mention.

Needs: the document text and its typed candidates (:class:`Candidate`).
Produces: ``attrs["role_cue"]`` on person and organisation candidates that the
text describes, from grammar alone:

- credit and byline position ("Reporting by X", "By X and Y", "Photo by X/Agency")
  make a *journalist*;
- the words around the name — a title before it ("police chief X", "Taliban
  spokesman X"), an apposition after it ("X, a professor at ...", "X, the
  group's leader"), a passive predicate ("X was killed") — are read against
  short lists of role nouns;
- an organisation is the covert or criminal group (``network``), a state body
  (``state``), a medium (``media``) or ``other``, from its head word ("cartel",
  "ministry", "newspaper") and the words around its uses ("militants of X",
  "X claimed responsibility", "told X").

Every cue is a word of function (an office, a trade, an act); no word of
nationality, religion or ethnicity is read (principle 4). The entity's role is
decided later over all its mentions and its ties (:mod:`threadline.resolve.roles`).

>>> from threadline.extract.spans import Candidate
>>> text = "The gang's boss X Y was arrested, said Ann Bo, a professor at a college."
>>> cands = [Candidate(16, 19, "X Y", "PERSON", "spacy", 0.7),
...          Candidate(39, 45, "Ann Bo", "PERSON", "spacy", 0.7)]
>>> mark_roles(text, cands)
>>> [c.attrs["role_cue"] for c in cands]
['network', 'expert']
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from threadline.extract.spans import Candidate
from threadline.model.lexicon import word_set
from threadline.model.names import fold

#: Person roles (the gold's ``role_class``) and organisation roles.
PERSON_ROLES = ("network", "official", "journalist", "expert", "victim", "other")
ORG_ROLES = ("network", "state", "media", "other")

#: Actors of a violent, criminal or covert group, named by what they do.
NETWORK_NOUNS = word_set(
    """militant militants gunman gunmen attacker attackers assailant assailants bomber bombers
    shooter shooters insurgent insurgents extremist extremists terrorist terrorists fighter
    fighters suspect suspects accomplice accomplices mastermind ringleader recruiter recruiters
    kingpin trafficker traffickers smuggler smugglers hitman hitmen kidnapper kidnappers
    hijacker hijackers perpetrator perpetrators accused plotter plotters sympathiser sympathizer
    organizer organiser organizers organisers jailbreaker fugitive fugitives
    operative operatives henchman henchmen lieutenant druglord drug-lord mobster gangster
    gangsters boss warlord rebel rebels"""
)
#: Positions that belong to whichever body the phrase names ("Taliban spokesman", "police chief").
POSITION_NOUNS = word_set(
    """leader leaders chief head spokesman spokeswoman spokesperson commander founder co-founder
    deputy member members emir caliph number head chairman second-in-command successor
    representative"""
)
OFFICIAL_NOUNS = word_set(
    """president vice-president premier minister ministers secretary senator senators
    congressman congresswoman lawmaker lawmakers legislator governor mayor general gen
    colonel col major admiral brigadier marshal sergeant captain police policeman
    policewoman officer officers official officials prosecutor prosecutors judge judges
    magistrate ambassador envoy diplomat consul attorney-general sheriff inspector commissioner
    investigator investigators agent agents detective detectives chancellor king queen
    prince monarch parliamentarian mp spokesman-for director-general ombudsman"""
)
EXPERT_NOUNS = word_set(
    """analyst analysts expert experts professor academic researcher researchers scholar
    fellow specialist specialists lecturer scientist consultant historian criminologist
    economist author think-tank strategist observer"""
)
JOURNALIST_NOUNS = word_set(
    """journalist journalists reporter reporters correspondent correspondents editor editors
    photographer photographers columnist anchor cameraman broadcaster blogger"""
)
VICTIM_NOUNS = word_set(
    """victim victims hostage hostages captive captives survivor survivors casualty"""
)
OTHER_NOUNS = word_set(
    """witness witnesses neighbour neighbor neighbours neighbors actor actress
    star singer classmate student students teacher customer
    bystander resident residents owner manager employee worker actor film-maker filmmaker
    producer celebrity"""
)
#: Words that put a position in a state body: "police chief", "army spokesman".
STATE_WORDS = word_set(
    """police government ministry army military navy marines air-force court courts
    parliament senate congress cabinet presidency embassy consulate prosecutor prosecutors
    prosecution authorities intelligence security defence defense interior justice
    council state federal national provincial municipal city county regional forces
    troops agency department office administration opposition party ruling"""
)
#: Those who speak for a body: for a state one unless the phrase names a group.
_SPEAKERS = frozenset({"spokesman", "spokeswoman", "spokesperson", "spokespeople"})
#: Words of research bodies: "director of the X Institute" is an expert.
EXPERT_ORG_WORDS = word_set(
    """institute institution center centre university college analysts think-tank academy
    studies research foundation programme program"""
)
#: Head words of organisation names by role.
NETWORK_ORG_HEADS = word_set(
    """group network cell gang cartel militia militias brigade brigades battalion faction
    mafia crew clan syndicate insurgency movement front katiba katibat kataib jamaah
    jemaah jamaat jaish jabhat lashkar tehrik harakat"""
)
STATE_ORG_HEADS = word_set(
    """police government ministry army military navy marines court parliament senate
    congress cabinet presidency embassy consulate authorities forces force troops
    agency department office administration bureau commission service services
    corps guard coalition command prosecutor prosecutors"""
)
MEDIA_ORG_HEADS = word_set(
    """news times post journal tribune herald gazette daily press tv television radio
    broadcaster channel newspaper magazine wire telegraph guardian chronicle reuters afp
    bloomberg"""
)
#: What a covert group's members do and are called, around its name.
_GROUP_CONTEXT = re.compile(
    r"(?:\b(?:militants?|fighters?|insurgents?|gunmen|members?|supporters?|leaders?|"
    r"commanders?|spokesman|emir|affiliates?|cells?|militias?)\s+(?:of|from|for|in|loyal\sto|"
    r"linked\sto|tied\sto|inspired\sby|allied\swith)\s+(?:the\s)?$)"
    r"|(?:\b(?:allegiance|loyalty)\s+to\s+(?:the\s)?$)"
    r"|(?:\b(?:militant|insurgent|terrorist|extremist|armed|rebel|criminal|drug|smuggling|"
    r"trafficking|banned|outlawed|separatist)\s+(?:group|network|organi[sz]ation|movement|"
    r"cartel|gang|faction|outfit)\s+(?:of\s)?(?:the\s)?$)",
    re.I,
)
_GROUP_AFTER = re.compile(
    r"^(?:’s|'s)?[\s-]+(?:militants?|fighters?|insurgents?|gunmen|supporters?|"
    r"cell|cells|claimed|has\sclaimed|"
    r"took\sresponsibility|said\sit\scarried|linked|inspired|affiliated|affiliates?|"
    r"loyalists?|attackers?|bombers?|suicide|militia|hideouts?|stronghold|insurgency|"
    r"kidnapp\w*|abduct\w*|boss|kingpin|trafficker)\b",
    re.I,
)
_MEDIA_CONTEXT = re.compile(
    r"\b(?:told|to|in\san\sinterview\swith|reported\sby|according\sto|published\sby|"
    r"wrote\sin|writing\sin|broadcaster|newspaper|daily|channel|news\sagency|magazine|"
    r"website|outlet|station)\s+(?:the\s)?$",
    re.I,
)
_MEDIA_AFTER = re.compile(
    r"^(?:’s|'s)?\s+(?:newspaper|daily|reported|television|tv|broadcaster|channel|news\sagency|"
    r"magazine|website|quoted|said\sin\sa\sreport|cited)\b",
    re.I,
)
#: Lines of credits: "(Reporting by A and B; Editing by C)", "By A and B", "Photo by A/Agency".
_CREDIT_BY = re.compile(
    r"(?:\b(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Ee]dited|[Cc]ompiled|[Pp]hoto(?:graph)?s?|"
    r"[Pp]ictures?|[Vv]ideo|[Ii]llustration|[Rr]esearch|[Rr]eported|[Ww]ritten|[Ff]iled)"
    r"(?:\s+and\s+\w+)?\s+by\b|^\s*\(?\s*[Bb][Yy]\s)"
)
_PASSIVE_VICTIM = re.compile(
    r"^,?\s+(?:\w+\s+){0,2}(?:was|were|had\sbeen|has\sbeen|is|got)\s+(?:\w+\s+)?"
    r"(?:killed|murdered|slain|stabbed|shot|beheaded|executed|kidnapped|abducted|wounded|"
    r"injured|taken\shostage|held\shostage|raped|assassinated)\b(?!\s+(?:in|by)\s+(?:a\s)?"
    r"(?:(?:U\.S\.|drone|air|police|security|army)\s)*(?:drone|strike|raid|shootout|"
    r"security|police|troops|forces|clash|gunfight))",
    re.I,
)
#: What the group's actors do or undergo, said of the name as subject: "X was arrested",
#: "X opened fire", "identified X as the mastermind".
_NETWORK_PREDICATE = re.compile(
    r"^(?:’s|'s)?,?\s+(?:(?!said|says|told|and|but|that)[\w-]+,?\s+){0,4}?"
    r"(?:(?:was|were|has\sbeen|had\sbeen|is|are|being)\s+(?:\w+\s+)?"
    r"(?:arrested|detained|charged|convicted|sentenced|extradited|indicted|captured|jailed|"
    r"imprisoned|accused|suspected|wanted|recaptured|held\son\scharges)"
    r"|pledged\s(?:his\s|her\s)?allegiance|opened\sfire|blew\s(?:himself|herself)\sup|"
    r"carried\sout\s(?:the|an?)\sattack|masterminded|plotted|planned\san?\sattack|"
    r"escaped\sfrom\s(?:a\s)?prison|broke\sout\sof)\b"
    r"|^[^.;!?\n]{0,90}?\bas\s(?:the|an?)\s(?:[\w-]+\s){0,2}?(?:mastermind|organi[sz]er|gunman|"
    r"shooter|bomber|attacker|ringleader|leader\sof\s(?:the\s)?(?:group|network|cell|militants))\b",
    re.I,
)
#: "a militant from Borneo named X", "a man called X": the noun before "named".
_NAMED_AFTER = re.compile(
    r"\b(?:an?|the)\s+(?P<desc>(?:[\w-]+\s+){1,5}?)(?:\w+\s+)?(?:named|called|identified\sas)\s+$"
)
_WORD = re.compile(r"[A-Za-z][\w.’'-]*")
_STOP_BEFORE = re.compile(r"[.;:!?()\[\]\"“”\n]|\b(?:said|says|told|and|or|but|when|as|by|with)\b")


def _descriptor_before(text: str, start: int) -> list[str]:
    """The words of the title phrase just before a name ("Taliban spokesman", "U.S. President")."""
    window = text[max(0, start - 60) : start]
    cut = 0
    for m in _STOP_BEFORE.finditer(window):
        cut = m.end()
    words = _WORD.findall(window[cut:])
    return [w.lower().rstrip("’'s") if w.endswith(("’s", "'s")) else w.lower() for w in words[-4:]]


def _descriptor_after(text: str, end: int) -> list[str]:
    """The words of an apposition after a name: "X, a professor at the Y institute, said"."""
    rest = text[end : end + 160]
    m = re.match(r"^\s*(?:\(\s*|,\s*(?:\d{1,3},\s*)?(?:who\s+(?:is|was)\s+)?)", rest)
    if not m or not m.group().strip():
        m2 = re.match(r"^\s+(?:is|was|became|remains)\s+(?:a|an|the)\s", rest)
        if not m2:
            return []
        m = m2
    body = rest[m.end() :]
    stop = re.search(r"[,;:.()\"“”\n]|\b(?:said|says|told|who|which|and\s+[A-Z])", body)
    phrase = body[: stop.start()] if stop else body
    words = [w.lower() for w in _WORD.findall(phrase)]
    if (
        not words
        or words[0] not in ("a", "an", "the", "his", "her", "their", "its")
        and not (
            set(words[:3]) & (OFFICIAL_NOUNS | EXPERT_NOUNS | JOURNALIST_NOUNS | POSITION_NOUNS)
        )
    ):
        return []  # "X, Y and Z": a list of names, not a description
    return words[:12]


def _in_credit(text: str, start: int, end: int) -> bool:
    """Inside a credit line: the line (or its parenthesis) says "… by" before the name."""
    ls = text.rfind("\n", 0, start) + 1
    head = text[ls:start]
    paren = head.rfind("(")
    if paren >= 0 and ")" not in head[paren:]:
        head = head[paren:]
    m = _CREDIT_BY.search(head)
    if not m:
        return bool(re.match(r"^[/ ]?(?:REUTERS|Reuters|AFP|AP|Getty Images|EPA)\b", text[end:]))
    between = head[m.end() :]
    # in the credit's run of names: no sentence between "by" and the name
    return not re.search(r"\b(?:said|says|told|was|is|were|are|has|had)\b", between)


def _role_of_words(words: list[str], org_roles: dict[str, str]) -> str | None:
    """The role a description names, or None when it names none."""
    if not words:
        return None
    ws = set(words)
    joined = " ".join(words)
    covert_org = any(
        role == "network" and f and re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", joined)
        for f, role in org_roles.items()
    )
    state_org = any(
        role == "state" and f and re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", joined)
        for f, role in org_roles.items()
    )
    if ws & JOURNALIST_NOUNS:
        return "journalist"
    if ws & NETWORK_NOUNS and not ws & {"police", "officer", "officers"}:
        return "network"
    if ws & POSITION_NOUNS and (covert_org or ws & NETWORK_ORG_HEADS):
        return "network"
    if ws & EXPERT_NOUNS or ws & EXPERT_ORG_WORDS:
        return "expert"
    if ws & OFFICIAL_NOUNS or (ws & POSITION_NOUNS and (state_org or ws & STATE_WORDS)):
        return "official"
    if ws & _SPEAKERS:
        return "official"  # a spokesman of no group the text names speaks for a public body
    if ws & VICTIM_NOUNS:
        return "victim"
    if ws & OTHER_NOUNS:
        return "other"
    return None


def _org_role(c: Candidate, text: str) -> str | None:
    words = [w.lower() for w in re.findall(r"[\w-]+", c.text)]
    if not words:
        return None
    last = words[-1]
    before = text[max(0, c.start - 60) : c.start]
    after = text[c.end : c.end + 40]
    if c.extractor == "credit-line" or _MEDIA_AFTER.match(after) or last in MEDIA_ORG_HEADS:
        return "media"
    if (
        last in NETWORK_ORG_HEADS
        or words[0] in NETWORK_ORG_HEADS
        or c.extractor == "led-network-pattern"
        or _GROUP_CONTEXT.search(before)
        or _GROUP_AFTER.match(after)
    ):
        return "network"
    if set(words) & STATE_ORG_HEADS:
        return "state"
    if _MEDIA_CONTEXT.search(before):
        return "media"
    return None


def org_roles(text: str, cands: list[Candidate]) -> dict[str, str]:
    """The role of each organisation name of a document, by majority of its uses' cues."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for c in cands:
        if c.label != "ORG":
            continue
        role = _org_role(c, text)
        if role:
            votes[fold(c.text)][role] += 1
    return {f: v.most_common(1)[0][0] for f, v in votes.items()}


_KEEP_BEFORE = frozenset(
    {"compound", "amod", "nmod", "npadvmod", "poss", "case", "punct", "nummod"}
)
_VICTIM_VERBS = word_set(
    """killed murdered slain stabbed shot beheaded executed kidnapped abducted wounded injured
    raped assassinated"""
)


def _token_span(sdoc: Any, c: Candidate) -> Any:
    return sdoc.char_span(c.start, c.end, alignment_mode="expand") if sdoc is not None else None


def _words(tokens: Iterable[Any]) -> list[str]:
    return [t.lower_.rstrip(".") for t in tokens if not t.is_punct and t.lower_ not in ("'s", "’s")]


def _parse_descriptors(span: Any) -> list[list[str]]:
    """Descriptions of a name the parse gives: head noun first, then its modifiers.

    "Taliban spokesman X" (title before the name), "the cabinet secretary, X"
    (the name in apposition), "X, a professor at Y" (an apposition of the name),
    "X of the Y Institute", "X is a lawyer" (a predicate noun).
    """
    out: list[list[str]] = []
    root = span.root
    sdoc = span.doc
    before: list[Any] = []
    i = span.start - 1
    while i >= 0 and i >= span.start - 5:
        t = sdoc[i]
        if t.dep_ not in _KEEP_BEFORE or not (
            span.start <= t.head.i < span.end or t.head in before
        ):
            break
        before.append(t)
        i -= 1
    if before:
        out.append(_words(reversed(before)))
    if root.dep_ == "appos" and not (span.start <= root.head.i < span.end):
        head = root.head
        mods = [t for t in head.subtree if t.i < span.start and t.i >= head.left_edge.i]
        out.append(_words([head, *mods]))
    for ch in root.children:
        if span.start <= ch.i < span.end:
            continue
        if ch.dep_ == "appos" and ch.pos_ in ("NOUN", "PROPN") and ch.ent_type_ != "PERSON":
            out.append(_words([ch, *list(ch.subtree)[:14]]))
        elif ch.dep_ == "prep" and ch.lower_ in ("of", "from", "at", "with") and ch.i == span.end:
            out.append(_words(list(ch.subtree)[:8]))
    if root.dep_ == "nsubj" and root.head.lower_ in ("is", "was", "became", "remains", "'s"):
        for ch in root.head.children:
            if ch.dep_ == "attr":
                out.append(_words([ch, *list(ch.subtree)[:10]]))
    if root.dep_ == "nsubjpass" and root.head.lower_ in _VICTIM_VERBS:
        out.append(["victim-predicate"])
    return out


def _head_role(words: list[str], orgs: dict[str, str]) -> str | None:
    """The role named by a description's head noun (its first word), else by its words."""
    if not words:
        return None
    if words == ["victim-predicate"]:
        return "victim"
    head = words[0]
    if head in JOURNALIST_NOUNS:
        return "journalist"
    if head in NETWORK_NOUNS:
        return "network"
    if head in EXPERT_NOUNS:
        return "expert"
    if head in OFFICIAL_NOUNS:
        return "official"
    if head in VICTIM_NOUNS:
        return "victim"
    if head in OTHER_NOUNS:
        return "other"
    return _role_of_words(words, orgs)


def person_cue(text: str, c: Candidate, orgs: dict[str, str], sdoc: Any = None) -> str | None:
    """The role the text gives one person mention, or None."""
    if c.extractor in ("credit-line", "byline") or c.attrs.get("credit"):
        return "journalist"
    if _in_credit(text, c.start, c.end):
        return "journalist"
    span = _token_span(sdoc, c)
    descriptions = (
        _parse_descriptors(span)
        if span is not None
        else [_descriptor_before(text, c.start), _descriptor_after(text, c.end)]
    )
    named = _NAMED_AFTER.search(text[max(0, c.start - 80) : c.start])
    if named:
        descriptions.append([w.lower() for w in _WORD.findall(named.group("desc"))])
    roles = [r for r in (_head_role(w, orgs) for w in descriptions) if r]
    if _NETWORK_PREDICATE.match(text[c.end : c.end + 160]):
        roles.append("network")
    if roles:
        return next(r for r in roles if r != "victim") if set(roles) - {"victim"} else "victim"
    if span is None and _PASSIVE_VICTIM.match(text[c.end : c.end + 80]):
        return "victim"
    return None


def mark_roles(text: str, cands: list[Candidate], sdoc: Any = None) -> None:
    """Put ``attrs["role_cue"]`` on the person and organisation candidates the text describes.

    ``sdoc`` is the document's parse; without it, descriptions are read from the
    words around each name."""
    orgs = org_roles(text, cands)
    for c in cands:
        if c.label == "ORG":
            role = orgs.get(fold(c.text))
        elif c.label == "PERSON":
            role = person_cue(text, c, orgs, sdoc)
        else:
            continue
        if role:
            c.attrs["role_cue"] = role
