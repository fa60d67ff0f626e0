"""Score an analysis export against a gold standard, by the rule in ``gold/README.md``.

The rule ("How it is scored") is fixed so that figures from different tools
mean the same; this module implements it and nothing more. Pure functions:
:func:`score` takes the export (the ``threadline export --format json``
document, as a dict) and the gold (as a dict) and returns an
:class:`~threadline.evaluate.report.EvalReport`; :func:`load_gold` is the only
I/O.

Decisions where the README leaves room, applied throughout:

* **Matching.** A Person entity is compared with gold persons only, an
  Organization/LegalEntity/Company/PublicBody entity with gold organisations
  only. Its names are ``name``, ``names`` and ``aliases``, folded and
  de-duplicated; each distinct folded name weighs 3 if it contains a space,
  else 1, and a gold record's weight is the sum over the entity's names that
  are one of its names. The heaviest gold record wins.
* **Over-merged.** An entity is over-merged when the top weight is shared, or
  when it carries full names (with a space) that are each the name of exactly
  one gold record and those records differ. An over-merged entity matches *no*
  gold record: it does not count towards recall (of any of the persons it
  mixes), and it counts against precision as an exported person that matches
  no single gold person, unless every person it mixes is optional. A full name
  that is itself the name of two gold records only adds weight (it cannot say
  which one the entity is).
* **Ties** whose end is an over-merged entity, an unmatched entity, an entity
  of another schema (Address, Event) or an unknown id are counted neither way;
  so are ties whose two ends map to the same gold record. Only exported ties
  of the gold's tie types count (``participated_in`` and ``located_in`` ties
  go to events and places, which the pair figure leaves out), and ties marked
  ``"inferred": true`` are left out unless ``include_inferred`` is set.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from threadline.evaluate.report import (
    AliasRef,
    AliasScores,
    ContradictionRef,
    ContradictionScores,
    EntityRef,
    EvalReport,
    GoldRef,
    NoiseHit,
    OrganizationScores,
    OverMerged,
    PairRef,
    PersonScores,
    SplitPerson,
    TieScores,
)
from threadline.model.vocabulary import TIE_TYPES

#: Photographers credited in the seeds' pictures: persons, but in no network
#: (gold/README.md). Neither required nor counted against precision.
SEED_PHOTOGRAPHERS = ("Jef Versele", "Philippe Wojazer", "Sandra Auger", "Francois Lenoir")

#: Entity schemata that are compared with gold organisations.
ORGANIZATION_SCHEMATA = frozenset({"Organization", "LegalEntity", "Company", "PublicBody"})

#: Relation types whose person/organisation pairs make the gold tie pairs.
PAIR_TYPES = frozenset(
    {"family", "associate", "member_of", "leader_of", "communicated_with", "shared_residence",
     "travelled_with", "recruited_by", "funded", "other"}
)  # fmt: skip

#: Gold types outside the export's tie vocabulary, and the export type that stands for them.
_GOLD_ONLY_TYPES = {"funded": "other"}

_GOLD_SECTIONS = ("persons", "organizations", "relations")

_CURLY_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
     "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"'}
)  # fmt: skip
_BRACKETS = {"(": ")", "[": "]", "{": "}"}
_POSSESSIVE = re.compile(r"'[sS]$")


def fold_name(s: str) -> str:
    """Fold a name for comparison, exactly as the gold README's "Name folding" says.

    Unicode NFKD with combining marks dropped, curly quotes made straight, a
    trailing possessive ``'s`` and surrounding quotes/punctuation stripped
    (repeatedly, so ``“Saleh’s”,`` loses all of it), white space collapsed,
    case folded. A bracket is only stripped when it is not closed or opened
    inside the name, so ``Islamic State (ISIS)`` keeps its parentheses.

    This is deliberately not :func:`threadline.model.names.fold`: the
    extraction may tune its folding, the scoring rule must not move.

    >>> fold_name("Mohammed Belkaïd")
    'mohammed belkaid'
    >>> fold_name("“Saleh’s”")
    'saleh'
    >>> fold_name("  Abderamane   A. ")
    'abderamane a'
    """
    t = unicodedata.normalize("NFKD", s)
    t = "".join(c for c in t if not unicodedata.combining(c)).translate(_CURLY_QUOTES)
    t = " ".join(t.split())
    previous = None
    while t != previous:
        previous = t
        t = _strip_punctuation(_POSSESSIVE.sub("", _strip_punctuation(t)))
    return t.casefold()


def _is_punct(c: str) -> bool:
    return unicodedata.category(c).startswith("P")


def _encloses(t: str) -> bool:
    """True when ``t`` opens with a bracket that closes at its very end: "(ISIS)"."""
    close = _BRACKETS.get(t[0])
    depth = 0
    for i, c in enumerate(t):
        depth += (c == t[0]) - (c == close)
        if depth == 0:
            return i == len(t) - 1
    return False


def _strip_punctuation(t: str) -> str:
    """Strip surrounding punctuation, keeping brackets that pair with one inside the name."""
    t = t.strip()
    while t:
        first, last = t[0], t[-1]
        if first in _BRACKETS and _encloses(t):
            t = t[1:-1].strip()
        elif _is_punct(first) and not (first in _BRACKETS and _BRACKETS[first] in t):
            t = t[1:].strip()
        elif _is_punct(last) and not any(last == c and o in t for o, c in _BRACKETS.items()):
            t = t[:-1].strip()
        else:
            break
    return t


def load_gold(path: str | Path) -> dict[str, Any]:
    """Read a gold file (JSON, such as ``shared/gold/seeds.json``).

    Raises ``ValueError`` naming the file when it is not JSON or lacks the
    gold's ``persons``, ``organizations`` or ``relations`` lists; a missing
    file raises ``FileNotFoundError`` as usual.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not a gold file: not UTF-8 JSON ({exc})") from None
    _check_gold(data, str(path))
    return data


