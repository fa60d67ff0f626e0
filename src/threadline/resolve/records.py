"""Person records into identities: linkage results as constraints for the resolver.

Needs: the person records of the workspace (``threadline records import``) and a
:class:`~threadline.resolve.linkage.RecordLinker`.
Produces: :class:`RecordResolution` (links, near misses, clusters) and, for
:func:`threadline.resolve.resolve`, must-link pairs (a record's name and its
aliases; records the linkage holds to be one person), cannot-link pairs (records
with the same name whose date of birth or document number conflicts) and alias
assertions (two names on one identity document).

Records resolve with each other through linkage only: the model's links and the
shared-document rule, clustered by :func:`cluster_links`, which respects the
records' evidence (two numbers of one declared document type are never one
person; a pair the model scored against on date of birth or document under one
name stays apart; one weak link does not join two groups of records). A name in
a table, a kunya or a one-word name never merges records on its own. A text
mention joins a record by its full name when one record identity carries it.
"""

from __future__ import annotations

import difflib
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from threadline.model import Assertion, Evidence, Mention, content_id
from threadline.model.names import core_words, name_key, parse_name, skeleton
from threadline.model.person_record import (
    RULE_MODEL,
    RULE_SAME_NAME,
    RULE_SHARED_DOCUMENT,
    LinkReason,
    PersonRecord,
    RecordLink,
)
from threadline.resolve.linkage import (
    DEFAULT_THRESHOLD,
    IDENTITY_COMPARISONS,
    LINKER_VERSION,
    DuckDBRecordLinker,
    RecordLinker,
    components,
)
from threadline.resolve.names import variant_groups
from threadline.resolve.resolver import exclusive_key
from threadline.store import Workspace
from threadline.store import records as record_store

#: A document number carried by this many different names or more is a placeholder
#: ("UNKNOWN", "000000"), not an identity document: it links nobody.
PLACEHOLDER_NAMES = 5
#: Two names at least this similar (folded, words sorted) are writings of one name.
SAME_NAME_SIMILARITY = 0.85
#: Two name words at least this similar are one word with a typo.
WORD_SIMILARITY = 0.75
#: The extractor of the mentions a mapping makes (``threadline ingest-records``).
MAPPING_EXTRACTOR = "mapping"
#: The extractor named in evidence that records produce.
RECORD_EXTRACTOR = "records"


@dataclass
class RecordResolution:
    """Linkage of the workspace's records: every link with its explanation.

    ``links`` hold the records to be one person (the model at or above the
    threshold, or a shared identity document); ``near`` are scored pairs below the
    threshold that share a name or a document number; ``clusters`` maps each
    record id to its identity cluster (connected components of ``links``).
    """

    links: list[RecordLink]
    near: list[RecordLink] = field(default_factory=list)
    clusters: dict[str, str] = field(default_factory=dict)
    trained: bool = False


@dataclass
class RecordConstraints:
    """What the records tell the resolver: mention pairs and alias assertions."""

    same: list[tuple[str, ...]] = field(default_factory=list)
    apart: list[tuple[str, str]] = field(default_factory=list)
    assertions: list[Assertion] = field(default_factory=list)
    #: record mentions' values an entity holds one of (declared document numbers)
    exclusive: dict[str, dict[str, str]] = field(default_factory=dict)
    #: mentions of person records (names, aliases): joined to each other by linkage only
    linked_only: set[str] = field(default_factory=set)


def _is_identity_number(value: str) -> bool:
    return len(value) >= 5 and any(c.isdigit() for c in value)


def different_names(a: PersonRecord, b: PersonRecord) -> bool:
    """Whether two records carry two names, not two writings of one name.

    One name: the same transliteration key, the same words in another order
    ("HADDOU Karim"), one name a part of the other ("Haddou"), or every word
    of the shorter a near spelling of a word of the longer.

    >>> r = lambda n: PersonRecord("r", "d", 2, "1", n, "m")
    >>> different_names(r("Mohamed Belkaid"), r("BELKAÏD Mohammed"))
    False
    >>> different_names(r("Mohamed Belkaid"), r("Samir Tahri"))
    True
    """
    if name_key(a.name) == name_key(b.name):
        return False
    wa, wb = core_words(a.name), core_words(b.name)
    if not wa or not wb:
        return False
    if _similar(" ".join(sorted(wa)), " ".join(sorted(wb))):
        return False
    short, long_ = sorted((wa, wb), key=len)
    return not all(
        any(skeleton(w) == skeleton(x) or _similar(w, x, WORD_SIMILARITY) for x in long_)
        for w in short
    )


