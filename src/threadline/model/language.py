"""Which language a document is written in, from its function words.

A small, dependency-free detector: the share of very frequent function words
of each language among the text's words. Good enough to route news text to
the right spaCy pipeline; ``None`` when no language stands out.

>>> detect_language("Le suspect a été arrêté dans la nuit de mardi à mercredi.")
'fr'
>>> detect_language("The suspect was arrested on Tuesday night.")
'en'
"""

from __future__ import annotations

import re

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "the",
            "of",
            "and",
            "to",
            "in",
            "a",
            "is",
            "that",
            "was",
            "for",
            "on",
            "with",
            "as",
            "by",
            "he",
            "it",
            "at",
            "from",
            "his",
            "were",
            "are",
            "which",
            "have",
            "has",
            "had",
            "not",
            "be",
            "this",
            "but",
            "they",
            "their",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "de",
            "des",
            "du",
            "et",
            "un",
            "une",
            "est",
            "dans",
            "que",
            "qui",
            "pour",
            "par",
            "sur",
            "au",
            "aux",
            "avec",
            "il",
            "elle",
            "a",
            "été",
            "ont",
            "son",
            "sa",
            "ses",
            "ce",
            "cette",
            "pas",
            "ne",
            "se",
        ]
    ),
    "nl": frozenset(
        [
            "de",
            "het",
            "een",
            "en",
            "van",
            "in",
            "is",
            "dat",
            "op",
            "te",
            "zijn",
            "met",
            "voor",
            "niet",
            "die",
            "aan",
            "er",
            "hij",
            "werd",
            "door",
            "bij",
            "ook",
            "als",
        ]
    ),
    "de": frozenset(
        [
            "der",
            "die",
            "das",
            "und",
            "ist",
            "nicht",
            "ein",
            "eine",
            "zu",
            "den",
            "von",
            "mit",
            "sich",
            "des",
            "auf",
            "für",
            "im",
            "dem",
            "wurde",
            "auch",
            "als",
        ]
    ),
}
_WORD = re.compile(r"[a-zàâäçéèêëîïôöùûüÿœ]+")


def detect_language(text: str, *, sample: int = 20000) -> str | None:
    """ISO 639-1 code of the language whose function words dominate, or ``None``."""
    words = _WORD.findall(text[:sample].lower())
    if len(words) < 5:
        return None
    scores = {
        lang: sum(w in vocab for w in words) / len(words) for lang, vocab in _FUNCTION_WORDS.items()
    }
    best = max(scores, key=lambda k: scores[k])
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] < 0.08 or ranked[0] < ranked[1] * 1.3:
        return None
    return best