def _check_gold(gold: Any, source: str) -> None:
    if not isinstance(gold, Mapping):
        raise ValueError(f"{source}: not a gold file: expected a JSON object")
    missing = [k for k in _GOLD_SECTIONS if not isinstance(gold.get(k), list)]
    if missing:
        raise ValueError(
            f"{source}: not a gold file: no {', '.join(repr(k) for k in missing)} list "
            f"(a gold file has {', '.join(_GOLD_SECTIONS)}; see gold/README.md)"
        )
    for section in ("persons", "organizations"):
        for i, rec in enumerate(gold[section]):
            if not (isinstance(rec, Mapping) and rec.get("id") and rec.get("canonical")):
                raise ValueError(f"{source}: not a gold file: {section}[{i}] has no id/canonical")


# --- matching ---------------------------------------------------------------


@dataclass(frozen=True)
class _Match:
    """How one exported entity matches gold records: a winner, over-merged, or nothing."""

    gold_id: str | None
    candidates: tuple[str, ...]
    over_merged: bool


_NO_MATCH = _Match(None, (), False)


def _folded_names(record: Mapping[str, Any], *fields: str) -> frozenset[str]:
    """The folded, non-empty strings of ``fields`` (each a string or a list of strings)."""
    raw: list[Any] = []
    for name in fields:
        value = record.get(name)
        raw.extend([value] if isinstance(value, str) else value if isinstance(value, list) else ())
    return frozenset(f for f in (fold_name(n) for n in raw if isinstance(n, str)) if f)


def _name_index(records: Iterable[Mapping[str, Any]]) -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for rec in records:
        for name in _folded_names(rec, "canonical", "mentions", "aliases"):
            index[name].add(rec["id"])
    return {name: frozenset(ids) for name, ids in index.items()}


def _match(names: Iterable[str], index: Mapping[str, frozenset[str]]) -> _Match:
    weight: dict[str, int] = defaultdict(int)
    owners_of_full_names: set[str] = set()
    for name in names:
        owners = index.get(name, frozenset())
        full = " " in name
        for gold_id in owners:
            weight[gold_id] += 3 if full else 1
        if full and len(owners) == 1:
            owners_of_full_names |= owners
    if not weight:
        return _NO_MATCH
    ranked = tuple(sorted(weight, key=lambda g: (-weight[g], g)))
    tied = len(ranked) > 1 and weight[ranked[1]] == weight[ranked[0]]
    if tied or len(owners_of_full_names) > 1:
        return _Match(None, ranked, True)
    return _Match(ranked[0], ranked, False)


def _excluded_persons(gold: Mapping[str, Any]) -> frozenset[str]:
    photographers = {fold_name(n) for n in SEED_PHOTOGRAPHERS}
    return frozenset(
        p["id"]
        for p in gold["persons"]
        if p.get("optional") is True or fold_name(p["canonical"]) in photographers
    )