def _similar(a: str, b: str, at_least: float = SAME_NAME_SIMILARITY) -> bool:
    return difflib.SequenceMatcher(None, a, b).ratio() >= at_least


def rule_documents(record: PersonRecord) -> tuple[tuple[str, str], ...]:
    """The documents the shared-document rule reads: the declared ones, else an
    untyped number (type ``""``) where the record's source calls it an identity
    document (``records import``'s ``doc``; not a mapping's undeclared ``document``)."""
    if record.documents:
        return record.documents
    if record.doc_number and record.untyped_document_rule:
        return (("", record.doc_number),)
    return ()


def shared_document_links(
    records: Sequence[PersonRecord], scored: dict[tuple[str, str], RecordLink]
) -> list[RecordLink]:
    """Link records that carry the same number of one declared identity document type.

    The first record (in import order) of a document number keeps its name; a
    later record under another name is linked to it and its name becomes an alias
    (a fake identity, or an identity lent). Spelling variants are linked without
    an alias. ``scored`` are the model's scored pairs, whose explanation the link
    keeps. Placeholder numbers (see :data:`PLACEHOLDER_NAMES`) link nobody. A
    number column whose type the mapping does not declare is one comparison of
    the linkage model, not this rule (such columns are often noisy).
    """
    by_number: dict[tuple[str, str], list[PersonRecord]] = defaultdict(list)
    for r in records:
        for kind, number in rule_documents(r):
            if _is_identity_number(number):
                by_number[(kind, number)].append(r)
    out: list[RecordLink] = []
    for group in by_number.values():
        if len(group) < 2 or len({name_key(r.name) for r in group}) >= PLACEHOLDER_NAMES:
            continue
        first = group[0]
        for other in group[1:]:
            a, b = sorted((first.id, other.id))
            model = scored.get((a, b))
            alias = other.id if different_names(first, other) else None
            if model is not None and model.linked and alias is None:
                continue  # the model linked them already, under one name
            out.append(
                RecordLink(
                    a,
                    b,
                    RULE_SHARED_DOCUMENT,
                    model.match_weight if model else None,
                    model.match_probability if model else None,
                    model.reasons if model else (),
                    True,
                    alias,
                )
            )
    return out


def conflicting_documents(a: Iterable[tuple[str, str]], b: Iterable[tuple[str, str]]) -> str:
    """Why two sets of declared documents cannot be one person's ("" if they can):
    two different numbers of one type."""
    mine: dict[str, set[str]] = defaultdict(set)
    for kind, number in a:
        mine[kind].add(number)
    theirs: dict[str, set[str]] = defaultdict(set)
    for kind, number in b:
        theirs[kind].add(number)
    for kind in sorted(mine.keys() & theirs.keys()):
        if not mine[kind] & theirs[kind]:
            x, y = min(mine[kind]), min(theirs[kind])
            return f"two different {kind.replace('_', ' ')} numbers ({x}, {y})"
    return ""


@lru_cache(maxsize=262144)
def _full_name_key(name: str) -> str:
    """The name key of a full name (two words or more, not a bare kunya), else ""."""
    if len(core_words(name)) < 2 or parse_name(name).is_kunya_only:
        return ""
    return name_key(name)


_Facts = tuple[list[tuple[str, str]], set[str], set[str]]


def _compatible(x: _Facts, y: _Facts, away: set[tuple[str, ...]]) -> bool:
    """Whether two identities (documents, dates of birth, record ids) can be one person."""
    (dx, bx, ix), (dy, by, iy) = x, y
    if conflicting_documents(dx, dy) or (bx and by and not bx & by):
        return False
    return not any(tuple(sorted((p, q))) in away for p in ix for q in iy)


