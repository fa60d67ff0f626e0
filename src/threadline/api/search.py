"""Instant search over every name and alias: word prefixes first, then spelling drift.

A query matches an entity when each of its words starts a word of one of the
entity's names or aliases ("laach" finds Najim Laachraoui, "kayal" finds him
through his alias Soufiane Kayal). With ``fuzzy`` on, words that match nothing
also try the transliteration skeleton of :func:`threadline.model.names.skeleton`
("Saleh" finds Salah) and one typing slip (two in long words). Results are ranked
exact name, then name prefix, then word matches, then fuzzy ones, each by the
rank given at build time (the workbench passes minus the degree: busiest first).

>>> index = NameIndex([("Najim Laachraoui", ["Najim Laachraoui"], ["Soufiane Kayal"])])
>>> hits, total = index.search("kayal")
>>> hits[0].matched, hits[0].alias
('Soufiane Kayal', True)
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import jellyfish

from threadline.model.names import fold, skeleton, tokens

_END = "\U0010ffff"


@dataclass(frozen=True)
class SearchHit:
    """One entity found: which of its names matched, and how."""

    entity: int
    matched: str
    alias: bool
    match: str  # exact, prefix, words, fuzzy


def _edits_allowed(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


class NameIndex:
    """Names and aliases of entities ``0..n-1`` (see the module docstring)."""

    def __init__(
        self,
        entries: Sequence[tuple[str, Sequence[str], Sequence[str]]],
        *,
        rank: Sequence[float] | None = None,
    ) -> None:
        self._labels: list[list[tuple[str, str, bool]]] = []  # (folded, original, alias)
        postings: dict[str, set[int]] = {}
        full: dict[str, set[int]] = {}
        for i, (name, names, aliases) in enumerate(entries):
            labels: list[tuple[str, str, bool]] = []
            seen: set[str] = set()
            for text, alias in (
                [(name, False)] + [(n, False) for n in names] + [(a, True) for a in aliases]
            ):
                key = fold(text)
                if not key or key in seen:
                    continue
                seen.add(key)
                labels.append((key, text, alias))
                full.setdefault(key, set()).add(i)
                for word in tokens(text):
                    postings.setdefault(word, set()).add(i)
            self._labels.append(labels)
        order = sorted(range(len(entries)), key=lambda i: (rank[i] if rank else 0.0, i))
        self._position = [0] * len(entries)
        for pos, i in enumerate(order):
            self._position[i] = pos
        self._postings = {w: frozenset(s) for w, s in postings.items()}
        self._vocab = sorted(postings)
        self._full = {k: frozenset(s) for k, s in full.items()}
        self._full_sorted = sorted(full)
        self._skeletons: dict[str, set[str]] = {}
        self._by_initial: dict[str, list[str]] = {}
        for word in self._vocab:
            self._skeletons.setdefault(skeleton(word), set()).add(word)
            self._by_initial.setdefault(word[:1], []).append(word)

    def __len__(self) -> int:
        return len(self._labels)

    def _prefixed(self, word: str) -> set[int]:
        lo = bisect.bisect_left(self._vocab, word)
        hi = bisect.bisect_left(self._vocab, word + _END, lo)
        out: set[int] = set()
        for w in self._vocab[lo:hi]:
            out |= self._postings[w]
        return out

    def _near(self, word: str) -> set[int]:
        """Entities with a word of the same skeleton, or within a few edits of ``word``."""
        out: set[int] = set()
        for w in self._skeletons.get(skeleton(word), ()):
            out |= self._postings[w]
        budget = _edits_allowed(word)
        if budget:
            for w in self._by_initial.get(word[:1], ()):
                if abs(len(w) - len(word)) <= budget and (
                    jellyfish.damerau_levenshtein_distance(w, word) <= budget
                ):
                    out |= self._postings[w]
        return out

    def search(
        self,
        query: str,
        *,
        fuzzy: bool = True,
        allowed: Callable[[int], bool] | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> tuple[list[SearchHit], int]:
        """The hits ``offset .. offset + limit`` and how many there are in all."""
        words = tokens(query)
        if not words:
            return [], 0
        per_word = sorted((self._prefixed(w) for w in words), key=len)
        found = set(per_word[0]).intersection(*per_word[1:])
        if allowed is not None:
            found = {i for i in found if allowed(i)}
        near: set[int] = set()
        if fuzzy and len(found) < offset + limit:
            widened = [self._prefixed(w) | self._near(w) for w in words]
            near = set(widened[0]).intersection(*widened[1:]) - found
            if allowed is not None:
                near = {i for i in near if allowed(i)}
        key = fold(query)
        exact = {i for i in self._full.get(key, ()) if i in found}
        lo = bisect.bisect_left(self._full_sorted, key)
        hi = bisect.bisect_left(self._full_sorted, key + _END, lo)
        prefix: set[int] = set()
        if hi - lo <= 5000:
            for k in self._full_sorted[lo:hi]:
                prefix |= self._full[k] & found
        prefix -= exact
        rest = found - exact - prefix
        pos = self._position
        ordered = [
            *((i, "exact") for i in sorted(exact, key=pos.__getitem__)),
            *((i, "prefix") for i in sorted(prefix, key=pos.__getitem__)),
            *((i, "words") for i in sorted(rest, key=pos.__getitem__)),
            *((i, "fuzzy") for i in sorted(near, key=pos.__getitem__)),
        ]
        page = ordered[offset : offset + limit]
        return [self._hit(i, how, key, words) for i, how in page], len(ordered)

    def _hit(self, i: int, how: str, key: str, words: list[str]) -> SearchHit:
        labels = self._labels[i]
        best = labels[0] if labels else ("", "", False)
        for label in labels:
            folded = label[0]
            if folded == key or folded.startswith(key):
                best = label
                break
            parts = tokens(label[1])
            if all(any(p.startswith(w) for p in parts) for w in words):
                best = label
                break
        return SearchHit(entity=i, matched=best[1], alias=best[2], match=how)