# --- the score --------------------------------------------------------------


def score(
    export: Mapping[str, Any], gold: Mapping[str, Any], *, include_inferred: bool = False
) -> EvalReport:
    """Score ``export`` (a threadline JSON export) against ``gold`` (a gold file's data).

    An over-merged entity matches no single gold person: it adds to no
    person's recall, counts against precision, and ties to it count neither
    way (module docstring has the whole rule). Raises ``ValueError`` when ``gold`` is not a gold file or the
    export's ``threadline_export`` version is not 1 (a missing version is
    accepted, for hand-built exports).

    >>> gold = {"persons": [{"id": "p1", "canonical": "Salah Abdeslam",
    ...          "mentions": ["Abdeslam"], "aliases": []}],
    ...         "organizations": [], "relations": []}
    >>> export = {"entities": [{"id": "e1", "schema": "Person", "name": "Abdeslam"}]}
    >>> score(export, gold).persons.recall
    1.0
    """
    _check_gold(gold, "gold")
    version = export.get("threadline_export", 1)
    if version != 1:
        raise ValueError(f"export: threadline_export version {version!r} is not 1; cannot score it")
    entities = [e for e in export.get("entities") or () if isinstance(e, Mapping)]
    by_id = {_entity_id(e, i): e for i, e in enumerate(entities)}
    names = {eid: _folded_names(e, "name", "names", "aliases") for eid, e in by_id.items()}
    excluded = _excluded_persons(gold)
    person_index = _name_index(gold["persons"])
    org_index = _name_index(gold["organizations"])
    person_matches = {
        eid: _match(names[eid], person_index)
        for eid, e in by_id.items()
        if e.get("schema") == "Person"
    }
    org_matches = {
        eid: _match(names[eid], org_index)
        for eid, e in by_id.items()
        if e.get("schema") in ORGANIZATION_SCHEMATA
    }
    gold_names = {r["id"]: r["canonical"] for r in (*gold["persons"], *gold["organizations"])}
    ends = {eid: m.gold_id for eid, m in (*person_matches.items(), *org_matches.items())}
    return EvalReport(
        persons=_score_persons(gold, excluded, by_id, names, person_matches, person_index),
        aliases=_score_aliases(gold, excluded, names.values()),
        organizations=_score_organizations(gold, org_matches),
        ties=_score_ties(gold, export, ends, gold_names, include_inferred=include_inferred),
        contradictions=_score_contradictions(gold, export, by_id),
    )


def _entity_id(entity: Mapping[str, Any], position: int) -> str:
    eid = entity.get("id")
    return str(eid) if eid is not None else f"#{position}"


def _display(entity: Mapping[str, Any]) -> str:
    name = entity.get("name")
    if isinstance(name, str) and name:
        return name
    return next((n for n in entity.get("names") or () if isinstance(n, str)), "")


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _noise_strings(gold: Mapping[str, Any], person_index: Mapping[str, Any]) -> dict[str, str]:
    """Folded noise strings -> original, minus those that are a gold person's name.

    Every string in ``noise`` counts (lists of strings, and ``surface`` of the
    listed dicts), except surface forms that the gold itself gives a person
    (the alias traps, "Brahim", "Abdeslam"): carrying those is right.
    """
    found: dict[str, str] = {}
    for value in (gold.get("noise") or {}).values():
        for item in value if isinstance(value, list) else ():
            text = item.get("surface") if isinstance(item, Mapping) else item
            if not isinstance(text, str):
                continue
            folded = fold_name(text)
            if folded and folded not in person_index:
                found.setdefault(folded, text)
    return found