def same_name_links(
    records: Sequence[PersonRecord],
    clusters: dict[str, str],
    scored: dict[tuple[str, str], RecordLink],
    *,
    apart: Iterable[tuple[str, str]] = (),
) -> list[RecordLink]:
    """Join the identities that carry one full name when nothing tells them apart.

    A full name (two words or more, not a bare kunya) joins the identities
    (``clusters``) whose records carry it only when every two of them are
    compatible: no two numbers of one identity document (a declared type, or the
    untyped number a table gives as its identity document, :func:`rule_documents`:
    a name alone is no evidence against two numbers), no two dates of birth of which
    neither matches the other, no pair the model scored against under that name
    (``apart``). Two namesakes born on different days make the name
    ambiguous, and then it joins nobody: a row with that name and no date of birth
    stays on its own. Links are made between the first record of each identity.
    """
    away = {tuple(sorted(p)) for p in apart}
    members: dict[str, list[PersonRecord]] = defaultdict(list)
    for r in records:
        members[clusters.get(r.id, r.id)].append(r)
    by_key: dict[str, list[PersonRecord]] = defaultdict(list)
    for r in records:
        key = _full_name_key(r.name)
        if key:
            by_key[key].append(r)
    groups = list(by_key.values())
    # one name written differently (Uthman / Usman Karwashi): its records form one more
    # group, joined under the same conditions as the records of one name key
    names_of = {r.name: key for key, rs in by_key.items() for r in rs}
    for names in variant_groups(names_of):
        keys = {names_of[n] for n in names}
        if len(keys) > 1:
            groups.append([r for k in sorted(keys) for r in by_key[k]])
    out: list[RecordLink] = []
    for group in groups:
        identities: dict[str, list[PersonRecord]] = defaultdict(list)
        for r in group:
            identities[clusters.get(r.id, r.id)].append(r)
        if len(identities) < 2:
            continue
        # what each identity holds, over all its records (not only those of this name)
        facts: dict[str, _Facts] = {
            c: (
                [d for r in members[c] for d in rule_documents(r)],
                {r.dob for r in members[c] if r.dob and len(r.dob) == 10},
                {r.id for r in members[c]},
            )
            for c in identities
        }
        roots = sorted(identities)
        if not all(
            _compatible(facts[x], facts[y], away)
            for i, x in enumerate(roots)
            for y in roots[i + 1 :]
        ):
            continue
        first = identities[roots[0]][0]
        for root in roots[1:]:
            other = identities[root][0]
            a, b = sorted((first.id, other.id))
            model = scored.get((a, b))
            out.append(
                RecordLink(
                    a,
                    b,
                    RULE_SAME_NAME,
                    model.match_weight if model else None,
                    model.match_probability if model else None,
                    model.reasons if model else (),
                    True,
                )
            )
    return out


#: How strongly two groups of two or more records must be linked to become one:
#: the share of the smaller group's records with a link into the other.
GROUP_SUPPORT = 0.5


