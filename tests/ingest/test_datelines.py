"""Datelines, bylines, date lines and outlet suffixes give a story's date, place and outlet.

Every form below is a short text written for this test, shaped as wire services,
newspapers and web pages print them; the dateline place must be read as the
dateline (its own segment, left out of what the extractor reads), never as a
place the story is about.
"""

from __future__ import annotations

import pytest

from threadline.ingest.metadata import meta_from_text
from threadline.ingest.reading import reading_view
from threadline.ingest.segments import segment_text, segment_title

STORY = (
    "Police raided a flat in the north of the city overnight and arrested two men, officials said."
)

# (text, published, dateline place, outlet)
FORMS: list[tuple[str, str | None, str | None, str | None]] = [
    (f"Raid in the north\n\nJAKARTA, Indonesia — {STORY}", None, "Jakarta, Indonesia", None),
    (f"Raid in the north\n\nFORT PIERCE, Fla. {STORY}", None, "Fort Pierce, Fla.", None),
    (
        f"Raid in the north\n\nKABUL/PESHAWAR, Pakistan {STORY}",
        None,
        "Kabul/Peshawar, Pakistan",
        None,
    ),
    (f"Raid in the north\n\nMAY 3, 2016 ANTWERP — {STORY}", "2016-05-03", "Antwerp", None),
    (f"Raid in the north\n\nLONDON, May 3 (Reuters) - {STORY}", None, "London", "Reuters"),
    (
        f"Raid in the north\n\nBRUSSELS, March 24, 2016 (AFP) - {STORY}",
        "2016-03-24",
        "Brussels",
        "Agence France-Presse",
    ),
    (f"Raid in the north\n\nWASHINGTON (AP) — {STORY}", None, "Washington", "Associated Press"),
    (f"Raid in the north\n\nISTANBUL {STORY}", None, "Istanbul", None),
    (f"Raid in the north\n\nMEXICO CITY {STORY}", None, "Mexico City", None),
    (f"Raid in the north\n\nPARIS -- {STORY}", None, "Paris", None),
    (f"Raid in the north – Reuters\n\nDHAKA {STORY}", None, "Dhaka", "Reuters"),
    (f"Raid in the north\n\nParis (AFP) - {STORY}", None, "Paris", "Agence France-Presse"),
    (f"Raid in the north\n\nBrussels, Belgium (Reuters) — {STORY}", None, "Brussels", "Reuters"),
    (f"Raid in the north | The Guardian\n\n{STORY}", None, None, "The Guardian"),
    (f"Raid in the north - BBC News\n\n{STORY}", None, None, "BBC News"),
    (f"Raid in the north – New York Times\n\n{STORY}", None, None, "New York Times"),
    (
        f"Raid in the north\n\nUpdated 9:05 PM ET, Tue May 3, 2016\n\n{STORY}",
        "2016-05-03",
        None,
        None,
    ),
    (
        f"Raid in the north\n\nBy THE ASSOCIATED PRESS on Publish Date January 14, 2016.\n\n{STORY}",
        "2016-01-14",
        None,
        None,
    ),
    (
        f"Raid in the north\n\nBy Jane Doe and John Roe\n\nMarch 23, 2016\n\n{STORY}",
        "2016-03-23",
        None,
        None,
    ),
    (f"Raid in the north\n\nBy Ana Ruiz | May 3, 2016\n\n{STORY}", "2016-05-03", None, None),
    (f"Raid in the north\n\nPublished: 23 mars 2016 at 10:45\n\n{STORY}", "2016-03-23", None, None),
    (f"Raid in the north\n\nPosted on 2016-05-03 14:22\n\n{STORY}", "2016-05-03", None, None),
    (f"Raid in the north\n\nTuesday 3 May 2016 09.05 BST\n\n{STORY}", "2016-05-03", None, None),
    (
        f"Raid in the north\n\nLast updated: Tuesday 3 May 2016 21.05 BST\n\n{STORY}",
        "2016-05-03",
        None,
        None,
    ),
    (
        f"Raid in the north\n\nPublished May 2, 2016\n\nUpdated May 3, 2016\n\n{STORY}",
        "2016-05-02",  # the publication date, not the update
        None,
        None,
    ),
    # not datelines, not outlets
    (f"Raid in the north\n\nNATO officials said on Tuesday that {STORY}", None, None, None),
    (
        f"Okafor – The Final Years\n\nISIS claimed the raid on Tuesday, and {STORY}",
        None,
        None,
        None,
    ),
]


def _read(text: str) -> tuple[str | None, str | None, str | None, list[dict[str, object]]]:
    segments = segment_text(text)
    meta = meta_from_text(text, title=segment_title(text, segments))
    place = None
    segs = [{"start": s.start, "end": s.end, "kind": s.kind} for s in segments]
    for s in segments:
        if s.kind == "dateline":
            place = text[s.start : s.end]
    return meta.published, place, meta.outlet, segs


@pytest.mark.parametrize(("text", "published", "place", "outlet"), FORMS)
def test_a_story_header_gives_its_date_place_and_outlet(
    text: str, published: str | None, place: str | None, outlet: str | None
) -> None:
    got_published, got_place, got_outlet, segments = _read(text)
    assert got_published == published
    assert got_outlet == outlet
    if place is None:
        assert got_place is None
    else:
        assert got_place is not None and place.upper() in got_place.upper().replace("—", "")
        view = reading_view(text, segments)
        assert got_place not in view.text  # the extractor does not read it as a place
        assert STORY in view.text


def test_there_are_at_least_twenty_forms() -> None:
    assert len(FORMS) >= 20


def test_a_relative_day_is_dated_from_the_date_the_text_states() -> None:
    """'on Tuesday' in a story the text dates Wednesday 15 May 2024 is 14 May 2024."""
    from threadline.extract.nlp import DEFAULT_MODEL, load_model
    from threadline.extract.pipeline import extract_document
    from threadline.model import Document

    text = (
        "Hotel attack suspects named - Reuters\n\nUpdated 9:05 PM ET, Wed May 15, 2024\n\n"
        "ROTTERDAM, Netherlands (Reuters) - The Rotterdam attack on Tuesday killed three "
        "people at a hotel near the port, police said.\n"
    )
    published, place, outlet, segments = _read(text)
    assert (published, outlet) == ("2024-05-15", "Reuters")
    assert place is not None and place.startswith("ROTTERDAM")
    doc = Document("d1", "b" * 64, "story.txt", "text", text, segments=segments)
    doc.published = published
    got = extract_document(doc, load_model(DEFAULT_MODEL))
    dates = {c.value_text for c in got.claims if c.quantity == "date"}
    assert dates == {"2024-05-14"}
    for c in got.claims:  # quotes are the stored text's, dateline and all offsets
        assert text[c.evidence.start : c.evidence.end] == c.evidence.quote