def _score_persons(
    gold: Mapping[str, Any],
    excluded: frozenset[str],
    entities: Mapping[str, Mapping[str, Any]],
    names: Mapping[str, frozenset[str]],
    matches: Mapping[str, _Match],
    person_index: Mapping[str, frozenset[str]],
) -> PersonScores:
    canonical = {p["id"]: p["canonical"] for p in gold["persons"]}
    required = [p["id"] for p in gold["persons"] if p["id"] not in excluded]
    noise = _noise_strings(gold, person_index)
    matched_by: dict[str, list[str]] = defaultdict(list)
    exported = exported_matching = 0
    over_merged: list[OverMerged] = []
    false: list[EntityRef] = []
    noise_hits: list[NoiseHit] = []
    for eid, m in matches.items():
        name = _display(entities[eid])
        hits = [noise[n] for n in noise if n in names[eid]]
        if hits:
            noise_hits.append(NoiseHit(eid, name, hits[0]))
        if m.gold_id is not None:
            matched_by[m.gold_id].append(eid)
            if m.gold_id not in excluded:
                exported += 1
                exported_matching += 1
        elif m.over_merged:
            over_merged.append(OverMerged(eid, name, m.candidates))
            if not excluded.issuperset(m.candidates):
                exported += 1
        else:
            exported += 1
            false.append(EntityRef(eid, name))
    found = [g for g in required if g in matched_by]
    return PersonScores(
        precision=_ratio(exported_matching, exported),
        recall=_ratio(len(found), len(required)),
        matched=len(found),
        gold=len(required),
        exported=exported,
        exported_matching=exported_matching,
        split=tuple(
            SplitPerson(g, canonical[g], tuple(eids))
            for g, eids in matched_by.items()
            if len(eids) > 1
        ),
        over_merged=tuple(over_merged),
        noise=tuple(noise_hits),
        missed=tuple(GoldRef(g, canonical[g]) for g in required if g not in matched_by),
        false=tuple(false),
    )


def _score_aliases(
    gold: Mapping[str, Any], excluded: frozenset[str], entity_names: Iterable[frozenset[str]]
) -> AliasScores:
    """Each gold alias (handles such as "@…" aside) of a required person counts when one
    exported entity, of any schema, carries both the person's canonical name and the alias."""
    carried = list(entity_names)
    found: list[AliasRef] = []
    missed: list[AliasRef] = []
    for person in gold["persons"]:
        if person["id"] in excluded:
            continue
        canon = fold_name(person["canonical"])
        seen = {canon}
        for alias in person.get("aliases") or ():
            folded = fold_name(alias)
            if alias.strip().startswith("@") or not folded or folded in seen:
                continue
            seen.add(folded)
            ref = AliasRef(person["id"], person["canonical"], alias)
            hit = any(canon in n and folded in n for n in carried)
            (found if hit else missed).append(ref)
    return AliasScores(_ratio(len(found), len(found) + len(missed)), tuple(found), tuple(missed))


def _score_organizations(
    gold: Mapping[str, Any], matches: Mapping[str, _Match]
) -> OrganizationScores:
    required = [o for o in gold["organizations"] if o.get("optional") is not True]
    hit = {m.gold_id for m in matches.values() if m.gold_id is not None}
    missed = tuple(GoldRef(o["id"], o["canonical"]) for o in required if o["id"] not in hit)
    matched = len(required) - len(missed)
    return OrganizationScores(_ratio(matched, len(required)), matched, len(required), missed)


def type_class(tie_type: str) -> str | None:
    """The type class of a gold or exported tie type for the typed figure, or ``None``.

    Classes come from the tie vocabulary (:data:`threadline.model.TIE_TYPES`);
    the gold's ``funded`` is in the class of ``other`` (an exported ``other``
    tie with detail "funded" is how the export says it).

    >>> type_class("funded") == type_class("other")
    True
    """
    name = _GOLD_ONLY_TYPES.get(tie_type, tie_type)
    tie = TIE_TYPES.get(name)
    return tie.type_class if tie is not None else None


@dataclass
class _Pair:
    """Two gold records tied, in the order first stated, with every type stated for them."""

    a: str
    b: str
    types: list[str]

    def add(self, kind: str) -> None:
        if kind not in self.types:
            self.types.append(kind)


def _gold_pair_types(gold: Mapping[str, Any]) -> dict[frozenset[str], _Pair]:
    ids = {r["id"] for r in (*gold["persons"], *gold["organizations"])}
    pairs: dict[frozenset[str], _Pair] = {}
    for rel in gold["relations"]:
        a, b, kind = rel.get("a"), rel.get("b"), rel.get("type")
        if kind in PAIR_TYPES and a in ids and b in ids and a != b:
            pairs.setdefault(frozenset((a, b)), _Pair(a, b, [])).add(kind)
    return pairs


