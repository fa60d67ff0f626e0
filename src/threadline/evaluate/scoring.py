"""Score an analysis export against a gold standard, by the rule in ``gold/README.md``.

The rule ("How it is scored" and "Added with dev.json") is shared with the
gold's own ``score.py`` so that figures from different tools mean the same:
for the same export, documents and gold, :func:`score` gives every figure
``score.py`` prints with the same value (``tests/evaluate/test_parity.py``
checks it). Pure functions: :func:`score` takes the export (the ``threadline
export --format json`` document, as a dict), the gold (as a dict) and the
document texts, and returns an :class:`~threadline.evaluate.report.EvalReport`;
:func:`load_gold` and :func:`~threadline.evaluate.documents.document_texts`
are the only I/O.

How the rule reads where the README is brief:

* **Matching.** An exported entity's names are its ``name``, ``names`` and
  ``aliases`` as listed (a name listed twice votes twice). Each one that,
  folded, is a name of gold records of the entity's kind (Person -> gold
  persons; Organization/LegalEntity/Company/PublicBody -> gold organisations)
  gives each of them 3 votes when it holds a space, else 1. The most voted
  record wins; among equals, the one named first (in the entity's name order,
  then the gold file's order).
* **Over-merged.** A person is over-merged when two gold persons get votes and
  the top two are equal or two of them get 3 votes or more. It is counted,
  and still stands for its winner in every other figure.
* **Ends.** A tie's end is the gold record its entity stands for; ties with an
  end that stands for none count in no pair figure (only in
  ``ties_unmapped_endpoint``), except in the strict precision, where every
  stated tie between two exported persons/organisations counts.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from threadline.errors import GoldFileError
from threadline.evaluate.documents import document_texts, map_documents
from threadline.evaluate.report import (
    AliasRef,
    AliasScores,
    ContradictionRef,
    ContradictionScores,
    EntityRef,
    EvalReport,
    EvidenceScores,
    GoldRef,
    NoiseHit,
    OrganizationScores,
    OverMerged,
    PairRef,
    PersonScores,
    RoleScores,
    SplitPerson,
    TieScores,
)

#: Entity schemata that are compared with gold organisations.
ORGANIZATION_SCHEMATA = frozenset({"Organization", "LegalEntity", "Company", "PublicBody"})

#: Relation types whose person/organisation pairs make the gold tie pairs, with the
#: class of each for the typed figures (README: family | associate, recruited_by |
#: member_of, leader_of | communicated_with, shared_residence, travelled_with |
#: funded, other). An exported type outside this table is in the class of "other".
TYPE_CLASSES: Mapping[str, str] = {
    "family": "family",
    "associate": "associate",
    "recruited_by": "associate",
    "member_of": "membership",
    "leader_of": "membership",
    "communicated_with": "contact",
    "shared_residence": "contact",
    "travelled_with": "contact",
    "funded": "other",
    "other": "other",
}
PAIR_TYPES = frozenset(TYPE_CLASSES)

#: Tie types that read one way ("a member_of b"); the direction figure checks them.
DIRECTED_TYPES = frozenset({"member_of", "leader_of", "recruited_by", "funded"})

#: Sections of ``noise`` whose strings an exported person must not carry.
NOISE_SECTIONS = ("comment_handles", "non_entities_to_avoid")

_GOLD_SECTIONS = ("persons", "organizations", "relations")
_CURLY_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_EDGE_PUNCTUATION = " \"'.,;:()"
_SPACES = re.compile(r"\s+")
_FIRST_NUMBER = re.compile(r"\d[\d,]*")
_DIGITS = re.compile(r"\d+")


def fold_name(s: str) -> str:
    """Fold a name for comparison, as the gold README's "Name folding" says.

    Unicode NFKD with combining marks dropped, the curly quotes ‘ ’ “ ” made
    straight, outer white space and then one trailing possessive ``'s``
    removed, surrounding spaces, quotes and ``.,;:()`` stripped, inner white
    space collapsed to one space, case folded.

    This is deliberately not :func:`threadline.model.names.fold`: the
    extraction may tune its folding, the scoring rule must not move.

    >>> fold_name("Zoë Haddou")
    'zoe haddou'
    >>> fold_name("Haddou’s"), fold_name("“Haddou’s”")
    ('haddou', "haddou's")
    >>> fold_name("  Karim   H. ")
    'karim h'
    """
    t = unicodedata.normalize("NFKD", s)
    t = "".join(c for c in t if not unicodedata.combining(c)).translate(_CURLY_QUOTES).strip()
    if t.endswith("'s"):
        t = t[:-2]
    return _SPACES.sub(" ", t.strip(_EDGE_PUNCTUATION)).casefold()


def load_gold(path: str | Path) -> dict[str, Any]:
    """Read a gold file (JSON, such as ``shared/gold/seeds.json``).

    Raises ``ValueError`` naming the file when it is not JSON or lacks the
    gold's ``persons``, ``organizations`` or ``relations`` lists; a missing
    file raises ``FileNotFoundError`` as usual.
    """
    path = Path(path)
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GoldFileError(str(path), f"not a gold file: not UTF-8 JSON ({exc})") from None
    _check_gold(data, str(path))
    return data


def _check_gold(gold: Any, source: str) -> None:
    if not isinstance(gold, Mapping):
        raise GoldFileError(source, "not a gold file: expected a JSON object")
    missing = [k for k in _GOLD_SECTIONS if not isinstance(gold.get(k), list)]
    if missing:
        raise GoldFileError(
            source,
            f"not a gold file: no {', '.join(repr(k) for k in missing)} list "
            f"(a gold file has {', '.join(_GOLD_SECTIONS)}; see gold/README.md)",
        )
    for section in ("persons", "organizations"):
        for i, rec in enumerate(gold[section]):
            if not (isinstance(rec, Mapping) and rec.get("id") and rec.get("canonical")):
                raise GoldFileError(source, f"not a gold file: {section}[{i}] has no id/canonical")


def _ratio(numerator: int, denominator: int) -> float:
    """A figure as the rule states it: four decimals, 0.0 over an empty denominator."""
    return round(numerator / denominator, 4) if denominator else 0.0


def type_class(tie_type: str | None) -> str:
    """The class of a gold or exported tie type for the typed figures.

    >>> type_class("funded") == type_class("other") == type_class("participated_in")
    True
    >>> type_class("recruited_by") == type_class("associate")
    True
    """
    return TYPE_CLASSES.get(str(tie_type), "other")


# --- the gold -------------------------------------------------------------------


@dataclass(frozen=True)
class _Gold:
    """The gold file as the rule reads it."""

    kinds: Mapping[str, str]  # gold id -> "person" | "org"
    names: Mapping[str, tuple[str, ...]]  # folded name -> gold ids, in file order
    canonical: Mapping[str, str]
    excluded: frozenset[str]  # persons neither required nor counted against precision
    noise: frozenset[str]
    pairs: Mapping[frozenset[str], frozenset[str]]  # gold pair -> type classes
    pair_types: Mapping[frozenset[str], tuple[str, ...]]  # gold pair -> relation types
    pair_ends: Mapping[frozenset[str], tuple[str, str]]  # gold pair -> ends as first stated
    directed: frozenset[tuple[str, str]]

    @classmethod
    def read(cls, gold: Mapping[str, Any]) -> _Gold:
        kinds: dict[str, str] = {}
        names: dict[str, list[str]] = defaultdict(list)
        canonical: dict[str, str] = {}
        for section, kind in (("persons", "person"), ("organizations", "org")):
            for rec in gold[section]:
                kinds[rec["id"]] = kind
                canonical[rec["id"]] = rec["canonical"]
                for name in (rec["canonical"], *rec.get("mentions", ()), *rec.get("aliases", ())):
                    ids = names[fold_name(name)]
                    if rec["id"] not in ids:
                        ids.append(rec["id"])
        noise_lists = gold.get("noise") or {}
        pairs: dict[frozenset[str], set[str]] = defaultdict(set)
        ends: dict[frozenset[str], tuple[str, str]] = {}
        directed: set[tuple[str, str]] = set()
        for rel in gold["relations"]:
            a, b, kind = rel.get("a"), rel.get("b"), rel.get("type")
            if a not in kinds or b not in kinds:
                continue
            if kind in PAIR_TYPES and a != b:
                pairs[frozenset((a, b))].add(type_class(kind))
                ends.setdefault(frozenset((a, b)), (a, b))
            if kind in DIRECTED_TYPES:
                directed.add((a, b))
        return cls(
            kinds=kinds,
            names={n: tuple(ids) for n, ids in names.items()},
            canonical=canonical,
            excluded=_excluded_persons(gold),
            noise=frozenset(
                fold_name(s) for section in NOISE_SECTIONS for s in noise_lists.get(section, ())
            ),
            pairs={k: frozenset(v) for k, v in pairs.items()},
            pair_types=gold_pairs(gold),
            pair_ends=ends,
            directed=frozenset(directed),
        )


def _excluded_persons(gold: Mapping[str, Any]) -> frozenset[str]:
    """Gold persons marked ``"optional": true``; in a gold file without roles
    (the seeds-era format), also the photographers named in picture credits,
    whom the README keeps out of every network."""
    seeds_era = not any(p.get("role_class") for p in gold["persons"])
    return frozenset(
        p["id"]
        for p in gold["persons"]
        if p.get("optional")
        or (seeds_era and any("photographer" in str(r).lower() for r in p.get("roles") or ()))
    )


def gold_pairs(gold: Mapping[str, Any]) -> dict[frozenset[str], tuple[str, ...]]:
    """The gold tie pairs: unordered {a, b} -> the relation types stated for it.

    Relations of a :data:`PAIR_TYPES` type whose two ends are gold persons or
    organisations and differ, types in the order of their first relation.

    >>> gold = {"persons": [{"id": "p", "canonical": "P"}, {"id": "q", "canonical": "Q"}],
    ...         "organizations": [], "relations": [{"a": "p", "b": "q", "type": "family"},
    ...         {"a": "q", "b": "p", "type": "associate"}, {"a": "p", "b": "p", "type": "other"}]}
    >>> gold_pairs(gold)[frozenset({"p", "q"})]
    ('family', 'associate')
    """
    ids = {r["id"] for r in (*gold["persons"], *gold["organizations"])}
    pairs: dict[frozenset[str], list[str]] = {}
    for rel in gold["relations"]:
        a, b, kind = rel.get("a"), rel.get("b"), rel.get("type")
        if kind in PAIR_TYPES and a in ids and b in ids and a != b:
            types = pairs.setdefault(frozenset((a, b)), [])
            if kind not in types:
                types.append(kind)
    return {k: tuple(v) for k, v in pairs.items()}


# --- matching -------------------------------------------------------------------


@dataclass(frozen=True)
class _Match:
    """The gold record an exported entity stands for, and the records its names point to."""

    gold_id: str | None
    candidates: tuple[str, ...]  # heaviest first
    over_merged: bool


def _entity_names(entity: Mapping[str, Any]) -> list[str]:
    listed = [entity.get("name", ""), *(entity.get("names") or ()), *(entity.get("aliases") or ())]
    return [n for n in listed if isinstance(n, str)]


def _match(entity: Mapping[str, Any], gold: _Gold, kind: str) -> _Match:
    votes: dict[str, int] = {}
    for name in _entity_names(entity):
        weight = 3 if " " in name.strip() else 1
        for gold_id in gold.names.get(fold_name(name), ()):
            if gold.kinds.get(gold_id) == kind:
                votes[gold_id] = votes.get(gold_id, 0) + weight
    if not votes:
        return _Match(None, (), False)
    ranked = tuple(sorted(votes, key=lambda g: -votes[g]))  # stable: first named first
    heavy = sum(1 for v in votes.values() if v >= 3)
    over = len(ranked) > 1 and (votes[ranked[0]] == votes[ranked[1]] or heavy > 1)
    return _Match(ranked[0], ranked, over)


def _display(entity: Mapping[str, Any]) -> str:
    names = _entity_names(entity)
    return next((n for n in names if n), str(entity.get("id", "")))


# --- the score --------------------------------------------------------------------


def score(
    export: Mapping[str, Any],
    gold: Mapping[str, Any],
    *,
    texts: Mapping[str, str] | None = None,
    docs_dir: str | Path | None = None,
) -> EvalReport:
    """Score ``export`` (a threadline JSON export) against ``gold`` (a gold file's data).

    Evidence quotes are checked against ``texts`` (exported document id ->
    text) when given, else against :func:`document_texts` of ``docs_dir``
    and the export. Raises ``ValueError`` when ``gold`` is not a gold file or
    the export's ``threadline_export`` version is not 1 (a missing version is
    accepted, for hand-built exports).

    >>> gold = {"persons": [{"id": "p1", "canonical": "Karim Haddou",
    ...          "mentions": ["Haddou"], "aliases": []}],
    ...         "organizations": [], "relations": []}
    >>> export = {"entities": [{"id": "e1", "schema": "Person", "name": "Haddou"}]}
    >>> score(export, gold).persons.recall
    1.0
    """
    _check_gold(gold, "gold")
    version = export.get("threadline_export", 1)
    if version != 1:
        raise GoldFileError(
            "export", f"threadline_export version {version!r} is not 1; cannot score it"
        )
    known = _Gold.read(gold)
    entities = [e for e in export.get("entities") or () if isinstance(e, Mapping)]
    persons = [e for e in entities if e.get("schema") == "Person"]
    orgs = [e for e in entities if e.get("schema") in ORGANIZATION_SCHEMATA]
    person_matches = {e["id"]: _match(e, known, "person") for e in persons}
    org_matches = {e["id"]: _match(e, known, "org") for e in orgs}
    stands_for = {
        eid: m.gold_id
        for eid, m in (*person_matches.items(), *org_matches.items())
        if m.gold_id is not None
    }
    return EvalReport(
        evidence=_score_evidence(
            export, texts if texts is not None else document_texts(export, docs_dir)
        ),
        persons=_score_persons(gold, known, persons, person_matches),
        roles=_score_roles(gold, persons, person_matches),
        aliases=_score_aliases(gold, persons, person_matches),
        organizations=_score_organizations(gold, org_matches),
        ties=_score_ties(export, known, entities, stands_for),
        contradictions=_score_contradictions(gold, export, entities),
    )


def _score_evidence(export: Mapping[str, Any], texts: Mapping[str, str]) -> EvidenceScores:
    checked = wrong = 0
    for section in ("entities", "ties", "claims"):
        for item in export.get(section) or ():
            for ev in item.get("evidence") or ():
                checked += 1
                text = texts.get(ev.get("document"))
                span = None if text is None else text[ev.get("start", 0) : ev.get("end", 0)]
                wrong += span != ev.get("quote") or text is None
    # the share of exact quotes, computed as one minus the share of wrong ones as score.py does
    # (the two can differ in the last bit, and so in the fourth decimal)
    return EvidenceScores(checked, round(1 - wrong / checked, 4) if checked else 0.0, len(texts))


def _score_persons(
    gold: Mapping[str, Any],
    known: _Gold,
    persons: Sequence[Mapping[str, Any]],
    matches: Mapping[str, _Match],
) -> PersonScores:
    by_gold: dict[str, list[str]] = defaultdict(list)
    noise: list[NoiseHit] = []
    over: list[OverMerged] = []
    false: list[EntityRef] = []
    counted = matching = 0
    for entity in persons:
        eid, m, name = entity["id"], matches[entity["id"]], _display(entity)
        hit = next((n for n in _entity_names(entity) if n and fold_name(n) in known.noise), None)
        if hit is not None:
            noise.append(NoiseHit(eid, name, hit))
        if m.gold_id is None:
            false.append(EntityRef(eid, name))
            counted += 1
            continue
        if m.over_merged:
            over.append(OverMerged(eid, name, m.candidates, m.gold_id))
        by_gold[m.gold_id].append(eid)
        if m.gold_id not in known.excluded:
            counted += 1
            matching += 1
    required = [p for p in gold["persons"] if p["id"] not in known.excluded]
    found = sum(1 for p in required if p["id"] in by_gold)
    return PersonScores(
        gold=len(required),
        exported=len(persons),
        recall=_ratio(found, len(required)),
        precision=_ratio(matching, counted),
        split=tuple(
            SplitPerson(g, known.canonical[g], tuple(eids))
            for g, eids in by_gold.items()
            if len(eids) > 1
        ),
        over_merged=tuple(over),
        noise=tuple(noise),
        missed=tuple(GoldRef(p["id"], p["canonical"]) for p in required if p["id"] not in by_gold),
        false=tuple(false),
    )


def _score_roles(
    gold: Mapping[str, Any], persons: Sequence[Mapping[str, Any]], matches: Mapping[str, _Match]
) -> RoleScores | None:
    """Roles, for gold files that give ``role_class``: each exported person standing for a
    gold person with a role is judged (so a split person is judged once per entity)."""
    gold_role = {p["id"]: p["role_class"] for p in gold["persons"] if p.get("role_class")}
    if not gold_role:
        return None
    judged = right = with_role = said_network = network_right = 0
    network_found: set[str] = set()
    wrong: list[str] = []
    for entity in persons:
        gold_id, role = matches[entity["id"]].gold_id, entity.get("role")
        if gold_id in gold_role:
            judged += 1
            with_role += bool(role)
            right += role == gold_role[gold_id]
            if role != gold_role[gold_id]:
                wrong.append(f"{_display(entity)}: {role or 'no role'}, gold {gold_role[gold_id]}")
        if role == "network":
            said_network += 1
            if gold_id is not None and gold_role.get(gold_id) == "network":
                network_right += 1
                network_found.add(gold_id)
    gold_network = [g for g, r in gold_role.items() if r == "network"]
    return RoleScores(
        accuracy=_ratio(right, judged),
        coverage=_ratio(with_role, judged),
        network_precision=_ratio(network_right, said_network),
        network_recall=_ratio(len(network_found), len(gold_network)),
        wrong=tuple(wrong),
    )


def _score_aliases(
    gold: Mapping[str, Any], persons: Sequence[Mapping[str, Any]], matches: Mapping[str, _Match]
) -> AliasScores:
    """Each gold alias (handles such as "@…" aside) counts when one exported person standing
    for its gold person carries both the person's canonical name and the alias."""
    carried: dict[str, list[frozenset[str]]] = defaultdict(list)
    for entity in persons:
        gold_id = matches[entity["id"]].gold_id
        if gold_id is not None:
            carried[gold_id].append(frozenset(fold_name(n) for n in _entity_names(entity)))
    found: list[AliasRef] = []
    missed: list[AliasRef] = []
    for person in gold["persons"]:
        canon = fold_name(person["canonical"])
        for alias in person.get("aliases") or ():
            if alias.startswith("@"):
                continue
            ref = AliasRef(person["id"], person["canonical"], alias)
            folded = fold_name(alias)
            hit = any(canon in names and folded in names for names in carried[person["id"]])
            (found if hit else missed).append(ref)
    return AliasScores(_ratio(len(found), len(found) + len(missed)), tuple(found), tuple(missed))


