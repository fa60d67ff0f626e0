"""Screen resolved people and organisations against the loaded watchlists.

Needs: entities (after resolve) and the entries of every imported list.
Produces: :class:`~threadline.model.watchlist.WatchlistHit` records, each naming
the list, the entry, the listed name that matched, the score and why.

Rules:

- persons are compared with :func:`~threadline.resolve.names.compare_names`
  against the list's persons, organisations with
  :func:`~threadline.resolve.names.compare_org_names`
  against its entities; every name and alias of the entity against every name
  of the entry; the best pair decides;
- a hit needs a *strong* listed name at or above the threshold: a bare kunya
  ("Abu Omar") never produces a hit, a "Low" quality alias only when it is the
  same name word for word (two parts or more; the ``why`` then says "weak: only a
  low-quality alias matches"). When a weak name also matches a strong hit, the
  hit's ``why`` says so;
- a person's one-word names ("Haddou") are screened only when the
  person has no fuller name: alone they hit every namesake;
- the list's own word frequencies tell common name words (Mohammed, Ali) from
  rarer ones (:func:`~threadline.resolve.names.common_words`);
- names only: dates of birth, nationalities and places of birth stay in the
  entry's data for the analyst and are never compared (design principle 4).

>>> from threadline.model import Entity
>>> from threadline.model.watchlist import ListedName, WatchlistEntry
>>> entry = WatchlistEntry("L", "P1", "Person", "Karim Oudra", [ListedName("Karim Oudra")])
>>> person = Entity("e1", "Person", "Kareem Oudra", ["Kareem Oudra"], [], [])
>>> [h.entry_id for h in screen([person], [entry])]
['P1']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from threadline.model import Entity
from threadline.model.names import parse_name
from threadline.model.watchlist import ListedName, WatchlistEntry, WatchlistHit
from threadline.resolve.names import (
    EXACT,
    MATCH_THRESHOLD,
    NameComparison,
    analyse_name,
    common_words,
    compare_names,
)
from threadline.resolve.org_names import compare_org_names, org_words
from threadline.store import Workspace
from threadline.store.watchlists import has_watchlists, replace_watchlist_hits, watchlist_entries

#: The schema of the list entries each entity schema is screened against.
SCREENED = {"Person": "Person", "Organization": "Organization"}


def is_weak_name(name: ListedName) -> bool:
    """A listed name that never produces a hit alone: a "Low" alias or a bare kunya."""
    return name.low_quality or _kunya_only(name.name)


@lru_cache(maxsize=65536)
def _kunya_only(name: str) -> bool:
    return parse_name(name).is_kunya_only


@dataclass
class _Candidate:
    comparison: NameComparison | None
    score: float
    entity_name: str
    listed: ListedName
    org_why: str = ""

    @property
    def why(self) -> str:
        return self.comparison.explanation if self.comparison else self.org_why


def _keys(name: str) -> set[str]:
    """Blocking keys: a true match shares at least one word key with its partner."""
    n = analyse_name(name)
    words = [*n.words, *([n.kunya] if n.kunya else [])]
    out: set[str] = set()
    for w in words:
        if len(w.text) < 2:
            continue
        out |= {f"s:{w.skel}", f"t:{w.text[:4]}", f"m:{w.sound}", f"c:{w.cons}"}
    return out


def _org_keys(name: str) -> set[str]:
    words = org_words(name)
    return (
        {f"o:{w[:4]}" for w in words}
        | {"a:" + "".join(w[0] for w in words)}
        | {"j:" + "".join(words)[:6]}  # "Nordwind Trading" / "NordwindTrading"
    )


def _screened_names(entity: Entity) -> list[str]:
    """The names of ``entity`` screened: its name, names and aliases; for a person with
    a name of two words or more, not the one-word forms ("Haddou" for "Karim Haddou"):
    those are parts of the full name, and alone they hit every namesake."""
    names = list(dict.fromkeys(n for n in [entity.name, *entity.names, *entity.aliases] if n))
    if entity.schema != "Person":
        return names
    full = [n for n in names if len(analyse_name(n).words) + bool(analyse_name(n).kunya) >= 2]
    return [n for n in names if n in full or n in entity.aliases] if full else names


def _one_word_score(c: NameComparison) -> float:
    """The score a screening counts: a one-word name against a one-word name hits
    only when it is the same word or a transliteration of it (Rahmat is no Rahman)."""
    one_word = len(analyse_name(c.a).words) == len(analyse_name(c.b).words) == 1
    if one_word and not analyse_name(c.a).kunya and not analyse_name(c.b).kunya:
        if c.matched and c.matched[0].score < 0.95:
            return min(c.score, 0.7)
    return c.score


def _exact_full_name(c: NameComparison) -> bool:
    """Word for word the same name of two parts or more (a kunya counts as one)."""
    return c.level == EXACT and len(c.matched) >= 2


def screen(
    entities: Iterable[Entity],
    entries: Sequence[WatchlistEntry],
    *,
    threshold: float = MATCH_THRESHOLD,
) -> list[WatchlistHit]:
    """Hits of ``entities`` on ``entries``: at most one per entity and entry (the best)."""
    common = common_words(
        n.name for e in entries if e.schema == "Person" for n in e.names if not n.low_quality
    )
    index: dict[str, set[int]] = defaultdict(set)
    for i, entry in enumerate(entries):
        for n in entry.names:
            keys = _keys(n.name) if entry.schema == "Person" else _org_keys(n.name)
            for k in keys:
                index[k].add(i)
    hits: list[WatchlistHit] = []
    for entity in entities:
        target = SCREENED.get(entity.schema)
        if target is None:
            continue
        names = _screened_names(entity)
        candidates: set[int] = set()
        for name in names:
            keys = _keys(name) if target == "Person" else _org_keys(name)
            for k in keys:
                candidates |= index.get(k, set())
        for i in sorted(candidates):
            entry = entries[i]
            if entry.schema != target:
                continue
            hit = _best_hit(entity, names, entry, common, threshold)
            if hit is not None:
                hits.append(hit)
    return hits


def _best_hit(
    entity: Entity,
    names: list[str],
    entry: WatchlistEntry,
    common: frozenset[str],
    threshold: float,
) -> WatchlistHit | None:
    strong: _Candidate | None = None
    weak: _Candidate | None = None
    for listed in entry.names:
        for name in names:
            if entry.schema == "Person":
                c = compare_names(name, listed.name, common=common)
                cand = _Candidate(c, _one_word_score(c), name, listed)
            else:
                score, why = compare_org_names(name, listed.name)
                cand = _Candidate(None, score, name, listed, why)
            if is_weak_name(listed):
                if weak is None or cand.score > weak.score:
                    weak = cand
            elif strong is None or cand.score > strong.score:
                strong = cand
    if (strong is None or strong.score < threshold) and (
        weak is not None
        and weak.comparison is not None
        and not _kunya_only(weak.listed.name)
        and _exact_full_name(weak.comparison)
    ):
        # a low-quality alias stays weak: it hits only word for word, and says so
        why = (
            f"'{weak.entity_name}' = '{weak.listed.name}' ({weak.listed.kind}, "
            f"{weak.listed.quality}): {weak.why}; weak: only a low-quality alias matches, "
            "word for word"
        )
        return _hit(entity, entry, weak, why)
    if strong is None or strong.score < threshold:
        return None
    why = (
        f"'{strong.entity_name}' ~ '{strong.listed.name}' "
        f"({strong.listed.kind}, {strong.listed.quality}): {strong.why}"
    )
    if weak is not None and weak.score >= threshold:
        why += (
            f"; also the {weak.listed.quality} {weak.listed.kind} '{weak.listed.name}' "
            f"({weak.score:.2f}), which alone would not be a hit"
        )
    return _hit(entity, entry, strong, why)


def _hit(entity: Entity, entry: WatchlistEntry, cand: _Candidate, why: str) -> WatchlistHit:
    return WatchlistHit(
        entity=entity.id,
        list=entry.list,
        entry_id=entry.entry_id,
        entry_name=entry.name,
        matched_name=cand.listed.name,
        score=round(cand.score, 3),
        why=why,
    )


def screen_workspace(ws: Workspace) -> dict[str, int]:
    """Screen every resolved person and organisation against every stored list and
    store the hits (replacing the last screening's). Without lists, does nothing."""
    if not has_watchlists(ws):
        return {}
    hits = screen(ws.entities(), watchlist_entries(ws))
    replace_watchlist_hits(ws, hits)
    return {"watchlist_hits": len(hits), "entities_hit": len({h.entity for h in hits})}
