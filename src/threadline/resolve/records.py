"""Person records into identities: linkage results as constraints for the resolver.

Needs: the person records of the workspace (``threadline records import``) and a
:class:`~threadline.resolve.linkage.RecordLinker`.
Produces: :class:`RecordResolution` (links, near misses, clusters) and, for
:func:`threadline.resolve.resolve`, must-link pairs (a record's name and its
aliases; records the linkage holds to be one person), cannot-link pairs (records
with the same name whose date of birth or document number conflicts) and alias
assertions (two names on one identity document).

Records resolve with each other through linkage only; a record joins text
mentions as any mention does, by its name key. Two records the model did not
link but that share a name key merge through that name (as two articles naming
"Salah Abdeslam" would), unless an identity attribute counts against them: then
they are kept apart, whatever the text says.
"""

from __future__ import annotations

import difflib
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from threadline.model import Assertion, Evidence, Mention, content_id
from threadline.model.names import core_words, name_key, skeleton
from threadline.model.person_record import (
    RULE_MODEL,
    RULE_SHARED_DOCUMENT,
    PersonRecord,
    RecordLink,
)
from threadline.resolve.linkage import (
    DEFAULT_THRESHOLD,
    IDENTITY_COMPARISONS,
    LINKER_VERSION,
    RecordLinker,
)
from threadline.store import Workspace

#: A document number carried by this many different names or more is a placeholder
#: ("UNKNOWN", "000000"), not an identity document: it links nobody.
PLACEHOLDER_NAMES = 5
#: Two names at least this similar (folded, words sorted) are writings of one name.
SAME_NAME_SIMILARITY = 0.85
#: Two name words at least this similar are one word with a typo.
WORD_SIMILARITY = 0.75
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

    same: list[tuple[str, str]] = field(default_factory=list)
    apart: list[tuple[str, str]] = field(default_factory=list)
    assertions: list[Assertion] = field(default_factory=list)


def _is_identity_number(value: str) -> bool:
    return len(value) >= 5 and any(c.isdigit() for c in value)


def different_names(a: PersonRecord, b: PersonRecord) -> bool:
    """Whether two records carry two names, not two writings of one name.

    One name: the same transliteration key, the same words in another order
    ("ABDESLAM Salah"), one name a part of the other ("Abdeslam"), or every word
    of the shorter a near spelling of a word of the longer.

    >>> r = lambda n: PersonRecord("r", "d", 2, "1", n, "m")
    >>> different_names(r("Mohamed Belkaid"), r("BELKAÏD Mohammed"))
    False
    >>> different_names(r("Mohamed Belkaid"), r("Samir Bouzid"))
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


def shared_document_links(
    records: Sequence[PersonRecord], scored: dict[tuple[str, str], RecordLink]
) -> list[RecordLink]:
    """Link records that carry the same identity document number.

    The first record (in import order) of a document number keeps its name; a
    later record under another name is linked to it and its name becomes an alias
    (a fake identity, or an identity lent). Spelling variants are linked without
    an alias. ``scored`` are the model's scored pairs, whose explanation the link
    keeps. Placeholder numbers (see :data:`PLACEHOLDER_NAMES`) link nobody.
    """
    by_number: dict[str, list[PersonRecord]] = defaultdict(list)
    for r in records:
        if r.doc_number and _is_identity_number(r.doc_number):
            by_number[r.doc_number].append(r)
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


def _components(ids: Iterable[str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    parent: dict[str, str] = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {i: find(i) for i in parent}


def link_records(
    records: Sequence[PersonRecord],
    linker: RecordLinker,
    *,
    threshold: float,
    near: bool = True,
) -> RecordResolution:
    """Run the linker, add the shared-document rule, and cluster the result."""
    linkage = linker.link(records, threshold=threshold, near=near)
    scored = {(lk.a, lk.b): lk for lk in [*linkage.links, *linkage.near]}
    rule_links = shared_document_links(records, scored)
    by_pair = {(lk.a, lk.b): lk for lk in linkage.links}
    for lk in rule_links:
        by_pair[(lk.a, lk.b)] = lk
    links = sorted(by_pair.values(), key=lambda lk: (lk.a, lk.b))
    near_pairs = [lk for lk in linkage.near if (lk.a, lk.b) not in by_pair]
    clusters = _components((r.id for r in records), ((lk.a, lk.b) for lk in links))
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
        out.same.extend((r.mention, m) for m in r.alias_mentions)
    for lk in resolution.links:
        ra, rb = by_id.get(lk.a), by_id.get(lk.b)
        if ra is None or rb is None:
            continue
        out.same.append((ra.mention, rb.mention))
        if lk.alias:
            primary, alias = (ra, rb) if lk.alias == rb.id else (rb, ra)
            out.assertions.append(_alias_assertion(primary, alias, known.get(alias.mention)))
    joined = _components(
        {x for pair in [*out.same, *judged_same] for x in pair}, [*out.same, *judged_same]
    )
    for lk in resolution.near:
        ra, rb = by_id.get(lk.a), by_id.get(lk.b)
        if ra is None or rb is None or lk.rule != RULE_MODEL:
            continue
        if name_key(ra.name) != name_key(rb.name) or not lk.against(IDENTITY_COMPARISONS):
            continue
        if joined.get(ra.mention, ra.mention) == joined.get(rb.mention, rb.mention):
            continue
        out.apart.append((ra.mention, rb.mention))
    return out


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


def link_workspace_records(
    ws: Workspace,
    *,
    threshold: float | None = None,
    linker: RecordLinker | None = None,
    force: bool = False,
) -> tuple[list[PersonRecord], RecordResolution]:
    """Link the workspace's records, reusing the stored links when nothing changed.

    ``threshold`` defaults to the one stored for the workspace (``threadline
    records link --threshold``), else :data:`DEFAULT_THRESHOLD`. New links replace
    the stored ones in one transaction.
    """
    from threadline.resolve.linkage import DuckDBRecordLinker
    from threadline.store import records as record_store

    recs = record_store.records(ws)
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
        clusters = _components((r.id for r in recs), ((lk.a, lk.b) for lk in links))
        return recs, RecordResolution(links, [lk for lk in stored if not lk.linked], clusters)
    resolution = link_records(recs, linker, threshold=threshold)
    with ws.transaction():
        record_store.replace_record_links(ws, [*resolution.links, *resolution.near], fingerprint)
    return recs, resolution


def records_for_resolve(
    ws: Workspace, mentions: Iterable[Mention], *, judged_same: Iterable[tuple[str, str]] = ()
) -> RecordConstraints:
    """What the workspace's records add to a resolve run (nothing when it has none)."""
    recs, resolution = link_workspace_records(ws)
    if not recs:
        return RecordConstraints()
    return record_constraints(recs, resolution, mentions, judged_same=judged_same)
