"""Events named in a text and the quantities stated about them.

An event mention is a place plus an event word ("the Brussels bombings",
"attacks in Paris"); its key joins spellings of the same event ("Brussels
attack", "Brussels bombings" -> "brussels attacks"). A claim is a number with a
qualifier and a quantity ("at least 31 dead" -> deaths, 31, at least), tied to
the event named in its sentence or, failing that, the nearest event before it.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from threadline.model.lexicon import is_city

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "dozen": 12,
}
_TENS = r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
NUM = (
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{_TENS})(?:-(?:one|two|three|four|five|six|seven|"
    r"eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a\shundred|hundreds|dozens)"
)
QUALIFIERS = {
    "at least": "at least",
    "more than": "more than",
    "over": "more than",
    "nearly": "about",
    "almost": "about",
    "around": "about",
    "about": "about",
    "some": "about",
    "roughly": "about",
    "approximately": "about",
    "up to": "at most",
    "at most": "at most",
    "fewer than": "fewer than",
    "less than": "fewer than",
    "an estimated": "about",
}
QUAL = (
    r"(?:(?P<qual>at\sleast|more\sthan|over|nearly|almost|around|about|some|roughly|"
    r"approximately|up\sto|at\smost|fewer\sthan|less\sthan|an\sestimated)\s)?"
)
_DEAD = r"dead|killed|deaths|died|slaughtered|murdered|fatalities|lives\slost|perished"
_HURT = r"injured|injuried|wounded|hurt|injuries"
_HOW = r"(?:(?:seriously|critically|severely|badly|gravely|slightly|lightly|fatally|mortally)\s)?"
_WHO = (
    r"(?:people|civilians|persons|victims|others|suspects|attackers|militants|soldiers|"
    r"officers|police\sofficers|policemen|children|passengers|worshippers|tourists|men|women|"
    r"assailants|gunmen|bombers|hostages|foreigners|students|girls|workers|guests|guards)"
)
#: Who the counted are: one capitalised word ("German tourists"), a second group joined by
#: "and" ("three civilians and a police officer"), or "from ..." ("23 people from 18
#: countries were killed").
_WHO_MORE = (
    r"(?:(?:(?-i:[A-Z][a-z]+)|foreign|local)\s)?" + _WHO + r"(?:\sand\s(?:a|an|one|\w+)\s(?:\w+\s)?"
    r"(?:officer|policeman|soldier|guard|child|man|woman|foreigner)s?|\sfrom\s[^,.;]{1,40}?)?"
)
_RANGE = r"(?:between\s(?P<lo>\d+)\sand\s(?P<hi>\d+)|(?P<lo2>\d+)\s?(?:-|–|to)\s?(?P<hi2>\d+))"
_PLACE = r"(?:\sin\s(?P<place>[A-Z][\w-]+))?"
CLAIM_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rx, re.I if "place" not in rx else 0), q)
    for rx, q in (
        (rf"\b{_RANGE}\s(?:{_WHO}\s)?(?:were\s|have\sbeen\s|had\sbeen\s)?(?:{_DEAD})\b", "deaths"),
        (
            rf"\b{QUAL}{NUM}\s(?:{_WHO_MORE}\s)?(?:were\s|have\sbeen\s|had\sbeen\s)?{_HOW}(?:{_DEAD})\b",
            "deaths",
        ),
        (
            rf"\b{QUAL}{NUM}\s(?:{_WHO_MORE}\s)?(?:were\s|have\sbeen\s|had\sbeen\s)?{_HOW}(?:{_HURT})\b",
            "injured",
        ),
        (
            rf"\bkill(?:ing|ed|s)\s(?:(?:himself|herself|themselves)\sand\s)?{QUAL}{NUM}\s(?:of\s)?"
            rf"{_WHO_MORE}\b",
            "deaths",
        ),
        (
            rf"\b(?:wound(?:ing|ed|s)|injur(?:ing|ed|es))\s{QUAL}{NUM}\s(?:of\s)?{_WHO_MORE}\b",
            "injured",
        ),
        (rf"\bleft\s{QUAL}{NUM}\s(?:{_WHO}\s)?dead\b", "deaths"),
        # "left all five attackers and two civilians dead": the second group
        (rf"\bleft\s(?:all\s)?(?:\w+\s){{1,3}}and\s{QUAL}{NUM}\s(?:{_WHO}\s)?dead\b", "deaths"),
        (rf"\b(?:claimed|took)\sthe\slives\sof\s{QUAL}{NUM}\b", "deaths"),
        (
            rf"\b(?:death\stoll|toll)\s(?:(?:was|is|stood|rose|climbed|reached)\s)?(?:at|to|of)\s"
            rf"{QUAL}{NUM}\b",
            "deaths",
        ),
        (
            r"\b(?:resulted\sin|caused|left)\s(?P<num>hundreds|dozens|thousands|scores)\sof\s"
            r"(?:deaths|dead|people\sdead|casualties)",
            "deaths",
        ),
        # "100 people in Ankara" in a list of attacks: a toll at a place
        (rf"(?<![\w.,])(?P<num>\d{{1,5}})\speople{_PLACE}(?=[,.;]|\sand\b)", "deaths"),
        (
            rf"\b(?:lose|lost|loss\sof)\s{QUAL}(?P<pct>\d+\spercent|one-quarter|a\squarter|one-third|a\sthird|half)\sof\s(?:its|the\sgroup's|the\sgroup’s)\sterritory",
            "territory lost",
        ),
    )
)
#: The attackers' own dead are not the attack's toll: such a claim has its own unit.
_PERP_WORDS = r"\b(?:attackers|militants|assailants|gunmen|bombers|suspects)\b"
_PERPETRATORS = re.compile(_PERP_WORDS + r"(?!\sand\b)", re.I)
_PERPETRATORS_AND = re.compile(_PERP_WORDS + r"\sand\b", re.I)
_FRACTIONS = {"one-quarter": 25, "a quarter": 25, "one-third": 33, "a third": 33, "half": 50}

EVENT_WORDS = {
    "attack": "attacks",
    "attacks": "attacks",
    "bombing": "attacks",
    "bombings": "attacks",
    "blast": "attacks",
    "blasts": "attacks",
    "explosions": "attacks",
    "shooting": "shooting",
    "massacre": "massacre",
    "raid": "raid",
    "plot": "plot",
    "siege": "siege",
    "plots": "plot",
    "raids": "raid",
    "shootings": "shooting",
    "assaults": "attacks",
    "assault": "attacks",
}
_EW = "|".join(sorted(EVENT_WORDS, key=len, reverse=True))
#: Words that may stand between a place and its attack: "the London bus and subway bombings".
_MODIFIERS = (
    r"(?:bus|buses|subway|metro|underground|train|rail|station|airport|suicide|terror|terrorist|"
    r"bomb|gun|car|truck|market|and|twin|coordinated|deadly|mass|knife|separate|bombing)"
)
EVENT_BEFORE = re.compile(
    rf"\b(?P<place>[A-Z][a-zA-Z-]{{2,}})(?:’s|'s)?\s(?:{_MODIFIERS}\s){{0,3}}?"
    rf"(?P<kind>{_EW})\b"
)
EVENT_ON = re.compile(
    rf"\b(?:gun\s|bomb\s|knife\s|suicide\s|terror(?:ist)?\s|arson\s)?(?P<kind>{_EW})\s(?:on|at)\s"
    r"(?:the\s)?(?P<place>[A-Z][\w’'-]+(?:\s(?:of\s)?[A-Z][\w’'-]+){0,3})"
)
EVENT_AFTER = re.compile(
    rf"\b(?:terror(?:ist)?\s|suicide\s)?(?P<kind>{_EW})\s(?:in|on|at)\s(?P<place>[A-Z][a-zA-Z-]{{2,}})\b"
)


@dataclass
class EventSpan:
    start: int
    end: int
    key: str
    name: str


@dataclass
class ClaimSpan:
    start: int
    end: int
    quantity: str
    value: float
    qualifier: str
    value_text: str
    unit: str
    value_high: float | None = None
    #: (start, end) of the place the number is tied to ("100 people in Ankara")
    place: tuple[int, int] | None = None


def parse_number(text: str) -> float | None:
    """Digits or English number words to a number: "thirty-one" -> 31; "dozens" -> None."""
    t = text.lower().replace(",", "").strip()
    if t.isdigit():
        return float(t)
    if "-" in t:
        a, _, b = t.partition("-")
        if a in NUMBER_WORDS and b in NUMBER_WORDS:
            return float(NUMBER_WORDS[a] + NUMBER_WORDS[b])
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    return None


#: "the bombings of a market, a ferry pier and two bus stops in Vremmingen": the place
#: may come a clause after the event word.
EVENT_FAR = re.compile(
    r"\b(?:coordinated\s|terror(?:ist)?\s|suicide\s)?(?P<kind>attacks|bombings|attack|bombing)\b"
    r"[^.;⟦]{1,80}?\bin\s(?P<place>[A-Z][a-zA-Z-]{2,})\b"
)


def find_events(
    text: str, places: set[str], targets: AbstractSet[str] = frozenset()
) -> list[EventSpan]:
    """Event mentions at one of ``places`` ("the Brussels bombings", "attacks in Paris"),
    or aimed at one of ``targets`` ("a gun attack on the Jewish Museum")."""
    out: list[EventSpan] = []
    for rx in (EVENT_ON, EVENT_BEFORE, EVENT_AFTER, EVENT_FAR):
        for m in rx.finditer(text):
            place = m.group("place")
            allowed = places | targets if rx is EVENT_ON else places
            if place.lower() not in allowed:
                continue
            if rx is EVENT_FAR and not is_city(place):
                continue  # "attacks ... in Europe" names no one attack
            if any(e.start <= m.start() < e.end for e in out):
                continue
            kind = EVENT_WORDS[m.group("kind").lower()]
            name = f"{place} {kind}"
            out.append(EventSpan(m.start(), m.end(), name.lower(), name))
    out.sort(key=lambda e: e.start)
    return out


def find_claims(sentence: str, offset: int) -> list[ClaimSpan]:
    """Quantities stated in one sentence (``offset`` = its start in the document).

    Overlapping readings of one statement keep the longest ("left at least 30
    people dead" over "30 people dead").
    """
    out: list[ClaimSpan] = []
    for rx, quantity in CLAIM_PATTERNS:
        for m in rx.finditer(sentence):
            groups = m.groupdict()
            qual_word = re.sub(r"\s+", " ", (groups.get("qual") or "").lower())
            qualifier = QUALIFIERS.get(qual_word, "exactly")
            start, end = offset + m.start(), offset + m.end()
            if quantity == "territory lost":
                raw = m.group("pct").lower()
                value = _FRACTIONS.get(raw) or float(raw.split()[0])
                out.append(ClaimSpan(start, end, quantity, float(value), qualifier, raw, "percent"))
                continue
            lo = groups.get("lo") or groups.get("lo2")
            if lo:
                hi = str(groups.get("hi") or groups.get("hi2") or lo)
                out.append(
                    ClaimSpan(
                        start,
                        end,
                        quantity,
                        float(lo),
                        "range",
                        f"{lo}-{hi}",
                        "people",
                        value_high=float(hi),
                    )
                )
                continue
            raw = m.group("num")
            value_num = parse_number(raw)
            if value_num is None:
                qualifier, value_num = "vague", 0.0
            place = (
                (offset + m.start("place"), offset + m.end("place"))
                if groups.get("place")
                else None
            )
            if "place" in groups and place is None:
                continue  # a bare "40 people" is no toll
            who = sentence[m.end("num") : m.end()].strip()
            if _PERPETRATORS_AND.match(who):
                continue  # "five attackers and two guards dead": the guards are read apart
            unit = "attackers" if _PERPETRATORS.match(who) else "people"
            out.append(
                ClaimSpan(start, end, quantity, value_num, qualifier, raw, unit, place=place)
            )
    out.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[ClaimSpan] = []
    for c in out:
        if any(k.quantity == c.quantity and k.start <= c.start and c.end <= k.end for k in kept):
            continue
        if any(k.quantity == c.quantity and k.value == c.value and c.start < k.end for k in kept):
            continue  # two overlapping readings of one number ("killed 64 people in Kabul")
        kept = [
            k
            for k in kept
            if not (k.quantity == c.quantity and c.start <= k.start and k.end <= c.end)
        ]
        kept.append(c)
    return kept