def cluster_links(
    records: Sequence[PersonRecord],
    links: Sequence[RecordLink],
    *,
    apart: Iterable[tuple[str, str]] = (),
) -> tuple[dict[str, str], list[RecordLink], list[RecordLink]]:
    """Identities from links, strongest first, respecting the records' evidence.

    A link joins two groups unless the result would hold two numbers of one
    declared document type, or a pair in ``apart``; or both groups hold two
    records or more and fewer than :data:`GROUP_SUPPORT` of the smaller group's
    records link into the other (one weak link does not chain two people). Returns
    the cluster of each record id (its smallest member id), the links kept, and
    the links held back (``linked`` False, the reason as a ``constraint`` reason).

    >>> r = lambda i, doc: PersonRecord(i, "d", 2, i, "Omar Haddad", "m" + i,
    ...                                 documents=(("passport", doc),))
    >>> recs = [r("a", "P1"), r("b", "P1"), r("c", "P2")]
    >>> lk = lambda a, b, p: RecordLink(a, b, RULE_MODEL, 10.0, p)
    >>> clusters, kept, held = cluster_links(recs, [lk("a", "b", 0.99), lk("b", "c", 0.98)])
    >>> clusters == {"a": "a", "b": "a", "c": "c"}, held[0].reasons[-1].level
    (True, 'two different passport numbers (P1, P2)')
    """
    by_id = {r.id: r for r in records}
    parent = {r.id: r.id for r in records}
    members = {r.id: [r.id] for r in records}
    docs = {r.id: list(r.documents) for r in records}
    born = {r.id: {r.dob} if r.dob and len(r.dob) == 10 else set() for r in records}
    away: dict[str, set[str]] = defaultdict(set)
    for a, b in apart:
        away[a].add(b)
        away[b].add(a)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for lk in links:
        neighbours[lk.a].add(lk.b)
        neighbours[lk.b].add(lk.a)

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def strength(lk: RecordLink) -> tuple[int, float, float]:
        rule_first = {RULE_SHARED_DOCUMENT: 0, RULE_MODEL: 1}.get(lk.rule, 2)
        return (rule_first, -(lk.match_probability or 0.0), -(lk.match_weight or 0.0))

    kept: list[RecordLink] = []
    held: list[RecordLink] = []
    for lk in sorted(links, key=lambda lk: (strength(lk), lk.a, lk.b)):
        if lk.a not in by_id or lk.b not in by_id:
            continue
        ra, rb = find(lk.a), find(lk.b)
        if ra == rb:
            kept.append(lk)
            continue
        why = conflicting_documents(docs[ra], docs[rb])
        small, big = sorted((members[ra], members[rb]), key=len)
        if not why and away and any(away.get(m, set()) & set(big) for m in small):
            why = "a record of each names one person with another date of birth or document"
        if not why and lk.rule == RULE_SAME_NAME and born[ra] and born[rb]:
            if not born[ra] & born[rb]:
                why = f"another date of birth ({min(born[ra])}, {min(born[rb])})"
        if not why and len(small) >= 2 and lk.rule == RULE_MODEL:
            big_set = set(big)
            linked = sum(1 for m in small if neighbours[m] & big_set)
            if linked < GROUP_SUPPORT * len(small):
                why = (
                    f"only {linked} of {len(small)} records of one group link to the other "
                    f"group of {len(big)}: one weak link does not join two identities"
                )
        if why:
            reason = LinkReason("constraint", why, 0.0)
            held.append(replace(lk, linked=False, reasons=(*lk.reasons, reason)))
            continue
        keep, drop = min(ra, rb), max(ra, rb)
        parent[drop] = keep
        members[keep] = members[keep] + members.pop(drop)
        docs[keep] = docs[keep] + docs.pop(drop)
        born[keep] = born[keep] | born.pop(drop)
        kept.append(lk)
    return {i: find(i) for i in parent}, kept, held


#: Below this match probability the model holds two records more likely two people.
APART_BELOW = 0.5


def scored_apart(link: RecordLink, a: PersonRecord, b: PersonRecord) -> bool:
    """Whether the model scored two records of one name as two people: more likely
    apart than not, with the date of birth or document number against.

    A pair below the linking threshold but still more likely one person (the same
    name and date of birth, another document number and address: a renewed
    passport, a move) is no evidence of two people, so it keeps nobody apart.
    """
    return (
        link.rule == RULE_MODEL
        and (link.match_probability or 0.0) < APART_BELOW
        and name_key(a.name) == name_key(b.name)
        and link.against(IDENTITY_COMPARISONS)
    )


def link_records(
    records: Sequence[PersonRecord],
    linker: RecordLinker,
    *,
    threshold: float,
    near: bool = True,
) -> RecordResolution:
    """Run the linker, add the shared-document rule, and cluster the result with
    :func:`cluster_links` (links held back by a constraint become near pairs)."""
    # without ``near`` (the bulk benchmarks) no pair below the threshold is scored,
    # so none is kept apart: links, documents and dates of birth still constrain
    linkage = linker.link(records, threshold=threshold, near=near)
    scored = {(lk.a, lk.b): lk for lk in [*linkage.links, *linkage.near]}
    rule_links = shared_document_links(records, scored)
    by_pair = {(lk.a, lk.b): lk for lk in linkage.links}
    for lk in rule_links:
        by_pair[(lk.a, lk.b)] = lk
    near_pairs = [lk for lk in linkage.near if (lk.a, lk.b) not in by_pair]
    by_id = {r.id: r for r in records}
    apart = [(lk.a, lk.b) for lk in near_pairs if scored_apart(lk, by_id[lk.a], by_id[lk.b])]
    clusters, kept, held = cluster_links(records, list(by_pair.values()), apart=apart)
    named = same_name_links(records, clusters, scored, apart=apart)
    if named:
        clusters, kept, held = cluster_links(records, [*by_pair.values(), *named], apart=apart)
    links = sorted(kept, key=lambda lk: (lk.a, lk.b))
    near_pairs = sorted([*near_pairs, *held], key=lambda lk: (lk.a, lk.b))
    return RecordResolution(links, near_pairs, clusters, linkage.trained)