def _score_organizations(
    gold: Mapping[str, Any], matches: Mapping[str, _Match]
) -> OrganizationScores:
    hit = {m.gold_id for m in matches.values() if m.gold_id is not None}
    orgs = gold["organizations"]
    missed = tuple(GoldRef(o["id"], o["canonical"]) for o in orgs if o["id"] not in hit)
    matched = len(orgs) - len(missed)
    return OrganizationScores(_ratio(matched, len(orgs)), matched, len(orgs), missed)


def _score_ties(
    export: Mapping[str, Any],
    known: _Gold,
    entities: Sequence[Mapping[str, Any]],
    stands_for: Mapping[Any, str],
) -> TieScores:
    ties = [t for t in export.get("ties") or () if isinstance(t, Mapping)]
    names = {e["id"]: _display(e) for e in entities}
    actors = {
        e["id"]
        for e in entities
        if e.get("schema") == "Person" or e.get("schema") in ORGANIZATION_SCHEMATA
    }

    # every tie whose two ends stand for gold records
    mapped: dict[frozenset[str], set[str]] = defaultdict(set)
    unmapped = 0
    for tie in ties:
        a, b = stands_for.get(tie.get("source")), stands_for.get(tie.get("target"))
        if a is None or b is None:
            unmapped += 1
        elif a != b:
            mapped[frozenset((a, b))].add(type_class(tie.get("type")))
    hits = [k for k in mapped if k in known.pairs]

    # stated ties only: every pair of exported actors counts, known to the gold or not
    stated = [t for t in ties if not t.get("inferred")]
    stated_pairs: dict[frozenset[Any], list[str]] = {}
    stated_hits: set[frozenset[Any]] = set()
    typed = typed_right = 0
    mistyped: list[PairRef] = []
    for tie in stated:
        source, target = tie.get("source"), tie.get("target")
        if source not in actors or target not in actors or source == target:
            continue
        a, b = stands_for.get(source), stands_for.get(target)
        if a is None or b is None:
            key: frozenset[Any] = frozenset((("entity", source), ("entity", target)))
        elif a == b:
            continue
        else:
            key = frozenset((a, b))
        stated_pairs.setdefault(key, []).append(str(tie.get("type")))
        if key in known.pairs and a is not None and b is not None:
            stated_hits.add(key)
            typed += 1
            if type_class(tie.get("type")) in known.pairs[key]:
                typed_right += 1
            else:
                mistyped.append(_gold_pair_ref(known, a, b, (str(tie.get("type")),)))

    directed_judged = directed_right = 0
    wrong_direction: list[PairRef] = []
    for tie in stated:
        kind = tie.get("type")
        if kind not in DIRECTED_TYPES:
            continue
        a, b = stands_for.get(tie.get("source")), stands_for.get(tie.get("target"))
        if a is None or b is None or not ({(a, b), (b, a)} & known.directed):
            continue
        directed_judged += 1
        if (a, b) in known.directed:
            directed_right += 1
        else:
            wrong_direction.append(_gold_pair_ref(known, a, b, (str(kind),)))

    person_pairs = [k for k in known.pairs if all(known.kinds[g] == "person" for g in k)]

    def end_name(end: Any) -> str:
        if isinstance(end, tuple):
            return names.get(end[1], str(end[1]))
        return known.canonical[end]

    false_stated = []
    for key, types in stated_pairs.items():
        if key not in known.pairs:
            a_name, b_name = sorted(end_name(end) for end in key)
            false_stated.append(PairRef(a_name, b_name, (), tuple(types)))
    return TieScores(
        gold=len(known.pairs),
        exported_mapped=len(mapped),
        unmapped_endpoint=unmapped,
        recall=_ratio(len(hits), len(known.pairs)),
        precision=_ratio(len(hits), len(mapped)),
        typed_recall=_ratio(sum(1 for k in hits if mapped[k] & known.pairs[k]), len(known.pairs)),
        direction_accuracy=_ratio(directed_right, directed_judged),
        stated_pairs=len(stated_pairs),
        precision_strict=_ratio(len(stated_hits), len(stated_pairs)),
        recall_stated=_ratio(len(stated_hits), len(known.pairs)),
        typed_precision=_ratio(typed_right, typed),
        person_person_recall=_ratio(sum(1 for k in person_pairs if k in mapped), len(person_pairs)),
        person_person_missed=tuple(
            sorted(" — ".join(sorted(k)) for k in person_pairs if k not in mapped)
        ),
        missed_stated=tuple(
            _gold_pair_ref(known, *known.pair_ends[k], ())
            for k in known.pairs
            if k not in stated_hits
        ),
        false_stated=tuple(sorted(false_stated, key=lambda p: (p.a_name, p.b_name))),
        mistyped=tuple(mistyped),
        wrong_direction=tuple(wrong_direction),
    )