def gold_pairs(gold: Mapping[str, Any]) -> dict[frozenset[str], tuple[str, ...]]:
    """The gold tie pairs: unordered {a, b} -> the relation types stated for it.

    Relations of a :data:`PAIR_TYPES` type whose two ends are gold persons or
    organisations and differ, in the order of their first relation.

    >>> gold = {"persons": [{"id": "p", "canonical": "P"}, {"id": "q", "canonical": "Q"}],
    ...         "organizations": [], "relations": [{"a": "p", "b": "q", "type": "family"},
    ...         {"a": "q", "b": "p", "type": "associate"}, {"a": "p", "b": "p", "type": "other"}]}
    >>> gold_pairs(gold)[frozenset({"p", "q"})]
    ('family', 'associate')
    """
    return {key: tuple(pair.types) for key, pair in _gold_pair_types(gold).items()}


def _score_ties(
    gold: Mapping[str, Any],
    export: Mapping[str, Any],
    ends: Mapping[str, str | None],
    gold_names: Mapping[str, str],
    *,
    include_inferred: bool,
) -> TieScores:
    expected = _gold_pair_types(gold)
    found: dict[frozenset[str], _Pair] = {}
    for tie in export.get("ties") or ():
        if not isinstance(tie, Mapping) or (tie.get("inferred") is True and not include_inferred):
            continue
        kind = str(tie.get("type") or "").strip().lower()
        a, b = ends.get(str(tie.get("source"))), ends.get(str(tie.get("target")))
        if kind not in PAIR_TYPES or a is None or b is None or a == b:
            continue
        found.setdefault(frozenset((a, b)), _Pair(min(a, b), max(a, b), [])).add(kind)

    def ref(key: frozenset[str]) -> PairRef:
        pair = expected.get(key) or found[key]
        gold_types = tuple(expected[key].types) if key in expected else ()
        exported_types = tuple(found[key].types) if key in found else ()
        return PairRef(pair.a, pair.b, gold_names[pair.a], gold_names[pair.b], gold_types,
                       exported_types)  # fmt: skip

    def classes(pair: _Pair) -> set[str | None]:
        return {type_class(t) for t in pair.types}

    matched = [k for k in expected if k in found]
    mistyped = [k for k in matched if not classes(expected[k]) & classes(found[k])]
    typed_correct = len(matched) - len(mistyped)
    return TieScores(
        precision=_ratio(len(matched), len(found)),
        recall=_ratio(len(matched), len(expected)),
        matched=len(matched),
        exported=len(found),
        gold=len(expected),
        typed_correct=typed_correct,
        typed_accuracy=_ratio(typed_correct, len(expected)),
        missed=tuple(ref(k) for k in expected if k not in found),
        false=tuple(sorted((ref(k) for k in found if k not in expected), key=_pair_order)),
        mistyped=tuple(ref(k) for k in mistyped),
    )


def _pair_order(p: PairRef) -> tuple[str, str]:
    return (p.a_name.casefold(), p.b_name.casefold())


# --- contradictions -----------------------------------------------------------

# A value key is ("num", Decimal) or ("date", year, month, day) with None for
# an unstated year or day: "November 13" is ("date", None, 11, 13).
_Value = tuple[Any, ...]

_MONTHS = {
    m: i
    for i, names in enumerate(
        ("January Jan", "February Feb", "March Mar", "April Apr", "May", "June Jun",
         "July Jul", "August Aug", "September Sept Sep", "October Oct", "November Nov",
         "December Dec"),
        start=1,
    )
    for m in names.split()
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")(?![A-Za-z])\.?"
_ORD = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS = tuple(
    re.compile(p)
    for p in (
        r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?(?!\d)",
        rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}){_ORD}\b(?:,?\s+(?P<year>\d{{4}})\b)?",
        rf"\b(?P<day>\d{{1,2}}){_ORD}\s+{_MONTH}(?:,?\s+(?P<year>\d{{4}})\b)?",
        rf"\b{_MONTH},?\s+(?P<year>\d{{4}})\b",
    )
)
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?!\w)")
_YEAR = re.compile(r"1[89]\d\d|20\d\d")