def record_constraints(
    records: Sequence[PersonRecord],
    resolution: RecordResolution,
    mentions: Iterable[Mention],
    *,
    judged_same: Iterable[tuple[str, str]] = (),
) -> RecordConstraints:
    """Must-link, cannot-link pairs and alias assertions for the resolver.

    A cannot-link pair is never made between records that ``judged_same`` (the
    analyst's "same" judgements, mention pairs) joins, directly or through others:
    the analyst's word wins over the model's.
    """
    by_id = {r.id: r for r in records}
    known = {m.id: m for m in mentions}
    out = RecordConstraints()
    for r in records:
        out.same.extend((r.mention, m, "record_alias") for m in r.alias_mentions)
        out.linked_only.update((r.mention, *r.alias_mentions))
        if r.documents:
            out.exclusive[r.mention] = {
                exclusive_key("document", kind): number for kind, number in r.documents
            }
    for lk in resolution.links:
        ra, rb = by_id.get(lk.a), by_id.get(lk.b)
        if ra is None or rb is None:
            continue
        rule = {RULE_SHARED_DOCUMENT: "shared_document", RULE_SAME_NAME: "record_name"}.get(
            lk.rule, "record_link"
        )
        out.same.append((ra.mention, rb.mention, rule, link_evidence(lk, ra, rb)))
        if lk.alias:
            primary, alias = (ra, rb) if lk.alias == rb.id else (rb, ra)
            out.assertions.append(_alias_assertion(primary, alias, known.get(alias.mention)))
    pairs = [(p[0], p[1]) for p in [*out.same, *judged_same]]
    joined = components({x for pair in pairs for x in pair}, pairs)
    for lk in resolution.near:
        ra, rb = by_id.get(lk.a), by_id.get(lk.b)
        if ra is None or rb is None or not scored_apart(lk, ra, rb):
            continue
        if joined.get(ra.mention, ra.mention) == joined.get(rb.mention, rb.mention):
            continue
        out.apart.append((ra.mention, rb.mention))
    return out


def link_evidence(link: RecordLink, a: PersonRecord, b: PersonRecord) -> str:
    """One line on what a record link rests on: the rows, the rule or the model's
    probability, and the comparisons that counted most."""
    rows = f"row {a.row} and row {b.row}"
    if link.rule == RULE_SHARED_DOCUMENT:
        shared = set(rule_documents(a)) & set(rule_documents(b))
        number = min(n for _, n in shared) if shared else a.doc_number or ""
        return f"{rows} carry the document number {number}"
    parts = []
    for r in sorted(link.reasons, key=lambda r: -abs(r.weight))[:4]:
        if r.weight:
            parts.append(f"{r.comparison} {r.level} ({r.weight:+.1f} bits)")
    p = f"match probability {link.match_probability:.4f}" if link.match_probability else ""
    if link.rule == RULE_SAME_NAME:
        head = f"{rows}: the same full name, nothing against, no other identity carries it"
        return "; ".join(x for x in (head, p) if x)
    return "; ".join(x for x in (rows, p, ", ".join(parts)) if x)


def _alias_assertion(
    primary: PersonRecord, alias: PersonRecord, mention: Mention | None
) -> Assertion:
    """ "B is another name of A": the evidence is the row of B, which carries A's
    document number under another name."""
    start, end, quote = 0, 0, ""
    if mention is not None:
        # the name cell when the mention spans exactly the name, else the row's start
        exact = mention.end - mention.start == len(mention.text)
        start, end = mention.start, mention.end if exact else mention.start
        quote = mention.text if exact else ""
    evidence = Evidence(
        alias.document,
        start,
        end,
        quote,
        f"{RECORD_EXTRACTOR}:{RULE_SHARED_DOCUMENT}",
        0.95,
        row=alias.row,
    )
    return Assertion(
        content_id("a", "record-alias", primary.id, alias.id),
        alias.document,
        "alias",
        "alias",
        primary.mention,
        alias.mention,
        "strong",
        evidence,
    )


