"""Tie ends the model misses or cuts (issue 14): a person's name cut at a common middle
word, a group the model reads as a place, an employer nobody typed. Sentences written
for these tests (invented people and bodies)."""

from __future__ import annotations

from typing import Any

import pytest

from threadline.extract import extract_document
from threadline.extract.name_shapes import name_continues
from threadline.extract.nlp import load_model
from threadline.ingest.segments import segment_text
from threadline.model import Document
from threadline.resolve import resolve


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_model()


def _run(nlp: Any, text: str) -> Any:
    segments = [{"start": s.start, "end": s.end, "kind": s.kind} for s in segment_text(text)]
    doc = Document(
        id="d1", sha256="0" * 64, source="t.txt", kind="text", text=text, segments=segments
    )
    x = extract_document(doc, nlp)
    return x, resolve(x.mentions, x.assertions, x.claims)


@pytest.mark.parametrize(
    ("text", "cut", "whole"),
    [
        # a common word in the middle of a name, closed by a rare surname
        (
            "President Anatole Remy Christian Ouedrabe said",
            "Anatole Remy",
            "Anatole Remy Christian Ouedrabe",
        ),
        # a common capitalised word after the name that opens something else stays out
        ("Anatole Remy Christian Science Monitor", "Anatole Remy", "Anatole Remy"),
        ("Anatole Remy Islamic State fighters", "Anatole Remy", "Anatole Remy"),
    ],
)
def test_a_name_cut_at_a_common_middle_word_is_mended(cut: str, whole: str, text: str) -> None:
    s = text.index(cut)
    assert text[s : name_continues(text, s, s + len(cut))] == whole


def test_a_member_of_an_unknown_place_is_a_member_of_a_group(nlp: Any) -> None:
    # "a member of Q" where Q is no known place: the model's place is a group
    x, res = _run(
        nlp,
        "Police arrested Tobin Rask, 31, on Friday. It has been established that he is a "
        "member of Dashtan, the prosecutor said.",
    )
    assert any(m.text == "Dashtan" and m.label == "ORG" for m in x.mentions)
    names = {e.id: e.name for e in res.entities}
    assert any(
        t.type == "member_of" and names[t.source] == "Tobin Rask" and names[t.target] == "Dashtan"
        for t in res.ties
        if not t.inferred
    )


def test_a_member_of_a_country_stays_a_place(nlp: Any) -> None:
    x, _ = _run(nlp, "Tobin Rask, a member of Norway's delegation, spoke first.")
    assert not any(m.text == "Norway" and m.label == "ORG" for m in x.mentions)


def test_an_employer_nobody_typed_is_an_organisation(nlp: Any) -> None:
    # "worked at G" and "G, the ... store": the name is a body, and the tie is "other"
    x, res = _run(nlp, "Tobin Rask worked at QX7, the nutrition store, a neighbour said.")
    assert any(m.text == "QX7" and m.label == "ORG" for m in x.mentions)
    names = {e.id: e.name for e in res.entities}
    assert any(
        t.type == "other" and {names[t.source], names[t.target]} == {"Tobin Rask", "QX7"}
        for t in res.ties
        if not t.inferred
    )
