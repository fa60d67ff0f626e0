"""Mentions to identities: one entity per person, group, place and event.

Needs: mentions, assertions (ties and aliases) and claims of every document.
Produces: :class:`Entity` and :class:`Tie` records whose ids are content hashes
of what they rest on, so they survive re-runs and incremental ingest.

Evidence for a merge, strongest first:

1. the same in-document key (a partial name the extractor tied to its full
   name in that document);
2. a declared alias in the text ("better known as", "a.k.a.", a name in
   parentheses) — strong; an alias that is a bare kunya ("Abu Omar") is weak
   and never merges anything across documents;
3. the same transliteration-aware name key across documents (Karim / Kareem
   Haddou), for names of two or more words, never for a bare kunya;
4. a single-word name elsewhere that only one full name of the corpus carries.

Two full names with different given names (Karim and Nabil Haddou) never
merge on the surname alone.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from threadline.model import TIE_TYPES, Assertion, Claim, Entity, Evidence, Mention, Tie
from threadline.model.identity import MergeStep
from threadline.model.lexicon import is_possible_place
from threadline.model.names import core_words, fold, name_key, parse_name, skeleton
from threadline.model.person_record import RULE_SHARED_DOCUMENT
from threadline.model.records import content_id

SCHEMA = {"PERSON": "Person", "ORG": "Organization", "PLACE": "Address", "EVENT": "Event"}
_GENERIC_ORG_TAIL = re.compile(
    r"\s+(?:militant\s+group|terrorist\s+group|group|militants|proper|organi[sz]ation|movement)$"
)
_ACRONYM_SKIP = {"of", "and", "in", "the", "for", "on"}
#: The merge rule of each first-pass group (see :data:`threadline.model.identity.MERGE_RULES`).
_GROUP_RULE = {"P": "in_document_name", "O": "organisation_name", "L": "place_name", "E": "event"}


class _UnionFind:
    """Union-find over mention ids that refuses unions across a cannot-link pair.

    ``apart`` holds pairs of mention ids that must end in different entities (an
    analyst's "not the same" judgement); a union that would put both ends of such a
    pair in one cluster is refused and returns False. ``exclusive`` gives mentions
    values of which an entity holds one only (a declared passport number, the node
    name of an edge list, see :func:`exclusive_key`): a union of two clusters that
    hold different values of one key is refused too, unless an analyst judged them
    the same. Every union asked for with a rule is kept in ``steps`` (joined,
    redundant or held): the evidence behind each entity, and the pairs kept apart.
    """

    def __init__(
        self,
        apart: Iterable[tuple[str, str]] = (),
        exclusive: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self.parent: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}
        self.apart: dict[str, set[str]] = defaultdict(set)
        self.exclusive = exclusive or {}
        self.values: dict[str, dict[str, set[str]]] = {}
        self.steps: list[MergeStep] = []
        for a, b in apart:
            self.apart[a].add(b)
            self.apart[b].add(a)

    def find(self, x: str) -> str:
        if x not in self.parent:
            self.parent[x] = x
            self.members[x] = {x}
            if x in self.exclusive:
                self.values[x] = {k: {v} for k, v in self.exclusive[x].items()}
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str, rule: str = "", detail: str = "") -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            if rule and a != b:
                self.steps.append(MergeStep(rule, a, b, detail, "redundant"))
            return True
        small, big = sorted((self.members[ra], self.members[rb]), key=len)
        if self.apart and any(self.apart.get(m, set()) & big for m in small):
            why = "an analyst judged them not the same"
            self.steps.append(MergeStep(rule, a, b, detail, "held", why))
            return False
        va, vb = self.values.get(ra), self.values.get(rb)
        if va and vb and rule != "judgement":
            for k in sorted(va.keys() & vb.keys()):
                if not va[k] & vb[k]:
                    why = conflict_text(k, min(va[k]), min(vb[k]))
                    self.steps.append(MergeStep(rule, a, b, detail, "held", why))
                    return False
        self.steps.append(MergeStep(rule, a, b, detail))
        keep, drop = min(ra, rb), max(ra, rb)
        self.parent[drop] = keep
        self.members[keep] = self.members[keep] | self.members.pop(drop)
        dropped = self.values.pop(drop, None)
        if dropped:
            into = self.values.setdefault(keep, {})
            for k, vs in dropped.items():
                into[k] = into.get(k, set()) | vs
        return True


#: The extractor of edge-list mentions (``threadline import-graph``): node names
#: are identifiers, kept distinct within their file.
EDGE_LIST_EXTRACTOR = "import-graph"


def exclusive_key(kind: str, scope: str) -> str:
    """The key of a value an entity holds at most one of: ``document:passport``
    (a declared identity document type) or ``node:<document id>`` (an edge list's
    node names)."""
    return f"{kind}:{scope}"


def conflict_text(key: str, a: str, b: str) -> str:
    """Why two clusters holding ``a`` and ``b`` under ``key`` stay apart."""
    kind, _, scope = key.partition(":")
    if kind == "document":
        return f"two different {scope.replace('_', ' ')} numbers ({a}, {b})"
    if kind == "node":
        return f"two different nodes of one edge list ('{a}', '{b}')"
    return f"two different values of {key} ({a}, {b})"


@dataclass
class Resolution:
    """The resolver's output: entities, ties, and which entity each mention became.

    ``merge_steps`` are the unions the rules asked for: those that built the
    entities, those that only corroborate them, and those a judgement or a conflict
    held back (the explanation of every merge, and the seeds of merge proposals).
    """

    entities: list[Entity]
    ties: list[Tie]
    entity_of: dict[str, str]
    merge_steps: list[MergeStep] = field(default_factory=list)


def _core(name: str) -> list[str]:
    return core_words(name)


def relabel(mentions: list[Mention]) -> None:
    """Settle each surface form's type with the whole corpus' votes.

    The small model calls "Mehdi Saidi" an organisation in one article and a
    person in another; a word that is the surname of a corpus person is a
    person; a single word that is a place elsewhere is a place.
    """
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    family_words: set[str] = set()
    org_words: set[str] = set()
    for m in mentions:
        votes[fold(m.text)][m.label] += 1
        if m.label == "PERSON" and len(_core(m.text)) >= 2:
            family_words.add(_core(m.text)[-1])
        if m.label == "ORG" and len(m.text.split()) >= 2:
            org_words.add(fold(m.text.split()[-1]).replace("al-", ""))
    for m in mentions:
        if m.extractor not in ("spacy", "propagation") or m.label == "EVENT":
            continue
        if m.attrs.get("analyst_label"):
            continue  # an analyst's correction says what it is (issue 18)
        f = fold(m.text)
        v = votes[f]
        core = _core(m.text)
        if (
            m.label == "ORG"
            and v["PERSON"] > 0
            and len(core) >= 2
            or (
                m.label == "ORG"
                and len(core) == 1
                and core[0] in family_words
                and not m.text.isupper()
            )
        ):
            m.label = "PERSON"
        elif (
            m.label == "PERSON"
            and len(core) == 1
            and core[0] not in family_words
            and fold(m.text) in org_words
        ):
            m.label = "ORG"  # "Nusra" after "Jabhat al-Nusra"
        elif (
            m.label == "PERSON"
            and len(core) == 1
            and (v["PLACE"] > v["PERSON"] or (v["PLACE"] and is_possible_place(m.text)))
            and core[0] not in family_words
        ):
            m.label = "PLACE"
        elif (
            m.label == "PERSON"
            and len(core) == 1
            and v["ORG"] > v["PERSON"]
            and core[0] not in family_words
        ):
            m.label = "ORG"
        if m.label == "PERSON" and m.key == fold(m.text):
            m.key = m.text


def _org_key(text: str) -> str:
    """Organisation names compare without article, hyphens or possessive: al-Qaeda = al Qaeda."""
    f = fold(re.sub(r"^(?:the|The)\s+", "", text))
    return re.sub(r"[\s-]+", " ", f).strip()


def _acronym(name: str) -> str:
    words = re.split(r"[\s-]+", fold(name))
    return "".join(w[0] for w in words if w and w not in _ACRONYM_SKIP).upper()


def resolve(
    mentions: list[Mention],
    assertions: list[Assertion],
    claims: Iterable[Claim] = (),
    *,
    same: Iterable[tuple[str, ...]] = (),
    apart: Iterable[tuple[str, str]] = (),
    previous: Mapping[str, Iterable[str]] | None = None,
    exclusive: Mapping[str, Mapping[str, str]] | None = None,
    linked_only: Iterable[str] = (),
) -> Resolution:
    """Cluster mentions into entities and lift mention-level ties to entity ties.

    ``previous`` maps the ids of the entities of the last resolution to their
    mention ids: when several entities would get the same id (two people with
    one name), each keeps the id whose previous entity shares most of its
    mentions, so adding a document or splitting an entity does not swap them.

    ``same`` are pairs of mention ids that must share an entity (an analyst's
    "same" judgement, a record link); ``apart`` are pairs that must not (a "not the
    same" judgement): no automatic evidence overrides either. A ``same`` item may
    carry a third element, the merge rule it is explained by (default
    ``"judgement"``; a record link passes ``"record_link"``), and a fourth, what the
    rule matched on (a link's match probability and comparisons).

    ``exclusive`` gives mentions values an entity holds one of (declared identity
    documents, see :class:`_UnionFind`); ``linked_only`` are the mentions of person
    records (names and aliases): they join each other only through ``same`` (record
    linkage), and a mention of another source joins them by its full name only when
    one record identity carries that name. The rules for article text (one name in
    one document, a single word given to the one full name that carries it) apply
    to article mentions only; an edge list's node names stay distinct nodes.
    """
    relabel(mentions)
    by_id = {m.id: m for m in mentions}
    apart = [(a, b) for a, b in apart if a in by_id and b in by_id]
    nodes = {
        m.id: {exclusive_key("node", m.document): fold(m.text)}
        for m in mentions
        if m.extractor == EDGE_LIST_EXTRACTOR
    }
    uf = _UnionFind(apart, {**nodes, **(exclusive or {})})
    record_ids = {i for i in linked_only if i in by_id}
    for pair in same:
        a, b = pair[0], pair[1]
        if a in by_id and b in by_id:  # optional third and fourth items: the rule, its evidence
            rule = pair[2] if len(pair) > 2 else "judgement"
            uf.union(a, b, rule, pair[3] if len(pair) > 3 else "")
    groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for m in mentions:
        uf.find(m.id)
        if m.label == "PERSON":
            if m.segment == "record":
                continue  # one name in one table is not one person: records link by evidence
            groups[("P", m.document, fold(m.key))].append(m.id)
        elif m.label == "ORG":
            groups[("O", "*", _org_key(m.key))].append(m.id)
        elif m.label == "PLACE":
            groups[("L", "*", fold(m.text))].append(m.id)
        else:
            groups[("E", "*", m.key)].append(m.id)
    for (kind, _, key), ids in groups.items():
        for x in ids[1:]:
            uf.union(ids[0], x, _GROUP_RULE[kind], key)
    alias_pairs = [
        (a.a, a.b, _alias_rule(a))
        for a in assertions
        if a.kind == "alias"
        and a.b
        and a.a in by_id
        and a.b in by_id
        and by_id[a.a].label == by_id[a.b].label
    ]
    alias_side = {b for _, b, _ in alias_pairs}
    alias_names = {fold(by_id[b].key) for b in alias_side} | {
        fold(by_id[b].text) for b in alias_side
    }
    alias_names |= {fold(m.key) for m in mentions if m.attrs.get("alias")}
    _merge_persons_across_documents(mentions, uf, record_ids)
    _merge_organisations(mentions, uf)
    _merge_declared_aliases(alias_pairs, mentions, uf, alias_names)
    clusters: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        clusters[uf.find(m.id)].append(m)
    # a name declared as an alias anywhere is an alias wherever it appears
    alias_keys = alias_names | {fold(by_id[x].text) for x in alias_side}
    entities: list[Entity] = []
    entity_of: dict[str, str] = {}
    named_by = _text_owners(clusters) if apart else {}
    for members in sorted(clusters.values(), key=lambda ms: min(m.id for m in ms)):
        ent = _entity(members, alias_keys, _foreign_keys(members, uf.find(members[0].id), named_by))
        entities.append(ent)
    _unique_ids(entities, previous or {})
    for ent in entities:
        for mid in ent.mentions:
            entity_of[mid] = ent.id
    ties = _ties(assertions, entity_of, {e.id: e for e in entities})
    ties = _salient(ties, entities) + _event_places(entities, mentions)
    return Resolution(entities, ties, entity_of, uf.steps)


def _unique_ids(entities: list[Entity], previous: Mapping[str, Iterable[str]]) -> None:
    """Give entities that share a content id (``e…``) distinct ids ``e…``, ``e…-2`` …

    Sticky across runs: within a group sharing a base id, the previous ids of
    that base go, largest mention overlap first, to the entities that hold most
    of their mentions; the others take the first free suffixes in the order of
    their smallest mention id (the same order a first run uses).
    """
    groups: dict[str, list[Entity]] = defaultdict(list)
    for ent in entities:
        groups[ent.id].append(ent)
    of_base: dict[str, list[str]] = defaultdict(list)  # base id -> its previous ids
    for pid in previous:
        of_base[pid].append(pid)
        stem, dash, suffix = pid.rpartition("-")
        if dash and suffix.isdigit():
            of_base[stem].append(pid)
    for base, group in groups.items():
        if len(group) == 1 and base not in previous:
            continue
        olds = {pid: set(previous[pid]) for pid in of_base.get(base, ())}
        scored = sorted(
            (
                (-len(olds[pid] & set(ent.mentions)), pid, k)
                for pid in olds
                for k, ent in enumerate(group)
            ),
        )
        assigned: dict[int, str] = {}
        for overlap, pid, k in scored:
            if overlap < 0 and k not in assigned and pid not in assigned.values():
                assigned[k] = pid
        used = set(assigned.values())
        n = 1
        for k, ent in enumerate(group):
            if k in assigned:
                ent.id = assigned[k]
                continue
            while True:
                candidate = base if n == 1 else f"{base}-{n}"
                n += 1
                if candidate not in used:
                    break
            ent.id = candidate
            used.add(candidate)


def _event_places(entities: list[Entity], mentions: list[Mention]) -> list[Tie]:
    """ "the Brussels bombings" happened in Brussels: a located_in tie from the event to
    the place its name carries, with the event's mentions as evidence."""
    places = {fold(e.name): e for e in entities if e.schema == "Address"}
    by_id = {m.id: m for m in mentions}
    out = []
    for e in entities:
        if e.schema != "Event":
            continue
        place_word = fold(" ".join(e.name.split()[:-1]))
        place = places.get(place_word)
        if place is None:
            continue
        evidence = [
            Evidence(m.document, m.start, m.end, m.text, "event-name", 0.9)
            for m in (by_id[i] for i in e.mentions if i in by_id)
        ]
        if evidence:
            out.append(
                Tie(
                    content_id("t", "located_in", e.id, place.id),
                    "located_in",
                    e.id,
                    place.id,
                    "",
                    0.9,
                    _unique_evidence(evidence),
                )
            )
    return out


def _alias_rule(assertion: Assertion) -> str:
    """The merge rule of an alias assertion: declared in a text, given in a record row,
    or two names on one identity document."""
    if assertion.evidence.extractor.endswith(RULE_SHARED_DOCUMENT):
        return "shared_document"
    if assertion.evidence.row is not None:
        return "record_alias"
    return "declared_alias"


def _merge_declared_aliases(
    pairs: list[tuple[str, str, str]],
    mentions: list[Mention],
    uf: _UnionFind,
    alias_names: set[str],
) -> None:
    """Join each declared alias to its person, unless that would join two identities
    that each carry a different full name of their own (a misread alias must not
    fuse two people: "Yahya" cannot make Ouardighi and van Haaftrecht one)."""
    primary: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if (
            m.label == "PERSON"
            and fold(m.key) not in alias_names
            and fold(m.text) not in alias_names
        ):
            if len(_core(m.key)) >= 2 and not parse_name(m.key).kunya:
                primary[uf.find(m.id)].add(name_key(m.key))
    for a, b, rule in pairs:
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            uf.union(a, b, rule)  # already one: the alias corroborates
            continue
        ka, kb = primary.get(ra, set()), primary.get(rb, set())
        if ka and kb and not (ka & kb) and not _share_a_name_word(ka, kb):
            # conflicting identities: leave them apart for the analyst to judge
            why = "each carries a different full name"
            uf.steps.append(MergeStep(rule, a, b, "", "held", why))
            continue
        if uf.union(a, b, rule):
            primary[uf.find(a)] = ka | kb


def _share_a_name_word(a: AbstractSet[str], b: AbstractSet[str]) -> bool:
    """Two sets of full names with a word of more than three letters in common:
    "Rafiq Hassani" declared as "Mir Rafiq", also written "Mir Rafik",
    is one man under variants of his names, not two identities."""

    def words(keys: AbstractSet[str]) -> set[str]:
        return {w for k in keys for w in k.split() if len(w) > 3}

    return bool(words(a) & words(b))


def _merge_persons_across_documents(
    mentions: list[Mention], uf: _UnionFind, records: AbstractSet[str] = frozenset()
) -> None:
    full: dict[str, list[str]] = defaultdict(list)  # name key -> mention ids
    single: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        if m.label != "PERSON":
            continue
        parts = parse_name(m.key)
        if parts.is_kunya_only:
            continue  # weak: a bare kunya never merges across documents
        if len(_core(m.key)) >= 2 or (parts.kunya and parts.family):
            full[name_key(m.key)].append(m.id)
        elif len(_core(m.key)) == 1 and not _identifier(m):
            single[_core(m.key)[0]].append(m.id)
    ambiguous: set[str] = set()
    for key, ids in full.items():
        others = [i for i in ids if i not in records]
        for x in others[1:]:
            uf.union(others[0], x, "name_key", key)
        mine = [i for i in ids if i in records]
        if not mine or not others:
            continue  # records join each other through linkage only
        identities = {uf.find(i) for i in mine}
        if len(identities) == 1:
            uf.union(others[0], mine[0], "name_key", key)
        else:
            ambiguous.add(key)
            why = f"{len(identities)} record identities carry this name"
            uf.steps.append(MergeStep("name_key", others[0], mine[0], key, "held", why))
    by_family: dict[str, set[str]] = defaultdict(set)
    for key in full:
        words = key.split()
        by_family[words[-1]].add(key)

    for word, ids in single.items():
        for x in ids[1:]:
            uf.union(ids[0], x, "single_name", word)
        keys = by_family.get(skeleton(word), set())
        if len(keys) == 1 and not keys & ambiguous:
            key = next(iter(keys))
            uf.union(ids[0], full[key][0], "surname_of_one_person", key)


def _identifier(m: Mention) -> bool:
    """A name from a table or an edge list: a one-word name there is weak (a kunya, a
    nickname, a node label) and merges nothing alone."""
    return m.segment == "record" or m.extractor == EDGE_LIST_EXTRACTOR


def _merge_organisations(mentions: list[Mention], uf: _UnionFind) -> None:
    orgs = [m for m in mentions if m.label == "ORG"]
    by_key: dict[str, str] = {}
    for m in orgs:
        by_key.setdefault(_org_key(m.key), m.id)
    for m in orgs:
        k = _org_key(m.key)
        base = _GENERIC_ORG_TAIL.sub("", k)
        if base != k and base in by_key:
            uf.union(m.id, by_key[base], "organisation_variant", base)
        of = re.sub(r"\s+of\s+[\w\s]+$", "", k)
        if of != k and len(of.split()) >= 2 and of in by_key:
            uf.union(m.id, by_key[of], "organisation_variant", of)
    acronyms = {k.upper(): mid for k, mid in by_key.items() if re.fullmatch(r"[a-z]{2,6}", k)}
    for k, mid in by_key.items():
        if len(k.split()) >= 2:
            acr = _acronym(k)
            if acr in acronyms:
                uf.union(mid, acronyms[acr], "acronym", acr)


def _text_owners(clusters: dict[str, list[Mention]]) -> dict[str, set[str]]:
    """Which clusters carry each (folded) person name as the text of a mention."""
    out: dict[str, set[str]] = defaultdict(set)
    for root, members in clusters.items():
        for m in members:
            if m.label == "PERSON":
                out[fold(m.text)].add(root)
    return out


def _foreign_keys(members: list[Mention], root: str, named_by: dict[str, set[str]]) -> set[str]:
    """In-document keys that name another cluster's person, not this one.

    After an analyst splits "Ouaziz" (or an alias) off "Nabil Ouaziz", the split-off
    mentions still carry the key "Nabil Ouaziz"; naming them by it would give two
    entities one name. A key is foreign when other clusters carry it as text and
    this one does not.
    """
    out = set()
    for m in members:
        for form in (m.key, m.attrs.get("full_name")):
            k = fold(form or "")
            if k and named_by.get(k) and root not in named_by[k]:
                out.add(k)
    return out


def _entity(
    members: list[Mention], alias_keys: set[str], foreign: set[str] | None = None
) -> Entity:
    foreign = foreign or set()
    label = Counter(m.label for m in members).most_common(1)[0][0]
    schema = SCHEMA[label]
    is_alias = [fold(m.key) in alias_keys or fold(m.text) in alias_keys for m in members]
    names: list[str] = []
    aliases: list[str] = []
    for m, al in zip(members, is_alias, strict=True):
        bucket = aliases if al else names
        # "a group led by X" describes the group; its name is the key ("X group")
        described = (
            label == "ORG" and re.match(r"(?:an?|the)\s", m.text) and fold(m.key) != fold(m.text)
        )
        forms: list[str | None] = [] if described else [m.text]
        if label == "PERSON":
            forms += [f for f in (m.key, m.attrs.get("full_name")) if fold(f or "") not in foreign]
        elif label == "ORG":
            if m.key and fold(m.key) != fold(m.text):
                forms.append(m.key)
            forms.append(m.attrs.get("with_article"))
            forms.append(m.attrs.get("short_name"))
        elif label == "EVENT":
            forms.append(m.attrs.get("event_name"))
        for form in forms:
            if form and form not in bucket:
                bucket.append(form)
    aliases = [a for a in aliases if a not in names]
    pool = [n for n in names if n] or aliases
    name = _canonical(pool, members, label)
    if label == "EVENT":
        name = Counter(m.attrs.get("event_name") or m.text for m in members).most_common(1)[0][0]
    key = name_key(name) if label == "PERSON" else fold(name)
    eid = content_id("e", schema, key)
    roles = sorted({m.attrs["role"] for m in members if m.attrs.get("role")})
    return Entity(eid, schema, name, names or [name], aliases, [m.id for m in members], roles)


def _canonical(pool: list[str], members: list[Mention], label: str) -> str:
    """The name an analyst would file the entity under: the most used full form."""
    counts = Counter(m.key if label in ("PERSON", "ORG") else m.text for m in members)

    def score(n: str) -> tuple[int, int, int, str]:
        words = len(_core(n)) if label == "PERSON" else len(n.split())
        full = 1 if (label != "PERSON" or words >= 2) else 0
        return (full, counts.get(n, 0), len(n), n)

    return max(pool, key=score)


#: Evidence extractors of ties no sentence states ("inferred": judged so by the tie model).
INFERRED_EXTRACTORS = frozenset({"cooccurrence", "inferred"})


def _ties(
    assertions: list[Assertion], entity_of: dict[str, str], entities: dict[str, Entity]
) -> list[Tie]:
    grouped: dict[tuple[str, str, str], list[Assertion]] = defaultdict(list)
    for a in assertions:
        if a.kind != "tie" or a.b is None or a.a not in entity_of or a.b not in entity_of:
            continue
        s, t = entity_of[a.a], entity_of[a.b]
        if s == t:
            continue
        if not TIE_TYPES[a.type].directed and t < s:
            s, t = t, s
        if a.type in ("member_of", "leader_of") and entities[t].schema != "Organization":
            continue
        grouped[(a.type, s, t)].append(a)
    ties: list[Tie] = []
    for (type_, s, t), items in sorted(grouped.items()):
        evidence = _unique_evidence(a.evidence for a in items)
        miss = 1.0
        for ev in evidence:
            miss *= 1.0 - ev.confidence
        details = Counter(a.detail for a in items if a.detail and a.detail != "same sentence")
        # the text does not link the two grammatically: a suggestion, not a fact
        inferred = all(ev.extractor == "inferred" for ev in evidence) or (
            all(ev.extractor in INFERRED_EXTRACTORS for ev in evidence) and not details
        )
        ties.append(
            Tie(
                id=content_id("t", type_, s, t),
                type=type_,
                source=s,
                target=t,
                detail=details.most_common(1)[0][0]
                if details
                else ("named in the same sentence" if inferred else ""),
                confidence=round(1.0 - miss, 3),
                evidence=evidence,
                hedged=all(ev.hedged for ev in evidence),
                inferred=inferred,
            )
        )
    return ties


#: Weak ties (same sentence, no pattern, no type) need both ends to be more than a
#: name dropped once: a passing mention of a politician is no member of the network.
WEAK_TIE_MIN_MENTIONS = 2


def _salient(ties: list[Tie], entities: list[Entity]) -> list[Tie]:
    mentions = {e.id: len(e.mentions) for e in entities}
    out = []
    for t in ties:
        weak = t.inferred
        if (
            weak
            and min(mentions.get(t.source, 0), mentions.get(t.target, 0)) < WEAK_TIE_MIN_MENTIONS
        ):
            continue
        out.append(t)
    return out


def _unique_evidence(items: Iterable[Evidence]) -> list[Evidence]:
    seen: set[tuple[str, int, int]] = set()
    out: list[Evidence] = []
    for ev in items:
        k = (ev.document, ev.start, ev.end)
        if k not in seen:
            seen.add(k)
            out.append(ev)
    return out
