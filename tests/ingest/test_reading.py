"""The reading view: hard-wrapped lines rejoined, hyphens and footnote markers undone,
and every span found in the view maps back to the exact stored text."""

from __future__ import annotations

import textwrap

from threadline.ingest.reading import is_readable, layout_text, reading_view
from threadline.ingest.segments import segment_text

PARA = (
    "Karim Haddou, 27, and Yassin Benali, 21, drove the car back to the city after the "
    "meeting, investigators said. The two men had known each other since school and later "
    "shared a flat with a third man near the station, according to the indictment."
)


def _wrapped(text: str, width: int = 40, blank: bool = True) -> str:
    sep = "\n\n" if blank else "\n"
    return sep.join(textwrap.wrap(text, width)) + "\n"


def test_hard_wrapped_lines_with_blank_lines_between_read_as_one_paragraph() -> None:
    stored = "Two men held\n\n" + _wrapped(PARA * 2)
    view = reading_view(stored)
    assert "Yassin Benali, 21, drove the car back to the city" in view.text
    assert "\n\n" not in view.text.split("Two men held", 1)[1].strip()
    start = view.text.index("Yassin Benali")
    s, e = view.span(start, start + len("Yassin Benali"))
    assert stored[s:e].split() == ["Yassin", "Benali"]  # the stored span, line break and all


def test_a_line_end_hyphen_is_undone_only_inside_a_word() -> None:
    lines = textwrap.wrap(PARA * 2, 40)
    lines[2] += " terror-"
    lines[3] = "ist cell " + lines[3]
    lines[5] += " two-"
    lines[6] = "week plan " + lines[6]
    text = reading_view("\n\n".join(lines) + "\n").text
    assert "terrorist cell" in text
    assert "two-week plan" in text


def test_footnote_markers_are_sentence_boundaries_not_glue() -> None:
    stored = "He moved to Molenbeek in 2014.[12] Benali joined him a year later.[13]\n"
    view = reading_view(stored)
    assert view.text == "He moved to Molenbeek in 2014. Benali joined him a year later.\n"
    k = view.text.index("Benali joined him a year later.")
    s, e = view.span(k, k + len("Benali joined him a year later."))
    assert stored[s:e] == "Benali joined him a year later."
    assert not reading_view("They need[s] to go, he said [the FBI].\n").changed  # brackets


def test_bullets_are_never_joined_to_the_line_before() -> None:
    items = [
        "* Boko Haram kidnapped 219 girls in the north of the country two years",
        "ago",
        "* The government's efforts to release them have yielded no result at all",
        "* The group wages an insurgency to set up a state in the north-east",
    ]
    stored = "Video puts pressure on the president\n\n" + "\n\n".join(items * 3) + "\n\n"
    stored += _wrapped(PARA * 2, 70)
    text = reading_view(stored).text
    assert "two years ago" in text
    assert "ago\n\n* The government's" in text


def test_paragraph_text_is_left_alone() -> None:
    stored = "A title\n\n" + PARA + "\n\n" + PARA + "\n"
    assert not reading_view(stored).changed
    assert layout_text(stored) == stored


def test_the_segmenter_sees_paragraphs_of_a_wrapped_text() -> None:
    stored = "Two men held after raid\n\n" + _wrapped(PARA * 3)
    kinds = [s.kind for s in segment_text(stored)]
    assert kinds == ["title", "body"]  # no wrapped line taken for a heading or a caption


def test_unreadable_text_is_read_as_stored() -> None:
    one_line = ("word " * 1_100_000).strip()  # one 5 MB line
    view = reading_view(one_line)
    assert not view.readable and not view.changed and view.text is one_line
    binary = "".join(chr(c % 32) for c in range(5000)) + "Karim Haddou"
    assert not is_readable(binary)