def _gold_pair_ref(known: _Gold, a: str, b: str, exported_types: tuple[str, ...]) -> PairRef:
    types = known.pair_types.get(frozenset((a, b)), ())
    return PairRef(known.canonical[a], known.canonical[b], types, exported_types)


# --- contradictions -----------------------------------------------------------------


def claim_numbers(value: Any) -> set[int]:
    """Every whole number written in a claim value (thousands commas dropped).

    >>> sorted(claim_numbers("1,200 to 1,300"))
    [1200, 1300]
    """
    return {int(n) for n in _DIGITS.findall(str(value).replace(",", ""))}


def topic_numbers(values: Iterable[Any]) -> list[int]:
    """The different numbers of a gold contradiction topic: the first number of each value.

    >>> topic_numbers(["at least 26", "at least 31", "31", "dozens (caption)", "2015-11-13"])
    [26, 31, 2015]
    """
    found: list[int] = []
    for value in values:
        m = _FIRST_NUMBER.search(str(value))
        if m and int(m.group().replace(",", "")) not in found:
            found.append(int(m.group().replace(",", "")))
    return found


def _score_contradictions(
    gold: Mapping[str, Any], export: Mapping[str, Any], entities: Sequence[Mapping[str, Any]]
) -> ContradictionScores:
    """A gold topic with two or more different numbers is found when one exported conflict
    holds claims of one quantity, from the topic's documents, whose values carry two
    different numbers of the topic; topics without two numbers are not scored."""
    claims = {c.get("id"): c for c in export.get("claims") or () if isinstance(c, Mapping)}
    gold_doc = map_documents(export, gold)
    names = {e["id"]: _display(e) for e in entities}
    found: list[ContradictionRef] = []
    missed: list[ContradictionRef] = []
    for topic in gold.get("contradictions") or ():
        numbers = topic_numbers(v["value"] for v in topic.get("values") or ())
        if len(numbers) < 2:
            continue
        docs = {v.get("doc") for v in topic.get("values") or ()} - {None}
        by = None
        for conflict in export.get("conflicts") or ():
            seen: dict[Any, set[int]] = defaultdict(set)
            for claim_id in conflict.get("claims") or ():
                claim = claims.get(claim_id)
                if claim is None:
                    continue
                claim_docs = {
                    gold_doc.get(ev.get("document")) for ev in claim.get("evidence") or ()
                }
                if claim_docs & docs:
                    seen[claim.get("quantity")] |= claim_numbers(claim.get("value", "")) & set(
                        numbers
                    )
            if any(len(v) >= 2 for v in seen.values()):
                subject = conflict.get("subject")
                by = f"{names.get(subject, subject)} {conflict.get('quantity') or ''}".strip()
                break
        ref = ContradictionRef(str(topic.get("topic")), tuple(numbers), by)
        (found if by else missed).append(ref)
    return ContradictionScores(len(found), len(found) + len(missed), tuple(found), tuple(missed))