def values_in(value: Any) -> set[_Value]:
    """The numbers and dates a claim value or a gold value string states.

    Dates are read first (ISO ``2015-11-13`` or ``2015-11``, ``November 13,
    2015``, ``13 November``, ``June 2015``) so their digits are not also read
    as numbers; then plain numbers (``at least 31`` -> 31, ``1,200``, ``2.5``),
    where a lone four-digit 1800-2099 is a year (``summer 2015``).
    Digits inside a word (``Sharia4Belgium``) and number words are not numbers.

    >>> sorted(values_in("at least 31"))
    [('num', Decimal('31'))]
    >>> values_in("November 14, 2015 (photo caption)")
    {('date', 2015, 11, 14)}
    """
    if isinstance(value, bool) or value is None:
        return set()
    if isinstance(value, int | float):
        return {("num", Decimal(str(value)))}
    text = str(value)
    found: set[_Value] = set()
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            month = m["month"]
            month_no = int(month) if month.isdigit() else _MONTHS[month.rstrip(".")]
            day = int(m["day"]) if m.groupdict().get("day") else None
            year = int(m["year"]) if m["year"] else None
            if 1 <= month_no <= 12 and (day is None or 1 <= day <= 31):
                found.add(("date", year, month_no, day))
                text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    for m in _NUMBER.finditer(text):
        if _YEAR.fullmatch(m[0]):
            found.add(("date", int(m[0]), None, None))
        else:
            found.add(("num", Decimal(m[1].replace(",", "") + (m[2] or ""))))
    return found


def _agrees(value: _Value, other: _Value) -> bool:
    """Whether ``value`` states ``other``: equal numbers (a number may be a bare year),
    or a date with every part ``other`` has ("2015-11-13" states "November 13";
    "2015-11" does not state "2015-11-13")."""
    if value[0] != other[0]:
        num, date = (value, other) if value[0] == "num" else (other, value)
        return date[2:] == (None, None) and num[1] == date[1]
    if value[0] == "num":
        return bool(value[1] == other[1])
    return all(o is None or v == o for v, o in zip(value[1:], other[1:], strict=True))


def _precision(v: _Value) -> int:
    return sum(x is not None for x in v[1:])


def distinct_values(values: Iterable[Any]) -> list[_Value]:
    """The different numbers among gold values; a date is dropped when a more precise
    date of the same topic agrees with it ("November 13" beside "November 13, 2015")."""
    keys = set().union(*(values_in(v) for v in values))
    return sorted(
        (k for k in keys if not any(_precision(o) > _precision(k) and _agrees(o, k) for o in keys)),
        key=render_value,
    )


def render_value(v: _Value) -> str:
    """A value key as text: ``31``, ``2015-11-13``, ``2015-06``, ``2015``, ``--11-13``."""
    if v[0] == "num":
        return format(v[1].normalize(), "f")
    year, month, day = v[1:]
    if month is None:
        return f"{year:04d}"
    head = f"{year:04d}-{month:02d}" if year is not None else f"--{month:02d}"
    return head + (f"-{day:02d}" if day is not None else "")


def _covers_two(gold_values: list[_Value], exported: set[_Value]) -> bool:
    """True when two different exported values state two different gold values."""
    agreeing = [{e for e in exported if _agrees(e, g)} for g in gold_values]
    return any(
        s and t and len(s | t) >= 2 for i, s in enumerate(agreeing) for t in agreeing[i + 1 :]
    )


def _score_contradictions(
    gold: Mapping[str, Any], export: Mapping[str, Any], entities: Mapping[str, Mapping[str, Any]]
) -> ContradictionScores:
    """A gold topic with two or more different numbers (dates included) is found when one
    exported conflict's claim values agree with at least two of them; topics without two
    different numbers (opposite theses, attributions) are not scored."""
    claims = {
        str(c.get("id")): c.get("value")
        for c in export.get("claims") or ()
        if isinstance(c, Mapping)
    }
    conflicts: list[tuple[str, set[_Value]]] = []
    for conflict in export.get("conflicts") or ():
        if not isinstance(conflict, Mapping):
            continue
        subject = str(conflict.get("subject"))
        label = (
            f"{_display(entities[subject]) or subject} ({subject})"
            if subject in entities
            else subject
        )
        label = f"{label} {conflict.get('quantity') or ''}".strip()
        ids = [str(c) for c in conflict.get("claims") or ()]
        conflicts.append((label, set().union(*(values_in(claims[c]) for c in ids if c in claims))))
    found: list[ContradictionRef] = []
    missed: list[ContradictionRef] = []
    for topic in gold.get("contradictions") or ():
        values = distinct_values(v.get("value") for v in topic.get("values") or ())
        if len(values) < 2:
            continue
        by = next((label for label, vs in conflicts if _covers_two(values, vs)), None)
        ref = ContradictionRef(str(topic.get("topic")), tuple(map(render_value, values)), by)
        (found if by else missed).append(ref)
    return ContradictionScores(len(found), len(found) + len(missed), tuple(found), tuple(missed))
