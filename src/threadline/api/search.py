"""Instant search over every name and alias: word prefixes first, then spelling drift.

A query matches an entity when each of its words starts a word of one of the
entity's names or aliases ("lamr" finds Karim Lamrani, "kasbi" finds him
through his alias Youssef Kasbi). With ``fuzzy`` on, words that match nothing
also try the transliteration skeleton of :func:`threadline.model.names.skeleton`
("Saleh" finds Salah) and one typing slip, when the words themselves match
nothing. Results are ranked
exact name, then name prefix, then word matches, then fuzzy ones, each by the
rank given at build time (the workbench passes minus the degree: busiest first).

>>> index = NameIndex([("Karim Lamrani", ["Karim Lamrani"], ["Youssef Kasbi"])])
>>> hits, total = index.search("kasbi")
>>> hits[0].matched, hits[0].alias
('Youssef Kasbi', True)
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


def _deletions(word: str) -> set[str]:
    """Every string one character shorter than ``word`` (a SymSpell-style key)."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class NameIndex:
    """Names and aliases of entities ``0..n-1`` (see the module docstring)."""

    def __init__(
        self,
        entries: Sequence[tuple[str, Sequence[str], Sequence[str]]],
        *,
        rank: Sequence[float] | None = None,
    ) -> None:
        self._labels: list[list[tuple[str, str, bool]]] = []  # (folded, original, alias)
        self._words: list[frozenset[str]] = []  # every word of every label, per entity
        postings: dict[str, set[int]] = {}
        full: dict[str, set[int]] = {}
        for i, (name, names, aliases) in enumerate(entries):
            labels: list[tuple[str, str, bool]] = []
            seen: set[str] = set()
            words: set[str] = set()
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
                    words.add(word)
            self._labels.append(labels)
            self._words.append(frozenset(words))
        order = sorted(range(len(entries)), key=lambda i: (rank[i] if rank else 0.0, i))
        self._position = [0] * len(entries)
        for pos, i in enumerate(order):
            self._position[i] = pos
        self._postings = {w: frozenset(s) for w, s in postings.items()}
        self._vocab = sorted(postings)
        self._full = {k: frozenset(s) for k, s in full.items()}
        self._full_sorted = sorted(full)
        self._skeletons: dict[str, set[str]] = {}
        self._deleted: dict[str, set[str]] = {}  # a word less one character -> the words
        for word in self._vocab:
            self._skeletons.setdefault(skeleton(word), set()).add(word)
            if len(word) >= 4:
                for short in _deletions(word):
                    self._deleted.setdefault(short, set()).add(word)

    def __len__(self) -> int:
        return len(self._labels)

    def _range(self, word: str) -> tuple[int, int]:
        """Where the vocabulary words starting with ``word`` sit in the sorted vocabulary."""
        lo = bisect.bisect_left(self._vocab, word)
        return lo, bisect.bisect_left(self._vocab, word + _END, lo)

    def _union(self, lo: int, hi: int) -> set[int]:
        out: set[int] = set()
        for w in self._vocab[lo:hi]:
            out |= self._postings[w]
        return out

    def _matching(self, words: list[str]) -> set[int]:
        """Entities with, for each query word, a word starting with it. The most
        selective query word gives the candidates; a word matching many vocabulary
        words filters them rather than building its (large) union."""
        ranges = sorted((self._range(w), w) for w in words)
        ranges.sort(key=lambda r: r[0][1] - r[0][0])
        (lo, hi), _ = ranges[0]
        found = self._union(lo, hi)
        for (lo, hi), word in ranges[1:]:
            if not found:
                break
            if (hi - lo) * 8 < len(found):
                found &= self._union(lo, hi)
            else:
                found = {i for i in found if any(t.startswith(word) for t in self._words[i])}
        return found

    def _near(self, word: str, *, typos: bool) -> set[int]:
        """Entities with a word of the same skeleton and, with ``typos``, a word one slip
        away (a letter missing, added, changed, or two swapped), found through an
        index of deletions rather than by comparing with every word."""
        out: set[int] = set()
        for w in self._skeletons.get(skeleton(word), ()):
            out |= self._postings[w]
        if not typos or len(word) < 4:
            return out
        candidates = set(self._deleted.get(word, ()))  # a letter added
        for short in _deletions(word):
            if short in self._postings:  # a letter missing
                candidates.add(short)
            candidates |= self._deleted.get(short, set())  # changed or swapped
        for w in candidates:
            if jellyfish.damerau_levenshtein_distance(w, word) <= 1:
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
        """The hits ``offset .. offset + limit`` and how many there are in all.

        Spelling drift is tried only when the words themselves match nothing.
        """
        words = tokens(query)
        if not words:
            return [], 0
        found = self._matching(words)
        if allowed is not None:
            found = {i for i in found if allowed(i)}
        near: set[int] = set()
        if fuzzy and not found:
            widened = []
            for w in words:
                lo, hi = self._range(w)
                widened.append(self._union(lo, hi) | self._near(w, typos=lo == hi))
            widened.sort(key=len)
            near = set(widened[0]).intersection(*widened[1:])
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