def links_fingerprint(records: Sequence[PersonRecord], threshold: float, backend: str) -> str:
    """What stored links were computed from: if it matches, they can be reused."""
    h = hashlib.sha256(f"{LINKER_VERSION}\x1f{backend}\x1f{threshold!r}".encode())
    for r in sorted(records, key=lambda r: r.id):
        h.update(f"\x1e{r.id}".encode())
    return h.hexdigest()


# -- over a workspace (I/O at the edge) -------------------------------------------


def with_documents(
    records: Sequence[PersonRecord], mentions: Iterable[Mention]
) -> list[PersonRecord]:
    """The records with their declared identity documents, which the mapping put on
    each record's name mention (``attrs["documents"]``: type to number). A mapping's
    undeclared document is one comparison of the model, unless the mapping says it
    links (``document_links``, as ``records import``'s ``doc``)."""
    declared: dict[str, tuple[tuple[str, str], ...]] = {}
    mapped: set[str] = set()
    for m in mentions:
        if m.extractor == MAPPING_EXTRACTOR and not (m.attrs or {}).get("document_links"):
            mapped.add(m.id)
        docs = m.attrs.get("documents") if m.attrs else None
        if isinstance(docs, dict) and docs:
            declared[m.id] = tuple(sorted((str(k), str(v)) for k, v in docs.items()))
    out = []
    for r in records:
        if r.mention in declared:
            r = replace(r, documents=declared[r.mention])
        elif r.mention in mapped and r.doc_number:
            r = replace(r, untyped_document_rule=False)  # undeclared: the model compares it
        out.append(r)
    return out


def link_workspace_records(
    ws: Workspace,
    *,
    threshold: float | None = None,
    linker: RecordLinker | None = None,
    force: bool = False,
    mentions: Iterable[Mention] | None = None,
) -> tuple[list[PersonRecord], RecordResolution]:
    """Link the workspace's records, reusing the stored links when nothing changed.

    ``threshold`` defaults to the one stored for the workspace (``threadline
    records link --threshold``), else :data:`DEFAULT_THRESHOLD`. New links replace
    the stored ones in one transaction.
    """
    recs = record_store.records(ws)
    if recs:
        recs = with_documents(recs, ws.mentions() if mentions is None else mentions)
    if threshold is None:
        threshold = record_store.threshold(ws) or DEFAULT_THRESHOLD
    # without a linker asked for, links any backend stored for these records stand
    backends = {linker.backend} if linker else {"duckdb", "spark"}
    linker = linker or DuckDBRecordLinker()
    fingerprint = links_fingerprint(recs, threshold, linker.backend)
    if not recs:
        return recs, RecordResolution([])
    stored_for = {links_fingerprint(recs, threshold, b) for b in backends}
    if not force and record_store.links_fingerprint(ws) in stored_for:
        stored = record_store.record_links(ws)
        links = [lk for lk in stored if lk.linked]
        clusters = components((r.id for r in recs), ((lk.a, lk.b) for lk in links))
        return recs, RecordResolution(links, [lk for lk in stored if not lk.linked], clusters)
    resolution = link_records(recs, linker, threshold=threshold)
    with ws.transaction():
        record_store.replace_record_links(ws, [*resolution.links, *resolution.near], fingerprint)
    return recs, resolution


def records_for_resolve(
    ws: Workspace,
    mentions: Iterable[Mention],
    *,
    judged_same: Iterable[tuple[str, str]] = (),
    linked: RecordResolution | None = None,
) -> RecordConstraints:
    """What the workspace's records add to a resolve run (nothing when it has none).

    ``linked``: the linkage just computed and stored by :func:`link_workspace_records`
    in this transaction (else it is read back). The records are read either way, their
    documents from ``mentions`` as this run sees them (after the analyst's corrections).
    """
    mentions = list(mentions)
    if linked is None:
        recs, resolution = link_workspace_records(ws, mentions=mentions)
    else:
        recs, resolution = with_documents(record_store.records(ws), mentions), linked
    if not recs:
        return RecordConstraints()
    return record_constraints(recs, resolution, mentions, judged_same=judged_same)
